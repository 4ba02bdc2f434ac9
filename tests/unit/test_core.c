/* test_core.c - the pure core: roles, regions and scope, validation, time. */
#include "unit.h"

#include "auth/auth.h"
#include "core/filename.h"
#include "core/org.h"
#include "core/region.h"
#include "core/risk.h"
#include "core/role.h"
#include "core/settings.h"
#include "core/timefmt.h"
#include "core/verr.h"
#include "notify/notify.h"
#include "store/copybuf.h"

#include <string.h>

/* An endpoint's filter: empty takes all, entries by comma or space, "x.*" a prefix. */
static void notify_filters_match_kinds(void **state)
{
    (void)state;
    assert_true(notify_kind_matches("", "case.referred"));
    assert_true(notify_kind_matches(NULL, "case.referred"));
    assert_true(notify_kind_matches("alert.raised, case.referred", "case.referred"));
    assert_true(notify_kind_matches("alert.* case.feedback", "alert.escalated"));
    assert_false(notify_kind_matches("alert.*", "case.referred"));
    assert_false(notify_kind_matches("case.refer", "case.referred"));
    assert_false(notify_kind_matches("case.referred", "case.refer"));
    assert_false(notify_kind_matches(" , ", NULL));
}

/* Uploaded names lose every way out of a folder and every disguise (issue 13, defect 3). */
static void filenames_are_made_safe(void **state)
{
    static const char *const cases[][2] = {
        {"现场照片.png", "现场照片.png"},
        {"../../../../tmp/zipslip.png", "zipslip.png"},
        {"/etc/passwd", "passwd"},
        {"C:/Windows/win.ini", "win.ini"},
        {"C:evil.png", "C_evil.png"},
        {"..\\..\\evil.png", "evil.png"},
        {"..", "attachment"},
        {"", "attachment"},
        {"收据\xe2\x80\xaegnp.exe", "收据gnp.exe"}, /* U+202E */
        {"a\x01"
         "b\x7f"
         "c\xc2\x9b.png",
         "abc.png"},                                /* C0, DEL, C1 */
        {"\xe2\x81\xa6x\xef\xbb\xbf.pdf", "x.pdf"}, /* U+2066, U+FEFF */
        {"bad\xff\xfe.png", "bad__.png"},           /* invalid UTF-8 */
        {"\xc0\xaf.png", "__.png"},                 /* overlong '/' */
        {" .hidden. ", "hidden"},
        {"a<b>c:d\"e|f?g*.jpg", "a_b_c_d_e_f_g_.jpg"},
    };
    char out[FILENAME_BUF], longname[1200];

    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        filename_safe(cases[i][0], "attachment", out);
        assert_string_equal(out, cases[i][1]);
    }
    memset(longname, 'x', 1000);
    strcpy(longname + 1000, ".png");
    filename_safe(longname, "attachment", out);
    assert_int_equal(strlen(out), FILENAME_MAX_CHARS);
    assert_string_equal(out + FILENAME_MAX_CHARS - 4, ".png");
    assert_int_equal(filename_safe("ok.png", "attachment", out), 0);
}

/* Waits double after the free failures and stop at the cap: a back-off, never a lock. */
static void backoff_doubles_up_to_its_cap(void **state)
{
    (void)state;
    assert_true(auth_backoff_ms(0, 3, 900000) == 0);
    assert_true(auth_backoff_ms(3, 3, 900000) == 0);
    assert_true(auth_backoff_ms(4, 3, 900000) == 1000);
    assert_true(auth_backoff_ms(5, 3, 900000) == 2000);
    assert_true(auth_backoff_ms(8, 3, 900000) == 16000);
    assert_true(auth_backoff_ms(40, 3, 900000) == 900000);
    assert_true(auth_backoff_ms(1000000, 3, 60000) == 60000);
}

static void roles_round_trip(void **state)
{
    for (int i = 0; i < ROLE_COUNT; i++) {
        unsigned r = role_at(i);
        assert_non_null(role_name(r));
        assert_int_equal(role_parse(role_name(r)), r);
    }
    assert_int_equal(role_parse("root"), 0);
    assert_int_equal(role_parse(NULL), 0);
    assert_null(role_name(ROLE_ADMIN | ROLE_CLERK));
    assert_int_equal(role_at(ROLE_COUNT), 0);
}

static void region_levels_hang_one_below_another(void **state)
{
    for (int p = 0; p <= REGION_GRID + 1; p++)
        for (int c = 0; c <= REGION_GRID + 1; c++)
            assert_int_equal(region_level_child_ok(p, c),
                             p >= REGION_PROVINCE && c <= REGION_GRID && c == p + 1);
    assert_int_equal(region_level_parse("township"), REGION_TOWNSHIP);
    assert_int_equal(region_level_parse("town"), 0);
    assert_string_equal(region_level_name(REGION_GRID), "grid");
    assert_null(region_level_name(0));
}

static void region_codes_are_statistical_codes(void **state)
{
    assert_true(region_code_valid("510703001003", REGION_VILLAGE));
    assert_false(region_code_valid("51070300100", REGION_VILLAGE));
    assert_false(region_code_valid("5107030010031", REGION_VILLAGE));
    assert_false(region_code_valid("51070300100a", REGION_VILLAGE));
    assert_true(region_code_valid("510703001003001", REGION_GRID));
    assert_false(region_code_valid("510703001003001001001", REGION_GRID));
    assert_false(region_code_valid(NULL, REGION_CITY));
}

static void region_path_appends_code(void **state)
{
    char path[REGION_PATH_MAX], small[8];

    assert_int_equal(region_path_child(NULL, "510700000000", path, sizeof path), 0);
    assert_string_equal(path, "/510700000000/");
    assert_int_equal(region_path_child("/510700000000/", "510703000000", path, sizeof path), 0);
    assert_string_equal(path, "/510700000000/510703000000/");
    assert_int_equal(region_path_child("/510700000000/", "510703000000", small, sizeof small), -1);
}

static void scope_covers_exactly_the_subtree(void **state)
{
    struct region_scope town, village, all;
    const char *town_p = "/5107/510703/510703001/";
    const char *east = "/5107/510703/510703001/510703001003/";
    const char *west = "/5107/510703/510703001/510703001008/";

    assert_int_equal(region_scope_from_path(town_p, &town), 0);
    assert_int_equal(region_scope_from_path(east, &village), 0);
    assert_int_equal(region_scope_from_path("/", &all), 0);
    /* A township sees itself and both villages; a village only itself. */
    assert_true(region_scope_contains(&town, town_p));
    assert_true(region_scope_contains(&town, east));
    assert_true(region_scope_contains(&town, west));
    assert_true(region_scope_contains(&village, east));
    assert_false(region_scope_contains(&village, west));
    assert_false(region_scope_contains(&village, town_p));
    /* A code that merely starts with the same digits is not inside. */
    assert_false(region_scope_contains(&town, "/5107/510703/5107030010/"));
    assert_true(region_scope_contains(&all, west));
    assert_int_equal(region_scope_from_path("5107/", &all), -1);
    assert_int_equal(region_scope_from_path("/5107", &all), -1);
    assert_int_equal(region_scope_from_path("", &all), -1);
}

static void org_types_and_statuses(void **state)
{
    assert_true(org_type_valid("mediation_committee"));
    assert_true(org_type_valid("petition_bureau"));
    assert_false(org_type_valid("church"));
    assert_false(org_type_valid(NULL));
    assert_true(org_status_valid("suspended"));
    assert_false(org_status_valid("closed"));
}

static void verr_collects_every_error(void **state)
{
    struct verr_list l = {0};

    verr_check_login(&l, "login", "Admin");
    verr_check_text(&l, "name", "", 1, 10);
    verr_check_text(&l, "title", "一二三四五六七八九十一", 1, 10);
    verr_check_phone(&l, "phone", "12-");
    verr_check_password(&l, "password", "short");
    assert_int_equal(l.n, 5);
    assert_string_equal(l.items[0].field, "login");
    assert_string_equal(l.items[1].code, "required");
    assert_string_equal(l.items[2].code, "too_long");
    assert_string_equal(l.items[3].field, "phone");
    assert_string_equal(l.items[4].code, "too_short");
    assert_true(verr_has(&l, "phone"));
    assert_false(verr_has(&l, "org_id"));
    for (int i = 0; i < VERR_MAX + 3; i++)
        verr_add(&l, "x", "invalid", "n=%d", i);
    assert_int_equal(l.n, VERR_MAX);
    assert_int_equal(l.dropped, 8);
}

static void verr_accepts_good_values(void **state)
{
    struct verr_list l = {0};

    assert_true(verr_check_login(&l, "login", "fc_clerk.2"));
    assert_true(verr_check_text(&l, "name", "城厢街道人民调解委员会", 1, 100));
    assert_true(verr_check_phone(&l, "phone", "0816-2222348"));
    assert_true(verr_check_phone(&l, "phone", "13800000001"));
    assert_true(verr_check_password(&l, "password", "jiefen-demo"));
    assert_int_equal(l.n, 0);
}

static void utf8_is_checked(void **state)
{
    assert_int_equal(utf8_len("解纷"), 2);
    assert_int_equal(utf8_len("a\xc3\xa9"), 2);
    assert_int_equal(utf8_len("\xc0\xaf"), -1);         /* overlong '/' */
    assert_int_equal(utf8_len("\xed\xa0\x80"), -1);     /* surrogate */
    assert_int_equal(utf8_len("\xe8\xa7"), -1);         /* truncated */
    assert_int_equal(utf8_len("\xf4\x90\x80\x80"), -1); /* past U+10FFFF */
    struct verr_list l = {0};
    assert_false(verr_check_text(&l, "name", "a\tb", 1, 10));
    assert_string_equal(l.items[0].code, "invalid");
}

static void time_formats_and_parses(void **state)
{
    char iso[TIMEFMT_ISO_LEN];
    int64_t ms;

    timefmt_iso(0, iso, sizeof iso);
    assert_string_equal(iso, "1970-01-01T00:00:00.000Z");
    timefmt_iso(1795430316123LL, iso, sizeof iso);
    assert_string_equal(iso, "2026-11-23T10:38:36.123Z");
    assert_int_equal(timefmt_parse(iso, &ms), 0);
    assert_int_equal(ms, 1795430316123LL);
    assert_int_equal(timefmt_parse("2024-02-29", &ms), 0);
    timefmt_iso(ms, iso, sizeof iso);
    assert_string_equal(iso, "2024-02-29T00:00:00.000Z");
    assert_int_equal(timefmt_parse("2026-11-23T10:38:36Z", &ms), 0);
    assert_int_equal(ms, 1795430316000LL);
    assert_int_equal(timefmt_parse("2023-02-29", &ms), -1);
    assert_int_equal(timefmt_parse("2026-13-01", &ms), -1);
    assert_int_equal(timefmt_parse("2026-11-23T25:00:00Z", &ms), -1);
    assert_int_equal(timefmt_parse("2026-11-23T10:38:36+08:00", &ms), -1);
    assert_int_equal(timefmt_parse("yesterday", &ms), -1);
    timefmt_iso(-1, iso, sizeof iso);
    assert_string_equal(iso, "1969-12-31T23:59:59.999Z");
}

static void phones_are_masked(void **state)
{
    char out[32];

    mask_phone("13812345678", out, sizeof out);
    assert_string_equal(out, "138****5678");
    mask_phone("0816-2222348", out, sizeof out);
    assert_string_equal(out, "081*****2348");
    mask_phone("12345", out, sizeof out);
    assert_string_equal(out, "*****");
}

static void intake_risk_follows_its_reasons(void **state)
{
    struct risk_weights w;
    struct risk_result r;
    struct risk_input in = {
        .category = "neighbour", .complexity = "simple", .people = 2, .amount = -1};
    char why[256];

    (void)state;
    risk_weights_default(&w);
    risk_assess(&in, &w, &r);
    assert_int_equal(r.level, RISK_BLUE);
    assert_int_equal(r.nreasons, 0);
    in.people = RISK_GROUP_PEOPLE;
    risk_assess(&in, &w, &r);
    assert_true(r.level >= RISK_ORANGE); /* a group dispute is at least 较大 */
    risk_reasons_text(&r, why, sizeof why);
    assert_non_null(strstr(why, "群体性（10人）"));
    in = (struct risk_input){
        .category = "wage_arrears", .complexity = "ordinary", .people = 3, .amount = -1};
    risk_assess(&in, &w, &r);
    assert_int_equal(r.level, RISK_YELLOW); /* a sensitive field alone is 一般 */
    risk_reasons_text(&r, why, 8);          /* truncated, still terminated */
    assert_true(strlen(why) < 8);
    assert_int_equal(risk_weights_set(&w, "risk_orange_at", 5), 0);
    risk_assess(&in, &w, &r);
    assert_int_equal(r.level, RISK_ORANGE); /* thresholds are settings */
    assert_int_equal(risk_weights_set(&w, "risk_nonsense", 5), -1);
    assert_string_equal(risk_level_code(RISK_ORANGE), "orange");
    assert_int_equal(risk_level_parse("red"), RISK_RED);
    assert_int_equal(risk_level_parse("high"), -1);
    assert_int_equal(risk_level_parse(NULL), -1);
}

static void settings_are_checked_against_their_bounds(void **state)
{
    char why[96];
    const struct setting_def *d = settings_find("min_sessions_before_escalation");

    (void)state;
    assert_non_null(d);
    assert_string_equal(d->fallback, "3");
    assert_int_equal(settings_check(d, "0", why, sizeof why), 0);
    assert_int_equal(settings_check(d, "20", why, sizeof why), 0);
    assert_int_equal(settings_check(d, "21", why, sizeof why), -1);
    assert_string_equal(why, "must be a whole number from 0 to 20");
    assert_int_equal(settings_check(d, "3x", why, sizeof why), -1);
    assert_int_equal(settings_check(d, "", why, sizeof why), -1);
    assert_int_equal(settings_check(d, NULL, why, sizeof why), -1);
    /* A value out of bounds (edited by hand) never takes effect: the default does. */
    assert_string_equal(settings_effective(d, "7"), "7");
    assert_string_equal(settings_effective(d, "99"), "3");
    assert_string_equal(settings_effective(d, NULL), "3");
    d = settings_find("case_number_format");
    assert_int_equal(settings_check(d, "{county}调字〔{year}〕{seq}号", why, sizeof why), 0);
    assert_int_equal(settings_check(d, "第{seq}号", why, sizeof why), -1); /* not unique */
    assert_string_equal(why, "must contain {year}, {county} and {seq}");
    assert_int_equal(settings_check(d, "{county}\"{year}\"{seq}", why, sizeof why), -1);
    assert_string_equal(why, "must not contain quotes or backslashes");
    /* The video meeting template: off when empty, else an http(s) address with {room}. */
    d = settings_find("meeting_url_template");
    assert_int_equal(settings_check(d, "", why, sizeof why), 0);
    assert_int_equal(settings_check(d, "https://meet.example.org/jiefen-{room}", why, sizeof why),
                     0);
    assert_int_equal(settings_check(d, "http://10.0.0.5:8443/{room}", why, sizeof why), 0);
    assert_int_equal(settings_check(d, "https://meet.example.org/jiefen", why, sizeof why), -1);
    assert_string_equal(why, "must contain {room}");
    assert_int_equal(settings_check(d, "ftp://meet.example.org/{room}", why, sizeof why), -1);
    assert_int_equal(settings_check(d, "javascript:alert(1)//{room}", why, sizeof why), -1);
    assert_int_equal(settings_check(d, "https:///{room}", why, sizeof why), -1);
    assert_int_equal(
        settings_check(d, "https://meet.example.org/{room}\" onclick=\"x", why, sizeof why), -1);
    assert_string_equal(settings_effective(d, "ftp://x/{room}"), "");
    assert_null(settings_find("no_such_setting"));
    /* Every default passes its own check. */
    for (size_t i = 0; i < settings_count(); i++)
        assert_int_equal(settings_check(settings_at(i), settings_at(i)->fallback, why, sizeof why),
                         0);
    assert_null(settings_at(settings_count()));
}

/* COPY's text format (store/copybuf.h): a field's backslash, tab, newline and CR are
 * escaped, NULL is \N, fields are tab-separated and the row ends in a newline. */
static void copy_rows_are_escaped(void **state)
{
    struct store_copybuf b = {0};
    (void)state;

    store_copybuf_int(&b, -42);
    store_copybuf_text(&b, NULL);
    store_copybuf_text(&b, "a\\b\tc\nd\re");
    store_copybuf_text(&b, "");
    store_copybuf_row(&b);
    store_copybuf_text(&b, "邻居");
    store_copybuf_row(&b);
    assert_false(b.failed);
    assert_int_equal(b.len, strlen("-42\t\\N\ta\\\\b\\tc\\nd\\re\t\n邻居\n"));
    assert_memory_equal(b.data, "-42\t\\N\ta\\\\b\\tc\\nd\\re\t\n邻居\n", b.len);
    store_copybuf_clear(&b);
    assert_int_equal(b.len, 0);
    store_copybuf_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(roles_round_trip),
        cmocka_unit_test(notify_filters_match_kinds),
        cmocka_unit_test(region_levels_hang_one_below_another),
        cmocka_unit_test(region_codes_are_statistical_codes),
        cmocka_unit_test(region_path_appends_code),
        cmocka_unit_test(scope_covers_exactly_the_subtree),
        cmocka_unit_test(org_types_and_statuses),
        cmocka_unit_test(verr_collects_every_error),
        cmocka_unit_test(verr_accepts_good_values),
        cmocka_unit_test(utf8_is_checked),
        cmocka_unit_test(time_formats_and_parses),
        cmocka_unit_test(phones_are_masked),
        cmocka_unit_test(intake_risk_follows_its_reasons),
        cmocka_unit_test(settings_are_checked_against_their_bounds),
        cmocka_unit_test(filenames_are_made_safe),
        cmocka_unit_test(backoff_doubles_up_to_its_cap),
        cmocka_unit_test(copy_rows_are_escaped),
    };
    return cmocka_run_group_tests_name("core", tests, NULL, NULL);
}

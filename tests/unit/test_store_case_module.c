/*
 * test_store_case_module.c - the case module (src/case/) on a real store, without HTTP:
 * the hand-over on escalation, re-routing, referral after a failed mediation, invited
 * experts, 四定三包 (only those who answer for a case act on it), that a refused or invalid
 * action leaves nothing behind, and the time limits as 民法典 art. 203 counts them on the
 * seeded 2026 calendar (国务院办公厅 2026 holiday notice, 调休 included), with "today" pinned.
 *
 * Runs on SQLite in a temporary file, or on PostgreSQL when JIEFEN_TEST_BACKEND=pg and
 * JIEFEN_TEST_PG names a fresh database (tests/run.sh runs it once for each: the name holds
 * "store_"). The demo data (regions of 涪城区, its units, users and mediators) is loaded by
 * `jiefen demo` itself, so the test sees the organisations the product ships.
 */
#include "unit.h"

#include "case/case.h"
#include "cli/cli.h"
#include "core/region.h"
#include "core/timefmt.h"
#include "seal/seal.h"
#include "store/cases.h"
#include "store/migrate.h"
#include "store/orgs.h"
#include "store/partition.h"
#include "store/regions.h"
#include "store/people.h"
#include "store/users.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct fixture {
    struct store *st;
    struct store_conn *c;
    struct seal *seal;
    char dir[64], file[128], key[128];
    int64_t jzj_village; /* 警钟街社区 */
    int64_t jzj_committee, cx_center, cx_committee, jfj_committee;
    int64_t jzj_med, cx_med; /* mediator profiles of jzj_mediator, cx_mediator */
    int64_t expert_law, expert_psy;
};

static struct fixture fx;

/* A demo user acting: its principal and actor. */
struct who {
    struct store_principal p;
    struct store_actor a;
};

static int32_t day(const char *s)
{
    int32_t d = 0;
    assert_int_equal(timefmt_day_parse(s, &d), 0);
    return d;
}

static int64_t one_int(const char *sql, const char *arg)
{
    struct store_rows *r = NULL;
    int64_t v;

    assert_int_equal(store_exec(fx.c, sql, 1, (struct store_param[]){SP_TEXT(arg)}, &r), STORE_OK);
    assert_int_equal(r->nrows, 1);
    v = store_rows_int(r, 0, 0);
    store_rows_free(r);
    return v;
}

/* Rows of `table` that belong to case `id` (its column `col`). */
static int64_t rows_of(const char *table, const char *col, int64_t id)
{
    char sql[160];
    struct store_rows *r = NULL;
    int64_t n;

    snprintf(sql, sizeof sql, "SELECT COUNT(*) FROM %s WHERE %s = $1", table, col);
    assert_int_equal(store_exec(fx.c, sql, 1, (struct store_param[]){SP_INT(id)}, &r), STORE_OK);
    n = store_rows_int(r, 0, 0);
    store_rows_free(r);
    return n;
}

/* Everything an action may write about case `id`, as one tally to compare. */
struct trail {
    int64_t events, audits, routings, sessions, mediators;
    char state[16], level[16], due[16];
    int64_t sessions_at_level;
};

static void col_copy(const struct store_rows *r, const char *name, char *out, size_t n)
{
    const char *v = store_rows_get(r, 0, store_rows_col(r, name));
    snprintf(out, n, "%s", v ? v : "");
}

static void trail_of(int64_t id, struct trail *t)
{
    struct store_actor sys;
    struct store_rows *r = NULL;

    memset(t, 0, sizeof *t);
    store_actor_system(&sys);
    /* Every event and audit row, not only the case's: nothing may be written anywhere. */
    t->events = rows_of("case_events", "1", 1);
    t->audits = rows_of("audit_log", "1", 1);
    t->routings = rows_of("case_routings", "case_id", id);
    t->sessions = rows_of("case_sessions", "case_id", id);
    t->mediators = rows_of("case_mediators", "case_id", id);
    assert_int_equal(store_case_get(fx.c, &sys, id, &r), STORE_OK);
    col_copy(r, "state", t->state, sizeof t->state);
    col_copy(r, "level", t->level, sizeof t->level);
    col_copy(r, "due_date", t->due, sizeof t->due);
    t->sessions_at_level = store_rows_int(r, 0, store_rows_col(r, "sessions_at_level"));
    store_rows_free(r);
}

static void assert_same_trail(const struct trail *a, const struct trail *b)
{
    assert_int_equal(a->events, b->events);
    assert_int_equal(a->audits, b->audits);
    assert_int_equal(a->routings, b->routings);
    assert_int_equal(a->sessions, b->sessions);
    assert_int_equal(a->mediators, b->mediators);
    assert_string_equal(a->state, b->state);
    assert_string_equal(a->level, b->level);
    assert_string_equal(a->due, b->due);
    assert_int_equal(a->sessions_at_level, b->sessions_at_level);
}

/* Column `name` of case `id` (as the store returns it; "" for NULL). */
static const char *case_col_of(int64_t id, const char *name, char *out, size_t n)
{
    struct store_actor sys;
    struct store_rows *r = NULL;

    store_actor_system(&sys);
    assert_int_equal(store_case_get(fx.c, &sys, id, &r), STORE_OK);
    col_copy(r, name, out, n);
    store_rows_free(r);
    return out;
}

static int64_t case_int_of(int64_t id, const char *name)
{
    char v[64];
    return strtoll(case_col_of(id, name, v, sizeof v), NULL, 10);
}

static void login_as(const char *login, struct who *w)
{
    struct store_user_auth ua = {0};

    assert_int_equal(store_user_auth_get(fx.c, login, &ua), STORE_OK);
    assert_int_equal(store_principal_get(fx.c, ua.id, &w->p), STORE_OK);
    store_actor_from(&w->a, &w->p, "127.0.0.1");
}

/* Does `login` answer for case `id` personally (its mediator or responsible person)? */
static int holds(int64_t id, const char *login)
{
    struct store_user_auth ua = {0};
    int h = -1;

    assert_int_equal(store_user_auth_get(fx.c, login, &ua), STORE_OK);
    assert_int_equal(store_case_holds(fx.c, id, ua.id, &h), STORE_OK);
    return h;
}

static struct case_env env_of(const struct who *w, const char *today)
{
    struct case_env env = {fx.c, &w->a, &w->p, fx.seal, NULL, day(today), NULL};
    return env;
}

/* Registers a dispute arising in 警钟街社区 as fc_clerk on `today`; returns its id. */
static int64_t reg(const char *today, const char *channel, const char *complexity, int urgent)
{
    struct who clerk;
    struct case_out out = {0};
    struct case_env env;
    json_t *req;
    case_err rc;

    login_as("fc_clerk", &clerk);
    env = env_of(&clerk, today);
    req = json_pack("{s:s, s:s, s:s, s:s, s:I, s:b, s:[{s:s, s:s, s:s}, {s:s, s:s}]}", "channel",
                    channel, "category", "neighbour", "complexity", complexity, "facts",
                    "相邻通道堆放杂物引发争吵", "region_id", (json_int_t)fx.jzj_village, "urgent",
                    urgent, "parties", "role", "applicant", "name", "陈玉兰", "phone",
                    "13912345678", "role", "respondent", "name", "周德明");
    assert_non_null(req);
    rc = case_register(&env, req, NULL, &out);
    if (rc != CASE_OK)
        fail_msg("register: %d %s %s", rc, out.errs.n ? out.errs.items[0].field : "",
                 store_conn_error(fx.c));
    json_decref(req);
    case_out_free(&out);
    return out.id;
}

/* Takes action `json` on case `id` as `login` on `today`; the caller frees out. */
static case_err act(const char *login, const char *today, int64_t id, const char *json,
                    struct case_out *out)
{
    struct who w;
    struct case_env env;
    json_error_t jerr;
    json_t *req = json_loads(json, 0, &jerr);
    case_err rc;

    if (!req)
        fail_msg("bad JSON in the test: %s: %s", json, jerr.text);
    login_as(login, &w);
    env = env_of(&w, today);
    memset(out, 0, sizeof *out);
    rc = case_act(&env, id, req, out);
    json_decref(req);
    return rc;
}

static void act_ok(const char *login, const char *today, int64_t id, const char *json)
{
    struct case_out out;
    case_err rc = act(login, today, id, json, &out);

    if (rc != CASE_OK)
        fail_msg("%s: %s → %d (refusal %s, error %s %s, store %s)", login, json, rc,
                 case_refusal_name(out.refusal), out.errs.n ? out.errs.items[0].field : "-",
                 out.errs.n ? out.errs.items[0].message : "", store_conn_error(fx.c));
    case_out_free(&out);
}

/* Refused, with this reason, and nothing of it written. */
static void act_refused(const char *login, const char *today, int64_t id, const char *json,
                        enum case_refusal why)
{
    struct trail before, after;
    struct case_out out;
    case_err rc;

    trail_of(id, &before);
    rc = act(login, today, id, json, &out);
    if (rc != CASE_REFUSED || out.refusal != why)
        fail_msg("%s: %s → %d %s, expected refusal %s", login, json, rc,
                 case_refusal_name(out.refusal), case_refusal_name(why));
    assert_true(json_is_array(out.allowed));
    case_out_free(&out);
    trail_of(id, &after);
    assert_same_trail(&before, &after);
}

/* Invalid, naming `field`, and nothing of it written. */
static void act_invalid(const char *login, const char *today, int64_t id, const char *json,
                        const char *field)
{
    struct trail before, after;
    struct case_out out;
    case_err rc;

    trail_of(id, &before);
    rc = act(login, today, id, json, &out);
    if (rc != CASE_INVALID || !verr_has(&out.errs, field))
        fail_msg("%s: %s → %d (first error %s), expected an error on %s", login, json, rc,
                 out.errs.n ? out.errs.items[0].field : "-", field);
    case_out_free(&out);
    trail_of(id, &after);
    assert_same_trail(&before, &after);
}

static char assign_json[256];

/* The ordinary start: accepted by fc_dispatcher, assigned to jzj_mediator's committee. */
static int64_t assigned_case(const char *today, const char *channel, int urgent)
{
    int64_t id = reg(today, channel, "simple", urgent);

    act_ok("fc_dispatcher", today, id, "{\"action\": \"accept\"}");
    snprintf(assign_json, sizeof assign_json,
             "{\"action\": \"assign\", \"resp_org_id\": %lld, \"mediator_ids\": [%lld]}",
             (long long)fx.jzj_committee, (long long)fx.jzj_med);
    act_ok("fc_dispatcher", today, id, assign_json);
    return id;
}

#define SESSION                                                                                    \
    "{\"action\": \"record_session\", \"held_at\": \"2026-11-02 09:30\", \"record\": "             \
    "\"双方陈述意见\", \"place\": \"警钟街社区调解室\"}"

static int setup(void **state)
{
    const char *backend = getenv("JIEFEN_TEST_BACKEND");
    int pg = backend && strcmp(backend, "pg") == 0;
    const char *conninfo = getenv("JIEFEN_TEST_PG");
    char err[512];
    int applied, version;

    memset(&fx, 0, sizeof fx);
    snprintf(fx.dir, sizeof fx.dir, "/tmp/jiefen-case-XXXXXX");
    if (!mkdtemp(fx.dir))
        return -1;
    snprintf(fx.file, sizeof fx.file, "%s/t.db", fx.dir);
    snprintf(fx.key, sizeof fx.key, "%s/t.key", fx.dir);
    if (pg && !conninfo) {
        fprintf(stderr, "JIEFEN_TEST_PG is not set\n");
        return -1;
    }
    /* The demo loader as the product runs it: migrations, regions, units, users. */
    {
        char *argv[] = {"demo", pg ? "--pg" : "--db", pg ? (char *)conninfo : fx.file, NULL};
        if (cmd_demo(3, argv) != 0)
            return -1;
    }
    fx.st = store_open(pg ? STORE_PG : STORE_SQLITE, pg ? conninfo : fx.file, err, sizeof err);
    if (!fx.st) {
        fprintf(stderr, "store_open: %s\n", err);
        return -1;
    }
    fx.c = store_conn_get(fx.st, err, sizeof err);
    if (!fx.c || store_migrate(fx.c, &applied, &version) != STORE_OK)
        return -1;
    if (seal_open(&fx.seal, fx.key, 1, err, sizeof err) != 0) {
        fprintf(stderr, "seal_open: %s\n", err);
        return -1;
    }
    fx.jzj_village = one_int("SELECT id FROM regions WHERE code = $1", "510703001003");
    fx.jzj_committee =
        one_int("SELECT id FROM organizations WHERE name = $1", "警钟街社区人民调解委员会");
    fx.jfj_committee =
        one_int("SELECT id FROM organizations WHERE name = $1", "解放街社区人民调解委员会");
    fx.cx_center =
        one_int("SELECT id FROM organizations WHERE name = $1", "城厢街道社会矛盾纠纷调处化解中心");
    fx.cx_committee =
        one_int("SELECT id FROM organizations WHERE name = $1", "城厢街道人民调解委员会");
    fx.jzj_med = one_int("SELECT m.id FROM mediators m JOIN users u ON u.id = m.user_id"
                         " WHERE u.login = $1",
                         "jzj_mediator");
    fx.cx_med = one_int("SELECT m.id FROM mediators m JOIN users u ON u.id = m.user_id"
                        " WHERE u.login = $1",
                        "cx_mediator");
    fx.expert_law = one_int("SELECT id FROM experts WHERE name = $1", "周文律");
    fx.expert_psy = one_int("SELECT id FROM experts WHERE name = $1", "郑心安");
    return 0;
}

static int teardown(void **state)
{
    char path[192];

    seal_close(fx.seal);
    store_close(fx.st);
    const char *files[] = {fx.file, fx.key};
    for (int i = 0; i < 2; i++) {
        unlink(files[i]);
        snprintf(path, sizeof path, "%s-wal", files[i]);
        unlink(path);
        snprintf(path, sizeof path, "%s-shm", files[i]);
        unlink(path);
    }
    rmdir(fx.dir);
    return 0;
}

/* ---- hand-over on escalation (上报) ---- */

/* The search index merged by the scheduler's daily pass (store_search_optimize): fewer
 * pages, every row found as before. SQLite only; PostgreSQL's GIN has nothing to do. */
static void the_search_index_merges_into_one_segment(void **state)
{
    char sql[200];

    (void)state;
    if (store_conn_kind(fx.c) != STORE_SQLITE) {
        assert_int_equal(store_search_optimize(fx.c), STORE_OK);
        return;
    }
    /* Nine rows, each committed on its own: nine small segments, as nine intakes leave. */
    for (int i = 0; i < 9; i++) {
        snprintf(sql, sizeof sql,
                 "INSERT INTO case_search (rowid, terms, scope) VALUES (%d, '合并 并测 测试', "
                 "'r510703000000')",
                 900000 + i);
        assert_int_equal(store_script(fx.c, sql), STORE_OK);
    }
    int64_t found = one_int("SELECT count(*) FROM case_search WHERE case_search MATCH $1",
                            "terms : (合并 AND 测试)");
    int64_t pages = one_int("SELECT count(*) FROM case_search_data WHERE $1 IS NOT NULL", "x");
    assert_int_equal(found, 9);
    assert_int_equal(store_search_optimize(fx.c), STORE_OK);
    assert_int_equal(one_int("SELECT count(*) FROM case_search WHERE case_search MATCH $1",
                             "terms : (合并 AND 测试)"),
                     found);
    assert_true(one_int("SELECT count(*) FROM case_search_data WHERE $1 IS NOT NULL", "x") < pages);
    assert_int_equal(store_script(fx.c, "DELETE FROM case_search WHERE rowid >= 900000"), STORE_OK);
}

static void escalation_hands_the_case_to_the_township_centre(void **state)
{
    const char *today = "2026-11-02";
    int64_t id = assigned_case(today, "walk_in", 0);
    struct store_rows *r = NULL, *ev = NULL;
    char v[256];

    assert_string_equal(case_col_of(id, "level", v, sizeof v), "village");
    assert_int_equal(rows_of("case_mediators", "case_id", id), 1);
    assert_int_equal(rows_of("case_routings", "case_id", id), 1);
    for (int n = 1; n <= 3; n++)
        act_ok("jzj_mediator", today, id, SESSION);
    assert_int_equal(case_int_of(id, "sessions_at_level"), 3);

    act_ok("jzj_mediator", today, id,
           "{\"action\": \"escalate\", \"reason\": \"村级三次调解未果\"}");
    assert_string_equal(case_col_of(id, "state", v, sizeof v), "accepted");
    assert_string_equal(case_col_of(id, "level", v, sizeof v), "township");
    assert_int_equal(case_int_of(id, "resp_org_id"), fx.cx_center);
    assert_string_equal(case_col_of(id, "mediator_ids", v, sizeof v), "[]");
    assert_string_equal(case_col_of(id, "resp_user_id", v, sizeof v), "");
    assert_int_equal(case_int_of(id, "sessions_at_level"), 0);
    assert_int_equal(rows_of("case_mediators", "case_id", id), 0);
    /* The unit that took it is recorded beside the first decision, with the reason. */
    assert_int_equal(store_case_routings(fx.c, id, &r), STORE_OK);
    assert_int_equal(r->nrows, 2);
    assert_string_equal(store_rows_get(r, 0, store_rows_col(r, "action")), "accept");
    assert_string_equal(store_rows_get(r, 0, store_rows_col(r, "level")), "village");
    assert_string_equal(store_rows_get(r, 1, store_rows_col(r, "action")), "escalate");
    assert_string_equal(store_rows_get(r, 1, store_rows_col(r, "level")), "township");
    assert_int_equal(store_rows_int(r, 1, store_rows_col(r, "resp_org_id")), fx.cx_center);
    assert_string_equal(store_rows_get(r, 1, store_rows_col(r, "resp_org_name")),
                        "城厢街道社会矛盾纠纷调处化解中心");
    assert_string_equal(store_rows_get(r, 1, store_rows_col(r, "reason")), "村级三次调解未果");
    store_rows_free(r);
    /* Who was released stays on the timeline. */
    assert_int_equal(store_case_events(fx.c, id, 0, &ev), STORE_OK);
    {
        json_t *data = json_loads(store_rows_get(ev, ev->nrows - 1, 7), 0, NULL);
        json_t *released = json_object_get(data, "released_mediators");
        assert_string_equal(store_rows_get(ev, ev->nrows - 1, 4), "escalate");
        assert_int_equal(json_array_size(released), 1);
        assert_int_equal(json_integer_value(json_array_get(released, 0)), fx.jzj_med);
        assert_int_equal(json_integer_value(json_object_get(data, "resp_org_id")), fx.cx_center);
        json_decref(data);
    }
    store_rows_free(ev);

    /* The released mediator no longer answers for it; the township's mediator does once
     * assigned. */
    assert_false(holds(id, "jzj_mediator"));
    snprintf(v, sizeof v,
             "{\"action\": \"assign\", \"resp_org_id\": %lld, \"mediator_ids\": [%lld]}",
             (long long)fx.cx_committee, (long long)fx.cx_med);
    act_ok("fc_dispatcher", today, id, v);
    act_refused("jzj_mediator", today, id, SESSION, CR_NOT_HOLDER);
    act_ok("cx_mediator", today, id, SESSION);
    assert_int_equal(case_int_of(id, "sessions_at_level"), 1);
    assert_string_equal(case_col_of(id, "state", v, sizeof v), "mediating");
    /* 三三制 counts again at the township: two sessions are not enough. */
    act_ok("cx_mediator", today, id, SESSION);
    act_refused("cx_mediator", today, id, "{\"action\": \"escalate\", \"reason\": \"再上报\"}",
                CR_TOO_FEW_SESSIONS);
}

static void an_urgent_case_escalates_before_three_sessions(void **state)
{
    const char *today = "2026-11-02";
    int64_t plain = assigned_case(today, "walk_in", 0), urgent = assigned_case(today, "walk_in", 1);
    char v[32];

    act_ok("jzj_mediator", today, plain, SESSION);
    act_ok("jzj_mediator", today, urgent, SESSION);
    act_refused("jzj_mediator", today, plain, "{\"action\": \"escalate\", \"reason\": \"紧急\"}",
                CR_TOO_FEW_SESSIONS);
    act_ok("jzj_mediator", today, urgent, "{\"action\": \"escalate\", \"reason\": \"紧急\"}");
    assert_string_equal(case_col_of(urgent, "level", v, sizeof v), "township");
    assert_int_equal(case_int_of(urgent, "resp_org_id"), fx.cx_center);
}

/* A township with no centre and no committee, a village under it with its committee and a
 * mediator without a login; returns the village, *committee and *mediator. */
static int64_t township_without_a_unit(int64_t *committee, int64_t *mediator)
{
    struct store_actor sys;
    struct store_region_in town = {
        .code = "510703950000", .name = "无中心镇", .level = REGION_TOWNSHIP, .population = 100};
    struct store_region_in village = {
        .code = "510703950001", .name = "无中心镇一村", .level = REGION_VILLAGE, .population = 100};
    struct store_org_in org = {.name = "无中心镇一村人民调解委员会", .type = "mediation_committee"};
    struct store_mediator_in med = {
        .name = "钱调解", .mediator_type = "part_time", .grade = "junior", .norgs = 1};
    int64_t town_id = 0, village_id = 0;

    store_actor_system(&sys);
    town.parent_id = one_int("SELECT id FROM regions WHERE code = $1", "510703000000");
    assert_int_equal(store_region_create(fx.c, &sys, &town, &town_id), STORE_OK);
    village.parent_id = town_id;
    assert_int_equal(store_region_create(fx.c, &sys, &village, &village_id), STORE_OK);
    org.region_id = village_id;
    assert_int_equal(store_org_create(fx.c, &sys, &org, committee), STORE_OK);
    med.org_ids[0] = *committee;
    assert_int_equal(store_mediator_create(fx.c, &sys, &med, mediator), STORE_OK);
    return village_id;
}

static void escalation_to_a_township_without_a_unit_leaves_no_unit_holding_it(void **state)
{
    const char *today = "2026-11-02";
    int64_t committee = 0, mediator = 0, village = township_without_a_unit(&committee, &mediator);
    struct who clerk;
    struct case_env env;
    struct case_out out = {0};
    struct store_rows *r = NULL;
    struct store_user_auth disp = {0};
    char body[256], v[32];
    json_t *req;

    login_as("fc_clerk", &clerk);
    env = env_of(&clerk, today);
    req = json_pack("{s:s, s:s, s:s, s:s, s:I, s:b, s:[{s:s, s:s}]}", "channel", "walk_in",
                    "category", "neighbour", "complexity", "simple", "facts", "宅基地边界争议",
                    "region_id", (json_int_t)village, "urgent", 1, "parties", "role", "applicant",
                    "name", "孙某");
    assert_int_equal(case_register(&env, req, NULL, &out), CASE_OK);
    json_decref(req);
    case_out_free(&out);
    act_ok("fc_dispatcher", today, out.id, "{\"action\": \"accept\"}");
    /* The dispatcher makes himself the responsible person, so that he holds it. */
    assert_int_equal(store_user_auth_get(fx.c, "fc_dispatcher", &disp), STORE_OK);
    snprintf(body, sizeof body,
             "{\"action\": \"assign\", \"resp_org_id\": %lld, \"mediator_ids\": [%lld],"
             " \"resp_user_id\": %lld}",
             (long long)committee, (long long)mediator, (long long)disp.id);
    act_ok("fc_dispatcher", today, out.id, body);
    assert_int_equal(case_int_of(out.id, "resp_org_id"), committee);
    act_ok("fc_dispatcher", today, out.id, "{\"action\": \"escalate\", \"reason\": \"紧急\"}");
    assert_string_equal(case_col_of(out.id, "level", v, sizeof v), "township");
    /* The village committee let it go; no unit at the township takes it. */
    assert_string_equal(case_col_of(out.id, "resp_org_id", v, sizeof v), "");
    assert_string_equal(case_col_of(out.id, "resp_user_id", v, sizeof v), "");
    assert_int_equal(store_case_routings(fx.c, out.id, &r), STORE_OK);
    assert_int_equal(r->nrows, 2);
    assert_null(store_rows_get(r, 1, store_rows_col(r, "resp_org_id")));
    store_rows_free(r);
}

/* ---- nothing of a refused or invalid action stays ---- */

static void refused_and_invalid_actions_leave_nothing(void **state)
{
    const char *today = "2026-11-02";
    int64_t id = assigned_case(today, "walk_in", 0);
    struct case_out out;

    act_ok("jzj_mediator", today, id, SESSION);
    /* Refused by the state machine: wrong state, wrong role, too few sessions. */
    act_refused("jzj_mediator", today, id, "{\"action\": \"close\"}", CR_WRONG_STATE);
    act_refused("fc_clerk", today, id, SESSION, CR_ROLE);
    act_refused("jzj_mediator", today, id, "{\"action\": \"escalate\", \"reason\": \"分歧大\"}",
                CR_TOO_FEW_SESSIONS);
    /* Invalid: a missing reason, an unknown field, a bad reference, no action at all. */
    act_ok("jzj_mediator", today, id, SESSION);
    act_ok("jzj_mediator", today, id, SESSION);
    act_invalid("jzj_mediator", today, id, "{\"action\": \"escalate\"}", "reason");
    act_invalid("jzj_mediator", today, id, "{\"action\": \"escalate\", \"reason\": \"\"}",
                "reason");
    act_invalid("jzj_mediator", today, id,
                "{\"action\": \"escalate\", \"reason\": \"x\", \"priority\": 1}", "priority");
    act_invalid("jzj_mediator", today, id,
                "{\"action\": \"invite_experts\", \"expert_ids\": [987654]}", "expert_ids");
    act_invalid("jzj_mediator", today, id, "{\"reason\": \"x\"}", "action");
    /* The same escalation with its reason goes through after all that. */
    assert_int_equal(act("jzj_mediator", today, id,
                         "{\"action\": \"escalate\", \"reason\": \"三次未果\"}", &out),
                     CASE_OK);
    case_out_free(&out);
}

/* A refusal inside a caller's transaction dooms it (the store's nesting): nothing of what
 * the caller did before stays either. */
static void a_refusal_inside_a_transaction_rolls_the_whole_of_it_back(void **state)
{
    const char *today = "2026-11-02";
    int64_t id = assigned_case(today, "walk_in", 0);
    struct trail before, after;
    struct case_out out;

    trail_of(id, &before);
    assert_int_equal(store_begin(fx.c, 1), STORE_OK);
    assert_int_equal(act("jzj_mediator", today, id, SESSION, &out), CASE_OK);
    case_out_free(&out);
    assert_int_equal(act("fc_clerk", today, id, SESSION, &out), CASE_REFUSED);
    case_out_free(&out);
    assert_int_not_equal(store_end(fx.c, STORE_OK), STORE_OK);
    assert_false(store_in_transaction(fx.c));
    trail_of(id, &after);
    assert_same_trail(&before, &after);
}

/* ---- 四定三包 ---- */

static void only_those_who_answer_for_a_case_act_on_it(void **state)
{
    const char *today = "2026-11-02";
    int64_t id = assigned_case(today, "walk_in", 0);
    struct case_out out;

    /* cx_mediator sees the case (his township is above the village) but is not on it. */
    act_refused("cx_mediator", today, id, SESSION, CR_NOT_HOLDER);
    act_refused("cx_mediator", today, id, "{\"action\": \"suspend\", \"reason\": \"x\"}",
                CR_NOT_HOLDER);
    /* A county supervisor reads it but does not hold it either. */
    act_refused("fc_supervisor", today, id,
                "{\"action\": \"change_method\", \"method\": \"administrative_mediation\","
                " \"reason\": \"x\"}",
                CR_NOT_HOLDER);
    /* The allowed actions of a non-holder leave out what needs holding. */
    assert_int_equal(act("cx_mediator", today, id, SESSION, &out), CASE_REFUSED);
    for (size_t i = 0; i < json_array_size(out.allowed); i++)
        assert_string_not_equal(json_string_value(json_array_get(out.allowed, i)),
                                "record_session");
    case_out_free(&out);
    /* jfj_mediator's village is beside, not above: the case is not even found. */
    assert_int_equal(act("jfj_mediator", today, id, SESSION, &out), CASE_STORE);
    assert_int_equal(out.store, STORE_NOT_FOUND);
    case_out_free(&out);
    act_ok("jzj_mediator", today, id, SESSION);
}

/* ---- re-routing (改派) ---- */

static void reroute_keeps_both_decisions_and_releases_the_handlers(void **state)
{
    const char *today = "2026-11-02";
    int64_t id = assigned_case(today, "walk_in", 0);
    struct store_rows *r = NULL;
    char body[256], v[64];

    assert_true(holds(id, "jzj_mediator"));
    act_invalid("fc_dispatcher", today, id, "{\"action\": \"reroute\"}", "reason");
    snprintf(body, sizeof body,
             "{\"action\": \"reroute\", \"reason\": \"当事人住所在解放街\", \"resp_org_id\": %lld}",
             (long long)fx.jfj_committee);
    act_ok("fc_dispatcher", today, id, body);
    assert_string_equal(case_col_of(id, "state", v, sizeof v), "accepted");
    assert_int_equal(case_int_of(id, "resp_org_id"), fx.jfj_committee);
    assert_string_equal(case_col_of(id, "mediator_ids", v, sizeof v), "[]");
    assert_int_equal(rows_of("case_mediators", "case_id", id), 0);
    assert_int_equal(store_case_routings(fx.c, id, &r), STORE_OK);
    assert_int_equal(r->nrows, 2);
    assert_string_equal(store_rows_get(r, 0, store_rows_col(r, "action")), "accept");
    assert_null(store_rows_get(r, 0, store_rows_col(r, "reason")));
    assert_string_equal(store_rows_get(r, 1, store_rows_col(r, "action")), "reroute");
    assert_string_equal(store_rows_get(r, 1, store_rows_col(r, "reason")), "当事人住所在解放街");
    assert_int_equal(store_rows_int(r, 1, store_rows_col(r, "resp_org_id")), fx.jfj_committee);
    /* Each decision keeps its own explanation. */
    assert_non_null(strstr(store_rows_get(r, 0, store_rows_col(r, "explanation")), "candidates"));
    assert_non_null(strstr(store_rows_get(r, 1, store_rows_col(r, "explanation")), "candidates"));
    store_rows_free(r);
    /* The former mediator lets it go. */
    assert_false(holds(id, "jzj_mediator"));
    /* Re-routed without naming a unit: the one that had it lets it go all the same. */
    act_ok("fc_dispatcher", today, id, "{\"action\": \"reroute\", \"reason\": \"重新研判\"}");
    assert_string_equal(case_col_of(id, "resp_org_id", v, sizeof v), "");
    assert_int_equal(rows_of("case_routings", "case_id", id), 3);
    /* A unit out of the dispatcher's sight, or not a unit at all, is named as the error. */
    act_invalid("fc_dispatcher", today, id,
                "{\"action\": \"reroute\", \"reason\": \"x\", \"resp_org_id\": 987654}",
                "resp_org_id");
    act_invalid("fc_dispatcher", today, id,
                "{\"action\": \"reroute\", \"reason\": \"x\", \"resp_org_id\": \"jfj\"}",
                "resp_org_id");
}

/* ---- referral after a failed mediation (诉调对接) ---- */

static void a_failed_case_is_referred_to_a_court_with_feedback_due(void **state)
{
    /* Thursday 24 September 2026: 15 working days skip 中秋 (25-27 Sep) and 国庆 (1-7 Oct) and
     * count the 调休 Saturday 10 October: 28, 29, 30 Sep, 8, 9, 10, 12-16, 19-22 Oct. */
    const char *today = "2026-09-24";
    int64_t id = assigned_case(today, "walk_in", 0);
    struct store_rows *ev = NULL;
    char v[64];

    act_ok("jzj_mediator", today, id, SESSION);
    act_ok("jzj_mediator", today, id,
           "{\"action\": \"fail\", \"reason\": \"双方差距大\", \"guidance\": \"litigation\"}");
    act_refused("fc_supervisor", today, id, "{\"action\": \"close\"}", CR_NOT_REVIEWED);
    act_ok("fc_supervisor", today, id,
           "{\"action\": \"review_failure\", \"opinion\": \"同意终结\"}");
    act_invalid("fc_supervisor", today, id,
                "{\"action\": \"refer\", \"to_body\": \"涪城区人民法院\", \"sent\": \"卷宗\","
                " \"to_kind\": \"tribunal\"}",
                "to_kind");
    act_ok("fc_supervisor", today, id,
           "{\"action\": \"refer\", \"to_body\": \"涪城区人民法院\", \"sent\": \"卷宗及调解记录\","
           " \"to_kind\": \"court\"}");
    assert_string_equal(case_col_of(id, "state", v, sizeof v), "referred");
    assert_string_equal(case_col_of(id, "due_date", v, sizeof v), "2026-10-22");
    assert_int_equal(store_case_events(fx.c, id, 0, &ev), STORE_OK);
    {
        json_t *data = json_loads(store_rows_get(ev, ev->nrows - 1, 7), 0, NULL);
        assert_string_equal(json_string_value(json_object_get(data, "to_kind")), "court");
        assert_string_equal(json_string_value(json_object_get(data, "feedback_due")), "2026-10-22");
        json_decref(data);
    }
    store_rows_free(ev);
    act_refused("fc_supervisor", today, id, "{\"action\": \"close\"}", CR_NO_FEEDBACK);
    act_ok("fc_supervisor", today, id, "{\"action\": \"feedback\", \"feedback\": \"法院已立案\"}");
    act_ok("fc_supervisor", today, id, "{\"action\": \"close\", \"summary\": \"移交法院\"}");
    assert_string_equal(case_col_of(id, "state", v, sizeof v), "closed");
}

/* ---- experts (专家库) ---- */

/* An expert registered in 解放街社区, beside 警钟街社区. */
static int64_t neighbour_expert(void)
{
    struct store_actor sys;
    struct store_expert_in in = {.name = "邻村专家", .specialty = "law"};
    int64_t id = 0;

    store_actor_system(&sys);
    in.region_id = one_int("SELECT id FROM regions WHERE code = $1", "510703001008");
    assert_int_equal(store_expert_create(fx.c, &sys, &in, &id), STORE_OK);
    return id;
}

/* The county's library serves the village: jzj_mediator, who holds the case, invites two
 * of the demo's county experts though they lie outside his own scope. */
static void invited_experts_are_written_and_released_on_hand_over(void **state)
{
    const char *today = "2026-11-02";
    int64_t id = assigned_case(today, "walk_in", 1);
    char body[160], v[64], want[64];

    snprintf(body, sizeof body, "{\"action\": \"invite_experts\", \"expert_ids\": [%lld, %lld]}",
             (long long)fx.expert_law, (long long)fx.expert_psy);
    act_refused("cx_mediator", today, id, body, CR_NOT_HOLDER);
    act_ok("jzj_mediator", today, id, body);
    snprintf(want, sizeof want, "[%lld,%lld]", (long long)fx.expert_law, (long long)fx.expert_psy);
    assert_string_equal(case_col_of(id, "expert_ids", v, sizeof v), want);
    assert_string_equal(case_col_of(id, "state", v, sizeof v), "assigned");
    /* An expert of the neighbouring village serves no place above this case. */
    snprintf(body, sizeof body, "{\"action\": \"invite_experts\", \"expert_ids\": [%lld]}",
             (long long)neighbour_expert());
    act_invalid("jzj_mediator", today, id, body, "expert_ids");
    act_invalid("jzj_mediator", today, id, "{\"action\": \"invite_experts\"}", "expert_ids");
    act_invalid("jzj_mediator", today, id, "{\"action\": \"invite_experts\", \"expert_ids\": []}",
                "expert_ids");
    act_ok("jzj_mediator", today, id, "{\"action\": \"escalate\", \"reason\": \"紧急\"}");
    assert_string_equal(case_col_of(id, "expert_ids", v, sizeof v), "[]");
}

/* ---- time limits: 民法典 art. 203 on the 2026 calendar ---- */

/* The due date of a case of `channel` accepted on `today`. */
static const char *accepted_due(const char *channel, const char *today, char *out, size_t n)
{
    int64_t id = reg(today, channel, "simple", 0);

    act_ok("fc_dispatcher", today, id, "{\"action\": \"accept\"}");
    return case_col_of(id, "due_date", out, n);
}

static void a_court_delegated_limit_ending_on_a_rest_day_ends_on_the_next_working_day(void **s)
{
    char v[16];

    /* +30 = Thursday 1 October, 国庆: the holidays run to the 7th. */
    assert_string_equal(accepted_due("court_delegation", "2026-09-01", v, sizeof v), "2026-10-08");
    /* +30 = Saturday 5 December: Monday the 7th. */
    assert_string_equal(accepted_due("court_delegation", "2026-11-05", v, sizeof v), "2026-12-07");
    /* +30 = Saturday 10 October, worked under 调休: it ends that day. */
    assert_string_equal(accepted_due("court_delegation", "2026-09-10", v, sizeof v), "2026-10-10");
    /* +30 = Friday 9 October, an ordinary working day. */
    assert_string_equal(accepted_due("court_delegation", "2026-09-09", v, sizeof v), "2026-10-09");
    /* A petition-related matter has 60 days: 2 August + 60 = 1 October → 8 October. */
    assert_string_equal(accepted_due("petition_transfer", "2026-08-02", v, sizeof v), "2026-10-08");
}

static void an_extension_ending_on_a_holiday_moves_to_the_next_working_day(void **state)
{
    const char *today = "2026-08-02";
    int64_t id = reg(today, "court_delegation", "simple", 0);
    char v[16];

    act_ok("fc_dispatcher", today, id, "{\"action\": \"accept\"}");
    assert_string_equal(case_col_of(id, "due_date", v, sizeof v), "2026-09-01");
    act_invalid("fc_dispatcher", "2026-08-20", id,
                "{\"action\": \"extend\", \"reason\": \"需补充鉴定\"}", "consent");
    act_ok("fc_dispatcher", "2026-08-20", id,
           "{\"action\": \"extend\", \"reason\": \"需补充鉴定\", \"consent\": \"法院同意延期\"}");
    /* 1 September + 30 = 1 October. */
    assert_string_equal(case_col_of(id, "due_date", v, sizeof v), "2026-10-08");
    act_refused("fc_dispatcher", "2026-08-21", id,
                "{\"action\": \"extend\", \"reason\": \"再延\", \"consent\": \"同意\"}",
                CR_ALREADY_EXTENDED);
}

/* The suspension is read from its timeline event, dated by the clock: put it on `on`. */
static void date_last_suspension(int64_t id, const char *on)
{
    int64_t at = (int64_t)day(on) * 86400000LL + 4LL * 3600 * 1000; /* 12:00 in Beijing */

    assert_int_equal(store_exec(fx.c,
                                "UPDATE case_events SET at = $2 WHERE case_id = $1"
                                " AND action = 'suspend'",
                                2, (struct store_param[]){SP_INT(id), SP_INT(at)}, NULL),
                     STORE_OK);
}

static void a_resumed_case_moves_by_the_days_paused_then_to_a_working_day(void **state)
{
    int64_t id = reg("2026-08-02", "court_delegation", "simple", 0);
    struct store_rows *ev = NULL;
    char v[16];

    act_ok("fc_dispatcher", "2026-08-02", id, "{\"action\": \"accept\"}");
    snprintf(assign_json, sizeof assign_json,
             "{\"action\": \"assign\", \"resp_org_id\": %lld, \"mediator_ids\": [%lld]}",
             (long long)fx.jzj_committee, (long long)fx.jzj_med);
    act_ok("fc_dispatcher", "2026-08-02", id, assign_json);
    act_ok("jzj_mediator", "2026-08-20", id, "{\"action\": \"suspend\", \"reason\": \"等待鉴定\"}");
    date_last_suspension(id, "2026-08-20");
    /* Thirty days paused: 1 September + 30 = 1 October, a holiday → 8 October. */
    act_ok("jzj_mediator", "2026-09-19", id, "{\"action\": \"resume\"}");
    assert_string_equal(case_col_of(id, "due_date", v, sizeof v), "2026-10-08");
    assert_string_equal(case_col_of(id, "state", v, sizeof v), "assigned");
    assert_int_equal(store_case_events(fx.c, id, 0, &ev), STORE_OK);
    {
        json_t *data = json_loads(store_rows_get(ev, ev->nrows - 1, 7), 0, NULL);
        /* The days the clock stood still, not the rest days the law adds after them. */
        assert_int_equal(json_integer_value(json_object_get(data, "paused_days")), 30);
        assert_string_equal(json_string_value(json_object_get(data, "due_date")), "2026-10-08");
        json_decref(data);
    }
    store_rows_free(ev);
}

/* The due date a referral made on `today` ends on, given feedback_due `given` or NULL. */
static const char *referral_due(const char *today, const char *given, char *out, size_t n)
{
    int64_t id = reg(today, "walk_in", "simple", 0);
    char body[256];

    snprintf(body, sizeof body,
             "{\"action\": \"refer\", \"to_body\": \"城厢派出所\", \"sent\": \"材料\"%s%s%s}",
             given ? ", \"feedback_due\": \"" : "", given ? given : "", given ? "\"" : "");
    act_ok("fc_dispatcher", today, id, body);
    return case_col_of(id, "due_date", out, n);
}

static void referral_feedback_due_ends_on_a_working_day(void **state)
{
    char v[16];

    /* Given as Sunday 13 December: Monday the 14th. */
    assert_string_equal(referral_due("2026-12-04", "2026-12-13", v, sizeof v), "2026-12-14");
    /* Given as 3 October, in 国庆: the 8th. */
    assert_string_equal(referral_due("2026-09-24", "2026-10-03", v, sizeof v), "2026-10-08");
    /* Given as Sunday 20 September, worked under 调休: it stays. */
    assert_string_equal(referral_due("2026-09-14", "2026-09-20", v, sizeof v), "2026-09-20");
    /* Given as a working day: unchanged. */
    assert_string_equal(referral_due("2026-12-04", "2026-12-15", v, sizeof v), "2026-12-15");
    /* Not given: 15 working days (referral_feedback_days) from Friday 4 December. */
    assert_string_equal(referral_due("2026-12-04", NULL, v, sizeof v), "2026-12-25");
}

static void an_escalated_case_gets_the_upper_levels_limit_from_the_day_it_arrives(void **state)
{
    /* Escalated on Tuesday 1 September: the township's rule (其他纠纷属地调解, 30 calendar
     * days) ends on 1 October, a holiday → 8 October. */
    const char *today = "2026-09-01";
    int64_t id = assigned_case(today, "walk_in", 1);
    char v[16];

    act_ok("jzj_mediator", today, id, "{\"action\": \"escalate\", \"reason\": \"紧急\"}");
    assert_string_equal(case_col_of(id, "level", v, sizeof v), "township");
    assert_string_equal(case_col_of(id, "due_date", v, sizeof v), "2026-10-08");
}

/* ---- year partitions (migration 33, store/partition.h) ---- */

/* The name of the partition holding case `id`'s row of `table` (PostgreSQL). */
static void partition_of(const char *table, const char *col, int64_t id, char *out, size_t n)
{
    char sql[160];
    struct store_rows *r = NULL;

    snprintf(sql, sizeof sql, "SELECT DISTINCT tableoid::regclass::text FROM %s WHERE %s = $1",
             table, col);
    assert_int_equal(store_exec(fx.c, sql, 1, (struct store_param[]){SP_INT(id)}, &r), STORE_OK);
    assert_int_equal(r->nrows, 1);
    snprintf(out, n, "%s", store_rows_get(r, 0, 0));
    store_rows_free(r);
}

static void a_case_id_carries_the_year_of_its_number(void **state)
{
    static const char *const days[] = {"2025-12-31", "2027-01-01"};

    (void)state;
    for (int i = 0; i < 2; i++) {
        int64_t id = reg(days[i], "walk_in", "simple", 0);
        char number[128], part[64], want[64], year[8];

        snprintf(year, sizeof year, "%.4s", days[i]);
        case_col_of(id, "number", number, sizeof number);
        /* The number's year is the case module's day's (intake.c): 〔2025〕 or 〔2027〕. */
        assert_non_null(strstr(number, year));
        if (store_conn_kind(fx.c) != STORE_PG) {
            assert_true(id < STORE_CASE_YEAR_ID); /* SQLite keeps its rowids */
            continue;
        }
        assert_int_equal(id / STORE_CASE_YEAR_ID, atoi(year));
        snprintf(want, sizeof want, "cases_y%s", year);
        partition_of("cases", "id", id, part, sizeof part);
        assert_string_equal(part, want);
        snprintf(want, sizeof want, "case_events_y%s", year);
        partition_of("case_events", "case_id", id, part, sizeof part);
        assert_string_equal(part, want);
        /* The number stays unique across partitions (case_numbers). */
        assert_int_equal(rows_of("case_numbers", "case_id", id), 1);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(escalation_hands_the_case_to_the_township_centre),
        cmocka_unit_test(an_urgent_case_escalates_before_three_sessions),
        cmocka_unit_test(escalation_to_a_township_without_a_unit_leaves_no_unit_holding_it),
        cmocka_unit_test(refused_and_invalid_actions_leave_nothing),
        cmocka_unit_test(a_refusal_inside_a_transaction_rolls_the_whole_of_it_back),
        cmocka_unit_test(only_those_who_answer_for_a_case_act_on_it),
        cmocka_unit_test(reroute_keeps_both_decisions_and_releases_the_handlers),
        cmocka_unit_test(a_failed_case_is_referred_to_a_court_with_feedback_due),
        cmocka_unit_test(invited_experts_are_written_and_released_on_hand_over),
        cmocka_unit_test(a_court_delegated_limit_ending_on_a_rest_day_ends_on_the_next_working_day),
        cmocka_unit_test(an_extension_ending_on_a_holiday_moves_to_the_next_working_day),
        cmocka_unit_test(a_resumed_case_moves_by_the_days_paused_then_to_a_working_day),
        cmocka_unit_test(referral_feedback_due_ends_on_a_working_day),
        cmocka_unit_test(an_escalated_case_gets_the_upper_levels_limit_from_the_day_it_arrives),
        cmocka_unit_test(a_case_id_carries_the_year_of_its_number),
        cmocka_unit_test(the_search_index_merges_into_one_segment),
    };
    const char *backend = getenv("JIEFEN_TEST_BACKEND");
    return cmocka_run_group_tests_name(
        backend && strcmp(backend, "pg") == 0 ? "case module/postgresql" : "case module/sqlite",
        tests, setup, teardown);
}

/* test_doc.c - the document template renderer, and every document template rendered for a
 * case with every optional field empty and for one with every field full. */
#include "unit.h"

#include "api/api.h"
#include "doc/doc.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *render(const char *tpl, const char *json)
{
    char err[128];
    json_t *ctx = json_loads(json, 0, NULL);
    char *out = doc_render(tpl, ctx, err, sizeof err);
    json_decref(ctx);
    return out;
}

static void values_are_escaped(void **state)
{
    char *out = render("<p>{{a.b}} {{n}} {{missing}}</p>", "{\"a\":{\"b\":\"<x & 'y'>\"},\"n\":3}");
    assert_string_equal(out, "<p>&lt;x &amp; &#39;y&#39;&gt; 3 </p>");
    free(out);
}

static void sections_repeat_and_invert(void **state)
{
    char *out = render("{{#list}}[{{name}}@{{top}}]{{/list}}{{^list}}none{{/list}}",
                       "{\"top\":\"T\",\"list\":[{\"name\":\"甲\"},{\"name\":\"乙\"}]}");
    assert_string_equal(out, "[甲@T][乙@T]");
    free(out);
    out = render("{{#list}}x{{/list}}{{^list}}none{{/list}}", "{\"list\":[]}");
    assert_string_equal(out, "none");
    free(out);
    out = render("{{#docs}}{{.}};{{/docs}}", "{\"docs\":[\"申请书\",\"身份证明\"]}");
    assert_string_equal(out, "申请书;身份证明;");
    free(out);
    out = render("{{#a}}{{#a}}in{{/a}}{{/a}}", "{\"a\":true}");
    assert_string_equal(out, "in");
    free(out);
}

static void broken_templates_are_reported(void **state)
{
    char err[128];
    json_t *ctx = json_object();
    assert_null(doc_render("{{#open}} never closed", ctx, err, sizeof err));
    assert_non_null(strstr(err, "open"));
    assert_null(doc_render("{{unclosed", ctx, err, sizeof err));
    json_decref(ctx);
}

/* ---- the documents ---- */

/* 2026-12-06 10:00 Beijing time. */
#define NOW_MS "1796522400000"

/* A case as registered with nothing optional: an online application not yet accepted (no
 * registering clerk, no responsible unit), one party with a name only, no court set. */
static const char *const bare_facts =
    "{\"case\":{\"id\":7,\"number\":\"(2026)涪调字第7号\",\"channel\":\"online\","
    "\"state\":\"submitted\",\"category\":\"neighbour\",\"complexity\":\"simple\","
    "\"facts\":\"邻里排水纠纷\",\"claims\":null,\"cause\":\"\",\"region_id\":9,"
    "\"region_name\":\"警钟街社区\",\"occurred_on\":null,\"people\":null,\"amount\":null,"
    "\"forecast\":null,\"level\":null,\"method\":null,\"routing\":null,\"time_limit_days\":null,"
    "\"due_date\":null,\"resp_org_name\":null,\"clerk_id\":null,"
    "\"received_at\":\"2026-11-30T17:05:00.000Z\"},"
    "\"parties\":[{\"role\":\"applicant\",\"kind\":\"person\",\"name\":\"张三\",\"agent\":null}],"
    "\"sessions\":[],\"instalments\":[],\"agreement\":null,\"failure\":null,\"visit\":null,"
    "\"notices\":null,\"court\":\"\",\"now_ms\":" NOW_MS "}";

/* The same with only what each outcome requires: an agreement's terms, a failure's reason
 * and guidance, a visit's visitor, method and satisfaction, a session's time and record. */
static const char *const minimal_outcome_facts =
    "{\"case\":{\"id\":8,\"number\":\"(2026)涪调字第8号\",\"channel\":\"walk_in\","
    "\"state\":\"failed\",\"category\":\"labour\",\"complexity\":\"simple\","
    "\"facts\":\"欠薪\",\"region_id\":9,\"region_name\":\"警钟街社区\","
    "\"received_at\":\"2026-11-30T01:05:00.000Z\"},"
    "\"parties\":[{\"role\":\"applicant\",\"kind\":\"person\",\"name\":\"张三\"},"
    "{\"role\":\"respondent\",\"kind\":\"organization\",\"name\":\"某公司\"}],"
    "\"sessions\":[{\"held_at\":\"2026-12-01 09:30\",\"record\":\"未能达成一致\"}],"
    "\"instalments\":[],"
    "\"agreement\":{\"terms\":\"被申请人支付工资三千元\",\"at\":\"2026-12-01T02:00:00.000Z\"},"
    "\"failure\":{\"reason\":\"被申请人拒绝调解\",\"guidance\":\"arbitration\","
    "\"at\":\"2026-12-02T02:00:00.000Z\"},"
    "\"visit\":{\"visitor\":\"黄志强\",\"method\":\"电话\",\"satisfaction\":4,"
    "\"at\":\"2026-12-05T02:00:00.000Z\"},"
    "\"now_ms\":" NOW_MS "}";

/* Every field full. */
static const char *const full_facts =
    "{\"case\":{\"id\":9,\"number\":\"(2026)涪调字第9号\",\"channel\":\"walk_in\","
    "\"state\":\"agreed\",\"category\":\"neighbour\",\"complexity\":\"ordinary\","
    "\"facts\":\"排水沟堵塞引发争执\",\"claims\":\"疏通排水沟\",\"cause\":\"雨季积水\","
    "\"region_id\":9,\"region_name\":\"警钟街社区\",\"occurred_on\":\"2026-11-18\","
    "\"people\":2,\"amount\":1000,\"forecast\":\"可能激化\",\"level\":\"village\","
    "\"method\":\"people_mediation\",\"time_limit_days\":30,\"due_date\":\"2026-12-30\","
    "\"resp_org_name\":\"警钟街社区人民调解委员会\",\"clerk_id\":3,"
    "\"lead_leader\":\"王书记\",\"received_at\":\"2026-11-30T01:05:00.000Z\","
    "\"routing\":{\"notices\":[{\"name\":\"人民调解申请\",\"legal_basis\":\"人民调解法第十七条\","
    "\"level\":\"村（社区）\",\"handling_body\":\"人民调解委员会\",\"conditions\":\"双方自愿\","
    "\"procedure\":\"申请、受理、调解\",\"documents\":[\"申请书\",\"身份证明\"],"
    "\"time_limit\":\"三十日\"}]}},"
    "\"parties\":[{\"role\":\"applicant\",\"kind\":\"person\",\"name\":\"张三\","
    "\"id_number\":\"510703199001011234\",\"phone\":\"13800000001\",\"address\":\"警钟街1号\","
    "\"agent\":\"张小三\"},{\"role\":\"respondent\",\"kind\":\"person\",\"name\":\"李四\","
    "\"id_number\":\"510703199202022345\",\"phone\":\"13800000002\",\"address\":\"警钟街2号\","
    "\"agent\":\"李小四\"}],"
    "\"sessions\":[{\"held_at\":\"2026-12-01 09:30\",\"place\":\"社区调解室\","
    "\"participants\":\"张三、李四\",\"record\":\"双方同意共同出资疏通\","
    "\"next_step\":\"起草协议\"}],"
    "\"instalments\":[{\"seq\":1,\"due_date\":\"2026-12-10\",\"amount\":500,\"status\":\"paid\","
    "\"paid_on\":\"2026-12-05\",\"note\":\"现金\"},{\"seq\":2,\"due_date\":\"2027-01-10\","
    "\"amount\":500,\"status\":\"pending\",\"note\":\"转账\"}],"
    "\"agreement\":{\"terms\":\"李四分两期支付疏通费用一千元。\",\"form\":\"written\",\"amount\":"
    "1000,"
    "\"at\":\"2026-12-02T02:00:00.000Z\"},"
    "\"failure\":{\"reason\":\"被申请人拒绝继续调解。\",\"guidance\":\"litigation\","
    "\"at\":\"2026-12-02T02:00:00.000Z\"},"
    "\"visit\":{\"visitor\":\"黄志强\",\"method\":\"上门\",\"satisfaction\":5,\"fulfilled\":true,"
    "\"recurrence_risk\":\"低\",\"note\":\"已按期履行第一期\",\"at\":\"2026-12-05T02:00:00.000Z\"},"
    "\"court\":\"绵阳市涪城区人民法院\",\"registered_by\":\"涪城区社会矛盾纠纷调处化解中心\","
    "\"now_ms\":" NOW_MS "}";

/* The text of the HTML: tags removed, everything else kept. */
static char *text_of(const char *html)
{
    char *t = malloc(strlen(html) + 1), *o = t;
    int in_tag = 0;

    for (const char *p = html; *p; p++) {
        if (*p == '<')
            in_tag = 1;
        else if (*p == '>')
            in_tag = 0;
        else if (!in_tag)
            *o++ = *p;
    }
    *o = '\0';
    return t;
}

/*
 * What an empty field leaves behind: punctuation with nothing between ("、：", "于经",
 * "（）"), a label with no value ("：" ending a line, a cell or followed by the next
 * label's spacer), an empty paragraph, "此致" with only "人民法院" under it, a tag the
 * renderer did not replace. Returns the first found, or NULL.
 */
static const char *empty_slot(const char *html, int full)
{
    static const char *const in_text[] = {
        "、：", "于经", "。。", "，，", "（）", "（至）", "、。", "，。",     "：。", "：，",
        "：；", "、）", "（、", "、、", "；。", "{{",     "}}",   "人民币元", "第期"};
    static const char *const in_html[] = {
        "：\n", "：</td>", "：</span>", "：　", "<p></p>", "<p class=\"plain\"></p>", "<li></li>"};
    static char found[64];
    char *text = text_of(html), *p;

    found[0] = '\0';
    for (size_t i = 0; !found[0] && i < sizeof in_text / sizeof in_text[0]; i++)
        if (strstr(text, in_text[i]))
            snprintf(found, sizeof found, "%s", in_text[i]);
    for (size_t i = 0; !found[0] && i < sizeof in_html / sizeof in_html[0]; i++)
        if (strstr(html, in_html[i]))
            snprintf(found, sizeof found, "%s", in_html[i]);
    /* In a full case every cell of a form has its value. */
    if (!found[0] && full && strstr(html, "<td></td>"))
        snprintf(found, sizeof found, "<td></td>");
    for (p = strstr(text, "此致"); !found[0] && p; p = strstr(p + 1, "此致")) {
        const char *q = p + strlen("此致");
        while (*q == ' ' || *q == '\n' || *q == '\t' || strncmp(q, "　", 3) == 0)
            q += *q == ' ' || *q == '\n' || *q == '\t' ? 1 : 3;
        if (strncmp(q, "人民法院", strlen("人民法院")) == 0)
            snprintf(found, sizeof found, "此致 / 人民法院 without a court");
    }
    free(text);
    return found[0] ? found : NULL;
}

static char *read_all(const char *path)
{
    FILE *f = fopen(path, "rb");
    char *s = NULL;
    long n;

    if (!f)
        return NULL;
    if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0 &&
        (s = calloc((size_t)n + 1, 1)) && fread(s, 1, (size_t)n, f) != (size_t)n) {
        free(s);
        s = NULL;
    }
    fclose(f);
    return s;
}

/* Renders template `kind` with `facts`; strict: every value tag must print something. */
static char *render_doc(const char *kind, const char *facts, int strict)
{
    const char *dir = getenv("JIEFEN_TEMPLATES") ? getenv("JIEFEN_TEMPLATES") : "templates";
    char path[512], err[256];
    char *tpl, *out;
    json_t *ctx = json_loads(facts, 0, NULL);

    assert_non_null(ctx);
    snprintf(path, sizeof path, "%s/documents/%s.html", dir, kind);
    tpl = read_all(path);
    if (!tpl)
        fail_msg("cannot read %s", path);
    json_object_set_new(ctx, "title", json_string(api_document_title(kind)));
    out = (strict ? doc_render_strict : doc_render)(tpl, doc_context(ctx), err, sizeof err);
    if (!out)
        fail_msg("%s: %s", kind, err);
    free(tpl);
    json_decref(ctx);
    return out;
}

/* Every template file is a document kind the API offers, and the other way round. */
static int template_kinds(char kinds[][64], int max)
{
    const char *dir = getenv("JIEFEN_TEMPLATES") ? getenv("JIEFEN_TEMPLATES") : "templates";
    char path[512];
    DIR *d;
    struct dirent *e;
    int n = 0;

    snprintf(path, sizeof path, "%s/documents", dir);
    d = opendir(path);
    assert_non_null(d);
    while ((e = readdir(d)) && n < max) {
        size_t len = strlen(e->d_name);
        if (len > 5 && len < 64 && strcmp(e->d_name + len - 5, ".html") == 0) {
            memcpy(kinds[n], e->d_name, len - 5);
            kinds[n][len - 5] = '\0';
            n++;
        }
    }
    closedir(d);
    return n;
}

static void every_document_without_empty_slots(void **state)
{
    char kinds[32][64];
    int n = template_kinds(kinds, 32), bad = 0;
    const char *const cases[] = {bare_facts, minimal_outcome_facts, full_facts};
    const char *const names[] = {"bare", "minimal outcome", "full"};

    for (int k = 0; k < n; k++) {
        if (!api_document_title(kinds[k])) {
            print_error("templates/documents/%s.html is no document kind\n", kinds[k]);
            bad++;
        }
        for (int c = 0; c < 3; c++) {
            char *html = render_doc(kinds[k], cases[c], 0);
            const char *slot = empty_slot(html, c == 2);
            if (slot) {
                print_error("%s (%s case): empty slot \"%s\"\n", kinds[k], names[c], slot);
                bad++;
            }
            free(html);
        }
    }
    assert_int_equal(bad, 0);
    assert_true(n >= 8);
}

/* With every field full, every value a template asks for is there (no misspelt key), and
 * the document names its issuing body beside the seal, and is dated. */
static void full_documents_name_the_issuer_and_the_date(void **state)
{
    char kinds[32][64];
    int n = template_kinds(kinds, 32);

    for (int k = 0; k < n; k++) {
        char *html = render_doc(kinds[k], full_facts, 1), *seal = strstr(html, "class=\"seal\"");
        const char *unit =
            strcmp(kinds[k], "registration") == 0 || strcmp(kinds[k], "one_time_notice") == 0
                ? "涪城区社会矛盾纠纷调处化解中心"
                : "警钟街社区人民调解委员会";
        if (!seal || !strstr(seal, unit) || !(strstr(seal, "盖章") || strstr(seal, "印章")))
            fail_msg("%s: no seal line naming %s", kinds[k], unit);
        if (!strstr(html, "2026年12月6日"))
            fail_msg("%s: not dated", kinds[k]);
        free(html);
    }
}

static void documents_carry_what_the_law_asks(void **state)
{
    char *html = render_doc("confirmation_application", full_facts, 1);
    /* Addressed to the county's court; the agreement's date and the committee named. */
    assert_non_null(strstr(html, "此致"));
    assert_non_null(strstr(html, "绵阳市涪城区人民法院"));
    assert_non_null(strstr(html, "2026年12月2日"));
    free(html);
    html = render_doc("agreement", full_facts, 1);
    /* 人民调解法 art. 29: the manner and time of performance, with the instalment plan. */
    assert_non_null(strstr(html, "履行方式"));
    assert_non_null(strstr(html, "2026年12月10日"));
    assert_non_null(strstr(html, "2027年1月10日"));
    assert_non_null(strstr(html, "1000"));
    free(html);
    html = render_doc("registration", full_facts, 1);
    /* 登记时间 to the minute in Beijing time (01:05Z is 09:05), and the parties' addresses. */
    assert_non_null(strstr(html, "登记时间"));
    assert_non_null(strstr(html, "2026年11月30日 09:05"));
    assert_non_null(strstr(html, "警钟街2号"));
    free(html);
    html = render_doc("registration", bare_facts, 0);
    /* 17:05Z on the 30th is the 1st of December in Beijing. */
    assert_non_null(strstr(html, "2026年12月1日 01:05"));
    free(html);
    html = render_doc("mediation_ended", minimal_outcome_facts, 0);
    /* A category named without 纠纷 gets it once; one with 争议 keeps its own. */
    assert_non_null(strstr(html, "劳动争议（编号"));
    free(html);
    html = render_doc("confirmation_application", full_facts, 1);
    assert_non_null(strstr(html, "申请人之间的邻里纠纷，经"));
    free(html);
    html = render_doc("mediation_ended", full_facts, 1);
    assert_non_null(strstr(html, "被申请人拒绝继续调解"));
    assert_non_null(strstr(html, "三年"));
    assert_non_null(strstr(html, "六十日"));
    assert_non_null(strstr(html, "一年"));
    free(html);
}

static void the_checker_finds_empty_slots(void **state)
{
    /* The test above is only as good as this: each broken form is caught. */
    assert_non_null(empty_slot("<p>张三、李四、：</p>", 0));
    assert_non_null(empty_slot("<p>申请人之间于经人民调解委员会调解</p>", 0));
    assert_non_null(empty_slot("<p class=\"plain\">此致</p>\n<p class=\"plain\">人民法院</p>", 0));
    assert_non_null(empty_slot("<td>身份证号码：　住址：</td>", 0));
    assert_non_null(empty_slot("<p>协议：{{terms}}</p>", 0));
    assert_non_null(empty_slot("<p></p>", 0));
    assert_non_null(empty_slot("<td></td>", 1));
    assert_null(empty_slot("<td></td>", 0));
    assert_null(empty_slot("<p>此致</p><p>绵阳市涪城区人民法院</p><div>当事人（签名）：</div>", 1));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(values_are_escaped),
        cmocka_unit_test(sections_repeat_and_invert),
        cmocka_unit_test(broken_templates_are_reported),
        cmocka_unit_test(the_checker_finds_empty_slots),
        cmocka_unit_test(every_document_without_empty_slots),
        cmocka_unit_test(full_documents_name_the_issuer_and_the_date),
        cmocka_unit_test(documents_carry_what_the_law_asks),
    };
    return cmocka_run_group_tests_name("doc", tests, NULL, NULL);
}

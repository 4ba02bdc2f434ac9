/*
 * test_risk.c - the risk model (core/risk.h, core/risk_text.h) and its evidence: every row
 * of tests/data/risk-labelled.tsv goes through text_simplify and risk_assess with nothing
 * but the text known (people unknown, category "other"), and the "orange or red" flag is
 * compared with the label. Run from the repository root (tests/run.sh does).
 */
#include "unit.h"

#include "core/risk.h"
#include "core/risk_model.h"
#include "core/risk_text.h"
#include "core/settings.h"
#include "text/text.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LABELLED "tests/data/risk-labelled.tsv"
/* Written blind by another author (columns label, form, script, text); its first-contact
 * figures are in docs/risk.md; tuned on since, so it is held to the tuning targets. */
#define BLIND_A "tests/data/risk-blind-a.tsv"
#define BLIND_B "tests/data/risk-blind-b.tsv"
/* Written blind by four more authors; the shipped model is trained on them. */
#define GEN_FILES                                                                                  \
    "tests/data/risk-gen-1.tsv", "tests/data/risk-gen-2.tsv", "tests/data/risk-gen-3.tsv",         \
        "tests/data/risk-gen-4.tsv"
/* A row the patterns miss and the shipped model reads (from the training data). */
#define MODEL_ROW "他把家里的牛全卖了，说以后用不着了，让我们别等他。"

static struct text *t;
static struct risk_weights w;

static int setup(void **state)
{
    char err[256] = "";

    (void)state;
    risk_weights_default(&w);
    t = text_open(err, sizeof err);
    if (t == NULL)
        fprintf(stderr, "text_open: %s\n", err);
    return t == NULL ? -1 : 0;
}

static int teardown(void **state)
{
    (void)state;
    text_close(t);
    return 0;
}

/* The level of a text alone, as the evidence test grades it. */
static enum risk_level grade(const char *text, int64_t people, const char *category,
                             struct risk_result *r)
{
    char *s = text_simplify(t, text);
    struct risk_input in = {.category = category, .people = people, .amount = -1, .text = s};

    assert_non_null(s);
    risk_assess(&in, &w, r);
    free(s);
    return r->level;
}

static int flagged(const char *text)
{
    struct risk_result r;

    return grade(text, -1, "other", &r) >= RISK_ORANGE;
}

/* ---- text_simplify ---- */

static void simplify_keeps_punctuation(void **state)
{
    char *s;

    (void)state;
    s = text_simplify(t, "申請人稱：被申請人揚言要報復！ＡＢＣ１２３，沒有。\n第二行");
    assert_non_null(s);
    assert_string_equal(s, "申请人称:被申请人扬言要报复!ABC123,没有。\n第二行");
    free(s);
    s = text_simplify(t, "a\x01\tb");
    assert_string_equal(s, "a  b"); /* controls other than newline become spaces */
    free(s);
    assert_null(text_simplify(t, NULL));
}

/* ---- the text reading ---- */

static void each_negation_form_is_not_a_threat(void **state)
{
    static const char *const neg[] = {
        "被申请人没有扬言报复。",           "经排查，未发现当事人有上访意向。",
        "被申请人否认曾威胁申请人。",       "经核实，被申请人并无过激言行。",
        "当事人表示不会去上访。",           "他没说过要砍人，只是嗓门大。",
        "网传其要跳楼一事，经核实不存在。", "当事人无自伤自杀倾向。",
        "称对方要放火烧房一事系误传。",     "双方没有发生肢体冲突。",
    };

    (void)state;
    for (size_t i = 0; i < sizeof neg / sizeof neg[0]; i++) {
        if (flagged(neg[i]))
            fail_msg("negation graded orange or red: %s", neg[i]);
    }
    /* The negation reaches to the end of its clause only. */
    assert_true(flagged("他没有钱，扬言要报复对方。"));
    /* A condition is no denial. */
    assert_true(flagged("没有补偿就去北京上访。"));
}

static void each_lookalike_is_harmless(void **state)
{
    static const char *const look[] = {
        "申请人购买的跳楼价电视机有质量问题。", "被申请人在院子里杀鸡，血水流到申请人门口。",
        "申请人在市场上杀价时与摊主争吵。",     "申请人经营刀具店，与房东因租金产生纠纷。",
        "申请人网购的菜刀生锈，要求退货。",     "楼下烧烤摊油烟大，影响住户休息。",
        "双方在集市上因砍价发生口角。",         "申请人砍树时树枝砸坏了邻居的棚子。",
        "申请人在炸鸡店就餐后腹泻。",           "顾客吵着要退货，商家不同意。",
        "申请人累得要死，要求支付加班费。",     "被申请人在地里打农药，药味飘到申请人家。",
    };

    (void)state;
    for (size_t i = 0; i < sizeof look / sizeof look[0]; i++)
        if (flagged(look[i]))
            fail_msg("look-alike graded orange or red: %s", look[i]);
}

static void traditional_script_is_read(void **state)
{
    struct risk_result r;

    (void)state;
    assert_true(grade("被申請人揚言要報復申請人全家。", -1, "other", &r) >= RISK_ORANGE);
    assert_true(grade("當事人說活著沒意思，想喝農藥。", -1, "other", &r) >= RISK_ORANGE);
    assert_int_equal(grade("雙方因宅基地邊界發生糾紛。", -1, "other", &r), RISK_BLUE);
}

static void threats_without_a_keyword_are_read(void **state)
{
    (void)state;
    assert_true(flagged("被申请人说钱要不回来，就去他家门口把车点了。"));
    assert_true(flagged("他说大不了拉着对方一起死。"));
    assert_true(flagged("申请人说要从楼顶上下去给老板看看。"));
    assert_false(flagged("申请人点了外卖，商家送错了。"));
}

static void group_and_threat_is_red(void **state)
{
    struct risk_result r;
    char why[1024];

    (void)state;
    assert_int_equal(grade("当事人扬言要同归于尽。", 30, "land_requisition", &r), RISK_RED);
    risk_reasons_text(&r, why, sizeof why);
    assert_non_null(strstr(why, "扬言要同归于尽"));
    assert_non_null(strstr(why, "群体性（30人）"));
    /* A threat alone is orange; with a group it is red. */
    assert_int_equal(grade("被申请人扬言报复。", -1, "other", &r), RISK_ORANGE);
    assert_int_equal(grade("被申请人扬言报复。", 12, "other", &r), RISK_RED);
    /* Self-harm plus a group action in the text is red. */
    assert_int_equal(grade("工人聚集在厂门口，有人说要跳楼。", -1, "other", &r), RISK_RED);
    /* An explicit killing aimed at someone is red on its own. */
    assert_int_equal(grade("他扬言要杀了村主任全家。", -1, "other", &r), RISK_RED);
}

static void sensitive_category_alone_is_yellow(void **state)
{
    struct risk_result r;
    static const char *const cats[] = {"land_requisition", "wage_arrears", "finance",
                                       "military",         "medical",      "campus"};

    (void)state;
    for (size_t i = 0; i < sizeof cats / sizeof cats[0]; i++)
        assert_int_equal(grade("双方就补偿标准协商未果。", 3, cats[i], &r), RISK_YELLOW);
    assert_int_equal(grade("双方就补偿标准协商未果。", 3, "neighbour", &r), RISK_BLUE);
    assert_int_equal(grade("", -1, "other", &r), RISK_BLUE);
}

/* ---- the statistical second reading (risk_model.h) ---- */

/* The table is sorted for the binary search, and an empty text is the bias alone. */
static void model_table_is_sorted(void **state)
{
    (void)state;
    assert_true(risk_model_ngrams > 1000);
    for (int i = 1; i < risk_model_ngrams; i++)
        if (strcmp(risk_model_grams[i - 1].g, risk_model_grams[i].g) >= 0)
            fail_msg("risk_model_grams out of order at %d", i);
    assert_true(fabs(risk_model_prob("", NULL) - 1.0 / (1.0 + exp(-risk_model_bias))) < 1e-9);
    assert_true(fabs(risk_model_prob(NULL, NULL) - risk_model_prob("", NULL)) < 1e-9);
    /* Punctuation and spaces are one boundary; ASCII letters fold to lower case. */
    assert_true(fabs(risk_model_prob("他说：“算了。”", NULL) -
                     risk_model_prob("他说 \"算了  \" ", NULL)) < 1e-9);
    assert_true(fabs(risk_model_prob("ABC", NULL) - risk_model_prob("abc", NULL)) < 1e-9);
}

/* A long record is read in windows: a worrying sentence is not diluted by pages of harmless
 * text, and a malformed byte does not stop the reading. */
static void model_reads_long_text_in_windows(void **state)
{
    static const char filler[] = "双方就院墙的修缮费用分担问题进行了协商。";
    char *buf = malloc(TEXT_MAX_INPUT + 1), *p;
    double alone = risk_model_prob(MODEL_ROW, NULL), diluted;

    (void)state;
    assert_non_null(buf);
    p = buf;
    while ((size_t)(p - buf) + sizeof filler + sizeof MODEL_ROW + 2 < TEXT_MAX_INPUT)
        p += sprintf(p, "%s", filler);
    *p++ = '\xff'; /* malformed UTF-8 */
    sprintf(p, "%s", MODEL_ROW);
    diluted = risk_model_prob(buf, NULL);
    free(buf);
    assert_true(alone * 100 >= w.text_model_threshold);
    assert_true(diluted * 100 >= w.text_model_threshold);
}

/* What the patterns miss, the model can read; its reason names the n-grams that weighed. It
 * never adds to a text the patterns already graded (no double count). */
static void model_reads_what_patterns_miss(void **state)
{
    struct risk_result r;
    struct risk_weights off = w;
    char why[1024];

    (void)state;
    assert_int_equal(grade(MODEL_ROW, -1, "other", &r), RISK_ORANGE);
    assert_int_equal(r.nreasons, 1);
    assert_string_equal(r.reasons[0].factor, "text_model");
    risk_reasons_text(&r, why, sizeof why);
    assert_non_null(strstr(why, "文本整体读来有激化风险迹象（模型 "));
    assert_non_null(strstr(why, "；“"));
    grade("被申请人扬言报复。", -1, "other", &r);
    for (int i = 0; i < r.nreasons; i++)
        assert_string_not_equal(r.reasons[i].factor, "text_model");
    /* Off when its weight is 0, silent below its threshold. */
    assert_int_equal(risk_weights_set(&off, "risk_w_text_model", 0), 0);
    {
        char *s = text_simplify(t, MODEL_ROW);
        struct risk_input in = {.category = "other", .people = -1, .amount = -1, .text = s};
        risk_assess(&in, &off, &r);
        assert_int_equal(r.level, RISK_BLUE);
        off = w;
        off.text_model_threshold = 99;
        if (risk_model_prob(s, NULL) < 0.99) {
            risk_assess(&in, &off, &r);
            assert_int_equal(r.level, RISK_BLUE);
        }
        free(s);
    }
}

static void every_risk_setting_is_accepted(void **state)
{
    struct risk_weights x;
    static const char *const keys[] = {
        "risk_w_group",
        "risk_w_threat",
        "risk_w_self_harm",
        "risk_w_severe",
        "risk_w_collective",
        "risk_w_wage_protest",
        "risk_w_text_model",
        "risk_text_model_threshold",
        "risk_yellow_at",
        "risk_orange_at",
        "risk_red_at",
        "risk_amount_large",
        "risk_amount_huge",
        "risk_response_days_red",
        "risk_response_days_orange",
        "risk_response_days_yellow",
        "risk_response_days_blue",
    };

    (void)state;
    risk_weights_default(&x);
    assert_int_equal(x.response_days[RISK_RED], 0);
    assert_int_equal(x.response_days[RISK_BLUE], 3);
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
        assert_int_equal(risk_weights_set(&x, keys[i], 7), 0);
    assert_int_equal(x.response_days[RISK_ORANGE], 7);
    assert_int_equal(risk_weights_set(&x, "risk_w_nonsense", 1), -1);
    assert_int_equal(risk_weights_set(&x, "risk_response_days_purple", 1), -1);
}

/* Every risk_* setting is accepted, and its default is the model's default. */
static void settings_match_the_model(void **state)
{
    struct risk_weights def, x;
    int n = 0;

    (void)state;
    risk_weights_default(&def);
    memset(&x, 0, sizeof x);
    for (size_t i = 0; i < settings_count(); i++) {
        const struct setting_def *d = settings_at(i);
        if (strncmp(d->key, "risk_", 5) != 0)
            continue;
        if (risk_weights_set(&x, d->key, strtol(d->fallback, NULL, 10)) != 0)
            fail_msg("risk_weights_set refuses the setting %s", d->key);
        n++;
    }
    assert_true(n >= 30);
    assert_memory_equal(&x, &def, sizeof def); /* every weight has its setting */
}

/* ---- the evidence ---- */

struct tally {
    int tp, fp, fn, tn;
    int harmless;
};

static void count(struct tally *c, int dangerous, int flag)
{
    if (dangerous && flag)
        c->tp++;
    else if (dangerous)
        c->fn++;
    else if (flag)
        c->fp++;
    else
        c->tn++;
    c->harmless += !dangerous;
}

static double ratio(int a, int b)
{
    return b ? (double)a / b : 0.0;
}

static void report(const char *name, const struct tally *c)
{
    printf("risk evidence %-8s rows %3d: precision %.3f  recall %.3f  false alarms %.3f"
           " (tp %d fp %d fn %d tn %d)\n",
           name, c->tp + c->fp + c->fn + c->tn, ratio(c->tp, c->tp + c->fp),
           ratio(c->tp, c->tp + c->fn), ratio(c->fp, c->harmless), c->tp, c->fp, c->fn, c->tn);
}

static void labelled_set_meets_its_targets(void **state)
{
    FILE *f = fopen(LABELLED, "r");
    char line[2048], *label, *split, *form, *script, *text, *save;
    struct tally all = {0}, tune = {0}, held = {0};
    int dangerous, flag, implicit = 0, literal = 0, ndanger = 0, trad = 0, look = 0, plain = 0;

    (void)state;
    assert_non_null(f);
    while (fgets(line, sizeof line, f)) {
        line[strcspn(line, "\r\n")] = '\0';
        if (line[0] == '#' || strncmp(line, "label\t", 6) == 0 || !line[0])
            continue;
        label = strtok_r(line, "\t", &save);
        split = strtok_r(NULL, "\t", &save);
        form = strtok_r(NULL, "\t", &save);
        script = strtok_r(NULL, "\t", &save);
        text = strtok_r(NULL, "\t", &save);
        assert_non_null(text);
        dangerous = strcmp(label, "dangerous") == 0;
        assert_true(dangerous || strcmp(label, "harmless") == 0);
        flag = flagged(text);
        if (getenv("RISK_VERBOSE") && flag != dangerous)
            printf("  miss %s %s %s: %s\n", label, split, form, text);
        count(&all, dangerous, flag);
        count(strcmp(split, "split=heldout") == 0 ? &held : &tune, dangerous, flag);
        ndanger += dangerous;
        trad += script[0] == 't';
        look += strcmp(form, "lookalike") == 0;
        plain += strcmp(form, "plain") == 0;
        if (dangerous && strcmp(form, "implicit") == 0) {
            char *s = text_simplify(t, text);
            implicit++;
            /* An "implicit" tuning row names no phrase that counts on its own. */
            if (strcmp(split, "split=heldout") != 0 && risk_text_has_literal(s)) {
                printf("  implicit row names a listed phrase: %s\n", text);
                literal++;
            }
            free(s);
        }
    }
    fclose(f);
    report("all", &all);
    report("tuning", &tune);
    report("heldout", &held);
    printf("risk evidence: %d dangerous (%d implicit), %d Traditional, %d look-alikes, %d plain\n",
           ndanger, implicit, trad, look, plain);
    assert_int_equal(literal, 0);
    assert_true(all.tp + all.fp + all.fn + all.tn >= 400);
    assert_true(held.tp + held.fp + held.fn + held.tn >= 120);
    assert_true(implicit * 3 >= ndanger);
    assert_true(trad >= 30 && look >= 40 && plain >= 120);
    assert_true(ratio(tune.tp, tune.tp + tune.fn) >= 0.9);
    assert_true(ratio(tune.fp, tune.harmless) <= 0.1);
    assert_true(ratio(held.tp, held.tp + held.fn) >= 0.85);
    assert_true(ratio(held.fp, held.harmless) <= 0.15);
}

/* Grades every row of a TSV whose first column is the label and last the text, as above. */
static void grade_file(const char *path, const char *name, struct tally *c)
{
    FILE *f = fopen(path, "r");
    char line[4096], *label, *text;
    int dangerous, flag;

    if (f == NULL)
        fail_msg("cannot open %s", path);
    while (fgets(line, sizeof line, f)) {
        line[strcspn(line, "\r\n")] = '\0';
        if (line[0] == '#' || strncmp(line, "label\t", 6) == 0 || !line[0])
            continue;
        label = line;
        text = strrchr(line, '\t');
        assert_non_null(text);
        *text++ = '\0';
        dangerous = strncmp(label, "dangerous\t", 10) == 0 || strcmp(label, "dangerous") == 0;
        assert_true(dangerous || strncmp(label, "harmless", 8) == 0);
        flag = flagged(text);
        if (getenv("RISK_VERBOSE") && flag != dangerous)
            printf("  miss %s %s: %s\n", dangerous ? "dangerous" : "harmless", name, text);
        count(c, dangerous, flag);
    }
    fclose(f);
    report(name, c);
}

/* A blind set: every row graded as above, figures printed, tuning targets held. */
static void blind_set_meets_the_tuning_targets(void **state)
{
    struct tally c = {0};

    (void)state;
    grade_file(BLIND_A, "blind-a", &c);
    assert_true(c.tp + c.fp + c.fn + c.tn >= 200);
    assert_true(ratio(c.tp, c.tp + c.fn) >= 0.9);
    assert_true(ratio(c.fp, c.harmless) <= 0.1);
}

/*
 * blind-b: 200 rows written blind by another author after blind-a, never opened by anyone
 * tuning the patterns and refused by scripts/risk_train.py. Its first measurement (shipped
 * model of 2026-12-06, before "自焚" was added to the lists after this set showed it missing)
 * was recall 0.930, false alarms 0.040. The honest estimate of a new writer; held to the
 * issue's targets (recall >= 0.85, false alarms <= 0.15).
 */
static void held_out_set_meets_the_issue_targets(void **state)
{
    struct tally c = {0};

    (void)state;
    grade_file(BLIND_B, "blind-b(held out)", &c);
    assert_true(c.tp + c.fp + c.fn + c.tn >= 200);
    assert_true(ratio(c.tp, c.tp + c.fn) >= 0.85);
    assert_true(ratio(c.fp, c.harmless) <= 0.15);
}

/* The sets written blind by other authors after blind-a. The shipped model was trained on
 * them (and on the two above), so these are TRAINING figures, not a measurement of how it
 * reads a new writer: docs/risk.md has the leave-one-author-out figures for that. Held to the
 * issue's targets so that a broken table or reader fails here. */
static void training_sets_meet_the_issue_targets(void **state)
{
    static const char *const files[] = {GEN_FILES};
    char name[32];

    (void)state;
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        struct tally c = {0};
        snprintf(name, sizeof name, "gen-%zu(train)", i + 1);
        grade_file(files[i], name, &c);
        assert_true(c.tp + c.fp + c.fn + c.tn >= 300);
        assert_true(ratio(c.tp, c.tp + c.fn) >= 0.85);
        assert_true(ratio(c.fp, c.harmless) <= 0.15);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(simplify_keeps_punctuation),
        cmocka_unit_test(each_negation_form_is_not_a_threat),
        cmocka_unit_test(each_lookalike_is_harmless),
        cmocka_unit_test(traditional_script_is_read),
        cmocka_unit_test(threats_without_a_keyword_are_read),
        cmocka_unit_test(group_and_threat_is_red),
        cmocka_unit_test(sensitive_category_alone_is_yellow),
        cmocka_unit_test(model_table_is_sorted),
        cmocka_unit_test(model_reads_long_text_in_windows),
        cmocka_unit_test(model_reads_what_patterns_miss),
        cmocka_unit_test(every_risk_setting_is_accepted),
        cmocka_unit_test(settings_match_the_model),
        cmocka_unit_test(labelled_set_meets_its_targets),
        cmocka_unit_test(blind_set_meets_the_tuning_targets),
        cmocka_unit_test(training_sets_meet_the_issue_targets),
        cmocka_unit_test(held_out_set_meets_the_issue_targets),
    };

    return cmocka_run_group_tests(tests, setup, teardown);
}

/*
 * risk.c - the risk grade of a dispute (core/risk.h; docs/risk.md has the model, its
 * defaults and the evidence).
 *
 * Why it exists: 人民调解法 第二十五条 — 调解员发现纠纷有可能激化的，应当采取有针对性的预防措施；
 * 对有可能引起治安案件、刑事案件的纠纷，应当及时向当地公安机关或者其他有关部门报告. The grade
 * tells the centre which disputes may intensify and how fast to respond.
 *
 * Transparent by construction: every factor that applies adds its points (a setting
 * risk_w_<factor>) and one Chinese sentence; the level is the total against the settings
 * risk_yellow_at / risk_orange_at / risk_red_at. With the defaults:
 *   - a threat, violence, weapon, self-harm, extreme act, petition to higher levels or a
 *     group action read in the text is orange on its own (40 = orange_at); further kinds
 *     add a little (text_more);
 *   - an explicit killing, burning or explosion aimed at someone, or 同归于尽, is red
 *     (severe); so is a threat, self-harm or extreme act together with a group
 *     (collective);
 *   - 10 or more people is a group dispute (群体性, local practice): orange, more at 30, 50;
 *   - a sensitive category, urgency, a repeat party, a sensitive period, an overdue limit
 *     each add 10: a harmless dispute in a sensitive category stays yellow.
 */
#include "core/risk.h"

#include "core/risk_model.h"
#include "core/risk_text.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

enum factor {
    F_GROUP,
    F_MAJOR,
    F_DIFFICULT,
    F_KEY,
    F_SENSITIVE,
    F_URGENT,
    F_REPEAT,
    F_ESCALATED,
    F_PERIOD,
    F_OVERDUE,
    F_AMOUNT,
    F_GROUP_LARGE,
    F_GROUP_MASS,
    F_AMOUNT_HUGE,
    F_TEXT_MORE,
    F_SEVERE,
    F_COLLECTIVE,
    F_TEXT_MODEL,
    F_TEXT_DOUBT,
    F_TEXT, /* the text kinds follow in enum risk_text_kind order */
    F_COUNT = F_TEXT + RT_NKINDS
};

static const char *const factor_codes[F_TEXT] = {
    "group",  "major",       "difficult",  "key_person",       "sensitive",
    "urgent", "repeat",      "escalated",  "sensitive_period", "overdue",
    "amount", "group_large", "group_mass", "amount_huge",      "text_more",
    "severe", "collective",  "text_model", "text_doubt",
};

static const char *factor_code(int f)
{
    return f < F_TEXT ? factor_codes[f] : risk_text_kind_code((enum risk_text_kind)(f - F_TEXT));
}

/* The categories where disputes turn collective or violent (issue 10): land requisition and
 * demolition, wage arrears, illegal fund-raising (finance), veterans (military), medical
 * disputes, education (campus). */
static const char *const sensitive_categories[] = {
    "land_requisition", "wage_arrears", "finance", "military", "medical", "campus", NULL,
};

static const int text_weights[RT_NKINDS] = {
    [RT_THREAT] = 40,  [RT_VIOLENCE] = 40, [RT_WEAPON] = 40, [RT_SELF_HARM] = 40,
    [RT_EXTREME] = 40, [RT_PETITION] = 40, [RT_GROUP] = 40,  [RT_WAGE] = 15,
};

void risk_weights_default(struct risk_weights *w)
{
    memset(w, 0, sizeof *w);
    w->w[F_GROUP] = 40;
    w->w[F_GROUP_LARGE] = 10;
    w->w[F_GROUP_MASS] = 10;
    w->w[F_MAJOR] = 20;
    w->w[F_DIFFICULT] = 10;
    w->w[F_KEY] = 20;
    w->w[F_SENSITIVE] = 10;
    w->w[F_URGENT] = 10;
    w->w[F_REPEAT] = 10;
    w->w[F_ESCALATED] = 10;
    w->w[F_PERIOD] = 10;
    w->w[F_OVERDUE] = 10;
    w->w[F_AMOUNT] = 10;
    w->w[F_AMOUNT_HUGE] = 10;
    w->w[F_TEXT_MORE] = 10;
    w->w[F_SEVERE] = 30;
    w->w[F_COLLECTIVE] = 30;
    /* The statistical second reading (risk_model.h): a high probability alone is orange,
     * like any dangerous kind the patterns name. The threshold was chosen by
     * leave-one-author-out validation (docs/risk.md). */
    w->w[F_TEXT_MODEL] = 40;
    w->text_model_threshold = RISK_TEXT_MODEL_THRESHOLD;
    /* ... and when it finds a text very unlike danger, it takes back 30 of the patterns'
     * points: an orange from one pattern hit falls to yellow, a red one stays orange. */
    w->w[F_TEXT_DOUBT] = 30;
    w->text_model_doubt = RISK_TEXT_MODEL_DOUBT;
    for (int k = 0; k < RT_NKINDS; k++)
        w->w[F_TEXT + k] = text_weights[k];
    w->yellow_at = 10;
    w->orange_at = 40;
    w->red_at = 70;
    w->amount_large = 100000;
    w->amount_huge = 1000000;
    /* Local practice (issue 10): red the same day, orange 1 day, yellow 2, blue 3. */
    w->response_days[RISK_RED] = 0;
    w->response_days[RISK_ORANGE] = 1;
    w->response_days[RISK_YELLOW] = 2;
    w->response_days[RISK_BLUE] = 3;
}

static int set_scalar(struct risk_weights *w, const char *key, long value)
{
    static const char *const levels[] = {"blue", "yellow", "orange", "red"};

    if (strcmp(key, "yellow_at") == 0)
        w->yellow_at = (int)value;
    else if (strcmp(key, "orange_at") == 0)
        w->orange_at = (int)value;
    else if (strcmp(key, "red_at") == 0)
        w->red_at = (int)value;
    else if (strcmp(key, "text_model_threshold") == 0)
        w->text_model_threshold = (int)value;
    else if (strcmp(key, "text_model_doubt") == 0)
        w->text_model_doubt = (int)value;
    else if (strcmp(key, "amount_large") == 0)
        w->amount_large = value;
    else if (strcmp(key, "amount_huge") == 0)
        w->amount_huge = value;
    else if (strncmp(key, "response_days_", 14) == 0) {
        for (int i = 0; i < 4; i++)
            if (strcmp(key + 14, levels[i]) == 0) {
                w->response_days[i] = (int)value;
                return 0;
            }
        return -1;
    } else
        return -1;
    return 0;
}

int risk_weights_set(struct risk_weights *w, const char *key, long value)
{
    if (key == NULL || strncmp(key, "risk_", 5) != 0)
        return -1;
    if (strncmp(key, "risk_w_", 7) == 0) {
        for (int i = 0; i < F_COUNT; i++)
            if (strcmp(key + 7, factor_code(i)) == 0) {
                w->w[i] = (int)value;
                return 0;
            }
        return -1;
    }
    return set_scalar(w, key + 5, value);
}

/* Adds a factor's points and its sentence (printf-style). A factor weighted 0 is off. */
static void add(struct risk_result *r, const struct risk_weights *w, int f, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void add(struct risk_result *r, const struct risk_weights *w, int f, const char *fmt, ...)
{
    struct risk_reason *x;
    va_list ap;

    if (w->w[f] == 0 || r->nreasons >= RISK_MAX_REASONS)
        return;
    x = &r->reasons[r->nreasons++];
    snprintf(x->factor, sizeof x->factor, "%s", factor_code(f));
    x->points = f == F_TEXT_DOUBT ? -w->w[f] : w->w[f]; /* the one factor that takes away */
    va_start(ap, fmt);
    vsnprintf(x->text, sizeof x->text, fmt, ap);
    va_end(ap);
    r->score += x->points;
}

static int is_sensitive(const char *category)
{
    for (int i = 0; category && sensitive_categories[i]; i++)
        if (strcmp(category, sensitive_categories[i]) == 0)
            return 1;
    return 0;
}

static void assess_people(const struct risk_input *in, const struct risk_weights *w,
                          struct risk_result *out)
{
    if (in->people < RISK_GROUP_PEOPLE)
        return;
    add(out, w, F_GROUP, "群体性（%lld人）：涉及人数达到%d人以上", (long long)in->people,
        RISK_GROUP_PEOPLE);
    if (in->people >= 30)
        add(out, w, F_GROUP_LARGE, "涉及人数达30人以上");
    if (in->people >= 50)
        add(out, w, F_GROUP_MASS, "涉及人数达50人以上");
}

/* The first kept (not negated) hit of each kind, the severe one if there is one. */
static void pick_hits(const struct risk_text_result *t, const struct risk_text_hit **first,
                      const struct risk_text_hit **severe)
{
    // first is an array of RT_NKINDS pointers: sizeof *first is one pointer, as meant.
    memset(first, 0, RT_NKINDS * sizeof *first); // NOLINT(bugprone-sizeof-expression)
    *severe = NULL;
    for (int i = 0; i < t->nhits; i++) {
        const struct risk_text_hit *h = &t->hits[i];
        if (h->negated)
            continue;
        if (!first[h->kind] || (h->severe && !first[h->kind]->severe))
            first[h->kind] = h;
        if (h->severe && !*severe)
            *severe = h;
    }
}

/* The statistical reading (risk_model.h). Where the patterns found no dangerous kind, a high
 * probability adds text_model (a text whose hits were all negated is read too: the model has
 * seen denials and weighs them itself). Where they did find one, nothing is added (the same
 * words would count twice), but a very low probability takes text_doubt back: on the blind
 * sets most of the patterns' false alarms were texts the model found plainly harmless
 * (docs/risk.md has the figures). */
static void assess_model(const struct risk_input *in, const struct risk_weights *w,
                         const struct risk_text_hit *const *first, struct risk_result *out)
{
    struct risk_model_why why;
    char names[64] = "";
    size_t n = 0;
    int danger = 0;
    double p;

    for (int k = 0; k < RT_NKINDS; k++)
        danger |= first[k] && k != RT_WAGE;
    if (in->text == NULL || !in->text[0] ||
        (danger ? w->w[F_TEXT_DOUBT] == 0 || w->text_model_doubt <= 0 : w->w[F_TEXT_MODEL] == 0))
        return;
    p = risk_model_prob(in->text, &why);
    if (danger) {
        if (p * 100.0 < w->text_model_doubt)
            add(out, w, F_TEXT_DOUBT,
                "统计模型读来文本整体不似激化（模型 %d%%），上述文字命中存疑，请核实",
                (int)(p * 100.0));
        return;
    }
    if (p * 100.0 < w->text_model_threshold)
        return;
    for (int i = 0; i < why.n && n < sizeof names; i++)
        n += (size_t)snprintf(names + n, sizeof names - n, "“%s”", why.gram[i]);
    add(out, w, F_TEXT_MODEL, "文本整体读来有激化风险迹象（模型 %d%%%s%s）", (int)(p * 100.0),
        why.n ? "；" : "", names);
}

static int was_quoted(const char *const *quoted, int n, const char *quote)
{
    for (int i = 0; i < n; i++)
        if (strcmp(quoted[i], quote) == 0)
            return 1;
    return 0;
}

/* Returns 1 if the text names a group action. */
static int assess_text(const struct risk_input *in, const struct risk_weights *w,
                       struct risk_result *out, int *personal)
{
    struct risk_text_result t;
    const struct risk_text_hit *first[RT_NKINDS], *severe;
    int strongest = -1, nkinds = 0;

    if (in->text_read)
        t = *in->text_read;
    else
        risk_text_read(in->text, &t);
    pick_hits(&t, first, &severe);
    for (int k = 0; k < RT_NKINDS; k++)
        if (first[k] && (strongest < 0 || w->w[F_TEXT + k] > w->w[F_TEXT + strongest]))
            strongest = k;
    /* The strongest kind counts in full, each further kind adds text_more: two phrases of
     * one incident should not add up to red on their own. */
    /* A clause is quoted once: the reasons after it that read the same clause say so. */
    const char *quoted[RT_NKINDS + 1];
    int nquoted = 0;
    for (int k = 0; k < RT_NKINDS; k++) {
        if (!first[k])
            continue;
        nkinds++;
        if (was_quoted(quoted, nquoted, first[k]->quote)) {
            add(out, w, k == strongest ? F_TEXT + k : F_TEXT_MORE, "文本提到%s（同上）",
                risk_text_kind_name((enum risk_text_kind)k));
        } else {
            add(out, w, k == strongest ? F_TEXT + k : F_TEXT_MORE, "文本提到%s：“%s”",
                risk_text_kind_name((enum risk_text_kind)k), first[k]->quote);
            quoted[nquoted++] = first[k]->quote;
        }
    }
    assess_model(in, w, first, out);
    if (severe && was_quoted(quoted, nquoted, severe->quote))
        add(out, w, F_SEVERE, "其中针对他人的杀害、放火、爆炸或同归于尽等极端言行（同上）");
    else if (severe)
        add(out, w, F_SEVERE, "文本提到针对他人的杀害、放火、爆炸或同归于尽等极端言行：“%s”",
            severe->quote);
    *personal = first[RT_THREAT] || first[RT_SELF_HARM] || first[RT_EXTREME] ||
                first[RT_VIOLENCE] || first[RT_WEAPON];
    return first[RT_GROUP] != NULL || first[RT_WAGE] != NULL;
}

static void assess_case(const struct risk_input *in, const struct risk_weights *w,
                        struct risk_result *out)
{
    if (in->amount >= 0 && w->amount_large > 0 && in->amount >= w->amount_large)
        add(out, w, F_AMOUNT, "涉及金额%lld元，达到%lld元", (long long)in->amount,
            (long long)w->amount_large);
    if (in->amount >= 0 && w->amount_huge > 0 && in->amount >= w->amount_huge)
        add(out, w, F_AMOUNT_HUGE, "涉及金额达到%lld元", (long long)w->amount_huge);
    if (in->complexity && strcmp(in->complexity, "major") == 0)
        add(out, w, F_MAJOR, "案件为重大纠纷");
    else if (in->complexity && strcmp(in->complexity, "difficult") == 0)
        add(out, w, F_DIFFICULT, "案件为疑难复杂纠纷");
    if (in->key_persons)
        add(out, w, F_KEY, "涉及重点人员");
    if (is_sensitive(in->category))
        add(out, w, F_SENSITIVE, "属敏感领域纠纷");
    if (in->urgent)
        add(out, w, F_URGENT, "案件标记为紧急");
    if (in->repeat_disputes > 0)
        add(out, w, F_REPEAT, "同一当事人近12个月内另有%d件纠纷", in->repeat_disputes);
    if (in->escalations > 1)
        add(out, w, F_ESCALATED, "案件已%d次上报", in->escalations);
    if (in->sensitive_period)
        add(out, w, F_PERIOD, "所在地区处于敏感时期");
    if (in->overdue)
        add(out, w, F_OVERDUE, "已超过调处时限");
}

void risk_assess(const struct risk_input *in, const struct risk_weights *w, struct risk_result *out)
{
    int personal = 0, group_text;

    memset(out, 0, sizeof *out);
    assess_people(in, w, out);
    group_text = assess_text(in, w, out, &personal);
    if (personal && (group_text || in->people >= RISK_GROUP_PEOPLE))
        add(out, w, F_COLLECTIVE, "个人极端言行与群体性因素叠加");
    assess_case(in, w, out);
    out->level = out->score >= w->red_at      ? RISK_RED
                 : out->score >= w->orange_at ? RISK_ORANGE
                 : out->score >= w->yellow_at ? RISK_YELLOW
                                              : RISK_BLUE;
}

void risk_reasons_text(const struct risk_result *r, char *buf, size_t len)
{
    size_t n = 0;
    int k;

    if (!len)
        return;
    buf[0] = '\0';
    for (int i = 0; i < r->nreasons; i++) {
        k = snprintf(buf + n, len - n, "%s%s", i ? "；" : "", r->reasons[i].text);
        if (k < 0 || (size_t)k >= len - n) {
            buf[n] = '\0'; /* no half a sentence (nor half a character) */
            return;
        }
        n += (size_t)k;
    }
}

static const char *const codes[] = {"blue", "yellow", "orange", "red"};

const char *risk_level_code(enum risk_level l)
{
    return l >= RISK_BLUE && l <= RISK_RED ? codes[l] : "blue";
}

int risk_level_parse(const char *code)
{
    for (int i = 0; code && i < 4; i++)
        if (strcmp(code, codes[i]) == 0)
            return i;
    return -1;
}

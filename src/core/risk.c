/*
 * risk.c - the risk grade (core/risk.h). Transitional: the structured factors only; the
 * reading of what the parties said lands with the text model (docs/risk.md).
 */
#include "core/risk.h"

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
    F_COUNT
};

static const char *const factor_codes[F_COUNT] = {
    "group",  "major",     "difficult",        "key_person", "sensitive", "urgent",
    "repeat", "escalated", "sensitive_period", "overdue",    "amount",
};

/* DOMAIN.md "Risk assessment": fields where disputes turn collective or violent. */
static const char *const sensitive_categories[] = {
    "land_requisition", "wage_arrears", "medical", "finance", "environment", "military", NULL,
};

void risk_weights_default(struct risk_weights *w)
{
    memset(w, 0, sizeof *w);
    w->w[F_GROUP] = 30;
    w->w[F_MAJOR] = 30;
    w->w[F_DIFFICULT] = 10;
    w->w[F_KEY] = 20;
    w->w[F_SENSITIVE] = 10;
    w->w[F_URGENT] = 10;
    w->w[F_REPEAT] = 10;
    w->w[F_ESCALATED] = 10;
    w->w[F_PERIOD] = 10;
    w->w[F_OVERDUE] = 10;
    w->w[F_AMOUNT] = 10;
    w->yellow_at = 10;
    w->orange_at = 30;
    w->red_at = 60;
}

int risk_weights_set(struct risk_weights *w, const char *key, long value)
{
    if (strcmp(key, "risk_yellow_at") == 0)
        w->yellow_at = (int)value;
    else if (strcmp(key, "risk_orange_at") == 0)
        w->orange_at = (int)value;
    else if (strcmp(key, "risk_red_at") == 0)
        w->red_at = (int)value;
    else {
        for (int i = 0; i < F_COUNT; i++)
            if (strncmp(key, "risk_w_", 7) == 0 && strcmp(key + 7, factor_codes[i]) == 0) {
                w->w[i] = (int)value;
                return 0;
            }
        return -1;
    }
    return 0;
}

static void add(struct risk_result *r, const struct risk_weights *w, enum factor f,
                const char *text)
{
    struct risk_reason *x;

    if (w->w[f] == 0 || r->nreasons >= RISK_MAX_REASONS)
        return;
    x = &r->reasons[r->nreasons++];
    snprintf(x->factor, sizeof x->factor, "%s", factor_codes[f]);
    x->points = w->w[f];
    snprintf(x->text, sizeof x->text, "%s", text);
    r->score += w->w[f];
}

static int is_sensitive(const char *category)
{
    for (int i = 0; category && sensitive_categories[i]; i++)
        if (strcmp(category, sensitive_categories[i]) == 0)
            return 1;
    return 0;
}

void risk_assess(const struct risk_input *in, const struct risk_weights *w, struct risk_result *out)
{
    char buf[64];

    memset(out, 0, sizeof *out);
    if (in->people >= RISK_GROUP_PEOPLE) {
        snprintf(buf, sizeof buf, "群体性（%lld人）", (long long)in->people);
        add(out, w, F_GROUP, buf);
    }
    if (in->complexity && strcmp(in->complexity, "major") == 0)
        add(out, w, F_MAJOR, "重大纠纷");
    else if (in->complexity && strcmp(in->complexity, "difficult") == 0)
        add(out, w, F_DIFFICULT, "疑难复杂");
    if (in->key_persons)
        add(out, w, F_KEY, "涉及重点人员");
    if (is_sensitive(in->category))
        add(out, w, F_SENSITIVE, "敏感领域");
    if (in->urgent)
        add(out, w, F_URGENT, "紧急");
    if (in->repeat_disputes > 0)
        add(out, w, F_REPEAT, "当事人一年内多次纠纷");
    if (in->escalations > 1)
        add(out, w, F_ESCALATED, "多次上报");
    if (in->sensitive_period)
        add(out, w, F_PERIOD, "敏感时期");
    if (in->overdue)
        add(out, w, F_OVERDUE, "超过调处时限");
    out->level = out->score >= w->red_at      ? RISK_RED
                 : out->score >= w->orange_at ? RISK_ORANGE
                 : out->score >= w->yellow_at ? RISK_YELLOW
                                              : RISK_BLUE;
}

void risk_reasons_text(const struct risk_result *r, char *buf, size_t len)
{
    size_t n = 0;

    if (!len)
        return;
    buf[0] = '\0';
    for (int i = 0; i < r->nreasons && n < len; i++)
        n += (size_t)snprintf(buf + n, len - n, "%s%s", i ? "；" : "", r->reasons[i].text);
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

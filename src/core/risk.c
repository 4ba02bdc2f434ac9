#include "core/risk.h"

#include <stdio.h>
#include <string.h>

/* DOMAIN.md "Risk assessment": fields where disputes turn collective or violent. */
static const char *const sensitive_categories[] = {
    "land_requisition", "wage_arrears", "medical", "finance", "environment", "military", NULL,
};

static int is_sensitive(const char *category)
{
    for (int i = 0; category && sensitive_categories[i]; i++)
        if (strcmp(category, sensitive_categories[i]) == 0)
            return 1;
    return 0;
}

static void note(char *why, size_t whylen, const char *text)
{
    size_t len;

    if (!why || whylen == 0)
        return;
    len = strlen(why);
    snprintf(why + len, whylen - len, "%s%s", len ? "；" : "", text);
}

enum risk_level risk_assess_intake(const struct risk_input *in, char *why, size_t whylen)
{
    int score = 0;
    char group[48];

    if (why && whylen)
        why[0] = '\0';
    /* Two points make high: a key person alone is medium, a key person in a group or a
     * sensitive field is high; a major case is high on its own. */
    if (in->complexity && strcmp(in->complexity, "major") == 0) {
        score += 2;
        note(why, whylen, "重大纠纷");
    } else if (in->complexity && strcmp(in->complexity, "difficult") == 0) {
        score += 1;
        note(why, whylen, "疑难复杂");
    }
    if (in->people >= RISK_GROUP_PEOPLE) {
        score += 1;
        snprintf(group, sizeof group, "群体性（%lld人）", (long long)in->people);
        note(why, whylen, group);
    }
    if (in->key_persons) {
        score += 1;
        note(why, whylen, "涉及重点人员");
    }
    if (is_sensitive(in->category)) {
        score += 1;
        note(why, whylen, "敏感领域");
    }
    if (in->urgent) {
        score += 1;
        note(why, whylen, "紧急");
    }
    return score >= 2 ? RISK_HIGH : score == 1 ? RISK_MEDIUM : RISK_LOW;
}

static const char *const codes[] = {"low", "medium", "high"};

const char *risk_level_code(enum risk_level l)
{
    return l >= RISK_LOW && l <= RISK_HIGH ? codes[l] : "low";
}

int risk_level_parse(const char *code)
{
    for (int i = 0; code && i < 3; i++)
        if (strcmp(code, codes[i]) == 0)
            return i;
    return -1;
}

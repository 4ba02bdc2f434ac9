#include "core/routing.h"

#include <string.h>

const char *routing_dim_name(enum routing_dim d)
{
    switch (d) {
    case ROUTING_CATEGORY:
        return "category";
    case ROUTING_REGION_LEVEL:
        return "region_level";
    case ROUTING_COMPLEXITY:
        return "complexity";
    case ROUTING_AMOUNT:
        return "amount";
    case ROUTING_PEOPLE:
        return "people";
    }
    return "unknown";
}

int routing_specificity(const struct routing_cond *c)
{
    return 8 * (c->category != NULL) + 4 * (c->complexity != NULL) +
           2 * (c->has_amount_min || c->has_amount_max) +
           2 * (c->has_people_min || c->has_people_max) + (c->region_level != 0);
}

static int same_or_any(const char *a, const char *b)
{
    return !a || !b || strcmp(a, b) == 0;
}

/* Do [amin, amax] and [bmin, bmax], each end possibly open, intersect? */
static int ranges_overlap(int ha_min, int64_t amin, int ha_max, int64_t amax, int hb_min,
                          int64_t bmin, int hb_max, int64_t bmax)
{
    /* They are disjoint only if one ends before the other starts. */
    if (ha_max && hb_min && amax < bmin)
        return 0;
    if (hb_max && ha_min && bmax < amin)
        return 0;
    return 1;
}

int routing_overlap(const struct routing_cond *a, const struct routing_cond *b)
{
    return same_or_any(a->category, b->category) && same_or_any(a->complexity, b->complexity) &&
           (!a->region_level || !b->region_level || a->region_level == b->region_level) &&
           ranges_overlap(a->has_amount_min, a->amount_min, a->has_amount_max, a->amount_max,
                          b->has_amount_min, b->amount_min, b->has_amount_max, b->amount_max) &&
           ranges_overlap(a->has_people_min, a->people_min, a->has_people_max, a->people_max,
                          b->has_people_min, b->people_min, b->has_people_max, b->people_max);
}

static int in_range(int has_min, int64_t min, int has_max, int64_t max, int has, int64_t v)
{
    if (!has_min && !has_max)
        return 1;
    if (!has)
        return 0;
    return (!has_min || v >= min) && (!has_max || v <= max);
}

int routing_match(const struct routing_cond *c, const struct routing_case *k,
                  enum routing_dim out[ROUTING_MAX_MISMATCH])
{
    int n = 0;

    if (c->category && (!k->category || strcmp(c->category, k->category) != 0))
        out[n++] = ROUTING_CATEGORY;
    if (c->region_level && c->region_level != k->region_level)
        out[n++] = ROUTING_REGION_LEVEL;
    if (c->complexity && (!k->complexity || strcmp(c->complexity, k->complexity) != 0))
        out[n++] = ROUTING_COMPLEXITY;
    if (!in_range(c->has_amount_min, c->amount_min, c->has_amount_max, c->amount_max, k->has_amount,
                  k->amount))
        out[n++] = ROUTING_AMOUNT;
    if (!in_range(c->has_people_min, c->people_min, c->has_people_max, c->people_max, k->has_people,
                  k->people))
        out[n++] = ROUTING_PEOPLE;
    return n;
}

int routing_outranks(const struct routing_rule *a, const struct routing_rule *b)
{
    if (a->owner_depth != b->owner_depth)
        return a->owner_depth > b->owner_depth;
    return routing_specificity(&a->cond) > routing_specificity(&b->cond);
}

static int rank_equal(const struct routing_rule *a, const struct routing_rule *b)
{
    return !routing_outranks(a, b) && !routing_outranks(b, a);
}

int routing_decide(const struct routing_rule *rules, int n, const struct routing_case *k,
                   enum routing_outcome *outcome, int *tie)
{
    enum routing_dim mism[ROUTING_MAX_MISMATCH];
    int winner = -1;

    *tie = -1;
    for (int i = 0; i < n; i++) {
        if (!rules[i].enabled) {
            outcome[i] = ROUTING_DISABLED;
            continue;
        }
        if (routing_match(&rules[i].cond, k, mism) != 0) {
            outcome[i] = ROUTING_NO_MATCH;
            continue;
        }
        outcome[i] = ROUTING_BEATEN;
        if (winner < 0 || routing_outranks(&rules[i], &rules[winner])) {
            winner = i;
            *tie = -1;
        } else if (rank_equal(&rules[i], &rules[winner]) && *tie < 0) {
            *tie = i;
        }
    }
    if (winner >= 0)
        outcome[winner] = ROUTING_WINNER;
    return winner;
}

int routing_tie(const struct routing_rule *r, const struct routing_rule *rules,
                const int *same_owner, int n)
{
    if (!r->enabled)
        return -1;
    for (int i = 0; i < n; i++) {
        if (!same_owner[i] || !rules[i].enabled || rules[i].id == r->id)
            continue;
        if (routing_specificity(&rules[i].cond) == routing_specificity(&r->cond) &&
            routing_overlap(&rules[i].cond, &r->cond))
            return i;
    }
    return -1;
}

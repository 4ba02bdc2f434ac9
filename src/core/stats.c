/* stats.c - the figures of one case and the rates (core/stats.h, docs/metrics.md). */
#include "core/stats.h"
#include "core/case_fsm.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const fig_names[SF_N] = {
    "received",
    "accepted",
    "mediated",
    "agreed",
    "failed",
    "withdrawn",
    "rejected",
    "referred",
    "referred_resolved",
    "resolved",
    "concluded",
    "resolved_local",
    "escalated",
    "closed",
    "visited_closed",
    "rated",
    "satisfied",
    "fulfilment_known",
    "fulfilled",
    "awaiting_feedback",
};

/* Each rate's numerator and denominator (docs/metrics.md defines them). */
static const struct {
    const char *name;
    enum stats_fig num, den;
} rates[SR_N] = {
    [SR_MEDIATION] = {"mediation_rate", SF_MEDIATED, SF_ACCEPTED},
    [SR_SUCCESS] = {"success_rate", SF_AGREED, SF_FAILED}, /* agreed / (agreed + failed) */
    [SR_RESOLUTION] = {"resolution_rate", SF_RESOLVED, SF_CONCLUDED},
    [SR_FULFILMENT] = {"fulfilment_rate", SF_FULFILLED, SF_FULFILMENT_KNOWN},
    [SR_SATISFACTION] = {"satisfaction_rate", SF_SATISFIED, SF_RATED},
    [SR_LOCAL] = {"local_resolution_rate", SF_RESOLVED_LOCAL, SF_RESOLVED},
    [SR_ESCALATION] = {"escalation_rate", SF_ESCALATED, SF_ACCEPTED},
    [SR_VISIT] = {"visit_coverage", SF_VISITED_CLOSED, SF_CLOSED},
};

const char *stats_fig_name(enum stats_fig f)
{
    return (unsigned)f < SF_N ? fig_names[f] : NULL;
}

int stats_fig_parse(const char *name)
{
    for (int i = 0; i < SF_N; i++)
        if (strcmp(name, fig_names[i]) == 0)
            return i;
    return -1;
}

const char *stats_rate_name(enum stats_rate r)
{
    return (unsigned)r < SR_N ? rates[r].name : NULL;
}

int stats_ratio(int64_t num, int64_t den, double *v)
{
    if (den <= 0)
        return 0;
    *v = (double)num / (double)den;
    return 1;
}

int stats_rate(const int64_t fig[SF_N], enum stats_rate r, double *v)
{
    if ((unsigned)r >= SR_N)
        return 0;
    /* 成功率: of the mediations that ended (agreed or failed), the share agreed; a referral
     * resolved elsewhere was no mediation of ours. */
    if (r == SR_SUCCESS)
        return stats_ratio(fig[SF_AGREED], fig[SF_AGREED] + fig[SF_FAILED], v);
    return stats_ratio(fig[rates[r].num], fig[rates[r].den], v);
}

int stats_per_10k(int64_t n, int64_t population, double *v)
{
    if (population <= 0)
        return 0;
    *v = (double)n * 10000.0 / (double)population;
    return 1;
}

int stats_days_parse(const char *metric)
{
    size_t len = strlen(STATS_DAYS_PREFIX);
    char *end;
    long n;

    if (strncmp(metric, STATS_DAYS_PREFIX, len) != 0 || !metric[len])
        return -1;
    n = strtol(metric + len, &end, 10);
    return *end || n < 0 || n > STATS_DAYS_CAP ? -1 : (int)n;
}

int stats_days_percentile(const int64_t hist[STATS_DAYS_CAP + 1], int pct, int *out)
{
    int64_t total = 0, need, seen = 0;

    for (int i = 0; i <= STATS_DAYS_CAP; i++)
        total += hist[i];
    if (total <= 0 || pct < 1 || pct > 100)
        return 0;
    /* Nearest rank, in integers so that no rounding moves it: ceil(pct × N / 100). */
    need = (pct * total + 99) / 100;
    for (int i = 0; i <= STATS_DAYS_CAP; i++) {
        seen += hist[i];
        if (seen >= need) {
            *out = i;
            return 1;
        }
    }
    return 0;
}

static void add(struct stats_key *out, int *n, const char *metric, int by_due)
{
    if (*n >= STATS_KEYS_MAX)
        return;
    snprintf(out[*n].metric, STATS_KEY_MAX, "%s", metric);
    out[*n].by_due = by_due;
    (*n)++;
}

static void add2(struct stats_key *out, int *n, const char *prefix, const char *value)
{
    char m[STATS_KEY_MAX];

    if (!value || !*value)
        return;
    snprintf(m, sizeof m, "%s:%s", prefix, value);
    add(out, n, m, 0);
}

static int is(const char *s, const char *v)
{
    return s && strcmp(s, v) == 0;
}

/* The outcome keys: exclusive, so that by_outcome partitions the cases. */
static void outcome_keys(const struct stats_case *c, struct stats_key *out, int *n, int *agreed,
                         int *resolved)
{
    int closed = is(c->state, "closed") || is(c->state, "archived");
    int outcome = is(c->outcome, "agree") || is(c->outcome, "fail") || is(c->outcome, "withdraw");

    *agreed = is(c->outcome, "agree");
    *resolved = *agreed;
    if (*agreed)
        add(out, n, "agreed", 0);
    else if (is(c->outcome, "fail"))
        add(out, n, "failed", 0);
    else if (is(c->outcome, "withdraw"))
        add(out, n, "withdrawn", 0);
    else if (!outcome && is(c->state, "rejected"))
        add(out, n, "rejected", 0);
    else if (!outcome && c->referrals && c->feedback_recorded && closed) {
        /* Referred out, answered (闭环) and closed: resolved by the body it went to. */
        add(out, n, "referred_resolved", 0);
        *resolved = 1;
    }
    if (*resolved)
        add(out, n, "resolved", 0);
    if (*resolved || is(c->outcome, "fail"))
        add(out, n, "concluded", 0);
}

int stats_case_keys(const struct stats_case *c, struct stats_key out[STATS_KEYS_MAX])
{
    int n = 0, agreed, resolved;
    int closed = is(c->state, "closed") || is(c->state, "archived");

    add(out, &n, "received", 0);
    add2(out, &n, "state", c->state);
    add2(out, &n, "level", c->level);
    add2(out, &n, "method", c->method);
    if (c->accepted)
        add(out, &n, "accepted", 0);
    if (c->sessions)
        add(out, &n, "mediated", 0);
    if (c->escalations)
        add(out, &n, "escalated", 0);
    if (c->referrals)
        add(out, &n, "referred", 0);
    outcome_keys(c, out, &n, &agreed, &resolved);
    /* 就地化解: agreed without ever leaving the level where it was first handled. */
    if (agreed && !c->escalations)
        add(out, &n, "resolved_local", 0);
    if (resolved && c->has_resolve_days) {
        char m[STATS_KEY_MAX];
        int d = c->resolve_days < 0 ? 0 : c->resolve_days;
        snprintf(m, sizeof m, STATS_DAYS_PREFIX "%d", d > STATS_DAYS_CAP ? STATS_DAYS_CAP : d);
        add(out, &n, m, 0);
    }
    if (closed)
        add(out, &n, "closed", 0);
    if (closed && c->visited)
        add(out, &n, "visited_closed", 0);
    if (c->satisfaction > 0)
        add(out, &n, "rated", 0);
    if (c->satisfaction >= 4)
        add(out, &n, "satisfied", 0);
    if (agreed && c->fulfilled >= 0)
        add(out, &n, "fulfilment_known", 0);
    if (agreed && c->fulfilled == 1)
        add(out, &n, "fulfilled", 0);
    if (is(c->state, "referred") && !c->feedback_recorded)
        add(out, &n, "awaiting_feedback", 0);
    if (c->due_date && *c->due_date && case_clock_runs(case_state_parse(c->state)))
        add(out, &n, STATS_OPEN_DUE, 1);
    return n;
}

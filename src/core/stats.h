/*
 * stats.h - the figures of the statistics service (统计分析, docs/metrics.md): which
 * counters one case contributes to, and the rates computed from summed counters.
 *
 * Every case contributes a set of keys (metric names) dated by the day it was received,
 * plus one key dated by its due date while its clock runs (the overdue backlog). The
 * counters are the number of cases holding each key, per region, day, category and
 * channel; a summary adds them up. Pure: no I/O.
 */
#ifndef JIEFEN_CORE_STATS_H
#define JIEFEN_CORE_STATS_H

#include <stddef.h>
#include <stdint.h>

/* The figures (numerators and denominators) a summary adds up, in docs/metrics.md order. */
enum stats_fig {
    SF_RECEIVED,
    SF_ACCEPTED,
    SF_MEDIATED,
    SF_AGREED,
    SF_FAILED,
    SF_WITHDRAWN,
    SF_REJECTED,
    SF_REFERRED,
    SF_REFERRED_RESOLVED,
    SF_RESOLVED,
    SF_CONCLUDED,
    SF_RESOLVED_LOCAL,
    SF_ESCALATED,
    SF_CLOSED,
    SF_VISITED_CLOSED,
    SF_RATED,
    SF_SATISFIED,
    SF_FULFILMENT_KNOWN,
    SF_FULFILLED,
    SF_AWAITING_FEEDBACK,
    SF_N
};

/* The rates: numerator / denominator of two figures. */
enum stats_rate {
    SR_MEDIATION,
    SR_SUCCESS,
    SR_RESOLUTION,
    SR_FULFILMENT,
    SR_SATISFACTION,
    SR_LOCAL,
    SR_ESCALATION,
    SR_VISIT,
    SR_N
};

/* The metric name of a figure ("agreed"), and back (-1 when not a figure). */
const char *stats_fig_name(enum stats_fig f);
int stats_fig_parse(const char *name);
/* The API name of a rate ("success_rate"). */
const char *stats_rate_name(enum stats_rate r);

/* num / den into *v; 0 (and *v untouched) when den is 0: the rate is undefined (null). */
int stats_ratio(int64_t num, int64_t den, double *v);
/* Rate r of the figures fig[SF_N]; 0 when its denominator is 0. */
int stats_rate(const int64_t fig[SF_N], enum stats_rate r, double *v);
/* Cases per 10,000 residents; 0 when the population is unknown (<= 0). */
int stats_per_10k(int64_t n, int64_t population, double *v);

/* What the counters need to know about one case: its row and a digest of its timeline. */
struct stats_case {
    const char *state, *level, *method; /* method may be NULL */
    const char *due_date;               /* YYYY-MM-DD or NULL */
    int feedback_recorded;
    int accepted, sessions, escalations, referrals; /* events of each kind on the timeline */
    const char *outcome;  /* latest of agree / fail / withdraw / reopen, or NULL */
    int visited;          /* a return visit is on the timeline */
    int satisfaction;     /* latest rating (return visit or citizen), 1..5; 0 none */
    int fulfilled;        /* latest return visit's answer: 1 yes, 0 no, -1 not asked */
    int has_resolve_days; /* resolve_days is known (the case is resolved) */
    int resolve_days;     /* received day → resolved day, Beijing calendar days */
};

#define STATS_KEY_MAX  40
#define STATS_KEYS_MAX 32
#define STATS_OPEN_DUE "open_due" /* the key dated by the due date */

struct stats_key {
    char metric[STATS_KEY_MAX];
    int by_due; /* 1: dated by the due date, else by the received day */
};

/*
 * Days to resolve (docs/metrics.md): a histogram kept as counter keys "resolve_days:<n>",
 * n = 0 .. STATS_DAYS_CAP, the last bucket holding every case of STATS_DAYS_CAP days or more.
 */
#define STATS_DAYS_CAP    366
#define STATS_DAYS_PREFIX "resolve_days:"

/* The bucket of metric "resolve_days:<n>", or -1 when metric is not one. */
int stats_days_parse(const char *metric);
/* The pct-th percentile (1..100) of the histogram hist[0..STATS_DAYS_CAP] by nearest rank:
 * the smallest n such that at least ceil(pct × N / 100) cases took n days or fewer, N the
 * number of cases. 0 (and *out untouched) when N is 0. */
int stats_days_percentile(const int64_t hist[STATS_DAYS_CAP + 1], int pct, int *out);

/* The keys case c holds now; returns how many (at most STATS_KEYS_MAX). */
int stats_case_keys(const struct stats_case *c, struct stats_key out[STATS_KEYS_MAX]);

#endif

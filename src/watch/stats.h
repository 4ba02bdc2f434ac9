/*
 * stats.h - the statistics counters (stat_counts) and the summaries read from them
 * (统计分析, docs/metrics.md).
 *
 * stats_sync brings one case's contribution up to date: it computes the keys the case
 * holds now (core/stats.h), compares them with the keys it held (stat_case_keys) and
 * moves the counters of every region above the case by the difference. The case module
 * calls it in the transaction of every change to a case, so the counters are exact; a
 * rebuild runs it for every case from scratch.
 */
#ifndef JIEFEN_WATCH_STATS_H
#define JIEFEN_WATCH_STATS_H

#include "core/case_fsm.h"
#include "core/stats.h"
#include "store/store.h"

#include <jansson.h>

/* Brings case `case_id`'s counters up to date, in the caller's transaction. */
store_err stats_sync(struct store_conn *c, int64_t case_id);

/* Recomputes every counter from the cases, in one transaction (jiefen stats rebuild). */
store_err stats_rebuild(struct store_conn *c);
/* The same without the rollups (migration 24, which runs before the rollups exist). */
store_err stats_rebuild_counters(struct store_conn *c);
/* Refills the rollups stat_days and stat_months from stat_counts (migration 31, rebuild). */
store_err stats_rollup_rebuild(struct store_conn *c);

/* The summed counters of one region (its subtree) over received days [from, to], read from
 * the rollups: whole months from stat_months, the rest from stat_days (docs/metrics.md
 * "Speed"). */
struct stats_sums {
    int64_t fig[SF_N];
    json_t *by[6]; /* by_state, by_category, by_channel, by_level, by_method, by_outcome */
    int64_t days[STATS_DAYS_CAP + 1]; /* days to resolve: cases per day count (capped) */
};
store_err stats_sum(struct store_conn *c, int64_t region_id, const char *from, const char *to,
                    struct stats_sums *s);
void stats_sums_free(struct stats_sums *s);

/* The subtree's backlog as of `today`, whatever the period: open cases with a due date,
 * those of them past it (due < today), referrals awaiting feedback. */
struct stats_backlog {
    int64_t open_with_due, overdue, awaiting_feedback;
};
store_err stats_backlog(struct store_conn *c, int64_t region_id, const char *today,
                        struct stats_backlog *b);

/* The subtree's open cases in each state a workbench to-do counts (registered, accepted,
 * assigned, mediating, failed), read from the counters (state:<s>): by_state[s] for those
 * states, indexed by enum case_state (core/case_fsm.h), -1 for the others. */
store_err stats_todo_states(struct store_conn *c, int64_t region_id,
                            int64_t by_state[CASE_STATES + 1]);

/* The backlog of every region whose parent is region_id, in one read: rows of (id,
 * open_with_due, overdue, awaiting_feedback) ordered by id. */
store_err stats_child_backlogs(struct store_conn *c, int64_t region_id, const char *today,
                               struct store_rows **out);

/* Totals and figures per child region, category or month ("region", "category", "month"):
 * rows of key, figure name, n (the caller groups them). */
store_err stats_breakdown(struct store_conn *c, int64_t region_id, const char *from, const char *to,
                          const char *by, struct store_rows **out);

/* The mediators of the units in subtree `sub` with their counters of [from, to], as rows
 * (mediator id, name, NULL, metric, n) ordered by mediator (docs/metrics.md, 考核). */
struct region_scope;
store_err stats_mediator_breakdown(struct store_conn *c, const struct region_scope *sub,
                                   const char *from, const char *to, struct store_rows **out);

/* The open backlog of every mediator of the subtree as of today: (mediator_id,
 * open_with_due, overdue) in mediator id order; mediators without one have no row
 * (awaiting_feedback is not kept per mediator). */
store_err stats_mediator_backlogs(struct store_conn *c, const struct region_scope *sub,
                                  const char *today, struct store_rows **out);

#endif

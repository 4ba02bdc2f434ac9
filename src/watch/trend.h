/*
 * trend.h - trend warnings (趋势预警, issue 10 part 4; docs/risk.md "Trend warnings").
 *
 * Counters: case_day_counts holds the cases received a day per region and category, for
 * the case's region and every region above it, so that a township's or the county's
 * series is one indexed read. Intake adds to them in its own transaction
 * (trend_count_case); `jiefen trend rebuild` recomputes them from the cases.
 *
 * The daily scan reads the counters (never the cases), tests each region and category
 * that had cases this week (core/trend.h), and writes one trend_warnings row per spike,
 * with its notification to the region's overseers.
 */
#ifndef JIEFEN_WATCH_TREND_H
#define JIEFEN_WATCH_TREND_H

#include "store/store.h"

#include <stddef.h>
#include <stdint.h>

/* Adds case `case_id` (just inserted, in the caller's transaction) to the counters. */
store_err trend_count_case(struct store_conn *c, int64_t case_id);

/* Recomputes every counter from the cases, in one transaction. */
store_err trend_rebuild(struct store_conn *c);

/* Tests the week ending `today` (days since the epoch); *raised counts new warnings. */
store_err trend_scan(struct store_conn *c, int32_t today, int *raised);

/* Trend warnings in the actor's scope, under region_id (0: the whole scope), whose window
 * ends within [from, to] (either NULL: open), newest first. */
struct store_page;
store_err trend_list(struct store_conn *c, const struct store_actor *a, int64_t region_id,
                     const char *from, const char *to, const struct store_page *pg,
                     struct store_rows **out);

/* Cases received in region `region_id` (in scope) from day `from` to `to`, by category:
 * rows {category, n}, from the counters. */
store_err trend_counts(struct store_conn *c, const struct store_actor *a, int64_t region_id,
                       int32_t from, int32_t to, struct store_rows **out);

/*
 * The people to tell about something at the region with `path`: active users holding the
 * supervisor or leader role in the nearest region at or above `path` that has any.
 * *ids is malloc'd (caller frees), *n may be 0.
 */
store_err watch_overseers(struct store_conn *c, const char *path, int64_t **ids, size_t *n);

#endif

/*
 * demo_bulk.h - the statistics counters of a generated register, counted in bulk
 * (cmd_demo_bulk.c). The generator knows each case's whole history, so it files the keys
 * a case holds (core/stats.h, the same pure function stats_sync uses) as it writes the
 * case, and adds the counters up with a few set-based statements at the end instead of
 * one upsert per key, region and case. `jiefen stats rebuild` gives the very same rows
 * (tests/api/demo-cases.test.mjs checks it on both backends).
 */
#ifndef JIEFEN_CLI_DEMO_BULK_H
#define JIEFEN_CLI_DEMO_BULK_H

#include "store/cases.h"
#include "store/copybuf.h"
#include "store/store.h"
#include "text/text.h"

#include <stdint.h>

/* Writes the stat_case_keys rows of case `id`, loaded from `r`, in the caller's transaction. */
store_err demo_bulk_case_keys(struct store_conn *c, int64_t id, const struct store_case_raw *r);
/* The same rows of stat_case_keys, appended to a COPY buffer (PostgreSQL). */
void demo_bulk_case_keys_copy(struct store_copybuf *b, int64_t id, const struct store_case_raw *r);

/*
 * Adds up stat_counts, stat_mediator_counts and stat_case_mediators for the cases with
 * id >= first_id (their keys filed by demo_bulk_case_keys), adding to counters already
 * there. `places` are the rows (id, path) of every region a case may lie in. One
 * transaction.
 */
store_err demo_bulk_counters(struct store_conn *c, const struct store_rows *places,
                             int64_t first_id);

/*
 * `jiefen stats rebuild --from-keys`: empties and sums again stat_counts, the rollups,
 * stat_mediator_counts and stat_case_mediators from the keys each case holds
 * (stat_case_keys), without reading timelines. The keys must be whole: filed by the case
 * module or the generator. One transaction.
 */
store_err demo_bulk_recount(struct store_conn *c);

/*
 * Whether `jiefen risk regrade` could give case r (as loaded, today YYYY-MM-DD) another
 * level or other reasons than the intake grade it was written with: its text, escalations
 * or an overdue limit count (core/risk.h with the default weights). Other parties' cases
 * (repeat disputes), stored weights and sensitive periods are the caller's to check.
 */
int demo_bulk_may_regrade(struct text *text, const struct store_case_raw *r, const char *today);

#endif

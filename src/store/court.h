/*
 * court.h - the court's first-instance civil and commercial filings (民商事一审收案数) per
 * region and month, which jiefen does not hold: entered or imported by administrators and
 * leaders, read for 万人成讼率 (docs/metrics.md). Scoped by the actor.
 */
#ifndef JIEFEN_STORE_COURT_H
#define JIEFEN_STORE_COURT_H

#include "store/store.h"

/* Sets region id's filings of month (YYYY-MM) with its source; audited. */
store_err store_court_filings_set(struct store_conn *c, const struct store_actor *a, int64_t id,
                                  const char *month, int64_t filings, const char *source);

/* Removes region id's filings of month (unknown again); audited. */
store_err store_court_filings_delete(struct store_conn *c, const struct store_actor *a, int64_t id,
                                     const char *month);

/* The region's own rows (month, filings, source, updated_at) for months [from, to]. */
store_err store_court_filings_list(struct store_conn *c, const struct store_actor *a, int64_t id,
                                   const char *from, const char *to, struct store_rows **out);

/* Filings of region id's subtree for months [from, to] (YYYY-MM): *sum and *rows (how many
 * region-months are recorded; 0: unknown). */
store_err store_court_filings_sum(struct store_conn *c, const struct store_actor *a, int64_t id,
                                  const char *from, const char *to, int64_t *sum, int64_t *rows);

#endif

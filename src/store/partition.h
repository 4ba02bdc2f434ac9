/*
 * partition.h - cases and case events partitioned by year on PostgreSQL (issue 12 part 4,
 * migration 33, docs/postgresql.md "Cases and events partitioned by year").
 *
 * A case's id on PostgreSQL is year * 10^10 + n, n from one sequence (case_ids) for all
 * years, the year being its registration's (the year of its number). cases is partitioned
 * BY RANGE (id), case_events BY RANGE (case_id), with the same bounds, into cases_yYYYY,
 * a cases_legacy for the rows from before migration 33 (ids below 2000 * 10^10) and a
 * cases_default for a year that has no partition yet. SQLite keeps plain rowids.
 */
#ifndef JIEFEN_STORE_PARTITION_H
#define JIEFEN_STORE_PARTITION_H

#include "store/store.h"

/* The id of a case of `year`'s base: ids of that year are in [base, base + 10^10). */
#define STORE_CASE_YEAR_ID 10000000000LL

/* How many years ahead the partitions are kept. */
#define STORE_CASE_YEARS_AHEAD 5

/* Migration 33's script (PostgreSQL only). */
extern const char store_case_partitions_pg[];

/* The year (China's time zone, UTC+8) of an epoch-milliseconds time. */
int store_case_year_of(int64_t ms);

/*
 * Creates the year partitions of cases and case_events from this year to `ahead` years
 * on, those missing (PostgreSQL with migration 33; a no-op on SQLite). Idempotent and
 * cheap when they exist: run at each start (store_migrate) and by the scheduler's pass
 * under its lease, so that a server that runs for years never needs the default partition.
 */
store_err store_case_partitions_ahead(struct store_conn *c, int ahead);

#endif

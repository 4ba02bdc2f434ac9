/*
 * tally.h - counter deltas that wait for the commit (issue 12: the group writer's time).
 *
 * The statistics keep counters (stat_counts and its rollups, the mediators' counters) that
 * every change of a case moves by +1 or -1, in the transaction of the change. Applied at
 * once, each change ran a dozen upserts into the same few rows: the rows of its county and
 * of every region above it, of today. Under the group writer (store/group.h) the
 * registrations of one commit all move the same rows, one after the other.
 *
 * Here a change only adds its deltas to a buffer of its connection's transaction. Just
 * before the transaction commits, the buffer is summed per row and written: one upsert per
 * row whatever the number of changes that moved it, rows that reach 0 deleted (so that a
 * rebuild, which writes only what is there, gives the same rows). The counters stay exact
 * at every commit; only the transaction that moves them sees them move later.
 *
 * Savepoints: the group writer runs each job in a savepoint; a job that fails is rolled back
 * to it (store.c) and its deltas are dropped with it, so a failed job moves no counter.
 *
 * Locks (PostgreSQL): the rows are written in one order, the counter tables in a fixed order
 * and each table's rows in key order, under the counters' lock (store_lock_counters), which
 * is now held from the flush to the commit instead of from the first change.
 */
#ifndef JIEFEN_STORE_TALLY_H
#define JIEFEN_STORE_TALLY_H

#include "store/store.h"

#include <stddef.h>
#include <stdint.h>

/* Longest text key (a metric such as "category:<code>", a day): longer ones are refused. */
#define STORE_TALLY_KEY_MAX 64
#define STORE_TALLY_KEYS    4

/*
 * A counter table: its first key column is an integer (a region or a mediator id), then
 * nkeys text columns, then n. The primary key is exactly those columns. `rank` orders the
 * tables when they are written (and locked): every writer takes them in the same order.
 */
struct store_tally_table {
    const char *name;
    const char *id_col;
    const char *keys[STORE_TALLY_KEYS];
    int nkeys;
    int rank;
};

/*
 * Adds delta to the row (id, key[0..nkeys-1]) of table t, at the commit of the transaction
 * open on c. Outside a transaction it is written at once. STORE_INVALID for a key too long.
 */
store_err store_tally_add(struct store_conn *c, const struct store_tally_table *t, int64_t id,
                          const char *const *key, int64_t delta);

/* Writes what is waiting now, in the open transaction (a reader of the counters inside the
 * same transaction calls it first: the rebuild does). */
store_err store_tally_flush(struct store_conn *c);

/* ---- for store.c: the buffer of one connection ---- */
struct store_tally;
void store_tally_free(struct store_tally *t);
/* Entries so far (a mark), and dropping those added after a mark. NULL-safe. */
size_t store_tally_mark(const struct store_tally *t);
void store_tally_truncate(struct store_tally *t, size_t mark);
/* Writes and empties t on c (the commit calls it). NULL-safe. */
store_err store_tally_write(struct store_conn *c, struct store_tally *t);
/* Implemented by store.c for tally.c: the connection's buffer (created on first use), and
 * whether a transaction holds what is added now (one of ours, or the group writer's). */
struct store_tally **store_conn_tally(struct store_conn *c);
int store_conn_deferring(const struct store_conn *c, int *grouped);

#endif

/*
 * group.h - group commit for SQLite (issue 12 part 3).
 *
 * SQLite at synchronous=FULL waits for the disk on every COMMIT, and only one connection
 * writes at a time: N concurrent requests that each commit cost N fsyncs in a row. The group
 * writer is one thread with one connection that takes every write waiting at that moment,
 * runs each in its own SAVEPOINT inside a single transaction, commits once, and only then
 * lets each caller answer. Every acknowledged write is still on disk before its answer
 * (durability is unchanged), but a burst of writes shares one fsync.
 *
 * Each job stays atomic on its own: inside the group, the case module's store_begin/end
 * become a savepoint and its release or rollback (store.c), so a job that fails leaves
 * nothing and does not disturb the others. PostgreSQL has group commit in its WAL writer
 * already; the group is only started for SQLite.
 */
#ifndef JIEFEN_STORE_GROUP_H
#define JIEFEN_STORE_GROUP_H

#include "store/store.h"

struct store_group;

/* Starts the writer thread on its own connection to `st`. NULL with a reason in err. */
struct store_group *store_group_start(struct store *st, char *err, size_t errlen);

/* Stops the writer after the jobs already queued and frees it. NULL-safe. */
void store_group_stop(struct store_group *g);

/*
 * Runs fn(c, arg) on the writer's connection `c`, inside a transaction shared with the
 * other jobs waiting now, and returns once that transaction has committed: STORE_OK, or the
 * commit's error (then nothing of fn's writes stayed, and the caller must not report
 * success). fn runs on the writer thread while the caller waits; it must not call
 * store_group_run itself.
 */
store_err store_group_run(struct store_group *g, void (*fn)(struct store_conn *c, void *arg),
                          void *arg);

/*
 * Queues fn(c, arg) for the writer and returns at once, without waiting for the commit: for
 * writes whose loss in a crash is bounded and acceptable, and which must not make a read
 * wait for the disk (the "view" audit row of opening a case). fn must be a single statement:
 * it runs without a savepoint of its own, so a failure undoes that statement only. The writer frees
 * arg (malloc'd by the caller) after fn ran. Posted rows alone are committed together after
 * at most 20 ms (GROUP_LINGER_MS in group.c; at once when a request waits for the writer), and
 * at most GROUP_POSTED_MAX (4,096) posted writes are pending: beyond that the caller waits. So a
 * crash loses at most those not yet committed: what arrived in the last 20 ms and during the
 * group commit then running (one fsync), plus any backlog up to that cap.
 */
store_err store_group_post(struct store_group *g, void (*fn)(struct store_conn *c, void *arg),
                           void *arg);

/* Returns once every job posted before the call has committed (or failed). NULL-safe: no
 * group, nothing pending. Readers of what posted jobs write call it first. */
store_err store_group_sync(struct store_group *g);

/* Jobs waiting for the writer to take them now; *taken (may be NULL) the jobs it has taken
 * so far. Tests use them to line writes up. */
int store_group_waiting(struct store_group *g, int *taken);

/* Jobs and commits so far (for /metrics and the benchmark: jobs per commit). */
void store_group_counts(const struct store_group *g, uint64_t *jobs, uint64_t *commits);

#endif

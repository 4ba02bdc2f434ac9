/*
 * lease.h - a named job held by one process at a time (issue 12 part 4).
 *
 * Several `jiefen serve` instances may share one database (two app servers behind nginx,
 * one PostgreSQL primary). Each background job that must run in one place at a time — the
 * scheduler's pass — takes a lease: a row naming the holder and the time it expires. The
 * holder renews it on every pass; when a holder dies, its lease expires and another instance
 * takes the job over. A row with an expiry, not a PostgreSQL advisory lock, so that the same
 * code works on SQLite (two processes on one file) and survives connection pooling.
 *
 * The jobs stay idempotent on their own (every warning has a unique key): the lease keeps
 * the instances from doing the same work twice, it is not what makes the work correct.
 */
#ifndef JIEFEN_STORE_LEASE_H
#define JIEFEN_STORE_LEASE_H

#include "store/store.h"

/*
 * Takes or renews the lease on `job` for `holder` until now + ttl_ms. *held is 1 when the
 * caller holds it afterwards, 0 when another holder's lease has not expired yet.
 */
store_err store_lease_take(struct store_conn *c, const char *job, const char *holder,
                           int64_t ttl_ms, int *held);

/* Gives the lease up at once (on shutdown), only if `holder` still holds it. */
store_err store_lease_release(struct store_conn *c, const char *job, const char *holder);

#endif

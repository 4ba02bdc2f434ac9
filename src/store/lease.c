#include "store/lease.h"

store_err store_lease_take(struct store_conn *c, const char *job, const char *holder,
                           int64_t ttl_ms, int *held)
{
    struct store_rows *r = NULL;
    int64_t now = store_now_ms();
    store_err e;

    *held = 0;
    /* One statement on both backends: insert, or take over a lease that expired, or renew
     * our own. The WHERE of the upsert leaves a live lease of another holder untouched, and
     * then RETURNING gives no row. */
    e = store_exec(c,
                   "INSERT INTO job_leases (job, holder, until_ms) VALUES ($1, $2, $3)"
                   " ON CONFLICT (job) DO UPDATE SET holder = excluded.holder,"
                   " until_ms = excluded.until_ms"
                   " WHERE job_leases.holder = excluded.holder OR job_leases.until_ms < $4"
                   " RETURNING holder",
                   STORE_PARAMS(SP_TEXT(job), SP_TEXT(holder), SP_INT(now + ttl_ms), SP_INT(now)),
                   &r);
    if (e == STORE_OK)
        *held = r->nrows == 1;
    store_rows_free(r);
    return e;
}

store_err store_lease_release(struct store_conn *c, const char *job, const char *holder)
{
    return store_exec(c, "DELETE FROM job_leases WHERE job = $1 AND holder = $2",
                      STORE_PARAMS(SP_TEXT(job), SP_TEXT(holder)), NULL);
}

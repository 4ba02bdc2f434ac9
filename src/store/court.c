/* court.c - court filings per region and month (store/court.h, docs/metrics.md). */
#include "store/court.h"
#include "core/region.h"
#include "store/regions.h"

#include <stdio.h>

store_err store_court_filings_set(struct store_conn *c, const struct store_actor *a, int64_t id,
                                  const char *month, int64_t filings, const char *source)
{
    char path[REGION_PATH_MAX], fields[64];
    store_err e = store_region_path(c, a, id, path, sizeof path, NULL, 0); /* scope */

    if (e != STORE_OK)
        return e;
    snprintf(fields, sizeof fields, "court_filings:%.7s", month);
    return store_write_audited(
        c, a,
        "INSERT INTO court_filings (region_id, region_path, month, filings, source, updated_at,"
        " updated_by) VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (region_id, month) DO"
        " UPDATE SET filings = excluded.filings, source = excluded.source, updated_at ="
        " excluded.updated_at, updated_by = excluded.updated_by",
        STORE_PARAMS(SP_INT(id), SP_TEXT(path), SP_TEXT(month), SP_INT(filings),
                     SP_TEXT(source ? source : ""), SP_INT(store_now_ms()),
                     a->user_id ? SP_INT(a->user_id) : SP_NULL),
        "update", "region", id, fields, NULL);
}

store_err store_court_filings_delete(struct store_conn *c, const struct store_actor *a, int64_t id,
                                     const char *month)
{
    char path[REGION_PATH_MAX], fields[64];
    store_err e = store_region_path(c, a, id, path, sizeof path, NULL, 0); /* scope */

    if (e != STORE_OK)
        return e;
    snprintf(fields, sizeof fields, "court_filings:%.7s", month);
    return store_write_audited(
        c, a, "DELETE FROM court_filings WHERE region_id = $1 AND month = $2",
        STORE_PARAMS(SP_INT(id), SP_TEXT(month)), "update", "region", id, fields, NULL);
}

store_err store_court_filings_list(struct store_conn *c, const struct store_actor *a, int64_t id,
                                   const char *from, const char *to, struct store_rows **out)
{
    char path[REGION_PATH_MAX];
    store_err e = store_region_path(c, a, id, path, sizeof path, NULL, 0); /* scope */

    if (e != STORE_OK)
        return e;
    e = store_exec(
        c,
        "SELECT month, filings, source, updated_at FROM court_filings WHERE region_id = $1"
        " AND month >= $2 AND month <= $3 ORDER BY month",
        STORE_PARAMS(SP_INT(id), SP_TEXT(from), SP_TEXT(to)), out);
    if (e == STORE_OK)
        (*out)->types = "tits";
    return e;
}

store_err store_court_filings_sum(struct store_conn *c, const struct store_actor *a, int64_t id,
                                  const char *from, const char *to, int64_t *sum, int64_t *rows)
{
    struct region_scope sub;
    struct store_rows *r = NULL;
    store_err e = store_region_subtree(c, a, id, &sub);

    *sum = *rows = 0;
    if (e != STORE_OK)
        return e;
    /* The subtree is a range of paths: one read of the (region_path, month) index. */
    e = store_exec(c,
                   "SELECT COALESCE(SUM(filings), 0), COUNT(*) FROM court_filings WHERE region_path"
                   " >= $1 AND region_path < $2 AND month >= $3 AND month <= $4",
                   STORE_PARAMS(SP_TEXT(sub.lo), SP_TEXT(sub.hi), SP_TEXT(from), SP_TEXT(to)), &r);
    if (e == STORE_OK) {
        *sum = store_rows_int(r, 0, 0);
        *rows = store_rows_int(r, 0, 1);
    }
    store_rows_free(r);
    return e;
}

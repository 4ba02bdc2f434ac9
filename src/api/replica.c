/*
 * replica.c - which connection a request reads from when `jiefen serve --pg-replica` names a
 * PostgreSQL streaming replica (docs/postgresql.md).
 *
 * Routes marked API_REPLICA (lists and figures, where an answer a second old is harmless)
 * read from the replica; everything else, and every route for a caller who wrote in the last
 * few seconds, reads from the primary. Authentication always runs on the primary: a session
 * made a moment ago by logging in must be found. The replica is left aside while it cannot
 * be reached or lags more than the bound, and a read that fails because the replica went
 * away, or was cancelled by a conflict with replay, is run again on the primary (the routes
 * only read, so running one twice is safe).
 */
#include "api/api.h"

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define WROTE_COOKIE "jiefen_wrote"
#define CHECK_MS     500  /* how long one thread trusts its last look at the replica's lag */
#define BACKOFF_MS   1000 /* after a failed connect, how long no thread tries again */

/* Set when a connect to the replica failed: until then every thread reads from the primary,
 * so that a replica that is down costs one failed connect a second, not one per request. */
static _Atomic int64_t replica_down_until;

/* Per worker thread: when it last measured the lag of its replica connection, and whether
 * the replica was within the bound then. */
static _Thread_local int64_t lag_checked_ms;
static _Thread_local int lag_ok;

/*
 * How far behind the primary the replica is, in ms. Caught up (everything received is
 * replayed and the WAL receiver streams) counts as 0, since pg_last_xact_replay_timestamp()
 * alone grows while the primary is idle; otherwise the age of the last replayed commit.
 * Not in recovery (a promoted or misnamed server) is the primary itself: 0.
 */
static const char lag_sql[] =
    "SELECT CASE WHEN NOT pg_is_in_recovery() THEN 0"
    " WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn()"
    " AND EXISTS (SELECT 1 FROM pg_stat_wal_receiver WHERE status = 'streaming') THEN 0"
    " ELSE coalesce((extract(epoch FROM now() - pg_last_xact_replay_timestamp()) * 1000)::bigint,"
    " 2147483647) END";

/* The replica's connection for this thread if it is reachable and within the lag bound,
 * else NULL (read from the primary). */
static struct store_conn *replica_conn(struct api_app *app)
{
    int64_t now = store_now_ms();
    struct store_rows *rows = NULL;
    struct store_conn *c;
    char err[256];

    if (now < atomic_load(&replica_down_until))
        return NULL;
    c = store_conn_get(app->replica, err, sizeof err);
    if (!c) {
        atomic_store(&replica_down_until, now + BACKOFF_MS);
        fprintf(stderr, "{\"msg\":\"replica unavailable\",\"error\":\"%s\"}\n", err);
        return NULL;
    }
    if (now - lag_checked_ms < CHECK_MS)
        return lag_ok ? c : NULL;
    store_conn_clear(c);
    lag_checked_ms = now;
    lag_ok = store_exec(c, lag_sql, 0, NULL, &rows) == STORE_OK && rows &&
             store_rows_int(rows, 0, 0) <= app->replica_max_lag_ms;
    store_rows_free(rows);
    return lag_ok ? c : NULL;
}

/* Whether this caller wrote recently enough that the replica may not have its write yet.
 * The cookie is the caller's own claim: forging it only sends its reads to the primary. */
static int wrote_recently(const struct api_app *app, const struct http_req *req)
{
    const char *v = http_cookie(req, WROTE_COOKIE);
    char *end;
    long long at;

    if (!v || !*v)
        return 0;
    at = strtoll(v, &end, 10);
    return *end == '\0' && store_now_ms() - at < api_replica_window_ms(app);
}

int64_t api_replica_window_ms(const struct api_app *app)
{
    /* The replica is used only while it lags at most max_lag, measured at most CHECK_MS ago:
     * a write older than both is on the replica. */
    return app->replica_max_lag_ms + CHECK_MS + 1000;
}

/* Puts the response back as the handler found it, for a second run. */
static void res_reset(struct http_res *res, int nheaders)
{
    free(res->body);
    res->body = NULL;
    res->len = 0;
    res->status = 0;
    res->content_type = NULL;
    res->nheaders = nheaders;
}

static void run_read(const struct http_route *route, struct http_req *req, struct http_res *res,
                     struct api_ctx *ctx)
{
    struct store_conn *primary = ctx->conn, *rc = NULL;
    int nheaders = res->nheaders;

    if ((route->flags & API_REPLICA) && !wrote_recently(ctx->app, req))
        rc = replica_conn(ctx->app);
    if (rc) {
        ctx->conn = rc;
        http_res_header(res, "X-Jiefen-Read", "replica");
        route->fn(req, res);
        ctx->conn = primary;
        if (res->status < 500)
            return;
        /* The replica went away mid-request, or cancelled the query because it conflicted
         * with WAL replay (hot standby): run it on the primary, and look at the replica
         * again on this thread's next read (reconnect, or back off). */
        lag_checked_ms = 0;
        res_reset(res, nheaders);
    }
    http_res_header(res, "X-Jiefen-Read", "primary");
    route->fn(req, res);
}

void api_replica_run(const struct http_route *route, struct http_req *req, struct http_res *res,
                     struct api_ctx *ctx)
{
    char cookie[160];

    if (strcmp(req->method, "GET") == 0 || strcmp(req->method, "HEAD") == 0) {
        run_read(route, req, res, ctx);
        return;
    }
    route->fn(req, res);
    /* Marked even when the write was refused: harmless, and a partial write is covered. */
    snprintf(cookie, sizeof cookie, "%s=%lld; Max-Age=%lld; Path=/; HttpOnly; SameSite=Strict",
             WROTE_COOKIE, (long long)store_now_ms(),
             (long long)(api_replica_window_ms(ctx->app) + 999) / 1000);
    http_res_header(res, "Set-Cookie", cookie);
}

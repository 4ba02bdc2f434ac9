/*
 * dispatch.c - who is asking, and may they: authentication by session cookie or API
 * token, the CSRF check for cookie-authenticated writes, and the route's roles.
 */
#include "api/api.h"
#include "auth/auth.h"
#include "core/role.h"
#include "store/group.h"
#include "store/sessions.h"

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static int is_write(const char *method)
{
    return strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0;
}

/*
 * Who a credential belongs to, remembered per worker thread for a moment: the token (or
 * session) and principal look-ups were two of a case GET's ten-odd statements and ~14 % of
 * its CPU (bench/results/2026-12-06-perf.md). An entry is used only while
 *   - it is younger than AUTH_CACHE_MS, which bounds what another process can change
 *     unseen (a second instance, `jiefen user` on the command line, a session expiring), and
 *   - no write request has finished in this process since it was read (auth_gen): logging
 *     out, revoking a token, disabling a user or changing roles here takes effect on the
 *     very next request, as without the cache, and
 *   - no other connection has committed since (store_data_version): a change made by the
 *     command line (`jiefen user disable`, `jiefen regions load` moving the paths a scope
 *     is made of) is seen at once too. Without it, the per-thread caches made two requests
 *     in a row disagree (tests/api/regions-load.test.mjs). SQLite only: PostgreSQL cannot
 *     tell cheaply, and there another instance's change would go unseen, so nothing is
 *     cached there.
 * The generation is read before the look-up, so a write that lands during it invalidates
 * the entry it produces.
 */
#define AUTH_CACHE_MS    1000
#define AUTH_CACHE_SLOTS 64

struct auth_entry {
    char digest[AUTH_DIGEST_LEN]; /* "" when empty */
    int via_cookie;
    uint64_t gen;
    int64_t data_version;
    int64_t at;
    char csrf[64];
    struct store_principal who;
};

static _Atomic uint64_t auth_gen;
static _Thread_local struct auth_entry auth_cache[AUTH_CACHE_SLOTS];

static struct auth_entry *auth_slot(const char *digest)
{
    /* The digest is SHA-256 in hex: its first characters are already well spread. */
    unsigned h = 0;
    for (int i = 0; i < 8 && digest[i]; i++)
        h = h * 31 + (unsigned char)digest[i];
    return &auth_cache[h % AUTH_CACHE_SLOTS];
}

static int auth_cached(struct api_ctx *ctx, const char *digest, int via_cookie, int64_t now,
                       int64_t dv)
{
    const struct auth_entry *a = auth_slot(digest);

    if (dv < 0 || a->via_cookie != via_cookie || strcmp(a->digest, digest) != 0 ||
        a->gen != atomic_load(&auth_gen) || a->data_version != dv || now - a->at >= AUTH_CACHE_MS ||
        now < a->at)
        return 0;
    ctx->who = a->who;
    snprintf(ctx->csrf, sizeof ctx->csrf, "%s", a->csrf);
    return 1;
}

static void auth_remember(const struct api_ctx *ctx, const char *digest, int via_cookie,
                          uint64_t gen, int64_t now, int64_t dv)
{
    struct auth_entry *a = auth_slot(digest);

    if (dv < 0) /* nothing to tell staleness by: not remembered */
        return;
    a->data_version = dv;
    snprintf(a->digest, sizeof a->digest, "%s", digest);
    a->via_cookie = via_cookie;
    a->gen = gen;
    a->at = now;
    snprintf(a->csrf, sizeof a->csrf, "%s", ctx->csrf);
    a->who = ctx->who;
}

/* A token's use, noted by the group writer (token_touched). */
struct touch {
    int64_t id, now;
};

static void touch_fn(struct store_conn *c, void *arg)
{
    const struct touch *t = arg;

    (void)store_token_touch(c, t->id, t->now);
}

/*
 * Notes a token's use (once a minute at most, store_token_find). On SQLite with the group
 * writer it is posted to the writer, not written here: an UPDATE on this thread's own
 * connection needs SQLite's one write lock, which the writer holds for one group commit after
 * another while clerks register, and the busy handler's back-off then kept a request, read or
 * write, waiting for seconds (1.5-2.2 s, three of 10,222 registrations at c8; wrk counted such
 * requests as failures). Losing a note in a crash costs a last-used time a minute old.
 */
static store_err token_touched(struct api_ctx *ctx, int64_t id, int64_t now)
{
    struct touch *t;

    if (!ctx->app->group)
        return store_token_touch(ctx->conn, id, now);
    t = malloc(sizeof *t);
    if (!t)
        return STORE_UNAVAILABLE;
    t->id = id;
    t->now = now;
    return store_group_post(ctx->app->group, touch_fn, t);
}

/* Fills ctx from the request's credentials. Returns 1 if someone is logged in, 0 if not,
 * -1 on a store failure (already answered). */
static int authenticate(struct api_ctx *ctx, struct http_req *req, struct http_res *res)
{
    const char *authz = http_header(req, "Authorization");
    const char *cookie = http_cookie(req, API_SESSION_COOKIE);
    int64_t user_id = 0, now = store_now_ms();
    uint64_t gen = atomic_load(&auth_gen);
    /* Read before the look-up, like gen: a commit during it makes the entry stale. */
    int64_t dv = store_data_version(ctx->conn);
    char digest[AUTH_DIGEST_LEN];
    int64_t touch_id = 0;
    store_err e;

    if (authz && strncasecmp(authz, "Bearer ", 7) == 0) {
        auth_secret_digest(authz + 7, digest);
        if (auth_cached(ctx, digest, 0, now, dv))
            goto found;
        e = store_token_find(ctx->conn, digest, now, &user_id, &touch_id);
        if (e == STORE_OK && touch_id)
            e = token_touched(ctx, touch_id, now);
    } else if (cookie && *cookie) {
        auth_secret_digest(cookie, digest);
        ctx->via_cookie = 1;
        snprintf(ctx->session_digest, sizeof ctx->session_digest, "%s", digest);
        if (auth_cached(ctx, digest, 1, now, dv))
            goto found;
        e = store_session_find(ctx->conn, digest, now, &user_id, ctx->csrf, sizeof ctx->csrf);
    } else {
        return 0;
    }
    if (e == STORE_OK)
        e = store_principal_get(ctx->conn, user_id, &ctx->who);
    if (e == STORE_NOT_FOUND)
        return 0;
    if (e != STORE_OK) {
        api_store_error(res, ctx->conn, e);
        return -1;
    }
    auth_remember(ctx, digest, ctx->via_cookie, gen, now, dv);
found:
    store_actor_from(&ctx->actor, &ctx->who, req->ip);
    ctx->authenticated = 1;
    snprintf(req->login, sizeof req->login, "%s", ctx->who.login);
    return 1;
}

/*
 * Whether to run the handler again: its transaction lost to a concurrent one on PostgreSQL
 * (deadlock or serialization failure, STORE_BUSY), so it was rolled back whole and nothing
 * of it was written. Up to RETRY_BUSY attempts, after a short random pause so that the two
 * do not meet again; the last loss is answered 503 with Retry-After (api_store_error).
 */
#define RETRY_BUSY 4
static int retry_busy(struct api_ctx *ctx, struct http_res *res, int attempt)
{
    struct timespec pause, now;

    if (!ctx->conn || !store_conn_busy(ctx->conn) || attempt >= RETRY_BUSY)
        return 0;
    fprintf(stderr, "{\"msg\":\"store busy, retrying\",\"attempt\":%d,\"error\":\"%s\"}\n", attempt,
            store_conn_error(ctx->conn));
    /* The clock's nanoseconds are random enough to keep two losers apart. */
    clock_gettime(CLOCK_MONOTONIC, &now);
    pause.tv_sec = 0;
    pause.tv_nsec = (1 + now.tv_nsec % 20) * 1000000L * attempt;
    nanosleep(&pause, NULL);
    store_conn_clear(ctx->conn);
    res->nheaders = 0;
    return 1;
}

void api_dispatch(const struct http_route *route, struct http_req *req, struct http_res *res)
{
    struct api_ctx ctx;
    char err[256];
    const char *sent;
    int who;

    memset(&ctx, 0, sizeof ctx);
    ctx.app = req->app;
    req->user = &ctx; // cppcheck-suppress autoVariables ; set back to NULL at out: before return
    if (route->fn == http_metrics_handler) { /* needs no database */
        route->fn(req, res);
        goto out;
    }
    ctx.conn = store_conn_get(ctx.app->store, err, sizeof err);
    if (!ctx.conn) {
        fprintf(stderr, "{\"msg\":\"store unavailable\",\"error\":\"%s\"}\n", err);
        http_problem(res, 503, "unavailable", "Service Unavailable",
                     "the database cannot be reached", NULL);
        goto out;
    }
    store_conn_clear(ctx.conn);
    if (route->flags & API_AUTH) {
        who = authenticate(&ctx, req, res);
        if (who < 0)
            goto out;
        if (who == 0) {
            http_problem(res, 401, "unauthorized", "Unauthorized",
                         "log in first, or send a valid API token", NULL);
            goto out;
        }
        /* A cookie is sent by the browser on its own, even for a request another site
         * made it send; the CSRF token is something only our page can read and echo. */
        if (ctx.via_cookie && is_write(req->method)) {
            sent = http_header(req, "X-CSRF-Token");
            if (!sent || !auth_secret_equal(sent, ctx.csrf)) {
                http_problem(res, 403, "csrf", "Forbidden", "missing or wrong X-CSRF-Token header",
                             NULL);
                goto out;
            }
        }
        /* A partner agency's token reaches its referrals and nothing else, whatever a
         * route would allow any logged-in user (its own account, lists of regions). */
        if ((ctx.who.roles & ROLE_PARTNER) && !(route->flags & API_PARTNER)) {
            http_problem(res, 403, "forbidden", "Forbidden",
                         "a partner agency may only read and answer its referrals", NULL);
            goto out;
        }
        if (route->roles && !(ctx.who.roles & route->roles)) {
            http_problem(res, 403, "forbidden", "Forbidden", "your role does not allow this action",
                         NULL);
            goto out;
        }
    }
    for (int attempt = 1;; attempt++) {
        if (ctx.app->replica)
            api_replica_run(route, req, res, &ctx);
        else
            route->fn(req, res);
        if (!retry_busy(&ctx, res, attempt))
            break;
    }
out:
    /* Whatever a write changed may be who someone is (auth_cached). */
    if (is_write(req->method))
        atomic_fetch_add(&auth_gen, 1);
    req->user = NULL;
}

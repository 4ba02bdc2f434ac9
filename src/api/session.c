/*
 * session.c - logging in and out.
 *
 * A login sets an HttpOnly, SameSite=Strict cookie holding a random secret (the database
 * keeps only its digest) and returns a CSRF token that the page echoes on writes.
 * Password guessing is slowed, never turned into a lock-out (issue 13, defect 4): failures
 * of one login from one address make that pair wait exponentially longer (1 s, 2 s, ...
 * 15 min) after its latest failure, and many failures from one address make that address
 * wait too, at most a minute, except for logins that have logged in from it before; so an
 * office behind one NAT address is slowed, not shut out, and a victim's correct password
 * from another address, or after the wait, always works. 网络安全法 art. 21 asks for
 * measures against intrusion; 个人信息保护法 art. 51 for safeguards that keep the people whose
 * data we hold safe: neither is served by letting an attacker lock the mediators out.
 */
#include "api/api.h"
#include "auth/auth.h"
#include "store/sessions.h"

#include <stdio.h>
#include <string.h>

#define FAIL_WINDOW_MS      (60 * 60 * 1000) /* failures older than this are forgotten */
#define FAIL_FREE_PAIR      3                /* free failures of one login from one address */
#define FAIL_CAP_PAIR_MS    (15 * 60 * 1000)
#define FAIL_FREE_ADDRESS   20 /* free failures from one address, any logins */
#define FAIL_CAP_ADDRESS_MS (60 * 1000)

static void set_cookie(struct http_req *req, struct http_res *res, const char *value, long max_age)
{
    char cookie[256];
    const struct api_ctx *ctx = api_ctx(req);

    snprintf(cookie, sizeof cookie, "%s=%s; Path=/; HttpOnly; SameSite=Strict; Max-Age=%ld%s",
             API_SESSION_COOKIE, value, max_age,
             ctx->app->cookie_secure || req->tls ? "; Secure" : "");
    http_res_header(res, "Set-Cookie", cookie);
}

/* Answers {user, csrf_token}: the user object as GET /users/{id} shows it (one's own data,
 * so not an audited read), plus the region's level for the front end. */
static void reply_session(struct http_req *req, struct http_res *res, int status,
                          const struct store_principal *p, const char *csrf)
{
    struct api_ctx *ctx = api_ctx(req);
    struct store_actor self;
    struct store_rows *rows = NULL;
    json_t *user;
    store_err e;

    store_actor_from(&self, p, req->ip);
    e = store_user_get(ctx->conn, &self, p->user_id, 0, &rows);
    if (e != STORE_OK) {
        api_store_error(res, ctx->conn, e);
        return;
    }
    user = api_row(rows, 0);
    json_object_set_new(user, "region_level", json_string(p->region_level));
    http_res_json(res, status, json_pack("{s:o, s:s?}", "user", user, "csrf_token", csrf));
    store_rows_free(rows);
}

/* Answers 429 with Retry-After and returns -1 while the login from this address must
 * wait; the wait is counted from the latest failure, so it runs out on its own. */
static int backoff(struct http_req *req, struct http_res *res, const char *login, int64_t now)
{
    struct api_ctx *ctx = api_ctx(req);
    struct store_login_tries t;
    int64_t wait, w;
    char retry[24];
    store_err e = store_login_tries(ctx->conn, login, req->ip, now - FAIL_WINDOW_MS, &t);

    if (e != STORE_OK) {
        api_store_error(res, ctx->conn, e);
        return -1;
    }
    wait = t.pair_last + auth_backoff_ms(t.pair_n, FAIL_FREE_PAIR, FAIL_CAP_PAIR_MS) - now;
    w = t.known ? 0
                : t.ip_last + auth_backoff_ms(t.ip_n, FAIL_FREE_ADDRESS, FAIL_CAP_ADDRESS_MS) - now;
    if (w > wait)
        wait = w;
    if (wait <= 0)
        return 0;
    snprintf(retry, sizeof retry, "%lld", (long long)((wait + 999) / 1000));
    http_res_header(res, "Retry-After", retry);
    http_problem(res, 429, "rate-limited", "Too Many Requests",
                 "too many failed logins from this address; wait Retry-After seconds", NULL);
    return -1;
}

void api_session_create(struct http_req *req, struct http_res *res)
{
    struct api_ctx *ctx = api_ctx(req);
    struct verr_list errs = {0};
    const char *login = NULL, *password = NULL;
    struct store_user_auth ua = {0};
    struct store_principal p;
    int64_t now = store_now_ms();
    char secret[AUTH_TOKEN_LEN], digest[AUTH_DIGEST_LEN], csrf[AUTH_TOKEN_LEN];
    store_err e;
    json_t *body = api_body(req, res);

    if (!body)
        return;
    api_fields(body,
               (struct api_field[]){{"login", 's', 1, &login}, {"password", 's', 1, &password}}, 2,
               &errs, NULL, 0);
    if (errs.n) {
        api_validation(res, &errs);
        goto out;
    }
    if (backoff(req, res, login, now) != 0)
        goto out;
    e = store_user_auth_get(ctx->conn, login, &ua);
    if (e != STORE_OK && e != STORE_NOT_FOUND) {
        api_store_error(res, ctx->conn, e);
        goto out;
    }
    /* Verify even for unknown logins, so that timing does not tell which logins exist. */
    if (!auth_password_verify(e == STORE_OK ? ua.password_hash : NULL, password) || !ua.active) {
        const char *path = NULL;
        if (ua.id && store_principal_get(ctx->conn, ua.id, &p) == STORE_OK)
            path = p.region_path;
        e = store_login_failed(ctx->conn, login, req->ip, ua.id, path);
        if (e != STORE_OK) {
            api_store_error(res, ctx->conn, e);
            goto out;
        }
        http_problem(res, 401, "unauthorized", "Unauthorized", "wrong login or password", NULL);
        goto out;
    }
    e = store_principal_get(ctx->conn, ua.id, &p);
    if (e != STORE_OK) {
        api_store_error(res, ctx->conn, e);
        goto out;
    }
    store_actor_from(&ctx->actor, &p, req->ip);
    auth_secret_new("", secret, sizeof secret);
    auth_secret_new("", csrf, sizeof csrf);
    auth_secret_digest(secret, digest);
    e = store_session_create(ctx->conn, &ctx->actor, digest, csrf,
                             now + API_SESSION_HOURS * 3600LL * 1000);
    if (e != STORE_OK) {
        api_store_error(res, ctx->conn, e);
        goto out;
    }
    snprintf(req->login, sizeof req->login, "%s", p.login);
    set_cookie(req, res, secret, API_SESSION_HOURS * 3600L);
    reply_session(req, res, 201, &p, csrf);
out:
    json_decref(body);
}

void api_session_get(struct http_req *req, struct http_res *res)
{
    struct api_ctx *ctx = api_ctx(req);

    reply_session(req, res, 200, &ctx->who, ctx->via_cookie ? ctx->csrf : NULL);
}

void api_session_delete(struct http_req *req, struct http_res *res)
{
    struct api_ctx *ctx = api_ctx(req);
    store_err e;

    if (ctx->via_cookie) {
        e = store_session_end(ctx->conn, &ctx->actor, ctx->session_digest);
        if (e != STORE_OK) {
            api_store_error(res, ctx->conn, e);
            return;
        }
        set_cookie(req, res, "", 0);
    }
    http_res_empty(res, 204);
}

/*
 * /metrics tells request rates, routes and error counts: not for anyone on the internet
 * (网络安全法 art. 21: access control for network operations). With a metrics token set it
 * wants that token; without one it answers only the local machine (a scraper on the host
 * or the trusted proxy's own address), and otherwise 404 as if absent.
 */
void api_metrics(struct http_req *req, struct http_res *res)
{
    const struct api_ctx *ctx = api_ctx(req);
    const char *tok = ctx->app->metrics_token, *h = http_header(req, "Authorization");

    if (tok && *tok) {
        if (!h || strncmp(h, "Bearer ", 7) != 0 || !auth_secret_equal(h + 7, tok)) {
            http_res_header(res, "WWW-Authenticate", "Bearer realm=\"metrics\"");
            http_problem(res, 401, "unauthorized", "Unauthorized", "the metrics token is needed",
                         NULL);
            return;
        }
    } else if (strcmp(req->ip, "127.0.0.1") != 0 && strcmp(req->ip, "::1") != 0) {
        http_problem(res, 404, "not-found", "Not Found", "no such resource", NULL);
        return;
    }
    http_metrics_handler(req, res);
}

void api_health(struct http_req *req, struct http_res *res)
{
    struct api_ctx *ctx = api_ctx(req);

    if (store_ping(ctx->conn) != STORE_OK) {
        http_res_json(res, 503, json_pack("{s:s}", "status", "unavailable"));
        return;
    }
    http_res_json(res, 200,
                  json_pack("{s:s, s:s}", "status", "ok", "backend",
                            store_conn_kind(ctx->conn) == STORE_PG ? "postgresql" : "sqlite"));
}

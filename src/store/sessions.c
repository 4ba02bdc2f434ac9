#include "store/sessions.h"
#include "store/audit.h"

#include <stdio.h>
#include <string.h>

/* Runs `sql` and appends an audit row in one write transaction. */
static store_err write_audited(struct store_conn *c, const struct store_actor *a, const char *sql,
                               int n, const struct store_param *p, const char *action,
                               const char *type, int64_t object_id, const char *detail)
{
    store_err e = store_begin(c, 1);

    if (e != STORE_OK)
        return e;
    e = store_exec(c, sql, n, p, NULL);
    if (e == STORE_OK)
        e = store_audit_append(c, a, action, type, object_id, NULL, detail);
    e = store_end(c, e);
    return e;
}

store_err store_session_create(struct store_conn *c, const struct store_actor *a,
                               const char *token_hash, const char *csrf_token, int64_t expires_at)
{
    store_err e = store_begin(c, 1);

    if (e != STORE_OK)
        return e;
    e = store_exec(c,
                   "INSERT INTO sessions (token_hash, csrf_token, user_id, ip, created_at,"
                   " expires_at) VALUES ($1, $2, $3, $4, $5, $6)",
                   STORE_PARAMS(SP_TEXT(token_hash), SP_TEXT(csrf_token), SP_INT(a->user_id),
                                SP_TEXT(a->ip), SP_INT(store_now_ms()), SP_INT(expires_at)),
                   NULL);
    /* A successful login forgives the account's failures from this address only: an
     * attacker elsewhere keeps the back-off the victim's own login would otherwise reset. */
    if (e == STORE_OK)
        e = store_exec(c, "DELETE FROM login_failures WHERE login = $1 AND ip = $2",
                       STORE_PARAMS(SP_TEXT(a->login), SP_TEXT(a->ip)), NULL);
    if (e == STORE_OK)
        e = store_audit_append(c, a, "login", "user", a->user_id, NULL, NULL);
    e = store_end(c, e);
    return e;
}

store_err store_session_find(struct store_conn *c, const char *token_hash, int64_t now,
                             int64_t *user_id, char *csrf, size_t csrf_len)
{
    struct store_rows *r = NULL;
    store_err e = store_exec(c,
                             "SELECT s.user_id, s.csrf_token FROM sessions s"
                             " JOIN users u ON u.id = s.user_id"
                             " WHERE s.token_hash = $1 AND s.ended_at IS NULL"
                             " AND s.expires_at > $2 AND u.active = 1",
                             STORE_PARAMS(SP_TEXT(token_hash), SP_INT(now)), &r);

    if (e == STORE_OK && r->nrows == 0)
        e = STORE_NOT_FOUND;
    if (e == STORE_OK) {
        *user_id = store_rows_int(r, 0, 0);
        snprintf(csrf, csrf_len, "%s", store_rows_get(r, 0, 1));
    }
    store_rows_free(r);
    return e;
}

store_err store_session_end(struct store_conn *c, const struct store_actor *a,
                            const char *token_hash)
{
    return write_audited(
        c, a, "UPDATE sessions SET ended_at = $2 WHERE token_hash = $1 AND ended_at IS NULL",
        STORE_PARAMS(SP_TEXT(token_hash), SP_INT(store_now_ms())), "logout", "user", a->user_id,
        NULL);
}

#define TOKEN_SCOPE                                                                                \
    " FROM api_tokens t JOIN users u ON u.id = t.user_id"                                          \
    " JOIN organizations o ON o.id = u.org_id JOIN regions r ON r.id = o.region_id"                \
    " WHERE r.path >= $1 AND r.path < $2"
#define TOKEN_COLS                                                                                 \
    "t.id, t.user_id, u.login AS user_login, t.name, t.created_at, t.last_used_at, t.revoked_at"
#define TOKEN_TYPES "iittsss"

store_err store_token_create(struct store_conn *c, const struct store_actor *a, int64_t user_id,
                             const char *name, const char *token_hash, int64_t *id)
{
    struct store_rows *r = NULL;
    store_err e = store_begin(c, 1);

    if (e != STORE_OK)
        return e;
    e = store_exec(c,
                   "SELECT u.id FROM users u JOIN organizations o ON o.id = u.org_id"
                   " JOIN regions r ON r.id = o.region_id"
                   " WHERE r.path >= $1 AND r.path < $2 AND u.id = $3",
                   STORE_PARAMS(SP_TEXT(a->scope.lo), SP_TEXT(a->scope.hi), SP_INT(user_id)), &r);
    if (e == STORE_OK && r->nrows == 0)
        e = store_conn_invalid(c, "user_id", "not_found",
                               "user does not exist or is outside your scope");
    store_rows_free(r);
    r = NULL;
    if (e == STORE_OK)
        e = store_exec(c,
                       "INSERT INTO api_tokens (user_id, name, token_hash, created_by, created_at)"
                       " VALUES ($1, $2, $3, $4, $5) RETURNING id",
                       STORE_PARAMS(SP_INT(user_id), SP_TEXT(name), SP_TEXT(token_hash),
                                    a->user_id ? SP_INT(a->user_id) : SP_NULL,
                                    SP_INT(store_now_ms())),
                       &r);
    if (e == STORE_OK) {
        *id = store_rows_int(r, 0, 0);
        e = store_audit_append(c, a, "create", "token", *id, "user_id,name", NULL);
    }
    e = store_end(c, e);
    store_rows_free(r);
    return e;
}

store_err store_token_find(struct store_conn *c, const char *token_hash, int64_t now,
                           int64_t *user_id, int64_t *touch_id)
{
    struct store_rows *r = NULL;
    store_err e = store_exec(c,
                             "SELECT t.id, t.user_id, t.last_used_at FROM api_tokens t"
                             " JOIN users u ON u.id = t.user_id"
                             " WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND u.active = 1",
                             STORE_PARAMS(SP_TEXT(token_hash)), &r);

    if (e == STORE_OK && r->nrows == 0)
        e = STORE_NOT_FOUND;
    *touch_id = 0;
    if (e == STORE_OK) {
        *user_id = store_rows_int(r, 0, 1);
        /* Note use at most once a minute: a write on every request would serialise
         * readers behind the write lock for a value nobody needs to the millisecond. */
        if (!store_rows_get(r, 0, 2) || store_rows_int(r, 0, 2) < now - 60000)
            *touch_id = store_rows_int(r, 0, 0);
    }
    store_rows_free(r);
    return e;
}

store_err store_token_touch(struct store_conn *c, int64_t id, int64_t now)
{
    return store_exec(c, "UPDATE api_tokens SET last_used_at = $2 WHERE id = $1",
                      STORE_PARAMS(SP_INT(id), SP_INT(now)), NULL);
}

store_err store_token_get(struct store_conn *c, const struct store_actor *a, int64_t id,
                          struct store_rows **out)
{
    store_err e =
        store_exec(c, "SELECT " TOKEN_COLS TOKEN_SCOPE " AND t.id = $3",
                   STORE_PARAMS(SP_TEXT(a->scope.lo), SP_TEXT(a->scope.hi), SP_INT(id)), out);
    if (e == STORE_OK && (*out)->nrows == 0) {
        store_rows_free(*out);
        *out = NULL;
        store_conn_seterr(c, "token %lld not found", (long long)id);
        return STORE_NOT_FOUND;
    }
    if (e == STORE_OK)
        (*out)->types = TOKEN_TYPES;
    return e;
}

store_err store_token_revoke(struct store_conn *c, const struct store_actor *a, int64_t id)
{
    struct store_rows *r = NULL;
    store_err e = store_begin(c, 1);

    if (e != STORE_OK)
        return e;
    e = store_token_get(c, a, id, &r);
    if (e == STORE_OK)
        e = store_exec(c,
                       "UPDATE api_tokens SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL",
                       STORE_PARAMS(SP_INT(id), SP_INT(store_now_ms())), NULL);
    if (e == STORE_OK)
        e = store_audit_append(c, a, "revoke", "token", id, "revoked_at", NULL);
    e = store_end(c, e);
    store_rows_free(r);
    return e;
}

store_err store_token_list(struct store_conn *c, const struct store_actor *a,
                           const struct store_page *pg, struct store_rows **out)
{
    return store_paged(c, "SELECT COUNT(*)" TOKEN_SCOPE,
                       "SELECT " TOKEN_COLS TOKEN_SCOPE " ORDER BY t.id DESC LIMIT $3 OFFSET $4",
                       STORE_PARAMS(SP_TEXT(a->scope.lo), SP_TEXT(a->scope.hi)), pg, TOKEN_TYPES,
                       out);
}

store_err store_login_tries(struct store_conn *c, const char *login, const char *ip, int64_t since,
                            struct store_login_tries *out)
{
    struct store_rows *r = NULL;
    store_err e = store_exec(
        c,
        "SELECT (SELECT COUNT(*) FROM login_failures WHERE login = $1 AND ip = $2 AND at >= $3),"
        " (SELECT MAX(at) FROM login_failures WHERE login = $1 AND ip = $2 AND at >= $3),"
        " (SELECT COUNT(*) FROM login_failures WHERE ip = $2 AND at >= $3),"
        " (SELECT MAX(at) FROM login_failures WHERE ip = $2 AND at >= $3),"
        " (SELECT COUNT(*) FROM sessions s JOIN users u ON u.id = s.user_id"
        " WHERE u.login = $1 AND s.ip = $2 AND s.created_at >= $3)",
        STORE_PARAMS(SP_TEXT(login), SP_TEXT(ip), SP_INT(since)), &r);

    memset(out, 0, sizeof *out);
    if (e == STORE_OK) {
        out->pair_n = store_rows_int(r, 0, 0);
        out->pair_last = store_rows_int(r, 0, 1);
        out->ip_n = store_rows_int(r, 0, 2);
        out->ip_last = store_rows_int(r, 0, 3);
        out->known = store_rows_int(r, 0, 4) > 0;
    }
    store_rows_free(r);
    return e;
}

store_err store_login_failed(struct store_conn *c, const char *login, const char *ip,
                             int64_t user_id, const char *region_path)
{
    struct store_actor a;
    char detail[160];

    store_actor_system(&a);
    /* File the attempt under the targeted account's region, so that the admins who look
     * after that account see attacks on it; unknown logins only the top level sees. */
    if (region_path)
        region_scope_from_path(region_path, &a.scope);
    a.login[0] = '\0'; /* nobody is logged in: the audit row has no actor */
    snprintf(a.ip, sizeof a.ip, "%s", ip);
    snprintf(detail, sizeof detail, "login=%.100s", login);
    return write_audited(c, &a, "INSERT INTO login_failures (at, login, ip) VALUES ($1, $2, $3)",
                         STORE_PARAMS(SP_INT(store_now_ms()), SP_TEXT(login), SP_TEXT(ip)),
                         "login_failed", "user", user_id, detail);
}

#include "store/users.h"
#include "core/role.h"
#include "store/audit.h"
#include "store/regions.h"
#include "store/staffseal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define USER_COLS                                                                                  \
    "u.id, u.login, u.name, COALESCE(u.phone_sealed, u.phone) AS phone, u.roles, u.active, "       \
    "u.org_id, o.name AS org_name,"                                                                \
    " o.region_id, r.name AS region_name, u.created_at, u.email"
#define USER_TYPES "itttrbititst"
#define USER_FROM                                                                                  \
    " FROM users u JOIN organizations o ON o.id = u.org_id JOIN regions r ON r.id = o.region_id"

/* The organization must exist within the actor's scope. */
static store_err org_in_scope(struct store_conn *c, const struct store_actor *a, int64_t org_id)
{
    struct store_rows *r = NULL;
    store_err e =
        store_exec(c,
                   "SELECT o.id FROM organizations o JOIN regions r ON r.id = o.region_id"
                   " WHERE o.id = $1 AND r.path >= $2 AND r.path < $3",
                   STORE_PARAMS(SP_INT(org_id), SP_TEXT(a->scope.lo), SP_TEXT(a->scope.hi)), &r);
    if (e == STORE_OK && r->nrows == 0)
        e = store_conn_invalid(c, "org_id", "not_found",
                               "organization does not exist or is outside your scope");
    store_rows_free(r);
    return e;
}

/* The user must exist within the actor's scope. */
static store_err user_in_scope(struct store_conn *c, const struct store_actor *a, int64_t id)
{
    struct store_rows *r = NULL;
    store_err e =
        store_exec(c, "SELECT u.id" USER_FROM " WHERE u.id = $1 AND r.path >= $2 AND r.path < $3",
                   STORE_PARAMS(SP_INT(id), SP_TEXT(a->scope.lo), SP_TEXT(a->scope.hi)), &r);
    if (e == STORE_OK && r->nrows == 0) {
        store_conn_seterr(c, "user %lld not found", (long long)id);
        e = STORE_NOT_FOUND;
    }
    store_rows_free(r);
    return e;
}

store_err store_user_create(struct store_conn *c, const struct store_actor *a,
                            const struct store_user_in *in, int64_t *id)
{
    struct store_rows *r = NULL;
    struct staff_phone ph;
    int64_t now = store_now_ms();
    store_err e = store_staff_phone(c, in->phone, &ph);

    if (e != STORE_OK)
        return e;
    e = store_begin(c, 1);
    if (e != STORE_OK)
        goto out;
    e = org_in_scope(c, a, in->org_id);
    if (e == STORE_OK)
        e = store_exec(c,
                       "INSERT INTO users (login, name, phone, password_hash, roles, org_id,"
                       " active, created_at, updated_at, email, phone_sealed, phone_index)"
                       " VALUES ($1, $2, $3, $4, $5, $6, 1, $7, $7, $8, $9, $10) RETURNING id",
                       STORE_PARAMS(SP_TEXT(in->login), SP_TEXT(in->name), SP_TEXT(ph.plain),
                                    SP_TEXT(in->password_hash), SP_INT(in->roles),
                                    SP_INT(in->org_id), SP_INT(now), SP_TEXT(in->email),
                                    SP_TEXT(ph.sealed), SP_TEXT(ph.index)),
                       &r);
    if (e == STORE_CONFLICT)
        (void)store_conn_invalid(c, "login", "conflict", "this login is already taken");
    if (e == STORE_OK) {
        *id = store_rows_int(r, 0, 0);
        e = store_audit_append(c, a, "create", "user", *id, "login,name,phone,roles,org_id", NULL);
    }
    store_rows_free(r);
    e = store_end(c, e);
out:
    store_staff_phone_free(&ph);
    return e;
}

/* Revokes the user's API tokens (each audited) and, if `sessions`, ends the sessions. */
static store_err end_credentials(struct store_conn *c, const struct store_actor *a, int64_t id,
                                 int sessions)
{
    int64_t now = store_now_ms();
    struct store_rows *r = NULL;
    store_err e =
        store_exec(c, "SELECT id FROM api_tokens WHERE user_id = $1 AND revoked_at IS NULL",
                   STORE_PARAMS(SP_INT(id)), &r);

    for (int i = 0; e == STORE_OK && i < r->nrows; i++)
        e = store_audit_append(c, a, "revoke", "token", store_rows_int(r, i, 0), "revoked_at",
                               NULL);
    store_rows_free(r);
    if (e == STORE_OK)
        e = store_exec(c,
                       "UPDATE api_tokens SET revoked_at = $2 WHERE user_id = $1"
                       " AND revoked_at IS NULL",
                       STORE_PARAMS(SP_INT(id), SP_INT(now)), NULL);
    if (e == STORE_OK && sessions)
        e = store_exec(c,
                       "UPDATE sessions SET ended_at = $2 WHERE user_id = $1 AND ended_at IS NULL",
                       STORE_PARAMS(SP_INT(id), SP_INT(now)), NULL);
    return e;
}

store_err store_user_update(struct store_conn *c, const struct store_actor *a, int64_t id,
                            const struct store_user_in *in, const char *fields)
{
    struct staff_phone ph;
    store_err e = store_staff_phone(c, in->phone, &ph);

    if (e != STORE_OK)
        return e;
    e = store_begin(c, 1);
    if (e != STORE_OK)
        goto out;
    e = user_in_scope(c, a, id);
    if (e == STORE_OK && in->org_id)
        e = org_in_scope(c, a, in->org_id);
    if (e == STORE_OK)
        e = store_staff_phone_update(c, "users", id, &ph);
    if (e == STORE_OK)
        e = store_exec(c,
                       "UPDATE users SET name = COALESCE($2, name),"
                       " roles = COALESCE($3, roles), org_id = COALESCE($4, org_id),"
                       " active = COALESCE($5, active), updated_at = $6,"
                       " email = CASE WHEN $7 = 0 THEN email ELSE $8 END WHERE id = $1",
                       STORE_PARAMS(SP_INT(id), SP_TEXT(in->name),
                                    in->roles ? SP_INT(in->roles) : SP_NULL,
                                    in->org_id ? SP_INT(in->org_id) : SP_NULL,
                                    in->active >= 0 ? SP_INT(in->active) : SP_NULL,
                                    SP_INT(store_now_ms()), SP_INT(in->email != NULL),
                                    SP_TEXT(in->email && *in->email ? in->email : NULL)),
                       NULL);
    /* Deactivating an account ends its sessions at once rather than when they expire, and
     * revokes its API tokens for good: enabling the account again must not bring back a
     * token that may have leaked with it (issue 13, defect 5). */
    if (e == STORE_OK && in->active == 0)
        e = end_credentials(c, a, id, 1);
    if (e == STORE_OK)
        e = store_audit_append(c, a, "update", "user", id, fields, NULL);
    e = store_end(c, e);
out:
    store_staff_phone_free(&ph);
    return e;
}

store_err store_user_set_password(struct store_conn *c, const struct store_actor *a, int64_t id,
                                  const char *password_hash)
{
    store_err e = store_begin(c, 1);

    if (e != STORE_OK)
        return e;
    e = user_in_scope(c, a, id);
    if (e == STORE_OK)
        e = store_exec(c, "UPDATE users SET password_hash = $2, updated_at = $3 WHERE id = $1",
                       STORE_PARAMS(SP_INT(id), SP_TEXT(password_hash), SP_INT(store_now_ms())),
                       NULL);
    /* An administrator resets a password because the old one is lost or known to others:
     * whatever was issued under it, tokens and open sessions, goes with it (issue 13,
     * defect 5). Changing one's own password keeps one's own tokens and sessions. */
    if (e == STORE_OK && a->user_id != id)
        e = end_credentials(c, a, id, 1);
    if (e == STORE_OK)
        e = store_audit_append(c, a, "password", "user", id, "password", NULL);
    e = store_end(c, e);
    return e;
}

store_err store_user_get(struct store_conn *c, const struct store_actor *a, int64_t id,
                         int audit_read, struct store_rows **out)
{
    store_err e;

    *out = NULL;
    if (audit_read) {
        e = store_begin(c, 1);
        if (e != STORE_OK)
            return e;
    }
    e = store_exec(
        c, "SELECT " USER_COLS USER_FROM " WHERE u.id = $1 AND r.path >= $2 AND r.path < $3",
        STORE_PARAMS(SP_INT(id), SP_TEXT(a->scope.lo), SP_TEXT(a->scope.hi)), out);
    if (e == STORE_OK && (*out)->nrows == 0) {
        store_conn_seterr(c, "user %lld not found", (long long)id);
        e = STORE_NOT_FOUND;
    }
    if (e == STORE_OK)
        (*out)->types = USER_TYPES;
    if (e == STORE_OK)
        e = store_rows_open_phones(c, *out);
    if (audit_read) {
        if (e == STORE_OK)
            e = store_audit_append(c, a, "read", "user", id, "phone", NULL);
        e = store_end(c, e);
    }
    if (e != STORE_OK) {
        store_rows_free(*out);
        *out = NULL;
    }
    return e;
}

#define USER_LIST_WHERE                                                                            \
    USER_FROM " WHERE r.path >= $1 AND r.path < $2"                                                \
              " AND (CAST($3 AS TEXT) IS NULL OR u.login LIKE '%' || $3 || '%'"                    \
              " OR u.name LIKE '%' || $3 || '%')"                                                  \
              " AND (CAST($4 AS BIGINT) IS NULL OR u.org_id = $4)"                                 \
              " AND (CAST($5 AS BIGINT) IS NULL OR (u.roles & $5) <> 0)"

store_err store_user_list(struct store_conn *c, const struct store_actor *a,
                          const struct store_user_filter *f, const struct store_page *pg,
                          struct store_rows **out)
{
    struct region_scope sub;
    store_err e = store_region_narrow(c, a, f->region_id, &sub);

    if (e != STORE_OK)
        return e;
    e = store_paged(c, "SELECT COUNT(*)" USER_LIST_WHERE,
                    "SELECT " USER_COLS USER_LIST_WHERE " ORDER BY u.id LIMIT $6 OFFSET $7",
                    STORE_PARAMS(SP_TEXT(sub.lo), SP_TEXT(sub.hi), SP_TEXT(f->q),
                                 f->org_id ? SP_INT(f->org_id) : SP_NULL,
                                 f->role ? SP_INT(f->role) : SP_NULL),
                    pg, USER_TYPES, out);
    return store_opened(c, e, out);
}

store_err store_user_auth_get(struct store_conn *c, const char *login, struct store_user_auth *out)
{
    struct store_rows *r = NULL;
    store_err e = store_exec(c, "SELECT id, active, password_hash FROM users WHERE login = $1",
                             STORE_PARAMS(SP_TEXT(login)), &r);

    if (e == STORE_OK && r->nrows == 0)
        e = STORE_NOT_FOUND;
    if (e == STORE_OK) {
        out->id = store_rows_int(r, 0, 0);
        out->active = (int)store_rows_int(r, 0, 1);
        snprintf(out->password_hash, sizeof out->password_hash, "%s", store_rows_get(r, 0, 2));
    }
    store_rows_free(r);
    return e;
}

static void copy(char *dst, size_t n, const char *src)
{
    snprintf(dst, n, "%s", src ? src : "");
}

store_err store_principal_get(struct store_conn *c, int64_t user_id, struct store_principal *out)
{
    struct store_rows *r = NULL;
    store_err e = store_exec(c,
                             "SELECT u.id, u.login, u.name, u.roles, u.active, o.id, o.name, r.id,"
                             " r.name, r.level, r.path, r.parent_id" USER_FROM " WHERE u.id = $1",
                             STORE_PARAMS(SP_INT(user_id)), &r);

    if (e == STORE_OK && r->nrows == 0)
        e = STORE_NOT_FOUND;
    if (e == STORE_OK) {
        memset(out, 0, sizeof *out);
        out->user_id = store_rows_int(r, 0, 0);
        copy(out->login, sizeof out->login, store_rows_get(r, 0, 1));
        copy(out->name, sizeof out->name, store_rows_get(r, 0, 2));
        out->roles = (unsigned)store_rows_int(r, 0, 3);
        out->active = (int)store_rows_int(r, 0, 4);
        out->org_id = store_rows_int(r, 0, 5);
        copy(out->org_name, sizeof out->org_name, store_rows_get(r, 0, 6));
        out->region_id = store_rows_int(r, 0, 7);
        copy(out->region_name, sizeof out->region_name, store_rows_get(r, 0, 8));
        copy(out->region_level, sizeof out->region_level, store_rows_get(r, 0, 9));
        copy(out->region_path, sizeof out->region_path, store_rows_get(r, 0, 10));
        out->top = store_rows_get(r, 0, 11) == NULL;
    }
    store_rows_free(r);
    return e;
}

void store_actor_from(struct store_actor *a, const struct store_principal *p, const char *ip)
{
    memset(a, 0, sizeof *a);
    a->user_id = p->user_id;
    copy(a->login, sizeof a->login, p->login);
    copy(a->ip, sizeof a->ip, ip);
    a->top = p->top;
    if (region_scope_from_path(p->region_path, &a->scope) != 0) {
        /* A malformed path must not widen the scope: make it match nothing. */
        copy(a->scope.lo, sizeof a->scope.lo, "~");
        copy(a->scope.hi, sizeof a->scope.hi, "~");
    }
}

store_err store_leaders(struct store_conn *c, const struct store_actor *a, int64_t id,
                        struct store_rows **out)
{
    /* The actor's own subtree, and the places above it: a region's path is a prefix of every
     * path below it, so an ancestor is one whose path starts the actor's. The users table is
     * the staff of a province at most, read once per assignment. */
    store_err e = store_exec(
        c,
        "SELECT u.id, u.name, o.name AS org_name" USER_FROM
        " WHERE u.active = 1 AND (u.roles & $3) <> 0 AND (CAST($4 AS BIGINT) IS NULL OR u.id = $4)"
        " AND ((r.path >= $1 AND r.path < $2) OR substr($1, 1, length(r.path)) = r.path)"
        " ORDER BY r.path, u.id",
        STORE_PARAMS(SP_TEXT(a->scope.lo), SP_TEXT(a->scope.hi), SP_INT(ROLE_LEADER),
                     id ? SP_INT(id) : SP_NULL),
        out);
    if (e == STORE_OK)
        (*out)->types = "itt";
    return e;
}

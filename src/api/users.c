/*
 * users.c - staff accounts: list, create, read (audited: it shows personal data),
 * update, and password changes.
 */
#include "api/api.h"
#include "auth/auth.h"
#include "core/role.h"
#include "store/users.h"

#include <stdio.h>
#include <string.h>

#define OVERSEERS (ROLE_ADMIN | ROLE_SUPERVISOR | ROLE_LEADER)

/* Parses a JSON array of role names into a bitmask; reports the field if any is bad. */
static unsigned parse_roles(json_t *arr, struct verr_list *errs)
{
    unsigned roles = 0;
    size_t i;
    json_t *v;

    if (json_array_size(arr) == 0) {
        verr_add(errs, "roles", "required", "must name at least one role");
        return 0;
    }
    json_array_foreach(arr, i, v)
    {
        unsigned r = json_is_string(v) ? role_parse(json_string_value(v)) : 0;
        if (!r) {
            verr_add(errs, "roles", "invalid",
                     "unknown role; expected admin, clerk, dispatcher, mediator, supervisor,"
                     " grid_worker or leader");
            return 0;
        }
        roles |= r;
    }
    if ((roles & ROLE_PARTNER) && roles != ROLE_PARTNER && !verr_has(errs, "roles"))
        verr_add(errs, "roles", "invalid", "the partner role is held alone");
    return roles;
}

/* An e-mail address for notifications: empty clears it; else one mailbox, no spaces or
 * header characters (it goes into an SMTP envelope and a To: header). */
static void check_email(struct verr_list *errs, const char *email)
{
    const char *at = email ? strchr(email, '@') : NULL;

    if (!email || !*email)
        return;
    if (!at || at == email || !at[1] || strchr(at + 1, '@') || strlen(email) > 200 ||
        strpbrk(email, " \t\r\n<>\"(),;:\\[]"))
        verr_add(errs, "email", "invalid", "must be an e-mail address");
}

/* Answers with one user; `status` 200 or 201. */
static void reply_user(struct http_req *req, struct http_res *res, int64_t id, int status,
                       int audit_read)
{
    struct api_ctx *ctx = api_ctx(req);
    struct store_rows *rows = NULL;
    store_err e = store_user_get(ctx->conn, &ctx->actor, id, audit_read, &rows);

    api_reply_row(res, ctx->conn, e, rows, status);
}

void api_users_list(struct http_req *req, struct http_res *res)
{
    struct api_ctx *ctx = api_ctx(req);
    struct verr_list errs = {0};
    struct store_user_filter f = {0};
    struct store_page pg;
    struct store_rows *rows = NULL;
    const char *role = http_query(req, "role");
    json_t *out;
    store_err e;

    f.q = http_query(req, "q");
    if (f.q && !*f.q)
        f.q = NULL;
    api_query_id(req, "org_id", &f.org_id, &errs);
    api_query_id(req, "region_id", &f.region_id, &errs);
    api_query_page(req, &pg, &errs);
    if (role && *role && !(f.role = role_parse(role)))
        verr_add(&errs, "role", "invalid", "unknown role");
    if (errs.n) {
        api_validation(res, &errs);
        return;
    }
    e = store_user_list(ctx->conn, &ctx->actor, &f, &pg, &rows);
    if (e != STORE_OK) {
        api_store_error(res, ctx->conn, e);
        return;
    }
    out = api_page(rows, &pg);
    api_mask_phones(out);
    http_res_json(res, 200, out);
    store_rows_free(rows);
}

void api_users_create(struct http_req *req, struct http_res *res)
{
    struct api_ctx *ctx = api_ctx(req);
    struct verr_list errs = {0};
    const char *login = NULL, *name = NULL, *password = NULL, *phone = NULL, *email = NULL;
    json_t *roles = NULL;
    json_int_t org_id = 0;
    struct store_user_in in = {0};
    char hash[AUTH_HASH_MAX];
    int64_t id = 0;
    store_err e;
    json_t *body = api_body(req, res);

    if (!body)
        return;
    api_fields(body,
               (struct api_field[]){{"login", 's', 1, &login},
                                    {"name", 's', 1, &name},
                                    {"password", 's', 1, &password},
                                    {"roles", 'a', 1, &roles},
                                    {"org_id", 'I', 1, &org_id},
                                    {"phone", 's', 0, &phone},
                                    {"email", 's', 0, &email}},
               7, &errs, NULL, 0);
    if (login)
        verr_check_login(&errs, "login", login);
    if (name)
        verr_check_text(&errs, "name", name, 1, 64);
    if (password)
        verr_check_password(&errs, "password", password);
    if (roles)
        in.roles = parse_roles(roles, &errs);
    if (json_object_get(body, "org_id") && org_id <= 0 && !verr_has(&errs, "org_id"))
        verr_add(&errs, "org_id", "invalid", "must be a positive integer");
    api_check_ref(req, &errs, "org_id", "organization", org_id);
    if (phone && *phone)
        verr_check_phone(&errs, "phone", phone);
    check_email(&errs, email);
    if (errs.n) {
        api_validation(res, &errs);
        goto out;
    }
    if (auth_password_hash(password, hash) != 0) {
        http_problem(res, 500, "internal", "Internal Server Error", "cannot hash password", NULL);
        goto out;
    }
    in.login = login;
    in.name = name;
    in.phone = phone && *phone ? phone : NULL;
    in.email = email && *email ? email : NULL;
    in.password_hash = hash;
    in.org_id = org_id;
    e = store_user_create(ctx->conn, &ctx->actor, &in, &id);
    if (e != STORE_OK) {
        api_store_error(res, ctx->conn, e);
        goto out;
    }
    reply_user(req, res, id, 201, 0);
out:
    json_decref(body);
}

void api_users_get(struct http_req *req, struct http_res *res)
{
    struct api_ctx *ctx = api_ctx(req);
    int64_t id = api_path_id(req, res, 0);

    if (!id)
        return;
    if (id != ctx->who.user_id && !api_has_role(req, OVERSEERS)) {
        http_problem(res, 403, "forbidden", "Forbidden", "you may only read your own account",
                     NULL);
        return;
    }
    reply_user(req, res, id, 200, 1);
}

void api_users_update(struct http_req *req, struct http_res *res)
{
    struct api_ctx *ctx = api_ctx(req);
    struct verr_list errs = {0};
    const char *name = NULL, *phone = NULL, *email = NULL;
    json_t *roles = NULL;
    json_int_t org_id = 0;
    int active = -1;
    struct store_user_in in = {0};
    char fields[128];
    store_err e;
    int64_t id = api_path_id(req, res, 0);
    json_t *body;

    if (!id)
        return;
    body = api_body(req, res);
    if (!body)
        return;
    api_fields(body,
               (struct api_field[]){{"name", 's', 0, &name},
                                    {"phone", 's', 0, &phone},
                                    {"roles", 'a', 0, &roles},
                                    {"org_id", 'I', 0, &org_id},
                                    {"active", 'b', 0, &active},
                                    {"email", 's', 0, &email}},
               6, &errs, fields, sizeof fields);
    check_email(&errs, email);
    if (name)
        verr_check_text(&errs, "name", name, 1, 64);
    if (phone && *phone)
        verr_check_phone(&errs, "phone", phone);
    if (roles)
        in.roles = parse_roles(roles, &errs);
    if (json_object_get(body, "org_id") && org_id <= 0 && !verr_has(&errs, "org_id"))
        verr_add(&errs, "org_id", "invalid", "must be a positive integer");
    api_check_ref(req, &errs, "org_id", "organization", org_id);
    if (!errs.n && !fields[0])
        verr_add(&errs, "", "required", "give at least one field to change");
    if (id == ctx->who.user_id && active == 0)
        verr_add(&errs, "active", "invalid", "you cannot deactivate your own account");
    if (errs.n) {
        api_validation(res, &errs);
        goto out;
    }
    in.name = name;
    in.phone = phone;
    in.email = email;
    in.org_id = org_id;
    in.active = active;
    e = store_user_update(ctx->conn, &ctx->actor, id, &in, fields);
    if (e != STORE_OK) {
        api_store_error(res, ctx->conn, e);
        goto out;
    }
    reply_user(req, res, id, 200, 0);
out:
    json_decref(body);
}

void api_users_password(struct http_req *req, struct http_res *res)
{
    struct api_ctx *ctx = api_ctx(req);
    struct verr_list errs = {0};
    const char *password = NULL, *old = NULL;
    struct store_user_auth ua;
    char hash[AUTH_HASH_MAX];
    store_err e;
    int64_t id = api_path_id(req, res, 0);
    int self = id == ctx->who.user_id;
    json_t *body;

    if (!id)
        return;
    if (!self && !api_has_role(req, ROLE_ADMIN)) {
        http_problem(res, 403, "forbidden", "Forbidden",
                     "only an administrator may set another user's password", NULL);
        return;
    }
    body = api_body(req, res);
    if (!body)
        return;
    api_fields(
        body,
        (struct api_field[]){{"password", 's', 1, &password}, {"old_password", 's', self, &old}}, 2,
        &errs, NULL, 0);
    if (password)
        verr_check_password(&errs, "password", password);
    if (!errs.n && self) {
        /* Changing one's own password proves knowledge of the old one, so that a session
         * left open on a shared computer cannot be used to take the account over. */
        e = store_user_auth_get(ctx->conn, ctx->who.login, &ua);
        if (e != STORE_OK) {
            api_store_error(res, ctx->conn, e);
            goto out;
        }
        if (!auth_password_verify(ua.password_hash, old))
            verr_add(&errs, "old_password", "invalid", "is not your current password");
    }
    if (errs.n) {
        api_validation(res, &errs);
        goto out;
    }
    if (auth_password_hash(password, hash) != 0) {
        http_problem(res, 500, "internal", "Internal Server Error", "cannot hash password", NULL);
        goto out;
    }
    e = store_user_set_password(ctx->conn, &ctx->actor, id, hash);
    if (e != STORE_OK) {
        api_store_error(res, ctx->conn, e);
        goto out;
    }
    http_res_empty(res, 204);
out:
    json_decref(body);
}

/*
 * 包案领导 to choose from when assigning a case: the leaders of the caller's area and of the
 * places above it. Open to all staff (the full user list is for overseers), and only names:
 * no phones, no logins.
 */
void api_leaders_list(struct http_req *req, struct http_res *res)
{
    struct api_ctx *ctx = api_ctx(req);
    struct store_rows *rows = NULL;
    store_err e = store_leaders(ctx->conn, &ctx->actor, 0, &rows);

    api_reply_items(res, ctx->conn, e, rows);
}

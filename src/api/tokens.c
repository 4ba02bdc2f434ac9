/*
 * tokens.c - API tokens for integrations (Authorization: Bearer). A token acts as its
 * user, with the same roles and region scope; its secret is shown once, at creation.
 */
#include "api/api.h"
#include "auth/auth.h"
#include "store/group.h"
#include "store/sessions.h"

void api_tokens_list(struct http_req *req, struct http_res *res)
{
    struct api_ctx *ctx = api_ctx(req);
    struct verr_list errs = {0};
    struct store_page pg;
    struct store_rows *rows = NULL;
    store_err e;

    api_query_page(req, &pg, &errs);
    if (errs.n) {
        api_validation(res, &errs);
        return;
    }
    /* A token's last use is posted to the group writer (dispatch.c): listed once committed. */
    e = store_group_sync(ctx->app->group);
    if (e == STORE_OK)
        e = store_token_list(ctx->conn, &ctx->actor, &pg, &rows);
    api_reply_page(res, ctx->conn, e, rows, &pg);
}

void api_tokens_create(struct http_req *req, struct http_res *res)
{
    struct api_ctx *ctx = api_ctx(req);
    struct verr_list errs = {0};
    const char *name = NULL;
    json_int_t user_id = 0;
    char secret[AUTH_TOKEN_LEN], digest[AUTH_DIGEST_LEN];
    struct store_rows *rows = NULL;
    int64_t id = 0;
    store_err e;
    json_t *out, *body = api_body(req, res);

    if (!body)
        return;
    api_fields(body, (struct api_field[]){{"user_id", 'I', 1, &user_id}, {"name", 's', 1, &name}},
               2, &errs, NULL, 0);
    if (name)
        verr_check_text(&errs, "name", name, 1, 64);
    if (json_object_get(body, "user_id") && user_id <= 0 && !verr_has(&errs, "user_id"))
        verr_add(&errs, "user_id", "invalid", "must be a positive integer");
    api_check_ref(req, &errs, "user_id", "user", user_id);
    if (errs.n) {
        api_validation(res, &errs);
        goto done;
    }
    auth_secret_new("jf_", secret, sizeof secret);
    auth_secret_digest(secret, digest);
    e = store_token_create(ctx->conn, &ctx->actor, user_id, name, digest, &id);
    if (e == STORE_OK)
        e = store_token_get(ctx->conn, &ctx->actor, id, &rows);
    if (e != STORE_OK) {
        api_store_error(res, ctx->conn, e);
        goto done;
    }
    out = api_row(rows, 0);
    json_object_set_new(out, "token", json_string(secret));
    http_res_json(res, 201, out);
done:
    store_rows_free(rows);
    json_decref(body);
}

void api_tokens_revoke(struct http_req *req, struct http_res *res)
{
    struct api_ctx *ctx = api_ctx(req);
    int64_t id = api_path_id(req, res, 0);
    store_err e;

    if (!id)
        return;
    e = store_token_revoke(ctx->conn, &ctx->actor, id);
    if (e != STORE_OK) {
        api_store_error(res, ctx->conn, e);
        return;
    }
    http_res_empty(res, 204);
}

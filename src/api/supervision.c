/*
 * supervision.c - supervision orders (督办 and 挂牌督办): a supervisor or leader puts a
 * case under supervision with a content and a deadline; those handling it reply. Open
 * orders and those past their deadline are listed per responsible unit.
 */
#include "api/api.h"
#include "case/case.h"
#include "core/timefmt.h"
#include "store/cases.h"

#include <string.h>

static void reply_order(struct http_req *req, struct http_res *res, int64_t id, int status)
{
    struct api_ctx *ctx = api_ctx(req);
    struct store_rows *rows = NULL;
    store_err e = store_order_get(ctx->conn, &ctx->actor, id, &rows);

    api_reply_row(res, ctx->conn, e, rows, status);
}

void api_supervision_issue(struct http_req *req, struct http_res *res)
{
    struct case_env env;
    struct case_out out = {0};
    int64_t case_id = api_path_id(req, res, 0), id = 0;
    json_t *body = case_id ? api_body(req, res) : NULL;

    if (!body)
        return;
    api_case_env(req, &env);
    if (api_case_done(req, res, case_order_issue(&env, case_id, body, &id, &out), &out))
        reply_order(req, res, id, 201);
    case_out_free(&out);
    json_decref(body);
}

void api_supervision_reply(struct http_req *req, struct http_res *res)
{
    struct case_env env;
    struct case_out out = {0};
    int64_t id = api_path_id(req, res, 0);
    json_t *body = id ? api_body(req, res) : NULL;

    if (!body)
        return;
    api_case_env(req, &env);
    if (api_case_done(req, res, case_order_reply(&env, id, body, &out), &out))
        reply_order(req, res, id, 200);
    case_out_free(&out);
    json_decref(body);
}

void api_supervision_list(struct http_req *req, struct http_res *res)
{
    struct api_ctx *ctx = api_ctx(req);
    struct verr_list errs = {0};
    struct store_page pg;
    struct store_rows *rows = NULL;
    const char *status = http_query(req, "status"), *overdue = http_query(req, "overdue");
    char today[16];
    int64_t case_id = 0;
    store_err e;

    api_query_id(req, "case_id", &case_id, &errs);
    api_query_page(req, &pg, &errs);
    if (status && *status && strcmp(status, "open") != 0 && strcmp(status, "all") != 0)
        verr_add(&errs, "status", "invalid", "must be open or all");
    if (errs.n) {
        api_validation(res, &errs);
        return;
    }
    timefmt_day((int32_t)((store_now_ms() + 8LL * 3600 * 1000) / 86400000), today, sizeof today);
    e = store_order_list(ctx->conn, &ctx->actor, case_id, status && strcmp(status, "open") == 0,
                         overdue && strcmp(overdue, "true") == 0 ? today : NULL, &pg, &rows);
    api_reply_page(res, ctx->conn, e, rows, &pg);
}

/*
 * risk.c - the risk board (风险研判) and the control plans (稳控方案) of red cases
 * (docs/risk.md). The grade itself is kept by the case module on every change.
 */
#include "api/api.h"
#include "case/case.h"
#include "store/risk.h"

void api_risk_board(struct http_req *req, struct http_res *res)
{
    struct api_ctx *ctx = api_ctx(req);
    struct verr_list errs = {0};
    struct store_board b;
    struct store_page pg;
    int64_t region_id = 0;
    store_err e;
    json_t *o;

    api_query_id(req, "region_id", &region_id, &errs);
    api_query_page(req, &pg, &errs);
    if (errs.n) {
        api_validation(res, &errs);
        return;
    }
    e = store_risk_board(ctx->conn, &ctx->actor, region_id, &pg, &b);
    if (e != STORE_OK) {
        api_store_error(res, ctx->conn, e);
        return;
    }
    o = json_pack("{s:o, s:o, s:I, s:I, s:I, s:I, s:I}", "regions", api_rows(b.regions), "cases",
                  api_rows(b.cases), "red", (json_int_t)b.red, "orange", (json_int_t)b.orange,
                  "total", (json_int_t)b.red + (json_int_t)b.orange, "page", (json_int_t)pg.page,
                  "per_page", (json_int_t)pg.per_page);
    http_res_json(res, 200, o);
    store_rows_free(b.cases);
    store_rows_free(b.regions);
}

void api_control_plan_get(struct http_req *req, struct http_res *res)
{
    struct api_ctx *ctx = api_ctx(req);
    struct store_rows *kase = NULL, *plan = NULL;
    int64_t id = api_path_id(req, res, 0);
    int kase_found;
    store_err e;

    if (!id)
        return;
    e = store_case_get(ctx->conn, &ctx->actor, id, &kase); /* scope */
    kase_found = e == STORE_OK;
    store_rows_free(kase);
    if (e == STORE_OK)
        e = store_control_plan_get(ctx->conn, id, &plan);
    /* No plan yet is an answer about an existing case, not a missing resource. */
    if (e == STORE_NOT_FOUND && kase_found) {
        store_conn_clear(ctx->conn);
        http_res_json(res, 200, json_null());
        return;
    }
    api_reply_row(res, ctx->conn, e, plan, 200);
}

void api_control_plan_put(struct http_req *req, struct http_res *res)
{
    struct api_ctx *ctx = api_ctx(req);
    struct case_env env;
    struct case_out out = {0};
    int64_t id = api_path_id(req, res, 0);
    json_t *body = id ? api_body(req, res) : NULL;

    if (!body)
        return;
    api_case_env(req, &env);
    if (api_case_done(req, res, case_control_plan(&env, id, body, &out), &out)) {
        struct store_rows *plan = NULL;
        store_err e = store_control_plan_get(ctx->conn, id, &plan);
        api_reply_row(res, ctx->conn, e, plan, 200);
    }
    case_out_free(&out);
    json_decref(body);
}

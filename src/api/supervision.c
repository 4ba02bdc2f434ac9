/*
 * supervision.c - supervision orders (督办 and 挂牌督办): a supervisor or leader puts a
 * case under supervision with a content and a deadline; those handling it reply. Open
 * orders and those past their deadline are listed per responsible unit.
 */
#include "api/api.h"
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
    struct api_ctx *ctx = api_ctx(req);
    struct verr_list errs = {0};
    struct store_rows *kase = NULL;
    const char *level = NULL, *content = NULL, *deadline = NULL, *state;
    int64_t case_id = api_path_id(req, res, 0), id = 0;
    int32_t d;
    store_err e;
    json_t *body;

    if (!case_id)
        return;
    body = api_body(req, res);
    if (!body)
        return;
    api_fields(body,
               (struct api_field[]){{"level", 's', 0, &level},
                                    {"content", 's', 1, &content},
                                    {"deadline", 's', 1, &deadline}},
               3, &errs, NULL, 0);
    level = level ? level : "supervise";
    if (strcmp(level, "supervise") != 0 && strcmp(level, "listed") != 0)
        verr_add(&errs, "level", "invalid", "must be supervise (督办) or listed (挂牌督办)");
    if (content)
        verr_check_text(&errs, "content", content, 1, 2000);
    if (deadline && timefmt_day_parse(deadline, &d) != 0)
        verr_add(&errs, "deadline", "invalid", "must be a date (YYYY-MM-DD)");
    else if (deadline && d < (int32_t)((store_now_ms() + 8LL * 3600 * 1000) / 86400000))
        verr_add(&errs, "deadline", "invalid", "must not be in the past");
    if (errs.n) {
        api_validation(res, &errs);
        goto out;
    }
    e = store_case_get(ctx->conn, &ctx->actor, case_id, &kase);
    if (e != STORE_OK) {
        api_store_error(res, ctx->conn, e);
        goto out;
    }
    state = store_rows_get(kase, 0, store_rows_col(kase, "state"));
    if (strcmp(state, "closed") == 0 || strcmp(state, "archived") == 0) {
        http_problem(res, 409, "conflict", "Conflict", "the case is closed", NULL);
        goto out;
    }
    e = store_order_issue(ctx->conn, &ctx->actor, case_id, level, content, deadline, &id);
    if (e != STORE_OK) {
        api_store_error(res, ctx->conn, e);
        goto out;
    }
    reply_order(req, res, id, 201);
out:
    store_rows_free(kase);
    json_decref(body);
}

void api_supervision_reply(struct http_req *req, struct http_res *res)
{
    struct api_ctx *ctx = api_ctx(req);
    struct verr_list errs = {0};
    const char *text = NULL;
    int64_t id = api_path_id(req, res, 0);
    store_err e;
    json_t *body;

    if (!id)
        return;
    body = api_body(req, res);
    if (!body)
        return;
    api_fields(body, (struct api_field[]){{"reply", 's', 1, &text}}, 1, &errs, NULL, 0);
    if (text)
        verr_check_text(&errs, "reply", text, 1, 2000);
    if (errs.n) {
        api_validation(res, &errs);
        goto out;
    }
    e = store_order_reply(ctx->conn, &ctx->actor, id, text);
    if (e != STORE_OK) {
        api_store_error(res, ctx->conn, e);
        goto out;
    }
    reply_order(req, res, id, 200);
out:
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

/*
 * court.c - the court's filings per region and month (民商事一审收案数), entered by
 * administrators and leaders, for 万人成讼率 (docs/metrics.md). The numbers come from the
 * basic-level court; jiefen does not hold them otherwise.
 */
#include "api/api.h"
#include "store/court.h"

#include <stdlib.h>
#include <string.h>

/* 1 if s is a month YYYY-MM (01..12). */
static int is_month(const char *s)
{
    if (!s || strlen(s) != 7 || s[4] != '-')
        return 0;
    for (int i = 0; i < 7; i++)
        if (i != 4 && (s[i] < '0' || s[i] > '9'))
            return 0;
    return atoi(s + 5) >= 1 && atoi(s + 5) <= 12 && atoi(s) >= 1900;
}

/* The month of the path ({id}/court-filings/{month}); answers 404 when it is not one. */
static const char *path_month(struct http_req *req, struct http_res *res)
{
    const char *m = req->nparams > 1 ? req->params[1] : NULL;

    if (!is_month(m)) {
        http_problem(res, 404, "not-found", "Not Found", "no such month (YYYY-MM)", NULL);
        return NULL;
    }
    return m;
}

void api_court_filings_list(struct http_req *req, struct http_res *res)
{
    struct api_ctx *ctx = api_ctx(req);
    struct verr_list errs = {0};
    struct store_rows *rows = NULL;
    int64_t id = api_path_id(req, res, 0);
    const char *from = http_query(req, "from"), *to = http_query(req, "to");
    store_err e;

    if (!id)
        return;
    if (from && *from && !is_month(from))
        verr_add(&errs, "from", "invalid", "must be a month (YYYY-MM)");
    if (to && *to && !is_month(to))
        verr_add(&errs, "to", "invalid", "must be a month (YYYY-MM)");
    if (errs.n) {
        api_validation(res, &errs);
        return;
    }
    e = store_court_filings_list(ctx->conn, &ctx->actor, id, from && *from ? from : "0000-00",
                                 to && *to ? to : "9999-99", &rows);
    api_reply_items(res, ctx->conn, e, rows);
}

void api_court_filings_put(struct http_req *req, struct http_res *res)
{
    struct api_ctx *ctx = api_ctx(req);
    struct verr_list errs = {0};
    int64_t id = api_path_id(req, res, 0);
    const char *month = id ? path_month(req, res) : NULL;
    json_t *body = month ? api_body(req, res) : NULL;
    json_int_t filings = -1;
    const char *source = NULL;
    const struct jfield fields[] = {{"filings", 'I', 1, &filings}, {"source", 's', 0, &source}};
    store_err e;

    if (!body)
        return;
    api_fields(body, fields, 2, &errs, NULL, 0);
    if (!verr_has(&errs, "filings") && filings < 0)
        verr_add(&errs, "filings", "invalid", "must not be negative");
    if (source && strlen(source) > 200)
        verr_add(&errs, "source", "too_long", "at most 200 bytes");
    if (errs.n) {
        api_validation(res, &errs);
        goto out;
    }
    e = store_court_filings_set(ctx->conn, &ctx->actor, id, month, filings, source);
    if (e == STORE_OK)
        http_res_json(res, 200,
                      json_pack("{s:I, s:s, s:I, s:s}", "region_id", (json_int_t)id, "month", month,
                                "filings", filings, "source", source ? source : ""));
    else
        api_store_error(res, ctx->conn, e);
out:
    json_decref(body);
}

void api_court_filings_delete(struct http_req *req, struct http_res *res)
{
    struct api_ctx *ctx = api_ctx(req);
    int64_t id = api_path_id(req, res, 0);
    const char *month = id ? path_month(req, res) : NULL;
    store_err e;

    if (!month)
        return;
    e = store_court_filings_delete(ctx->conn, &ctx->actor, id, month);
    if (e == STORE_OK)
        http_res_empty(res, 204);
    else
        api_store_error(res, ctx->conn, e);
}

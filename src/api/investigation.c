/*
 * investigation.c - scheduled investigation (定期排查) and trend warnings (趋势预警):
 * the reports units file each period (zero-reports included), the schedules, the
 * completion rates, and the warnings of the daily trend scan. The work is in
 * watch/investigate.c and watch/trend.c; docs/risk.md defines the rates.
 */
#include "api/api.h"
#include "case/case.h"
#include "core/timefmt.h"
#include "watch/investigate.h"
#include "watch/trend.h"

#include <string.h>

static int32_t today(void)
{
    return (int32_t)((store_now_ms() + 8LL * 3600 * 1000) / 86400000);
}

/* Reads an optional date query parameter (YYYY-MM-DD) into *out (NULL when absent). */
static void query_day(struct http_req *req, const char *name, const char **out,
                      struct verr_list *errs)
{
    const char *v = http_query(req, name);
    int32_t d;

    *out = v && *v ? v : NULL;
    if (*out && timefmt_day_parse(*out, &d) != 0)
        verr_add(errs, name, "invalid", "must be a date (YYYY-MM-DD)");
}

/* region_id, from and to, shared by the lists. */
static int query_range(struct http_req *req, struct http_res *res, int64_t *region_id,
                       const char **from, const char **to, struct store_page *pg)
{
    struct verr_list errs = {0};

    api_query_id(req, "region_id", region_id, &errs);
    query_day(req, "from", from, &errs);
    query_day(req, "to", to, &errs);
    if (pg)
        api_query_page(req, pg, &errs);
    if (errs.n)
        api_validation(res, &errs);
    return errs.n == 0;
}

void api_investigation_list(struct http_req *req, struct http_res *res)
{
    struct api_ctx *ctx = api_ctx(req);
    struct store_page pg;
    struct store_rows *rows = NULL;
    const char *from, *to, *state = http_query(req, "state");
    int64_t region_id;
    store_err e;

    if (state && *state && strcmp(state, "due") != 0 && strcmp(state, "filed") != 0 &&
        strcmp(state, "missed") != 0) {
        struct verr_list errs = {0};
        verr_add(&errs, "state", "invalid", "must be due, filed or missed");
        api_validation(res, &errs);
        return;
    }
    if (!query_range(req, res, &region_id, &from, &to, &pg))
        return;
    e = investigate_list(ctx->conn, &ctx->actor, region_id, from, to,
                         state && *state ? state : NULL, today(), &pg, &rows);
    api_reply_page(res, ctx->conn, e, rows, &pg);
}

static void reply_report(struct http_req *req, struct http_res *res, int64_t id, int status)
{
    struct api_ctx *ctx = api_ctx(req);
    json_t *report = NULL;
    store_err e = investigate_get(ctx->conn, &ctx->actor, id, today(), &report);

    if (e != STORE_OK)
        api_store_error(res, ctx->conn, e);
    else
        http_res_json(res, status, report);
}

void api_investigation_get(struct http_req *req, struct http_res *res)
{
    int64_t id = api_path_id(req, res, 0);

    if (id)
        reply_report(req, res, id, 200);
}

void api_investigation_file(struct http_req *req, struct http_res *res)
{
    struct case_env env;
    struct case_out out = {0};
    json_t *body = api_body(req, res);
    int64_t id = 0;

    if (!body)
        return;
    api_case_env(req, &env);
    if (api_case_done(req, res, investigate_file(&env, body, &id, &out), &out))
        reply_report(req, res, id, 201);
    case_out_free(&out);
    json_decref(body);
}

void api_investigation_completion(struct http_req *req, struct http_res *res)
{
    struct api_ctx *ctx = api_ctx(req);
    const char *from, *to;
    int64_t region_id;
    json_t *items = NULL;
    store_err e;

    if (!query_range(req, res, &region_id, &from, &to, NULL))
        return;
    e = investigate_completion(ctx->conn, &ctx->actor, region_id, from, to, today(), &items);
    if (e != STORE_OK)
        api_store_error(res, ctx->conn, e);
    else
        http_res_json(res, 200, json_pack("{s:o}", "items", items));
}

void api_investigation_schedules(struct http_req *req, struct http_res *res)
{
    struct api_ctx *ctx = api_ctx(req);
    struct store_rows *rows = NULL;
    store_err e = investigate_schedules(ctx->conn, &rows);

    api_reply_items(res, ctx->conn, e, rows);
}

static const struct vocab_entry period_entries[] = {
    {"day", "每日"}, {"week", "每周"}, {"half_month", "每半月"}, {"month", "每月"}};
static const struct vocab vocab_period = {"period", period_entries, 4};

void api_investigation_schedule_set(struct http_req *req, struct http_res *res)
{
    struct api_ctx *ctx = api_ctx(req);
    struct verr_list errs = {0};
    const char *level = NULL, *period = NULL;
    json_int_t grace = 0;
    int enabled = 1;
    json_t *body = api_body(req, res);
    store_err e;

    if (!body)
        return;
    api_fields(body,
               (struct api_field[]){{"level", 's', 1, &level},
                                    {"period", 's', 1, &period},
                                    {"grace_days", 'I', 0, &grace},
                                    {"enabled", 'b', 0, &enabled}},
               4, &errs, NULL, 0);
    level = api_vocab(&errs, "level", &vocab_region_level, level);
    period = api_vocab(&errs, "period", &vocab_period, period);
    if ((grace < 0 || grace > 31) && !verr_has(&errs, "grace_days"))
        verr_add(&errs, "grace_days", "invalid", "must be from 0 to 31 days");
    if (errs.n) {
        api_validation(res, &errs);
        json_decref(body);
        return;
    }
    e = investigate_schedule_set(ctx->conn, &ctx->actor, level, period, grace, enabled);
    json_decref(body);
    if (e != STORE_OK)
        api_store_error(res, ctx->conn, e);
    else
        api_investigation_schedules(req, res);
}

void api_trends_list(struct http_req *req, struct http_res *res)
{
    struct api_ctx *ctx = api_ctx(req);
    struct store_page pg;
    struct store_rows *rows = NULL;
    const char *from, *to;
    int64_t region_id;
    store_err e;

    if (!query_range(req, res, &region_id, &from, &to, &pg))
        return;
    e = trend_list(ctx->conn, &ctx->actor, region_id, from, to, &pg, &rows);
    api_reply_page(res, ctx->conn, e, rows, &pg);
}

void api_trends_counts(struct http_req *req, struct http_res *res)
{
    struct api_ctx *ctx = api_ctx(req);
    struct verr_list errs = {0};
    struct store_rows *rows = NULL;
    const char *from, *to;
    int32_t f = today() - 6, t = today();
    int64_t region_id;
    store_err e;

    if (!query_range(req, res, &region_id, &from, &to, NULL))
        return;
    if (!region_id)
        region_id = ctx->who.region_id; /* the caller's own region */
    if ((from && timefmt_day_parse(from, &f) != 0) || (to && timefmt_day_parse(to, &t) != 0) ||
        f > t)
        verr_add(&errs, "from", "invalid", "from must not be after to");
    if (errs.n) {
        api_validation(res, &errs);
        return;
    }
    e = trend_counts(ctx->conn, &ctx->actor, region_id, f, t, &rows);
    api_reply_items(res, ctx->conn, e, rows);
}

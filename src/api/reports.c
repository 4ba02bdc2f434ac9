/*
 * reports.c - the monthly 人民调解研判预警专报 and the quarterly summary (季度总结) of a region
 * (issue 11 part 3; docs/reports.md).
 *
 * Generating a report reads the statistics service (the same functions as
 * GET /api/v1/stats/summary and /stats/breakdown: the counters, never a scan of cases) and
 * the risk board (store_risk_board), and keeps the result in the report's `generated`, so
 * that an issued version shows the figures it was issued with. The analyst's section is
 * edited while the report is a draft; issuing freezes it (store/reports.c); a revision is a
 * new draft version copying the issued one.
 */
#include "api/api.h"
#include "store/reports.h"
#include "store/risk.h"
#include "case/case.h"
#include "core/period.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define HIGH_RISK_ROWS 50 /* high-risk cases listed in a report: the board's first page */
#define ANALYSIS_MAX   20000

/* The kind of a report as a period kind; -1 if it is not a kind of report. */
static int kind_period(const char *kind)
{
    if (kind && strcmp(kind, "monthly") == 0)
        return PERIOD_MONTH;
    if (kind && strcmp(kind, "quarterly") == 0)
        return PERIOD_QUARTER;
    return -1;
}

/* {period, from, to, total, rates} of another period, for the comparison section. */
static store_err other_period(struct store_conn *c, const struct store_actor *a, int64_t region_id,
                              enum period_kind k, const char *period, json_t **out)
{
    char f[16], t[16];
    json_t *s = NULL;
    store_err e;

    period_days(k, period, f, t, sizeof f);
    e = api_stats_summary_of(c, a, region_id, f, t, &s);
    if (e == STORE_OK)
        *out = json_pack("{s:s, s:s, s:s, s:O, s:O}", "period", period, "from", f, "to", t, "total",
                         json_object_get(s, "total"), "rates", json_object_get(s, "rates"));
    json_decref(s);
    return e;
}

/* The high-risk section: the open red and orange cases of the subtree (the risk board). */
static store_err high_risk(struct store_conn *c, const struct store_actor *a, int64_t region_id,
                           json_t **out)
{
    struct store_page pg = {1, HIGH_RISK_ROWS};
    struct store_board b = {0};
    store_err e = store_risk_board(c, a, region_id, &pg, &b);

    if (e == STORE_OK)
        *out = json_pack("{s:I, s:I, s:o, s:o}", "red", (json_int_t)b.red, "orange",
                         (json_int_t)b.orange, "cases", api_rows(b.cases), "regions",
                         api_rows(b.regions));
    store_rows_free(b.cases);
    store_rows_free(b.regions);
    return e;
}

/* The comparison section: the previous period and the same period a year earlier, named
 * for the kind (previous_month / same_month_last_year, previous_quarter /
 * same_quarter_last_year). */
static store_err comparison(struct store_conn *c, const struct store_actor *a, int64_t region_id,
                            enum period_kind k, const char *period, json_t **out)
{
    char prev[16], last[16];
    json_t *p = NULL, *l = NULL;
    store_err e;

    period_shift(k, period, -1, prev, sizeof prev);
    period_shift(k, period, k == PERIOD_MONTH ? -12 : -4, last, sizeof last);
    e = other_period(c, a, region_id, k, prev, &p);
    if (e == STORE_OK)
        e = other_period(c, a, region_id, k, last, &l);
    if (e == STORE_OK)
        *out = k == PERIOD_MONTH
                   ? json_pack("{s:o, s:o}", "previous_month", p, "same_month_last_year", l)
                   : json_pack("{s:o, s:o}", "previous_quarter", p, "same_quarter_last_year", l);
    else {
        json_decref(p);
        json_decref(l);
    }
    return e == STORE_OK && !*out ? STORE_ERROR : e;
}

/* Every generated section of the report of region_id for period, as one object. The
 * quarterly summary looks back over the quarter and has no high-risk list (that is the
 * monthly report's early warning); otherwise the sections are the same. */
static store_err generate(struct store_conn *c, const struct store_actor *a, int64_t region_id,
                          enum period_kind k, const char *period, json_t **out)
{
    char f[16], t[16];
    json_t *o = NULL, *sum = NULL, *cmp = NULL, *cats = NULL, *spots = NULL, *risk = NULL;
    store_err e;

    period_days(k, period, f, t, sizeof f);
    e = api_stats_summary_of(c, a, region_id, f, t, &sum);
    if (e == STORE_OK)
        e = comparison(c, a, region_id, k, period, &cmp);
    if (e == STORE_OK)
        e = api_stats_breakdown_of(c, a, region_id, f, t, "category", &cats);
    if (e == STORE_OK)
        e = api_stats_breakdown_of(c, a, region_id, f, t, "region", &spots);
    if (e == STORE_OK && k == PERIOD_MONTH)
        e = high_risk(c, a, region_id, &risk);
    if (e == STORE_OK) {
        /* The summary's own comparisons are equal-length periods; a report compares with
         * calendar months or quarters, so they are replaced by `comparison`. */
        json_object_del(sum, "previous");
        json_object_del(sum, "last_year");
        o = json_pack("{s:s, s:s, s:s, s:O, s:o, s:o, s:o, s:O, s:O}", "period", period, "from", f,
                      "to", t, "overview", sum, "comparison", cmp, "categories", cats, "hot_spots",
                      spots, "overdue", json_object_get(sum, "overdue"), "awaiting_feedback",
                      json_object_get(sum, "awaiting_feedback"));
        cmp = cats = spots = NULL;
        if (o && risk)
            json_object_set(o, "high_risk", risk);
        e = o ? STORE_OK : STORE_ERROR;
    }
    json_decref(sum);
    json_decref(cmp);
    json_decref(cats);
    json_decref(spots);
    json_decref(risk);
    *out = o;
    return e;
}

/* Answers with report `id` (status) or the store's error. */
static void reply_report(struct http_res *res, struct api_ctx *ctx, int64_t id, int status)
{
    struct store_rows *r = NULL;
    store_err e = store_report_get(ctx->conn, &ctx->actor, id, &r);
    api_reply_row(res, ctx->conn, e, r, status);
}

/* Stores a draft of (kind, region, period) with these sections and analysis; answers 201. */
static void create_draft(struct http_res *res, struct api_ctx *ctx, const char *kind,
                         int64_t region_id, const char *period, json_t *generated,
                         const char *analysis)
{
    char *text = json_dumps(generated, JSON_COMPACT);
    int64_t id = 0;
    store_err e = text ? store_report_create(ctx->conn, &ctx->actor, kind, region_id, period, text,
                                             analysis, &id)
                       : STORE_ERROR;
    free(text);
    if (e == STORE_OK)
        reply_report(res, ctx, id, 201);
    else
        api_store_error(res, ctx->conn, e);
}

void api_reports_create(struct http_req *req, struct http_res *res)
{
    struct api_ctx *ctx = api_ctx(req);
    struct verr_list errs = {0};
    const char *kind = NULL, *period = NULL;
    json_int_t region_id = 0;
    json_t *body = api_body(req, res), *gen = NULL;
    char f[16], t[16];
    store_err e;

    if (!body)
        return;
    api_fields(body,
               (struct api_field[]){{"kind", 's', 1, &kind},
                                    {"region_id", 'I', 1, &region_id},
                                    {"period", 's', 1, &period}},
               3, &errs, NULL, 0);
    if (kind && kind_period(kind) < 0)
        verr_add(&errs, "kind", "invalid", "must be monthly or quarterly");
    else if (kind && period && !period_days(kind_period(kind), period, f, t, sizeof f))
        verr_add(&errs, "period", "invalid",
                 kind_period(kind) == PERIOD_MONTH ? "must be a month (YYYY-MM)"
                                                   : "must be a quarter (YYYY-Qn)");
    if (region_id <= 0 && !verr_has(&errs, "region_id"))
        verr_add(&errs, "region_id", "invalid", "must be a region id");
    if (errs.n) {
        api_validation(res, &errs);
        json_decref(body);
        return;
    }
    e = generate(ctx->conn, &ctx->actor, region_id, kind_period(kind), period, &gen);
    if (e == STORE_OK)
        create_draft(res, ctx, kind, region_id, period, gen, "");
    else
        api_store_error(res, ctx->conn, e);
    json_decref(gen);
    json_decref(body);
}

void api_reports_list(struct http_req *req, struct http_res *res)
{
    struct api_ctx *ctx = api_ctx(req);
    struct verr_list errs = {0};
    struct store_rows *rows = NULL;
    struct store_page pg;
    int64_t region_id = 0;
    store_err e;

    api_query_id(req, "region_id", &region_id, &errs);
    api_query_page(req, &pg, &errs);
    if (errs.n) {
        api_validation(res, &errs);
        return;
    }
    e = store_report_list(ctx->conn, &ctx->actor, region_id, &pg, &rows);
    api_reply_page(res, ctx->conn, e, rows, &pg);
}

void api_reports_get(struct http_req *req, struct http_res *res)
{
    int64_t id = api_path_id(req, res, 0);
    if (id)
        reply_report(res, api_ctx(req), id, 200);
}

void api_reports_update(struct http_req *req, struct http_res *res)
{
    struct api_ctx *ctx = api_ctx(req);
    struct verr_list errs = {0};
    const char *analysis = NULL;
    int64_t id = api_path_id(req, res, 0);
    json_t *body = id ? api_body(req, res) : NULL;
    store_err e;

    if (!body)
        return;
    api_fields(body, (struct api_field[]){{"analysis", 's', 1, &analysis}}, 1, &errs, NULL, 0);
    if (analysis && strlen(analysis) > ANALYSIS_MAX)
        verr_add(&errs, "analysis", "too_long", "must be at most 20000 bytes");
    if (errs.n) {
        api_validation(res, &errs);
        json_decref(body);
        return;
    }
    e = store_report_analysis(ctx->conn, &ctx->actor, id, analysis);
    json_decref(body);
    if (e == STORE_OK)
        reply_report(res, ctx, id, 200);
    else
        api_store_error(res, ctx->conn, e);
}

void api_reports_issue(struct http_req *req, struct http_res *res)
{
    struct api_ctx *ctx = api_ctx(req);
    int64_t id = api_path_id(req, res, 0);
    store_err e;

    if (!id)
        return;
    e = store_report_issue(ctx->conn, &ctx->actor, id);
    if (e == STORE_OK)
        reply_report(res, ctx, id, 200);
    else
        api_store_error(res, ctx->conn, e);
}

/* A new draft version copying an issued report: its figures and its analysis. */
void api_reports_revise(struct http_req *req, struct http_res *res)
{
    struct api_ctx *ctx = api_ctx(req);
    struct store_rows *r = NULL;
    int64_t id = api_path_id(req, res, 0);
    json_t *gen = NULL;
    store_err e;

    if (!id)
        return;
    e = store_report_get(ctx->conn, &ctx->actor, id, &r);
    if (e == STORE_OK && strcmp(store_rows_get(r, 0, store_rows_col(r, "state")), "issued") != 0) {
        http_problem(res, 409, "conflict", "Conflict",
                     "only an issued report is revised; a draft is edited", NULL);
        store_rows_free(r);
        return;
    }
    if (e == STORE_OK) {
        gen = json_loads(store_rows_get(r, 0, store_rows_col(r, "generated")), 0, NULL);
        e = gen ? STORE_OK : STORE_ERROR;
    }
    if (e == STORE_OK)
        create_draft(res, ctx, store_rows_get(r, 0, store_rows_col(r, "kind")),
                     store_rows_int(r, 0, store_rows_col(r, "region_id")),
                     store_rows_get(r, 0, store_rows_col(r, "period")), gen,
                     store_rows_get(r, 0, store_rows_col(r, "analysis")));
    else
        api_store_error(res, ctx->conn, e);
    json_decref(gen);
    store_rows_free(r);
}

/* GET /api/v1/reports/quarterly?region_id=&period=YYYY-Qn: which counties and townships of
 * the region have issued the quarter's summary (default: the last quarter, the one now
 * owed). */
void api_reports_quarterly(struct http_req *req, struct http_res *res)
{
    struct api_ctx *ctx = api_ctx(req);
    struct verr_list errs = {0};
    struct store_rows *rows = NULL;
    const char *period = http_query(req, "period");
    char q[16], due[16], f[16], t[16];
    int64_t region_id = 0;
    store_err e;

    api_query_id(req, "region_id", &region_id, &errs);
    if (period && *period && !period_days(PERIOD_QUARTER, period, f, t, sizeof f))
        verr_add(&errs, "period", "invalid", "must be a quarter (YYYY-Qn)");
    if (errs.n) {
        api_validation(res, &errs);
        return;
    }
    if (period && *period) {
        snprintf(q, sizeof q, "%s", period);
    } else {
        char cur[16];
        period_quarter_of(case_today(), cur, sizeof cur);
        period_shift(PERIOD_QUARTER, cur, -1, q, sizeof q);
    }
    period_quarter_due(q, due, sizeof due);
    e = store_report_quarterly(ctx->conn, &ctx->actor, region_id, q, &rows);
    if (e == STORE_OK) {
        json_t *items = api_rows(rows);
        size_t i, issued = 0;
        json_t *it;
        json_array_foreach(items, i, it)
        {
            issued += !json_is_null(json_object_get(it, "issued_version"));
        }
        http_res_json(res, 200,
                      json_pack("{s:s, s:s, s:I, s:I, s:o}", "period", q, "due_on", due, "issued",
                                (json_int_t)issued, "owing",
                                (json_int_t)(json_array_size(items) - issued), "items", items));
    } else {
        api_store_error(res, ctx->conn, e);
    }
    store_rows_free(rows);
}

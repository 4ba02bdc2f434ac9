/*
 * stats.c - the statistics service (统计分析): summary and breakdown of a region subtree
 * for a period, read from the counters the case module keeps (watch/stats.h). Every
 * figure is defined in docs/metrics.md.
 */
#include "api/api.h"
#include "core/stats.h"
#include "core/timefmt.h"
#include "core/vocab.h"
#include "store/regions.h"
#include "store/court.h"
#include "store/settings.h"
#include "watch/investigate.h"
#include "watch/stats.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The period and region of a request, checked. */
struct period {
    int64_t region_id;
    int32_t from, to;
    char f[16], t[16];
};

static int32_t today(void)
{
    return (int32_t)((store_now_ms() + 8LL * 3600 * 1000) / 86400000);
}

static void query_day(struct http_req *req, const char *name, int32_t *out, struct verr_list *errs)
{
    const char *v = http_query(req, name);

    if (v && *v && timefmt_day_parse(v, out) != 0)
        verr_add(errs, name, "invalid", "must be a date (YYYY-MM-DD)");
}

/* Reads region_id, from, to (default: the caller's region, this month so far). */
static int read_period(struct http_req *req, struct http_res *res, struct period *p)
{
    struct api_ctx *ctx = api_ctx(req);
    struct verr_list errs = {0};
    char month[16];

    p->region_id = 0;
    p->to = today();
    timefmt_day(p->to, month, sizeof month);
    memcpy(month + 8, "01", 3);
    timefmt_day_parse(month, &p->from);
    api_query_id(req, "region_id", &p->region_id, &errs);
    query_day(req, "from", &p->from, &errs);
    query_day(req, "to", &p->to, &errs);
    if (!errs.n && p->from > p->to)
        verr_add(&errs, "from", "invalid", "must not be after to");
    if (errs.n) {
        api_validation(res, &errs);
        return 0;
    }
    if (!p->region_id)
        p->region_id = ctx->who.region_id;
    timefmt_day(p->from, p->f, sizeof p->f);
    timefmt_day(p->to, p->t, sizeof p->t);
    return 1;
}

static json_t *rate_json(int ok, double v)
{
    return ok ? json_real(v) : json_null();
}

static json_t *rates_json(const int64_t fig[SF_N])
{
    json_t *o = json_object();

    for (int r = 0; r < SR_N; r++) {
        double v = 0;
        int ok = stats_rate(fig, (enum stats_rate)r, &v);
        json_object_set_new(o, stats_rate_name((enum stats_rate)r), rate_json(ok, v));
    }
    return o;
}

static json_t *figures_json(const int64_t fig[SF_N])
{
    json_t *o = json_object();

    for (int f = 0; f < SF_N; f++)
        json_object_set_new(o, stats_fig_name((enum stats_fig)f), json_integer(fig[f]));
    return o;
}

/* {from, to, total, rates} of another period, for the comparisons. */
static store_err other_period(struct store_conn *c, int64_t region_id, const char *from,
                              const char *to, json_t **out)
{
    struct stats_sums s;
    store_err e = stats_sum(c, region_id, from, to, &s);

    if (e == STORE_OK)
        *out = json_pack("{s:s, s:s, s:I, s:o}", "from", from, "to", to, "total",
                         (json_int_t)s.fig[SF_RECEIVED], "rates", rates_json(s.fig));
    stats_sums_free(&s);
    return e;
}

/* The same day a year earlier (29 February → 28 February). */
static void year_before(const char *day, char *out, size_t len)
{
    snprintf(out, len, "%04d%s", atoi(day) - 1, day + 4);
    if (strcmp(out + 4, "-02-29") == 0)
        out[9] = '8';
}

static store_err comparisons(struct store_conn *c, const struct period *p, json_t *o)
{
    char pf[16], pt[16], yf[16], yt[16];
    json_t *prev = NULL, *last = NULL;
    store_err e;

    timefmt_day(p->from - (p->to - p->from + 1), pf, sizeof pf);
    timefmt_day(p->from - 1, pt, sizeof pt);
    year_before(p->f, yf, sizeof yf);
    year_before(p->t, yt, sizeof yt);
    e = other_period(c, p->region_id, pf, pt, &prev);
    if (e == STORE_OK)
        e = other_period(c, p->region_id, yf, yt, &last);
    if (e == STORE_OK) {
        json_object_set_new(o, "previous", prev);
        json_object_set_new(o, "last_year", last);
    } else {
        json_decref(prev);
    }
    return e;
}

/* {median, p90, n} of the days to resolve (docs/metrics.md); median and p90 null when n = 0. */
static json_t *days_json(const int64_t days[STATS_DAYS_CAP + 1])
{
    int64_t n = 0;
    int med = 0, p90 = 0;
    int ok = stats_days_percentile(days, 50, &med) && stats_days_percentile(days, 90, &p90);

    for (int i = 0; i <= STATS_DAYS_CAP; i++)
        n += days[i];
    return json_pack("{s:o, s:o, s:I, s:i}", "median", ok ? json_integer(med) : json_null(), "p90",
                     ok ? json_integer(p90) : json_null(), "n", (json_int_t)n, "cap",
                     STATS_DAYS_CAP);
}

static json_t *summary_json(const struct period *p, const struct store_rows *region,
                            struct stats_sums *s, const struct stats_backlog *b)
{
    const char *pop = store_rows_get(region, 0, store_rows_col(region, "population"));
    int64_t population = pop ? strtoll(pop, NULL, 10) : 0;
    double inc = 0, od = 0;
    int has_inc = stats_per_10k(s->fig[SF_RECEIVED], population, &inc);
    int has_od = stats_ratio(b->overdue, b->open_with_due, &od);
    char now[16];

    timefmt_day(today(), now, sizeof now);
    return json_pack(
        "{s:I, s:s, s:s, s:s, s:I, s:{s:O, s:O, s:O, s:O, s:O, s:O}, s:o, s:o, s:o, s:o,"
        " s:{s:I, s:I, s:o, s:s}, s:I, s:o}",
        "region_id", (json_int_t)p->region_id, "region_name",
        store_rows_get(region, 0, store_rows_col(region, "name")), "from", p->f, "to", p->t,
        "total", (json_int_t)s->fig[SF_RECEIVED], "counts", "by_state", s->by[0], "by_category",
        s->by[1], "by_channel", s->by[2], "by_level", s->by[3], "by_method", s->by[4], "by_outcome",
        s->by[5], "figures", figures_json(s->fig), "rates", rates_json(s->fig), "population",
        pop ? json_integer(population) : json_null(), "incidence_per_10k", rate_json(has_inc, inc),
        "overdue", "count", (json_int_t)b->overdue, "open_with_due", (json_int_t)b->open_with_due,
        "rate", rate_json(has_od, od), "as_of", now, "awaiting_feedback",
        (json_int_t)b->awaiting_feedback, "days_to_resolve", days_json(s->days));
}

/* 排查率 and 上报率 of the subtree (docs/risk.md): the investigation service's per-unit
 * counts, summed. Reads the investigation reports, not the cases. */
static store_err investigation_json(struct store_conn *c, const struct store_actor *a,
                                    const struct period *p, json_t *o)
{
    json_t *units = NULL, *u;
    int64_t due = 0, filed = 0, on_time = 0;
    double ir = 0, rr = 0;
    size_t i;
    store_err e = investigate_completion(c, a, p->region_id, p->f, p->t, today(), &units);

    if (e != STORE_OK)
        return e;
    json_array_foreach(units, i, u)
    {
        due += json_integer_value(json_object_get(u, "due"));
        filed += json_integer_value(json_object_get(u, "filed"));
        on_time += json_integer_value(json_object_get(u, "on_time"));
    }
    json_decref(units);
    /* Computed before the pack: argument order is unspecified. */
    int has_ir = stats_ratio(filed, due, &ir), has_rr = stats_ratio(on_time, due, &rr);
    json_object_set_new(o, "investigation",
                        json_pack("{s:I, s:I, s:I, s:o, s:o}", "due", (json_int_t)due, "filed",
                                  (json_int_t)filed, "on_time", (json_int_t)on_time,
                                  "investigation_rate", rate_json(has_ir, ir), "reporting_rate",
                                  rate_json(has_rr, rr)));
    return STORE_OK;
}

/* 万人成讼率 (docs/metrics.md): the court's filings of the subtree in the months of the
 * period × 10,000 / population; null when no month is recorded or the population unknown. */
static store_err litigation_json(struct store_conn *c, const struct store_actor *a,
                                 const struct period *p, json_t *o)
{
    char fm[8], tm[8];
    int64_t sum = 0, rows = 0;
    int64_t population = json_integer_value(json_object_get(o, "population"));
    double v = 0;
    store_err e;

    snprintf(fm, sizeof fm, "%.7s", p->f);
    snprintf(tm, sizeof tm, "%.7s", p->t);
    e = store_court_filings_sum(c, a, p->region_id, fm, tm, &sum, &rows);
    int has = rows > 0 && stats_per_10k(sum, population, &v);
    if (e == STORE_OK)
        json_object_set_new(o, "litigation",
                            json_pack("{s:s, s:s, s:o, s:I, s:o}", "from_month", fm, "to_month", tm,
                                      "filings", rows ? json_integer(sum) : json_null(), "recorded",
                                      (json_int_t)rows, "per_10k", rate_json(has, v)));
    return e;
}

store_err api_stats_summary_of(struct store_conn *c, const struct store_actor *a, int64_t region_id,
                               const char *from, const char *to, json_t **out)
{
    struct store_rows *region = NULL;
    struct stats_sums s = {0};
    struct stats_backlog b = {0};
    struct period p = {.region_id = region_id};
    json_t *o = NULL;
    char now[16];
    store_err e;

    if (timefmt_day_parse(from, &p.from) != 0 || timefmt_day_parse(to, &p.to) != 0)
        return STORE_ERROR;
    timefmt_day(p.from, p.f, sizeof p.f);
    timefmt_day(p.to, p.t, sizeof p.t);
    timefmt_day(today(), now, sizeof now);
    e = store_region_get(c, a, p.region_id, &region); /* scope */
    if (e == STORE_OK)
        e = stats_sum(c, p.region_id, p.f, p.t, &s);
    if (e == STORE_OK)
        e = stats_backlog(c, p.region_id, now, &b);
    if (e == STORE_OK) {
        o = summary_json(&p, region, &s, &b);
        e = o ? comparisons(c, &p, o) : STORE_ERROR;
    }
    if (e == STORE_OK)
        e = investigation_json(c, a, &p, o);
    if (e == STORE_OK)
        e = litigation_json(c, a, &p, o);
    if (e == STORE_OK)
        *out = o;
    else
        json_decref(o);
    stats_sums_free(&s);
    store_rows_free(region);
    return e;
}

void api_stats_summary(struct http_req *req, struct http_res *res)
{
    struct api_ctx *ctx = api_ctx(req);
    struct period p;
    json_t *o = NULL;
    store_err e;

    if (!read_period(req, res, &p))
        return;
    e = api_stats_summary_of(ctx->conn, &ctx->actor, p.region_id, p.f, p.t, &o);
    if (e == STORE_OK)
        http_res_json(res, 200, o);
    else
        api_store_error(res, ctx->conn, e);
}

/* One item per key from rows (key, name, population, metric, n), in the rows' order. */
static json_t *breakdown_items(const struct store_rows *r, const char *by)
{
    json_t *items = json_array();

    for (int i = 0; i < r->nrows;) {
        const char *key = store_rows_get(r, i, 0), *name = store_rows_get(r, i, 1);
        const char *pop = store_rows_get(r, i, 2), *zh;
        int64_t fig[SF_N] = {0};
        int64_t population = pop ? strtoll(pop, NULL, 10) : 0;
        double inc = 0;
        json_t *item;
        int j = i;

        for (; j < r->nrows && strcmp(store_rows_get(r, j, 0), key) == 0; j++) {
            const char *m = store_rows_get(r, j, 3);
            int f = m ? stats_fig_parse(m) : -1;
            if (f >= 0)
                fig[f] += store_rows_int(r, j, 4);
        }
        zh = strcmp(by, "category") == 0 ? vocab_zh(&vocab_category, key) : NULL;
        item = json_pack("{s:s, s:s, s:I, s:o}", "key", key, "name", zh ? zh : name, "total",
                         (json_int_t)fig[SF_RECEIVED], "rates", rates_json(fig));
        if (strcmp(by, "region") == 0) {
            /* Before the call that reads inc: argument order is unspecified. */
            int has_inc = stats_per_10k(fig[SF_RECEIVED], population, &inc);
            json_object_set_new(item, "population", pop ? json_integer(population) : json_null());
            json_object_set_new(item, "incidence_per_10k", rate_json(has_inc, inc));
        }
        json_array_append_new(items, item);
        i = j;
    }
    return items;
}

/* Adds the months of [from, to] that have no cases, so that a trend line has no gaps. */
static json_t *all_months(json_t *items, const struct period *p)
{
    json_t *out = json_array();
    char m[16], last[16];
    size_t k = 0;

    snprintf(m, sizeof m, "%.7s", p->f);
    snprintf(last, sizeof last, "%.7s", p->t);
    while (strcmp(m, last) <= 0) {
        json_t *it = json_array_get(items, k);
        const char *key = json_string_value(json_object_get(it, "key"));
        int y = atoi(m), mo = atoi(m + 5);
        if (key && strcmp(key, m) == 0) {
            json_array_append(out, it);
            k++;
        } else {
            json_t *zero = json_pack("{s:s, s:s, s:i, s:o}", "key", m, "name", m, "total", 0,
                                     "rates", rates_json((int64_t[SF_N]){0}));
            json_array_append_new(out, zero);
        }
        snprintf(m, sizeof m, "%04d-%02d", (mo == 12 ? y + 1 : y) % 10000,
                 mo == 12 ? 1 : mo % 12 + 1);
    }
    json_decref(items);
    return out;
}

store_err api_stats_breakdown_of(struct store_conn *c, const struct store_actor *a,
                                 int64_t region_id, const char *from, const char *to,
                                 const char *by, json_t **items)
{
    struct store_rows *region = NULL, *rows = NULL;
    store_err e = store_region_get(c, a, region_id, &region); /* scope */

    if (e == STORE_OK)
        e = stats_breakdown(c, region_id, from, to, by, &rows);
    if (e == STORE_OK)
        *items = breakdown_items(rows, by);
    store_rows_free(rows);
    store_rows_free(region);
    return e;
}

void api_stats_breakdown(struct http_req *req, struct http_res *res)
{
    struct api_ctx *ctx = api_ctx(req);
    struct store_rows *region = NULL, *rows = NULL;
    const char *by = http_query(req, "by");
    struct period p;
    json_t *items;
    store_err e;

    if (!by || !*by)
        by = "region"; /* the drill-down a leader starts from */
    if (strcmp(by, "region") != 0 && strcmp(by, "category") != 0 && strcmp(by, "month") != 0) {
        struct verr_list errs = {0};
        verr_add(&errs, "by", "invalid", "must be region, category or month");
        api_validation(res, &errs);
        return;
    }
    if (!read_period(req, res, &p))
        return;
    e = store_region_get(ctx->conn, &ctx->actor, p.region_id, &region); /* scope */
    if (e == STORE_OK)
        e = stats_breakdown(ctx->conn, p.region_id, p.f, p.t, by, &rows);
    if (e != STORE_OK) {
        api_store_error(res, ctx->conn, e);
    } else {
        items = breakdown_items(rows, by);
        if (strcmp(by, "month") == 0)
            items = all_months(items, &p);
        http_res_json(res, 200,
                      json_pack("{s:I, s:s, s:s, s:s, s:o}", "region_id", (json_int_t)p.region_id,
                                "from", p.f, "to", p.t, "by", by, "items", items));
    }
    store_rows_free(rows);
    store_rows_free(region);
}

/*
 * Assessment (考核, docs/metrics.md "考核 (assessment)"): the units one level below the
 * region ranked by a weighted score of four indicators, each a share in 0..1 where higher is
 * better. Read from the same counters as the breakdown by region; never a scan of cases.
 */
enum { AI_SUCCESS, AI_ON_TIME, AI_SATISFACTION, AI_LOCAL, AI_N };

static const char *const assess_keys[AI_N] = {"assess_w_success", "assess_w_overdue",
                                              "assess_w_satisfaction", "assess_w_local"};

struct unit {
    const char *id, *name;
    int64_t fig[SF_N];
    struct stats_backlog b;
    int has[AI_N];
    double v[AI_N], score;
    int scored, rank;
};

/* The indicators of u and its score: the weighted mean of those with data, × 100 (a unit
 * with no data for an indicator is neither rewarded nor punished: its weight is shared out
 * over the others). No indicator with data and a weight: no score. */
static void unit_score(struct unit *u, const long w[AI_N])
{
    double sum = 0, wsum = 0, od = 0;

    u->has[AI_SUCCESS] = stats_rate(u->fig, SR_SUCCESS, &u->v[AI_SUCCESS]);
    u->has[AI_ON_TIME] = stats_ratio(u->b.overdue, u->b.open_with_due, &od);
    u->v[AI_ON_TIME] = 1 - od;
    u->has[AI_SATISFACTION] = stats_rate(u->fig, SR_SATISFACTION, &u->v[AI_SATISFACTION]);
    u->has[AI_LOCAL] = stats_rate(u->fig, SR_LOCAL, &u->v[AI_LOCAL]);
    for (int i = 0; i < AI_N; i++)
        if (u->has[i] && w[i] > 0) {
            sum += (double)w[i] * u->v[i];
            wsum += (double)w[i];
        }
    u->scored = wsum > 0;
    u->score = u->scored ? 100 * sum / wsum : 0;
}

/* Scores equal but for rounding (2/3 reached by two sums) are equal: they share a rank. */
static int same_score(double a, double b)
{
    return fabs(a - b) < 1e-9;
}

/* Higher score first, then units without a score; ties by region id (the rows' order). */
static int unit_cmp(const void *a, const void *b)
{
    const struct unit *x = a, *y = b;

    if (x->scored != y->scored)
        return y->scored - x->scored;
    if (x->scored && !same_score(x->score, y->score))
        return x->score > y->score ? -1 : 1;
    return strtoll(x->id, NULL, 10) < strtoll(y->id, NULL, 10) ? -1 : 1;
}

/* Groups the breakdown rows (id, name, population, metric, n) into units; returns how many. */
static int units_from_rows(const struct store_rows *r, struct unit *u)
{
    int n = 0;

    for (int i = 0; i < r->nrows; n++) {
        const char *key = store_rows_get(r, i, 0);
        memset(&u[n], 0, sizeof u[n]);
        u[n].id = key;
        u[n].name = store_rows_get(r, i, 1);
        for (; i < r->nrows && strcmp(store_rows_get(r, i, 0), key) == 0; i++) {
            const char *m = store_rows_get(r, i, 3);
            int f = m ? stats_fig_parse(m) : -1;
            if (f >= 0)
                u[n].fig[f] += store_rows_int(r, i, 4);
        }
    }
    return n;
}

/* Competition ranking (1, 1, 3): equal scores share a rank. */
static void rank_units(struct unit *u, int n)
{
    qsort(u, (size_t)n, sizeof *u, unit_cmp);
    for (int i = 0; i < n; i++)
        u[i].rank = !u[i].scored ? 0
                    : i > 0 && u[i - 1].scored && same_score(u[i - 1].score, u[i].score)
                        ? u[i - 1].rank
                        : i + 1;
}

static json_t *unit_json(const struct unit *u)
{
    double od = 0;
    int has_od = stats_ratio(u->b.overdue, u->b.open_with_due, &od);

    return json_pack(
        "{s:I, s:s, s:I, s:{s:o, s:I, s:I}, s:{s:o, s:I, s:I, s:o}, s:{s:o, s:I, s:I},"
        " s:{s:o, s:I, s:I}, s:o, s:o}",
        "region_id", (json_int_t)strtoll(u->id, NULL, 10), "region_name", u->name, "total",
        (json_int_t)u->fig[SF_RECEIVED], "success", "rate",
        rate_json(u->has[AI_SUCCESS], u->v[AI_SUCCESS]), "agreed", (json_int_t)u->fig[SF_AGREED],
        "failed", (json_int_t)u->fig[SF_FAILED], "overdue", "rate", rate_json(has_od, od), "count",
        (json_int_t)u->b.overdue, "open_with_due", (json_int_t)u->b.open_with_due, "on_time_rate",
        rate_json(u->has[AI_ON_TIME], u->v[AI_ON_TIME]), "satisfaction", "rate",
        rate_json(u->has[AI_SATISFACTION], u->v[AI_SATISFACTION]), "satisfied",
        (json_int_t)u->fig[SF_SATISFIED], "rated", (json_int_t)u->fig[SF_RATED], "local", "rate",
        rate_json(u->has[AI_LOCAL], u->v[AI_LOCAL]), "resolved_local",
        (json_int_t)u->fig[SF_RESOLVED_LOCAL], "resolved", (json_int_t)u->fig[SF_RESOLVED], "score",
        rate_json(u->scored, u->score), "rank", u->rank ? json_integer(u->rank) : json_null());
}

/* The item of a mediator names the mediator, not a region. */
static json_t *as_mediator(json_t *item)
{
    json_object_set(item, "mediator_id", json_object_get(item, "region_id"));
    json_object_set(item, "mediator_name", json_object_get(item, "region_name"));
    json_object_del(item, "region_id");
    json_object_del(item, "region_name");
    return item;
}

static json_t *assessment_json(const struct period *p, const char *by, struct unit *u, int n,
                               const long w[AI_N])
{
    json_t *items = json_array();

    for (int i = 0; i < n; i++) {
        json_t *item = unit_json(&u[i]);
        json_array_append_new(items, strcmp(by, "mediator") == 0 ? as_mediator(item) : item);
    }
    return json_pack("{s:I, s:s, s:s, s:s, s:{s:I, s:I, s:I, s:I}, s:o}", "region_id",
                     (json_int_t)p->region_id, "from", p->f, "to", p->t, "by", by, "weights",
                     "success", (json_int_t)w[AI_SUCCESS], "overdue", (json_int_t)w[AI_ON_TIME],
                     "satisfaction", (json_int_t)w[AI_SATISFACTION], "local",
                     (json_int_t)w[AI_LOCAL], "items", items);
}

/* The rows to rank: the units one level below the region, or the mediators of its subtree. */
static store_err assessment_rows(struct store_conn *c, const struct store_actor *a,
                                 const struct period *p, const char *by, struct store_rows **rows)
{
    struct region_scope sub;
    store_err e;

    if (strcmp(by, "region") == 0)
        return stats_breakdown(c, p->region_id, p->f, p->t, "region", rows);
    e = store_region_subtree(c, a, p->region_id, &sub);
    return e == STORE_OK ? stats_mediator_breakdown(c, &sub, p->f, p->t, rows) : e;
}

/* The backlog of the ranked units, as of today: one read for all of them (the rows and the
 * units are both in id order: regions, or mediators of the subtree). */
static store_err assessment_backlogs(struct store_conn *c, const struct store_actor *a,
                                     const struct period *p, const char *by, struct unit *u, int n,
                                     const char *now)
{
    struct store_rows *r = NULL;
    struct region_scope sub;
    int regions = strcmp(by, "region") == 0;
    store_err e = regions ? stats_child_backlogs(c, p->region_id, now, &r)
                          : store_region_subtree(c, a, p->region_id, &sub);

    if (e == STORE_OK && !regions)
        e = stats_mediator_backlogs(c, &sub, now, &r);
    for (int i = 0, k = 0; e == STORE_OK && i < n; i++) {
        int64_t id = strtoll(u[i].id, NULL, 10);
        while (k < r->nrows && store_rows_int(r, k, 0) < id)
            k++;
        if (k < r->nrows && store_rows_int(r, k, 0) == id) {
            u[i].b.open_with_due = store_rows_int(r, k, 1);
            u[i].b.overdue = store_rows_int(r, k, 2);
            if (regions)
                u[i].b.awaiting_feedback = store_rows_int(r, k, 3);
        }
    }
    store_rows_free(r);
    return e;
}

void api_assessment(struct http_req *req, struct http_res *res)
{
    struct api_ctx *ctx = api_ctx(req);
    struct store_rows *region = NULL, *rows = NULL;
    struct unit *u = NULL;
    struct period p;
    const char *by = http_query(req, "by");
    long w[AI_N];
    char now[16];
    int n = 0;
    store_err e;

    if (!by || !*by)
        by = "region";
    if (strcmp(by, "region") != 0 && strcmp(by, "mediator") != 0) {
        struct verr_list errs = {0};
        verr_add(&errs, "by", "invalid", "must be region or mediator");
        api_validation(res, &errs);
        return;
    }
    if (!read_period(req, res, &p))
        return;
    timefmt_day(today(), now, sizeof now);
    e = store_region_get(ctx->conn, &ctx->actor, p.region_id, &region); /* scope */
    if (e == STORE_OK)
        e = assessment_rows(ctx->conn, &ctx->actor, &p, by, &rows);
    if (e == STORE_OK && !(u = calloc((size_t)rows->nrows + 1, sizeof *u)))
        e = STORE_ERROR;
    if (e == STORE_OK)
        n = units_from_rows(rows, u);
    if (e == STORE_OK) /* the overdue backlog, as of today */
        e = assessment_backlogs(ctx->conn, &ctx->actor, &p, by, u, n, now);
    for (int i = 0; e == STORE_OK && i < AI_N; i++)
        w[i] = store_setting_int(ctx->conn, assess_keys[i]);
    if (e != STORE_OK)
        goto out;
    for (int i = 0; i < n; i++)
        unit_score(&u[i], w);
    rank_units(u, n);
    http_res_json(res, 200, assessment_json(&p, by, u, n, w));
out:
    if (e != STORE_OK)
        api_store_error(res, ctx->conn, e);
    free(u);
    store_rows_free(rows);
    store_rows_free(region);
}

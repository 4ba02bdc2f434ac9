/* trend.c - trend counters, the daily spike scan and the warnings list (watch/trend.h). */
#include "watch/trend.h"
#include "core/role.h"
#include "core/timefmt.h"
#include "core/trend.h"
#include "core/vocab.h"
#include "notify/notify.h"
#include "store/regions.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BEIJING_MS (8LL * 3600 * 1000)

/* Adds n to the counter of every region on `path` ("/code/code/.../"). */
/* Codes per upsert: a path has one per level, province to grid. */
#define PATH_CODES REGION_GRID

/* Adds n to (day, category) of every region on `path` ("/code/code/.../"): one upsert for
 * the whole path, where a registration ran one statement per level, in a row, inside the
 * single group writer. The path's codes are distinct, so no row is hit twice. */
static store_err add_path(struct store_conn *c, const char *path, int64_t day, const char *category,
                          int64_t n)
{
    char code[PATH_CODES][REGION_CODE_MAX + 1];
    struct store_param p[3 + PATH_CODES] = {SP_INT(day), SP_TEXT(category), SP_INT(n)};
    const char *s = path;
    store_err e = STORE_OK;
    int k = 0, more = 1;

    while (e == STORE_OK && more) {
        const char *end = *s == '/' && s[1] ? strchr(s + 1, '/') : NULL;
        size_t len = end ? (size_t)(end - s - 1) : 0;
        more = end && len > 0 && len <= REGION_CODE_MAX;
        if (more) {
            memcpy(code[k], s + 1, len);
            code[k++][len] = '\0';
            s = end;
        }
        if (k == 0 || (more && k < PATH_CODES))
            continue;
        for (int i = 0; i < PATH_CODES; i++)
            p[3 + i] = i < k ? SP_TEXT(code[i]) : SP_NULL;
        /* SQLite needs the WHERE to read ON CONFLICT as the upsert clause. */
        e = store_exec(c,
                       "INSERT INTO case_day_counts (region_id, day, category, n)"
                       " SELECT id, $1, $2, $3 FROM regions WHERE code IN ($4, $5, $6, $7, $8, $9)"
                       " ON CONFLICT (region_id, category, day)"
                       " DO UPDATE SET n = case_day_counts.n + excluded.n",
                       3 + PATH_CODES, p, NULL);
        k = 0;
    }
    return e;
}

store_err trend_count_case(struct store_conn *c, int64_t case_id)
{
    struct store_rows *r = NULL;
    store_err e =
        store_exec(c, "SELECT region_path, category, received_at FROM cases WHERE id = $1",
                   STORE_PARAMS(SP_INT(case_id)), &r);

    if (e == STORE_OK && r->nrows == 1)
        e = add_path(c, store_rows_get(r, 0, 0), (store_rows_int(r, 0, 2) + BEIJING_MS) / 86400000,
                     store_rows_get(r, 0, 1), 1);
    store_rows_free(r);
    return e;
}

/*
 * PostgreSQL: the same sums in one statement. Each (path, category, day) group's path is
 * split into its codes, each code joined to its region, and the counts summed per region:
 * add_path's upsert per group was about 800,000 statements at a million cases (minutes).
 * In key order, so that the primary key takes the rows in order.
 */
#define TREND_REBUILD_PG                                                                           \
    "INSERT INTO case_day_counts (region_id, day, category, n)"                                    \
    " SELECT r.id, g.d, g.category, SUM(g.n) FROM (SELECT region_path, category,"                  \
    " (received_at + $1) / 86400000 AS d, COUNT(*) AS n FROM cases"                                \
    " GROUP BY region_path, category, d) g"                                                        \
    " CROSS JOIN LATERAL unnest(string_to_array(trim(both '/' from g.region_path), '/')) AS "      \
    "p(code)"                                                                                      \
    " JOIN regions r ON r.code = p.code GROUP BY r.id, g.category, g.d ORDER BY 1, 3, 2"

store_err trend_rebuild(struct store_conn *c)
{
    struct store_rows *r = NULL;
    store_err e = store_begin(c, 1);

    if (e == STORE_OK)
        e = store_exec(c, "DELETE FROM case_day_counts", 0, NULL, NULL);
    if (e == STORE_OK && store_conn_kind(c) == STORE_PG) {
        e = store_exec(c, TREND_REBUILD_PG, STORE_PARAMS(SP_INT(BEIJING_MS)), NULL);
        return store_end(c, e);
    }
    if (e == STORE_OK)
        e = store_exec(c,
                       "SELECT region_path, category, (received_at + $1) / 86400000 AS d,"
                       " COUNT(*) FROM cases GROUP BY region_path, category, d",
                       STORE_PARAMS(SP_INT(BEIJING_MS)), &r);
    for (int i = 0; e == STORE_OK && i < r->nrows; i++)
        e = add_path(c, store_rows_get(r, i, 0), store_rows_int(r, i, 2), store_rows_get(r, i, 1),
                     store_rows_int(r, i, 3));
    store_rows_free(r);
    return store_end(c, e);
}

store_err watch_overseers(struct store_conn *c, const char *path, int64_t **ids, size_t *n)
{
    struct store_rows *r = NULL;
    store_err e;

    *ids = NULL;
    *n = 0;
    e = store_exec(c,
                   "SELECT u.id, r.path FROM users u JOIN organizations o ON o.id = u.org_id"
                   " JOIN regions r ON r.id = o.region_id"
                   " WHERE u.active = 1 AND (u.roles & $2) <> 0 AND $1 LIKE r.path || '%'"
                   " ORDER BY LENGTH(r.path) DESC, u.id",
                   STORE_PARAMS(SP_TEXT(path), SP_INT(ROLE_SUPERVISOR | ROLE_LEADER)), &r);
    if (e == STORE_OK && r->nrows > 0) {
        *ids = calloc((size_t)r->nrows, sizeof **ids);
        if (!*ids) {
            store_conn_seterr(c, "out of memory");
            e = STORE_ERROR;
        }
    }
    /* Only the nearest level that has anyone: the township, not also the county. */
    for (int i = 0; e == STORE_OK && i < r->nrows; i++) {
        if (strcmp(store_rows_get(r, i, 1), store_rows_get(r, 0, 1)) != 0)
            break;
        (*ids)[(*n)++] = store_rows_int(r, i, 0);
    }
    store_rows_free(r);
    return e;
}

/* Reads the series of one region and category ending `end` into s (zeros where absent). */
static store_err read_series(struct store_conn *c, int64_t region_id, const char *category,
                             int32_t end, int64_t s[TREND_SERIES_DAYS])
{
    struct store_rows *r = NULL;
    int32_t first = end - TREND_SERIES_DAYS + 1;
    store_err e = store_exec(
        c,
        "SELECT day, n FROM case_day_counts WHERE region_id = $1"
        " AND category = $2 AND day >= $3 AND day <= $4",
        STORE_PARAMS(SP_INT(region_id), SP_TEXT(category), SP_INT(first), SP_INT(end)), &r);

    memset(s, 0, sizeof(int64_t) * TREND_SERIES_DAYS);
    for (int i = 0; e == STORE_OK && i < r->nrows; i++)
        s[store_rows_int(r, i, 0) - first] = store_rows_int(r, i, 1);
    store_rows_free(r);
    return e;
}

/* Tells the region's overseers about a new warning. */
static store_err tell(struct store_conn *c, int64_t region_id, const char *path,
                      const char *region_name, const char *category, const struct trend_result *t,
                      const char *window_end)
{
    const char *zh = vocab_zh(&vocab_category, category);
    char title[512], link[64];
    int64_t *ids = NULL;
    size_t n = 0;
    json_t *data = json_pack("{s:I, s:s, s:s, s:I, s:f, s:f}", "region_id", (json_int_t)region_id,
                             "category", category, "window_end", window_end, "observed",
                             (json_int_t)t->observed, "baseline", t->baseline, "ratio", t->ratio);
    store_err e = watch_overseers(c, path, &ids, &n);

    snprintf(title, sizeof title, "趋势预警：%s近7天%s%lld件，是平常水平的%.1f倍", region_name,
             zh ? zh : category, (long long)t->observed, t->ratio);
    snprintf(link, sizeof link, "/trends?region_id=%lld", (long long)region_id);
    if (e == STORE_OK) {
        struct notify_event ev = {.kind = "trend.spike",
                                  .region_id = region_id,
                                  .title = title,
                                  .link = link,
                                  .data = data,
                                  .user_ids = ids,
                                  .nusers = n};
        e = notify_emit(c, &ev);
    }
    json_decref(data);
    free(ids);
    return e;
}

/* Writes the warning unless this region and category had one this past week. */
static store_err raise(struct store_conn *c, const struct store_rows *cand, int i, int32_t today,
                       const struct trend_result *t, int *raised)
{
    int64_t region_id = store_rows_int(cand, i, 0);
    const char *category = store_rows_get(cand, i, 1);
    char end[16], since[16], base[32], ratio[32];
    struct store_rows *r = NULL;
    store_err e;

    timefmt_day(today, end, sizeof end);
    timefmt_day(today - TREND_WINDOW_DAYS + 1, since, sizeof since);
    snprintf(base, sizeof base, "%.2f", t->baseline);
    snprintf(ratio, sizeof ratio, "%.2f", t->ratio);
    e = store_begin(c, 1);
    /* One spike is one warning: the next days' windows overlap it. The unique key makes a
     * second scan of the same day (or a second server) raise nothing. */
    if (e == STORE_OK)
        e = store_exec(c,
                       "INSERT INTO trend_warnings (region_id, region_path, category, window_end,"
                       " observed, baseline, ratio, created_at)"
                       " SELECT $1, $7, $2, $3, $4, $5, $6, $8 WHERE NOT EXISTS (SELECT 1 FROM"
                       " trend_warnings WHERE region_id = $1 AND category = $2"
                       " AND window_end >= $9) ON CONFLICT DO NOTHING RETURNING id",
                       STORE_PARAMS(SP_INT(region_id), SP_TEXT(category), SP_TEXT(end),
                                    SP_INT(t->observed), SP_TEXT(base), SP_TEXT(ratio),
                                    SP_TEXT(store_rows_get(cand, i, 3)), SP_INT(store_now_ms()),
                                    SP_TEXT(since)),
                       &r);
    if (e == STORE_OK && r->nrows == 1) {
        e = tell(c, region_id, store_rows_get(cand, i, 3), store_rows_get(cand, i, 4), category, t,
                 end);
        *raised += e == STORE_OK;
    }
    store_rows_free(r);
    return store_end(c, e);
}

store_err trend_scan(struct store_conn *c, int32_t today, int *raised)
{
    struct store_rows *cand = NULL;
    int64_t s[TREND_SERIES_DAYS];
    store_err e;

    /* Only what had enough cases this week can be a spike: the rest is never read. */
    e = store_exec(
        c,
        "SELECT k.region_id, k.category, SUM(k.n), r.path, r.name"
        " FROM case_day_counts k JOIN regions r ON r.id = k.region_id"
        " WHERE k.day >= $1 AND k.day <= $2 GROUP BY k.region_id, k.category,"
        " r.path, r.name HAVING SUM(k.n) >= $3 ORDER BY r.path, k.category",
        STORE_PARAMS(SP_INT(today - TREND_WINDOW_DAYS + 1), SP_INT(today), SP_INT(TREND_MIN_COUNT)),
        &cand);
    for (int i = 0; e == STORE_OK && i < cand->nrows; i++) {
        struct trend_result t;
        e = read_series(c, store_rows_int(cand, i, 0), store_rows_get(cand, i, 1), today, s);
        if (e != STORE_OK)
            break;
        trend_test(s, &t);
        if (t.spike)
            e = raise(c, cand, i, today, &t, raised);
    }
    store_rows_free(cand);
    return e;
}

store_err trend_list(struct store_conn *c, const struct store_actor *a, int64_t region_id,
                     const char *from, const char *to, const struct store_page *pg,
                     struct store_rows **out)
{
    struct region_scope sub;
    struct store_where w;
    store_err e = store_region_narrow(c, a, region_id, &sub);

    if (e != STORE_OK)
        return e;
    store_where_init(&w);
    store_where_add(&w, "w.region_path >= ? AND w.region_path < ?",
                    STORE_PARAMS(SP_TEXT(sub.lo), SP_TEXT(sub.hi)));
    if (from)
        store_where_add(&w, "w.window_end >= ?", STORE_PARAMS(SP_TEXT(from)));
    if (to)
        store_where_add(&w, "w.window_end <= ?", STORE_PARAMS(SP_TEXT(to)));
    return store_where_paged(c, &w, &w, "SELECT COUNT(*) FROM trend_warnings w",
                             "SELECT w.id, w.region_id, r.name AS region_name, r.level AS"
                             " region_level, w.category, w.window_end, w.observed, w.baseline,"
                             " w.ratio, w.created_at FROM trend_warnings w"
                             " JOIN regions r ON r.id = w.region_id",
                             "ORDER BY w.window_end DESC, w.id DESC", pg, "iittttijjs", out);
}

store_err trend_counts(struct store_conn *c, const struct store_actor *a, int64_t region_id,
                       int32_t from, int32_t to, struct store_rows **out)
{
    struct region_scope sub;
    store_err e = store_region_narrow(c, a, region_id, &sub);

    *out = NULL;
    if (e == STORE_OK)
        e = store_exec(c,
                       "SELECT category, SUM(n) AS n FROM case_day_counts WHERE region_id = $1"
                       " AND day >= $2 AND day <= $3 GROUP BY category ORDER BY category",
                       STORE_PARAMS(SP_INT(region_id), SP_INT(from), SP_INT(to)), out);
    if (e == STORE_OK)
        (*out)->types = "ti";
    return e;
}

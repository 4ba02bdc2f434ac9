/* investigate.c - scheduled investigation with zero-reports (watch/investigate.h). */
#include "watch/investigate.h"
#include "core/jfield.h"
#include "core/role.h"
#include "core/timefmt.h"
#include "notify/notify.h"
#include "store/audit.h"
#include "store/regions.h"
#include "store/rows_json.h"
#include "watch/trend.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A sensitive period (敏感时期) as it concerns units: days and the subtree ("" everywhere). */
struct sens {
    int32_t start, end;
    char path[REGION_PATH_MAX];
};
struct sens_list {
    struct sens *items;
    int n;
};

/* A unit's period: its kind, first and last day, and the last day to file. */
struct period {
    const char *kind;
    int32_t start, end, due;
};

/* The first day of month m (1..13: 13 is January of the next year) of year y. */
static int32_t month_first(int y, int m)
{
    char buf[32];
    int32_t d = 0;

    if (m > 12) {
        y++;
        m = 1;
    }
    snprintf(buf, sizeof buf, "%04d-%02d-01", y, m);
    timefmt_day_parse(buf, &d);
    return d;
}

/* The calendar period of `kind` containing day d: weeks from Monday, half-months 1-15 and
 * 16-end, months. */
static void regular_period(const char *kind, int32_t d, int32_t *s, int32_t *e)
{
    char buf[16];
    int y = 1970, m = 1, dd = 1;

    *s = *e = d;
    if (strcmp(kind, "week") == 0) {
        *s = d - (timefmt_weekday(d) + 6) % 7; /* timefmt_weekday: 0 is Sunday */
        *e = *s + 6;
        return;
    }
    if (strcmp(kind, "month") != 0 && strcmp(kind, "half_month") != 0)
        return;
    timefmt_day(d, buf, sizeof buf);
    if (sscanf(buf, "%d-%d-%d", &y, &m, &dd) != 3)
        return;
    *s = month_first(y, m);
    *e = month_first(y, m + 1) - 1;
    if (strcmp(kind, "half_month") == 0) {
        if (dd <= 15)
            *e = *s + 14;
        else
            *s += 15;
    }
}

static int sensitive(const struct sens_list *l, const char *path, int32_t d)
{
    for (int i = 0; i < l->n; i++)
        if (l->items[i].start <= d && d <= l->items[i].end &&
            strncmp(path, l->items[i].path, strlen(l->items[i].path)) == 0)
            return 1;
    return 0;
}

/*
 * The period of a unit at `path` that day d belongs to. A sensitive day is a period of its
 * own (日排查日报告); otherwise the regular period, starting at its first day that was not
 * sensitive, so that a daily report and the regular one never share a first day (the
 * key of a report is its unit and first day).
 */
static void unit_period(const char *kind, int64_t grace, const struct sens_list *l,
                        const char *path, int32_t d, struct period *p)
{
    if (sensitive(l, path, d)) {
        *p = (struct period){"day", d, d, d + (int32_t)grace};
        return;
    }
    p->kind = kind;
    regular_period(kind, d, &p->start, &p->end);
    while (p->start < d && sensitive(l, path, p->start))
        p->start++;
    p->due = p->end + (int32_t)grace;
}

/* Loads the sensitive periods that touch [from, to]. */
static store_err load_sens(struct store_conn *c, int32_t from, int32_t to, struct sens_list *l)
{
    struct store_rows *r = NULL;
    char f[16], t[16];
    store_err e;

    timefmt_day(from, f, sizeof f);
    timefmt_day(to, t, sizeof t);
    l->items = NULL;
    l->n = 0;
    e = store_exec(c,
                   "SELECT p.start_day, p.end_day, r.path FROM sensitive_periods p"
                   " LEFT JOIN sensitive_period_regions x ON x.period_id = p.id"
                   " LEFT JOIN regions r ON r.id = x.region_id"
                   " WHERE p.end_day >= $1 AND p.start_day <= $2",
                   STORE_PARAMS(SP_TEXT(f), SP_TEXT(t)), &r);
    if (e == STORE_OK && r->nrows > 0 && !(l->items = calloc((size_t)r->nrows, sizeof *l->items))) {
        store_conn_seterr(c, "out of memory");
        e = STORE_ERROR;
    }
    for (int i = 0; e == STORE_OK && i < r->nrows; i++) {
        struct sens *s = &l->items[l->n];
        const char *path = store_rows_get(r, i, 2);
        if (timefmt_day_parse(store_rows_get(r, i, 0), &s->start) != 0 ||
            timefmt_day_parse(store_rows_get(r, i, 1), &s->end) != 0)
            continue;
        snprintf(s->path, sizeof s->path, "%s", path ? path : "");
        l->n++;
    }
    store_rows_free(r);
    return e;
}

/* Units: active centres and committees of a level that has an enabled schedule. */
#define UNIT_SQL                                                                                   \
    "SELECT o.id, o.name, r.id, r.path, s.period, s.grace_days FROM organizations o"               \
    " JOIN regions r ON r.id = o.region_id JOIN investigation_schedules s ON s.level = r.level"    \
    " WHERE s.enabled = 1 AND o.status = 'active' AND o.type IN ('center', 'mediation_committee')"

/* Opens the report of unit row i of `u` for period p (nothing if it exists). */
static store_err open_report(struct store_conn *c, const struct store_rows *u, int i,
                             const struct period *p)
{
    char s[16], e[16], d[16];

    timefmt_day(p->start, s, sizeof s);
    timefmt_day(p->end, e, sizeof e);
    timefmt_day(p->due, d, sizeof d);
    return store_exec(c,
                      "INSERT INTO investigation_reports (org_id, region_id, region_path, period,"
                      " period_start, period_end, due_on, zero_report, created_at)"
                      " VALUES ($1, $2, $3, $4, $5, $6, $7, 0, $8)"
                      " ON CONFLICT (org_id, period_start) DO NOTHING",
                      STORE_PARAMS(SP_INT(store_rows_int(u, i, 0)), SP_INT(store_rows_int(u, i, 2)),
                                   SP_TEXT(store_rows_get(u, i, 3)), SP_TEXT(p->kind), SP_TEXT(s),
                                   SP_TEXT(e), SP_TEXT(d), SP_INT(store_now_ms())),
                      NULL);
}

static store_err open_periods(struct store_conn *c, int32_t today)
{
    struct store_rows *u = NULL;
    struct sens_list l = {0};
    store_err e = load_sens(c, today - 31, today, &l);

    if (e == STORE_OK)
        e = store_begin(c, 1);
    if (e != STORE_OK) { /* no transaction to end */
        free(l.items);
        return e;
    }
    e = store_exec(c, UNIT_SQL, 0, NULL, &u);
    for (int i = 0; e == STORE_OK && i < u->nrows; i++) {
        struct period p;
        unit_period(store_rows_get(u, i, 4), store_rows_int(u, i, 5), &l, store_rows_get(u, i, 3),
                    today, &p);
        e = open_report(c, u, i, &p);
    }
    store_rows_free(u);
    free(l.items);
    return store_end(c, e);
}

/* The path of the region above `path` ("" for a root). */
static void parent_path(const char *path, char *out, size_t outlen)
{
    size_t n = strlen(path);

    snprintf(out, outlen, "%s", path);
    if (n < 2)
        return;
    n--; /* the trailing '/' */
    while (n > 0 && out[n - 1] != '/')
        n--;
    out[n] = '\0';
}

/* Raises the miss of report row i of `m` once, telling the level above. */
static store_err raise_miss(struct store_conn *c, const struct store_rows *m, int i, int *raised)
{
    char above[REGION_PATH_MAX], title[512], link[64];
    struct store_rows *r = NULL;
    int64_t *ids = NULL;
    size_t n = 0;
    store_err e = store_begin(c, 1);

    parent_path(store_rows_get(m, i, 3), above, sizeof above);
    if (e == STORE_OK)
        e = store_exec(
            c,
            "INSERT INTO investigation_misses (report_id, org_id, region_id,"
            " to_region_id, created_at) VALUES ($1, $2, $3,"
            " (SELECT id FROM regions WHERE path = $4), $5)"
            " ON CONFLICT (report_id) DO NOTHING RETURNING id",
            STORE_PARAMS(SP_INT(store_rows_int(m, i, 0)), SP_INT(store_rows_int(m, i, 1)),
                         SP_INT(store_rows_int(m, i, 2)), SP_TEXT(above), SP_INT(store_now_ms())),
            &r);
    if (e == STORE_OK && r->nrows == 1 && *above)
        e = watch_overseers(c, above, &ids, &n);
    if (e == STORE_OK && r->nrows == 1) {
        json_t *data = json_pack(
            "{s:I, s:I, s:s, s:s, s:s}", "report_id", (json_int_t)store_rows_int(m, i, 0), "org_id",
            (json_int_t)store_rows_int(m, i, 1), "period_start", store_rows_get(m, i, 5),
            "period_end", store_rows_get(m, i, 6), "due_on", store_rows_get(m, i, 7));
        snprintf(title, sizeof title, "排查漏报：%s %s至%s的排查报告逾期未报",
                 store_rows_get(m, i, 4), store_rows_get(m, i, 5), store_rows_get(m, i, 6));
        snprintf(link, sizeof link, "/investigation?state=missed");
        struct notify_event ev = {.kind = "investigation.missed",
                                  .region_id = store_rows_int(m, i, 2),
                                  .title = title,
                                  .link = link,
                                  .data = data,
                                  .user_ids = ids,
                                  .nusers = n};
        e = notify_emit(c, &ev);
        json_decref(data);
        *raised += e == STORE_OK;
    }
    free(ids);
    store_rows_free(r);
    return store_end(c, e);
}

store_err investigate_scan(struct store_conn *c, int32_t today, int *raised)
{
    struct store_rows *m = NULL;
    char t[16];
    store_err e = open_periods(c, today);

    timefmt_day(today, t, sizeof t);
    if (e == STORE_OK)
        e = store_exec(c,
                       "SELECT r.id, r.org_id, r.region_id, r.region_path, o.name,"
                       " r.period_start, r.period_end, r.due_on FROM investigation_reports r"
                       " JOIN organizations o ON o.id = r.org_id"
                       " WHERE r.filed_at IS NULL AND r.due_on < $1 AND NOT EXISTS"
                       " (SELECT 1 FROM investigation_misses x WHERE x.report_id = r.id)"
                       /* In due order, so that the partial index of unfiled reports both
                        * finds and orders them (by id alone SQLite preferred to scan). */
                       " ORDER BY r.due_on, r.id",
                       STORE_PARAMS(SP_TEXT(t)), &m);
    for (int i = 0; e == STORE_OK && i < m->nrows; i++)
        e = raise_miss(c, m, i, raised);
    store_rows_free(m);
    return e;
}

/* ---- filing ---- */

/* The unit `org_id` with its schedule; STORE_NOT_FOUND if it files no reports. */
static store_err unit_get(struct store_conn *c, int64_t org_id, struct store_rows **u)
{
    return store_one(c, UNIT_SQL " AND o.id = $1", STORE_PARAMS(SP_INT(org_id)), "itiiti",
                     "investigation unit", u);
}

/* Which period the filing is for: the one that begins on period_start, else today's. */
static void filing_period(const struct case_env *env, const struct store_rows *u,
                          const char *period_start, struct period *p, struct verr_list *errs)
{
    struct sens_list l = {0};
    int32_t d = env->today;
    char s[16];

    if (period_start && timefmt_day_parse(period_start, &d) != 0) {
        verr_add(errs, "period_start", "invalid", "must be a date (YYYY-MM-DD)");
        return;
    }
    if (d > env->today) {
        verr_add(errs, "period_start", "invalid", "the period has not begun");
        return;
    }
    if (load_sens(env->conn, d - 31, d, &l) != STORE_OK) {
        verr_add(errs, "period_start", "invalid", "cannot read the sensitive periods");
        return;
    }
    unit_period(store_rows_get(u, 0, 4), store_rows_int(u, 0, 5), &l, store_rows_get(u, 0, 3), d,
                p);
    free(l.items);
    timefmt_day(p->start, s, sizeof s);
    if (period_start && p->start != d)
        verr_add(errs, "period_start", "invalid", "the unit's period containing it begins on %s",
                 s);
}

/* Reads the request; checks the unit, the actor's right to file for it and the period. */
struct filing {
    json_int_t org_id;
    const char *period_start, *hazards, *note;
    int zero;
    json_t *findings;
    struct store_rows *unit;
    struct period p;
};

static void read_filing(const struct case_env *env, json_t *req, struct filing *f,
                        struct verr_list *errs)
{
    jfield_read(req,
                (struct jfield[]){{"org_id", 'I', 1, &f->org_id},
                                  {"period_start", 's', 0, &f->period_start},
                                  {"zero_report", 'b', 0, &f->zero},
                                  {"findings", 'a', 0, &f->findings},
                                  {"hazards", 's', 0, &f->hazards},
                                  {"note", 's', 0, &f->note}},
                6, errs, NULL, 0);
    if (f->hazards)
        verr_check_text(errs, "hazards", f->hazards, 0, 2000);
    if (f->note)
        verr_check_text(errs, "note", f->note, 0, 1000);
    if (f->zero && json_array_size(f->findings) > 0)
        verr_add(errs, "findings", "invalid",
                 "a zero-report (零报告) says nothing was found: it has no findings");
    else if (!f->zero && json_array_size(f->findings) == 0 && !(f->hazards && *f->hazards))
        verr_add(errs, "findings", "required",
                 "name the disputes found or the hazards seen, or file a zero-report");
    case_check_ref(env, errs, "org_id", "organization", f->org_id);
    if (f->org_id <= 0 || verr_has(errs, "org_id"))
        return;
    if (unit_get(env->conn, f->org_id, &f->unit) != STORE_OK) {
        verr_add(errs, "org_id", "invalid", "this organization files no investigation reports");
        return;
    }
    filing_period(env, f->unit, f->period_start, &f->p, errs);
}

/* Finding i: a link {case_id} or the intake fields of a new case (channel investigation). */
static case_err add_finding(const struct case_env *env, const struct filing *f, int64_t report_id,
                            size_t i, struct case_out *out)
{
    json_t *item = json_array_get(f->findings, i), *id = json_object_get(item, "case_id");
    struct case_out one = {0};
    int64_t case_id = 0;
    char field[64];
    case_err rc = CASE_OK;

    snprintf(field, sizeof field, "findings[%zu]", i);
    if (!json_is_object(item)) {
        verr_add(&out->errs, field, "type", "must be an object");
        return CASE_INVALID;
    }
    if (id) {
        snprintf(field, sizeof field, "findings[%zu].case_id", i);
        case_id = json_is_integer(id) ? json_integer_value(id) : 0;
        if (case_id <= 0 || json_object_size(item) != 1)
            verr_add(&out->errs, field, "invalid", "a link is {case_id} with a positive id");
        else
            case_check_ref(env, &out->errs, field, "case", case_id);
        if (out->errs.n)
            return CASE_INVALID;
        out->store = store_exec(env->conn,
                                "INSERT INTO investigation_findings (report_id, case_id, created)"
                                " VALUES ($1, $2, 0) ON CONFLICT DO NOTHING",
                                STORE_PARAMS(SP_INT(report_id), SP_INT(case_id)), NULL);
        return out->store == STORE_OK ? CASE_OK : CASE_STORE;
    }
    json_t *req = json_deep_copy(item);
    json_object_set_new(req, "channel", json_string("investigation"));
    if (!json_object_get(req, "region_id"))
        json_object_set_new(req, "region_id", json_integer(store_rows_int(f->unit, 0, 2)));
    rc = case_register(env, req, NULL, &one);
    for (int k = 0; k < one.errs.n; k++) {
        snprintf(field, sizeof field, "findings[%zu].%s", i, one.errs.items[k].field);
        verr_add(&out->errs, field, one.errs.items[k].code, "%s", one.errs.items[k].message);
    }
    out->store = one.store;
    case_id = one.id;
    case_out_free(&one);
    json_decref(req);
    if (rc == CASE_OK && (out->store = store_exec(
                              env->conn,
                              "INSERT INTO investigation_findings (report_id, case_id, created)"
                              " VALUES ($1, $2, 1)",
                              STORE_PARAMS(SP_INT(report_id), SP_INT(case_id)), NULL)) != STORE_OK)
        rc = CASE_STORE;
    return rc;
}

/* Marks the report filed; STORE_CONFLICT if it was already. */
static store_err mark_filed(const struct case_env *env, const struct filing *f, int64_t *id)
{
    struct store_rows *r = NULL;
    char today[16], s[16];
    store_err e;

    timefmt_day(env->today, today, sizeof today);
    timefmt_day(f->p.start, s, sizeof s);
    e = open_report(env->conn, f->unit, 0, &f->p);
    if (e == STORE_OK)
        e = store_exec(
            env->conn,
            "UPDATE investigation_reports SET filed_at = $3, filed_on = $4,"
            " filed_by = $5, zero_report = $6, hazards = $7, note = $8"
            /* "Not filed yet" asked of filed_on, which this statement alone sets together
             * with filed_at: asked of filed_at, PostgreSQL's generic plan read the whole
             * partial index of unfiled reports instead of the unique key (tests/plans). */
            " WHERE org_id = $1 AND period_start = $2 AND filed_on IS NULL RETURNING id",
            STORE_PARAMS(SP_INT(f->org_id), SP_TEXT(s), SP_INT(store_now_ms()), SP_TEXT(today),
                         env->actor->user_id ? SP_INT(env->actor->user_id) : SP_NULL,
                         SP_INT(f->zero ? 1 : 0), SP_TEXT(f->hazards), SP_TEXT(f->note)),
            &r);
    if (e == STORE_OK && r->nrows != 1) {
        store_conn_seterr(env->conn,
                          "the report of this unit for the period beginning %s was "
                          "filed already",
                          s);
        e = STORE_CONFLICT;
    }
    if (e == STORE_OK)
        *id = store_rows_int(r, 0, 0);
    store_rows_free(r);
    if (e == STORE_OK)
        e = store_audit_append(env->conn, env->actor, "create", "investigation_report", *id,
                               "org_id,period_start,zero_report,findings,hazards,note", NULL);
    return e;
}

case_err investigate_file(const struct case_env *env, json_t *req, int64_t *id,
                          struct case_out *out)
{
    struct filing f = {0};
    case_err rc = CASE_INVALID;
    store_err e;

    read_filing(env, req, &f, &out->errs);
    if (out->errs.n)
        goto out;
    /* Those of the unit file its report; an admin over it may file for it. */
    if (env->who && env->who->org_id != f.org_id && !(env->who->roles & ROLE_ADMIN)) {
        store_conn_seterr(env->conn, "only the unit's own staff file its report");
        out->store = STORE_FORBIDDEN;
        rc = CASE_STORE;
        goto out;
    }
    e = store_begin(env->conn, 1);
    if (e == STORE_OK)
        e = mark_filed(env, &f, id);
    rc = e == STORE_OK ? CASE_OK : CASE_STORE;
    for (size_t i = 0; rc == CASE_OK && i < json_array_size(f.findings); i++) {
        rc = add_finding(env, &f, *id, i, out);
    }
    if (rc != CASE_OK && e == STORE_OK)
        e = out->store != STORE_OK ? out->store : STORE_INVALID;
    out->store = store_end(env->conn, e);
    if (rc == CASE_OK && out->store != STORE_OK)
        rc = CASE_STORE;
out:
    store_rows_free(f.unit);
    return rc;
}

/* ---- reading ---- */

/* A report's state as of $n (today): filed, due (open) or missed (its due day passed). */
#define REPORT_STATE(N)                                                                            \
    "CASE WHEN r.filed_at IS NOT NULL THEN 'filed' WHEN r.due_on < $" N " THEN 'missed'"           \
    " ELSE 'due' END"
#define REPORT_COLS                                                                                \
    "SELECT r.id, r.org_id, o.name AS org_name, r.region_id, g.name AS region_name,"               \
    " g.level AS region_level, r.period, r.period_start, r.period_end, r.due_on, r.filed_at,"      \
    " r.filed_on, r.filed_by, u.name AS filed_by_name, r.zero_report, r.hazards, r.note,"          \
    " (r.filed_on IS NOT NULL AND r.filed_on <= r.due_on) AS on_time,"                             \
    " (SELECT COUNT(*) FROM investigation_findings x WHERE x.report_id = r.id) AS findings,"       \
    " (SELECT m.created_at FROM investigation_misses m WHERE m.report_id = r.id)"                  \
    " AS miss_raised_at,"
#define REPORT_FROM                                                                                \
    " FROM investigation_reports r JOIN organizations o ON o.id = r.org_id"                        \
    " JOIN regions g ON g.id = r.region_id LEFT JOIN users u ON u.id = r.filed_by"
#define REPORT_TYPES "iitittttttstitbttbist"

store_err investigate_list(struct store_conn *c, const struct store_actor *a, int64_t region_id,
                           const char *from, const char *to, const char *state, int32_t today,
                           const struct store_page *pg, struct store_rows **out)
{
    struct region_scope sub;
    struct store_where w;
    char t[16];
    store_err e = store_region_narrow(c, a, region_id, &sub);

    if (e != STORE_OK)
        return e;
    timefmt_day(today, t, sizeof t);
    store_where_init(&w);
    /* $1 is today, for the state column; the conditions follow. */
    store_where_add(&w, "? = ?", STORE_PARAMS(SP_TEXT(t), SP_TEXT(t)));
    store_where_add(&w, "r.region_path >= ? AND r.region_path < ?",
                    STORE_PARAMS(SP_TEXT(sub.lo), SP_TEXT(sub.hi)));
    if (from)
        store_where_add(&w, "r.period_end >= ?", STORE_PARAMS(SP_TEXT(from)));
    if (to)
        store_where_add(&w, "r.period_start <= ?", STORE_PARAMS(SP_TEXT(to)));
    if (state && strcmp(state, "filed") == 0)
        store_where_add(&w, "r.filed_at IS NOT NULL", 0, NULL);
    else if (state && strcmp(state, "missed") == 0)
        store_where_add(&w, "r.filed_at IS NULL AND r.due_on < ?", STORE_PARAMS(SP_TEXT(t)));
    else if (state && strcmp(state, "due") == 0)
        store_where_add(&w, "r.filed_at IS NULL AND r.due_on >= ?", STORE_PARAMS(SP_TEXT(t)));
    return store_where_paged(c, &w, &w, "SELECT COUNT(*)" REPORT_FROM,
                             REPORT_COLS " " REPORT_STATE("1") " AS state" REPORT_FROM,
                             "ORDER BY r.period_start DESC, g.path, r.org_id", pg, REPORT_TYPES,
                             out);
}

store_err investigate_get(struct store_conn *c, const struct store_actor *a, int64_t id,
                          int32_t today, json_t **out)
{
    struct store_rows *r = NULL, *k = NULL;
    char t[16];
    store_err e;

    *out = NULL;
    timefmt_day(today, t, sizeof t);
    e = store_one(c,
                  REPORT_COLS " " REPORT_STATE(
                      "1") " AS state" REPORT_FROM
                           " WHERE r.id = $2 AND r.region_path >= $3 AND r.region_path < $4",
                  STORE_PARAMS(SP_TEXT(t), SP_INT(id), SP_TEXT(a->scope.lo), SP_TEXT(a->scope.hi)),
                  REPORT_TYPES, "investigation report", &r);
    if (e == STORE_OK)
        e = store_exec(c,
                       "SELECT k.id, k.number, k.category, k.state, x.created FROM"
                       " investigation_findings x JOIN cases k ON k.id = x.case_id"
                       " WHERE x.report_id = $1 ORDER BY k.id",
                       STORE_PARAMS(SP_INT(id)), &k);
    if (e == STORE_OK) {
        json_t *cases = json_array();
        k->types = "itttb";
        *out = store_rows_json(r, 0);
        for (int i = 0; i < k->nrows; i++)
            json_array_append_new(cases, store_rows_json(k, i));
        json_object_set_new(*out, "cases", cases);
    }
    store_rows_free(r);
    store_rows_free(k);
    return e;
}

/* A rate as a JSON number rounded to 4 places, or null when nothing was due. */
static json_t *rate(int64_t num, int64_t den)
{
    /* The integer division is the rounding: (num / den) to 4 places, half up. */
    // NOLINTNEXTLINE(bugprone-integer-division)
    return den > 0 ? json_real((double)((num * 10000 + den / 2) / den) / 10000.0) : json_null();
}

store_err investigate_completion(struct store_conn *c, const struct store_actor *a,
                                 int64_t region_id, const char *from, const char *to, int32_t today,
                                 json_t **out)
{
    struct region_scope sub;
    struct store_rows *r = NULL;
    char t[16];
    store_err e = store_region_narrow(c, a, region_id, &sub);

    *out = NULL;
    if (e != STORE_OK)
        return e;
    timefmt_day(today, t, sizeof t);
    /* Due: the periods whose report was filed or whose due day has passed, so that a
     * period still open does not count against a unit before it could file. */
    e = store_exec(
        c,
        "SELECT o.id, o.name, g.id, g.name, g.level,"
        " SUM(CASE WHEN r.filed_at IS NOT NULL OR r.due_on < $1 THEN 1 ELSE 0 END),"
        " SUM(CASE WHEN r.filed_at IS NOT NULL THEN 1 ELSE 0 END),"
        " SUM(CASE WHEN r.filed_on IS NOT NULL AND r.filed_on <= r.due_on THEN 1 ELSE 0 END),"
        " SUM(CASE WHEN r.filed_at IS NOT NULL AND r.zero_report = 1 THEN 1 ELSE 0 END)"
        " FROM investigation_reports r JOIN organizations o ON o.id = r.org_id"
        " JOIN regions g ON g.id = r.region_id"
        " WHERE r.region_path >= $2 AND r.region_path < $3"
        " AND (CAST($4 AS TEXT) IS NULL OR r.period_end >= $4)"
        /* Periods begun by `to`: one still running counts once its report is filed (the
         * CASE above), so a unit that filed this week early is not shown as "nothing due". */
        " AND (CAST($5 AS TEXT) IS NULL OR r.period_start <= $5)"
        " GROUP BY o.id, o.name, g.id, g.name, g.level, g.path ORDER BY g.path, o.id",
        STORE_PARAMS(SP_TEXT(t), SP_TEXT(sub.lo), SP_TEXT(sub.hi), SP_TEXT(from), SP_TEXT(to)), &r);
    if (e != STORE_OK)
        return e;
    *out = json_array();
    for (int i = 0; i < r->nrows; i++) {
        int64_t due = store_rows_int(r, i, 5), filed = store_rows_int(r, i, 6),
                on_time = store_rows_int(r, i, 7);
        json_array_append_new(
            *out,
            json_pack("{s:I, s:s, s:I, s:s, s:s, s:I, s:I, s:I, s:I, s:o, s:o}", "org_id",
                      (json_int_t)store_rows_int(r, i, 0), "org_name", store_rows_get(r, i, 1),
                      "region_id", (json_int_t)store_rows_int(r, i, 2), "region_name",
                      store_rows_get(r, i, 3), "region_level", store_rows_get(r, i, 4), "due",
                      (json_int_t)due, "filed", (json_int_t)filed, "on_time", (json_int_t)on_time,
                      "zero_reports", (json_int_t)store_rows_int(r, i, 8), "investigation_rate",
                      rate(filed, due), "reporting_rate", rate(on_time, due)));
    }
    store_rows_free(r);
    return STORE_OK;
}

/* ---- schedules ---- */

store_err investigate_schedules(struct store_conn *c, struct store_rows **out)
{
    store_err e = store_exec(c,
                             "SELECT level, period, grace_days, enabled, updated_at FROM"
                             " investigation_schedules ORDER BY CASE level WHEN 'county' THEN 1"
                             " WHEN 'township' THEN 2 WHEN 'village' THEN 3 ELSE 4 END, level",
                             0, NULL, out);
    if (e == STORE_OK)
        (*out)->types = "ttibs";
    return e;
}

store_err investigate_schedule_set(struct store_conn *c, const struct store_actor *a,
                                   const char *level, const char *period, int64_t grace_days,
                                   int enabled)
{
    store_err e = store_begin(c, 1);

    if (e == STORE_OK)
        e = store_exec(c,
                       "INSERT INTO investigation_schedules (level, period, grace_days, enabled,"
                       " updated_at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (level) DO UPDATE"
                       " SET period = excluded.period, grace_days = excluded.grace_days,"
                       " enabled = excluded.enabled, updated_at = excluded.updated_at",
                       STORE_PARAMS(SP_TEXT(level), SP_TEXT(period), SP_INT(grace_days),
                                    SP_INT(enabled), SP_INT(store_now_ms())),
                       NULL);
    if (e == STORE_OK)
        e = store_audit_append(c, a, "update", "investigation_schedule", 0,
                               "level,period,grace_days,enabled", level);
    return store_end(c, e);
}

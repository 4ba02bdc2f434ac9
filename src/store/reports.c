/*
 * reports.c - the reports table (研判预警专报). Immutability of an issued version is kept
 * here: the only UPDATEs carry "state = 'draft'" in their WHERE, so no caller can change
 * an issued row; a revision inserts a new version.
 */
#include "store/reports.h"
#include "store/audit.h"

#include <stdio.h>

#define REPORT_HEAD                                                                                \
    "SELECT r.id, r.kind, r.region_id, g.name AS region_name, r.region_path, r.period,"            \
    " r.version, r.state, "
#define REPORT_TAIL                                                                                \
    " r.analysis, r.created_at, r.created_by, cu.name AS created_by_name, r.issued_at,"            \
    " r.issued_by, iu.name AS issued_by_name FROM reports r JOIN regions g ON g.id = r.region_id"  \
    " LEFT JOIN users cu ON cu.id = r.created_by LEFT JOIN users iu ON iu.id = r.issued_by"
#define REPORT_TYPES "ititttitjtsitsit"
#define LIST_TYPES   "ititttittsitsit"
#define IN_SCOPE     "r.region_path >= ? AND r.region_path < ?"

store_err store_report_create(struct store_conn *c, const struct store_actor *a, const char *kind,
                              int64_t region_id, const char *period, const char *generated,
                              const char *analysis, int64_t *id)
{
    struct store_rows *r = NULL;
    store_err e = store_begin(c, 1);

    if (e != STORE_OK)
        return e;
    /* The next version of the same report; the UNIQUE key refuses a concurrent twin. */
    e = store_exec(
        c,
        "INSERT INTO reports (kind, region_id, region_path, period, version, state,"
        " generated, analysis, created_at, created_by)"
        " SELECT $1, g.id, g.path, $3, 1 + COALESCE((SELECT MAX(version) FROM reports"
        " WHERE kind = $1 AND region_id = g.id AND period = $3), 0), 'draft', $4, $5, $6,"
        " $7 FROM regions g WHERE g.id = $2 AND g.path >= $8 AND g.path < $9"
        " RETURNING id",
        STORE_PARAMS(SP_TEXT(kind), SP_INT(region_id), SP_TEXT(period), SP_TEXT(generated),
                     SP_TEXT(analysis), SP_INT(store_now_ms()),
                     a->user_id ? SP_INT(a->user_id) : SP_NULL, SP_TEXT(a->scope.lo),
                     SP_TEXT(a->scope.hi)),
        &r);
    if (e == STORE_OK && r->nrows == 0)
        e = STORE_NOT_FOUND; /* the region is outside the scope */
    if (e == STORE_OK) {
        *id = store_rows_int(r, 0, 0);
        e = store_audit_append(c, a, "create", "report", *id, "kind,region_id,period", NULL);
    }
    store_rows_free(r);
    return store_end(c, e);
}

store_err store_report_get(struct store_conn *c, const struct store_actor *a, int64_t id,
                           struct store_rows **out)
{
    return store_one(c,
                     REPORT_HEAD " r.generated," REPORT_TAIL
                                 " WHERE r.id = $1 AND r.region_path >= $2 AND r.region_path < $3",
                     STORE_PARAMS(SP_INT(id), SP_TEXT(a->scope.lo), SP_TEXT(a->scope.hi)),
                     REPORT_TYPES, "report", out);
}

store_err store_report_list(struct store_conn *c, const struct store_actor *a, int64_t region_id,
                            const struct store_page *pg, struct store_rows **out)
{
    struct store_where w;

    store_where_init(&w);
    store_where_add(&w, IN_SCOPE, STORE_PARAMS(SP_TEXT(a->scope.lo), SP_TEXT(a->scope.hi)));
    if (region_id)
        store_where_add(&w, "r.region_id = ?", STORE_PARAMS(SP_INT(region_id)));
    return store_where_paged(c, &w, &w, "SELECT COUNT(*) FROM reports r", REPORT_HEAD REPORT_TAIL,
                             "ORDER BY r.period DESC, r.region_id, r.version DESC", pg, LIST_TYPES,
                             out);
}

/* Why an UPDATE of a draft touched nothing: no such report in scope, or it is issued. */
static store_err not_a_draft(struct store_conn *c, const struct store_actor *a, int64_t id)
{
    struct store_rows *r = NULL;
    store_err e = store_report_get(c, a, id, &r);

    store_rows_free(r);
    if (e != STORE_OK)
        return e;
    store_conn_seterr(c, "an issued report is not changed: revise it to make a new version");
    return STORE_CONFLICT;
}

/* One UPDATE of a draft in scope, audited, in its own transaction. `set` uses $4 on for the
 * `n` values `v`; $1..$3 are the id and the scope. */
static store_err update_draft(struct store_conn *c, const struct store_actor *a, int64_t id,
                              const char *set, int n, const struct store_param *v,
                              const char *action, const char *fields)
{
    struct store_param p[5] = {SP_INT(id), SP_TEXT(a->scope.lo), SP_TEXT(a->scope.hi)};
    struct store_rows *r = NULL;
    char sql[512];
    store_err e;

    for (int i = 0; i < n && i < 2; i++)
        p[3 + i] = v[i];
    snprintf(sql, sizeof sql,
             "UPDATE reports SET %s WHERE id = $1 AND state = 'draft' AND region_path >= $2"
             " AND region_path < $3 RETURNING id",
             set);
    e = store_begin(c, 1);
    if (e != STORE_OK)
        return e;
    e = store_exec(c, sql, 3 + (n < 2 ? n : 2), p, &r);
    if (e == STORE_OK && r->nrows == 0)
        e = not_a_draft(c, a, id);
    if (e == STORE_OK)
        e = store_audit_append(c, a, action, "report", id, fields, NULL);
    store_rows_free(r);
    return store_end(c, e);
}

store_err store_report_analysis(struct store_conn *c, const struct store_actor *a, int64_t id,
                                const char *analysis)
{
    return update_draft(c, a, id, "analysis = $4", STORE_PARAMS(SP_TEXT(analysis)), "update",
                        "analysis");
}

store_err store_report_issue(struct store_conn *c, const struct store_actor *a, int64_t id)
{
    return update_draft(
        c, a, id, "state = 'issued', issued_at = $4, issued_by = $5",
        STORE_PARAMS(SP_INT(store_now_ms()), a->user_id ? SP_INT(a->user_id) : SP_NULL), "issue",
        "state,issued_at,issued_by");
}

store_err store_report_quarterly(struct store_conn *c, const struct store_actor *a,
                                 int64_t region_id, const char *quarter, struct store_rows **out)
{
    store_err e = store_exec(
        c,
        "SELECT g.id AS region_id, g.name AS region_name, g.level,"
        " (SELECT MAX(r.version) FROM reports r WHERE r.kind = 'quarterly' AND r.region_id = g.id"
        " AND r.period = $1 AND r.state = 'issued') AS issued_version,"
        " (SELECT r.id FROM reports r WHERE r.kind = 'quarterly' AND r.region_id = g.id"
        " AND r.period = $1 ORDER BY r.version DESC LIMIT 1) AS report_id,"
        " (SELECT MIN(r.issued_at) FROM reports r WHERE r.kind = 'quarterly'"
        " AND r.region_id = g.id AND r.period = $1 AND r.state = 'issued') AS issued_at,"
        " (SELECT COUNT(*) FROM report_reminders x WHERE x.region_id = g.id AND x.period = $1)"
        " AS reminders"
        " FROM regions g WHERE g.level IN ('county', 'township') AND g.path >= $2"
        " AND g.path < $3 AND ($4 = 0 OR EXISTS (SELECT 1 FROM regions top WHERE top.id = $4"
        " AND substr(g.path, 1, length(top.path)) = top.path)) ORDER BY g.path LIMIT 1000",
        STORE_PARAMS(SP_TEXT(quarter), SP_TEXT(a->scope.lo), SP_TEXT(a->scope.hi),
                     SP_INT(region_id)),
        out);
    if (e == STORE_OK)
        (*out)->types = "ittiisi";
    return e;
}

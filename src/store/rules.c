#include "store/rules.h"
#include "core/region.h"
#include "core/timefmt.h"
#include "store/audit.h"
#include "store/regions.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RULE_COLS                                                                                  \
    "SELECT rr.id, rr.name, rr.region_id, r.name AS region_name, rr.category, rr.region_level,"    \
    " rr.complexity, rr.amount_min, rr.amount_max, rr.people_min, rr.people_max,"                  \
    " rr.management_level, rr.department, rr.department_field, rr.method, rr.time_limit_days,"     \
    " rr.time_limit_kind, rr.lead_leader, rr.notice_ids, rr.enabled, rr.created_at,"               \
    " rr.updated_at, r.path AS owner_path"                                                         \
    " FROM routing_rules rr LEFT JOIN regions r ON r.id = rr.region_id"
#define RULE_TYPES "itittttiiiittttitbjbsst"

/* Defaults, rules of regions in scope, and rules of the scope's ancestors (they apply). */
#define RULE_VISIBLE                                                                               \
    " (rr.region_id IS NULL OR (r.path >= $1 AND r.path < $2) OR $1 LIKE r.path || '%')"

static int col(const struct store_rows *rows, const char *name)
{
    return store_rows_col(rows, name);
}

static const char *txt(const struct store_rows *rows, int r, const char *name)
{
    return store_rows_get(rows, r, col(rows, name));
}

/* Reads an optional integer column into (has, value). */
static void opt_int(const struct store_rows *rows, int r, const char *name, int *has, int64_t *v)
{
    const char *s = txt(rows, r, name);
    *has = s != NULL;
    *v = s ? strtoll(s, NULL, 10) : 0;
}

void store_rule_from_row(const struct store_rows *rows, int r, struct routing_rule *rule,
                         struct routing_decision *d)
{
    const char *path = txt(rows, r, "owner_path");
    struct routing_cond *k = &rule->cond;

    memset(rule, 0, sizeof *rule);
    rule->id = store_rows_int(rows, r, col(rows, "id"));
    rule->enabled = store_rows_int(rows, r, col(rows, "enabled")) != 0;
    for (const char *p = path; p && *p; p++)
        rule->owner_depth += *p == '/';
    if (path)
        rule->owner_depth--; /* "/a/b/" has three separators and two segments */
    k->category = txt(rows, r, "category");
    k->complexity = txt(rows, r, "complexity");
    k->region_level = region_level_parse(txt(rows, r, "region_level"));
    opt_int(rows, r, "amount_min", &k->has_amount_min, &k->amount_min);
    opt_int(rows, r, "amount_max", &k->has_amount_max, &k->amount_max);
    opt_int(rows, r, "people_min", &k->has_people_min, &k->people_min);
    opt_int(rows, r, "people_max", &k->has_people_max, &k->people_max);
    if (d) {
        d->management_level = txt(rows, r, "management_level");
        d->department = txt(rows, r, "department");
        d->department_field = txt(rows, r, "department_field");
        d->method = txt(rows, r, "method");
        d->time_limit_days = (int)store_rows_int(rows, r, col(rows, "time_limit_days"));
        d->time_limit_kind = txt(rows, r, "time_limit_kind");
        d->lead_leader = store_rows_int(rows, r, col(rows, "lead_leader")) != 0;
    }
}

/* Refuses a rule that would tie with another of the same owner (see core/routing.h). */
static store_err check_tie(struct store_conn *c, const struct store_rule_in *in, int64_t id)
{
    struct store_rows *rows = NULL;
    struct routing_rule self = {id, 0, in->enabled, in->cond}, *others = NULL;
    int *same = NULL, t;
    store_err e =
        store_exec(c,
                   RULE_COLS " WHERE (CAST($1 AS BIGINT) IS NULL AND rr.region_id IS NULL)"
                             " OR rr.region_id = $1",
                   STORE_PARAMS(in->region_id ? SP_INT(in->region_id) : SP_NULL), &rows);

    if (e != STORE_OK)
        return e;
    others = calloc((size_t)rows->nrows + 1, sizeof *others);
    same = calloc((size_t)rows->nrows + 1, sizeof *same);
    if (!others || !same) {
        store_conn_seterr(c, "out of memory");
        e = STORE_ERROR;
        goto out;
    }
    for (int i = 0; i < rows->nrows; i++) {
        store_rule_from_row(rows, i, &others[i], NULL);
        same[i] = 1;
    }
    t = routing_tie(&self, others, same, rows->nrows);
    if (t >= 0) {
        char msg[400];
        snprintf(msg, sizeof msg,
                 "these conditions tie with rule %lld (%s): same specificity and a dispute could"
                 " match both; narrow or widen one of them",
                 (long long)others[t].id, txt(rows, t, "name"));
        (void)store_conn_invalid(c, "conditions", "tie", msg);
        e = STORE_CONFLICT;
    }
out:
    free(others);
    free(same);
    store_rows_free(rows);
    return e;
}

/* Checks who may write a rule owned by region_id. */
static store_err may_own(struct store_conn *c, const struct store_actor *a, int64_t region_id)
{
    struct region_scope sub;

    if (!region_id) {
        if (!a->top) {
            store_conn_seterr(c, "only a top-level administrator changes default rules");
            return STORE_FORBIDDEN;
        }
        return STORE_OK;
    }
    return store_region_narrow(c, a, region_id, &sub);
}

static struct store_param *rule_params(const struct store_rule_in *in, int64_t now,
                                       struct store_param p[19])
{
    const struct routing_cond *k = &in->cond;
    const struct routing_decision *d = &in->decision;

    p[0] = SP_TEXT(in->name);
    p[1] = in->region_id ? SP_INT(in->region_id) : SP_NULL;
    p[2] = SP_TEXT(k->category);
    p[3] = SP_TEXT(k->region_level ? region_level_name(k->region_level) : NULL);
    p[4] = SP_TEXT(k->complexity);
    p[5] = k->has_amount_min ? SP_INT(k->amount_min) : SP_NULL;
    p[6] = k->has_amount_max ? SP_INT(k->amount_max) : SP_NULL;
    p[7] = k->has_people_min ? SP_INT(k->people_min) : SP_NULL;
    p[8] = k->has_people_max ? SP_INT(k->people_max) : SP_NULL;
    p[9] = SP_TEXT(d->management_level);
    p[10] = SP_TEXT(d->department);
    p[11] = SP_TEXT(d->department_field);
    p[12] = SP_TEXT(d->method);
    p[13] = SP_INT(d->time_limit_days);
    p[14] = SP_TEXT(d->time_limit_kind);
    p[15] = SP_INT(d->lead_leader);
    p[16] = SP_TEXT(in->notice_ids ? in->notice_ids : "[]");
    p[17] = SP_INT(in->enabled);
    p[18] = SP_INT(now);
    return p;
}

store_err store_rule_create(struct store_conn *c, const struct store_actor *a,
                            const struct store_rule_in *in, int64_t *id)
{
    struct store_param p[19];
    struct store_rows *r = NULL;
    store_err e = may_own(c, a, in->region_id);

    if (e != STORE_OK)
        return e;
    e = store_begin(c, 1);
    if (e != STORE_OK)
        return e;
    e = check_tie(c, in, 0);
    if (e == STORE_OK)
        e = store_exec(c,
                       "INSERT INTO routing_rules (name, region_id, category, region_level,"
                       " complexity, amount_min, amount_max, people_min, people_max,"
                       " management_level, department, department_field, method,"
                       " time_limit_days, time_limit_kind, lead_leader, notice_ids, enabled,"
                       " created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9,"
                       " $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $19) RETURNING id",
                       19, rule_params(in, store_now_ms(), p), &r);
    if (e == STORE_OK) {
        *id = store_rows_int(r, 0, 0);
        e = store_audit_append(c, a, "create", "routing_rule", *id,
                               "name,region_id,conditions,"
                               "decision,notice_ids,enabled",
                               NULL);
    }
    store_rows_free(r);
    return store_end(c, e);
}

/* The stored rule's owner, checked for the actor's right to change it. */
static store_err editable(struct store_conn *c, const struct store_actor *a, int64_t id)
{
    struct store_rows *r = NULL;
    store_err e = store_rule_get(c, a, id, &r);

    if (e == STORE_OK) {
        const char *owner = store_rows_get(r, 0, 2);
        e = may_own(c, a, owner ? strtoll(owner, NULL, 10) : 0);
        if (e == STORE_INVALID) { /* an ancestor's rule: visible, not the actor's to change */
            store_conn_seterr(c, "this rule belongs to a higher level");
            e = STORE_FORBIDDEN;
        }
    }
    store_rows_free(r);
    return e;
}

store_err store_rule_update(struct store_conn *c, const struct store_actor *a, int64_t id,
                            const struct store_rule_in *in, const char *fields)
{
    struct store_param p[20];
    store_err e = editable(c, a, id);

    if (e == STORE_OK)
        e = may_own(c, a, in->region_id);
    if (e != STORE_OK)
        return e;
    e = store_begin(c, 1);
    if (e != STORE_OK)
        return e;
    e = check_tie(c, in, id);
    rule_params(in, store_now_ms(), p);
    p[19] = SP_INT(id);
    if (e == STORE_OK)
        e = store_exec(c,
                       "UPDATE routing_rules SET name = $1, region_id = $2, category = $3,"
                       " region_level = $4, complexity = $5, amount_min = $6, amount_max = $7,"
                       " people_min = $8, people_max = $9, management_level = $10,"
                       " department = $11, department_field = $12, method = $13,"
                       " time_limit_days = $14, time_limit_kind = $15, lead_leader = $16,"
                       " notice_ids = $17, enabled = $18, updated_at = $19 WHERE id = $20",
                       20, p, NULL);
    if (e == STORE_OK)
        e = store_audit_append(c, a, "update", "routing_rule", id, fields, NULL);
    return store_end(c, e);
}

store_err store_rule_delete(struct store_conn *c, const struct store_actor *a, int64_t id)
{
    store_err e = editable(c, a, id);

    if (e != STORE_OK)
        return e;
    return store_write_audited(c, a, "DELETE FROM routing_rules WHERE id = $1",
                               STORE_PARAMS(SP_INT(id)), "delete", "routing_rule", id, NULL, NULL);
}

store_err store_rule_get(struct store_conn *c, const struct store_actor *a, int64_t id,
                         struct store_rows **out)
{
    return store_one(c, RULE_COLS " WHERE rr.id = $3 AND" RULE_VISIBLE,
                     STORE_PARAMS(SP_TEXT(a->scope.lo), SP_TEXT(a->scope.hi), SP_INT(id)),
                     RULE_TYPES, "routing rule", out);
}

#define RULE_LIST_WHERE                                                                            \
    " WHERE" RULE_VISIBLE " AND (CAST($3 AS BIGINT) IS NULL OR rr.region_id = $3)"                 \
    " AND (CAST($4 AS TEXT) IS NULL OR rr.category = $4)"

store_err store_rule_list(struct store_conn *c, const struct store_actor *a, int64_t region_id,
                          const char *category, const struct store_page *pg,
                          struct store_rows **out)
{
    return store_paged(c,
                       "SELECT COUNT(*) FROM routing_rules rr LEFT JOIN regions r"
                       " ON r.id = rr.region_id" RULE_LIST_WHERE,
                       RULE_COLS RULE_LIST_WHERE
                       " ORDER BY rr.region_id IS NOT NULL, rr.id LIMIT $5 OFFSET $6",
                       STORE_PARAMS(SP_TEXT(a->scope.lo), SP_TEXT(a->scope.hi),
                                    region_id ? SP_INT(region_id) : SP_NULL, SP_TEXT(category)),
                       pg, RULE_TYPES, out);
}

store_err store_rules_for(struct store_conn *c, const char *path, struct store_rows **out)
{
    store_err e = store_exec(c,
                             RULE_COLS " WHERE rr.region_id IS NULL OR $1 LIKE r.path || '%'"
                                       " ORDER BY rr.id",
                             STORE_PARAMS(SP_TEXT(path)), out);
    if (e == STORE_OK)
        (*out)->types = RULE_TYPES;
    return e;
}

/* ---- service catalogue ---- */

#define CAT_COLS                                                                                   \
    "SELECT id, name, legal_basis, level, handling_body, conditions, procedure, documents,"        \
    " time_limit, created_at, updated_at FROM catalogue_items"
#define CAT_TYPES "ittttttjtss"

static store_err top_only(struct store_conn *c, const struct store_actor *a)
{
    if (a->top)
        return STORE_OK;
    store_conn_seterr(c, "only a top-level administrator changes this");
    return STORE_FORBIDDEN;
}

static struct store_param *cat_params(const struct store_catalogue_in *in, struct store_param p[9])
{
    p[0] = SP_TEXT(in->name);
    p[1] = SP_TEXT(in->legal_basis);
    p[2] = SP_TEXT(in->level);
    p[3] = SP_TEXT(in->handling_body);
    p[4] = SP_TEXT(in->conditions);
    p[5] = SP_TEXT(in->procedure);
    p[6] = SP_TEXT(in->documents);
    p[7] = SP_TEXT(in->time_limit);
    p[8] = SP_INT(store_now_ms());
    return p;
}

store_err store_catalogue_create(struct store_conn *c, const struct store_actor *a,
                                 const struct store_catalogue_in *in, int64_t *id)
{
    struct store_param p[9];
    store_err e = top_only(c, a);

    if (e != STORE_OK)
        return e;
    cat_params(in, p);
    if (!in->documents)
        p[6] = SP_TEXT("[]");
    e = store_write_audited(c, a,
                            "INSERT INTO catalogue_items (name, legal_basis, level, handling_body,"
                            " conditions, procedure, documents, time_limit, created_at,"
                            " updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9)"
                            " RETURNING id",
                            9, p, "create", "catalogue_item", 0,
                            "name,legal_basis,level,handling_body,conditions,procedure,documents,"
                            "time_limit",
                            id);
    if (e == STORE_CONFLICT)
        (void)store_conn_invalid(c, "name", "conflict", "an item with this name already exists");
    return e;
}

store_err store_catalogue_update(struct store_conn *c, const struct store_actor *a, int64_t id,
                                 const struct store_catalogue_in *in, const char *fields)
{
    struct store_param p[10];
    struct store_rows *r = NULL;
    store_err e = top_only(c, a);

    if (e == STORE_OK)
        e = store_catalogue_get(c, id, &r);
    store_rows_free(r);
    if (e != STORE_OK)
        return e;
    cat_params(in, p);
    p[9] = SP_INT(id);
    e = store_write_audited(c, a,
                            "UPDATE catalogue_items SET name = COALESCE($1, name),"
                            " legal_basis = COALESCE($2, legal_basis), level = COALESCE($3, level),"
                            " handling_body = COALESCE($4, handling_body),"
                            " conditions = COALESCE($5, conditions),"
                            " procedure = COALESCE($6, procedure),"
                            " documents = COALESCE($7, documents),"
                            " time_limit = COALESCE($8, time_limit), updated_at = $9"
                            " WHERE id = $10",
                            10, p, "update", "catalogue_item", id, fields, NULL);
    if (e == STORE_CONFLICT)
        (void)store_conn_invalid(c, "name", "conflict", "an item with this name already exists");
    return e;
}

store_err store_catalogue_delete(struct store_conn *c, const struct store_actor *a, int64_t id)
{
    struct store_rows *r = NULL;
    store_err e = top_only(c, a);

    if (e == STORE_OK)
        e = store_catalogue_get(c, id, &r);
    store_rows_free(r);
    if (e != STORE_OK)
        return e;
    return store_write_audited(c, a, "DELETE FROM catalogue_items WHERE id = $1",
                               STORE_PARAMS(SP_INT(id)), "delete", "catalogue_item", id, NULL,
                               NULL);
}

store_err store_catalogue_get(struct store_conn *c, int64_t id, struct store_rows **out)
{
    return store_one(c, CAT_COLS " WHERE id = $1", STORE_PARAMS(SP_INT(id)), CAT_TYPES,
                     "catalogue item", out);
}

#define CAT_WHERE                                                                                  \
    " WHERE CAST($1 AS TEXT) IS NULL OR name LIKE '%' || $1 || '%'"                                \
    " OR handling_body LIKE '%' || $1 || '%'"

store_err store_catalogue_list(struct store_conn *c, const char *q, const struct store_page *pg,
                               struct store_rows **out)
{
    return store_paged(c, "SELECT COUNT(*) FROM catalogue_items" CAT_WHERE,
                       CAT_COLS CAT_WHERE " ORDER BY id LIMIT $2 OFFSET $3",
                       STORE_PARAMS(SP_TEXT(q)), pg, CAT_TYPES, out);
}

store_err store_catalogue_items(struct store_conn *c, const char *ids, struct store_rows **out)
{
    /* The id list is a JSON array of integers written by this program; match on the
     * quoted-by-commas form so that 1 does not match 12. */
    store_err e = store_exec(c,
                             CAT_COLS " WHERE ',' || REPLACE(REPLACE(REPLACE($1, '[', ''), ']',"
                                      " ''), ' ', '') || ',' LIKE '%,' || CAST(id AS TEXT) || ',%'"
                                      " ORDER BY id",
                             STORE_PARAMS(SP_TEXT(ids ? ids : "[]")), out);
    if (e == STORE_OK)
        (*out)->types = CAT_TYPES;
    return e;
}

/* ---- calendar ---- */

store_err store_calendar_year(struct store_conn *c, int year, struct store_rows **out)
{
    char lo[16], hi[16];
    store_err e;

    snprintf(lo, sizeof lo, "%04d-01-01", year);
    snprintf(hi, sizeof hi, "%04d-12-31", year);
    e = store_exec(c,
                   "SELECT day AS date, kind, name, provisional FROM calendar_days"
                   " WHERE day >= $1 AND day <= $2 ORDER BY day",
                   STORE_PARAMS(SP_TEXT(lo), SP_TEXT(hi)), out);
    if (e == STORE_OK)
        (*out)->types = "tttb";
    return e;
}

store_err store_calendar_set(struct store_conn *c, const struct store_actor *a, const char *day,
                             const char *kind, const char *name)
{
    store_err e = top_only(c, a);

    if (e != STORE_OK)
        return e;
    e = store_begin(c, 1);
    if (e != STORE_OK)
        return e;
    /* Upsert written as delete-then-insert: the same text on both backends. */
    e = store_exec(c, "DELETE FROM calendar_days WHERE day = $1", STORE_PARAMS(SP_TEXT(day)), NULL);
    if (e == STORE_OK)
        e = store_exec(c,
                       "INSERT INTO calendar_days (day, kind, name, provisional)"
                       " VALUES ($1, $2, $3, 0)",
                       STORE_PARAMS(SP_TEXT(day), SP_TEXT(kind), SP_TEXT(name)), NULL);
    if (e == STORE_OK) {
        char detail[96];
        snprintf(detail, sizeof detail, "%s %s", day, kind);
        e = store_audit_append(c, a, "update", "calendar_day", 0, "kind,name", detail);
    }
    return store_end(c, e);
}

store_err store_calendar_unset(struct store_conn *c, const struct store_actor *a, const char *day)
{
    store_err e = top_only(c, a);

    if (e != STORE_OK)
        return e;
    e = store_begin(c, 1);
    if (e != STORE_OK)
        return e;
    e = store_exec(c, "DELETE FROM calendar_days WHERE day = $1", STORE_PARAMS(SP_TEXT(day)), NULL);
    if (e == STORE_OK)
        e = store_audit_append(c, a, "delete", "calendar_day", 0, "kind,name", day);
    return store_end(c, e);
}

store_err store_calendar_load(struct store_conn *c, struct calendar_day **days, size_t *n)
{
    struct store_rows *r = NULL;
    store_err e = store_exec(c, "SELECT day, kind FROM calendar_days ORDER BY day", 0, NULL, &r);

    *days = NULL;
    *n = 0;
    if (e != STORE_OK)
        return e;
    *days = calloc((size_t)r->nrows + 1, sizeof **days);
    if (!*days) {
        store_rows_free(r);
        store_conn_seterr(c, "out of memory");
        return STORE_ERROR;
    }
    for (int i = 0; i < r->nrows; i++) {
        int32_t d;
        if (timefmt_day_parse(store_rows_get(r, i, 0), &d) != 0)
            continue;
        (*days)[*n].day = d;
        (*days)[*n].kind =
            strcmp(store_rows_get(r, i, 1), "workday") == 0 ? CAL_WORKDAY : CAL_HOLIDAY;
        (*n)++;
    }
    store_rows_free(r);
    calendar_sort(*days, *n);
    return STORE_OK;
}

/* ---- sensitive periods ---- */

#define PERIOD_COLS                                                                                \
    "SELECT id, name, start_day AS start, end_day AS \"end\", region_ids, region_names, note,"     \
    " created_at, updated_at, scope_path FROM sensitive_periods"
#define PERIOD_TYPES "itttjjtsst"

store_err store_period_get(struct store_conn *c, int64_t id, struct store_rows **out)
{
    return store_one(c, PERIOD_COLS " WHERE id = $1", STORE_PARAMS(SP_INT(id)), PERIOD_TYPES,
                     "sensitive period", out);
}

#define PERIOD_WHERE                                                                               \
    " WHERE (CAST($1 AS TEXT) IS NULL OR (start_day <= $1 AND end_day >= $1))"                     \
    " AND (NOT EXISTS (SELECT 1 FROM sensitive_period_regions x WHERE x.period_id = p.id)"         \
    " OR EXISTS (SELECT 1 FROM sensitive_period_regions x JOIN regions r ON r.id = x.region_id"    \
    " WHERE x.period_id = p.id AND ((r.path >= $2 AND r.path < $3) OR $2 LIKE r.path || '%')))"

/*
 * A period may be changed by those whose scope holds its owner's scope. One that does not
 * concern the actor at all does not exist for it (404); one set above it is visible but
 * not the actor's to change (403).
 */
static store_err period_editable(struct store_conn *c, const struct store_actor *a, int64_t id)
{
    struct store_rows *r = NULL;
    store_err e =
        store_one(c, PERIOD_COLS " p" PERIOD_WHERE " AND p.id = $4",
                  STORE_PARAMS(SP_NULL, SP_TEXT(a->scope.lo), SP_TEXT(a->scope.hi), SP_INT(id)),
                  PERIOD_TYPES, "sensitive period", &r);

    if (e == STORE_OK && !region_scope_contains(&a->scope, store_rows_get(r, 0, 9))) {
        store_conn_seterr(c, "this sensitive period was set by a higher level");
        e = STORE_FORBIDDEN;
    }
    store_rows_free(r);
    return e;
}

/* Replaces the period's regions (inside the caller's transaction). */
static store_err set_period_regions(struct store_conn *c, int64_t id,
                                    const struct store_period_in *in)
{
    store_err e;

    if (!in->set_regions)
        return STORE_OK;
    e = store_exec(c, "DELETE FROM sensitive_period_regions WHERE period_id = $1",
                   STORE_PARAMS(SP_INT(id)), NULL);
    for (int i = 0; e == STORE_OK && i < in->nids; i++) {
        int dup = 0;
        for (int j = 0; j < i; j++)
            dup |= in->ids[j] == in->ids[i];
        if (!dup)
            e = store_exec(c,
                           "INSERT INTO sensitive_period_regions (period_id, region_id)"
                           " VALUES ($1, $2)",
                           STORE_PARAMS(SP_INT(id), SP_INT(in->ids[i])), NULL);
    }
    return e;
}

store_err store_period_create(struct store_conn *c, const struct store_actor *a,
                              const struct store_period_in *in, int64_t *id)
{
    struct store_rows *r = NULL;
    int64_t now = store_now_ms();
    store_err e = store_begin(c, 1);

    if (e != STORE_OK)
        return e;
    e = store_exec(c,
                   "INSERT INTO sensitive_periods (name, start_day, end_day, region_ids,"
                   " region_names, scope_path, note, created_at, updated_at)"
                   " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) RETURNING id",
                   STORE_PARAMS(SP_TEXT(in->name), SP_TEXT(in->start), SP_TEXT(in->end),
                                SP_TEXT(in->region_ids), SP_TEXT(in->region_names),
                                SP_TEXT(in->scope_path), SP_TEXT(in->note), SP_INT(now)),
                   &r);
    if (e == STORE_OK) {
        *id = store_rows_int(r, 0, 0);
        e = set_period_regions(c, *id, in);
    }
    if (e == STORE_OK)
        e = store_audit_append(c, a, "create", "sensitive_period", *id,
                               "name,start,end,region_ids,note", NULL);
    store_rows_free(r);
    return store_end(c, e);
}

store_err store_period_update(struct store_conn *c, const struct store_actor *a, int64_t id,
                              const struct store_period_in *in, const char *fields)
{
    store_err e = period_editable(c, a, id);

    if (e != STORE_OK)
        return e;
    e = store_begin(c, 1);
    if (e != STORE_OK)
        return e;
    e = set_period_regions(c, id, in);
    if (e != STORE_OK)
        return store_end(c, e);
    e = store_exec(
        c,
        "UPDATE sensitive_periods SET name = COALESCE($2, name),"
        " start_day = COALESCE($3, start_day), end_day = COALESCE($4, end_day),"
        " region_ids = COALESCE($5, region_ids), region_names = COALESCE($6, region_names),"
        " scope_path = COALESCE($7, scope_path), note = COALESCE($8, note), updated_at = $9"
        " WHERE id = $1",
        STORE_PARAMS(SP_INT(id), SP_TEXT(in->name), SP_TEXT(in->start), SP_TEXT(in->end),
                     SP_TEXT(in->region_ids), SP_TEXT(in->region_names), SP_TEXT(in->scope_path),
                     SP_TEXT(in->note), SP_INT(store_now_ms())),
        NULL);
    if (e == STORE_OK)
        e = store_audit_append(c, a, "update", "sensitive_period", id, fields, NULL);
    return store_end(c, e);
}

store_err store_period_delete(struct store_conn *c, const struct store_actor *a, int64_t id)
{
    store_err e = period_editable(c, a, id);

    if (e != STORE_OK)
        return e;
    return store_write_audited(c, a, "DELETE FROM sensitive_periods WHERE id = $1",
                               STORE_PARAMS(SP_INT(id)), "delete", "sensitive_period", id, NULL,
                               NULL);
}

store_err store_period_list(struct store_conn *c, const struct store_actor *a,
                            const char *active_on, const struct store_page *pg,
                            struct store_rows **out)
{
    return store_paged(c, "SELECT COUNT(*) FROM sensitive_periods p" PERIOD_WHERE,
                       PERIOD_COLS " p" PERIOD_WHERE
                                   " ORDER BY start_day DESC, id LIMIT $4 OFFSET $5",
                       STORE_PARAMS(SP_TEXT(active_on), SP_TEXT(a->scope.lo), SP_TEXT(a->scope.hi)),
                       pg, PERIOD_TYPES, out);
}

#include "store/people.h"
#include "store/audit.h"
#include "store/regions.h"
#include "store/staffseal.h"

#include <stdio.h>
#include <string.h>

/* ---- mediators ---- */

/* A mediator's organizations as JSON: aggregate functions are where the dialects differ. */
#define MED_IDS_SQLITE                                                                             \
    "(SELECT json_group_array(org_id) FROM (SELECT mo.org_id FROM mediator_orgs mo"                \
    " WHERE mo.mediator_id = m.id ORDER BY mo.position))"
#define MED_ORGS_SQLITE                                                                            \
    "(SELECT json_group_array(json_object('id', id, 'name', name)) FROM (SELECT o.id, o.name"      \
    " FROM mediator_orgs mo JOIN organizations o ON o.id = mo.org_id"                              \
    " WHERE mo.mediator_id = m.id ORDER BY mo.position))"
#define MED_IDS_PG                                                                                 \
    "(SELECT COALESCE(json_agg(mo.org_id ORDER BY mo.position), '[]') FROM mediator_orgs mo"       \
    " WHERE mo.mediator_id = m.id)"
#define MED_ORGS_PG                                                                                \
    "(SELECT COALESCE(json_agg(json_build_object('id', o.id, 'name', o.name) ORDER BY "            \
    "mo.position),"                                                                                \
    " '[]') FROM mediator_orgs mo JOIN organizations o ON o.id = mo.org_id"                        \
    " WHERE mo.mediator_id = m.id)"
/* Caseload counts open cases; it is 0 until the case register exists (issue 4). */
#define MED_COLS(IDS, ORGS)                                                                        \
    "SELECT m.id, m.name, m.gender, COALESCE(m.phone_sealed, m.phone) AS phone, m.mediator_type, " \
    "m.grade, m.specialties, " IDS " AS org_ids, " ORGS                                            \
    " AS orgs, m.user_id, m.status, 0 AS caseload,"                                                \
    " (SELECT o.region_id FROM mediator_orgs mo JOIN organizations o ON o.id = mo.org_id"          \
    " WHERE mo.mediator_id = m.id ORDER BY mo.position LIMIT 1) AS region_id,"                     \
    " (SELECT r.name FROM mediator_orgs mo JOIN organizations o ON o.id = mo.org_id"               \
    " JOIN regions r ON r.id = o.region_id WHERE mo.mediator_id = m.id ORDER BY mo.position "      \
    "LIMIT 1)"                                                                                     \
    " AS region_name, m.created_at"
#define MED_TYPES "itttttjjjitiits"
#define MED_IN_SCOPE(LO, HI)                                                                       \
    " EXISTS (SELECT 1 FROM mediator_orgs mo JOIN organizations o ON o.id = mo.org_id"             \
    " JOIN regions r ON r.id = o.region_id WHERE mo.mediator_id = m.id AND r.path >= " LO          \
    " AND r.path < " HI ")"

store_err store_orgs_in_scope(struct store_conn *c, const struct store_actor *a, const int64_t *ids,
                              int n, const char *field)
{
    for (int i = 0; i < n; i++) {
        struct store_rows *r = NULL;
        store_err e = store_exec(
            c,
            "SELECT o.id FROM organizations o JOIN regions r ON r.id = o.region_id"
            " WHERE o.id = $1 AND r.path >= $2 AND r.path < $3",
            STORE_PARAMS(SP_INT(ids[i]), SP_TEXT(a->scope.lo), SP_TEXT(a->scope.hi)), &r);
        int found = e == STORE_OK && r->nrows > 0;
        store_rows_free(r);
        if (e != STORE_OK)
            return e;
        if (!found)
            return store_conn_invalid(c, field, "not_found",
                                      "organization does not exist or is outside your scope");
    }
    return STORE_OK;
}

/* A user linked to a person must be in scope too. */
static store_err user_in_scope(struct store_conn *c, const struct store_actor *a, int64_t id)
{
    struct store_rows *r = NULL;
    store_err e;

    if (!id)
        return STORE_OK;
    e = store_exec(c,
                   "SELECT u.id FROM users u JOIN organizations o ON o.id = u.org_id"
                   " JOIN regions r ON r.id = o.region_id"
                   " WHERE u.id = $1 AND r.path >= $2 AND r.path < $3",
                   STORE_PARAMS(SP_INT(id), SP_TEXT(a->scope.lo), SP_TEXT(a->scope.hi)), &r);
    if (e == STORE_OK && r->nrows == 0)
        e = store_conn_invalid(c, "user_id", "not_found",
                               "user does not exist or is outside your scope");
    store_rows_free(r);
    return e;
}

static store_err set_orgs(struct store_conn *c, int64_t id, const int64_t *orgs, int n)
{
    store_err e = store_exec(c, "DELETE FROM mediator_orgs WHERE mediator_id = $1",
                             STORE_PARAMS(SP_INT(id)), NULL);
    for (int i = 0; e == STORE_OK && i < n; i++) {
        int dup = 0;
        for (int j = 0; j < i; j++)
            dup |= orgs[j] == orgs[i];
        if (!dup)
            e = store_exec(c,
                           "INSERT INTO mediator_orgs (mediator_id, org_id, position)"
                           " VALUES ($1, $2, $3)",
                           STORE_PARAMS(SP_INT(id), SP_INT(orgs[i]), SP_INT(i)), NULL);
    }
    return e;
}

/* Inserts one mediator, its organizations and the audit row in the caller's transaction. */
static store_err mediator_insert(struct store_conn *c, const struct store_actor *a,
                                 const struct store_mediator_in *in, int64_t now, int64_t *id)
{
    struct store_rows *r = NULL;
    store_err e = store_orgs_in_scope(c, a, in->org_ids, in->norgs, "org_ids");

    if (e == STORE_OK)
        e = user_in_scope(c, a, in->user_id);
    if (e == STORE_OK)
        e = store_exec(c,
                       "INSERT INTO mediators (name, gender, phone, mediator_type, grade,"
                       " specialties, user_id, status, created_at, updated_at)"
                       " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) RETURNING id",
                       STORE_PARAMS(SP_TEXT(in->name), SP_TEXT(in->gender), SP_TEXT(NULL),
                                    SP_TEXT(in->mediator_type), SP_TEXT(in->grade),
                                    SP_TEXT(in->specialties ? in->specialties : "[]"),
                                    in->user_id ? SP_INT(in->user_id) : SP_NULL,
                                    SP_TEXT(in->status ? in->status : "active"), SP_INT(now)),
                       &r);
    if (e == STORE_OK) {
        *id = store_rows_int(r, 0, 0);
        e = set_orgs(c, *id, in->org_ids, in->norgs);
    }
    if (e == STORE_OK)
        e = store_staff_phone_put(c, "mediators", *id, in->phone);
    if (e == STORE_OK)
        e = store_audit_append(c, a, "create", "mediator", *id,
                               "name,gender,phone,mediator_type,grade,specialties,org_ids,user_id,"
                               "status",
                               NULL);
    store_rows_free(r);
    return e;
}

store_err store_mediator_create(struct store_conn *c, const struct store_actor *a,
                                const struct store_mediator_in *in, int64_t *id)
{
    store_err e = store_begin(c, 1);

    if (e != STORE_OK)
        return e;
    return store_end(c, mediator_insert(c, a, in, store_now_ms(), id));
}

store_err store_mediator_import(struct store_conn *c, const struct store_actor *a,
                                const struct store_mediator_in *in, int n, const int *rownums)
{
    int64_t now = store_now_ms(), id;
    store_err e = store_begin(c, 1);

    if (e != STORE_OK)
        return e;
    for (int i = 0; e == STORE_OK && i < n; i++) {
        e = mediator_insert(c, a, &in[i], now, &id);
        if (e == STORE_INVALID || e == STORE_CONFLICT)
            store_conn_prefix_row(c, rownums ? rownums[i] : i + 1);
    }
    return store_end(c, e);
}

store_err store_mediator_get(struct store_conn *c, const struct store_actor *a, int64_t id,
                             int audit_read, struct store_rows **out)
{
    store_err e = STORE_OK;

    if (audit_read)
        e = store_begin(c, 1);
    if (e == STORE_OK)
        e = store_one(
            c,
            store_dialect(
                c,
                MED_COLS(
                    MED_IDS_SQLITE,
                    MED_ORGS_SQLITE) " FROM mediators m WHERE m.id = $1 AND" MED_IN_SCOPE("$2",
                                                                                          "$3"),
                MED_COLS(MED_IDS_PG,
                         MED_ORGS_PG) " FROM mediators m WHERE m.id = $1 AND" MED_IN_SCOPE("$2",
                                                                                           "$3")),
            STORE_PARAMS(SP_INT(id), SP_TEXT(a->scope.lo), SP_TEXT(a->scope.hi)), MED_TYPES,
            "mediator", out);
    if (e == STORE_OK)
        e = store_opened(c, e, out);
    if (audit_read) {
        if (e == STORE_OK)
            e = store_audit_append(c, a, "read", "mediator", id, "phone", NULL);
        e = store_end(c, e);
        if (e != STORE_OK) {
            store_rows_free(*out);
            *out = NULL;
        }
    }
    return e;
}

store_err store_mediator_update(struct store_conn *c, const struct store_actor *a, int64_t id,
                                const struct store_mediator_in *in, const char *fields)
{
    struct store_rows *r = NULL;
    store_err e = store_begin(c, 1);

    if (e != STORE_OK)
        return e;
    e = store_mediator_get(c, a, id, 0, &r);
    if (e == STORE_OK && in->norgs > 0)
        e = store_orgs_in_scope(c, a, in->org_ids, in->norgs, "org_ids");
    if (e == STORE_OK)
        e = user_in_scope(c, a, in->user_id);
    if (e == STORE_OK)
        e = store_exec(c,
                       "UPDATE mediators SET name = COALESCE($2, name), gender = COALESCE($3,"
                       " gender), phone = COALESCE($4, phone), mediator_type = COALESCE($5,"
                       " mediator_type), grade = COALESCE($6, grade), specialties = COALESCE($7,"
                       " specialties), user_id = COALESCE($8, user_id), status = COALESCE($9,"
                       " status), updated_at = $10 WHERE id = $1",
                       STORE_PARAMS(SP_INT(id), SP_TEXT(in->name), SP_TEXT(in->gender),
                                    SP_TEXT(NULL), SP_TEXT(in->mediator_type), SP_TEXT(in->grade),
                                    SP_TEXT(in->specialties),
                                    in->user_id ? SP_INT(in->user_id) : SP_NULL,
                                    SP_TEXT(in->status), SP_INT(store_now_ms())),
                       NULL);
    if (e == STORE_OK && in->norgs > 0)
        e = set_orgs(c, id, in->org_ids, in->norgs);
    if (e == STORE_OK)
        e = store_staff_phone_put(c, "mediators", id, in->phone);
    if (e == STORE_OK)
        e = store_audit_append(c, a, "update", "mediator", id, fields, NULL);
    store_rows_free(r);
    return store_end(c, e);
}

#define MED_LIST_WHERE                                                                             \
    " FROM mediators m WHERE" MED_IN_SCOPE(                                                        \
        "$1", "$2") " AND (CAST($3 AS TEXT) IS NULL OR m.name LIKE '%' || $3 || '%')"              \
                    " AND (CAST($4 AS BIGINT) IS NULL OR EXISTS (SELECT 1 FROM mediator_orgs x"    \
                    " WHERE x.mediator_id = m.id AND x.org_id = $4))"                              \
                    " AND (CAST($5 AS TEXT) IS NULL OR m.specialties LIKE '%\"' || $5 || '\"%')"   \
                    " AND (CAST($6 AS TEXT) IS NULL OR m.mediator_type = $6)"                      \
                    " AND (CAST($7 AS TEXT) IS NULL OR m.status = $7)"

store_err store_mediator_list(struct store_conn *c, const struct store_actor *a,
                              const struct store_mediator_filter *f, const struct store_page *pg,
                              struct store_rows **out)
{
    struct region_scope sub;
    store_err e = store_region_narrow(c, a, f->region_id, &sub);

    if (e != STORE_OK)
        return e;
    return store_opened(
        c,
        store_paged(c, "SELECT COUNT(*)" MED_LIST_WHERE,
                    store_dialect(c,
                                  MED_COLS(MED_IDS_SQLITE, MED_ORGS_SQLITE) MED_LIST_WHERE
                                  " ORDER BY m.id LIMIT $8 OFFSET $9",
                                  MED_COLS(MED_IDS_PG, MED_ORGS_PG) MED_LIST_WHERE
                                  " ORDER BY m.id LIMIT $8 OFFSET $9"),
                    STORE_PARAMS(SP_TEXT(sub.lo), SP_TEXT(sub.hi), SP_TEXT(f->q),
                                 f->org_id ? SP_INT(f->org_id) : SP_NULL, SP_TEXT(f->specialty),
                                 SP_TEXT(f->mediator_type), SP_TEXT(f->status)),
                    pg, MED_TYPES, out),
        out);
}

#define MED_EXPORT(ORGS)                                                                           \
    "SELECT m.name, m.gender, COALESCE(m.phone_sealed, m.phone) AS phone, m.mediator_type, "       \
    "m.grade, m.specialties, " ORGS " AS orgs, m.status FROM mediators m WHERE" MED_IN_SCOPE(      \
        "$1", "$2") " ORDER BY m.id LIMIT 100000"

store_err store_mediator_export(struct store_conn *c, const struct store_actor *a,
                                struct store_rows **out)
{
    store_err e =
        store_exec(c, store_dialect(c, MED_EXPORT(MED_ORGS_SQLITE), MED_EXPORT(MED_ORGS_PG)),
                   STORE_PARAMS(SP_TEXT(a->scope.lo), SP_TEXT(a->scope.hi)), out);
    if (e == STORE_OK)
        e = store_rows_open_phones(c, *out);
    if (e == STORE_OK)
        e = store_audit_read(c, a, "mediator", 0, "export");
    if (e != STORE_OK) {
        store_rows_free(*out);
        *out = NULL;
    }
    return e;
}

/* ---- experts ---- */

#define EXPERT_COLS                                                                                \
    "SELECT x.id, x.name, x.specialty, x.industry, x.title,"                                       \
    " COALESCE(x.phone_sealed, x.phone) AS phone, x.availability,"                                 \
    " x.region_id, r.name AS region_name, x.note, x.created_at"                                    \
    " FROM experts x JOIN regions r ON r.id = x.region_id"
#define EXPERT_TYPES "ittttttitts"

store_err store_person_name(struct store_conn *c, enum store_person_kind kind, int64_t id,
                            struct store_rows **out)
{
    /* Two literal statements rather than a spliced table name: each is prepared once. */
    return store_one(c,
                     kind == STORE_PERSON_EXPERT ? "SELECT id, name FROM experts WHERE id = $1"
                                                 : "SELECT id, name FROM mediators WHERE id = $1",
                     STORE_PARAMS(SP_INT(id)), "it",
                     kind == STORE_PERSON_EXPERT ? "expert" : "mediator", out);
}

store_err store_expert_create(struct store_conn *c, const struct store_actor *a,
                              const struct store_expert_in *in, int64_t *id)
{
    struct region_scope sub;
    int64_t now = store_now_ms();
    store_err e = store_region_narrow(c, a, in->region_id, &sub);

    if (e != STORE_OK)
        return e;
    e = store_begin(c, 1);
    if (e != STORE_OK)
        return e;
    e = store_write_audited(
        c, a,
        "INSERT INTO experts (name, specialty, industry, title, phone, availability, region_id,"
        " note, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9)"
        " RETURNING id",
        STORE_PARAMS(SP_TEXT(in->name), SP_TEXT(in->specialty), SP_TEXT(in->industry),
                     SP_TEXT(in->title), SP_TEXT(NULL),
                     SP_TEXT(in->availability ? in->availability : "available"),
                     SP_INT(in->region_id), SP_TEXT(in->note), SP_INT(now)),
        "create", "expert", 0, "name,specialty,industry,title,phone,availability,region_id,note",
        id);
    if (e == STORE_OK)
        e = store_staff_phone_put(c, "experts", *id, in->phone);
    return store_end(c, e);
}

store_err store_expert_get(struct store_conn *c, const struct store_actor *a, int64_t id,
                           int audit_read, struct store_rows **out)
{
    store_err e = store_one(c, EXPERT_COLS " WHERE x.id = $1 AND r.path >= $2 AND r.path < $3",
                            STORE_PARAMS(SP_INT(id), SP_TEXT(a->scope.lo), SP_TEXT(a->scope.hi)),
                            EXPERT_TYPES, "expert", out);

    if (e == STORE_OK)
        e = store_rows_open_phones(c, *out);
    if (e == STORE_OK && audit_read) {
        e = store_audit_read(c, a, "expert", id, "phone");
        if (e != STORE_OK) {
            store_rows_free(*out);
            *out = NULL;
        }
    }
    return e;
}

store_err store_expert_update(struct store_conn *c, const struct store_actor *a, int64_t id,
                              const struct store_expert_in *in, const char *fields)
{
    struct store_rows *r = NULL;
    struct region_scope sub;
    store_err e = store_expert_get(c, a, id, 0, &r);

    store_rows_free(r);
    if (e == STORE_OK && in->region_id)
        e = store_region_narrow(c, a, in->region_id, &sub);
    if (e != STORE_OK)
        return e;
    e = store_begin(c, 1);
    if (e != STORE_OK)
        return e;
    e = store_write_audited(
        c, a,
        "UPDATE experts SET name = COALESCE($2, name), specialty = COALESCE($3, specialty),"
        " industry = COALESCE($4, industry), title = COALESCE($5, title), phone = COALESCE($6,"
        " phone), availability = COALESCE($7, availability), region_id = COALESCE($8,"
        " region_id), note = COALESCE($9, note), updated_at = $10 WHERE id = $1",
        STORE_PARAMS(SP_INT(id), SP_TEXT(in->name), SP_TEXT(in->specialty), SP_TEXT(in->industry),
                     SP_TEXT(in->title), SP_TEXT(NULL), SP_TEXT(in->availability),
                     in->region_id ? SP_INT(in->region_id) : SP_NULL, SP_TEXT(in->note),
                     SP_INT(store_now_ms())),
        "update", "expert", id, fields, NULL);
    if (e == STORE_OK)
        e = store_staff_phone_put(c, "experts", id, in->phone);
    return store_end(c, e);
}

#define EXPERT_WHERE                                                                               \
    " WHERE r.path >= $1 AND r.path < $2"                                                          \
    " AND (CAST($3 AS TEXT) IS NULL OR x.name LIKE '%' || $3 || '%'"                               \
    " OR x.title LIKE '%' || $3 || '%')"                                                           \
    " AND (CAST($4 AS TEXT) IS NULL OR x.specialty = $4)"                                          \
    " AND (CAST($5 AS TEXT) IS NULL OR x.availability = $5)"

store_err store_expert_list(struct store_conn *c, const struct store_actor *a,
                            const struct store_expert_filter *f, const struct store_page *pg,
                            struct store_rows **out)
{
    struct region_scope sub;
    store_err e = store_region_narrow(c, a, f->region_id, &sub);

    if (e != STORE_OK)
        return e;
    return store_opened(
        c,
        store_paged(
            c, "SELECT COUNT(*) FROM experts x JOIN regions r ON r.id = x.region_id" EXPERT_WHERE,
            EXPERT_COLS EXPERT_WHERE " ORDER BY x.id LIMIT $6 OFFSET $7",
            STORE_PARAMS(SP_TEXT(sub.lo), SP_TEXT(sub.hi), SP_TEXT(f->q), SP_TEXT(f->specialty),
                         SP_TEXT(f->availability)),
            pg, EXPERT_TYPES, out),
        out);
}

/* ---- grid workers ---- */

#define GRID_COLS                                                                                  \
    "SELECT g.id, g.name, COALESCE(g.phone_sealed, g.phone) AS phone, g.grid_id, r.name AS "       \
    "grid_name, v.name AS village_name,"                                                           \
    " g.user_id, g.status, g.created_at FROM grid_workers g JOIN regions r ON r.id = g.grid_id"    \
    " LEFT JOIN regions v ON v.id = r.parent_id"
#define GRID_TYPES "ittittits"

/* The grid must be a region of level grid in scope. */
static store_err grid_in_scope(struct store_conn *c, const struct store_actor *a, int64_t id)
{
    char path[REGION_PATH_MAX], level[16];
    store_err e = store_region_path(c, a, id, path, sizeof path, level, sizeof level);

    if (e == STORE_NOT_FOUND)
        return store_conn_invalid(c, "grid_id", "not_found",
                                  "grid does not exist or is outside your scope");
    if (e == STORE_OK && strcmp(level, "grid") != 0)
        return store_conn_invalid(c, "grid_id", "invalid", "the region is not a grid");
    return e;
}

store_err store_grid_worker_create(struct store_conn *c, const struct store_actor *a,
                                   const struct store_grid_worker_in *in, int64_t *id)
{
    store_err e = grid_in_scope(c, a, in->grid_id);

    if (e == STORE_OK)
        e = user_in_scope(c, a, in->user_id);
    if (e != STORE_OK)
        return e;
    e = store_begin(c, 1);
    if (e != STORE_OK)
        return e;
    e = store_write_audited(
        c, a,
        "INSERT INTO grid_workers (name, phone, grid_id, user_id, status, created_at, updated_at)"
        " VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING id",
        STORE_PARAMS(SP_TEXT(in->name), SP_TEXT(NULL), SP_INT(in->grid_id),
                     in->user_id ? SP_INT(in->user_id) : SP_NULL,
                     SP_TEXT(in->status ? in->status : "active"), SP_INT(store_now_ms())),
        "create", "grid_worker", 0, "name,phone,grid_id,user_id,status", id);
    if (e == STORE_OK)
        e = store_staff_phone_put(c, "grid_workers", *id, in->phone);
    return store_end(c, e);
}

store_err store_grid_worker_get(struct store_conn *c, const struct store_actor *a, int64_t id,
                                struct store_rows **out)
{
    return store_opened(
        c,
        store_one(c, GRID_COLS " WHERE g.id = $1 AND r.path >= $2 AND r.path < $3",
                  STORE_PARAMS(SP_INT(id), SP_TEXT(a->scope.lo), SP_TEXT(a->scope.hi)), GRID_TYPES,
                  "grid worker", out),
        out);
}

store_err store_grid_worker_update(struct store_conn *c, const struct store_actor *a, int64_t id,
                                   const struct store_grid_worker_in *in, const char *fields)
{
    struct store_rows *r = NULL;
    store_err e = store_grid_worker_get(c, a, id, &r);

    store_rows_free(r);
    if (e == STORE_OK && in->grid_id)
        e = grid_in_scope(c, a, in->grid_id);
    if (e == STORE_OK)
        e = user_in_scope(c, a, in->user_id);
    if (e != STORE_OK)
        return e;
    e = store_begin(c, 1);
    if (e != STORE_OK)
        return e;
    e = store_write_audited(
        c, a,
        "UPDATE grid_workers SET name = COALESCE($2, name), phone = COALESCE($3, phone),"
        " grid_id = COALESCE($4, grid_id), user_id = COALESCE($5, user_id),"
        " status = COALESCE($6, status), updated_at = $7 WHERE id = $1",
        STORE_PARAMS(SP_INT(id), SP_TEXT(in->name), SP_TEXT(NULL),
                     in->grid_id ? SP_INT(in->grid_id) : SP_NULL,
                     in->user_id ? SP_INT(in->user_id) : SP_NULL, SP_TEXT(in->status),
                     SP_INT(store_now_ms())),
        "update", "grid_worker", id, fields, NULL);
    if (e == STORE_OK)
        e = store_staff_phone_put(c, "grid_workers", id, in->phone);
    return store_end(c, e);
}

#define GRID_WHERE                                                                                 \
    " WHERE r.path >= $1 AND r.path < $2"                                                          \
    " AND (CAST($3 AS TEXT) IS NULL OR g.name LIKE '%' || $3 || '%')"

store_err store_grid_worker_list(struct store_conn *c, const struct store_actor *a,
                                 int64_t region_id, const char *q, const struct store_page *pg,
                                 struct store_rows **out)
{
    struct region_scope sub;
    store_err e = store_region_narrow(c, a, region_id, &sub);

    if (e != STORE_OK)
        return e;
    return store_opened(
        c,
        store_paged(
            c, "SELECT COUNT(*) FROM grid_workers g JOIN regions r ON r.id = g.grid_id" GRID_WHERE,
            GRID_COLS GRID_WHERE " ORDER BY g.id LIMIT $4 OFFSET $5",
            STORE_PARAMS(SP_TEXT(sub.lo), SP_TEXT(sub.hi), SP_TEXT(q)), pg, GRID_TYPES, out),
        out);
}

#include "store/keypersons.h"
#include "store/audit.h"
#include "store/regions.h"

#include <stdio.h>
#include <string.h>

/* The columns of a key person; the sealed ones are opened and masked by the caller. */
#define KP_COLS                                                                                    \
    "SELECT p.id, p.name_sealed, p.id_sealed, p.phone_sealed, p.gender, p.age, p.reason,"          \
    " p.reason_note, p.region_id, r.name AS region_name, p.responsible_user_id,"                   \
    " u.name AS responsible_name, p.review_every_days, p.next_review_day, p.status,"               \
    " p.created_at, p.updated_at,"                                                                 \
    " (SELECT COUNT(*) FROM key_person_cases kc WHERE kc.key_person_id = p.id) AS cases,"          \
    " (SELECT MAX(m.day) FROM key_person_reminders m WHERE m.key_person_id = p.id)"                \
    " AS reminded_on"
#define KP_FROM                                                                                    \
    " FROM key_persons p JOIN regions r ON r.id = p.region_id"                                     \
    " LEFT JOIN users u ON u.id = p.responsible_user_id"
#define KP_TYPES "ittttittititittssit"

/* The responsible user must be a staff member within the actor's scope. */
static store_err user_in_scope(struct store_conn *c, const struct store_actor *a, int64_t id)
{
    struct store_rows *r = NULL;
    store_err e =
        store_exec(c,
                   "SELECT u.id FROM users u JOIN organizations o ON o.id = u.org_id"
                   " JOIN regions r ON r.id = o.region_id"
                   " WHERE u.id = $1 AND u.active = 1 AND r.path >= $2 AND r.path < $3",
                   STORE_PARAMS(SP_INT(id), SP_TEXT(a->scope.lo), SP_TEXT(a->scope.hi)), &r);

    if (e == STORE_OK && r->nrows == 0)
        e = store_conn_invalid(c, "responsible_user_id", "not_found",
                               "user does not exist or is outside your scope");
    store_rows_free(r);
    return e;
}

/* The region's path into `path`, or region_id not_found outside scope. */
static store_err region_path(struct store_conn *c, const struct store_actor *a, int64_t id,
                             char *path, size_t len)
{
    char level[16];
    store_err e = store_region_path(c, a, id, path, len, level, sizeof level);

    if (e == STORE_NOT_FOUND)
        return store_conn_invalid(c, "region_id", "not_found",
                                  "region does not exist or is outside your scope");
    return e;
}

store_err store_kp_create(struct store_conn *c, const struct store_actor *a,
                          const struct store_kp_in *in, int64_t *id)
{
    struct store_rows *r = NULL;
    char path[REGION_PATH_MAX];
    int64_t now = store_now_ms();
    store_err e = store_begin(c, 1);

    if (e != STORE_OK)
        return e;
    e = region_path(c, a, in->region_id, path, sizeof path);
    if (e == STORE_OK && in->responsible_user_id)
        e = user_in_scope(c, a, in->responsible_user_id);
    if (e == STORE_OK)
        e = store_exec(
            c,
            "INSERT INTO key_persons (name_sealed, id_sealed, id_index, phone_sealed, phone_index,"
            " gender, age, reason, reason_note, region_id, region_path, responsible_user_id,"
            " review_every_days, next_review_day, status, created_by, created_at, updated_at)"
            " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, 'active', $15,"
            " $16, $16) RETURNING id",
            STORE_PARAMS(SP_TEXT(in->name_sealed), SP_TEXT(in->id_sealed), SP_TEXT(in->id_index),
                         SP_TEXT(in->phone_sealed), SP_TEXT(in->phone_index), SP_TEXT(in->gender),
                         in->has_age ? SP_INT(in->age) : SP_NULL, SP_TEXT(in->reason),
                         SP_TEXT(in->reason_note), SP_INT(in->region_id), SP_TEXT(path),
                         in->responsible_user_id ? SP_INT(in->responsible_user_id) : SP_NULL,
                         SP_INT(in->review_every_days), SP_TEXT(in->next_review_day),
                         a->user_id ? SP_INT(a->user_id) : SP_NULL, SP_INT(now)),
            &r);
    if (e == STORE_OK) {
        *id = store_rows_int(r, 0, 0);
        e = store_audit_append(c, a, "create", "key_person", *id,
                               "name,id_number,phone,gender,age,reason,reason_note,region_id,"
                               "responsible_user_id,review_every_days,next_review_day",
                               NULL);
    }
    store_rows_free(r);
    return store_end(c, e);
}

/* Whether the actor may act on key person `id`: STORE_OK, STORE_NOT_FOUND (an overseer,
 * out of scope or no such person) or STORE_FORBIDDEN (anyone else not responsible for it:
 * the same answer for every id, so it tells nothing about which exist). */
static store_err access(struct store_conn *c, const struct store_actor *a, int overseer, int64_t id)
{
    struct store_rows *r = NULL;
    store_err e = store_exec(c,
                             "SELECT id FROM key_persons WHERE id = $1 AND region_path >= $2"
                             " AND region_path < $3 AND ($4 = 1 OR responsible_user_id = $5)",
                             STORE_PARAMS(SP_INT(id), SP_TEXT(a->scope.lo), SP_TEXT(a->scope.hi),
                                          SP_INT(overseer), SP_INT(a->user_id)),
                             &r);

    if (e == STORE_OK && r->nrows == 0) {
        store_conn_seterr(c, overseer ? "key person not found" : "not your key person");
        e = overseer ? STORE_NOT_FOUND : STORE_FORBIDDEN;
    }
    store_rows_free(r);
    return e;
}

store_err store_kp_get(struct store_conn *c, const struct store_actor *a, int overseer, int64_t id,
                       struct store_rows **out)
{
    store_err e = access(c, a, overseer, id);

    if (e != STORE_OK)
        return e;
    return store_one(c, KP_COLS KP_FROM " WHERE p.id = $1", STORE_PARAMS(SP_INT(id)), KP_TYPES,
                     "key person", out);
}

/* The region columns of an update: the new path when the region changes. */
static store_err update_region(struct store_conn *c, const struct store_actor *a,
                               const struct store_kp_in *in, char *path, size_t len)
{
    store_err e = STORE_OK;

    path[0] = '\0';
    if (in->region_id)
        e = region_path(c, a, in->region_id, path, len);
    if (e == STORE_OK && in->responsible_user_id)
        e = user_in_scope(c, a, in->responsible_user_id);
    return e;
}

store_err store_kp_update(struct store_conn *c, const struct store_actor *a, int overseer,
                          int64_t id, const struct store_kp_in *in, const char *fields)
{
    char path[REGION_PATH_MAX];
    store_err e = store_begin(c, 1);

    if (e != STORE_OK)
        return e;
    e = access(c, a, overseer, id);
    if (e == STORE_OK)
        e = update_region(c, a, in, path, sizeof path);
    if (e == STORE_OK)
        e = store_exec(
            c,
            "UPDATE key_persons SET name_sealed = COALESCE($2, name_sealed),"
            " id_sealed = COALESCE($3, id_sealed), id_index = COALESCE($4, id_index),"
            " phone_sealed = COALESCE($5, phone_sealed), phone_index = COALESCE($6, phone_index),"
            " gender = COALESCE($7, gender), age = COALESCE($8, age),"
            " reason = COALESCE($9, reason), reason_note = COALESCE($10, reason_note),"
            " region_id = COALESCE($11, region_id), region_path = COALESCE($12, region_path),"
            " responsible_user_id = COALESCE($13, responsible_user_id),"
            " review_every_days = COALESCE($14, review_every_days),"
            " next_review_day = COALESCE($15, next_review_day), status = COALESCE($16, status),"
            " updated_at = $17 WHERE id = $1",
            STORE_PARAMS(SP_INT(id), SP_TEXT(in->name_sealed), SP_TEXT(in->id_sealed),
                         SP_TEXT(in->id_index), SP_TEXT(in->phone_sealed), SP_TEXT(in->phone_index),
                         SP_TEXT(in->gender), in->has_age ? SP_INT(in->age) : SP_NULL,
                         SP_TEXT(in->reason), SP_TEXT(in->reason_note),
                         in->region_id ? SP_INT(in->region_id) : SP_NULL,
                         SP_TEXT(path[0] ? path : NULL),
                         in->responsible_user_id ? SP_INT(in->responsible_user_id) : SP_NULL,
                         in->review_every_days ? SP_INT(in->review_every_days) : SP_NULL,
                         SP_TEXT(in->next_review_day), SP_TEXT(in->status), SP_INT(store_now_ms())),
            NULL);
    if (e == STORE_OK)
        e = store_audit_append(c, a, "update", "key_person", id, fields, NULL);
    return store_end(c, e);
}

store_err store_kp_list(struct store_conn *c, const struct store_actor *a,
                        const struct store_kp_filter *f, const struct store_page *pg,
                        struct store_rows **out)
{
    struct region_scope scope;
    struct store_where w;
    store_err e = store_region_narrow(c, a, f->region_id, &scope);

    if (e != STORE_OK)
        return e;
    store_where_init(&w);
    store_where_add(&w, "p.region_path >= ? AND p.region_path < ?",
                    STORE_PARAMS(SP_TEXT(scope.lo), SP_TEXT(scope.hi)));
    if (f->reason)
        store_where_add(&w, "p.reason = ?", STORE_PARAMS(SP_TEXT(f->reason)));
    if (f->status)
        store_where_add(&w, "p.status = ?", STORE_PARAMS(SP_TEXT(f->status)));
    if (f->due_by)
        store_where_add(&w, "p.status = 'active' AND p.next_review_day <= ?",
                        STORE_PARAMS(SP_TEXT(f->due_by)));
    return store_where_paged(c, &w, &w, "SELECT COUNT(*) FROM key_persons p", KP_COLS KP_FROM,
                             "ORDER BY p.next_review_day, p.id", pg, KP_TYPES, out);
}

store_err store_kp_cases(struct store_conn *c, int64_t id, struct store_rows **out)
{
    store_err e = store_exec(c,
                             "SELECT k.id, k.number, k.category, k.state, k.risk, kc.how,"
                             " kc.linked_at FROM key_person_cases kc JOIN cases k ON"
                             " k.id = kc.case_id WHERE kc.key_person_id = $1 ORDER BY kc.linked_at"
                             " DESC, k.id DESC",
                             STORE_PARAMS(SP_INT(id)), out);

    if (e == STORE_OK)
        (*out)->types = "ittttts";
    return e;
}

store_err store_kp_reviews(struct store_conn *c, int64_t id, struct store_rows **out)
{
    store_err e = store_exec(c,
                             "SELECT v.id, v.day, v.by_user_id, u.name AS by_name, v.note, v.at"
                             " FROM key_person_reviews v LEFT JOIN users u ON u.id = v.by_user_id"
                             " WHERE v.key_person_id = $1 ORDER BY v.id DESC",
                             STORE_PARAMS(SP_INT(id)), out);

    if (e == STORE_OK)
        (*out)->types = "ititts";
    return e;
}

store_err store_kp_review_add(struct store_conn *c, const struct store_actor *a, int overseer,
                              int64_t id, const char *day, const char *note, const char *next_day)
{
    int64_t now = store_now_ms();
    store_err e = store_begin(c, 1);

    if (e != STORE_OK)
        return e;
    e = access(c, a, overseer, id);
    if (e == STORE_OK)
        e = store_exec(c,
                       "INSERT INTO key_person_reviews (key_person_id, day, by_user_id, note, at)"
                       " VALUES ($1, $2, $3, $4, $5)",
                       STORE_PARAMS(SP_INT(id), SP_TEXT(day),
                                    a->user_id ? SP_INT(a->user_id) : SP_NULL, SP_TEXT(note),
                                    SP_INT(now)),
                       NULL);
    if (e == STORE_OK)
        e = store_exec(c,
                       "UPDATE key_persons SET next_review_day = $2, updated_at = $3 WHERE id = $1",
                       STORE_PARAMS(SP_INT(id), SP_TEXT(next_day), SP_INT(now)), NULL);
    if (e == STORE_OK)
        e = store_audit_append(c, a, "review", "key_person", id, "next_review_day", NULL);
    return store_end(c, e);
}

/* The case must be one the actor may see. */
static store_err case_in_scope(struct store_conn *c, const struct store_actor *a, int64_t case_id)
{
    struct store_rows *r = NULL;
    store_err e = store_exec(
        c, "SELECT id FROM cases WHERE id = $1 AND region_path >= $2 AND region_path < $3",
        STORE_PARAMS(SP_INT(case_id), SP_TEXT(a->scope.lo), SP_TEXT(a->scope.hi)), &r);

    if (e == STORE_OK && r->nrows == 0)
        e = store_conn_invalid(c, "case_id", "not_found",
                               "case does not exist or is outside your scope");
    store_rows_free(r);
    return e;
}

store_err store_kp_link(struct store_conn *c, const struct store_actor *a, int overseer, int64_t id,
                        int64_t case_id, int *linked)
{
    struct store_rows *r = NULL;
    store_err e = store_begin(c, 1);

    *linked = 0;
    if (e != STORE_OK)
        return e;
    e = access(c, a, overseer, id);
    if (e == STORE_OK)
        e = case_in_scope(c, a, case_id);
    if (e == STORE_OK)
        e = store_exec(c,
                       "INSERT INTO key_person_cases (key_person_id, case_id, linked_at, how)"
                       " VALUES ($1, $2, $3, 'manual') ON CONFLICT DO NOTHING RETURNING case_id",
                       STORE_PARAMS(SP_INT(id), SP_INT(case_id), SP_INT(store_now_ms())), &r);
    if (e == STORE_OK)
        *linked = r->nrows > 0;
    if (e == STORE_OK && *linked)
        e = store_audit_append(c, a, "link", "key_person", id, "case_id", NULL);
    store_rows_free(r);
    return store_end(c, e);
}

store_err store_kp_audit(struct store_conn *c, const struct store_actor *a, const char *action,
                         int64_t id, const char *fields, const char *detail)
{
    store_err e = store_begin(c, 1);

    if (e != STORE_OK)
        return e;
    return store_end(c, store_audit_append(c, a, action, "key_person", id, fields, detail));
}

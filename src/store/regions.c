#include "store/regions.h"
#include "store/audit.h"

#include <stdio.h>
#include <string.h>

#define REGION_COLS                                                                                \
    "r.id, r.code, r.name, r.level, r.parent_id, r.population,"                                    \
    " EXISTS (SELECT 1 FROM regions k WHERE k.parent_id = r.id) AS has_children"
#define REGION_TYPES "itttiib"

store_err store_region_create(struct store_conn *c, const struct store_actor *a,
                              const struct store_region_in *in, int64_t *id)
{
    struct store_rows *parent = NULL, *ins = NULL;
    char path[REGION_PATH_MAX];
    int64_t now = store_now_ms();
    store_err e;

    e = store_begin(c, 1);
    if (e != STORE_OK)
        return e;
    if (in->parent_id) {
        e = store_exec(
            c, "SELECT path, level FROM regions WHERE id = $1 AND path >= $2 AND path < $3", 3,
            (struct store_param[]){SP_INT(in->parent_id), SP_TEXT(a->scope.lo),
                                   SP_TEXT(a->scope.hi)},
            &parent);
        if (e != STORE_OK)
            goto out;
        if (parent->nrows == 0) {
            e = store_conn_invalid(c, "parent_id", "not_found",
                                   "parent region does not exist or is outside your scope");
            goto out;
        }
        if (!region_level_child_ok(region_level_parse(store_rows_get(parent, 0, 1)), in->level)) {
            e = store_conn_invalid(c, "level", "invalid",
                                   "level must be the one directly below the parent's level");
            goto out;
        }
    } else if (strcmp(a->scope.lo, "/") != 0) {
        e = store_conn_invalid(c, "parent_id", "required", "only a top-level actor adds roots");
        goto out;
    }
    if (region_path_child(parent ? store_rows_get(parent, 0, 0) : NULL, in->code, path,
                          sizeof path) != 0) {
        e = store_conn_invalid(c, "parent_id", "invalid", "region tree too deep");
        goto out;
    }
    e = store_exec(c,
                   "INSERT INTO regions (code, name, level, parent_id, path, population,"
                   " created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $7) RETURNING id",
                   7,
                   (struct store_param[]){
                       SP_TEXT(in->code), SP_TEXT(in->name), SP_TEXT(region_level_name(in->level)),
                       in->parent_id ? SP_INT(in->parent_id) : SP_NULL, SP_TEXT(path),
                       in->population >= 0 ? SP_INT(in->population) : SP_NULL, SP_INT(now)},
                   &ins);
    if (e == STORE_CONFLICT)
        (void)store_conn_invalid(c, "code", "conflict", "a region with this code already exists");
    if (e != STORE_OK)
        goto out;
    *id = store_rows_int(ins, 0, 0);
    e = store_audit_append(c, a, "create", "region", *id, "code,name,level,parent_id,population",
                           NULL);
out:
    store_rows_free(parent);
    store_rows_free(ins);
    return store_end(c, e);
}

store_err store_region_get(struct store_conn *c, const struct store_actor *a, int64_t id,
                           struct store_rows **out)
{
    store_err e = store_exec(
        c,
        "SELECT " REGION_COLS " FROM regions r"
        " WHERE r.id = $1 AND r.path >= $2 AND r.path < $3",
        3, (struct store_param[]){SP_INT(id), SP_TEXT(a->scope.lo), SP_TEXT(a->scope.hi)}, out);
    if (e != STORE_OK)
        return e;
    (*out)->types = REGION_TYPES;
    if ((*out)->nrows == 0) {
        store_rows_free(*out);
        *out = NULL;
        store_conn_seterr(c, "region %lld not found", (long long)id);
        return STORE_NOT_FOUND;
    }
    return STORE_OK;
}

/* Children of $3, or (when $3 is NULL) regions in scope whose parent is not in scope. */
#define REGION_LIST_WHERE                                                                          \
    " FROM regions r WHERE r.path >= $1 AND r.path < $2"                                           \
    " AND (r.parent_id = $3 OR (CAST($3 AS BIGINT) IS NULL AND (r.parent_id IS NULL OR NOT EXISTS" \
    " (SELECT 1 FROM regions p WHERE p.id = r.parent_id AND p.path >= $1 AND p.path < $2))))"

store_err store_region_list(struct store_conn *c, const struct store_actor *a, int64_t parent_id,
                            const struct store_page *pg, struct store_rows **out)
{
    struct store_param p[] = {SP_TEXT(a->scope.lo), SP_TEXT(a->scope.hi),
                              parent_id ? SP_INT(parent_id) : SP_NULL};
    return store_paged(c, "SELECT COUNT(*)" REGION_LIST_WHERE,
                       "SELECT " REGION_COLS REGION_LIST_WHERE
                       " ORDER BY r.code LIMIT $4 OFFSET $5",
                       3, p, pg, REGION_TYPES, out);
}

store_err store_region_subtree(struct store_conn *c, const struct store_actor *a, int64_t id,
                               struct region_scope *out)
{
    struct store_rows *r = NULL;
    store_err e = store_exec(
        c, "SELECT path FROM regions WHERE id = $1 AND path >= $2 AND path < $3", 3,
        (struct store_param[]){SP_INT(id), SP_TEXT(a->scope.lo), SP_TEXT(a->scope.hi)}, &r);

    if (e == STORE_OK && (r->nrows == 0 || region_scope_from_path(store_rows_get(r, 0, 0), out))) {
        store_conn_seterr(c, "region %lld not found", (long long)id);
        e = STORE_NOT_FOUND;
    }
    store_rows_free(r);
    return e;
}

store_err store_region_narrow(struct store_conn *c, const struct store_actor *a, int64_t region_id,
                              struct region_scope *out)
{
    store_err e;

    *out = a->scope;
    if (!region_id)
        return STORE_OK;
    e = store_region_subtree(c, a, region_id, out);
    if (e == STORE_NOT_FOUND)
        return store_conn_invalid(c, "region_id", "not_found",
                                  "region does not exist or is outside your scope");
    return e;
}

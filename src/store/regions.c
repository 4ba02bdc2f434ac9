#include "store/regions.h"
#include "store/audit.h"
#include "store/cases.h"

#include <stdio.h>
#include <string.h>

#define REGION_COLS                                                                                \
    "r.id, r.code, r.name, r.level, r.parent_id, r.population, r.population_synthetic,"            \
    " EXISTS (SELECT 1 FROM regions k WHERE k.parent_id = r.id) AS has_children, r.court"
#define REGION_TYPES "itttiibbt"

/* Inserts one region inside the caller's transaction. */
static store_err insert_one(struct store_conn *c, const struct store_actor *a,
                            const struct store_region_in *in, int64_t now, int64_t *id)
{
    struct store_rows *parent = NULL, *ins = NULL;
    char path[REGION_PATH_MAX];
    store_err e = STORE_OK;

    if (in->parent_id || in->parent_code) {
        e = store_exec(c,
                       "SELECT path, level FROM regions WHERE (id = $1 OR code = $4)"
                       " AND path >= $2 AND path < $3",
                       STORE_PARAMS(SP_INT(in->parent_id), SP_TEXT(a->scope.lo),
                                    SP_TEXT(a->scope.hi),
                                    SP_TEXT(in->parent_id ? NULL : in->parent_code)),
                       &parent);
        if (e != STORE_OK)
            goto out;
        if (parent->nrows == 0) {
            e = store_conn_invalid(c, in->parent_id ? "parent_id" : "parent_code", "not_found",
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
                   " population_synthetic, court, created_at, updated_at)"
                   " VALUES ($1, $2, $3, (SELECT id FROM regions WHERE path = $8), $4, $5, $6,"
                   " $9, $7, $7) RETURNING id",
                   STORE_PARAMS(SP_TEXT(in->code), SP_TEXT(in->name),
                                SP_TEXT(region_level_name(in->level)), SP_TEXT(path),
                                in->population >= 0 ? SP_INT(in->population) : SP_NULL,
                                SP_INT(in->synthetic), SP_INT(now),
                                SP_TEXT(parent ? store_rows_get(parent, 0, 0) : NULL),
                                SP_TEXT(in->court && *in->court ? in->court : NULL)),
                   &ins);
    if (e == STORE_CONFLICT)
        (void)store_conn_invalid(c, "code", "conflict", "a region with this code already exists");
    if (e == STORE_OK)
        *id = store_rows_int(ins, 0, 0);
out:
    store_rows_free(parent);
    store_rows_free(ins);
    return e;
}

store_err store_region_create(struct store_conn *c, const struct store_actor *a,
                              const struct store_region_in *in, int64_t *id)
{
    store_err e = store_begin(c, 1);

    if (e != STORE_OK)
        return e;
    e = insert_one(c, a, in, store_now_ms(), id);
    if (e == STORE_OK)
        e = store_audit_append(c, a, "create", "region", *id,
                               in->court && *in->court
                                   ? "code,name,level,parent_id,population,court"
                                   : "code,name,level,parent_id,population",
                               NULL);
    return store_end(c, e);
}

store_err store_region_import(struct store_conn *c, const struct store_actor *a,
                              const struct store_region_in *in, int n, const int *rownums)
{
    int64_t now = store_now_ms(), id = 0;
    store_err e = store_begin(c, 1);

    if (e != STORE_OK)
        return e;
    for (int i = 0; e == STORE_OK && i < n; i++) {
        e = insert_one(c, a, &in[i], now, &id);
        if (e == STORE_OK)
            e = store_audit_append(c, a, "create", "region", id,
                                   in[i].court && *in[i].court
                                       ? "code,name,level,parent_id,population,court"
                                       : "code,name,level,parent_id,population",
                                   "import");
        if (e == STORE_INVALID || e == STORE_CONFLICT)
            store_conn_prefix_row(c, rownums ? rownums[i] : i + 1);
    }
    return store_end(c, e);
}

store_err store_region_get(struct store_conn *c, const struct store_actor *a, int64_t id,
                           struct store_rows **out)
{
    store_err e =
        store_exec(c,
                   "SELECT " REGION_COLS " FROM regions r"
                   " WHERE r.id = $1 AND r.path >= $2 AND r.path < $3",
                   STORE_PARAMS(SP_INT(id), SP_TEXT(a->scope.lo), SP_TEXT(a->scope.hi)), out);
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

/*
 * Three shapes, so that each is answered from an index at the national tree's size (665,000
 * regions): the children of $3 by the parent index; the top of the actor's tree (the roots,
 * or the region at the scope's own path) by the parent index and the path; a name or level
 * search within the scope's path range. A single WHERE with ORs over NULL parameters made
 * SQLite walk the whole scope's range to list one region's children.
 */
#define REGION_LIST_FILTERS                                                                        \
    " AND (CAST($4 AS TEXT) IS NULL OR r.name LIKE '%' || $4 || '%')"                              \
    " AND (CAST($5 AS TEXT) IS NULL OR r.level = $5)"
#define REGION_LIST_CHILDREN                                                                       \
    " FROM regions r WHERE r.parent_id = $3 AND r.path >= $1 AND r.path < $2" REGION_LIST_FILTERS
/* A region in scope whose parent is not is the one at the scope's path (paths are built
 * segment by segment), or a root when the scope is the whole tree. */
#define REGION_LIST_TOP                                                                            \
    " FROM regions r WHERE (r.path = $1 OR (r.parent_id IS NULL AND r.path >= $1 AND r.path < "    \
    "$2))"                                                                                         \
    " AND (CAST($3 AS BIGINT) IS NULL)" REGION_LIST_FILTERS
#define REGION_LIST_SEARCH                                                                         \
    " FROM regions r WHERE r.path >= $1 AND r.path < $2 AND (CAST($3 AS BIGINT) IS "               \
    "NULL)" REGION_LIST_FILTERS

store_err store_region_list(struct store_conn *c, const struct store_actor *a,
                            const struct store_region_filter *f, const struct store_page *pg,
                            struct store_rows **out)
{
    struct store_param p[] = {SP_TEXT(a->scope.lo), SP_TEXT(a->scope.hi),
                              f->parent_id ? SP_INT(f->parent_id) : SP_NULL, SP_TEXT(f->q),
                              SP_TEXT(f->level)};

    if (f->parent_id)
        return store_paged(c, "SELECT COUNT(*)" REGION_LIST_CHILDREN,
                           "SELECT " REGION_COLS REGION_LIST_CHILDREN
                           " ORDER BY r.path LIMIT $6 OFFSET $7",
                           5, p, pg, REGION_TYPES, out);
    if (!f->q && !f->level)
        return store_paged(c, "SELECT COUNT(*)" REGION_LIST_TOP,
                           "SELECT " REGION_COLS REGION_LIST_TOP
                           " ORDER BY r.path LIMIT $6 OFFSET $7",
                           5, p, pg, REGION_TYPES, out);
    return store_paged(c, "SELECT COUNT(*)" REGION_LIST_SEARCH,
                       "SELECT " REGION_COLS REGION_LIST_SEARCH
                       " ORDER BY r.path LIMIT $6 OFFSET $7",
                       5, p, pg, REGION_TYPES, out);
}

store_err store_region_path(struct store_conn *c, const struct store_actor *a, int64_t id,
                            char *path, size_t len, char *level, size_t levellen)
{
    struct store_rows *r = NULL;
    store_err e = store_one(
        c, "SELECT path, level FROM regions WHERE id = $1 AND path >= $2 AND path < $3",
        STORE_PARAMS(SP_INT(id), SP_TEXT(a->scope.lo), SP_TEXT(a->scope.hi)), "tt", "region", &r);

    if (e == STORE_OK) {
        snprintf(path, len, "%s", store_rows_get(r, 0, 0));
        if (level)
            snprintf(level, levellen, "%s", store_rows_get(r, 0, 1));
    }
    store_rows_free(r);
    return e;
}

store_err store_region_ancestors(struct store_conn *c, const struct store_actor *a, int64_t id,
                                 struct store_rows **out)
{
    char path[REGION_PATH_MAX], prefixes[8][REGION_PATH_MAX];
    struct store_param p[10];
    int n = 0;
    store_err e = store_region_path(c, a, id, path, sizeof path, NULL, 0);

    if (e != STORE_OK)
        return e;
    /* The ancestors' paths are the proper prefixes of this path that end in '/'; the tree
     * is at most six levels deep, so they fit in a fixed list for an indexed lookup. */
    for (size_t i = 1; path[i] && n < 8; i++) {
        if (path[i] == '/' && path[i + 1]) {
            memcpy(prefixes[n], path, i + 1);
            prefixes[n][i + 1] = '\0';
            n++;
        }
    }
    p[0] = SP_TEXT(a->scope.lo);
    p[1] = SP_TEXT(a->scope.hi);
    for (int i = 0; i < 8; i++)
        p[2 + i] = i < n ? SP_TEXT(prefixes[i]) : SP_NULL;
    e = store_exec(c,
                   "SELECT " REGION_COLS " FROM regions r WHERE r.path >= $1 AND r.path < $2"
                   " AND r.path IN ($3, $4, $5, $6, $7, $8, $9, $10) ORDER BY r.path",
                   10, p, out);
    if (e == STORE_OK)
        (*out)->types = REGION_TYPES;
    return e;
}

store_err store_region_update(struct store_conn *c, const struct store_actor *a, int64_t id,
                              const char *name, int64_t population, const char *court,
                              const char *fields)
{
    char path[REGION_PATH_MAX];
    store_err e = store_region_path(c, a, id, path, sizeof path, NULL, 0);

    if (e != STORE_OK)
        return e;
    return store_write_audited(
        c, a,
        "UPDATE regions SET name = COALESCE($2, name), population = COALESCE($3, population),"
        " population_synthetic = CASE WHEN $3 IS NULL THEN population_synthetic ELSE 0 END,"
        " court = CASE WHEN CAST($5 AS TEXT) IS NULL THEN court ELSE NULLIF($5, '') END,"
        " updated_at = $4 WHERE id = $1",
        STORE_PARAMS(SP_INT(id), SP_TEXT(name), population >= 0 ? SP_INT(population) : SP_NULL,
                     SP_INT(store_now_ms()), SP_TEXT(court)),
        "update", "region", id, fields, NULL);
}

store_err store_region_subtree(struct store_conn *c, const struct store_actor *a, int64_t id,
                               struct region_scope *out)
{
    struct store_rows *r = NULL;
    store_err e =
        store_exec(c, "SELECT path FROM regions WHERE id = $1 AND path >= $2 AND path < $3",
                   STORE_PARAMS(SP_INT(id), SP_TEXT(a->scope.lo), SP_TEXT(a->scope.hi)), &r);

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

store_err store_region_by_code(struct store_conn *c, const struct store_actor *a, const char *code,
                               int64_t *id)
{
    struct store_rows *r = NULL;
    store_err e = store_one(
        c, "SELECT id FROM regions WHERE code = $1 AND path >= $2 AND path < $3",
        STORE_PARAMS(SP_TEXT(code), SP_TEXT(a->scope.lo), SP_TEXT(a->scope.hi)), "i", "region", &r);

    if (e == STORE_OK)
        *id = store_rows_int(r, 0, 0);
    store_rows_free(r);
    return e;
}

store_err store_region_export(struct store_conn *c, const struct store_actor *a,
                              struct store_rows **out)
{
    return store_exec(c,
                      "SELECT r.code, r.name, r.level, p.code AS parent_code, r.population,"
                      " r.court"
                      " FROM regions r LEFT JOIN regions p ON p.id = r.parent_id"
                      " WHERE r.path >= $1 AND r.path < $2 ORDER BY r.path LIMIT 100000",
                      STORE_PARAMS(SP_TEXT(a->scope.lo), SP_TEXT(a->scope.hi)), out);
}

store_err store_region_places(struct store_conn *c, const struct store_actor *a,
                              struct store_rows **out)
{
    return store_exec(c,
                      "SELECT id, path, level FROM regions WHERE level IN ('village', 'grid')"
                      " AND path >= $1 AND path < $2 ORDER BY path",
                      STORE_PARAMS(SP_TEXT(a->scope.lo), SP_TEXT(a->scope.hi)), out);
}

store_err store_region_court(struct store_conn *c, int64_t id, char *court, size_t len)
{
    char path[REGION_PATH_MAX], prefixes[8][REGION_PATH_MAX];
    struct store_param p[8];
    struct store_actor everyone;
    struct store_rows *r = NULL;
    int n = 0;
    store_err e;

    court[0] = '\0';
    /* Read as the system: the court of a county above the caller's scope (a village
     * mediator's case is confirmed by the county court) is public knowledge. */
    store_actor_system(&everyone);
    e = store_region_path(c, &everyone, id, path, sizeof path, NULL, 0);
    if (e != STORE_OK)
        return e;
    /* The region and its ancestors are the prefixes of its path ending in '/' (at most six
     * levels): an indexed lookup, the deepest court first. */
    for (size_t i = 1; path[i] && n < 8; i++) {
        if (path[i] == '/') {
            memcpy(prefixes[n], path, i + 1);
            prefixes[n][i + 1] = '\0';
            n++;
        }
    }
    for (int i = 0; i < 8; i++)
        p[i] = i < n ? SP_TEXT(prefixes[i]) : SP_NULL;
    e = store_exec(c,
                   "SELECT court FROM regions WHERE path IN ($1, $2, $3, $4, $5, $6, $7, $8)"
                   " AND court IS NOT NULL AND court <> '' ORDER BY path DESC LIMIT 1",
                   8, p, &r);
    if (e == STORE_OK && r->nrows > 0)
        snprintf(court, len, "%s", store_rows_get(r, 0, 0));
    store_rows_free(r);
    return e;
}

/* Columns holding region paths: every `path` or `*_path` column of a table, found in the
 * catalogue so that a table added later is moved too. The audit log is left out: it
 * records the scope an actor had at the time, and is never rewritten. */
#define PATH_COLUMNS_SQLITE                                                                        \
    "SELECT m.name, p.name FROM sqlite_master m JOIN pragma_table_info(m.name) p"                  \
    " WHERE m.type = 'table' AND (p.name = 'path' OR p.name LIKE '%\\_path' ESCAPE '\\')"          \
    " AND m.name <> 'audit_log' ORDER BY 1, 2"
#define PATH_COLUMNS_PG                                                                            \
    "SELECT c.table_name, c.column_name FROM information_schema.columns c"                         \
    " JOIN information_schema.tables t ON t.table_schema = c.table_schema"                         \
    " AND t.table_name = c.table_name AND t.table_type = 'BASE TABLE'"                             \
    " WHERE c.table_schema = current_schema() AND (c.column_name = 'path'"                         \
    " OR c.column_name LIKE '%\\_path' ESCAPE '\\') AND c.table_name <> 'audit_log'"               \
    " AND NOT EXISTS (SELECT 1 FROM pg_inherits i JOIN pg_class k ON k.oid = i.inhrelid"           \
    " WHERE k.relname = c.table_name) ORDER BY 1, 2"

/*
 * Re-hangs the subtree at old_path so that it sits at new_path, under parent_id: rewrites
 * the prefix of every region path below it and of every copy of those paths (cases,
 * alerts, reports...), so that scope checks keep matching. Ids do not change.
 */
static store_err move_subtree(struct store_conn *c, int64_t id, int64_t parent_id,
                              const char *old_path, const char *new_path)
{
    struct store_rows *cols = NULL;
    struct region_scope old, moved;
    char sql[512];
    store_err e;

    if (region_scope_from_path(old_path, &old) != 0)
        return store_conn_invalid(c, "code", "invalid", "malformed region path");
    e = store_exec(c, store_conn_kind(c) == STORE_PG ? PATH_COLUMNS_PG : PATH_COLUMNS_SQLITE, 0,
                   NULL, &cols);
    for (int i = 0; e == STORE_OK && i < cols->nrows; i++) {
        /* Identifiers from the catalogue, not from input. */
        snprintf(sql, sizeof sql,
                 "UPDATE %s SET %s = $1 || substr(%s, $2) WHERE %s >= $3 AND %s < $4",
                 store_rows_get(cols, i, 0), store_rows_get(cols, i, 1), store_rows_get(cols, i, 1),
                 store_rows_get(cols, i, 1), store_rows_get(cols, i, 1));
        e = store_exec(c, sql,
                       STORE_PARAMS(SP_TEXT(new_path), SP_INT((int64_t)strlen(old_path) + 1),
                                    SP_TEXT(old.lo), SP_TEXT(old.hi)),
                       NULL);
    }
    /* The search rows hold a token per region above a case (store/cases.c): the moved
     * cases gain their new ancestors' tokens. */
    if (e == STORE_OK && region_scope_from_path(new_path, &moved) != 0)
        e = store_conn_invalid(c, "code", "invalid", "malformed region path");
    if (e == STORE_OK)
        e = store_case_rescope(c, &moved);
    if (e == STORE_OK)
        e = store_exec(c, "UPDATE regions SET parent_id = $2, updated_at = $3 WHERE id = $1",
                       STORE_PARAMS(SP_INT(id), parent_id ? SP_INT(parent_id) : SP_NULL,
                                    SP_INT(store_now_ms())),
                       NULL);
    store_rows_free(cols);
    return e;
}

/* The parent a loaded row names, remembered across rows: siblings come together. */
struct load_parent {
    char code[REGION_CODE_MAX];
    char path[REGION_PATH_MAX];
    int64_t id;
    int level;
};

static store_err load_parent(struct store_conn *c, const char *code, struct load_parent *p)
{
    struct store_rows *r = NULL;
    store_err e;

    if (strcmp(p->code, code) == 0)
        return STORE_OK;
    e = store_exec(c, "SELECT id, path, level FROM regions WHERE code = $1",
                   STORE_PARAMS(SP_TEXT(code)), &r);
    if (e == STORE_OK && r->nrows == 0)
        e = store_conn_invalid(c, "parent_code", "not_found", "parent region does not exist");
    if (e == STORE_OK) {
        snprintf(p->code, sizeof p->code, "%s", code);
        snprintf(p->path, sizeof p->path, "%s", store_rows_get(r, 0, 1));
        p->id = store_rows_int(r, 0, 0);
        p->level = region_level_parse(store_rows_get(r, 0, 2));
    }
    store_rows_free(r);
    return e;
}

/* Loads one row (see store_region_load). */
static store_err load_one(struct store_conn *c, const struct store_actor *a,
                          const struct store_region_in *in, int64_t now, struct load_parent *p,
                          struct store_region_load_stats *st)
{
    struct store_rows *old = NULL;
    char path[REGION_PATH_MAX];
    int64_t id;
    store_err e = STORE_OK;

    if (in->parent_code)
        e = load_parent(c, in->parent_code, p);
    /* Only provinces are roots of the national tree; everything else hangs one level down. */
    if (e == STORE_OK && (in->parent_code ? !region_level_child_ok(p->level, in->level)
                                          : in->level != REGION_PROVINCE))
        e = store_conn_invalid(c, "level", "invalid", "level must be the one below the parent's");
    if (e == STORE_OK &&
        region_path_child(in->parent_code ? p->path : NULL, in->code, path, sizeof path) != 0)
        e = store_conn_invalid(c, "code", "invalid", "region tree too deep");
    if (e == STORE_OK)
        e = store_exec(c, "SELECT id, name, path, level FROM regions WHERE code = $1",
                       STORE_PARAMS(SP_TEXT(in->code)), &old);
    if (e != STORE_OK)
        goto out;
    if (old->nrows == 0) {
        struct store_region_in row = *in;
        row.parent_id = in->parent_code ? p->id : 0; /* already found: look it up by id */
        row.parent_code = NULL;
        e = insert_one(c, a, &row, now, &id);
        st->added += e == STORE_OK;
        goto out;
    }
    id = store_rows_int(old, 0, 0);
    if (region_level_parse(store_rows_get(old, 0, 3)) != in->level) {
        e = store_conn_invalid(c, "code", "conflict", "a region with this code has another level");
        goto out;
    }
    if (strcmp(store_rows_get(old, 0, 2), path) != 0) {
        e = move_subtree(c, id, in->parent_code ? p->id : 0, store_rows_get(old, 0, 2), path);
        st->moved += e == STORE_OK;
    }
    if (e == STORE_OK && strcmp(store_rows_get(old, 0, 1), in->name) != 0) {
        e = store_exec(c, "UPDATE regions SET name = $2, updated_at = $3 WHERE id = $1",
                       STORE_PARAMS(SP_INT(id), SP_TEXT(in->name), SP_INT(now)), NULL);
        if (e == STORE_OK)
            e = store_audit_append(c, a, "update", "region", id, "name", "divisions load");
        st->renamed += e == STORE_OK;
    } else if (e == STORE_OK && strcmp(store_rows_get(old, 0, 2), path) == 0) {
        st->kept++;
    }
out:
    store_rows_free(old);
    return e;
}

store_err store_region_load(struct store_conn *c, const struct store_actor *a,
                            const struct store_region_in *in, int n,
                            struct store_region_load_stats *st)
{
    struct store_region_load_stats batch = {0};
    struct load_parent parent = {.code = ""};
    char detail[160];
    int64_t now = store_now_ms();
    store_err e = store_begin(c, 1);

    if (e != STORE_OK)
        return e;
    for (int i = 0; e == STORE_OK && i < n; i++) {
        e = load_one(c, a, &in[i], now, &parent, &batch);
        if (e == STORE_INVALID || e == STORE_CONFLICT)
            store_conn_prefix_row(c, i + 1);
    }
    /* One audit row for the batch: a load writes hundreds of thousands of regions, and
     * the detail says what it did; renames are audited one by one above. */
    snprintf(detail, sizeof detail, "divisions load: %ld added, %ld moved, %ld renamed",
             batch.added, batch.moved, batch.renamed);
    if (e == STORE_OK && (batch.added || batch.moved))
        e = store_audit_append(c, a, "create", "region", 0, "code,name,level,parent_id", detail);
    e = store_end(c, e);
    if (e == STORE_OK) {
        st->added += batch.added;
        st->renamed += batch.renamed;
        st->moved += batch.moved;
        st->kept += batch.kept;
    }
    return e;
}

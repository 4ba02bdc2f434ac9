#include "store/orgs.h"
#include "store/audit.h"
#include "store/regions.h"

#include <stdio.h>
#include <string.h>

#define ORG_COLS                                                                                   \
    "o.id, o.name, o.type, o.region_id, r.name AS region_name, o.address, o.phone, o.status,"      \
    " o.created_at, o.industry, o.host, o.field, o.categories, o.contact_person, o.description"
#define ORG_TYPES    "ittittttstttjtt"
#define ORG_IN_SCOPE "JOIN regions r ON r.id = o.region_id AND r.path >= $2 AND r.path < $3"

/* Checks that region_id lies in the actor's scope. */
static store_err region_in_scope(struct store_conn *c, const struct store_actor *a, int64_t id)
{
    struct region_scope sub;
    return store_region_narrow(c, a, id, &sub);
}

/* Inserts one organization and its audit row inside the caller's transaction. */
static store_err org_insert(struct store_conn *c, const struct store_actor *a,
                            const struct store_org_in *in, int64_t now, int64_t *id)
{
    struct store_rows *r = NULL;
    store_err e = region_in_scope(c, a, in->region_id);

    if (e == STORE_OK)
        e = store_exec(
            c,
            "INSERT INTO organizations (name, type, region_id, address, phone, status,"
            " created_at, updated_at, industry, host, field, categories, contact_person,"
            " description) VALUES ($1, $2, $3, $4, $5, $6, $7, $7, $8, $9, $10, $11, $12, $13)"
            " RETURNING id",
            STORE_PARAMS(SP_TEXT(in->name), SP_TEXT(in->type), SP_INT(in->region_id),
                         SP_TEXT(in->address), SP_TEXT(in->phone),
                         SP_TEXT(in->status ? in->status : "active"), SP_INT(now),
                         SP_TEXT(in->industry), SP_TEXT(in->host), SP_TEXT(in->field),
                         SP_TEXT(in->categories ? in->categories : "[]"),
                         SP_TEXT(in->contact_person), SP_TEXT(in->description)),
            &r);
    if (e == STORE_CONFLICT)
        (void)store_conn_invalid(c, "name", "conflict",
                                 "an organization with this name already exists in the region");
    if (e == STORE_OK) {
        *id = store_rows_int(r, 0, 0);
        e = store_audit_append(c, a, "create", "organization", *id,
                               "name,type,region_id,address,phone,status", NULL);
    }
    store_rows_free(r);
    return e;
}

store_err store_org_create(struct store_conn *c, const struct store_actor *a,
                           const struct store_org_in *in, int64_t *id)
{
    store_err e = store_begin(c, 1);

    if (e != STORE_OK)
        return e;
    return store_end(c, org_insert(c, a, in, store_now_ms(), id));
}

store_err store_org_import(struct store_conn *c, const struct store_actor *a,
                           const struct store_org_in *in, int n, const int *rownums)
{
    int64_t now = store_now_ms(), id;
    store_err e = store_begin(c, 1);

    if (e != STORE_OK)
        return e;
    for (int i = 0; e == STORE_OK && i < n; i++) {
        e = org_insert(c, a, &in[i], now, &id);
        if (e == STORE_INVALID || e == STORE_CONFLICT)
            store_conn_prefix_row(c, rownums ? rownums[i] : i + 1);
    }
    return store_end(c, e);
}

store_err store_org_update(struct store_conn *c, const struct store_actor *a, int64_t id,
                           const struct store_org_in *in, const char *fields)
{
    struct store_rows *r = NULL;
    store_err e = store_begin(c, 1);

    if (e != STORE_OK)
        return e;
    e = store_org_get(c, a, id, &r);
    if (e == STORE_OK && in->region_id)
        e = region_in_scope(c, a, in->region_id);
    if (e == STORE_OK)
        e = store_exec(c,
                       "UPDATE organizations SET name = COALESCE($2, name),"
                       " type = COALESCE($3, type), region_id = COALESCE($4, region_id),"
                       " address = NULLIF(COALESCE($5, address), ''),"
                       " phone = NULLIF(COALESCE($6, phone), ''),"
                       " status = COALESCE($7, status), updated_at = $8,"
                       " industry = NULLIF(COALESCE($9, industry), ''),"
                       " host = NULLIF(COALESCE($10, host), ''),"
                       " field = NULLIF(COALESCE($11, field), ''),"
                       " categories = COALESCE($12, categories),"
                       " contact_person = NULLIF(COALESCE($13, contact_person), ''),"
                       " description = NULLIF(COALESCE($14, description), '') WHERE id = $1",
                       STORE_PARAMS(SP_INT(id), SP_TEXT(in->name), SP_TEXT(in->type),
                                    in->region_id ? SP_INT(in->region_id) : SP_NULL,
                                    SP_TEXT(in->address), SP_TEXT(in->phone), SP_TEXT(in->status),
                                    SP_INT(store_now_ms()), SP_TEXT(in->industry),
                                    SP_TEXT(in->host), SP_TEXT(in->field), SP_TEXT(in->categories),
                                    SP_TEXT(in->contact_person), SP_TEXT(in->description)),
                       NULL);
    if (e == STORE_CONFLICT)
        store_conn_seterr(c, "an organization with this name already exists in the region");
    if (e == STORE_OK)
        e = store_audit_append(c, a, "update", "organization", id, fields, NULL);
    e = store_end(c, e);
    store_rows_free(r);
    return e;
}

store_err store_org_get(struct store_conn *c, const struct store_actor *a, int64_t id,
                        struct store_rows **out)
{
    store_err e =
        store_exec(c, "SELECT " ORG_COLS " FROM organizations o " ORG_IN_SCOPE " WHERE o.id = $1",
                   STORE_PARAMS(SP_INT(id), SP_TEXT(a->scope.lo), SP_TEXT(a->scope.hi)), out);
    if (e != STORE_OK)
        return e;
    (*out)->types = ORG_TYPES;
    if ((*out)->nrows == 0) {
        store_rows_free(*out);
        *out = NULL;
        store_conn_seterr(c, "organization %lld not found", (long long)id);
        return STORE_NOT_FOUND;
    }
    return STORE_OK;
}

#define ORG_LIST_WHERE                                                                             \
    " FROM organizations o JOIN regions r ON r.id = o.region_id"                                   \
    " WHERE r.path >= $1 AND r.path < $2"                                                          \
    " AND (CAST($3 AS TEXT) IS NULL OR o.type = $3)"                                               \
    " AND (CAST($4 AS TEXT) IS NULL OR o.name LIKE '%' || $4 || '%')"                              \
    " AND (CAST($5 AS TEXT) IS NULL OR o.categories LIKE '%\"' || $5 || '\"%')"                    \
    " AND (CAST($6 AS TEXT) IS NULL OR o.status = $6)"

store_err store_org_list(struct store_conn *c, const struct store_actor *a,
                         const struct store_org_filter *f, const struct store_page *pg,
                         struct store_rows **out)
{
    struct region_scope sub;
    store_err e = store_region_narrow(c, a, f->region_id, &sub);

    if (e != STORE_OK)
        return e;
    return store_paged(c, "SELECT COUNT(*)" ORG_LIST_WHERE,
                       "SELECT " ORG_COLS ORG_LIST_WHERE
                       " ORDER BY r.path, o.id LIMIT $7 OFFSET $8",
                       STORE_PARAMS(SP_TEXT(sub.lo), SP_TEXT(sub.hi), SP_TEXT(f->type),
                                    SP_TEXT(f->q), SP_TEXT(f->category), SP_TEXT(f->status)),
                       pg, ORG_TYPES, out);
}

store_err store_org_roster(struct store_conn *c, int64_t region_id, const char *category,
                           const struct store_page *pg, struct store_rows **out)
{
    struct store_actor everyone;
    struct store_org_filter f = {region_id, NULL, NULL, category, "active"};

    store_actor_system(&everyone);
    return store_org_list(c, &everyone, &f, pg, out);
}

store_err store_org_export(struct store_conn *c, const struct store_actor *a,
                           struct store_rows **out)
{
    return store_exec(c,
                      "SELECT o.name, o.type, r.code AS region_code, o.industry, o.address,"
                      " o.phone, o.categories, o.status FROM organizations o"
                      " JOIN regions r ON r.id = o.region_id WHERE r.path >= $1 AND r.path < $2"
                      " ORDER BY r.path, o.id LIMIT 100000",
                      STORE_PARAMS(SP_TEXT(a->scope.lo), SP_TEXT(a->scope.hi)), out);
}

store_err store_org_by_name(struct store_conn *c, const struct store_actor *a, const char *name,
                            struct store_rows **out)
{
    return store_exec(c,
                      "SELECT o.id FROM organizations o JOIN regions r ON r.id = o.region_id"
                      " WHERE o.name = $1 AND r.path >= $2 AND r.path < $3",
                      STORE_PARAMS(SP_TEXT(name), SP_TEXT(a->scope.lo), SP_TEXT(a->scope.hi)), out);
}

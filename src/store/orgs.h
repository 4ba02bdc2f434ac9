/*
 * orgs.h - organizations (组织机构) in the store, scoped by the region they sit in.
 */
#ifndef JIEFEN_STORE_ORGS_H
#define JIEFEN_STORE_ORGS_H

#include "store/store.h"

/* Input for create and update. For update, NULL / 0 means "leave unchanged". */
struct store_org_in {
    const char *name;
    const char *type;
    int64_t region_id;
    const char *address;
    const char *phone;
    const char *status;
    const char *industry;
    const char *host;
    const char *field;
    const char *categories; /* JSON array of category codes */
    const char *contact_person;
    const char *description;
};

store_err store_org_create(struct store_conn *c, const struct store_actor *a,
                           const struct store_org_in *in, int64_t *id);

/* Creates many organizations in one transaction (imports): all or nothing; a refused
 * row is named "row N: field" (N from rownums, or i + 1). */
store_err store_org_import(struct store_conn *c, const struct store_actor *a,
                           const struct store_org_in *in, int n, const int *rownums);

/* Updates the given fields; `fields` is the comma-separated list for the audit row. */
store_err store_org_update(struct store_conn *c, const struct store_actor *a, int64_t id,
                           const struct store_org_in *in, const char *fields);

store_err store_org_get(struct store_conn *c, const struct store_actor *a, int64_t id,
                        struct store_rows **out);

struct store_org_filter {
    int64_t region_id;    /* 0: the whole scope; else that region's subtree */
    const char *type;     /* NULL: any */
    const char *q;        /* NULL: any; else a substring of the name */
    const char *category; /* NULL: any; else organizations handling this category */
    const char *status;   /* NULL: any */
};

/* Every organization in scope (at most 100,000) for export: name, type, region_code,
 * industry, address, phone, categories, status. */
store_err store_org_export(struct store_conn *c, const struct store_actor *a,
                           struct store_rows **out);

/* The organizations in scope named exactly `name` (for imports that name them). */
store_err store_org_by_name(struct store_conn *c, const struct store_actor *a, const char *name,
                            struct store_rows **out);

/* Public roster (名册): active organizations anywhere, optionally under a region and for a
 * category, without scope (the roster is published to everyone). */
store_err store_org_roster(struct store_conn *c, int64_t region_id, const char *category,
                           const struct store_page *pg, struct store_rows **out);

store_err store_org_list(struct store_conn *c, const struct store_actor *a,
                         const struct store_org_filter *f, const struct store_page *pg,
                         struct store_rows **out);

#endif

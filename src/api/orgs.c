/*
 * orgs.c - organizations (组织机构): list, read, add, change.
 */
#include "api/api.h"
#include "core/org.h"
#include "store/orgs.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void api_orgs_list(struct http_req *req, struct http_res *res)
{
    struct api_ctx *ctx = api_ctx(req);
    struct verr_list errs = {0};
    struct store_org_filter f = {0};
    struct store_page pg;
    struct store_rows *rows = NULL;
    store_err e;

    api_query_id(req, "region_id", &f.region_id, &errs);
    api_query_page(req, &pg, &errs);
    f.type = http_query(req, "type");
    f.q = http_query(req, "q");
    if (f.type && !*f.type)
        f.type = NULL;
    if (f.q && !*f.q)
        f.q = NULL;
    if (f.type && !org_type_valid(f.type))
        verr_add(&errs, "type", "invalid", "unknown organization type");
    f.category = api_vocab(&errs, "category", &vocab_category, http_query(req, "category"));
    f.status = api_vocab(&errs, "status", &vocab_org_status, http_query(req, "status"));
    if (errs.n) {
        api_validation(res, &errs);
        return;
    }
    e = store_org_list(ctx->conn, &ctx->actor, &f, &pg, &rows);
    api_reply_page(res, ctx->conn, e, rows, &pg);
}

static void reply_org(struct http_req *req, struct http_res *res, int64_t id, int status)
{
    struct api_ctx *ctx = api_ctx(req);
    struct store_rows *rows = NULL;
    store_err e = store_org_get(ctx->conn, &ctx->actor, id, &rows);

    api_reply_row(res, ctx->conn, e, rows, status);
}

void api_orgs_get(struct http_req *req, struct http_res *res)
{
    int64_t id = api_path_id(req, res, 0);
    if (id)
        reply_org(req, res, id, 200);
}

/*
 * Reads and checks the fields of an organization; `creating` makes the core ones required.
 * *categories gets a malloc'd JSON array when categories were given (caller frees).
 */
static int org_input(struct http_req *req, json_t *body, int creating, struct store_org_in *in,
                     char **categories, char *present, size_t presentlen, struct verr_list *errs)
{
    json_int_t region_id = 0;
    json_t *cats = NULL;

    api_fields(body,
               (struct api_field[]){{"name", 's', creating, &in->name},
                                    {"type", 's', creating, &in->type},
                                    {"region_id", 'I', creating, &region_id},
                                    {"address", 's', 0, &in->address},
                                    {"phone", 's', 0, &in->phone},
                                    {"status", 's', 0, &in->status},
                                    {"industry", 's', 0, &in->industry},
                                    {"host", 's', 0, &in->host},
                                    {"field", 's', 0, &in->field},
                                    {"categories", 'a', 0, &cats},
                                    {"contact_person", 's', 0, &in->contact_person},
                                    {"description", 's', 0, &in->description}},
               12, errs, present, presentlen);
    /* In a change, null clears an optional field: the store is given "" for it. */
    if (!creating) {
        const struct {
            const char *key;
            const char **field;
        } clearable[] = {{"address", &in->address},
                         {"phone", &in->phone},
                         {"industry", &in->industry},
                         {"host", &in->host},
                         {"field", &in->field},
                         {"contact_person", &in->contact_person},
                         {"description", &in->description}};
        for (size_t i = 0; i < sizeof clearable / sizeof clearable[0]; i++) {
            if (json_is_null(json_object_get(body, clearable[i].key))) {
                size_t plen = strlen(present);
                *clearable[i].field = "";
                snprintf(present + plen, presentlen - plen, "%s%s", plen ? "," : "",
                         clearable[i].key);
            }
        }
    }
    if (in->name)
        verr_check_text(errs, "name", in->name, 1, 100);
    if (in->type)
        in->type = api_vocab(errs, "type", &vocab_org_type, in->type);
    if (json_object_get(body, "region_id") && region_id <= 0 && !verr_has(errs, "region_id"))
        verr_add(errs, "region_id", "invalid", "must be a positive integer");
    if (in->address)
        verr_check_text(errs, "address", in->address, 0, 200);
    if (in->phone && *in->phone)
        verr_check_phone(errs, "phone", in->phone);
    if (in->status)
        in->status = api_vocab(errs, "status", &vocab_org_status, in->status);
    if (in->industry && *in->industry)
        in->industry = api_vocab(errs, "industry", &vocab_industry, in->industry);
    if (in->host)
        verr_check_text(errs, "host", in->host, 0, 100);
    if (in->field)
        verr_check_text(errs, "field", in->field, 0, 100);
    if (in->contact_person)
        verr_check_text(errs, "contact_person", in->contact_person, 0, 64);
    if (in->description)
        verr_check_text(errs, "description", in->description, 0, 2000);
    *categories = api_vocab_array(errs, "categories", &vocab_category, cats, 0);
    in->categories = *categories;
    api_check_ref(req, errs, "region_id", "region", region_id);
    in->region_id = region_id;
    return errs->n;
}

void api_orgs_create(struct http_req *req, struct http_res *res)
{
    struct api_ctx *ctx = api_ctx(req);
    struct verr_list errs = {0};
    struct store_org_in in = {0};
    char *categories = NULL;
    int64_t id = 0;
    store_err e;
    json_t *body = api_body(req, res);

    if (!body)
        return;
    if (org_input(req, body, 1, &in, &categories, NULL, 0, &errs)) {
        api_validation(res, &errs);
        goto out;
    }
    e = store_org_create(ctx->conn, &ctx->actor, &in, &id);
    if (e != STORE_OK) {
        api_store_error(res, ctx->conn, e);
        goto out;
    }
    reply_org(req, res, id, 201);
out:
    free(categories);
    json_decref(body);
}

void api_orgs_update(struct http_req *req, struct http_res *res)
{
    struct api_ctx *ctx = api_ctx(req);
    struct verr_list errs = {0};
    struct store_org_in in = {0};
    char fields[256], *categories = NULL;
    store_err e;
    int64_t id = api_path_id(req, res, 0);
    json_t *body;

    if (!id)
        return;
    body = api_body(req, res);
    if (!body)
        return;
    org_input(req, body, 0, &in, &categories, fields, sizeof fields, &errs);
    if (!errs.n && !fields[0])
        verr_add(&errs, "", "required", "give at least one field to change");
    if (errs.n) {
        api_validation(res, &errs);
        goto out;
    }
    e = store_org_update(ctx->conn, &ctx->actor, id, &in, fields);
    if (e != STORE_OK) {
        api_store_error(res, ctx->conn, e);
        goto out;
    }
    reply_org(req, res, id, 200);
out:
    free(categories);
    json_decref(body);
}

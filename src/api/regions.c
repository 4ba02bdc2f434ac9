/*
 * regions.c - the region tree (行政区划): browse children, read one, add one, change one
 * (name, population, and the basic-level court its case papers are addressed to).
 */
#include "api/api.h"
#include "core/region.h"
#include "store/regions.h"

void api_regions_list(struct http_req *req, struct http_res *res)
{
    struct api_ctx *ctx = api_ctx(req);
    struct verr_list errs = {0};
    struct store_region_filter f = {0};
    struct store_page pg;
    struct store_rows *rows = NULL;
    store_err e;

    api_query_id(req, "parent_id", &f.parent_id, &errs);
    api_query_page(req, &pg, &errs);
    f.q = http_query(req, "q");
    if (f.q && !*f.q)
        f.q = NULL;
    f.level = api_vocab(&errs, "level", &vocab_region_level, http_query(req, "level"));
    /* A name search feeds a picker: the first 50 matches are plenty to choose from. */
    if (f.q && pg.per_page > 50)
        pg.per_page = 50;
    if (errs.n) {
        api_validation(res, &errs);
        return;
    }
    e = store_region_list(ctx->conn, &ctx->actor, &f, &pg, &rows);
    api_reply_page(res, ctx->conn, e, rows, &pg);
}

static void reply_region(struct http_req *req, struct http_res *res, int64_t id, int status)
{
    struct api_ctx *ctx = api_ctx(req);
    struct store_rows *rows = NULL;
    store_err e = store_region_get(ctx->conn, &ctx->actor, id, &rows);

    api_reply_row(res, ctx->conn, e, rows, status);
}

void api_regions_get(struct http_req *req, struct http_res *res)
{
    struct api_ctx *ctx = api_ctx(req);
    struct store_rows *rows = NULL, *up = NULL;
    int64_t id = api_path_id(req, res, 0);
    json_t *out, *names;
    store_err e;

    if (!id)
        return;
    e = store_region_get(ctx->conn, &ctx->actor, id, &rows);
    if (e == STORE_OK)
        e = store_region_ancestors(ctx->conn, &ctx->actor, id, &up);
    if (e != STORE_OK) {
        api_store_error(res, ctx->conn, e);
        goto out;
    }
    /* The breadcrumb from the top of the caller's tree down to this region. */
    names = json_array();
    for (int r = 0; r < up->nrows; r++)
        json_array_append_new(names, json_string(store_rows_get(up, r, 2)));
    json_array_append_new(names, json_string(store_rows_get(rows, 0, 2)));
    out = api_row(rows, 0);
    json_object_set_new(out, "path_names", names);
    http_res_json(res, 200, out);
out:
    store_rows_free(rows);
    store_rows_free(up);
}

void api_regions_ancestors(struct http_req *req, struct http_res *res)
{
    struct api_ctx *ctx = api_ctx(req);
    struct store_rows *rows = NULL;
    int64_t id = api_path_id(req, res, 0);
    store_err e;

    if (!id)
        return;
    e = store_region_ancestors(ctx->conn, &ctx->actor, id, &rows);
    api_reply_items(res, ctx->conn, e, rows);
}

void api_regions_update(struct http_req *req, struct http_res *res)
{
    struct api_ctx *ctx = api_ctx(req);
    struct verr_list errs = {0};
    const char *name = NULL, *court = NULL;
    json_int_t population = -1;
    char fields[64];
    store_err e;
    int64_t id = api_path_id(req, res, 0);
    json_t *body;

    if (!id)
        return;
    body = api_body(req, res);
    if (!body)
        return;
    api_fields(body,
               (struct api_field[]){{"name", 's', 0, &name},
                                    {"population", 'I', 0, &population},
                                    {"court", 's', 0, &court}},
               3, &errs, fields, sizeof fields);
    if (name)
        verr_check_text(&errs, "name", name, 1, 64);
    /* "" clears the court: the region then uses its parent's. */
    if (court && *court)
        verr_check_text(&errs, "court", court, 2, 64);
    if (json_object_get(body, "population") && population < 0 && !verr_has(&errs, "population"))
        verr_add(&errs, "population", "invalid", "must not be negative");
    if (!errs.n && !fields[0])
        verr_add(&errs, "", "required", "give at least one field to change");
    if (errs.n) {
        api_validation(res, &errs);
        goto out;
    }
    e = store_region_update(ctx->conn, &ctx->actor, id, name, population, court, fields);
    if (e != STORE_OK) {
        api_store_error(res, ctx->conn, e);
        goto out;
    }
    reply_region(req, res, id, 200);
out:
    json_decref(body);
}

void api_regions_create(struct http_req *req, struct http_res *res)
{
    struct api_ctx *ctx = api_ctx(req);
    struct verr_list errs = {0};
    const char *code = NULL, *name = NULL, *level = NULL, *court = NULL;
    json_int_t parent_id = 0, population = -1;
    struct store_region_in in = {0};
    int64_t id = 0;
    store_err e;
    json_t *body = api_body(req, res);

    if (!body)
        return;
    api_fields(body,
               (struct api_field[]){{"code", 's', 1, &code},
                                    {"name", 's', 1, &name},
                                    {"level", 's', 1, &level},
                                    {"parent_id", 'I', 1, &parent_id},
                                    {"population", 'I', 0, &population},
                                    {"court", 's', 0, &court}},
               6, &errs, NULL, 0);
    if (level && !(in.level = region_level_parse(level)))
        verr_add(&errs, "level", "invalid",
                 "must be province, city, county, township, village or grid");
    if (code && in.level && !region_code_valid(code, in.level))
        verr_add(&errs, "code", "invalid",
                 "must be the 12-digit statistical division code (grids: 12 to 20 digits)");
    if (name)
        verr_check_text(&errs, "name", name, 1, 64);
    if (court && *court)
        verr_check_text(&errs, "court", court, 2, 64);
    if (json_object_get(body, "parent_id") && parent_id <= 0 && !verr_has(&errs, "parent_id"))
        verr_add(&errs, "parent_id", "invalid", "must be a positive integer");
    if (json_object_get(body, "population") && population < 0 && !verr_has(&errs, "population"))
        verr_add(&errs, "population", "invalid", "must not be negative");
    api_check_ref(req, &errs, "parent_id", "region", parent_id);
    if (errs.n) {
        api_validation(res, &errs);
        goto out;
    }
    in.code = code;
    in.name = name;
    in.parent_id = parent_id;
    in.population = population;
    in.court = court;
    e = store_region_create(ctx->conn, &ctx->actor, &in, &id);
    if (e != STORE_OK) {
        api_store_error(res, ctx->conn, e);
        goto out;
    }
    reply_region(req, res, id, 201);
out:
    json_decref(body);
}

/*
 * people.c - mediators, experts and grid workers (调解员, 专家库, 网格员), and the public
 * roster of organizations and mediators (名册向社会公布).
 */
#include "api/api.h"
#include "core/region.h"
#include "store/orgs.h"
#include "store/people.h"
#include "store/regions.h"

#include <stdlib.h>
#include <string.h>

/* ---- mediators ---- */

/* Reads a mediator's fields; *specialties is malloc'd JSON when given (caller frees). */
static void mediator_input(json_t *body, int creating, struct store_mediator_in *in,
                           char **specialties, char *present, size_t presentlen,
                           struct verr_list *errs)
{
    json_t *spec = NULL, *orgs = NULL;
    json_int_t user_id = 0;

    api_fields(body,
               (struct api_field[]){{"name", 's', creating, &in->name},
                                    {"gender", 's', 0, &in->gender},
                                    {"phone", 's', 0, &in->phone},
                                    {"mediator_type", 's', creating, &in->mediator_type},
                                    {"grade", 's', creating, &in->grade},
                                    {"specialties", 'a', 0, &spec},
                                    {"org_ids", 'a', creating, &orgs},
                                    {"user_id", 'I', 0, &user_id},
                                    {"status", 's', 0, &in->status}},
               9, errs, present, presentlen);
    if (in->name)
        verr_check_text(errs, "name", in->name, 1, 64);
    in->gender = api_vocab(errs, "gender", &vocab_gender, in->gender);
    if (in->phone && *in->phone)
        verr_check_phone(errs, "phone", in->phone);
    in->mediator_type = api_vocab(errs, "mediator_type", &vocab_mediator_type, in->mediator_type);
    in->grade = api_vocab(errs, "grade", &vocab_grade, in->grade);
    in->status = api_vocab(errs, "status", &vocab_person_status, in->status);
    *specialties = api_vocab_array(errs, "specialties", &vocab_category, spec, 0);
    in->specialties = *specialties;
    in->norgs = orgs ? api_id_array(errs, "org_ids", orgs, in->org_ids, STORE_MAX_ORGS, 1) : -1;
    if (json_object_get(body, "user_id") && user_id <= 0 && !verr_has(errs, "user_id"))
        verr_add(errs, "user_id", "invalid", "must be a positive integer");
    in->user_id = user_id;
}

/* Answers with one mediator (status 200/201). */
static void reply_mediator(struct http_req *req, struct http_res *res, int64_t id, int status,
                           int audit_read)
{
    struct api_ctx *ctx = api_ctx(req);
    struct store_rows *rows = NULL;
    store_err e = store_mediator_get(ctx->conn, &ctx->actor, id, audit_read, &rows);

    api_reply_row(res, ctx->conn, e, rows, status);
}

void api_mediators_list(struct http_req *req, struct http_res *res)
{
    struct api_ctx *ctx = api_ctx(req);
    struct verr_list errs = {0};
    struct store_mediator_filter f = {0};
    struct store_page pg;
    struct store_rows *rows = NULL;
    store_err e;

    f.q = http_query(req, "q");
    if (f.q && !*f.q)
        f.q = NULL;
    api_query_id(req, "org_id", &f.org_id, &errs);
    api_query_id(req, "region_id", &f.region_id, &errs);
    api_query_page(req, &pg, &errs);
    f.specialty = api_vocab(&errs, "specialty", &vocab_category, http_query(req, "specialty"));
    f.mediator_type =
        api_vocab(&errs, "mediator_type", &vocab_mediator_type, http_query(req, "mediator_type"));
    f.status = api_vocab(&errs, "status", &vocab_person_status, http_query(req, "status"));
    if (errs.n) {
        api_validation(res, &errs);
        return;
    }
    e = store_mediator_list(ctx->conn, &ctx->actor, &f, &pg, &rows);
    api_reply_people(res, ctx->conn, e, rows, &pg);
}

void api_mediators_create(struct http_req *req, struct http_res *res)
{
    struct api_ctx *ctx = api_ctx(req);
    struct verr_list errs = {0};
    struct store_mediator_in in = {0};
    char *spec = NULL;
    int64_t id = 0;
    store_err e;
    json_t *body = api_body(req, res);

    if (!body)
        return;
    mediator_input(body, 1, &in, &spec, NULL, 0, &errs);
    for (int i = 0; i < in.norgs && !verr_has(&errs, "org_ids"); i++) {
        struct verr_list one = {0};
        api_check_ref(req, &one, "org_ids", "organization", in.org_ids[i]);
        if (one.n)
            verr_add(&errs, "org_ids", "not_found", "%s", one.items[0].message);
    }
    if (in.user_id)
        api_check_ref(req, &errs, "user_id", "user", in.user_id);
    if (errs.n) {
        api_validation(res, &errs);
        goto out;
    }
    e = store_mediator_create(ctx->conn, &ctx->actor, &in, &id);
    if (e != STORE_OK) {
        api_store_error(res, ctx->conn, e);
        goto out;
    }
    reply_mediator(req, res, id, 201, 0);
out:
    free(spec);
    json_decref(body);
}

void api_mediators_get(struct http_req *req, struct http_res *res)
{
    int64_t id = api_path_id(req, res, 0);
    if (id)
        reply_mediator(req, res, id, 200, 1);
}

void api_mediators_update(struct http_req *req, struct http_res *res)
{
    struct api_ctx *ctx = api_ctx(req);
    struct verr_list errs = {0};
    struct store_mediator_in in = {0};
    char fields[256], *spec = NULL;
    store_err e;
    int64_t id = api_path_id(req, res, 0);
    json_t *body;

    if (!id)
        return;
    body = api_body(req, res);
    if (!body)
        return;
    mediator_input(body, 0, &in, &spec, fields, sizeof fields, &errs);
    if (!errs.n && !fields[0])
        verr_add(&errs, "", "required", "give at least one field to change");
    if (errs.n) {
        api_validation(res, &errs);
        goto out;
    }
    e = store_mediator_update(ctx->conn, &ctx->actor, id, &in, fields);
    if (e != STORE_OK) {
        api_store_error(res, ctx->conn, e);
        goto out;
    }
    reply_mediator(req, res, id, 200, 0);
out:
    free(spec);
    json_decref(body);
}

/* ---- experts ---- */

static void expert_input(struct http_req *req, json_t *body, int creating,
                         struct store_expert_in *in, char *present, size_t presentlen,
                         struct verr_list *errs)
{
    json_int_t region_id = 0;

    api_fields(body,
               (struct api_field[]){{"name", 's', creating, &in->name},
                                    {"specialty", 's', creating, &in->specialty},
                                    {"industry", 's', 0, &in->industry},
                                    {"title", 's', 0, &in->title},
                                    {"phone", 's', 0, &in->phone},
                                    {"availability", 's', 0, &in->availability},
                                    {"region_id", 'I', creating, &region_id},
                                    {"note", 's', 0, &in->note}},
               8, errs, present, presentlen);
    if (in->name)
        verr_check_text(errs, "name", in->name, 1, 64);
    in->specialty = api_vocab(errs, "specialty", &vocab_specialty, in->specialty);
    if (in->industry && *in->industry)
        in->industry = api_vocab(errs, "industry", &vocab_industry, in->industry);
    if (in->title)
        verr_check_text(errs, "title", in->title, 0, 100);
    if (in->phone && *in->phone)
        verr_check_phone(errs, "phone", in->phone);
    in->availability = api_vocab(errs, "availability", &vocab_availability, in->availability);
    if (in->note)
        verr_check_text(errs, "note", in->note, 0, 1000);
    if (json_object_get(body, "region_id") && region_id <= 0 && !verr_has(errs, "region_id"))
        verr_add(errs, "region_id", "invalid", "must be a positive integer");
    api_check_ref(req, errs, "region_id", "region", region_id);
    in->region_id = region_id;
}

static void reply_expert(struct http_req *req, struct http_res *res, int64_t id, int status,
                         int audit_read)
{
    struct api_ctx *ctx = api_ctx(req);
    struct store_rows *rows = NULL;
    store_err e = store_expert_get(ctx->conn, &ctx->actor, id, audit_read, &rows);

    api_reply_row(res, ctx->conn, e, rows, status);
}

void api_experts_list(struct http_req *req, struct http_res *res)
{
    struct api_ctx *ctx = api_ctx(req);
    struct verr_list errs = {0};
    struct store_expert_filter f = {0};
    struct store_page pg;
    struct store_rows *rows = NULL;
    store_err e;

    f.q = http_query(req, "q");
    if (f.q && !*f.q)
        f.q = NULL;
    api_query_id(req, "region_id", &f.region_id, &errs);
    api_query_page(req, &pg, &errs);
    f.specialty = api_vocab(&errs, "specialty", &vocab_specialty, http_query(req, "specialty"));
    f.availability =
        api_vocab(&errs, "availability", &vocab_availability, http_query(req, "availability"));
    if (errs.n) {
        api_validation(res, &errs);
        return;
    }
    e = store_expert_list(ctx->conn, &ctx->actor, &f, &pg, &rows);
    api_reply_people(res, ctx->conn, e, rows, &pg);
}

void api_experts_create(struct http_req *req, struct http_res *res)
{
    struct api_ctx *ctx = api_ctx(req);
    struct verr_list errs = {0};
    struct store_expert_in in = {0};
    int64_t id = 0;
    store_err e;
    json_t *body = api_body(req, res);

    if (!body)
        return;
    expert_input(req, body, 1, &in, NULL, 0, &errs);
    if (errs.n) {
        api_validation(res, &errs);
        goto out;
    }
    e = store_expert_create(ctx->conn, &ctx->actor, &in, &id);
    if (e != STORE_OK) {
        api_store_error(res, ctx->conn, e);
        goto out;
    }
    reply_expert(req, res, id, 201, 0);
out:
    json_decref(body);
}

void api_experts_get(struct http_req *req, struct http_res *res)
{
    int64_t id = api_path_id(req, res, 0);
    if (id)
        reply_expert(req, res, id, 200, 1);
}

void api_experts_update(struct http_req *req, struct http_res *res)
{
    struct api_ctx *ctx = api_ctx(req);
    struct verr_list errs = {0};
    struct store_expert_in in = {0};
    char fields[256];
    store_err e;
    int64_t id = api_path_id(req, res, 0);
    json_t *body;

    if (!id)
        return;
    body = api_body(req, res);
    if (!body)
        return;
    expert_input(req, body, 0, &in, fields, sizeof fields, &errs);
    if (!errs.n && !fields[0])
        verr_add(&errs, "", "required", "give at least one field to change");
    if (errs.n) {
        api_validation(res, &errs);
        goto out;
    }
    e = store_expert_update(ctx->conn, &ctx->actor, id, &in, fields);
    if (e != STORE_OK) {
        api_store_error(res, ctx->conn, e);
        goto out;
    }
    reply_expert(req, res, id, 200, 0);
out:
    json_decref(body);
}

/* ---- grid workers ---- */

static void grid_input(json_t *body, int creating, struct store_grid_worker_in *in, char *present,
                       size_t presentlen, struct verr_list *errs)
{
    json_int_t grid_id = 0, user_id = 0;

    api_fields(body,
               (struct api_field[]){{"name", 's', creating, &in->name},
                                    {"phone", 's', 0, &in->phone},
                                    {"grid_id", 'I', creating, &grid_id},
                                    {"user_id", 'I', 0, &user_id},
                                    {"status", 's', 0, &in->status}},
               5, errs, present, presentlen);
    if (in->name)
        verr_check_text(errs, "name", in->name, 1, 64);
    if (in->phone && *in->phone)
        verr_check_phone(errs, "phone", in->phone);
    in->status = api_vocab(errs, "status", &vocab_person_status, in->status);
    if (json_object_get(body, "grid_id") && grid_id <= 0 && !verr_has(errs, "grid_id"))
        verr_add(errs, "grid_id", "invalid", "must be a positive integer");
    if (json_object_get(body, "user_id") && user_id <= 0 && !verr_has(errs, "user_id"))
        verr_add(errs, "user_id", "invalid", "must be a positive integer");
    in->grid_id = grid_id;
    in->user_id = user_id;
}

static void reply_grid_worker(struct http_req *req, struct http_res *res, int64_t id, int status)
{
    struct api_ctx *ctx = api_ctx(req);
    struct store_rows *rows = NULL;
    store_err e = store_grid_worker_get(ctx->conn, &ctx->actor, id, &rows);

    api_reply_row(res, ctx->conn, e, rows, status);
}

void api_grid_workers_list(struct http_req *req, struct http_res *res)
{
    struct api_ctx *ctx = api_ctx(req);
    struct verr_list errs = {0};
    struct store_page pg;
    struct store_rows *rows = NULL;
    int64_t region_id = 0;
    const char *q = http_query(req, "q");
    store_err e;

    api_query_id(req, "region_id", &region_id, &errs);
    api_query_page(req, &pg, &errs);
    if (errs.n) {
        api_validation(res, &errs);
        return;
    }
    e = store_grid_worker_list(ctx->conn, &ctx->actor, region_id, q && *q ? q : NULL, &pg, &rows);
    api_reply_people(res, ctx->conn, e, rows, &pg);
}

void api_grid_workers_create(struct http_req *req, struct http_res *res)
{
    struct api_ctx *ctx = api_ctx(req);
    struct verr_list errs = {0};
    struct store_grid_worker_in in = {0};
    int64_t id = 0;
    store_err e;
    json_t *body = api_body(req, res);

    if (!body)
        return;
    grid_input(body, 1, &in, NULL, 0, &errs);
    if (errs.n) {
        api_validation(res, &errs);
        goto out;
    }
    e = store_grid_worker_create(ctx->conn, &ctx->actor, &in, &id);
    if (e != STORE_OK) {
        api_store_error(res, ctx->conn, e);
        goto out;
    }
    reply_grid_worker(req, res, id, 201);
out:
    json_decref(body);
}

void api_grid_workers_update(struct http_req *req, struct http_res *res)
{
    struct api_ctx *ctx = api_ctx(req);
    struct verr_list errs = {0};
    struct store_grid_worker_in in = {0};
    char fields[128];
    store_err e;
    int64_t id = api_path_id(req, res, 0);
    json_t *body;

    if (!id)
        return;
    body = api_body(req, res);
    if (!body)
        return;
    grid_input(body, 0, &in, fields, sizeof fields, &errs);
    if (!errs.n && !fields[0])
        verr_add(&errs, "", "required", "give at least one field to change");
    if (errs.n) {
        api_validation(res, &errs);
        goto out;
    }
    e = store_grid_worker_update(ctx->conn, &ctx->actor, id, &in, fields);
    if (e != STORE_OK) {
        api_store_error(res, ctx->conn, e);
        goto out;
    }
    reply_grid_worker(req, res, id, 200);
out:
    json_decref(body);
}

/* ---- the public roster ---- */

/* Copies only the named keys of each item: the roster is built by listing what may be
 * shown, so a field added to the staff view later cannot leak to the public. */
static json_t *pick(const json_t *page, const char *const *keys, const char *list)
{
    json_t *items = json_array(), *item;
    size_t i;

    json_array_foreach(json_object_get(page, "items"), i, item)
    {
        json_t *o = json_object();
        for (const char *const *k = keys; *k; k++)
            json_object_set(o, *k, json_object_get(item, *k));
        json_array_append_new(items, o);
    }
    return json_pack("{s:o, s:O}", list, items, "total", json_object_get(page, "total"));
}

void api_public_roster(struct http_req *req, struct http_res *res)
{
    static const char *const org_keys[] = {
        "id", "name", "type", "industry", "region_name", "address", "phone", "categories", NULL};
    static const char *const med_keys[] = {"id",   "name", "mediator_type", "grade", "specialties",
                                           "orgs", NULL};
    struct api_ctx *ctx = api_ctx(req);
    struct verr_list errs = {0};
    struct store_actor everyone;
    struct store_mediator_filter f = {0};
    struct store_page pg;
    struct store_rows *orgs = NULL, *meds = NULL;
    json_t *op = NULL, *mp = NULL, *mo, *mm;
    const char *category;
    int64_t region_id = 0;
    store_err e;

    api_query_id(req, "region_id", &region_id, &errs);
    api_query_page(req, &pg, &errs);
    category = api_vocab(&errs, "category", &vocab_category, http_query(req, "category"));
    if (errs.n) {
        api_validation(res, &errs);
        return;
    }
    store_actor_system(&everyone);
    f.region_id = region_id;
    f.specialty = category;
    f.status = "active";
    e = store_org_roster(ctx->conn, region_id, category, &pg, &orgs);
    if (e == STORE_OK)
        e = store_mediator_list(ctx->conn, &everyone, &f, &pg, &meds);
    if (e != STORE_OK) {
        api_store_error(res, ctx->conn, e);
        goto out;
    }
    op = api_page(orgs, &pg);
    mp = api_page(meds, &pg);
    mo = pick(op, org_keys, "items");
    mm = pick(mp, med_keys, "items");
    /* The public sees a mediator's organizations by name. */
    {
        json_t *item;
        size_t i;
        json_array_foreach(json_object_get(mm, "items"), i, item)
        {
            json_t *names = json_array(), *org;
            size_t k;
            json_array_foreach(json_object_get(item, "orgs"), k, org)
                json_array_append(names, json_object_get(org, "name"));
            json_object_set_new(item, "orgs", names);
        }
    }
    http_res_json(res, 200,
                  json_pack("{s:o, s:o, s:I, s:I}", "organizations", mo, "mediators", mm, "page",
                            (json_int_t)pg.page, "per_page", (json_int_t)pg.per_page));
out:
    json_decref(op);
    json_decref(mp);
    store_rows_free(orgs);
    store_rows_free(meds);
}

void api_public_regions(struct http_req *req, struct http_res *res)
{
    static const char *const keys[] = {"id", "code", "name", "level", "has_children", NULL};
    struct api_ctx *ctx = api_ctx(req);
    struct verr_list errs = {0};
    struct store_actor everyone;
    struct store_region_filter f = {0};
    struct store_page pg;
    struct store_rows *rows = NULL;
    json_t *page, *out;
    store_err e;

    api_query_id(req, "parent_id", &f.parent_id, &errs);
    api_query_page(req, &pg, &errs);
    if (errs.n) {
        api_validation(res, &errs);
        return;
    }
    store_actor_system(&everyone);
    e = store_region_list(ctx->conn, &everyone, &f, &pg, &rows);
    if (e != STORE_OK) {
        api_store_error(res, ctx->conn, e);
        return;
    }
    page = api_page(rows, &pg);
    out = pick(page, keys, "items");
    json_object_set(out, "page", json_object_get(page, "page"));
    json_object_set(out, "per_page", json_object_get(page, "per_page"));
    http_res_json(res, 200, out);
    json_decref(page);
    store_rows_free(rows);
}

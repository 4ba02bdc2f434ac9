/*
 * routing.c - routing rules (研判分流) and the preview that explains a decision.
 */
#include "api/api.h"
#include "case/case.h"
#include "core/region.h"
#include "core/routing.h"
#include "core/timefmt.h"
#include "store/regions.h"
#include "store/rules.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Reads an optional, nullable non-negative integer: absent leaves it, null clears it. */
static void opt_range_end(json_t *body, const char *key, int *has, int64_t *v,
                          struct verr_list *errs)
{
    json_t *j = json_object_get(body, key);

    if (!j)
        return;
    if (json_is_null(j)) {
        *has = 0;
        *v = 0;
    } else if (!json_is_integer(j) || json_integer_value(j) < 0) {
        verr_add(errs, key, "invalid", "must be a non-negative integer or null");
    } else {
        *has = 1;
        *v = json_integer_value(j);
    }
}

/* Reads an optional, nullable vocabulary value. */
static void opt_code(json_t *body, const char *key, const struct vocab *v, const char **out,
                     struct verr_list *errs)
{
    json_t *j = json_object_get(body, key);

    if (!j)
        return;
    if (json_is_null(j))
        *out = NULL;
    else if (!json_is_string(j))
        verr_add(errs, key, "type", "must be a string or null");
    else
        *out = api_vocab(errs, key, v, json_string_value(j));
}

/*
 * Applies a request body onto `in` (the defaults for a new rule, the stored rule for a
 * change). *notices gets malloc'd JSON when notice_ids is given (caller frees).
 */
static void rule_apply(struct http_req *req, json_t *body, int creating, struct store_rule_in *in,
                       char **notices, char *present, size_t presentlen, struct verr_list *errs)
{
    struct api_ctx *ctx = api_ctx(req);
    struct routing_cond *k = &in->cond;
    struct routing_decision *d = &in->decision;
    const char *level = NULL, *dept_field = NULL, *name = NULL;
    json_t *j, *notice_arr = NULL;
    json_int_t days = d->time_limit_days, region_id = 0;
    int lead = d->lead_leader, enabled = in->enabled;
    /* Typed fields go through api_fields; nullable conditions are read by hand below, but
     * are listed here too so that they count as known and as present. */
    const char *ignore_s = NULL;
    json_int_t ignore_i = 0;

    api_fields(body,
               (struct api_field[]){{"name", 's', creating, &name},
                                    {"region_id", 'I', 0, &region_id},
                                    {"category", 's', 0, &ignore_s},
                                    {"region_level", 's', 0, &ignore_s},
                                    {"complexity", 's', 0, &ignore_s},
                                    {"amount_min", 'I', 0, &ignore_i},
                                    {"amount_max", 'I', 0, &ignore_i},
                                    {"people_min", 'I', 0, &ignore_i},
                                    {"people_max", 'I', 0, &ignore_i},
                                    {"management_level", 's', creating, &d->management_level},
                                    {"department", 's', creating, &d->department},
                                    {"department_field", 's', 0, &dept_field},
                                    {"method", 's', creating, &d->method},
                                    {"time_limit_days", 'I', creating, &days},
                                    {"time_limit_kind", 's', creating, &d->time_limit_kind},
                                    {"lead_leader", 'b', 0, &lead},
                                    {"notice_ids", 'a', 0, &notice_arr},
                                    {"enabled", 'b', 0, &enabled}},
               18, errs, present, presentlen);
    if (name) {
        verr_check_text(errs, "name", name, 1, 100);
        in->name = name;
    }
    /* region_id: absent keeps the owner; null makes a default rule. */
    j = json_object_get(body, "region_id");
    if (j && json_is_null(j))
        in->region_id = 0;
    else if (j && region_id <= 0 && !verr_has(errs, "region_id"))
        verr_add(errs, "region_id", "invalid", "must be a positive integer or null");
    else if (j && region_id > 0) {
        api_check_ref(req, errs, "region_id", "region", region_id);
        in->region_id = region_id;
    }
    opt_code(body, "category", &vocab_category, &k->category, errs);
    opt_code(body, "complexity", &vocab_complexity, &k->complexity, errs);
    level = k->region_level ? region_level_name(k->region_level) : NULL;
    opt_code(body, "region_level", &vocab_region_level, &level, errs);
    k->region_level = level ? region_level_parse(level) : 0;
    opt_range_end(body, "amount_min", &k->has_amount_min, &k->amount_min, errs);
    opt_range_end(body, "amount_max", &k->has_amount_max, &k->amount_max, errs);
    opt_range_end(body, "people_min", &k->has_people_min, &k->people_min, errs);
    opt_range_end(body, "people_max", &k->has_people_max, &k->people_max, errs);
    if (k->has_amount_min && k->has_amount_max && k->amount_min > k->amount_max)
        verr_add(errs, "amount_max", "invalid", "must not be less than amount_min");
    if (k->has_people_min && k->has_people_max && k->people_min > k->people_max)
        verr_add(errs, "people_max", "invalid", "must not be less than people_min");
    if (d->management_level)
        d->management_level =
            api_vocab(errs, "management_level", &vocab_mgmt_level, d->management_level);
    if (d->department)
        d->department = api_vocab(errs, "department", &vocab_org_type, d->department);
    if (d->method)
        d->method = api_vocab(errs, "method", &vocab_method, d->method);
    if (d->time_limit_kind)
        d->time_limit_kind =
            api_vocab(errs, "time_limit_kind", &vocab_time_kind, d->time_limit_kind);
    j = json_object_get(body, "department_field");
    if (j && json_is_null(j))
        d->department_field = NULL;
    else if (dept_field) {
        verr_check_text(errs, "department_field", dept_field, 0, 100);
        d->department_field = *dept_field ? dept_field : NULL;
    }
    if (json_object_get(body, "time_limit_days") && (days < 1 || days > 3650) &&
        !verr_has(errs, "time_limit_days"))
        verr_add(errs, "time_limit_days", "invalid", "must be from 1 to 3650");
    d->time_limit_days = (int)days;
    d->lead_leader = lead;
    in->enabled = enabled;
    if (notice_arr) {
        int64_t ids[32];
        int n = api_id_array(errs, "notice_ids", notice_arr, ids, 32, 0);
        json_t *arr = json_array();
        for (int i = 0; i < n; i++) {
            struct store_rows *r = NULL;
            if (store_catalogue_get(ctx->conn, ids[i], &r) != STORE_OK &&
                !verr_has(errs, "notice_ids"))
                verr_add(errs, "notice_ids", "not_found", "catalogue item %lld does not exist",
                         (long long)ids[i]);
            store_rows_free(r);
            json_array_append_new(arr, json_integer(ids[i]));
        }
        *notices = json_dumps(arr, JSON_COMPACT);
        json_decref(arr);
        in->notice_ids = *notices;
    }
}

/* Answers with one rule, adding its specificity and dropping the owner's path. */
static void reply_rule(struct http_req *req, struct http_res *res, int64_t id, int status)
{
    struct api_ctx *ctx = api_ctx(req);
    struct store_rows *rows = NULL;
    struct routing_rule rule;
    json_t *out;
    store_err e = store_rule_get(ctx->conn, &ctx->actor, id, &rows);

    if (e != STORE_OK) {
        api_store_error(res, ctx->conn, e);
        return;
    }
    store_rule_from_row(rows, 0, &rule, NULL);
    out = api_row(rows, 0);
    json_object_del(out, "owner_path");
    json_object_set_new(out, "specificity", json_integer(routing_specificity(&rule.cond)));
    http_res_json(res, status, out);
    store_rows_free(rows);
}

void api_rules_list(struct http_req *req, struct http_res *res)
{
    struct api_ctx *ctx = api_ctx(req);
    struct verr_list errs = {0};
    struct store_page pg;
    struct store_rows *rows = NULL;
    int64_t region_id = 0;
    const char *category;
    json_t *out, *item;
    size_t i;
    store_err e;

    api_query_id(req, "region_id", &region_id, &errs);
    api_query_page(req, &pg, &errs);
    category = api_vocab(&errs, "category", &vocab_category, http_query(req, "category"));
    if (errs.n) {
        api_validation(res, &errs);
        return;
    }
    e = store_rule_list(ctx->conn, &ctx->actor, region_id, category, &pg, &rows);
    if (e != STORE_OK) {
        api_store_error(res, ctx->conn, e);
        return;
    }
    out = api_page(rows, &pg);
    json_array_foreach(json_object_get(out, "items"), i, item)
    {
        struct routing_rule rule;
        store_rule_from_row(rows, (int)i, &rule, NULL);
        json_object_del(item, "owner_path");
        json_object_set_new(item, "specificity", json_integer(routing_specificity(&rule.cond)));
    }
    http_res_json(res, 200, out);
    store_rows_free(rows);
}

void api_rules_get(struct http_req *req, struct http_res *res)
{
    int64_t id = api_path_id(req, res, 0);
    if (id)
        reply_rule(req, res, id, 200);
}

void api_rules_create(struct http_req *req, struct http_res *res)
{
    struct api_ctx *ctx = api_ctx(req);
    struct verr_list errs = {0};
    struct store_rule_in in = {0};
    char *notices = NULL;
    int64_t id = 0;
    store_err e;
    json_t *body = api_body(req, res);

    if (!body)
        return;
    in.enabled = 1;
    rule_apply(req, body, 1, &in, &notices, NULL, 0, &errs);
    if (errs.n) {
        api_validation(res, &errs);
        goto out;
    }
    e = store_rule_create(ctx->conn, &ctx->actor, &in, &id);
    if (e != STORE_OK) {
        api_store_error(res, ctx->conn, e);
        goto out;
    }
    reply_rule(req, res, id, 201);
out:
    free(notices);
    json_decref(body);
}

void api_rules_update(struct http_req *req, struct http_res *res)
{
    struct api_ctx *ctx = api_ctx(req);
    struct verr_list errs = {0};
    struct store_rule_in in = {0};
    struct store_rows *rows = NULL;
    struct routing_rule rule;
    char *notices = NULL, fields[256];
    const char *owner;
    store_err e;
    int64_t id = api_path_id(req, res, 0);
    json_t *body;

    if (!id)
        return;
    body = api_body(req, res);
    if (!body)
        return;
    e = store_rule_get(ctx->conn, &ctx->actor, id, &rows);
    if (e != STORE_OK) {
        api_store_error(res, ctx->conn, e);
        goto out;
    }
    /* Start from the stored rule; the body changes what it names. */
    store_rule_from_row(rows, 0, &rule, &in.decision);
    in.cond = rule.cond;
    in.enabled = rule.enabled;
    in.name = store_rows_get(rows, 0, store_rows_col(rows, "name"));
    owner = store_rows_get(rows, 0, store_rows_col(rows, "region_id"));
    in.region_id = owner ? strtoll(owner, NULL, 10) : 0;
    in.notice_ids = store_rows_get(rows, 0, store_rows_col(rows, "notice_ids"));
    rule_apply(req, body, 0, &in, &notices, fields, sizeof fields, &errs);
    if (!errs.n && !fields[0])
        verr_add(&errs, "", "required", "give at least one field to change");
    if (errs.n) {
        api_validation(res, &errs);
        goto out;
    }
    e = store_rule_update(ctx->conn, &ctx->actor, id, &in, fields);
    if (e != STORE_OK) {
        api_store_error(res, ctx->conn, e);
        goto out;
    }
    reply_rule(req, res, id, 200);
out:
    free(notices);
    store_rows_free(rows);
    json_decref(body);
}

void api_rules_delete(struct http_req *req, struct http_res *res)
{
    struct api_ctx *ctx = api_ctx(req);
    int64_t id = api_path_id(req, res, 0);
    store_err e;

    if (!id)
        return;
    e = store_rule_delete(ctx->conn, &ctx->actor, id);
    if (e != STORE_OK) {
        api_store_error(res, ctx->conn, e);
        return;
    }
    http_res_empty(res, 204);
}

/* ---- preview ---- */

void api_routing_preview(struct http_req *req, struct http_res *res)
{
    struct api_ctx *ctx = api_ctx(req);
    struct verr_list errs = {0};
    struct routing_case k = {0};
    struct case_route r;
    struct case_env env;
    char path[REGION_PATH_MAX], level[16];
    json_int_t region_id = 0, amount = -1, people = -1;
    store_err e;
    json_t *result = NULL, *body;

    body = api_body(req, res);
    if (!body)
        return;
    api_fields(body,
               (struct api_field[]){{"category", 's', 1, &k.category},
                                    {"region_id", 'I', 1, &region_id},
                                    {"complexity", 's', 1, &k.complexity},
                                    {"amount", 'I', 0, &amount},
                                    {"people", 'I', 0, &people}},
               5, &errs, NULL, 0);
    k.category = api_vocab(&errs, "category", &vocab_category, k.category);
    k.complexity = api_vocab(&errs, "complexity", &vocab_complexity, k.complexity);
    if (json_object_get(body, "amount") && amount < 0 && !verr_has(&errs, "amount"))
        verr_add(&errs, "amount", "invalid", "must not be negative");
    if (json_object_get(body, "people") && people < 0 && !verr_has(&errs, "people"))
        verr_add(&errs, "people", "invalid", "must not be negative");
    if (region_id > 0 && !verr_has(&errs, "region_id") &&
        store_region_path(ctx->conn, &ctx->actor, region_id, path, sizeof path, level,
                          sizeof level) != STORE_OK)
        verr_add(&errs, "region_id", "not_found", "region does not exist or is outside your scope");
    if (errs.n) {
        api_validation(res, &errs);
        goto out;
    }
    k.region_level = region_level_parse(level);
    k.has_amount = amount >= 0;
    k.amount = amount;
    k.has_people = people >= 0;
    k.people = people;
    api_case_env(req, &env);
    e = case_route_evaluate(&env, &k, path, level, &result, &r);
    if (e == STORE_OK)
        http_res_json(res, 200, result);
    else
        api_store_error(res, ctx->conn, e);
out:
    json_decref(body);
}

/*
 * json.c - decoding request bodies and encoding results, shared by all handlers.
 */
#include "api/api.h"
#include "case/case.h"
#include "core/role.h"
#include "core/timefmt.h"
#include "store/cases.h"
#include "store/orgs.h"
#include "store/people.h"
#include "store/regions.h"
#include "store/users.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct api_ctx *api_ctx(const struct http_req *req)
{
    return req->user;
}

int api_has_role(const struct http_req *req, unsigned roles)
{
    const struct api_ctx *ctx = api_ctx(req);
    return ctx && ctx->authenticated && (ctx->who.roles & roles) != 0;
}

json_t *api_body(struct http_req *req, struct http_res *res)
{
    const char *ct = http_header(req, "Content-Type");
    json_error_t jerr;
    json_t *body;
    char detail[256];

    if (!ct || strncasecmp(ct, "application/json", 16) != 0 ||
        (ct[16] != '\0' && ct[16] != ';' && ct[16] != ' ')) {
        http_problem(res, 415, "unsupported-media-type", "Unsupported Media Type",
                     "send the body as Content-Type: application/json", NULL);
        return NULL;
    }
    if (!req->body || req->body_len == 0) {
        http_problem(res, 400, "malformed-json", "Malformed JSON", "the request body is empty",
                     NULL);
        return NULL;
    }
    body = json_loadb(req->body, req->body_len, JSON_REJECT_DUPLICATES, &jerr);
    if (!body) {
        snprintf(detail, sizeof detail, "invalid JSON at line %d, column %d: %s", jerr.line,
                 jerr.column, jerr.text);
        http_problem(res, 400, "malformed-json", "Malformed JSON", detail, NULL);
        return NULL;
    }
    if (!json_is_object(body)) {
        json_decref(body);
        http_problem(res, 400, "malformed-json", "Malformed JSON",
                     "the request body must be a JSON object", NULL);
        return NULL;
    }
    return body;
}

void api_check_ref(struct http_req *req, struct verr_list *errs, const char *field,
                   const char *kind, int64_t id)
{
    struct case_env env;

    api_case_env(req, &env);
    case_check_ref(&env, errs, field, kind, id);
}

void api_validation(struct http_res *res, const struct verr_list *errs)
{
    json_t *arr = json_array();
    char detail[96];

    for (int i = 0; arr && i < errs->n; i++)
        json_array_append_new(arr,
                              json_pack("{s:s, s:s, s:s}", "field", errs->items[i].field, "code",
                                        errs->items[i].code, "message", errs->items[i].message));
    snprintf(detail, sizeof detail, "%d field%s invalid", errs->n + errs->dropped,
             errs->n + errs->dropped == 1 ? " is" : "s are");
    http_problem(res, 400, "validation", "Validation Failed", detail, arr);
}

void api_store_error(struct http_res *res, struct store_conn *c, store_err e)
{
    const char *field = store_conn_invalid_field(c);
    json_t *errors = NULL;

    if (*field && (e == STORE_INVALID || e == STORE_CONFLICT))
        errors = json_pack("[{s:s, s:s, s:s}]", "field", field, "code", store_conn_invalid_code(c),
                           "message", store_conn_error(c));
    switch (e) {
    case STORE_NOT_FOUND:
        http_problem(res, 404, "not-found", "Not Found", "no such resource", NULL);
        break;
    case STORE_CONFLICT: {
        /* A message the store wrote for people is shown; a raw database message is not
         * (it would describe the schema). */
        const char *msg = store_conn_error(c);
        int raw = !*msg || strncmp(msg, "sqlite:", 7) == 0 || strncmp(msg, "postgresql:", 11) == 0;
        http_problem(res, 409, "conflict", "Conflict",
                     *field || !raw ? msg : "the change conflicts with existing data", errors);
        break;
    }
    case STORE_FORBIDDEN:
        json_decref(errors);
        http_problem(res, 403, "forbidden", "Forbidden", store_conn_error(c), NULL);
        break;
    case STORE_INVALID:
        http_problem(res, 400, "validation", "Validation Failed", store_conn_error(c), errors);
        break;
    case STORE_UNAVAILABLE:
        json_decref(errors);
        fprintf(stderr, "{\"msg\":\"store unavailable\",\"error\":\"%s\"}\n", store_conn_error(c));
        http_problem(res, 503, "unavailable", "Service Unavailable",
                     "the database cannot be reached", NULL);
        break;
    case STORE_BUSY:
        json_decref(errors);
        fprintf(stderr, "{\"msg\":\"store busy\",\"error\":\"%s\"}\n", store_conn_error(c));
        http_res_header(res, "Retry-After", "1");
        http_problem(
            res, 503, "busy", "Service Unavailable",
            "the database was busy with a concurrent change; nothing was changed, try again", NULL);
        break;
    default:
        json_decref(errors);
        /* The details stay in the server log: they may describe the schema. */
        fprintf(stderr, "{\"msg\":\"store error\",\"error\":\"%s\"}\n", store_conn_error(c));
        http_problem(res, 500, "internal", "Internal Server Error",
                     "an unexpected error occurred; it has been logged", NULL);
        break;
    }
}

static int parse_id(const char *s, int64_t *out)
{
    char *end;
    long long v;

    if (!s || !*s || *s == '-' || *s == '+')
        return -1;
    v = strtoll(s, &end, 10);
    if (*end || v <= 0)
        return -1;
    *out = v;
    return 0;
}

int64_t api_path_id(struct http_req *req, struct http_res *res, int i)
{
    int64_t id;

    if (i >= req->nparams || parse_id(req->params[i], &id) != 0) {
        http_problem(res, 404, "not-found", "Not Found", "no such resource", NULL);
        return 0;
    }
    return id;
}

void api_query_id(struct http_req *req, const char *name, int64_t *out, struct verr_list *errs)
{
    const char *v = http_query(req, name);

    *out = 0;
    if (v && *v && parse_id(v, out) != 0)
        verr_add(errs, name, "invalid", "must be a positive integer");
}

void api_query_page(struct http_req *req, struct store_page *pg, struct verr_list *errs)
{
    pg->page = 1;
    pg->per_page = 50;
    api_query_id(req, "page", &pg->page, errs);
    api_query_id(req, "per_page", &pg->per_page, errs);
    if (pg->page == 0)
        pg->page = 1;
    if (pg->per_page == 0)
        pg->per_page = 50;
    if (pg->per_page > 500)
        verr_add(errs, "per_page", "invalid", "must be at most 500");
}

json_t *api_rows(const struct store_rows *rows)
{
    json_t *items = json_array();

    for (int r = 0; items && rows && r < rows->nrows; r++)
        json_array_append_new(items, api_row(rows, r));
    return items;
}

void api_reply_items(struct http_res *res, struct store_conn *c, store_err e,
                     struct store_rows *rows)
{
    if (e != STORE_OK)
        api_store_error(res, c, e);
    else
        http_res_json(res, 200, json_pack("{s:o}", "items", api_rows(rows)));
    store_rows_free(rows);
}

json_t *api_page(const struct store_rows *rows, const struct store_page *pg)
{
    json_t *items = json_array();

    for (int r = 0; items && r < rows->nrows; r++)
        json_array_append_new(items, api_row(rows, r));
    return json_pack("{s:o, s:I, s:I, s:I}", "items", items, "total", (json_int_t)rows->total,
                     "page", (json_int_t)pg->page, "per_page", (json_int_t)pg->per_page);
}

void api_reply_row(struct http_res *res, struct store_conn *c, store_err e, struct store_rows *rows,
                   int status)
{
    if (e != STORE_OK)
        api_store_error(res, c, e);
    else
        http_res_json(res, status, api_row(rows, 0));
    store_rows_free(rows);
}

void api_reply_page(struct http_res *res, struct store_conn *c, store_err e,
                    struct store_rows *rows, const struct store_page *pg)
{
    if (e != STORE_OK)
        api_store_error(res, c, e);
    else
        http_res_json(res, 200, api_page(rows, pg));
    store_rows_free(rows);
}

void api_reply_page_after(struct http_res *res, struct store_conn *c, store_err e,
                          struct store_rows *rows, const struct store_page *pg)
{
    json_t *out;

    if (e != STORE_OK) {
        api_reply_page(res, c, e, rows, pg);
        return;
    }
    out = api_page(rows, pg);
    /* The store counts to the cap + 1 at most (store_audit_list): say "more than the cap". */
    json_object_set_new(out, "total_capped", json_boolean(rows->total > store_case_count_cap()));
    if (rows->total > store_case_count_cap())
        json_object_set_new(out, "total", json_integer(store_case_count_cap()));
    if (rows->nrows > 0 && rows->nrows >= pg->per_page)
        json_object_set_new(out, "next_cursor",
                            json_string(store_rows_get(rows, rows->nrows - 1, 0)));
    else
        json_object_set_new(out, "next_cursor", json_null());
    http_res_json(res, 200, out);
    store_rows_free(rows);
}

void api_mask_phones(json_t *page)
{
    json_t *item;
    size_t i;

    json_array_foreach(json_object_get(page, "items"), i, item)
    {
        const char *phone = json_string_value(json_object_get(item, "phone"));
        if (phone) {
            char masked[64];
            mask_phone(phone, masked, sizeof masked);
            json_object_set_new(item, "phone", json_string(masked));
        }
    }
}

void api_reply_people(struct http_res *res, struct store_conn *c, store_err e,
                      struct store_rows *rows, const struct store_page *pg)
{
    json_t *out;

    if (e != STORE_OK) {
        api_store_error(res, c, e);
        return;
    }
    out = api_page(rows, pg);
    api_mask_phones(out);
    http_res_json(res, 200, out);
    store_rows_free(rows);
}

/*
 * json.c - decoding request bodies and encoding results, shared by all handlers.
 */
#include "api/api.h"
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

int api_fields(json_t *obj, const struct api_field *fields, size_t n, struct verr_list *errs,
               char *present, size_t presentlen)
{
    static const struct {
        char type;
        const char *fmt;
        const char *what;
    } kinds[] = {
        {'s', "{s:s}", "a string"},
        {'I', "{s:I}", "an integer"},
        {'b', "{s:b}", "true or false"},
        {'a', "{s:o}", "an array"},
    };
    int before = errs->n + errs->dropped;
    size_t plen = 0;
    const char *key;
    json_t *v;

    if (present && presentlen)
        present[0] = '\0';
    for (size_t i = 0; i < n; i++) {
        const struct api_field *f = &fields[i];
        const char *fmt = NULL, *what = NULL;
        json_error_t jerr;

        for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++)
            if (kinds[k].type == f->type) {
                fmt = kinds[k].fmt;
                what = kinds[k].what;
            }
        v = json_object_get(obj, f->name);
        if (!v || json_is_null(v)) {
            if (f->required)
                verr_add(errs, f->name, "required", "is required");
            continue;
        }
        if (f->type == 'a' && !json_is_array(v)) {
            verr_add(errs, f->name, "type", "must be %s", what);
            continue;
        }
        if (!fmt || json_unpack_ex(obj, &jerr, 0, fmt, f->name, f->out) != 0) {
            verr_add(errs, f->name, "type", "must be %s", what ? what : "valid");
            continue;
        }
        if (present && plen < presentlen) {
            int w = snprintf(present + plen, presentlen - plen, "%s%s", plen ? "," : "", f->name);
            if (w > 0)
                plen += (size_t)w;
        }
    }
    json_object_foreach(obj, key, v)
    {
        size_t i;
        for (i = 0; i < n; i++)
            if (strcmp(key, fields[i].name) == 0)
                break;
        if (i == n)
            verr_add(errs, key, "unknown", "is not a field of this request");
    }
    return errs->n + errs->dropped - before;
}

void api_only_fields(json_t *obj, const char *const *names, struct verr_list *errs)
{
    const char *key;
    json_t *v;

    json_object_foreach(obj, key, v)
    {
        size_t i;
        for (i = 0; names[i]; i++)
            if (strcmp(key, names[i]) == 0)
                break;
        if (!names[i])
            verr_add(errs, key, "unknown", "is not a field of this request");
    }
}

void api_check_ref(struct http_req *req, struct verr_list *errs, const char *field,
                   const char *kind, int64_t id)
{
    struct api_ctx *ctx = api_ctx(req);
    struct store_rows *rows = NULL;
    store_err e;

    if (id <= 0 || verr_has(errs, field))
        return;
    if (strcmp(kind, "organization") == 0)
        e = store_org_get(ctx->conn, &ctx->actor, id, &rows);
    else if (strcmp(kind, "region") == 0)
        e = store_region_get(ctx->conn, &ctx->actor, id, &rows);
    else if (strcmp(kind, "mediator") == 0)
        e = store_mediator_get(ctx->conn, &ctx->actor, id, 0, &rows);
    else if (strcmp(kind, "case") == 0)
        e = store_case_get(ctx->conn, &ctx->actor, id, &rows);
    else
        e = store_user_get(ctx->conn, &ctx->actor, id, 0, &rows);
    store_rows_free(rows);
    if (e == STORE_NOT_FOUND)
        verr_add(errs, field, "not_found", "%s does not exist or is outside your scope", kind);
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

static json_t *roles_json(unsigned roles)
{
    json_t *a = json_array();
    for (int i = 0; a && i < ROLE_COUNT; i++)
        if (roles & role_at(i))
            json_array_append_new(a, json_string(role_name(role_at(i))));
    return a;
}

json_t *api_row(const struct store_rows *rows, int r)
{
    json_t *o = json_object();

    for (int c = 0; o && c < rows->ncols; c++) {
        const char *v = store_rows_get(rows, r, c);
        char type = rows->types && c < (int)strlen(rows->types) ? rows->types[c] : 't';
        json_t *j;
        char iso[TIMEFMT_ISO_LEN];

        if (!v) {
            j = json_null();
        } else {
            switch (type) {
            case 'i':
                j = json_integer(strtoll(v, NULL, 10));
                break;
            case 'b':
                j = json_boolean(strtoll(v, NULL, 10) != 0 || strcmp(v, "t") == 0);
                break;
            case 's':
                timefmt_iso(strtoll(v, NULL, 10), iso, sizeof iso);
                j = json_string(iso);
                break;
            case 'r':
                j = roles_json((unsigned)strtoul(v, NULL, 10));
                break;
            case 'j':
                j = json_loads(v, 0, NULL);
                if (!j)
                    j = json_null();
                break;
            default:
                j = json_string(v);
                break;
            }
        }
        json_object_set_new(o, rows->names[c], j);
    }
    return o;
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

const char *api_vocab(struct verr_list *errs, const char *field, const struct vocab *v,
                      const char *value)
{
    const char *code;

    if (!value)
        return NULL;
    code = vocab_code(v, value);
    if (!code && !verr_has(errs, field))
        verr_add(errs, field, "invalid", "unknown %s '%.40s'", v->name, value);
    return code;
}

char *api_vocab_array(struct verr_list *errs, const char *field, const struct vocab *v, json_t *arr,
                      size_t min)
{
    json_t *out;
    json_t *item;
    size_t i;
    char *text;

    if (!arr)
        return NULL;
    if (json_array_size(arr) < min) {
        verr_add(errs, field, "required", "give at least %zu", min);
        return NULL;
    }
    out = json_array();
    json_array_foreach(arr, i, item)
    {
        const char *code = json_is_string(item) ? vocab_code(v, json_string_value(item)) : NULL;
        if (!code) {
            verr_add(errs, field, "invalid", "item %zu is not a known %s", i + 1, v->name);
            json_decref(out);
            return NULL;
        }
        json_array_append_new(out, json_string(code));
    }
    text = json_dumps(out, JSON_COMPACT);
    json_decref(out);
    return text;
}

int api_id_array(struct verr_list *errs, const char *field, json_t *arr, int64_t *ids, int max,
                 int min)
{
    json_t *item;
    size_t i;

    if ((int)json_array_size(arr) < min) {
        verr_add(errs, field, "required", "give at least %d", min);
        return -1;
    }
    if ((int)json_array_size(arr) > max) {
        verr_add(errs, field, "invalid", "give at most %d", max);
        return -1;
    }
    json_array_foreach(arr, i, item)
    {
        if (!json_is_integer(item) || json_integer_value(item) <= 0) {
            verr_add(errs, field, "invalid", "item %zu is not a positive id", i + 1);
            return -1;
        }
        ids[i] = json_integer_value(item);
    }
    return (int)json_array_size(arr);
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

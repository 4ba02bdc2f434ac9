/*
 * calendar.c - the service catalogue (服务清单), the working-day calendar (工作日历) and
 * sensitive periods (敏感时期).
 */
#include "api/api.h"
#include "core/calendar.h"
#include "core/timefmt.h"
#include "store/regions.h"
#include "store/rules.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- service catalogue ---- */

static void catalogue_input(json_t *body, int creating, struct store_catalogue_in *in,
                            char **documents, char *present, size_t presentlen,
                            struct verr_list *errs)
{
    json_t *docs = NULL, *item;
    size_t i;

    api_fields(body,
               (struct api_field[]){{"name", 's', creating, &in->name},
                                    {"legal_basis", 's', 0, &in->legal_basis},
                                    {"level", 's', 0, &in->level},
                                    {"handling_body", 's', 0, &in->handling_body},
                                    {"conditions", 's', 0, &in->conditions},
                                    {"procedure", 's', 0, &in->procedure},
                                    {"documents", 'a', 0, &docs},
                                    {"time_limit", 's', 0, &in->time_limit}},
               8, errs, present, presentlen);
    if (in->name)
        verr_check_text(errs, "name", in->name, 1, 100);
    if (in->legal_basis)
        verr_check_text(errs, "legal_basis", in->legal_basis, 0, 500);
    if (in->level)
        verr_check_text(errs, "level", in->level, 0, 100);
    if (in->handling_body)
        verr_check_text(errs, "handling_body", in->handling_body, 0, 200);
    if (in->conditions)
        verr_check_text(errs, "conditions", in->conditions, 0, 2000);
    if (in->procedure)
        verr_check_text(errs, "procedure", in->procedure, 0, 2000);
    if (in->time_limit)
        verr_check_text(errs, "time_limit", in->time_limit, 0, 200);
    if (docs) {
        json_array_foreach(docs, i, item)
        {
            if (!json_is_string(item) || utf8_len(json_string_value(item)) < 1 ||
                utf8_len(json_string_value(item)) > 100) {
                verr_add(errs, "documents", "invalid", "item %zu must be text of 1-100 characters",
                         i + 1);
                break;
            }
        }
        if (json_array_size(docs) > 50)
            verr_add(errs, "documents", "invalid", "at most 50 documents");
        *documents = json_dumps(docs, JSON_COMPACT);
        in->documents = *documents;
    }
}

static void reply_item(struct http_req *req, struct http_res *res, int64_t id, int status)
{
    struct api_ctx *ctx = api_ctx(req);
    struct store_rows *rows = NULL;
    store_err e = store_catalogue_get(ctx->conn, id, &rows);

    api_reply_row(res, ctx->conn, e, rows, status);
}

void api_catalogue_list(struct http_req *req, struct http_res *res)
{
    struct api_ctx *ctx = api_ctx(req);
    struct verr_list errs = {0};
    struct store_page pg;
    struct store_rows *rows = NULL;
    const char *q = http_query(req, "q");
    store_err e;

    api_query_page(req, &pg, &errs);
    if (errs.n) {
        api_validation(res, &errs);
        return;
    }
    e = store_catalogue_list(ctx->conn, q && *q ? q : NULL, &pg, &rows);
    api_reply_page(res, ctx->conn, e, rows, &pg);
}

void api_public_catalogue(struct http_req *req, struct http_res *res)
{
    api_catalogue_list(req, res);
}

void api_catalogue_get(struct http_req *req, struct http_res *res)
{
    int64_t id = api_path_id(req, res, 0);
    if (id)
        reply_item(req, res, id, 200);
}

void api_catalogue_create(struct http_req *req, struct http_res *res)
{
    struct api_ctx *ctx = api_ctx(req);
    struct verr_list errs = {0};
    struct store_catalogue_in in = {0};
    char *docs = NULL;
    int64_t id = 0;
    store_err e;
    json_t *body = api_body(req, res);

    if (!body)
        return;
    catalogue_input(body, 1, &in, &docs, NULL, 0, &errs);
    if (errs.n) {
        api_validation(res, &errs);
        goto out;
    }
    e = store_catalogue_create(ctx->conn, &ctx->actor, &in, &id);
    if (e != STORE_OK) {
        api_store_error(res, ctx->conn, e);
        goto out;
    }
    reply_item(req, res, id, 201);
out:
    free(docs);
    json_decref(body);
}

void api_catalogue_update(struct http_req *req, struct http_res *res)
{
    struct api_ctx *ctx = api_ctx(req);
    struct verr_list errs = {0};
    struct store_catalogue_in in = {0};
    char *docs = NULL, fields[256];
    store_err e;
    int64_t id = api_path_id(req, res, 0);
    json_t *body;

    if (!id)
        return;
    body = api_body(req, res);
    if (!body)
        return;
    catalogue_input(body, 0, &in, &docs, fields, sizeof fields, &errs);
    if (!errs.n && !fields[0])
        verr_add(&errs, "", "required", "give at least one field to change");
    if (errs.n) {
        api_validation(res, &errs);
        goto out;
    }
    e = store_catalogue_update(ctx->conn, &ctx->actor, id, &in, fields);
    if (e != STORE_OK) {
        api_store_error(res, ctx->conn, e);
        goto out;
    }
    reply_item(req, res, id, 200);
out:
    free(docs);
    json_decref(body);
}

void api_catalogue_delete(struct http_req *req, struct http_res *res)
{
    struct api_ctx *ctx = api_ctx(req);
    int64_t id = api_path_id(req, res, 0);
    store_err e;

    if (!id)
        return;
    e = store_catalogue_delete(ctx->conn, &ctx->actor, id);
    if (e != STORE_OK) {
        api_store_error(res, ctx->conn, e);
        return;
    }
    http_res_empty(res, 204);
}

/* ---- calendar ---- */

void api_calendar_year(struct http_req *req, struct http_res *res)
{
    struct api_ctx *ctx = api_ctx(req);
    struct store_rows *rows = NULL;
    const char *y = http_query(req, "year");
    int32_t today = (int32_t)((store_now_ms() + 8LL * 3600 * 1000) / 86400000);
    char buf[16], *end;
    long year;
    store_err e;

    timefmt_day(today, buf, sizeof buf);
    year = y && *y ? strtol(y, &end, 10) : strtol(buf, &end, 10);
    if ((y && *y && *end) || year < 1970 || year > 2200) {
        struct verr_list errs = {0};
        verr_add(&errs, "year", "invalid", "must be a year from 1970 to 2200");
        api_validation(res, &errs);
        return;
    }
    e = store_calendar_year(ctx->conn, (int)year, &rows);
    if (e != STORE_OK) {
        api_store_error(res, ctx->conn, e);
        return;
    }
    http_res_json(res, 200, json_pack("{s:i, s:o}", "year", (int)year, "days", api_rows(rows)));
    store_rows_free(rows);
}

/* The {date} path parameter as a valid day, or a 404. */
static const char *path_day(struct http_req *req, struct http_res *res)
{
    int32_t d;

    if (req->nparams < 1 || timefmt_day_parse(req->params[0], &d) != 0) {
        http_problem(res, 404, "not-found", "Not Found", "not a date (YYYY-MM-DD)", NULL);
        return NULL;
    }
    return req->params[0];
}

void api_calendar_set(struct http_req *req, struct http_res *res)
{
    struct api_ctx *ctx = api_ctx(req);
    struct verr_list errs = {0};
    const char *kind = NULL, *name = NULL, *day = path_day(req, res);
    store_err e;
    json_t *body;

    if (!day)
        return;
    body = api_body(req, res);
    if (!body)
        return;
    api_fields(body, (struct api_field[]){{"kind", 's', 1, &kind}, {"name", 's', 1, &name}}, 2,
               &errs, NULL, 0);
    kind = api_vocab(&errs, "kind", &vocab_day_kind, kind);
    if (name)
        verr_check_text(&errs, "name", name, 1, 32);
    if (errs.n) {
        api_validation(res, &errs);
        goto out;
    }
    e = store_calendar_set(ctx->conn, &ctx->actor, day, kind, name);
    if (e != STORE_OK) {
        api_store_error(res, ctx->conn, e);
        goto out;
    }
    http_res_json(res, 200,
                  json_pack("{s:s, s:s, s:s, s:b}", "date", day, "kind", kind, "name", name,
                            "provisional", 0));
out:
    json_decref(body);
}

void api_calendar_unset(struct http_req *req, struct http_res *res)
{
    struct api_ctx *ctx = api_ctx(req);
    const char *day = path_day(req, res);
    store_err e;

    if (!day)
        return;
    e = store_calendar_unset(ctx->conn, &ctx->actor, day);
    if (e != STORE_OK) {
        api_store_error(res, ctx->conn, e);
        return;
    }
    http_res_empty(res, 204);
}

void api_calendar_add(struct http_req *req, struct http_res *res)
{
    struct api_ctx *ctx = api_ctx(req);
    struct verr_list errs = {0};
    const char *from = http_query(req, "from"), *n = http_query(req, "days");
    const char *kind = http_query(req, "kind");
    struct calendar_day *days = NULL;
    size_t ndays = 0;
    int32_t start = 0;
    long count = 0;
    char due[16], *end;
    store_err e;

    if (!from || timefmt_day_parse(from, &start) != 0)
        verr_add(&errs, "from", from ? "invalid" : "required", "must be a date (YYYY-MM-DD)");
    if (n)
        count = strtol(n, &end, 10);
    if (!n || *end || count < 0 || count > 3650)
        verr_add(&errs, "days", n ? "invalid" : "required", "must be a number from 0 to 3650");
    kind = api_vocab(&errs, "kind", &vocab_time_kind, kind ? kind : "business");
    if (errs.n) {
        api_validation(res, &errs);
        return;
    }
    e = store_calendar_load(ctx->conn, &days, &ndays);
    if (e != STORE_OK) {
        api_store_error(res, ctx->conn, e);
        return;
    }
    {
        struct calendar cal = {days, ndays};
        timefmt_day(calendar_add(&cal, start, (int)count, strcmp(kind, "business") == 0), due,
                    sizeof due);
    }
    free(days);
    http_res_json(res, 200,
                  json_pack("{s:s, s:i, s:s, s:s}", "from", from, "days", (int)count, "kind", kind,
                            "due", due));
}

/* ---- sensitive periods ---- */

/*
 * Reads a period's fields. The regions must lie in the caller's scope; their names are
 * stored beside their ids. *ids_json / *names_json are malloc'd (caller frees).
 */
static void period_input(struct http_req *req, json_t *body, int creating,
                         struct store_period_in *in, int64_t list[64], char **ids_json,
                         char **names_json, char *scope_path, char *present, size_t presentlen,
                         struct verr_list *errs)
{
    struct api_ctx *ctx = api_ctx(req);
    json_t *regions = NULL, *ids, *names;
    int32_t d1 = 0, d2 = 0;
    int n;

    api_fields(body,
               (struct api_field[]){{"name", 's', creating, &in->name},
                                    {"start", 's', creating, &in->start},
                                    {"end", 's', creating, &in->end},
                                    {"region_ids", 'a', 0, &regions},
                                    {"note", 's', 0, &in->note}},
               5, errs, present, presentlen);
    if (in->name)
        verr_check_text(errs, "name", in->name, 1, 100);
    if (in->note)
        verr_check_text(errs, "note", in->note, 0, 1000);
    if (in->start && timefmt_day_parse(in->start, &d1) != 0)
        verr_add(errs, "start", "invalid", "must be a date (YYYY-MM-DD)");
    if (in->end && timefmt_day_parse(in->end, &d2) != 0)
        verr_add(errs, "end", "invalid", "must be a date (YYYY-MM-DD)");
    if (in->start && in->end && !verr_has(errs, "start") && !verr_has(errs, "end") && d2 < d1)
        verr_add(errs, "end", "invalid", "must not be before start");
    if (!regions && !creating)
        return;
    n = regions ? api_id_array(errs, "region_ids", regions, list, 64, 0) : 0;
    ids = json_array();
    names = json_array();
    for (int i = 0; i < n; i++) {
        struct store_rows *r = NULL;
        if (store_region_get(ctx->conn, &ctx->actor, list[i], &r) != STORE_OK) {
            if (!verr_has(errs, "region_ids"))
                verr_add(errs, "region_ids", "not_found",
                         "region %lld does not exist or is outside your scope", (long long)list[i]);
        } else {
            json_array_append_new(ids, json_integer(list[i]));
            json_array_append_new(names, json_string(store_rows_get(r, 0, 2)));
        }
        store_rows_free(r);
    }
    /* A period for the whole tree belongs to the top; else to the caller's own level. */
    if (n == 0 && !ctx->actor.top && !verr_has(errs, "region_ids"))
        verr_add(errs, "region_ids", "required",
                 "name the regions: only a top-level administrator sets a period for all");
    snprintf(scope_path, REGION_PATH_MAX, "%s", n == 0 ? "/" : ctx->actor.scope.lo);
    *ids_json = json_dumps(ids, JSON_COMPACT);
    *names_json = json_dumps(names, JSON_COMPACT);
    json_decref(ids);
    json_decref(names);
    in->region_ids = *ids_json;
    in->region_names = *names_json;
    in->scope_path = scope_path;
    in->ids = list;
    in->nids = n > 0 ? n : 0;
    in->set_regions = 1;
}

static void reply_period(struct http_req *req, struct http_res *res, int64_t id, int status)
{
    struct api_ctx *ctx = api_ctx(req);
    struct store_rows *rows = NULL;
    json_t *out;
    store_err e = store_period_get(ctx->conn, id, &rows);

    if (e != STORE_OK) {
        api_store_error(res, ctx->conn, e);
        return;
    }
    out = api_row(rows, 0);
    json_object_del(out, "scope_path");
    http_res_json(res, status, out);
    store_rows_free(rows);
}

void api_periods_list(struct http_req *req, struct http_res *res)
{
    struct api_ctx *ctx = api_ctx(req);
    struct verr_list errs = {0};
    struct store_page pg;
    struct store_rows *rows = NULL;
    const char *on = http_query(req, "active_on");
    json_t *out, *item;
    int32_t d;
    size_t i;
    store_err e;

    api_query_page(req, &pg, &errs);
    if (on && *on && timefmt_day_parse(on, &d) != 0)
        verr_add(&errs, "active_on", "invalid", "must be a date (YYYY-MM-DD)");
    if (errs.n) {
        api_validation(res, &errs);
        return;
    }
    e = store_period_list(ctx->conn, &ctx->actor, on && *on ? on : NULL, &pg, &rows);
    if (e != STORE_OK) {
        api_store_error(res, ctx->conn, e);
        return;
    }
    out = api_page(rows, &pg);
    json_array_foreach(json_object_get(out, "items"), i, item) json_object_del(item, "scope_path");
    http_res_json(res, 200, out);
    store_rows_free(rows);
}

void api_periods_create(struct http_req *req, struct http_res *res)
{
    struct api_ctx *ctx = api_ctx(req);
    struct verr_list errs = {0};
    struct store_period_in in = {0};
    char *ids = NULL, *names = NULL, scope[REGION_PATH_MAX];
    int64_t id = 0, list[64];
    store_err e;
    json_t *body = api_body(req, res);

    if (!body)
        return;
    period_input(req, body, 1, &in, list, &ids, &names, scope, NULL, 0, &errs);
    if (errs.n) {
        api_validation(res, &errs);
        goto out;
    }
    e = store_period_create(ctx->conn, &ctx->actor, &in, &id);
    if (e != STORE_OK) {
        api_store_error(res, ctx->conn, e);
        goto out;
    }
    reply_period(req, res, id, 201);
out:
    free(ids);
    free(names);
    json_decref(body);
}

void api_periods_update(struct http_req *req, struct http_res *res)
{
    struct api_ctx *ctx = api_ctx(req);
    struct verr_list errs = {0};
    struct store_period_in in = {0};
    char *ids = NULL, *names = NULL, scope[REGION_PATH_MAX], fields[128];
    int64_t list[64];
    store_err e;
    int64_t id = api_path_id(req, res, 0);
    json_t *body;

    if (!id)
        return;
    body = api_body(req, res);
    if (!body)
        return;
    period_input(req, body, 0, &in, list, &ids, &names, scope, fields, sizeof fields, &errs);
    if (!errs.n && !fields[0])
        verr_add(&errs, "", "required", "give at least one field to change");
    if (errs.n) {
        api_validation(res, &errs);
        goto out;
    }
    e = store_period_update(ctx->conn, &ctx->actor, id, &in, fields);
    if (e != STORE_OK) {
        api_store_error(res, ctx->conn, e);
        goto out;
    }
    reply_period(req, res, id, 200);
out:
    free(ids);
    free(names);
    json_decref(body);
}

void api_periods_delete(struct http_req *req, struct http_res *res)
{
    struct api_ctx *ctx = api_ctx(req);
    int64_t id = api_path_id(req, res, 0);
    store_err e;

    if (!id)
        return;
    e = store_period_delete(ctx->conn, &ctx->actor, id);
    if (e != STORE_OK) {
        api_store_error(res, ctx->conn, e);
        return;
    }
    http_res_empty(res, 204);
}

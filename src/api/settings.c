/*
 * settings.c - the installation's settings (系统设置): GET lists every known setting with
 * its Chinese name, explanation, bounds, default and current value; PUT changes one
 * (top-level administrators, audited). Which settings exist is core/settings.c's.
 */
#include "api/api.h"
#include "core/settings.h"
#include "store/settings.h"

#include <string.h>

/* One setting as the API shows it; `stored` is the settings row for it or -1. */
static json_t *setting_json(const struct setting_def *d, const struct store_rows *rows, int stored)
{
    json_t *o =
        json_pack("{s:s, s:s, s:s, s:s, s:I, s:I, s:s}", "key", d->key, "name", d->name, "help",
                  d->help, "kind", d->kind == SETTING_INT ? "integer" : "text", "min",
                  (json_int_t)d->min, "max", (json_int_t)d->max, "default", d->fallback);
    json_t *row = stored >= 0 ? api_row(rows, stored) : NULL;
    const char *v = stored >= 0 ? store_rows_get(rows, stored, 1) : NULL;

    json_object_set_new(o, "value", json_string(settings_effective(d, v)));
    json_object_set_new(o, "updated_at",
                        row ? json_incref(json_object_get(row, "updated_at")) : json_null());
    json_object_set_new(o, "updated_by",
                        row ? json_incref(json_object_get(row, "updated_by")) : json_null());
    json_decref(row);
    return o;
}

static int stored_row(const struct store_rows *rows, const char *key)
{
    for (int r = 0; r < rows->nrows; r++)
        if (strcmp(store_rows_get(rows, r, 0), key) == 0)
            return r;
    return -1;
}

void api_settings_list(struct http_req *req, struct http_res *res)
{
    struct api_ctx *ctx = api_ctx(req);
    struct store_rows *rows = NULL;
    store_err e = store_settings_stored(ctx->conn, &rows);
    json_t *items;

    if (e != STORE_OK) {
        api_store_error(res, ctx->conn, e);
        return;
    }
    items = json_array();
    for (size_t i = 0; i < settings_count(); i++) {
        const struct setting_def *d = settings_at(i);
        json_array_append_new(items, setting_json(d, rows, stored_row(rows, d->key)));
    }
    store_rows_free(rows);
    http_res_json(res, 200, json_pack("{s:o}", "items", items));
}

void api_settings_set(struct http_req *req, struct http_res *res)
{
    struct api_ctx *ctx = api_ctx(req);
    const struct setting_def *d = settings_find(req->nparams > 0 ? req->params[0] : NULL);
    struct verr_list errs = {0};
    struct store_rows *rows = NULL;
    json_t *body, *value = NULL;
    const char *text = NULL;
    char reason[96];
    char num[32];
    store_err e;

    if (!d) {
        http_problem(res, 404, "not-found", "Not Found", "no such setting", NULL);
        return;
    }
    body = api_body(req, res);
    if (!body)
        return;
    /* An integer setting takes a JSON number or its text; a text setting a string. */
    value = json_object_get(body, "value");
    if (json_is_integer(value) && d->kind == SETTING_INT) {
        snprintf(num, sizeof num, "%lld", (long long)json_integer_value(value));
        text = num;
    } else if (json_is_string(value)) {
        text = json_string_value(value);
    }
    api_only_fields(body, (const char *const[]){"value", NULL}, &errs);
    if (!value || json_is_null(value))
        verr_add(&errs, "value", "required", "is required");
    else if (!text)
        verr_add(&errs, "value", "type",
                 d->kind == SETTING_INT ? "must be a whole number" : "must be a string");
    else if (d->kind == SETTING_TEXT && !verr_check_text(&errs, "value", text, d->min, d->max))
        ; /* named by verr_check_text */
    else if (settings_check(d, text, reason, sizeof reason) != 0)
        verr_add(&errs, "value", "invalid", "%s", reason);
    if (errs.n) {
        api_validation(res, &errs);
        json_decref(body);
        return;
    }
    e = store_setting_set(ctx->conn, &ctx->actor, d->key, text);
    if (e == STORE_OK)
        e = store_settings_stored(ctx->conn, &rows);
    if (e != STORE_OK)
        api_store_error(res, ctx->conn, e);
    else
        http_res_json(res, 200, setting_json(d, rows, stored_row(rows, d->key)));
    store_rows_free(rows);
    json_decref(body);
}

/*
 * notify.c - the bell (my notifications), and for administrators the endpoints that
 * notifications are delivered to and the outbox's dead letters (docs/notifications.md).
 */
#include "api/api.h"
#include "notify/admin.h"
#include "notify/notify.h"
#include "seal/seal.h"

#include <stdlib.h>
#include <string.h>

/* ---- my notifications ---- */

void api_notifications_list(struct http_req *req, struct http_res *res)
{
    struct api_ctx *ctx = api_ctx(req);
    struct verr_list errs = {0};
    struct store_page pg;
    struct store_rows *rows = NULL;
    const char *unread = http_query(req, "unread");
    int64_t count = 0;
    json_t *out;
    store_err e;

    api_query_page(req, &pg, &errs);
    if (unread && strcmp(unread, "1") != 0 && strcmp(unread, "0") != 0 &&
        strcmp(unread, "true") != 0 && strcmp(unread, "false") != 0)
        verr_add(&errs, "unread", "invalid", "must be true or false");
    if (errs.n) {
        api_validation(res, &errs);
        return;
    }
    e = notify_inbox(ctx->conn, ctx->who.user_id,
                     unread && (strcmp(unread, "1") == 0 || strcmp(unread, "true") == 0), &pg,
                     &rows, &count);
    if (e != STORE_OK) {
        api_store_error(res, ctx->conn, e);
        return;
    }
    out = api_page(rows, &pg);
    json_object_set_new(out, "unread", json_integer(count));
    http_res_json(res, 200, out);
    store_rows_free(rows);
}

void api_notifications_read(struct http_req *req, struct http_res *res)
{
    struct api_ctx *ctx = api_ctx(req);
    int64_t id = api_path_id(req, res, 0);
    store_err e;

    if (!id)
        return;
    e = notify_mark_read(ctx->conn, ctx->who.user_id, id);
    if (e != STORE_OK)
        api_store_error(res, ctx->conn, e);
    else
        http_res_empty(res, 204);
}

void api_notifications_read_all(struct http_req *req, struct http_res *res)
{
    struct api_ctx *ctx = api_ctx(req);
    store_err e = notify_mark_read(ctx->conn, ctx->who.user_id, 0);

    if (e != STORE_OK)
        api_store_error(res, ctx->conn, e);
    else
        http_res_empty(res, 204);
}

/* ---- endpoints ---- */

static const struct vocab_entry channel_entries[] = {
    {"webhook", "Webhook"}, {"sms", "短信网关"}, {"email", "电子邮件"}};
static const struct vocab channels = {"channel", channel_entries, 3};

static int is_http_url(const char *s)
{
    return s && (strncmp(s, "https://", 8) == 0 || strncmp(s, "http://", 7) == 0) &&
           !strpbrk(s, " \t\r\n\"<>\\");
}

/* Reads and checks an endpoint; `create` requires what a new one needs. The secret is
 * sealed into *sealed (caller frees). Returns the number of errors. */
static int endpoint_read(struct http_req *req, json_t *body, int create,
                         struct notify_endpoint_in *in, char **sealed, struct verr_list *errs)
{
    struct api_ctx *ctx = api_ctx(req);
    const char *channel = NULL, *secret = NULL;
    json_int_t region = 0, org = 0;
    int enabled = -1;
    const char *ch;

    api_fields(body,
               (struct api_field[]){{"name", 's', create, &in->name},
                                    {"channel", 's', create, &channel},
                                    {"url", 's', 0, &in->url},
                                    {"address", 's', 0, &in->address},
                                    {"secret", 's', 0, &secret},
                                    {"kinds", 's', 0, &in->kinds},
                                    {"region_id", 'I', create, &region},
                                    {"organization_id", 'I', 0, &org},
                                    {"enabled", 'b', 0, &enabled},
                                    {"sms_template", 's', 0, &in->sms_template}},
               10, errs, NULL, 0);
    if (!create && channel)
        verr_add(errs, "channel", "invalid", "the channel of an endpoint cannot change");
    ch = create ? api_vocab(errs, "channel", &channels, channel) : NULL;
    in->channel = ch;
    if (in->name)
        verr_check_text(errs, "name", in->name, 1, 100);
    if (in->url && !is_http_url(in->url))
        verr_add(errs, "url", "invalid", "must be an http:// or https:// address");
    if (in->kinds)
        verr_check_text(errs, "kinds", in->kinds, 0, 500);
    if (in->sms_template)
        verr_check_text(errs, "sms_template", in->sms_template, 0, 500);
    if (in->address)
        verr_check_text(errs, "address", in->address, 1, 200);
    if (secret)
        verr_check_text(errs, "secret", secret, 16, 200);
    if (ch && strcmp(ch, "email") != 0 && !in->url && !verr_has(errs, "url"))
        verr_add(errs, "url", "required", "a webhook or SMS gateway needs its address");
    if (ch && strcmp(ch, "webhook") != 0 && !in->address && !verr_has(errs, "address"))
        verr_add(errs, "address", "required", "an SMS or e-mail endpoint needs a phone or mailbox");
    if (ch && strcmp(ch, "email") != 0 && !secret && !verr_has(errs, "secret"))
        verr_add(errs, "secret", "required", "receivers verify the signature with it");
    if (json_object_get(body, "region_id") && region <= 0 && !verr_has(errs, "region_id"))
        verr_add(errs, "region_id", "invalid", "must be a positive integer");
    if (region > 0)
        api_check_ref(req, errs, "region_id", "region", region);
    if (org > 0)
        api_check_ref(req, errs, "organization_id", "organization", org);
    in->region_id = region;
    in->organization_id =
        org > 0 ? org
                : (!create && json_is_null(json_object_get(body, "organization_id")) ? -1 : 0);
    in->enabled = enabled;
    if (!errs->n && secret) {
        *sealed = ctx->app->seal ? seal_encrypt(ctx->app->seal, secret) : NULL;
        if (!*sealed)
            verr_add(errs, "secret", "unavailable", "the key for secrets is not loaded");
    }
    return (int)errs->n;
}

static void endpoint_reply(struct http_req *req, struct http_res *res, store_err e, int64_t id,
                           int status)
{
    struct api_ctx *ctx = api_ctx(req);
    struct store_rows *rows = NULL;

    if (e == STORE_OK)
        e = notify_endpoint_get(ctx->conn, &ctx->actor, id, &rows);
    api_reply_row(res, ctx->conn, e, rows, status);
}

void api_endpoints_list(struct http_req *req, struct http_res *res)
{
    struct api_ctx *ctx = api_ctx(req);
    struct store_rows *rows = NULL;
    store_err e = notify_endpoint_list(ctx->conn, &ctx->actor, &rows);

    api_reply_items(res, ctx->conn, e, rows);
}

void api_endpoints_get(struct http_req *req, struct http_res *res)
{
    int64_t id = api_path_id(req, res, 0);

    if (id)
        endpoint_reply(req, res, STORE_OK, id, 200);
}

void api_endpoints_create(struct http_req *req, struct http_res *res)
{
    struct api_ctx *ctx = api_ctx(req);
    struct verr_list errs = {0};
    struct notify_endpoint_in in = {0};
    char *sealed = NULL;
    int64_t id = 0;
    store_err e;
    json_t *body = api_body(req, res);

    if (!body)
        return;
    if (endpoint_read(req, body, 1, &in, &sealed, &errs)) {
        api_validation(res, &errs);
        goto out;
    }
    in.secret_sealed = sealed;
    e = notify_endpoint_create(ctx->conn, &ctx->actor, &in, &id);
    endpoint_reply(req, res, e, id, 201);
out:
    free(sealed);
    json_decref(body);
}

void api_endpoints_update(struct http_req *req, struct http_res *res)
{
    struct api_ctx *ctx = api_ctx(req);
    struct verr_list errs = {0};
    struct notify_endpoint_in in = {0};
    int64_t id = api_path_id(req, res, 0);
    char *sealed = NULL;
    json_t *body;

    if (!id || !(body = api_body(req, res)))
        return;
    if (endpoint_read(req, body, 0, &in, &sealed, &errs)) {
        api_validation(res, &errs);
        goto out;
    }
    in.secret_sealed = sealed;
    endpoint_reply(req, res, notify_endpoint_update(ctx->conn, &ctx->actor, id, &in), id, 200);
out:
    free(sealed);
    json_decref(body);
}

void api_endpoints_delete(struct http_req *req, struct http_res *res)
{
    struct api_ctx *ctx = api_ctx(req);
    int64_t id = api_path_id(req, res, 0);
    store_err e;

    if (!id)
        return;
    e = notify_endpoint_delete(ctx->conn, &ctx->actor, id);
    if (e != STORE_OK)
        api_store_error(res, ctx->conn, e);
    else
        http_res_empty(res, 204);
}

/* Queues a test event to this endpoint alone; the outbox shows how it went. */
void api_endpoints_test(struct http_req *req, struct http_res *res)
{
    struct api_ctx *ctx = api_ctx(req);
    int64_t id = api_path_id(req, res, 0);
    struct store_rows *rows = NULL, *q = NULL;
    struct notify_event ev = {0};
    store_err e;

    if (!id)
        return;
    e = store_begin(ctx->conn, 1);
    if (e == STORE_OK)
        e = notify_endpoint_get(ctx->conn, &ctx->actor, id, &rows);
    if (e == STORE_OK) {
        ev.kind = "notify.test";
        ev.region_id = store_rows_int(rows, 0, 6);
        ev.title = store_rows_get(rows, 0, 1);
        ev.body = "这是一条测试通知，收到即说明推送配置正确。";
        e = notify_emit_to(ctx->conn, &ev, id);
    }
    if (e == STORE_OK)
        e = store_exec(ctx->conn,
                       "SELECT id, event_id FROM outbox WHERE endpoint_id = $1"
                       " ORDER BY id DESC LIMIT 1",
                       STORE_PARAMS(SP_INT(id)), &q);
    e = store_end(ctx->conn, e);
    if (e == STORE_OK && q && q->nrows) {
        http_res_json(res, 202,
                      json_pack("{s:I, s:s}", "outbox_id", (json_int_t)store_rows_int(q, 0, 0),
                                "event_id", store_rows_get(q, 0, 1)));
    } else {
        api_store_error(res, ctx->conn, e == STORE_OK ? STORE_NOT_FOUND : e);
    }
    store_rows_free(rows);
    store_rows_free(q);
}

/* ---- the outbox ---- */

void api_outbox_list(struct http_req *req, struct http_res *res)
{
    struct api_ctx *ctx = api_ctx(req);
    struct verr_list errs = {0};
    struct store_page pg;
    struct store_rows *rows = NULL;
    const char *state = http_query(req, "state");
    store_err e;

    api_query_page(req, &pg, &errs);
    if (state && strcmp(state, "pending") != 0 && strcmp(state, "dead") != 0 &&
        strcmp(state, "delivered") != 0)
        verr_add(&errs, "state", "invalid", "must be pending, delivered or dead");
    if (errs.n) {
        api_validation(res, &errs);
        return;
    }
    e = notify_outbox_list(ctx->conn, &ctx->actor, state, &pg, &rows);
    api_reply_page(res, ctx->conn, e, rows, &pg);
}

void api_outbox_replay(struct http_req *req, struct http_res *res)
{
    struct api_ctx *ctx = api_ctx(req);
    int64_t id = api_path_id(req, res, 0);
    store_err e;

    if (!id)
        return;
    e = notify_outbox_replay(ctx->conn, &ctx->actor, id);
    if (e != STORE_OK)
        api_store_error(res, ctx->conn, e);
    else
        http_res_empty(res, 204);
}

/*
 * alerts.c - risk alerts (预警): the list, acknowledgment (签收), and who is told for each
 * region. The rules are src/watch/alert.c's; docs/risk.md, "Alerts (预警)".
 */
#include "api/api.h"
#include "core/role.h"
#include "store/alerts.h"
#include "watch/alert.h"

#include <string.h>

#define MAX_RECIPIENTS 50

void api_alerts_list(struct http_req *req, struct http_res *res)
{
    struct api_ctx *ctx = api_ctx(req);
    struct verr_list errs = {0};
    struct store_alert_filter f = {0};
    struct store_page pg;
    struct store_rows *rows = NULL;
    const char *state = http_query(req, "state"), *mine = http_query(req, "mine");
    store_err e;

    api_query_page(req, &pg, &errs);
    api_query_id(req, "region_id", &f.region_id, &errs);
    if (!state || !*state || strcmp(state, "open") == 0)
        f.state = "open";
    else if (strcmp(state, "acked") == 0)
        f.state = "acked";
    else if (strcmp(state, "all") != 0)
        verr_add(&errs, "state", "invalid", "must be open, acked or all");
    if (mine && *mine && strcmp(mine, "true") != 0 && strcmp(mine, "false") != 0)
        verr_add(&errs, "mine", "invalid", "must be true or false");
    f.mine = mine && strcmp(mine, "true") == 0;
    if (errs.n) {
        api_validation(res, &errs);
        return;
    }
    f.now = store_now_ms();
    e = store_alert_list(ctx->conn, &ctx->actor, &f, &pg, &rows);
    api_reply_page(res, ctx->conn, e, rows, &pg);
}

void api_alerts_ack(struct http_req *req, struct http_res *res)
{
    struct api_ctx *ctx = api_ctx(req);
    struct verr_list errs = {0};
    struct store_rows *rows = NULL;
    const char *note = NULL;
    int64_t id = api_path_id(req, res, 0);
    json_t *body = id ? api_body(req, res) : NULL;
    const struct jfield fields[] = {{"note", 's', 0, &note}};
    store_err e;

    if (!body)
        return;
    api_fields(body, fields, 1, &errs, NULL, 0);
    if (note && strlen(note) > 2000)
        verr_add(&errs, "note", "too_long", "must be at most 2000 bytes");
    if (errs.n) {
        api_validation(res, &errs);
        goto out;
    }
    e = alert_ack(ctx->conn, &ctx->actor,
                  api_has_role(req, ROLE_SUPERVISOR | ROLE_LEADER | ROLE_ADMIN), id,
                  note && *note ? note : NULL);
    if (e == STORE_OK)
        e = store_alert_get(ctx->conn, &ctx->actor, id, store_now_ms(), &rows);
    api_reply_row(res, ctx->conn, e, rows, 200);
out:
    json_decref(body);
}

void api_alert_recipients_get(struct http_req *req, struct http_res *res)
{
    struct api_ctx *ctx = api_ctx(req);
    struct store_rows *rows = NULL;
    int64_t id = api_path_id(req, res, 0);
    store_err e;

    if (!id)
        return;
    e = store_alert_recipients_list(ctx->conn, &ctx->actor, id, &rows);
    api_reply_items(res, ctx->conn, e, rows);
}

static int duty_ok(const char *d)
{
    static const char *const duties[] = {"lead_leader", "zongzhi_centre", "police_liaison",
                                         "other"};
    for (size_t i = 0; d && i < sizeof duties / sizeof duties[0]; i++)
        if (strcmp(d, duties[i]) == 0)
            return 1;
    return 0;
}

/* Reads {recipients: [{user_id, duty}]} into in[]; returns the count or -1 (errs set). */
static int read_recipients(json_t *body, struct store_alert_recipient_in *in,
                           struct verr_list *errs)
{
    static const char *const top[] = {"recipients", NULL};
    json_t *arr = json_object_get(body, "recipients");
    size_t i;
    json_t *item;

    api_only_fields(body, top, errs);
    if (!json_is_array(arr) || json_array_size(arr) > MAX_RECIPIENTS) {
        verr_add(errs, "recipients", "invalid", "must be an array of at most 50 recipients");
        return -1;
    }
    json_array_foreach(arr, i, item)
    {
        char field[48];
        json_int_t uid = 0;
        const char *duty = NULL;
        if (json_unpack(item, "{s:I, s:s !}", "user_id", &uid, "duty", &duty) != 0 || uid <= 0) {
            snprintf(field, sizeof field, "recipients[%zu]", i);
            verr_add(errs, field, "invalid", "must be {user_id, duty}");
            continue;
        }
        if (!duty_ok(duty)) {
            snprintf(field, sizeof field, "recipients[%zu].duty", i);
            verr_add(errs, field, "invalid",
                     "must be lead_leader, zongzhi_centre, police_liaison or other");
        }
        for (size_t j = 0; j < i; j++)
            if (in[j].user_id == uid) {
                snprintf(field, sizeof field, "recipients[%zu].user_id", i);
                verr_add(errs, field, "duplicate", "the same user is listed twice");
            }
        in[i].user_id = uid;
        in[i].duty = duty;
    }
    return errs->n ? -1 : (int)json_array_size(arr);
}

void api_alert_recipients_put(struct http_req *req, struct http_res *res)
{
    struct api_ctx *ctx = api_ctx(req);
    struct verr_list errs = {0};
    struct store_alert_recipient_in in[MAX_RECIPIENTS] = {0};
    struct store_rows *rows = NULL;
    int64_t id = api_path_id(req, res, 0);
    json_t *body = id ? api_body(req, res) : NULL;
    store_err e;
    int n;

    if (!body)
        return;
    n = read_recipients(body, in, &errs);
    if (n < 0) {
        api_validation(res, &errs);
        goto out;
    }
    /* Admins and leaders of the region: the store's scope check makes "of the region". */
    e = store_alert_recipients_set(ctx->conn, &ctx->actor, id, in, n);
    if (e == STORE_OK)
        e = store_alert_recipients_list(ctx->conn, &ctx->actor, id, &rows);
    api_reply_items(res, ctx->conn, e, rows);
out:
    json_decref(body);
}

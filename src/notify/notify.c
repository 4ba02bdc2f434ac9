/*
 * notify.c - writing an event: the inbox rows and the outbox rows of every channel, in the
 * caller's transaction (docs/notifications.md). Delivery is deliver.c's.
 */
#include "notify/notify.h"
#include "core/timefmt.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int notify_kind_matches(const char *filter, const char *kind)
{
    const char *p = filter;
    int any = 0;

    if (!kind)
        return 0;
    while (p && *p) {
        size_t n;
        p += strspn(p, ", \t\n");
        n = strcspn(p, ", \t\n");
        if (n) {
            any = 1;
            if ((n == strlen(kind) && strncmp(p, kind, n) == 0) ||
                (n >= 2 && p[n - 1] == '*' && strncmp(p, kind, n - 1) == 0))
                return 1;
        }
        p += n;
    }
    return !any;
}

/* The JSON every channel delivers from: what the webhook body carries. */
static char *event_payload(const struct notify_event *ev, const char *event_id, int64_t now)
{
    char at[40];
    json_t *o;
    char *text;

    timefmt_iso(now, at, sizeof at);
    o = json_pack(
        "{s:s, s:s, s:s, s:o, s:o, s:s, s:o, s:o, s:o}", "event_id", event_id, "kind", ev->kind,
        "occurred_at", at, "case_id", ev->case_id ? json_integer(ev->case_id) : json_null(),
        "region_id", ev->region_id ? json_integer(ev->region_id) : json_null(), "title",
        ev->title ? ev->title : "", "body", ev->body ? json_string(ev->body) : json_null(), "link",
        ev->link ? json_string(ev->link) : json_null(), "data",
        ev->data ? json_deep_copy(ev->data) : json_object());
    if (!o)
        return NULL;
    text = json_dumps(o, JSON_COMPACT);
    json_decref(o);
    return text;
}

/* One outbox row; a second row of the same event to the same target is not written (two
 * endpoints with one address receive it once). */
static store_err outbox_add(struct store_conn *c, const char *event_id, const char *kind,
                            const char *channel, int64_t endpoint_id, const char *target,
                            const char *payload, int64_t now)
{
    return store_exec(c,
                      "INSERT INTO outbox (event_id, kind, channel, endpoint_id, target, payload,"
                      " state, attempts, next_at, created_at)"
                      " VALUES ($1, $2, $3, $4, $5, $6, 'pending', 0, $7, $7)"
                      " ON CONFLICT DO NOTHING",
                      STORE_PARAMS(SP_TEXT(event_id), SP_TEXT(kind), SP_TEXT(channel),
                                   endpoint_id ? SP_INT(endpoint_id) : SP_NULL, SP_TEXT(target),
                                   SP_TEXT(payload), SP_INT(now)),
                      NULL);
}

/* Whom an endpoint's delivery reaches: a webhook's URL, an SMS gateway's phone number
 * (the gateway's URL stays on the endpoint), a mailbox. */
static const char *endpoint_target(const struct store_rows *r, int i)
{
    const char *channel = store_rows_get(r, i, 1);
    return strcmp(channel, "webhook") == 0 ? store_rows_get(r, i, 2) : store_rows_get(r, i, 3);
}

/* Endpoints: those covering the event's region (not a partner's), a partner's when the
 * event is addressed to it, or the one named. */
static store_err endpoints_for(struct store_conn *c, const struct notify_event *ev, int64_t only_id,
                               struct store_rows **out)
{
    if (only_id)
        return store_exec(c,
                          "SELECT id, channel, url, address, kinds FROM notify_endpoints"
                          " WHERE id = $1",
                          STORE_PARAMS(SP_INT(only_id)), out);
    return store_exec(
        c,
        "SELECT e.id, e.channel, e.url, e.address, e.kinds FROM notify_endpoints e"
        " JOIN regions r ON r.id = e.region_id WHERE e.enabled = 1 AND"
        " ((e.organization_id IS NULL AND EXISTS (SELECT 1 FROM regions er WHERE er.id = $1"
        " AND substr(er.path, 1, length(r.path)) = r.path)) OR e.organization_id = $2)"
        " ORDER BY e.id",
        STORE_PARAMS(SP_INT(ev->region_id), SP_INT(ev->partner_org_id)), out);
}

/* In-app rows, and mail to the users who have an address. */
static store_err users_rows(struct store_conn *c, const struct notify_event *ev, const char *eid,
                            const char *payload, int64_t now)
{
    struct store_rows *r = NULL;
    store_err e = STORE_OK;

    for (size_t i = 0; e == STORE_OK && i < ev->nusers; i++) {
        e = store_exec(c,
                       "INSERT INTO notifications (user_id, kind, title, body, link, case_id,"
                       " event_id, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
                       STORE_PARAMS(SP_INT(ev->user_ids[i]), SP_TEXT(ev->kind),
                                    SP_TEXT(ev->title ? ev->title : ""), SP_TEXT(ev->body),
                                    SP_TEXT(ev->link), ev->case_id ? SP_INT(ev->case_id) : SP_NULL,
                                    SP_TEXT(eid), SP_INT(now)),
                       NULL);
        if (e == STORE_OK)
            e = store_exec(c,
                           "SELECT email FROM users WHERE id = $1 AND active = 1"
                           " AND email IS NOT NULL AND email <> ''",
                           STORE_PARAMS(SP_INT(ev->user_ids[i])), &r);
        if (e == STORE_OK && r->nrows)
            e = outbox_add(c, eid, ev->kind, "email", 0, store_rows_get(r, 0, 0), payload, now);
        store_rows_free(r);
        r = NULL;
    }
    return e;
}

static store_err emit(struct store_conn *c, const struct notify_event *ev, int64_t only_id)
{
    unsigned char raw[16];
    char eid[33];
    int64_t now = store_now_ms();
    struct store_rows *eps = NULL;
    char *payload = NULL;
    store_err e;

    if (!ev || !ev->kind || !*ev->kind) {
        store_conn_seterr(c, "notify: an event needs a kind");
        return STORE_ERROR;
    }
    randombytes_buf(raw, sizeof raw);
    sodium_bin2hex(eid, sizeof eid, raw, sizeof raw);
    payload = event_payload(ev, eid, now);
    if (!payload) {
        store_conn_seterr(c, "out of memory");
        return STORE_ERROR;
    }
    e = users_rows(c, ev, eid, payload, now);
    if (e == STORE_OK)
        e = endpoints_for(c, ev, only_id, &eps);
    for (int i = 0; e == STORE_OK && i < eps->nrows; i++) {
        const char *target = endpoint_target(eps, i);
        if (!target || !*target ||
            (!only_id && !notify_kind_matches(store_rows_get(eps, i, 4), ev->kind)))
            continue;
        e = outbox_add(c, eid, ev->kind, store_rows_get(eps, i, 1), store_rows_int(eps, i, 0),
                       target, payload, now);
    }
    store_rows_free(eps);
    free(payload);
    return e;
}

store_err notify_emit(struct store_conn *c, const struct notify_event *ev)
{
    return emit(c, ev, 0);
}

store_err notify_emit_to(struct store_conn *c, const struct notify_event *ev, int64_t endpoint_id)
{
    return emit(c, ev, endpoint_id);
}

store_err notify_inbox(struct store_conn *c, int64_t user_id, int unread_only,
                       const struct store_page *pg, struct store_rows **out, int64_t *unread)
{
    struct store_rows *n = NULL;
    store_err e = store_exec(c,
                             "SELECT COUNT(*) FROM notifications WHERE user_id = $1"
                             " AND read_at IS NULL",
                             STORE_PARAMS(SP_INT(user_id)), &n);

    if (e == STORE_OK)
        *unread = store_rows_int(n, 0, 0);
    store_rows_free(n);
    n = NULL;
    if (e == STORE_OK)
        e = store_exec(c,
                       "SELECT COUNT(*) FROM notifications WHERE user_id = $1"
                       " AND ($2 = 0 OR read_at IS NULL)",
                       STORE_PARAMS(SP_INT(user_id), SP_INT(unread_only)), &n);
    if (e == STORE_OK)
        e = store_exec(c,
                       "SELECT id, kind, title, body, link, case_id, event_id, created_at,"
                       " read_at FROM notifications WHERE user_id = $1"
                       " AND ($2 = 0 OR read_at IS NULL) ORDER BY id DESC LIMIT $3 OFFSET $4",
                       STORE_PARAMS(SP_INT(user_id), SP_INT(unread_only), SP_INT(pg->per_page),
                                    SP_INT((pg->page - 1) * pg->per_page)),
                       out);
    if (e == STORE_OK) {
        (*out)->types = "ittttitss";
        (*out)->total = store_rows_int(n, 0, 0);
    }
    store_rows_free(n);
    return e;
}

store_err notify_mark_read(struct store_conn *c, int64_t user_id, int64_t id)
{
    struct store_rows *r = NULL;
    store_err e;

    if (!id)
        return store_exec(c,
                          "UPDATE notifications SET read_at = $2 WHERE user_id = $1"
                          " AND read_at IS NULL",
                          STORE_PARAMS(SP_INT(user_id), SP_INT(store_now_ms())), NULL);
    e = store_exec(c,
                   "UPDATE notifications SET read_at = COALESCE(read_at, $3)"
                   " WHERE id = $1 AND user_id = $2 RETURNING id",
                   STORE_PARAMS(SP_INT(id), SP_INT(user_id), SP_INT(store_now_ms())), &r);
    if (e == STORE_OK && r->nrows == 0) {
        store_conn_seterr(c, "notification not found");
        e = STORE_NOT_FOUND;
    }
    store_rows_free(r);
    return e;
}

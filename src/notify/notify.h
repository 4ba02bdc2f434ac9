/*
 * notify.h - telling people and other systems what happened, through one outbox.
 *
 * notify_emit is called inside the transaction of the change that causes it (a risk alert
 * raised by the case module, a referral sent to an agency, a missed investigation report),
 * so that the notification exists if and only if the change does. Delivery happens later,
 * at least once, from the outbox: the in-app inbox (the bell), webhooks signed with
 * HMAC-SHA256 (an SMS gateway is a webhook profile), e-mail over SMTP. Every delivery
 * carries the event id; receivers de-duplicate by it.
 */
#ifndef JIEFEN_NOTIFY_NOTIFY_H
#define JIEFEN_NOTIFY_NOTIFY_H

#include "store/store.h"

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

/* An event. Everything is borrowed for the call. */
struct notify_event {
    const char *kind;        /* "alert.raised", "alert.escalated", "case.referred", ... */
    int64_t case_id;         /* 0: none */
    int64_t region_id;       /* where it happened: subscriptions of this region or above match */
    const char *title;       /* one Chinese line for the inbox, mail subject, SMS */
    const char *body;        /* more text, or NULL */
    const char *link;        /* web path to open, e.g. "/cases/12", or NULL */
    json_t *data;            /* extra fields for webhooks, or NULL */
    const int64_t *user_ids; /* people to tell in-app (and by mail where they have one) */
    size_t nusers;
    int64_t partner_org_id; /* the agency a referral goes to (its webhook), 0: none */
};

/*
 * Writes the event on `c`, in the caller's transaction: one inbox row per user, one outbox
 * row per matching endpoint (kind in its filter, the event's region in its subtree; a
 * partner agency's endpoints only for events addressed to it) and per user with an e-mail
 * address. All rows of one event share a random event id.
 */
store_err notify_emit(struct store_conn *c, const struct notify_event *ev);

/* The same, but to endpoint `endpoint_id` alone whatever its filters (an admin's test). */
store_err notify_emit_to(struct store_conn *c, const struct notify_event *ev, int64_t endpoint_id);

/* 1 if `kind` passes an endpoint's filter: empty, or one of its comma- or space-separated
 * entries, where "alert.*" takes every kind starting with "alert.". Pure. */
int notify_kind_matches(const char *filter, const char *kind);

/* ---- the inbox (the bell) ---- */

/* The user's notifications, newest first; *unread gets how many are unread. */
store_err notify_inbox(struct store_conn *c, int64_t user_id, int unread_only,
                       const struct store_page *pg, struct store_rows **out, int64_t *unread);
/* Marks one (id > 0) or all (id 0) of the user's notifications read. */
store_err notify_mark_read(struct store_conn *c, int64_t user_id, int64_t id);

/* ---- delivery (deliver.c) ---- */

struct seal;

/* What one pass did. */
struct notify_pass {
    int claimed, delivered, failed, dead;
};

/*
 * Claims due outbox rows under a lease held by `owner` and delivers them (webhook, SMS
 * gateway, e-mail). At least once: a row is marked delivered only after the receiver
 * accepted it, and a lease abandoned by a crash expires and is claimed again.
 */
store_err notify_deliver_pass(struct store_conn *c, const struct seal *seal, const char *owner,
                              struct notify_pass *pass);

struct notify_worker;

/* Starts a thread that runs a pass every `interval_s` seconds on its own connection. */
struct notify_worker *notify_start(struct store *st, const struct seal *seal, int interval_s,
                                   char *err, size_t errlen);
/* Stops it (a pass in progress finishes first). NULL-safe. */
void notify_stop(struct notify_worker *w);

/* The owner name of this process's leases: host, pid and a random tag. */
void notify_owner(char *out, size_t outlen);

#endif

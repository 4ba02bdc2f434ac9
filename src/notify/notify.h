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

/* Writes the event to the outbox on `c` (in the caller's transaction). */
store_err notify_emit(struct store_conn *c, const struct notify_event *ev);

#endif

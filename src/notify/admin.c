/*
 * admin.c - endpoints, dead letters and partner referrals in the store (see admin.h).
 */
#include "notify/admin.h"
#include "store/audit.h"
#include "store/regions.h"

#include <stdio.h>
#include <string.h>

#define EP_COLS                                                                                    \
    "e.id, e.name, e.channel, e.url, e.address, e.kinds, e.region_id, r.name AS region_name,"      \
    " e.organization_id, o.name AS organization_name, e.enabled, e.sms_template,"                  \
    " e.secret IS NOT NULL AS has_secret, e.created_at, e.updated_at"
#define EP_TYPES "itttttititbtbss"
#define EP_FROM                                                                                    \
    " FROM notify_endpoints e JOIN regions r ON r.id = e.region_id AND r.path >= $1"               \
    " AND r.path < $2 LEFT JOIN organizations o ON o.id = e.organization_id"

/* A partner organization must lie in scope too. */
static store_err org_in_scope(struct store_conn *c, const struct store_actor *a, int64_t id)
{
    struct store_rows *r = NULL;
    store_err e;

    if (id <= 0)
        return STORE_OK;
    e = store_exec(c,
                   "SELECT o.id FROM organizations o JOIN regions r ON r.id = o.region_id"
                   " WHERE o.id = $1 AND r.path >= $2 AND r.path < $3",
                   STORE_PARAMS(SP_INT(id), SP_TEXT(a->scope.lo), SP_TEXT(a->scope.hi)), &r);
    if (e == STORE_OK && r->nrows == 0)
        e = store_conn_invalid(c, "organization_id", "not_found", "no such organization in scope");
    store_rows_free(r);
    return e;
}

store_err notify_endpoint_get(struct store_conn *c, const struct store_actor *a, int64_t id,
                              struct store_rows **out)
{
    return store_one(c, "SELECT " EP_COLS EP_FROM " WHERE e.id = $3",
                     STORE_PARAMS(SP_TEXT(a->scope.lo), SP_TEXT(a->scope.hi), SP_INT(id)), EP_TYPES,
                     "endpoint", out);
}

store_err notify_endpoint_list(struct store_conn *c, const struct store_actor *a,
                               struct store_rows **out)
{
    store_err e = store_exec(c, "SELECT " EP_COLS EP_FROM " ORDER BY e.id",
                             STORE_PARAMS(SP_TEXT(a->scope.lo), SP_TEXT(a->scope.hi)), out);
    if (e == STORE_OK)
        (*out)->types = EP_TYPES;
    return e;
}

store_err notify_endpoint_create(struct store_conn *c, const struct store_actor *a,
                                 const struct notify_endpoint_in *in, int64_t *id)
{
    struct region_scope sub;
    struct store_rows *r = NULL;
    int64_t now = store_now_ms();
    store_err e = store_begin(c, 1);

    if (e != STORE_OK)
        return e;
    e = store_region_narrow(c, a, in->region_id, &sub);
    if (e == STORE_OK)
        e = org_in_scope(c, a, in->organization_id);
    if (e == STORE_OK)
        e = store_exec(
            c,
            "INSERT INTO notify_endpoints (name, channel, url, address, secret, kinds, region_id,"
            " organization_id, enabled, sms_template, created_at, updated_at)"
            " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11) RETURNING id",
            STORE_PARAMS(SP_TEXT(in->name), SP_TEXT(in->channel), SP_TEXT(in->url),
                         SP_TEXT(in->address), SP_TEXT(in->secret_sealed),
                         SP_TEXT(in->kinds ? in->kinds : ""), SP_INT(in->region_id),
                         in->organization_id > 0 ? SP_INT(in->organization_id) : SP_NULL,
                         SP_INT(in->enabled < 0 ? 1 : in->enabled), SP_TEXT(in->sms_template),
                         SP_INT(now)),
            &r);
    if (e == STORE_OK) {
        *id = store_rows_int(r, 0, 0);
        e = store_audit_append(c, a, "create", "notify_endpoint", *id,
                               "name,channel,url,address,secret,kinds,region_id,organization_id",
                               NULL);
    }
    store_rows_free(r);
    return store_end(c, e);
}

store_err notify_endpoint_update(struct store_conn *c, const struct store_actor *a, int64_t id,
                                 const struct notify_endpoint_in *in)
{
    struct region_scope sub;
    struct store_rows *r = NULL;
    store_err e = store_begin(c, 1);

    if (e != STORE_OK)
        return e;
    e = notify_endpoint_get(c, a, id, &r);
    if (e == STORE_OK && in->region_id)
        e = store_region_narrow(c, a, in->region_id, &sub);
    if (e == STORE_OK)
        e = org_in_scope(c, a, in->organization_id);
    if (e == STORE_OK)
        e = store_exec(
            c,
            "UPDATE notify_endpoints SET name = COALESCE($2, name), url = COALESCE($3, url),"
            " address = COALESCE($4, address), secret = COALESCE($5, secret),"
            " kinds = COALESCE($6, kinds), region_id = CASE WHEN $7 > 0 THEN $7 ELSE region_id END,"
            " organization_id = CASE WHEN $8 > 0 THEN $8 WHEN $8 < 0 THEN NULL"
            " ELSE organization_id END, enabled = CASE WHEN $9 >= 0 THEN $9 ELSE enabled END,"
            " sms_template = COALESCE($10, sms_template), updated_at = $11 WHERE id = $1",
            STORE_PARAMS(SP_INT(id), SP_TEXT(in->name), SP_TEXT(in->url), SP_TEXT(in->address),
                         SP_TEXT(in->secret_sealed), SP_TEXT(in->kinds), SP_INT(in->region_id),
                         SP_INT(in->organization_id), SP_INT(in->enabled),
                         SP_TEXT(in->sms_template), SP_INT(store_now_ms())),
            NULL);
    if (e == STORE_OK)
        e = store_audit_append(c, a, "update", "notify_endpoint", id, NULL, NULL);
    store_rows_free(r);
    return store_end(c, e);
}

/* An endpoint that has delivered keeps its row (the outbox refers to it): deleting one
 * with history disables it instead. */
store_err notify_endpoint_delete(struct store_conn *c, const struct store_actor *a, int64_t id)
{
    struct store_rows *r = NULL;
    store_err e = store_begin(c, 1);

    if (e != STORE_OK)
        return e;
    e = notify_endpoint_get(c, a, id, &r);
    store_rows_free(r);
    r = NULL;
    if (e == STORE_OK)
        e = store_exec(c, "SELECT COUNT(*) FROM outbox WHERE endpoint_id = $1",
                       STORE_PARAMS(SP_INT(id)), &r);
    if (e == STORE_OK && store_rows_int(r, 0, 0) > 0)
        e = store_exec(c, "UPDATE notify_endpoints SET enabled = 0, updated_at = $2 WHERE id = $1",
                       STORE_PARAMS(SP_INT(id), SP_INT(store_now_ms())), NULL);
    else if (e == STORE_OK)
        e = store_exec(c, "DELETE FROM notify_endpoints WHERE id = $1", STORE_PARAMS(SP_INT(id)),
                       NULL);
    if (e == STORE_OK)
        e = store_audit_append(c, a, "delete", "notify_endpoint", id, NULL, NULL);
    store_rows_free(r);
    return store_end(c, e);
}

#define OB_COLS                                                                                    \
    "o.id, o.event_id, o.kind, o.channel, o.endpoint_id, e.name AS endpoint_name, o.target,"       \
    " o.state, o.attempts, o.next_at, o.lease_owner, o.lease_until, o.last_error,"                 \
    " o.created_at, o.delivered_at, o.payload"
#define OB_TYPES "itttitttiststssj"
/* The deliveries to endpoints of the caller's regions, and for the top administrator those
 * without an endpoint (SMS, email): a union of index-bound id lists (outbox_endpoint of
 * migration 25), as an OR across the join read the whole outbox (issue 12). */
#define OB_FROM                                                                                    \
    " FROM outbox o LEFT JOIN notify_endpoints e ON e.id = o.endpoint_id"                          \
    " WHERE o.id IN (SELECT x.id FROM outbox x WHERE x.endpoint_id IN (SELECT y.id"                \
    " FROM notify_endpoints y JOIN regions r ON r.id = y.region_id"                                \
    " WHERE r.path >= $1 AND r.path < $2)"                                                         \
    " UNION ALL SELECT x.id FROM outbox x WHERE x.endpoint_id IS NULL AND $3 = 1)"

store_err notify_outbox_list(struct store_conn *c, const struct store_actor *a, const char *state,
                             const struct store_page *pg, struct store_rows **out)
{
    struct store_rows *n = NULL;
    store_err e = store_exec(c, "SELECT COUNT(*)" OB_FROM " AND ($4 = '' OR o.state = $4)",
                             STORE_PARAMS(SP_TEXT(a->scope.lo), SP_TEXT(a->scope.hi),
                                          SP_INT(a->top), SP_TEXT(state ? state : "")),
                             &n);

    if (e == STORE_OK)
        e = store_exec(c,
                       "SELECT " OB_COLS OB_FROM " AND ($4 = '' OR o.state = $4)"
                       " ORDER BY o.id DESC LIMIT $5 OFFSET $6",
                       STORE_PARAMS(SP_TEXT(a->scope.lo), SP_TEXT(a->scope.hi), SP_INT(a->top),
                                    SP_TEXT(state ? state : ""), SP_INT(pg->per_page),
                                    SP_INT((pg->page - 1) * pg->per_page)),
                       out);
    if (e == STORE_OK) {
        (*out)->types = OB_TYPES;
        (*out)->total = store_rows_int(n, 0, 0);
    }
    store_rows_free(n);
    return e;
}

store_err notify_outbox_replay(struct store_conn *c, const struct store_actor *a, int64_t id)
{
    struct store_rows *r = NULL;
    store_err e = store_begin(c, 1);

    if (e != STORE_OK)
        return e;
    e = store_exec(
        c, "SELECT o.state" OB_FROM " AND o.id = $4",
        STORE_PARAMS(SP_TEXT(a->scope.lo), SP_TEXT(a->scope.hi), SP_INT(a->top), SP_INT(id)), &r);
    if (e == STORE_OK && r->nrows == 0) {
        store_conn_seterr(c, "outbox entry not found");
        e = STORE_NOT_FOUND;
    } else if (e == STORE_OK && strcmp(store_rows_get(r, 0, 0), "delivered") == 0) {
        store_conn_seterr(c, "the entry was delivered already");
        e = STORE_CONFLICT;
    }
    /* The event id stays: a receiver that did get it after all drops the repeat. */
    if (e == STORE_OK)
        e = store_exec(c,
                       "UPDATE outbox SET state = 'pending', attempts = 0, next_at = $2,"
                       " lease_owner = NULL, lease_until = NULL WHERE id = $1",
                       STORE_PARAMS(SP_INT(id), SP_INT(store_now_ms())), NULL);
    if (e == STORE_OK)
        e = store_audit_append(c, a, "replay", "outbox", id, NULL, NULL);
    store_rows_free(r);
    return store_end(c, e);
}

/* The referral: the latest refer event of the case. */
#define REF_COLS                                                                                   \
    "c.id, c.number, c.category, c.state, c.facts, c.claims, g.name AS region_name,"               \
    " c.due_date AS feedback_due, c.received_at,"                                                  \
    " (SELECT ev.data FROM case_events ev WHERE ev.case_id = c.id AND ev.action = 'refer'"         \
    " ORDER BY ev.id DESC LIMIT 1) AS referral, c.feedback_recorded"
#define REF_TYPES "itttttttsjb"
#define REF_FROM  " FROM cases c JOIN regions g ON g.id = c.region_id WHERE c.referred_org_id = $1"

store_err notify_partner_referrals(struct store_conn *c, int64_t org_id,
                                   const struct store_page *pg, struct store_rows **out)
{
    struct store_rows *n = NULL;
    store_err e = store_exec(c, "SELECT COUNT(*)" REF_FROM, STORE_PARAMS(SP_INT(org_id)), &n);

    if (e == STORE_OK)
        e = store_exec(c, "SELECT " REF_COLS REF_FROM " ORDER BY c.id DESC LIMIT $2 OFFSET $3",
                       STORE_PARAMS(SP_INT(org_id), SP_INT(pg->per_page),
                                    SP_INT((pg->page - 1) * pg->per_page)),
                       out);
    if (e == STORE_OK) {
        (*out)->types = REF_TYPES;
        (*out)->total = store_rows_int(n, 0, 0);
    }
    store_rows_free(n);
    return e;
}

store_err notify_partner_referral(struct store_conn *c, int64_t org_id, int64_t case_id,
                                  struct store_rows **out)
{
    return store_one(c, "SELECT " REF_COLS REF_FROM " AND c.id = $2",
                     STORE_PARAMS(SP_INT(org_id), SP_INT(case_id)), REF_TYPES, "referral", out);
}

/*
 * admin.h - what administrators and partner agencies do with notifications in the store:
 * endpoints (webhook, SMS gateway, mailbox), the outbox's dead letters and their replay,
 * and the referrals a partner agency (court, police, petition office) may see.
 *
 * Endpoints and outbox rows are scoped by the endpoint's region, like everything else an
 * actor touches; every change is audited in its transaction. Secrets arrive sealed
 * (seal/seal.h) and never leave: rows say only has_secret.
 */
#ifndef JIEFEN_NOTIFY_ADMIN_H
#define JIEFEN_NOTIFY_ADMIN_H

#include "store/store.h"

/* Input for create and update; for update NULL / -1 leaves a field unchanged. */
struct notify_endpoint_in {
    const char *name;
    const char *channel; /* webhook, sms, email (create only) */
    const char *url;
    const char *address;
    const char *secret_sealed;
    const char *kinds;
    int64_t region_id;       /* 0: unchanged */
    int64_t organization_id; /* 0: none (create) / unchanged (update); -1: none (update) */
    int enabled;             /* 1, 0; -1 unchanged */
    const char *sms_template;
};

store_err notify_endpoint_create(struct store_conn *c, const struct store_actor *a,
                                 const struct notify_endpoint_in *in, int64_t *id);
store_err notify_endpoint_update(struct store_conn *c, const struct store_actor *a, int64_t id,
                                 const struct notify_endpoint_in *in);
store_err notify_endpoint_delete(struct store_conn *c, const struct store_actor *a, int64_t id);
store_err notify_endpoint_get(struct store_conn *c, const struct store_actor *a, int64_t id,
                              struct store_rows **out);
store_err notify_endpoint_list(struct store_conn *c, const struct store_actor *a,
                               struct store_rows **out);

/* Outbox rows in scope (an endpoint's region in scope; mail to staff for a top actor). */
store_err notify_outbox_list(struct store_conn *c, const struct store_actor *a, const char *state,
                             const struct store_page *pg, struct store_rows **out);
/* Puts a dead (or pending) row back to be delivered now, with fresh attempts; audited. */
store_err notify_outbox_replay(struct store_conn *c, const struct store_actor *a, int64_t id);

/* ---- partner agencies ---- */

/* Cases referred to organization `org_id`: their referral summaries. */
store_err notify_partner_referrals(struct store_conn *c, int64_t org_id,
                                   const struct store_page *pg, struct store_rows **out);
/* One of them; STORE_NOT_FOUND when the case was not referred to org_id. */
store_err notify_partner_referral(struct store_conn *c, int64_t org_id, int64_t case_id,
                                  struct store_rows **out);

#endif

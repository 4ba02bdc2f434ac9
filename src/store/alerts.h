/*
 * alerts.h - risk alerts (预警) in the store: who is told for each region
 * (alert_recipients), the alerts themselves, whom each one told and each escalation it
 * made. The rules (when to raise, whom to tell, when to escalate) are src/watch/alert.c's;
 * these are its queries. Functions an API caller can cause are scoped by its actor.
 */
#ifndef JIEFEN_STORE_ALERTS_H
#define JIEFEN_STORE_ALERTS_H

#include "store/store.h"

/*
 * The region nearest to `path` that has recipients configured: `path` itself or one of its
 * ancestors whose path is shorter than `below` bytes (pass a large number to include
 * `path` itself, strlen(path) for its ancestors only). *region_id is 0 when there is none.
 * Not scoped: the rules decide whom to tell, whoever caused the alert.
 */
store_err store_alert_recipient_region(struct store_conn *c, const char *path, size_t below,
                                       int64_t *region_id);

/* The active recipients of region_id: user_id, duty. */
store_err store_alert_recipients_of(struct store_conn *c, int64_t region_id,
                                    struct store_rows **out);

/* Everything an alert needs from its case: region_id, region_path, lead_leader_id, number. */
store_err store_alert_case(struct store_conn *c, int64_t case_id, struct store_rows **out);

struct store_alert_in {
    int64_t case_id, region_id, target_region_id; /* target 0: nobody configured */
    const char *region_path, *level, *from_level, *reasons;
    int64_t created_at, ack_due_at;
};

/* Inserts an open alert (escalation level 0) and sets *id. */
store_err store_alert_insert(struct store_conn *c, const struct store_alert_in *in, int64_t *id);

/* Records that user_id was told of the alert at `level`; *added is 0 if already told. */
store_err store_alert_notified_add(struct store_conn *c, int64_t alert_id, int64_t user_id,
                                   int level, const char *duty, int *added);

/* Unacknowledged alerts whose acknowledgment was due at or before `now` and that can still
 * go up: id. At most `limit`, most overdue first. Not scoped: for the scheduler. */
store_err store_alerts_due(struct store_conn *c, int64_t now, int limit, struct store_rows **out);

/* One alert, unscoped: id, case_id, region_id, region_path, level, state, ack_due_at,
 * escalation_level, target_region_id, target_path (NULL when none), case_number, acked_at. */
store_err store_alert_row(struct store_conn *c, int64_t id, struct store_rows **out);

/*
 * Moves alert `id` from escalation level `from` to from + 1, towards target_region_id,
 * with a new due time. *moved is 0 when another pass already did it or the alert was
 * acknowledged meanwhile: the escalation row's unique key (alert, level) and the
 * conditional update both keep it to once.
 */
store_err store_alert_escalate(struct store_conn *c, int64_t id, int from, int64_t target_region_id,
                               int64_t now, int64_t ack_due_at, int *moved);

/* Marks alert `id` as having no level left to go to: it stays unacknowledged (and overdue)
 * but the scheduler no longer picks it up. */
store_err store_alert_top(struct store_conn *c, int64_t id);

/* The name of region `id` (unscoped: for the timeline of an escalation). */
store_err store_alert_region_name(struct store_conn *c, int64_t id, char *name, size_t len);

/*
 * Acknowledges alert `id` for the actor: allowed when the actor was told of it, or when
 * `overseer` (supervisor, leader or admin) and the alert's region is in scope.
 * STORE_NOT_FOUND when neither applies and the alert is out of scope; STORE_FORBIDDEN when
 * it is visible but not the actor's to acknowledge; STORE_CONFLICT when already
 * acknowledged. Audited; in the caller's transaction when one is open.
 */
store_err store_alert_ack(struct store_conn *c, const struct store_actor *a, int overseer,
                          int64_t id, const char *note, int64_t now);

struct store_alert_filter {
    const char *state; /* "open" (not acknowledged: open or escalated), "acked", NULL: all */
    int64_t region_id; /* the alerts of this region's subtree; 0: the actor's scope */
    int mine;          /* only alerts the actor was told of */
    int64_t now;       /* for `overdue` */
};

/*
 * Alerts the actor may see (its scope, or told of): unacknowledged first, red before
 * orange, the earliest due first; then the acknowledged, latest first. Columns: id,
 * case_id, case_number, region_id, region_name, level, from_level, reasons, state,
 * created_at, ack_due_at, overdue, acked_at, acked_by, acked_by_name, ack_note,
 * escalation_level, escalated_at, target_region_id, target_region_name, mine.
 */
store_err store_alert_list(struct store_conn *c, const struct store_actor *a,
                           const struct store_alert_filter *f, const struct store_page *pg,
                           struct store_rows **out);

/* One alert as store_alert_list shows it (scoped the same way). */
store_err store_alert_get(struct store_conn *c, const struct store_actor *a, int64_t id,
                          int64_t now, struct store_rows **out);

/* The recipients of region `id` (in scope): user_id, name, login, org_name, duty. */
store_err store_alert_recipients_list(struct store_conn *c, const struct store_actor *a,
                                      int64_t region_id, struct store_rows **out);

struct store_alert_recipient_in {
    int64_t user_id;
    const char *duty;
};

/* Replaces the recipients of region `id` (in scope; each user in scope and active, else
 * STORE_INVALID naming "recipients[i].user_id"); audited, one transaction. */
store_err store_alert_recipients_set(struct store_conn *c, const struct store_actor *a,
                                     int64_t region_id, const struct store_alert_recipient_in *in,
                                     int n);

#endif

/*
 * alert.h - risk alerts that cannot be missed (预警): raised when a case reaches orange or
 * red or rises a level, sent to the recipients configured for its region (the lead
 * leader, the 综治 centre, the police liaison), acknowledged by one of them, escalated to
 * the level above when nobody acknowledges in time. docs/risk.md.
 */
#ifndef JIEFEN_WATCH_ALERT_H
#define JIEFEN_WATCH_ALERT_H

#include "core/risk.h"
#include "store/store.h"

#include <stdint.h>

/*
 * Called by the case module (src/case/risk.c) in the transaction that moved the risk of
 * case `case_id` from `from` to `to` (to != from); `reasons` is the phrase list. Raises an
 * alert, and its notifications, when the case reaches orange or red or rises a level;
 * does nothing otherwise.
 */
store_err alert_on_risk(struct store_conn *c, const struct store_actor *actor, int64_t case_id,
                        enum risk_level from, enum risk_level to, const char *reasons);

/*
 * Acknowledges (签收) alert `id` with an optional note, as the actor: one it was sent to,
 * or (`overseer`: the actor is a supervisor, leader or administrator) anyone whose scope
 * holds the alert's region. Audited, with an event on the case's timeline, in one
 * transaction. STORE_NOT_FOUND / STORE_FORBIDDEN / STORE_CONFLICT as store_alert_ack.
 */
store_err alert_ack(struct store_conn *c, const struct store_actor *actor, int overseer, int64_t id,
                    const char *note);

/*
 * One escalation pass as of `now` (epoch ms): every alert still unacknowledged after its
 * due time goes to the recipients of the nearest region above the one last told, with a new
 * due time, once per level, up to the top of the tree. One transaction per alert; a pass
 * interrupted, repeated or run by two servers at once escalates each alert once per level.
 * *escalated counts the escalations made.
 */
store_err alert_scan(struct store_conn *c, int64_t now, int *escalated);

#endif

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

#endif

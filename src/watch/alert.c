/*
 * alert.c - TRANSITIONAL: no alert is raised until the alert store lands (issue 10, part 2).
 * The case module already calls it where the risk changes.
 */
#include "watch/alert.h"

store_err alert_on_risk(struct store_conn *c, const struct store_actor *actor, int64_t case_id,
                        enum risk_level from, enum risk_level to, const char *reasons)
{
    (void)c;
    (void)actor;
    (void)case_id;
    (void)from;
    (void)to;
    (void)reasons;
    return STORE_OK;
}

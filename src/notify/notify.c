/*
 * notify.c - TRANSITIONAL: accepts events and drops them until the outbox lands (issue 10,
 * part 3). Callers are written against the final interface.
 */
#include "notify/notify.h"

store_err notify_emit(struct store_conn *c, const struct notify_event *ev)
{
    (void)c;
    (void)ev;
    return STORE_OK;
}

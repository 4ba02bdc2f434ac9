/*
 * sched.h - the deadline scheduler (预警): a background pass over open cases that raises
 * a warning a few working days before each time limit and another when it is reached.
 *
 * It keeps no state of its own: every warning it raised is a row with a unique key, so a
 * pass can be interrupted at any point, repeated, or run by several servers at once and
 * still raises each warning exactly once.
 */
#ifndef JIEFEN_SCHED_SCHED_H
#define JIEFEN_SCHED_SCHED_H

#include <stdint.h>

#include "store/store.h"

/* lead_days: working days of warning before a limit; SCHED_LEAD_SETTING reads the
 * warning_lead_days setting (core/settings.c) at every pass. */
#define SCHED_LEAD_SETTING (-1)

/* One pass as of `today` (days since the epoch). *raised counts new warnings. */
store_err sched_scan(struct store_conn *c, int32_t today, int lead_days, int *raised);

/*
 * The watch pass as of `today`: scheduled investigation (expected reports opened, one
 * miss warning per report not filed by its due day; watch/investigate.h) and the daily
 * trend scan (watch/trend.h). Counted apart from the deadline warnings.
 */
store_err sched_watch(struct store_conn *c, int32_t today, int *misses, int *spikes);

/* Today in China (UTC+8), as days since the epoch. */
int32_t sched_today(void);

struct sched;

/* Starts a thread that runs a pass every `interval_s` seconds with its own connection.
 * Returns NULL (and a reason in err) if it cannot start. */
struct sched *sched_start(struct store *st, int interval_s, int lead_days, char *err,
                          size_t errlen);

/* Stops the thread (waiting for a pass in progress to finish) and frees it. NULL-safe. */
void sched_stop(struct sched *s);

#endif

/*
 * quarterly.h - reminders of the quarterly summary (季度总结, docs/reports.md) to the units
 * that owe it and have not issued it.
 */
#ifndef JIEFEN_WATCH_QUARTERLY_H
#define JIEFEN_WATCH_QUARTERLY_H

#include "store/store.h"

#include <stdint.h>

/* The region levels that owe a quarterly summary (the SQL list). */
#define QUARTERLY_LEVELS "('county', 'township')"

/*
 * One pass as of `today` (days since the epoch). The quarter concerned is the one before
 * the quarter holding today + lead_days; its summary is due on the 5th day of the month
 * after it (core/period.h). From lead_days before that day an "advance" reminder, from the
 * due day on a "due" one, each once per unit and quarter (report_reminders' key), to the
 * supervisors and leaders of every county and township that has no issued quarterly
 * report for the quarter. lead_days < 0 reads the quarterly_reminder_days setting.
 * *sent counts the units reminded in this pass.
 */
store_err quarterly_remind(struct store_conn *c, int32_t today, int lead_days, int *sent);

#endif

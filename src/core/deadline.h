/*
 * deadline.h - when a case's time limit deserves a warning (预警) and when it is overdue.
 * Pure: the calendar and "today" are parameters.
 */
#ifndef JIEFEN_CORE_DEADLINE_H
#define JIEFEN_CORE_DEADLINE_H

#include "core/calendar.h"

enum deadline_warning {
    DEADLINE_NONE = 0,
    DEADLINE_APPROACHING, /* within lead_days working days of the limit */
    DEADLINE_DUE,         /* the limit is today or past */
};

/*
 * The warning a case with time limit `due` deserves on `today`: DUE from the due day on,
 * APPROACHING from `lead_days` working days before it (e.g. 3: a Monday due date warns
 * from the previous Wednesday), else NONE.
 */
enum deadline_warning deadline_check(const struct calendar *cal, int32_t today, int32_t due,
                                     int lead_days);

const char *deadline_warning_name(enum deadline_warning w);

/*
 * The due day of a case resumed on day `resumed` after being suspended on day `suspended`
 * (中止: the clock stood still): the limit moves by the calendar days the pause lasted, none
 * for a pause within one day, never backwards (a clock set back gives no negative pause).
 */
int32_t deadline_after_pause(int32_t due, int32_t suspended, int32_t resumed);

#endif

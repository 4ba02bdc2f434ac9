#include "core/deadline.h"

enum deadline_warning deadline_check(const struct calendar *cal, int32_t today, int32_t due,
                                     int lead_days)
{
    if (today >= due)
        return DEADLINE_DUE;
    /* Warn when the limit is at most lead_days working days away. */
    if (calendar_add(cal, today, lead_days, 1) >= due)
        return DEADLINE_APPROACHING;
    return DEADLINE_NONE;
}

const char *deadline_warning_name(enum deadline_warning w)
{
    return w == DEADLINE_DUE ? "due" : w == DEADLINE_APPROACHING ? "approaching" : "none";
}

int32_t deadline_after_pause(int32_t due, int32_t suspended, int32_t resumed)
{
    return resumed > suspended ? due + (resumed - suspended) : due;
}

#include "core/calendar.h"
#include "core/timefmt.h"

#include <stdlib.h>

static int by_day(const void *a, const void *b)
{
    int32_t x = ((const struct calendar_day *)a)->day, y = ((const struct calendar_day *)b)->day;
    return (x > y) - (x < y);
}

void calendar_sort(struct calendar_day *days, size_t n)
{
    if (n > 1)
        qsort(days, n, sizeof *days, by_day);
}

static const struct calendar_day *find(const struct calendar *cal, int32_t day)
{
    size_t lo = 0, hi = cal->n;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (cal->days[mid].day < day)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < cal->n && cal->days[lo].day == day ? &cal->days[lo] : NULL;
}

int calendar_is_workday(const struct calendar *cal, int32_t day)
{
    const struct calendar_day *ex = find(cal, day);
    int wd = timefmt_weekday(day);

    if (ex)
        return ex->kind == CAL_WORKDAY;
    return wd != 0 && wd != 6;
}

int32_t calendar_add(const struct calendar *cal, int32_t from, int n, int business)
{
    int32_t day = from;

    if (n <= 0)
        return from;
    if (business) {
        while (n > 0) {
            day++;
            if (calendar_is_workday(cal, day))
                n--;
        }
        return day;
    }
    return calendar_period_end(cal, from + n);
}

int32_t calendar_period_end(const struct calendar *cal, int32_t day)
{
    /* A year has at most nine consecutive rest days (the Spring Festival); the bound only
     * guards against a calendar that marks everything a holiday. */
    for (int i = 0; i < 366 && !calendar_is_workday(cal, day); i++)
        day++;
    return day;
}

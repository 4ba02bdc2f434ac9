/*
 * calendar.h - working days and deadlines (工作日历).
 *
 * Monday to Friday are working days except the public holidays the State Council
 * announces each year, and some weekend days are worked instead (调休). The calendar
 * is that list of exceptions; every deadline in the system is counted on it. Pure: the
 * caller passes the exceptions and the dates in.
 */
#ifndef JIEFEN_CORE_CALENDAR_H
#define JIEFEN_CORE_CALENDAR_H

#include <stddef.h>
#include <stdint.h>

enum calendar_kind { CAL_HOLIDAY = 'h', CAL_WORKDAY = 'w' };

struct calendar_day {
    int32_t day; /* days since 1970-01-01 */
    char kind;   /* enum calendar_kind */
};

/* The exceptions, sorted by day (calendar_sort sorts them). */
struct calendar {
    const struct calendar_day *days;
    size_t n;
};

void calendar_sort(struct calendar_day *days, size_t n);

/* Returns 1 if `day` is a working day. */
int calendar_is_workday(const struct calendar *cal, int32_t day);

/*
 * The deadline `n` days after `from` (from itself not counted).
 * Business days: the n-th working day after from.
 * Calendar days: from + n; if that is not a working day, the next working day, as the
 * Civil Procedure Law (民事诉讼法, 期间) counts periods that end on a rest day.
 * n <= 0 returns from.
 */
int32_t calendar_add(const struct calendar *cal, int32_t from, int n, int business);

/*
 * The day a period whose last day is `day` really ends: `day` itself if it is a working
 * day, else the next working day. 民法典 art. 203: "期间的最后一日是法定休假日的，以法定
 * 休假日结束的次日为期间的最后一日" — rest days (weekends not worked under 调休) count as
 * 法定休假日, and a weekend day worked under 调休 is a working day. Applies to every time
 * limit: acceptance, court delegation, petition transfer, extension, resumption after
 * suspension, referral feedback, instalments.
 */
int32_t calendar_period_end(const struct calendar *cal, int32_t day);

#endif

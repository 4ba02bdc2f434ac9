/*
 * trend.h - is this week's count of a kind of dispute a spike? (趋势预警, docs/risk.md
 * "Trend warnings").
 *
 * The test compares the last 7 days of a daily series with the mean week of the 8 weeks
 * before them, by the upper tail of a Poisson distribution, and alarms only when all three
 * hold: the week has at least TREND_MIN_COUNT cases, it is at least TREND_MIN_RATIO times
 * the usual week, and a count this high would happen by chance less than TREND_ALPHA of
 * the time. Whole weeks make the weekday pattern (Monday queues, quiet Sundays) cancel out;
 * the count floor keeps tiny villages from alarming on two cases; the ratio floor keeps a
 * large county's slow growth from alarming on significance alone.
 *
 * Pure: no I/O.
 */
#ifndef JIEFEN_CORE_TREND_H
#define JIEFEN_CORE_TREND_H

#include <stdint.h>

#define TREND_WINDOW_DAYS    7
#define TREND_BASE_WEEKS     8
#define TREND_SERIES_DAYS    (TREND_WINDOW_DAYS * (TREND_BASE_WEEKS + 1)) /* 63 */
#define TREND_MIN_COUNT      5
#define TREND_MIN_RATIO      1.5
#define TREND_ALPHA          0.001
#define TREND_BASELINE_FLOOR 0.5 /* cases a week: a category never seen is not "infinitely" up */

struct trend_result {
    int64_t observed; /* the last 7 days */
    double baseline;  /* the mean of the 8 weeks before (cases a week) */
    double ratio;     /* observed / max(baseline, floor) */
    double p;         /* P(X >= observed) for X ~ Poisson(max(baseline, floor)) */
    int spike;        /* 1: raise a warning */
};

/*
 * Tests `daily`, TREND_SERIES_DAYS counts oldest first, ending with the window's last day.
 */
void trend_test(const int64_t daily[TREND_SERIES_DAYS], struct trend_result *r);

/* P(X >= k) for X ~ Poisson(lambda), lambda > 0. */
double trend_poisson_upper(int64_t k, double lambda);

#endif

/*
 * period.h - the reporting periods of the 研判专报 (docs/reports.md): a month "YYYY-MM"
 * (monthly 研判预警专报) and a quarter "YYYY-Qn" (季度总结), as day ranges, shifted, and the
 * quarterly summary's due day. Pure.
 */
#ifndef JIEFEN_CORE_PERIOD_H
#define JIEFEN_CORE_PERIOD_H

#include <stddef.h>
#include <stdint.h>

enum period_kind { PERIOD_MONTH, PERIOD_QUARTER };

/* The first and last day (YYYY-MM-DD) of `period` of `kind`; 0 if it is not one
 * (years 2000..9999). `n` is the size of each buffer (at least 11). */
int period_days(enum period_kind kind, const char *period, char *first, char *last, size_t n);

/* The period `delta` months or quarters from a valid `period` (e.g. -1: the previous one,
 * -12 months or -4 quarters: the same one a year earlier). */
void period_shift(enum period_kind kind, const char *period, int delta, char *out, size_t n);

/* The quarter (YYYY-Qn) holding `day` (days since the epoch). */
void period_quarter_of(int32_t day, char *out, size_t n);

/*
 * The day a quarter's summary is due: the 5th day of the first month of the following
 * quarter (2026-Q3 → 2026-10-05). Local practice: the county bureau's 季度总结 falls due
 * with the first monthly report of the next quarter; no article of the 2002 规定 sets it.
 */
void period_quarter_due(const char *quarter, char *out, size_t n);

#endif

#include "core/period.h"
#include "core/timefmt.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int month_len(int y, int m)
{
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return days[m - 1] + (m == 2 && leap(y));
}

/* "YYYY-MM" → y, m (the month); "YYYY-Qn" → y, n (the quarter); 0 if malformed. */
static int parse(enum period_kind kind, const char *p, int *y, int *i)
{
    char tail;

    if (!p || strlen(p) != 7 || p[4] != '-')
        return 0;
    if (kind == PERIOD_MONTH) {
        if (sscanf(p, "%4d-%2d%c", y, i, &tail) != 2 || *i < 1 || *i > 12)
            return 0;
    } else if (p[5] != 'Q' || sscanf(p, "%4d-Q%1d%c", y, i, &tail) != 2 || *i < 1 || *i > 4) {
        return 0;
    }
    return *y >= 2000 && *y <= 9999 && p[0] >= '0' && p[0] <= '9';
}

int period_days(enum period_kind kind, const char *period, char *first, char *last, size_t n)
{
    int y, i, m0, m1;

    if (!parse(kind, period, &y, &i))
        return 0;
    m0 = kind == PERIOD_MONTH ? i : 3 * i - 2;
    m1 = kind == PERIOD_MONTH ? i : 3 * i;
    snprintf(first, n, "%04d-%02d-01", y, m0);
    snprintf(last, n, "%04d-%02d-%02d", y, m1, month_len(y, m1));
    return 1;
}

void period_shift(enum period_kind kind, const char *period, int delta, char *out, size_t n)
{
    int y = 2000, i = 1, per = kind == PERIOD_MONTH ? 12 : 4;
    unsigned k;

    parse(kind, period, &y, &i);
    /* The period was checked (2000..9999), so k stays positive and the year 4 digits. */
    k = (unsigned)(y * per + i - 1 + delta);
    if (kind == PERIOD_MONTH)
        snprintf(out, n, "%04u-%02u", (k / 12) % 10000, k % 12 + 1);
    else
        snprintf(out, n, "%04u-Q%u", (k / 4) % 10000, k % 4 + 1);
}

void period_quarter_of(int32_t day, char *out, size_t n)
{
    char d[16];

    timefmt_day(day, d, sizeof d);
    snprintf(out, n, "%.4s-Q%d", d, (atoi(d + 5) - 1) / 3 + 1);
}

void period_quarter_due(const char *quarter, char *out, size_t n)
{
    char next[16];
    int y = 2000, q = 1;

    period_shift(PERIOD_QUARTER, quarter, 1, next, sizeof next);
    parse(PERIOD_QUARTER, next, &y, &q);
    snprintf(out, n, "%04d-%02d-05", y, 3 * q - 2);
}

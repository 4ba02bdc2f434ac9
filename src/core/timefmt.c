#include "core/timefmt.h"

#include <stdio.h>
#include <string.h>

/* Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm). */
static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    unsigned yoe = (unsigned)(y - era * 400);
    unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (int64_t)doe - 719468;
}

static void civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    unsigned doe = (unsigned)(z - era * 146097);
    unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    unsigned mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp < 10 ? mp + 3 : mp - 9;
    *y = (int64_t)yoe + era * 400 + (*m <= 2);
}

void timefmt_iso(int64_t ms, char *out, size_t outlen)
{
    int64_t days = ms / 86400000, rem = ms % 86400000, y;
    unsigned m, d;

    if (rem < 0) {
        rem += 86400000;
        days--;
    }
    civil_from_days(days, &y, &m, &d);
    snprintf(out, outlen, "%04lld-%02u-%02uT%02d:%02d:%02d.%03dZ", (long long)y, m, d,
             (int)(rem / 3600000), (int)(rem / 60000 % 60), (int)(rem / 1000 % 60),
             (int)(rem % 1000));
}

static int digits(const char *s, int n, int *out)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return 0;
}

int timefmt_parse(const char *s, int64_t *ms)
{
    int y, mo, d, h = 0, mi = 0, sec = 0, milli = 0;
    size_t n = strlen(s);
    static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

    if (n < 10 || digits(s, 4, &y) || s[4] != '-' || digits(s + 5, 2, &mo) || s[7] != '-' ||
        digits(s + 8, 2, &d))
        return -1;
    if (n > 10) {
        if (n < 20 || s[10] != 'T' || digits(s + 11, 2, &h) || s[13] != ':' ||
            digits(s + 14, 2, &mi) || s[16] != ':' || digits(s + 17, 2, &sec))
            return -1;
        if (n == 24 && s[19] == '.' && digits(s + 20, 3, &milli) == 0 && s[23] == 'Z')
            ;
        else if (!(n == 20 && s[19] == 'Z'))
            return -1;
    }
    if (mo < 1 || mo > 12 || d < 1 || d > mdays[mo - 1] || h > 23 || mi > 59 || sec > 59)
        return -1;
    if (mo == 2 && d == 29 && !((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
        return -1;
    *ms = ((days_from_civil(y, (unsigned)mo, (unsigned)d) * 24 + h) * 60 + mi) * 60000LL +
          sec * 1000LL + milli;
    return 0;
}

int timefmt_day_parse(const char *s, int32_t *day)
{
    int64_t ms;

    if (strlen(s) != 10 || timefmt_parse(s, &ms) != 0)
        return -1;
    *day = (int32_t)(ms / 86400000);
    return 0;
}

void timefmt_day(int32_t day, char *out, size_t outlen)
{
    int64_t y;
    unsigned m, d;

    civil_from_days(day, &y, &m, &d);
    snprintf(out, outlen, "%04lld-%02u-%02u", (long long)y, m, d);
}

int timefmt_weekday(int32_t day)
{
    /* 1970-01-01 was a Thursday. */
    return (int)(((day % 7) + 7 + 4) % 7);
}

void mask_phone(const char *in, char *out, size_t outlen)
{
    size_t n = strlen(in);

    if (outlen == 0)
        return;
    snprintf(out, outlen, "%s", in);
    /* Keep the first three and last four characters, as Chinese services conventionally do. */
    if (n >= 8)
        for (size_t i = 3; i < n - 4 && i < outlen - 1; i++)
            out[i] = '*';
    else
        for (size_t i = 0; i < n && i < outlen - 1; i++)
            out[i] = '*';
}

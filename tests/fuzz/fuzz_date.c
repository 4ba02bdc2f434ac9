/*
 * fuzz_date.c - the date and number parsers of query strings and request bodies:
 * timefmt_parse ("YYYY-MM-DD[THH:MM:SS[.mmm]Z]"), timefmt_day_parse, and the working-day
 * calendar on the days they give. Checks that whatever parses formats back to a string
 * that parses to the same value (so "2026-02-30" is refused rather than moved).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/calendar.h"
#include "core/timefmt.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_day(int32_t day)
{
    /* 2026's 国务院 holiday notice as a sample of exceptions. */
    static const struct calendar_day ex[] = {{20482, 'h'}, {20483, 'h'}, {20489, 'w'}};
    const struct calendar cal = {ex, 3};
    char out[16];
    int32_t back = 0;

    timefmt_day(day, out, sizeof out);
    if (timefmt_day_parse(out, &back) != 0 || back != day)
        abort();
    (void)timefmt_weekday(day);
    for (int n = 0; n < 40; n += 13) {
        if (calendar_add(&cal, day, n, 1) < day || calendar_add(&cal, day, n, 0) < day)
            abort();
    }
    if (calendar_period_end(&cal, day) < day)
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1), iso[TIMEFMT_ISO_LEN], masked[256];
    int64_t ms = 0, back = 0;
    int32_t day = 0;

    if (!s)
        return 0;
    memcpy(s, data, size);
    s[size] = '\0';
    if (timefmt_parse(s, &ms) == 0) {
        timefmt_iso(ms, iso, sizeof iso);
        if (timefmt_parse(iso, &back) != 0 || back != ms)
            abort();
    }
    if (timefmt_day_parse(s, &day) == 0)
        check_day(day);
    if (size < sizeof masked) {
        mask_phone(s, masked, sizeof masked);
        if (strlen(masked) != strlen(s))
            abort();
    }
    free(s);
    return 0;
}

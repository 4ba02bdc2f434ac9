/*
 * test_calendar.c - where a period ends (民法典 art. 203: "期间的最后一日是法定休假日的，以法定
 * 休假日结束的次日为期间的最后一日"), on the 2026 calendar of the State Council's notice
 * (国务院办公厅关于2026年部分节假日安排的通知), make-up working days (调休) included. Pure: the
 * exceptions are given here, as the seed (src/store/seed.c) loads them.
 */
#include "unit.h"

#include "core/calendar.h"
#include "core/timefmt.h"

#include <stdio.h>

static const struct {
    const char *first, *last;
    char kind;
} y2026[] = {
    {"2026-01-01", "2026-01-03", CAL_HOLIDAY}, {"2026-01-04", "2026-01-04", CAL_WORKDAY},
    {"2026-02-14", "2026-02-14", CAL_WORKDAY}, {"2026-02-15", "2026-02-23", CAL_HOLIDAY},
    {"2026-02-28", "2026-02-28", CAL_WORKDAY}, {"2026-04-04", "2026-04-06", CAL_HOLIDAY},
    {"2026-05-01", "2026-05-05", CAL_HOLIDAY}, {"2026-05-09", "2026-05-09", CAL_WORKDAY},
    {"2026-06-19", "2026-06-21", CAL_HOLIDAY}, {"2026-09-20", "2026-09-20", CAL_WORKDAY},
    {"2026-09-25", "2026-09-27", CAL_HOLIDAY}, {"2026-10-01", "2026-10-07", CAL_HOLIDAY},
    {"2026-10-10", "2026-10-10", CAL_WORKDAY},
};

static struct calendar_day days[64];
static struct calendar cal;

static int32_t day(const char *s)
{
    int32_t d = 0;
    assert_int_equal(timefmt_day_parse(s, &d), 0);
    return d;
}

static int setup(void **state)
{
    size_t n = 0;

    /* Loaded backwards: the calendar must not depend on the order it is read in. */
    for (int i = (int)(sizeof y2026 / sizeof y2026[0]) - 1; i >= 0; i--)
        for (int32_t d = day(y2026[i].first); d <= day(y2026[i].last); d++)
            days[n++] = (struct calendar_day){d, y2026[i].kind};
    calendar_sort(days, n);
    cal = (struct calendar){days, n};
    return 0;
}

/* Where a period whose last day is `last` ends, as YYYY-MM-DD. */
static const char *end_of(const char *last)
{
    static char out[16];
    timefmt_day(calendar_period_end(&cal, day(last)), out, sizeof out);
    return out;
}

static void a_period_ending_on_a_working_day_ends_that_day(void **state)
{
    assert_string_equal(end_of("2026-12-07"), "2026-12-07"); /* Monday */
    assert_string_equal(end_of("2026-12-11"), "2026-12-11"); /* Friday */
    assert_string_equal(end_of("2026-09-30"), "2026-09-30"); /* the eve of 国庆 */
}

static void a_period_ending_on_a_weekend_ends_on_monday(void **state)
{
    assert_string_equal(end_of("2026-12-05"), "2026-12-07"); /* Saturday */
    assert_string_equal(end_of("2026-12-13"), "2026-12-14"); /* Sunday */
}

static void a_period_ending_in_a_holiday_ends_the_day_after_it(void **state)
{
    /* 国庆 1-7 October, then Thursday the 8th. */
    assert_string_equal(end_of("2026-10-01"), "2026-10-08");
    assert_string_equal(end_of("2026-10-07"), "2026-10-08");
    /* 中秋 25-27 September, then Monday the 28th. */
    assert_string_equal(end_of("2026-09-25"), "2026-09-28");
    /* 春节 15-23 February, nine days, then Tuesday the 24th. */
    assert_string_equal(end_of("2026-02-15"), "2026-02-24");
    /* 端午 19-21 June (Friday to Sunday), then Monday the 22nd. */
    assert_string_equal(end_of("2026-06-19"), "2026-06-22");
}

static void a_weekend_day_worked_under_tiaoxiu_is_a_working_day(void **state)
{
    assert_string_equal(end_of("2026-10-10"), "2026-10-10"); /* Saturday worked */
    assert_string_equal(end_of("2026-09-20"), "2026-09-20"); /* Sunday worked */
    assert_string_equal(end_of("2026-02-28"), "2026-02-28"); /* Saturday worked */
    /* 元旦 1-3 January ends on Sunday the 4th, worked. */
    assert_string_equal(end_of("2026-01-01"), "2026-01-04");
    /* Sunday 11 October is not worked: Monday the 12th. */
    assert_string_equal(end_of("2026-10-11"), "2026-10-12");
}

static void calendar_days_are_counted_then_moved(void **state)
{
    char out[16];

    /* A court's 30 days (诉调对接) from 1 September end on 1 October → 8 October. */
    timefmt_day(calendar_add(&cal, day("2026-09-01"), 30, 0), out, sizeof out);
    assert_string_equal(out, "2026-10-08");
    /* The rest days inside the period count; only the last day moves. */
    timefmt_day(calendar_add(&cal, day("2026-09-10"), 30, 0), out, sizeof out);
    assert_string_equal(out, "2026-10-10");
    for (int32_t d = day("2026-01-01"); d <= day("2026-12-31"); d++)
        assert_int_equal(calendar_add(&cal, d, 15, 0), calendar_period_end(&cal, d + 15));
}

static void the_end_is_always_a_working_day_and_never_earlier(void **state)
{
    for (int32_t d = day("2026-01-01"); d <= day("2026-12-31"); d++) {
        int32_t end = calendar_period_end(&cal, d);
        assert_true(end >= d);
        assert_true(calendar_is_workday(&cal, end));
        for (int32_t k = d; k < end; k++)
            assert_false(calendar_is_workday(&cal, k));
    }
}

static void a_calendar_of_nothing_but_holidays_does_not_hang(void **state)
{
    static struct calendar_day all[800];
    struct calendar none = {all, 0};
    int32_t from = day("2026-01-01");

    for (int i = 0; i < 800; i++)
        all[none.n++] = (struct calendar_day){from + i, CAL_HOLIDAY};
    assert_true(calendar_period_end(&none, from) <= from + 366);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_period_ending_on_a_working_day_ends_that_day),
        cmocka_unit_test(a_period_ending_on_a_weekend_ends_on_monday),
        cmocka_unit_test(a_period_ending_in_a_holiday_ends_the_day_after_it),
        cmocka_unit_test(a_weekend_day_worked_under_tiaoxiu_is_a_working_day),
        cmocka_unit_test(calendar_days_are_counted_then_moved),
        cmocka_unit_test(the_end_is_always_a_working_day_and_never_earlier),
        cmocka_unit_test(a_calendar_of_nothing_but_holidays_does_not_hang),
    };
    return cmocka_run_group_tests_name("calendar (民法典 art. 203)", tests, setup, NULL);
}

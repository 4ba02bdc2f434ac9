/*
 * test_trend.c - the spike test of trend warnings on synthetic series (core/trend.h):
 * series that must not alarm (flat, a weekday pattern, gradual growth, tiny counts) and
 * series that must (a real spike, a new kind of dispute arriving in numbers).
 */
#include "unit.h"

#include "core/trend.h"

#include <math.h>

static int64_t s[TREND_SERIES_DAYS];

/* Fills the series with `f(day)`, day 0 the oldest. */
static void fill(int64_t (*f)(int))
{
    for (int i = 0; i < TREND_SERIES_DAYS; i++)
        s[i] = f(i);
}

static int64_t flat(int d)
{
    return 3 + (d * 7 % 3) - 1; /* 2, 3 or 4 a day: noise around 3 */
}

/* Mondays heavy (people come after the weekend), weekends empty. */
static int64_t weekdays(int d)
{
    static const int64_t w[7] = {12, 6, 5, 5, 4, 0, 1};
    return w[d % 7];
}

/* Linear growth from 3 to 5 a day over nine weeks (two thirds more in two months). */
static int64_t growth(int d)
{
    return 3 + (int64_t)(2.0 * d / (TREND_SERIES_DAYS - 1) + 0.5);
}

static int64_t tiny(int d)
{
    return d % 20 == 0; /* a case every twenty days */
}

static struct trend_result run(void)
{
    struct trend_result r;
    trend_test(s, &r);
    return r;
}

static void a_flat_series_does_not_alarm(void **state)
{
    (void)state;
    fill(flat);
    struct trend_result r = run();
    assert_false(r.spike);
    assert_true(r.ratio > 0.8 && r.ratio < 1.2);
}

static void a_weekday_pattern_does_not_alarm(void **state)
{
    (void)state;
    fill(weekdays);
    /* Whichever weekday the window ends on, a whole week has the same total. */
    for (int shift = 0; shift < 7; shift++) {
        for (int i = 0; i < TREND_SERIES_DAYS; i++)
            s[i] = weekdays(i + shift);
        struct trend_result r = run();
        assert_false(r.spike);
        assert_true(fabs(r.ratio - 1.0) < 1e-9);
    }
}

static void gradual_growth_does_not_alarm(void **state)
{
    (void)state;
    fill(growth);
    struct trend_result r = run();
    /* The last week is well above the 8-week mean (growth lags) but under 1.5 times it. */
    assert_true(r.ratio > 1.15);
    assert_false(r.spike);
}

static void a_real_spike_alarms(void **state)
{
    (void)state;
    fill(flat);
    int64_t usual = run().observed;
    for (int i = TREND_SERIES_DAYS - 3; i < TREND_SERIES_DAYS; i++)
        s[i] += 15; /* 45 extra cases in the last three days */
    struct trend_result r = run();
    assert_true(r.spike);
    assert_true(r.ratio > 3.0);
    assert_true(r.p < 1e-9);
    assert_int_equal(r.observed, usual + 45);
}

static void a_spike_over_a_weekday_pattern_alarms(void **state)
{
    (void)state;
    fill(weekdays);
    s[TREND_SERIES_DAYS - 1] += 40;
    assert_true(run().spike);
}

static void tiny_counts_do_not_alarm(void **state)
{
    (void)state;
    fill(tiny);
    /* Four cases this week where one in three weeks is usual: far above, but four. */
    for (int i = TREND_SERIES_DAYS - 4; i < TREND_SERIES_DAYS; i++)
        s[i] = 1;
    struct trend_result r = run();
    assert_int_equal(r.observed, 4);
    assert_true(r.ratio > 5);
    assert_false(r.spike);
}

static void a_new_kind_arriving_in_numbers_alarms(void **state)
{
    (void)state;
    for (int i = 0; i < TREND_SERIES_DAYS; i++)
        s[i] = 0;
    s[TREND_SERIES_DAYS - 1] = 8;
    struct trend_result r = run();
    assert_true(r.baseline == 0);
    assert_true(r.spike);
}

static void the_poisson_tail_matches_known_values(void **state)
{
    (void)state;
    assert_true(fabs(trend_poisson_upper(0, 3.0) - 1.0) < 1e-12);
    /* P(X >= 1) = 1 - e^-2 */
    assert_true(fabs(trend_poisson_upper(1, 2.0) - (1 - exp(-2.0))) < 1e-9);
    /* P(X >= 3 | 1) = 1 - e^-1 (1 + 1 + 1/2) */
    assert_true(fabs(trend_poisson_upper(3, 1.0) - (1 - exp(-1.0) * 2.5)) < 1e-9);
    /* Large counts neither underflow nor exceed 1. */
    double p = trend_poisson_upper(1200, 1000.0);
    assert_true(p > 0 && p < 1e-8);
    assert_true(trend_poisson_upper(900, 1000.0) > 0.99);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_flat_series_does_not_alarm),
        cmocka_unit_test(a_weekday_pattern_does_not_alarm),
        cmocka_unit_test(gradual_growth_does_not_alarm),
        cmocka_unit_test(a_real_spike_alarms),
        cmocka_unit_test(a_spike_over_a_weekday_pattern_alarms),
        cmocka_unit_test(tiny_counts_do_not_alarm),
        cmocka_unit_test(a_new_kind_arriving_in_numbers_alarms),
        cmocka_unit_test(the_poisson_tail_matches_known_values),
    };
    return cmocka_run_group_tests_name("trend warnings (趋势预警)", tests, NULL, NULL);
}

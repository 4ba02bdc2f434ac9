/*
 * test_stats.c - the figures of the statistics service (docs/metrics.md): which keys one
 * case holds, and the rates from summed figures, against small fixtures computed by hand.
 * Pure: no database.
 */
#include "unit.h"

#include "core/stats.h"

#include <string.h>

static int holds(const struct stats_key *k, int n, const char *metric)
{
    for (int i = 0; i < n; i++)
        if (strcmp(k[i].metric, metric) == 0)
            return 1;
    return 0;
}

/* A case agreed at the village, closed and visited (satisfied, fulfilled). */
static void agreed_case_holds_its_keys(void **state)
{
    struct stats_case c = {.state = "closed",
                           .level = "village",
                           .method = "people_mediation",
                           .due_date = "2026-12-31",
                           .accepted = 1,
                           .sessions = 2,
                           .outcome = "agree",
                           .visited = 1,
                           .satisfaction = 5,
                           .fulfilled = 1};
    struct stats_key k[STATS_KEYS_MAX];
    int n = stats_case_keys(&c, k);
    const char *want[] = {
        "received",  "state:closed",   "level:village",    "method:people_mediation",
        "accepted",  "mediated",       "agreed",           "resolved",
        "concluded", "resolved_local", "closed",           "visited_closed",
        "rated",     "satisfied",      "fulfilment_known", "fulfilled"};

    (void)state;
    assert_int_equal(n, (int)(sizeof want / sizeof *want));
    for (size_t i = 0; i < sizeof want / sizeof *want; i++)
        assert_true(holds(k, n, want[i]));
    /* closed: the clock has stopped, so no open_due however the due date stands */
    assert_false(holds(k, n, STATS_OPEN_DUE));
}

static void escalated_reopened_and_referred_cases(void **state)
{
    struct stats_key k[STATS_KEYS_MAX];
    /* agreed after an escalation: resolved, but not on the spot */
    struct stats_case up = {.state = "agreed",
                            .level = "township",
                            .accepted = 1,
                            .sessions = 4,
                            .escalations = 1,
                            .outcome = "agree",
                            .fulfilled = -1};
    /* agreed, then reopened by a recurrence: no outcome until the next one */
    struct stats_case re = {.state = "mediating",
                            .level = "village",
                            .accepted = 1,
                            .sessions = 1,
                            .outcome = "reopen",
                            .due_date = "2026-12-20",
                            .fulfilled = 0,
                            .satisfaction = 2};
    /* referred out, feedback in, closed: resolved by the other body */
    struct stats_case ref = {.state = "closed",
                             .level = "village",
                             .referrals = 1,
                             .feedback_recorded = 1,
                             .fulfilled = -1};
    /* referred, awaiting feedback */
    struct stats_case wait = {.state = "referred",
                              .level = "village",
                              .referrals = 1,
                              .due_date = "2026-12-01",
                              .fulfilled = -1};
    int n;

    (void)state;
    n = stats_case_keys(&up, k);
    assert_true(holds(k, n, "resolved") && holds(k, n, "escalated"));
    assert_false(holds(k, n, "resolved_local"));
    assert_false(holds(k, n, "fulfilment_known")); /* not asked yet */
    n = stats_case_keys(&re, k);
    assert_false(holds(k, n, "agreed") || holds(k, n, "resolved") || holds(k, n, "concluded"));
    assert_true(holds(k, n, STATS_OPEN_DUE) && holds(k, n, "rated"));
    assert_false(holds(k, n, "satisfied") || holds(k, n, "fulfilment_known"));
    for (int i = 0; i < n; i++)
        assert_int_equal(k[i].by_due, strcmp(k[i].metric, STATS_OPEN_DUE) == 0);
    n = stats_case_keys(&ref, k);
    assert_true(holds(k, n, "referred_resolved") && holds(k, n, "resolved") &&
                holds(k, n, "concluded") && holds(k, n, "closed"));
    assert_false(holds(k, n, "accepted") || holds(k, n, "resolved_local") ||
                 holds(k, n, "awaiting_feedback"));
    n = stats_case_keys(&wait, k);
    assert_true(holds(k, n, "awaiting_feedback") && holds(k, n, STATS_OPEN_DUE));
    assert_false(holds(k, n, "referred_resolved") || holds(k, n, "resolved"));
}

/* Ten cases by hand: 8 accepted, 6 mediated, 4 agreed (3 on the spot), 1 failed, 1 resolved
 * by referral, 2 escalated, 5 closed of which 4 visited, 5 rated of which 4 satisfied, 3 of
 * the agreed asked about fulfilment of which 2 fulfilled. */
static void rates_from_figures(void **state)
{
    int64_t f[SF_N] = {0};
    double v = -1;

    (void)state;
    f[SF_RECEIVED] = 10, f[SF_ACCEPTED] = 8, f[SF_MEDIATED] = 6, f[SF_AGREED] = 4;
    f[SF_FAILED] = 1, f[SF_REFERRED_RESOLVED] = 1, f[SF_RESOLVED] = 5, f[SF_CONCLUDED] = 6;
    f[SF_RESOLVED_LOCAL] = 3, f[SF_ESCALATED] = 2, f[SF_CLOSED] = 5, f[SF_VISITED_CLOSED] = 4;
    f[SF_RATED] = 5, f[SF_SATISFIED] = 4, f[SF_FULFILMENT_KNOWN] = 3, f[SF_FULFILLED] = 2;
    assert_true(stats_rate(f, SR_MEDIATION, &v) && v == 6.0 / 8);
    assert_true(stats_rate(f, SR_SUCCESS, &v) && v == 4.0 / 5);
    assert_true(stats_rate(f, SR_RESOLUTION, &v) && v == 5.0 / 6);
    assert_true(stats_rate(f, SR_FULFILMENT, &v) && v == 2.0 / 3);
    assert_true(stats_rate(f, SR_SATISFACTION, &v) && v == 4.0 / 5);
    assert_true(stats_rate(f, SR_LOCAL, &v) && v == 3.0 / 5);
    assert_true(stats_rate(f, SR_ESCALATION, &v) && v == 2.0 / 8);
    assert_true(stats_rate(f, SR_VISIT, &v) && v == 4.0 / 5);
    assert_true(stats_per_10k(10, 40000, &v) && v == 2.5);
    assert_string_equal(stats_rate_name(SR_SUCCESS), "success_rate");
    assert_int_equal(stats_fig_parse("resolved_local"), SF_RESOLVED_LOCAL);
    assert_int_equal(stats_fig_parse("state:closed"), -1);
}

static void zero_denominators_are_null(void **state)
{
    int64_t f[SF_N] = {0};
    double v = 42;

    (void)state;
    for (int r = 0; r < SR_N; r++)
        assert_false(stats_rate(f, (enum stats_rate)r, &v));
    assert_true(v == 42); /* untouched */
    assert_false(stats_per_10k(3, 0, &v));
    f[SF_AGREED] = 0, f[SF_FAILED] = 2; /* all failed: 0, not null */
    assert_true(stats_rate(f, SR_SUCCESS, &v) && v == 0);
}

/* Ten resolved cases by hand: days 0, 1, 1, 2, 3, 3, 3, 7, 30, 400 (400 falls in the last
 * bucket, 366). Median by nearest rank: ceil(50% × 10) = 5th smallest = 3. p90: ceil(9) =
 * 9th = 30. p100 = 366 (capped). One case: every percentile is its days. */
static void days_percentiles(void **state)
{
    static int64_t h[STATS_DAYS_CAP + 1];
    int v = -1;

    (void)state;
    memset(h, 0, sizeof h);
    assert_false(stats_days_percentile(h, 50, &v));
    assert_int_equal(v, -1); /* untouched: no case, no median */
    h[0] = 1, h[1] = 2, h[2] = 1, h[3] = 3, h[7] = 1, h[30] = 1, h[STATS_DAYS_CAP] = 1;
    assert_true(stats_days_percentile(h, 50, &v) && v == 3);
    assert_true(stats_days_percentile(h, 90, &v) && v == 30);
    assert_true(stats_days_percentile(h, 100, &v) && v == STATS_DAYS_CAP);
    assert_true(stats_days_percentile(h, 10, &v) && v == 0);
    assert_true(stats_days_percentile(h, 11, &v) && v == 1); /* ceil(1.1) = 2nd */
    memset(h, 0, sizeof h);
    h[12] = 1;
    assert_true(stats_days_percentile(h, 50, &v) && v == 12);
    assert_true(stats_days_percentile(h, 90, &v) && v == 12);
    /* Two cases, 4 and 9 days: the median by nearest rank is the lower, 4 (never 6.5). */
    h[12] = 0, h[4] = 1, h[9] = 1;
    assert_true(stats_days_percentile(h, 50, &v) && v == 4);
    assert_true(stats_days_percentile(h, 90, &v) && v == 9);
    assert_int_equal(stats_days_parse("resolve_days:0"), 0);
    assert_int_equal(stats_days_parse("resolve_days:366"), 366);
    assert_int_equal(stats_days_parse("resolve_days:367"), -1);
    assert_int_equal(stats_days_parse("resolve_days:"), -1);
    assert_int_equal(stats_days_parse("resolve_days:3x"), -1);
    assert_int_equal(stats_days_parse("resolved"), -1);
}

/* A resolved case holds its days bucket (capped); an unresolved one none. */
static void resolved_case_holds_its_days(void **state)
{
    struct stats_key k[STATS_KEYS_MAX];
    struct stats_case c = {.state = "agreed",
                           .accepted = 1,
                           .sessions = 1,
                           .outcome = "agree",
                           .fulfilled = -1,
                           .has_resolve_days = 1,
                           .resolve_days = 5};
    int n;

    (void)state;
    n = stats_case_keys(&c, k);
    assert_true(holds(k, n, "resolve_days:5"));
    c.resolve_days = 1000;
    n = stats_case_keys(&c, k);
    assert_true(holds(k, n, "resolve_days:366") && !holds(k, n, "resolve_days:5"));
    c.outcome = "fail", c.state = "failed";
    n = stats_case_keys(&c, k);
    assert_false(holds(k, n, "resolve_days:366"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(agreed_case_holds_its_keys),
        cmocka_unit_test(escalated_reopened_and_referred_cases),
        cmocka_unit_test(rates_from_figures),
        cmocka_unit_test(zero_denominators_are_null),
        cmocka_unit_test(days_percentiles),
        cmocka_unit_test(resolved_case_holds_its_days),
    };
    return cmocka_run_group_tests_name("stats", tests, NULL, NULL);
}

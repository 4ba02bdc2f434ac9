/* test_routing.c - routing rules, the calendar and the vocabularies (pure core). */
#include "unit.h"

#include "core/calendar.h"
#include "core/region.h"
#include "core/routing.h"
#include "core/timefmt.h"
#include "core/vocab.h"

#include <stdio.h>
#include <string.h>

/* The default rules as routing_rule values (all owned by nobody: depth 0). */
static struct routing_rule defaults[64];

static int setup(void **state)
{
    for (int i = 0; i < routing_ndefaults; i++) {
        defaults[i].id = i + 1;
        defaults[i].enabled = 1;
        defaults[i].cond = routing_defaults[i].cond;
    }
    return 0;
}

/* Decides a case with the default rules; returns the winning rule's decision. */
static const struct routing_default *decide(const char *category, int level, const char *complexity,
                                            int people)
{
    struct routing_case k = {category, level, complexity, 0, people > 0, 0, people};
    enum routing_outcome out[64];
    int tie, w = routing_decide(defaults, routing_ndefaults, &k, out, &tie);

    assert_int_equal(tie, -1);
    assert_true(w >= 0);
    return &routing_defaults[w];
}

static void defaults_have_no_ties(void **state)
{
    int same[64];

    for (int i = 0; i < routing_ndefaults; i++)
        same[i] = 1;
    for (int i = 0; i < routing_ndefaults; i++)
        assert_int_equal(routing_tie(&defaults[i], defaults, same, routing_ndefaults), -1);
}

static void every_vocabulary_code_in_defaults_is_known(void **state)
{
    for (int i = 0; i < routing_ndefaults; i++) {
        const struct routing_default *d = &routing_defaults[i];
        assert_true(!d->cond.category || vocab_valid(&vocab_category, d->cond.category));
        assert_true(!d->cond.complexity || vocab_valid(&vocab_complexity, d->cond.complexity));
        assert_true(vocab_valid(&vocab_mgmt_level, d->decision.management_level));
        assert_true(vocab_valid(&vocab_org_type, d->decision.department));
        assert_true(vocab_valid(&vocab_method, d->decision.method));
        assert_true(vocab_valid(&vocab_time_kind, d->decision.time_limit_kind));
        assert_true(d->decision.time_limit_days > 0);
    }
}

static void simple_neighbour_dispute_stays_in_the_village(void **state)
{
    const struct routing_default *d = decide("neighbour", REGION_VILLAGE, "simple", 2);
    assert_string_equal(d->decision.management_level, "village");
    assert_string_equal(d->decision.department, "mediation_committee");
    assert_string_equal(d->decision.method, "people_mediation");
}

static void wage_arrears_with_forty_workers_goes_to_the_township(void **state)
{
    const struct routing_default *d = decide("wage_arrears", REGION_VILLAGE, "ordinary", 40);
    assert_string_equal(d->decision.management_level, "township");
    assert_string_equal(d->decision.department, "center");
    assert_string_equal(d->decision.department_field, "人力资源和社会保障");
    assert_string_equal(d->decision.method, "administrative_mediation");
    /* Fifty or more makes it a group dispute for the county. */
    d = decide("wage_arrears", REGION_VILLAGE, "ordinary", 60);
    assert_string_equal(d->decision.management_level, "county");
    assert_true(d->decision.lead_leader);
}

static void land_requisition_goes_to_the_township(void **state)
{
    const struct routing_default *d = decide("land_requisition", REGION_VILLAGE, "difficult", 20);
    assert_string_equal(d->decision.management_level, "township");
    assert_string_equal(d->decision.department_field, "自然资源");
}

static void major_disputes_go_to_the_county_with_a_lead_leader(void **state)
{
    const struct routing_default *d = decide("contract", REGION_TOWNSHIP, "major", 3);
    assert_string_equal(d->decision.management_level, "county");
    assert_true(d->decision.lead_leader);
    /* A major neighbour dispute is not "simple", so the village rule does not take it. */
    d = decide("neighbour", REGION_VILLAGE, "major", 2);
    assert_string_equal(d->decision.management_level, "county");
}

static void matters_outside_mediation_are_referred(void **state)
{
    assert_string_equal(decide("criminal", REGION_VILLAGE, "major", 1)->decision.method,
                        "refer_police");
    assert_string_equal(decide("administrative", REGION_COUNTY, "simple", 1)->decision.method,
                        "refer_reconsideration");
}

static void anything_else_is_mediated_locally(void **state)
{
    const struct routing_default *d = decide("consumer", REGION_TOWNSHIP, "ordinary", 0);
    assert_string_equal(d->decision.management_level, "local");
    assert_string_equal(d->decision.method, "people_mediation");
}

static void specificity_weights(void **state)
{
    struct routing_cond c = {0};
    assert_int_equal(routing_specificity(&c), 0);
    c.category = "x";
    assert_int_equal(routing_specificity(&c), 8);
    c.complexity = "simple";
    c.region_level = REGION_VILLAGE;
    c.has_amount_max = 1;
    c.has_people_min = 1;
    assert_int_equal(routing_specificity(&c), 17);
}

static void overlap_of_conditions(void **state)
{
    struct routing_cond a = {.category = "labour"}, b = {.complexity = "major"};
    assert_true(routing_overlap(&a, &b));
    b.category = "contract";
    assert_false(routing_overlap(&a, &b));
    struct routing_cond r1 = {
        .has_people_min = 1, .people_min = 10, .has_people_max = 1, .people_max = 49};
    struct routing_cond r2 = {.has_people_min = 1, .people_min = 50};
    struct routing_cond r3 = {.has_people_max = 1, .people_max = 10};
    assert_false(routing_overlap(&r1, &r2));
    assert_false(routing_overlap(&r2, &r1));
    assert_true(routing_overlap(&r1, &r3)); /* both include 10 */
    assert_true(routing_overlap(&r2, &(struct routing_cond){0}));
    struct routing_cond lv = {.region_level = REGION_VILLAGE},
                        lt = {.region_level = REGION_TOWNSHIP};
    assert_false(routing_overlap(&lv, &lt));
}

static void ties_are_found_and_owner_depth_wins(void **state)
{
    struct routing_rule rules[3] = {
        {1, 0, 1, {.has_amount_min = 1, .amount_min = 10000}},
        {2, 0, 1, {.has_people_min = 1, .people_min = 5}},
        {3, 3, 1, {0}},
    };
    int same[3] = {1, 1, 0};
    struct routing_case k = {"contract", REGION_VILLAGE, "simple", 1, 1, 20000, 6};
    enum routing_outcome out[3];
    int tie, w;

    /* Amount-only and people-only rules weigh the same and a case can meet both. */
    assert_int_equal(routing_tie(&rules[0], rules, same, 3), 1);
    rules[1].enabled = 0;
    assert_int_equal(routing_tie(&rules[0], rules, same, 3), -1);
    rules[1].enabled = 1;
    /* The county's own catch-all (depth 3) outranks both defaults. */
    w = routing_decide(rules, 3, &k, out, &tie);
    assert_int_equal(w, 2);
    assert_int_equal(out[0], ROUTING_BEATEN);
    assert_int_equal(out[2], ROUTING_WINNER);
    rules[2].enabled = 0;
    w = routing_decide(rules, 3, &k, out, &tie);
    assert_int_equal(out[2], ROUTING_DISABLED);
    assert_int_equal(w, 0);
    assert_int_equal(tie, 1);
}

static void mismatches_are_listed(void **state)
{
    struct routing_cond c = {.category = "neighbour",
                             .region_level = REGION_VILLAGE,
                             .complexity = "simple",
                             .has_amount_max = 1,
                             .amount_max = 1000,
                             .has_people_min = 1,
                             .people_min = 3};
    struct routing_case k = {"wage_arrears", REGION_TOWNSHIP, "major", 1, 0, 5000, 0};
    enum routing_dim m[ROUTING_MAX_MISMATCH];

    assert_int_equal(routing_match(&c, &k, m), 5);
    assert_int_equal(m[0], ROUTING_CATEGORY);
    assert_string_equal(routing_dim_name(m[4]), "people");
    k = (struct routing_case){"neighbour", REGION_VILLAGE, "simple", 1, 1, 1000, 3};
    assert_int_equal(routing_match(&c, &k, m), 0);
}

/* Calendar: October 2026, with the National Day holidays and a make-up workday. */
static int32_t day(const char *s)
{
    int32_t d;
    assert_int_equal(timefmt_day_parse(s, &d), 0);
    return d;
}

static void business_days_skip_weekends_and_holidays(void **state)
{
    struct calendar_day ex[9];
    char out[11];
    int n = 0;

    for (int d = 1; d <= 7; d++) {
        char s[16];
        snprintf(s, sizeof s, "2026-10-%02d", d % 100);
        ex[n++] = (struct calendar_day){day(s), CAL_HOLIDAY};
    }
    ex[n++] = (struct calendar_day){day("2026-10-10"), CAL_WORKDAY}; /* a Saturday worked */
    ex[n++] = (struct calendar_day){day("2026-09-20"), CAL_WORKDAY}; /* a Sunday worked */
    calendar_sort(ex, (size_t)n);
    struct calendar cal = {ex, (size_t)n};

    assert_int_equal(timefmt_weekday(day("2026-11-23")), 1); /* a Monday */
    assert_false(calendar_is_workday(&cal, day("2026-10-01")));
    assert_true(calendar_is_workday(&cal, day("2026-10-10")));
    assert_false(calendar_is_workday(&cal, day("2026-10-11")));
    assert_true(calendar_is_workday(&cal, day("2026-09-20")));
    /* From Wednesday 30 September, 3 working days: Oct 8 (Thu), 9 (Fri), 10 (Sat, worked). */
    timefmt_day(calendar_add(&cal, day("2026-09-30"), 3, 1), out, sizeof out);
    assert_string_equal(out, "2026-10-10");
    /* 5 calendar days end on Oct 5, a holiday, so the period ends on Oct 8. */
    timefmt_day(calendar_add(&cal, day("2026-09-30"), 5, 0), out, sizeof out);
    assert_string_equal(out, "2026-10-08");
    /* An ordinary week: Friday + 1 working day is Monday. */
    timefmt_day(calendar_add(&cal, day("2026-11-20"), 1, 1), out, sizeof out);
    assert_string_equal(out, "2026-11-23");
    assert_int_equal(calendar_add(&cal, day("2026-11-20"), 0, 1), day("2026-11-20"));
}

static void vocabularies_accept_codes_and_chinese(void **state)
{
    assert_string_equal(vocab_code(&vocab_category, "拖欠工资"), "wage_arrears");
    assert_string_equal(vocab_code(&vocab_category, "wage_arrears"), "wage_arrears");
    assert_null(vocab_code(&vocab_category, "欠钱"));
    assert_string_equal(vocab_code(&vocab_region_level, "街道"), "township");
    assert_string_equal(vocab_code(&vocab_region_level, "社区"), "village");
    assert_string_equal(vocab_zh(&vocab_org_type, "mediation_committee"), "人民调解委员会");
    assert_null(vocab_zh(&vocab_org_type, "church"));
    /* No Chinese name is shared by two codes of one vocabulary. */
    const struct vocab *all[] = {&vocab_category,     &vocab_complexity, &vocab_method,
                                 &vocab_mgmt_level,   &vocab_industry,   &vocab_org_type,
                                 &vocab_region_level, &vocab_grade,      &vocab_specialty};
    for (size_t v = 0; v < sizeof all / sizeof all[0]; v++)
        for (size_t i = 0; i < all[v]->n; i++)
            for (size_t j = i + 1; j < all[v]->n; j++) {
                assert_string_not_equal(all[v]->entries[i].zh, all[v]->entries[j].zh);
                assert_string_not_equal(all[v]->entries[i].code, all[v]->entries[j].code);
            }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(defaults_have_no_ties),
        cmocka_unit_test(every_vocabulary_code_in_defaults_is_known),
        cmocka_unit_test(simple_neighbour_dispute_stays_in_the_village),
        cmocka_unit_test(wage_arrears_with_forty_workers_goes_to_the_township),
        cmocka_unit_test(land_requisition_goes_to_the_township),
        cmocka_unit_test(major_disputes_go_to_the_county_with_a_lead_leader),
        cmocka_unit_test(matters_outside_mediation_are_referred),
        cmocka_unit_test(anything_else_is_mediated_locally),
        cmocka_unit_test(specificity_weights),
        cmocka_unit_test(overlap_of_conditions),
        cmocka_unit_test(ties_are_found_and_owner_depth_wins),
        cmocka_unit_test(mismatches_are_listed),
        cmocka_unit_test(business_days_skip_weekends_and_holidays),
        cmocka_unit_test(vocabularies_accept_codes_and_chinese),
    };
    return cmocka_run_group_tests_name("routing", tests, setup, NULL);
}

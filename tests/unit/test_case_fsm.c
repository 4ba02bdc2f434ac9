/* test_case_fsm.c - the case state machine, every state × action. */
#include "unit.h"

#include "core/case_fsm.h"
#include "core/casenum.h"
#include "core/deadline.h"
#include "core/timefmt.h"
#include "core/region.h"
#include "core/role.h"

#include <stdio.h>
#include <string.h>

/* The expected table, written out independently of case_fsm.c: for each action, the
 * states it is possible in (ignoring guards) and where it leads (0 = same, -1 = resume). */
static const struct {
    const char *action;
    const char *from[8];
    const char *to;
} expected[] = {
    {"accept", {"registered"}, "accepted"},
    {"reject", {"registered"}, "rejected"},
    {"refer", {"registered", "accepted", "failed"}, "referred"},
    {"feedback", {"referred"}, NULL},
    {"assign", {"accepted", "assigned"}, "assigned"},
    {"record_session", {"assigned", "mediating"}, "mediating"},
    {"change_method", {"assigned", "mediating"}, NULL},
    {"escalate", {"accepted", "assigned", "mediating"}, "accepted"},
    {"suspend", {"assigned", "mediating"}, "suspended"},
    {"resume", {"suspended"}, "(resume)"},
    {"agree", {"mediating"}, "agreed"},
    {"fail", {"mediating"}, "failed"},
    {"review_failure", {"failed"}, NULL},
    {"withdraw", {"registered", "accepted", "assigned", "mediating", "suspended"}, "withdrawn"},
    {"close", {"agreed", "failed", "withdrawn", "rejected", "referred"}, "closed"},
    {"return_visit", {"closed"}, NULL},
    {"reopen", {"closed"}, "accepted"},
    {"archive", {"closed"}, "archived"},
    {"extend", {"accepted", "assigned", "mediating"}, NULL},
    {"merge", {"registered", "accepted"}, "closed"},
    {"reroute", {"accepted", "assigned"}, "accepted"},
    {"invite_experts", {"assigned", "mediating"}, NULL},
};

/* Facts that satisfy every guard, so that only the state decides. */
static struct case_facts permissive(enum case_state s)
{
    struct case_facts f = {s, CS_MEDIATING, 3, 3, 0, REGION_VILLAGE, 1, 1, 0, 1};
    return f;
}

static int listed(const char *const *from, const char *state)
{
    for (int i = 0; i < 8 && from[i]; i++)
        if (strcmp(from[i], state) == 0)
            return 1;
    return 0;
}

static void every_state_and_action(void **state)
{
    assert_int_equal(sizeof expected / sizeof expected[0], CASE_ACTIONS);
    for (size_t i = 0; i < sizeof expected / sizeof expected[0]; i++) {
        enum case_action a = case_action_parse(expected[i].action);
        assert_int_not_equal(a, 0);
        for (int s = 1; s <= CASE_STATES; s++) {
            struct case_facts f = permissive((enum case_state)s);
            if (a == CA_REVIEW_FAILURE)
                f.failure_reviewed = 0; /* the one guard that wants the opposite */
            enum case_refusal r = case_may(&f, ROLE_ALL, a);
            int possible = listed(expected[i].from, case_state_name((enum case_state)s));
            if (possible != (r == CR_OK))
                fail_msg("%s in %s: expected %s, got %s", expected[i].action,
                         case_state_name((enum case_state)s), possible ? "ok" : "refused",
                         case_refusal_name(r));
            if (!possible) {
                assert_int_equal(r, CR_WRONG_STATE);
                continue;
            }
            enum case_state next = case_next(&f, a);
            if (!expected[i].to)
                assert_int_equal(next, s);
            else if (strcmp(expected[i].to, "(resume)") == 0)
                assert_int_equal(next, f.resume_state);
            else
                assert_string_equal(case_state_name(next), expected[i].to);
        }
    }
}

static void names_round_trip(void **state)
{
    for (int s = 1; s <= CASE_STATES; s++)
        assert_int_equal(case_state_parse(case_state_name((enum case_state)s)), s);
    for (int a = 1; a <= CASE_ACTIONS; a++)
        assert_int_equal(case_action_parse(case_action_name((enum case_action)a)), a);
    assert_int_equal(case_state_parse("open"), 0);
    assert_int_equal(case_action_parse("delete"), 0);
    assert_null(case_state_name(0));
}

static void escalation_needs_three_attempts_unless_urgent(void **state)
{
    struct case_facts f = permissive(CS_MEDIATING);

    f.sessions_at_level = 2;
    assert_int_equal(case_may(&f, ROLE_MEDIATOR, CA_ESCALATE), CR_TOO_FEW_SESSIONS);
    f.urgent = 1;
    assert_int_equal(case_may(&f, ROLE_MEDIATOR, CA_ESCALATE), CR_OK);
    f.urgent = 0;
    f.sessions_at_level = 3;
    assert_int_equal(case_may(&f, ROLE_MEDIATOR, CA_ESCALATE), CR_OK);
    f.level = REGION_CITY;
    assert_int_equal(case_may(&f, ROLE_MEDIATOR, CA_ESCALATE), CR_TOP_LEVEL);
}

static void a_failed_case_closes_only_after_review(void **state)
{
    struct case_facts f = permissive(CS_FAILED);

    f.failure_reviewed = 0;
    assert_int_equal(case_may(&f, ROLE_MEDIATOR, CA_CLOSE), CR_NOT_REVIEWED);
    assert_int_equal(case_may(&f, ROLE_MEDIATOR, CA_REVIEW_FAILURE), CR_ROLE);
    assert_int_equal(case_may(&f, ROLE_SUPERVISOR, CA_REVIEW_FAILURE), CR_OK);
    f.failure_reviewed = 1;
    assert_int_equal(case_may(&f, ROLE_SUPERVISOR, CA_REVIEW_FAILURE), CR_ALREADY_REVIEWED);
    assert_int_equal(case_may(&f, ROLE_MEDIATOR, CA_CLOSE), CR_OK);
}

static void a_referral_waits_for_feedback(void **state)
{
    struct case_facts f = permissive(CS_REFERRED);

    f.feedback_recorded = 0;
    assert_int_equal(case_may(&f, ROLE_DISPATCHER, CA_CLOSE), CR_NO_FEEDBACK);
    assert_int_equal(case_may(&f, ROLE_DISPATCHER, CA_FEEDBACK), CR_OK);
    assert_int_equal(case_next(&f, CA_FEEDBACK), CS_REFERRED);
    f.feedback_recorded = 1;
    assert_int_equal(case_may(&f, ROLE_DISPATCHER, CA_CLOSE), CR_OK);
}

static void roles_decide_who_acts(void **state)
{
    struct case_facts f = permissive(CS_REGISTERED);
    enum case_action acts[CASE_ACTIONS];
    int n;

    assert_int_equal(case_may(&f, ROLE_GRID_WORKER, CA_ACCEPT), CR_ROLE);
    assert_int_equal(case_may(&f, ROLE_CLERK, CA_ACCEPT), CR_OK);
    assert_int_equal(case_may(&f, ROLE_CLERK, CA_REJECT), CR_ROLE);
    /* "Impossible" is reported before "not yours". */
    assert_int_equal(case_may(&f, ROLE_GRID_WORKER, CA_ARCHIVE), CR_WRONG_STATE);
    n = case_actions(&f, ROLE_DISPATCHER, acts, CASE_ACTIONS);
    assert_int_equal(n, 5); /* accept, reject, refer, withdraw, merge */
    f.state = CS_MEDIATING;
    n = case_actions(&f, ROLE_MEDIATOR, acts, CASE_ACTIONS);
    /* session, method, escalate, suspend, agree, fail, withdraw, invite experts */
    assert_int_equal(n, 8);
    n = case_actions(&f, ROLE_SUPERVISOR, acts, CASE_ACTIONS);
    assert_int_equal(n, 5); /* change_method, escalate, suspend, extend, invite experts */
}

/* 四定三包: once a unit holds a case, handling it is for those who answer for it; others in
 * scope with the same role read it. Triage and oversight are not handling. */
static void only_holders_handle_a_case(void **state)
{
    struct case_facts f = permissive(CS_MEDIATING);
    enum case_action acts[CASE_ACTIONS];

    f.holder = 0;
    assert_int_equal(case_may(&f, ROLE_MEDIATOR, CA_RECORD_SESSION), CR_NOT_HOLDER);
    assert_int_equal(case_may(&f, ROLE_MEDIATOR, CA_AGREE), CR_NOT_HOLDER);
    assert_int_equal(case_may(&f, ROLE_MEDIATOR, CA_ESCALATE), CR_NOT_HOLDER);
    assert_int_equal(case_may(&f, ROLE_SUPERVISOR, CA_EXTEND), CR_OK);
    /* A mediator released by an escalation cannot withdraw the case either. */
    assert_int_equal(case_may(&f, ROLE_MEDIATOR, CA_WITHDRAW), CR_NOT_HOLDER);
    assert_int_equal(case_actions(&f, ROLE_MEDIATOR, acts, CASE_ACTIONS), 0);
    /* "Not yours by role" is told before "not yours by assignment". */
    assert_int_equal(case_may(&f, ROLE_CLERK, CA_AGREE), CR_ROLE);
    assert_string_equal(case_refusal_name(CR_NOT_HOLDER), "not_holder");
    f.holder = 1;
    assert_int_equal(case_may(&f, ROLE_MEDIATOR, CA_AGREE), CR_OK);
}

/* After 调解不成 the matter is referred on (诉调对接) without being reopened. */
static void a_failed_case_is_referred_on(void **state)
{
    struct case_facts f = permissive(CS_FAILED);

    assert_int_equal(case_may(&f, ROLE_SUPERVISOR, CA_REFER), CR_OK);
    assert_int_equal(case_next(&f, CA_REFER), CS_REFERRED);
    assert_int_equal(case_may(&f, ROLE_MEDIATOR, CA_REFER), CR_ROLE);
}

static void a_time_limit_is_extended_once(void **state)
{
    struct case_facts f = permissive(CS_MEDIATING);

    assert_int_equal(case_may(&f, ROLE_MEDIATOR, CA_EXTEND), CR_ROLE);
    assert_int_equal(case_may(&f, ROLE_SUPERVISOR, CA_EXTEND), CR_OK);
    f.extended = 1;
    assert_int_equal(case_may(&f, ROLE_SUPERVISOR, CA_EXTEND), CR_ALREADY_EXTENDED);
    assert_string_equal(case_refusal_name(CR_ALREADY_EXTENDED), "already_extended");
}

static void the_clock_pauses_while_suspended(void **state)
{
    assert_true(case_clock_runs(CS_MEDIATING));
    assert_false(case_clock_runs(CS_SUSPENDED));
    assert_false(case_clock_runs(CS_CLOSED));
}

static void the_diagram_covers_every_transition(void **state)
{
    char buf[8192];

    assert_int_equal(case_fsm_mermaid(buf, sizeof buf), 0);
    assert_non_null(strstr(buf, "stateDiagram-v2"));
    assert_non_null(strstr(buf, "mediating --> agreed: agree"));
    assert_non_null(strstr(buf, "failed --> failed: review_failure"));
    assert_int_equal(case_fsm_mermaid(buf, 64), -1);
}

static void case_numbers_follow_the_format(void **state)
{
    char out[128], shortname[64];

    casenum_county_short("涪城区", shortname, sizeof shortname);
    assert_string_equal(shortname, "涪城");
    casenum_county_short("和县", shortname, sizeof shortname);
    assert_string_equal(shortname, "和县"); /* one character would be too short */
    assert_int_equal(casenum_format(CASENUM_DEFAULT_FORMAT, 2026, "涪城", 1, out, sizeof out), 0);
    assert_string_equal(out, "（2026）涪城人调字第0001号");
    assert_int_equal(casenum_format("{county}-{year}-{seq}", 2027, "游仙", 12345, out, sizeof out),
                     0);
    assert_string_equal(out, "游仙-2027-12345");
    assert_int_equal(casenum_format("{year}", 2027, "x", 1, out, sizeof out), -1);
    assert_int_equal(casenum_format(CASENUM_DEFAULT_FORMAT, 2026, "涪城", 1, out, 8), -1);
}

/* A number typed with other brackets or spaces still finds the stored one. */
static void case_numbers_typed_by_citizens(void **state)
{
    char v[CASENUM_VARIANTS][CASENUM_MAX];

    assert_int_equal(casenum_variants(" (2026) 涪城人调字第0001号\xe3\x80\x80", v), 0);
    assert_string_equal(v[0], "(2026) 涪城人调字第0001号");
    assert_string_equal(v[1], "（2026）涪城人调字第0001号");
    assert_string_equal(v[2], "〔2026〕涪城人调字第0001号");
    assert_string_equal(v[3], "(2026)涪城人调字第0001号");
    assert_string_equal(v[4], "[2026]涪城人调字第0001号");
    assert_int_equal(casenum_variants("【2026】涪城调〔2026〕0001号", v), 0);
    assert_string_equal(v[2], "〔2026〕涪城调〔2026〕0001号");
    assert_int_equal(casenum_variants("［2026］涪城人调字第0001号", v), 0);
    assert_string_equal(v[1], "（2026）涪城人调字第0001号");
    assert_int_equal(casenum_variants("游仙-2027-12345", v), 0);
    assert_string_equal(v[0], "游仙-2027-12345");
    assert_string_equal(v[4], "游仙-2027-12345");
    assert_int_equal(casenum_variants("  \xe3\x80\x80 ", v), -1);
    assert_int_equal(casenum_variants("", v), -1);
    char longer[CASENUM_MAX + 8];
    memset(longer, '9', sizeof longer - 1);
    longer[sizeof longer - 1] = '\0';
    assert_int_equal(casenum_variants(longer, v), -1);
}

static void deadlines_warn_three_working_days_ahead(void **state)
{
    struct calendar_day ex[] = {{0, CAL_HOLIDAY}};
    struct calendar cal = {ex, 0};
    int32_t due, today;

    assert_int_equal(timefmt_day_parse("2026-11-30", &due), 0);   /* a Monday */
    assert_int_equal(timefmt_day_parse("2026-11-24", &today), 0); /* Tuesday before */
    assert_int_equal(deadline_check(&cal, today, due, 3), DEADLINE_NONE);
    today++; /* Wednesday: Thu, Fri, Mon are the three working days left */
    assert_int_equal(deadline_check(&cal, today, due, 3), DEADLINE_APPROACHING);
    assert_int_equal(deadline_check(&cal, due, due, 3), DEADLINE_DUE);
    assert_int_equal(deadline_check(&cal, due + 5, due, 3), DEADLINE_DUE);
    assert_string_equal(deadline_warning_name(DEADLINE_APPROACHING), "approaching");
}

static void a_pause_moves_the_deadline_by_its_length(void **state)
{
    int32_t due, suspended, resumed;

    (void)state;
    assert_int_equal(timefmt_day_parse("2026-12-15", &due), 0);
    assert_int_equal(timefmt_day_parse("2026-11-02", &suspended), 0);
    assert_int_equal(timefmt_day_parse("2026-11-23", &resumed), 0);
    /* Suspended three weeks waiting for an appraisal: due three weeks later. */
    assert_int_equal(deadline_after_pause(due, suspended, resumed) - due, 21);
    char day[16];
    timefmt_day(deadline_after_pause(due, suspended, resumed), day, sizeof day);
    assert_string_equal(day, "2027-01-05");
    /* Across a year end and a month of 28 days. */
    assert_int_equal(timefmt_day_parse("2027-02-27", &suspended), 0);
    assert_int_equal(timefmt_day_parse("2027-03-01", &resumed), 0);
    assert_int_equal(deadline_after_pause(due, suspended, resumed) - due, 2);
    /* Resumed the same day: nothing moves; a clock set back never moves it backwards. */
    assert_int_equal(deadline_after_pause(due, resumed, resumed), due);
    assert_int_equal(deadline_after_pause(due, resumed, resumed - 5), due);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_state_and_action),
        cmocka_unit_test(names_round_trip),
        cmocka_unit_test(escalation_needs_three_attempts_unless_urgent),
        cmocka_unit_test(a_failed_case_closes_only_after_review),
        cmocka_unit_test(a_referral_waits_for_feedback),
        cmocka_unit_test(roles_decide_who_acts),
        cmocka_unit_test(a_time_limit_is_extended_once),
        cmocka_unit_test(the_clock_pauses_while_suspended),
        cmocka_unit_test(the_diagram_covers_every_transition),
        cmocka_unit_test(case_numbers_follow_the_format),
        cmocka_unit_test(case_numbers_typed_by_citizens),
        cmocka_unit_test(deadlines_warn_three_working_days_ahead),
        cmocka_unit_test(a_pause_moves_the_deadline_by_its_length),
        cmocka_unit_test(only_holders_handle_a_case),
        cmocka_unit_test(a_failed_case_is_referred_on),
    };
    return cmocka_run_group_tests_name("case_fsm", tests, NULL, NULL);
}

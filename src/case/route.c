/*
 * route.c - routing a dispute (研判分流): the rules that apply where it arose decide the
 * level, the method and the time limit, and the decision is kept with its explanation
 * (every candidate rule and why it won, lost or did not match). Used on acceptance, on
 * escalation and on re-routing, and by the rule editor's preview.
 */
#include "case/case.h"
#include "core/calendar.h"
#include "core/region.h"
#include "core/routing.h"
#include "core/timefmt.h"
#include "store/rows_json.h"
#include "store/rules.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void range_text(char *out, size_t n, int has_min, int64_t min, int has_max, int64_t max)
{
    if (has_min && has_max)
        snprintf(out, n, "%lld..%lld", (long long)min, (long long)max);
    else if (has_min)
        snprintf(out, n, "%lld..", (long long)min);
    else if (has_max)
        snprintf(out, n, "..%lld", (long long)max);
    else
        snprintf(out, n, "any");
}

/* {dimension, rule_value, case_value} for one mismatch. */
static json_t *mismatch_json(enum routing_dim dim, const struct routing_cond *c,
                             const struct routing_case *k)
{
    char rule[64], kase[64];

    switch (dim) {
    case ROUTING_CATEGORY:
        snprintf(rule, sizeof rule, "%s", c->category);
        snprintf(kase, sizeof kase, "%s", k->category ? k->category : "");
        break;
    case ROUTING_REGION_LEVEL:
        snprintf(rule, sizeof rule, "%s", region_level_name(c->region_level));
        snprintf(kase, sizeof kase, "%s",
                 region_level_name(k->region_level) ? region_level_name(k->region_level) : "");
        break;
    case ROUTING_COMPLEXITY:
        snprintf(rule, sizeof rule, "%s", c->complexity);
        snprintf(kase, sizeof kase, "%s", k->complexity ? k->complexity : "");
        break;
    case ROUTING_AMOUNT:
        range_text(rule, sizeof rule, c->has_amount_min, c->amount_min, c->has_amount_max,
                   c->amount_max);
        snprintf(kase, sizeof kase, k->has_amount ? "%lld" : "unknown", (long long)k->amount);
        break;
    case ROUTING_PEOPLE:
        range_text(rule, sizeof rule, c->has_people_min, c->people_min, c->has_people_max,
                   c->people_max);
        snprintf(kase, sizeof kase, k->has_people ? "%lld" : "unknown", (long long)k->people);
        break;
    }
    return json_pack("{s:s, s:s, s:s}", "dimension", routing_dim_name(dim), "rule_value", rule,
                     "case_value", kase);
}

/* The level that "local" means for a dispute arising at `level`: grids are handled by
 * their village (a grid is not a body that mediates). */
static const char *resolve_level(const char *mgmt, const char *region_level)
{
    if (strcmp(mgmt, "local") != 0)
        return mgmt;
    if (strcmp(region_level, "grid") == 0)
        return "village";
    return region_level;
}

store_err case_route_evaluate(const struct case_env *env, const struct routing_case *k,
                              const char *path, const char *level, json_t **result,
                              struct case_route *out)
{
    static const char *const outcome_names[] = {"no_match", "beaten", "winner", "disabled"};
    struct store_rows *rules = NULL, *notices = NULL;
    struct routing_rule *rr = NULL;
    struct routing_decision *dd = NULL;
    enum routing_outcome *outcome = NULL;
    struct calendar_day *days = NULL;
    size_t ndays = 0;
    int winner, tie;
    json_t *candidates = NULL, *decision = json_null(), *rule = json_null(), *items = NULL;
    store_err e;

    memset(out, 0, sizeof *out);
    e = store_rules_for(env->conn, path, &rules);
    if (e == STORE_OK)
        e = store_calendar_load(env->conn, &days, &ndays);
    if (e != STORE_OK)
        goto out;
    rr = calloc((size_t)rules->nrows + 1, sizeof *rr);
    dd = calloc((size_t)rules->nrows + 1, sizeof *dd);
    outcome = calloc((size_t)rules->nrows + 1, sizeof *outcome);
    if (!rr || !dd || !outcome) {
        store_conn_seterr(env->conn, "out of memory");
        e = STORE_ERROR;
        goto out;
    }
    for (int i = 0; i < rules->nrows; i++)
        store_rule_from_row(rules, i, &rr[i], &dd[i]);
    winner = routing_decide(rr, rules->nrows, k, outcome, &tie);
    candidates = json_array();
    for (int i = 0; i < rules->nrows; i++) {
        enum routing_dim m[ROUTING_MAX_MISMATCH];
        int nm = routing_match(&rr[i].cond, k, m);
        json_t *mm = json_array();
        for (int j = 0; j < nm; j++)
            json_array_append_new(mm, mismatch_json(m[j], &rr[i].cond, k));
        json_array_append_new(candidates,
                              json_pack("{s:I, s:s, s:b, s:b, s:i, s:i, s:o, s:s}", "rule_id",
                                        (json_int_t)rr[i].id, "name", store_rows_get(rules, i, 1),
                                        "matched", nm == 0, "default", rr[i].owner_depth == 0,
                                        "specificity", routing_specificity(&rr[i].cond),
                                        "owner_depth", rr[i].owner_depth, "mismatches", mm,
                                        "outcome", outcome_names[outcome[i]]));
    }
    items = json_array();
    if (winner >= 0) {
        const struct routing_decision *d = &dd[winner];
        struct calendar cal = {days, ndays};
        /* time_limit_kind is a NOT NULL column of routing_rules (v2): never NULL here. */
        // NOLINTNEXTLINE(clang-analyzer-core.NonNullParamChecker)
        int business = strcmp(d->time_limit_kind, "business") == 0;
        int32_t due_day = calendar_add(&cal, env->today, d->time_limit_days, business);
        timefmt_day(due_day, out->due_date, sizeof out->due_date);
        out->found = 1;
        snprintf(out->level, sizeof out->level, "%s", resolve_level(d->management_level, level));
        snprintf(out->method, sizeof out->method, "%s", d->method);
        snprintf(out->time_limit_kind, sizeof out->time_limit_kind, "%s", d->time_limit_kind);
        out->time_limit_days = d->time_limit_days;
        out->lead_leader = d->lead_leader;
        decision =
            json_pack("{s:s, s:s, s:s, s:s?, s:s, s:i, s:s, s:b, s:s}", "management_level",
                      d->management_level, "resolved_level", out->level, "department",
                      d->department, "department_field", d->department_field, "method", d->method,
                      "time_limit_days", d->time_limit_days, "time_limit_kind", d->time_limit_kind,
                      "lead_leader", d->lead_leader, "due_date", out->due_date);
        rule = json_pack("{s:I, s:s}", "id", (json_int_t)rr[winner].id, "name",
                         store_rows_get(rules, winner, 1));
        e = store_catalogue_items(
            env->conn, store_rows_get(rules, winner, store_rows_col(rules, "notice_ids")),
            &notices);
        if (e != STORE_OK)
            goto out;
        for (int i = 0; i < notices->nrows; i++)
            json_array_append_new(items, store_rows_json(notices, i));
    }
    *result = json_pack("{s:o, s:o, s:o, s:o}", "decision", decision, "rule", rule, "candidates",
                        candidates, "notices", items);
    decision = rule = candidates = items = NULL;
out:
    json_decref(decision);
    json_decref(rule);
    json_decref(candidates);
    json_decref(items);
    free(rr);
    free(dd);
    free(outcome);
    free(days);
    store_rows_free(rules);
    store_rows_free(notices);
    return e;
}

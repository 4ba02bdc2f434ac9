#include "store/workbench.h"

#include "core/role.h"
#include "store/cases.h"

#include <string.h>

/*
 * Who acts on each to-do, as core/case_fsm.c gives the action to them: accepting
 * (受理) to the front desk and triage, assigning (四定三包) to triage, sessions to the
 * mediators, return visits also to grid workers; supervisors and leaders watch what is
 * running late (督办); referral feedback (闭环) is recorded by triage, supervisors and the
 * front desk. Administrators see everything.
 */
#define FRONT    (ROLE_CLERK | ROLE_DISPATCHER)
#define TRIAGE   ROLE_DISPATCHER
#define HANDLERS (ROLE_MEDIATOR | ROLE_DISPATCHER | ROLE_SUPERVISOR)
#define WATCH    (ROLE_SUPERVISOR | ROLE_LEADER)

static const struct {
    const char *key, *state, *todo;
    int overdue;
    unsigned roles;
    int own; /* always the caller's own cases (a leader's 包案) */
} todos[STORE_TODOS] = {
    {"to_accept", "registered", NULL, 0, FRONT, 0},
    {"to_assign", "accepted", NULL, 0, TRIAGE, 0},
    {"sessions_due", "assigned", NULL, 0, HANDLERS, 0},
    {"mediating", "mediating", NULL, 0, ROLE_MEDIATOR | WATCH, 0},
    {"overdue", NULL, NULL, 1, HANDLERS | WATCH, 0},
    {"orders_open", NULL, "orders_open", 0, HANDLERS | WATCH, 0},
    {"visits_due", NULL, "visit_due", 0, HANDLERS | ROLE_GRID_WORKER, 0},
    {"instalments_late", NULL, "instalments_late", 0, HANDLERS, 0},
    {"awaiting_feedback", NULL, "awaiting_feedback", 0, TRIAGE | ROLE_SUPERVISOR | ROLE_CLERK, 0},
    /* 终结前须经协调督办岗研判: failed mediations wait for the supervisor's review. */
    {"to_review", "failed", NULL, 0, ROLE_SUPERVISOR, 0},
    /* 包案: the cases a leader answers for as lead leader (or handles). */
    {"my_cases", NULL, "open", 0, ROLE_LEADER, 1},
};

/* The register's query strings of the to-dos, in the order of the table. */
static const char *const queries[STORE_TODOS] = {
    "state=registered",       "state=accepted",   "state=assigned",      "state=mediating",
    "overdue=true",           "todo=orders_open", "todo=visit_due",      "todo=instalments_late",
    "todo=awaiting_feedback", "state=failed",     "mine=true&todo=open",
};

int store_todo_valid(const char *todo)
{
    for (int i = 0; i < STORE_TODOS; i++)
        if (todos[i].todo && strcmp(todos[i].todo, todo) == 0)
            return 1;
    return 0;
}

/* The count of to-do i over the whole scope from `known`, or -1. */
static int64_t known_count(const struct store_todo_known *known, int i)
{
    if (strcmp(todos[i].key, "awaiting_feedback") == 0)
        return known->awaiting_feedback;
    if (todos[i].overdue)
        return known->overdue;
    if (todos[i].state) {
        enum case_state s = case_state_parse(todos[i].state);
        return s > 0 ? known->by_state[s] : -1;
    }
    return -1;
}

store_err store_workbench(struct store_conn *c, const struct store_actor *a, unsigned roles,
                          int mine, const struct store_todo_known *known, const char *today,
                          struct store_todo out[STORE_TODOS], int *n)
{
    store_err e = STORE_OK;

    *n = 0;
    for (int i = 0; e == STORE_OK && i < STORE_TODOS; i++) {
        struct store_case_filter f = {.state = todos[i].state,
                                      .todo = todos[i].todo,
                                      .today = today,
                                      .mine = mine || todos[i].own ? a->user_id : 0};
        if (!(roles & (todos[i].roles | ROLE_ADMIN)))
            continue;
        if (todos[i].overdue)
            f.overdue_on = today;
        out[*n].key = todos[i].key;
        out[*n].query = queries[i];
        out[*n].count = f.mine || !known ? -1 : known_count(known, i);
        if (out[*n].count < 0)
            e = store_case_count(c, a, &f, &out[*n].count);
        (*n)++;
    }
    return e;
}

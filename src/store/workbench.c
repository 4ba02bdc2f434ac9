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
} todos[STORE_TODOS] = {
    {"to_accept", "registered", NULL, 0, FRONT},
    {"to_assign", "accepted", NULL, 0, TRIAGE},
    {"sessions_due", "assigned", NULL, 0, HANDLERS},
    {"mediating", "mediating", NULL, 0, ROLE_MEDIATOR | WATCH},
    {"overdue", NULL, NULL, 1, HANDLERS | WATCH},
    {"orders_open", NULL, "orders_open", 0, HANDLERS | WATCH},
    {"visits_due", NULL, "visit_due", 0, HANDLERS | ROLE_GRID_WORKER},
    {"instalments_late", NULL, "instalments_late", 0, HANDLERS},
    {"awaiting_feedback", NULL, "awaiting_feedback", 0, TRIAGE | ROLE_SUPERVISOR | ROLE_CLERK},
};

/* The register's query strings of the to-dos, in the order of the table. */
static const char *const queries[STORE_TODOS] = {
    "state=registered", "state=accepted",        "state=assigned",
    "state=mediating",  "overdue=true",          "todo=orders_open",
    "todo=visit_due",   "todo=instalments_late", "todo=awaiting_feedback",
};

int store_todo_valid(const char *todo)
{
    for (int i = 0; i < STORE_TODOS; i++)
        if (todos[i].todo && strcmp(todos[i].todo, todo) == 0)
            return 1;
    return 0;
}

store_err store_workbench(struct store_conn *c, const struct store_actor *a, unsigned roles,
                          int mine, const char *today, struct store_todo out[STORE_TODOS], int *n)
{
    store_err e = STORE_OK;

    *n = 0;
    for (int i = 0; e == STORE_OK && i < STORE_TODOS; i++) {
        struct store_case_filter f = {.state = todos[i].state,
                                      .todo = todos[i].todo,
                                      .today = today,
                                      .mine = mine ? a->user_id : 0};
        if (!(roles & (todos[i].roles | ROLE_ADMIN)))
            continue;
        if (todos[i].overdue)
            f.overdue_on = today;
        out[*n].key = todos[i].key;
        out[*n].query = queries[i];
        e = store_case_count(c, a, &f, &out[*n].count);
        (*n)++;
    }
    return e;
}

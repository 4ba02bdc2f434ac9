/*
 * workbench.h - the workbench's to-do counts (工作台): what waits for each role, counted
 * in the caller's region scope and, for a mediator, among their own cases.
 *
 * Each to-do is a filter of the register (store_case_list), and its count is that list's
 * total (store_case_count), or, over the caller's whole scope, the same number kept by the
 * statistics counters (watch/stats.h: the case module moves them in the transaction of every
 * change, so they are exact; tests/api/workbench.test.mjs holds each count to its list's
 * total). A count from the register reads the index its list reads.
 */
#ifndef JIEFEN_STORE_WORKBENCH_H
#define JIEFEN_STORE_WORKBENCH_H

#include "core/case_fsm.h"
#include "store/store.h"

#define STORE_TODOS 11

struct store_todo {
    const char *key;   /* to_accept, to_assign, sessions_due, ... (docs/openapi.yaml) */
    const char *query; /* the register's query string that lists these cases */
    int64_t count;
};

/* 1 if `todo` is one of the register's to-do filters (GET /api/v1/cases?todo=...). */
int store_todo_valid(const char *todo);

/* Counts the caller read from the statistics counters for its whole scope (watch/stats.h),
 * each -1 where the to-do is to be counted from the register: referrals awaiting feedback,
 * overdue cases, and open cases by state (indexed by enum case_state). */
struct store_todo_known {
    int64_t awaiting_feedback;
    int64_t overdue; /* open cases past their due date as of `today` */
    int64_t by_state[CASE_STATES + 1];
};

/*
 * The to-dos of a caller with these role bits (core/role.h), in workbench order, counted
 * at `today` (YYYY-MM-DD, Beijing); mine: only the cases of actor->user_id (responsible
 * person or mediator). Fills out[0..*n). `known` (may be NULL) gives counts of the whole
 * scope from the counters; they are not used for the caller's own cases.
 */
store_err store_workbench(struct store_conn *c, const struct store_actor *a, unsigned roles,
                          int mine, const struct store_todo_known *known, const char *today,
                          struct store_todo out[STORE_TODOS], int *n);

#endif

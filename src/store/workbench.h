/*
 * workbench.h - the workbench's to-do counts (工作台): what waits for each role, counted
 * in the caller's region scope and, for a mediator, among their own cases.
 *
 * Each to-do is a filter of the register (store_case_list), and its count is that list's
 * total (store_case_count): the number on the workbench and the rows its link opens are
 * the same query, so they cannot disagree, and each count reads the index its list reads.
 */
#ifndef JIEFEN_STORE_WORKBENCH_H
#define JIEFEN_STORE_WORKBENCH_H

#include "store/store.h"

#define STORE_TODOS 11

struct store_todo {
    const char *key;   /* to_accept, to_assign, sessions_due, ... (docs/openapi.yaml) */
    const char *query; /* the register's query string that lists these cases */
    int64_t count;
};

/* 1 if `todo` is one of the register's to-do filters (GET /api/v1/cases?todo=...). */
int store_todo_valid(const char *todo);

/*
 * The to-dos of a caller with these role bits (core/role.h), in workbench order, counted
 * at `today` (YYYY-MM-DD, Beijing); mine: only the cases of actor->user_id (responsible
 * person or mediator). Fills out[0..*n). feedback >= 0 is the count of referrals awaiting
 * feedback in the caller's scope, read by the caller from the statistics counters
 * (watch/stats.h); -1 counts them here.
 */
store_err store_workbench(struct store_conn *c, const struct store_actor *a, unsigned roles,
                          int mine, int64_t feedback, const char *today,
                          struct store_todo out[STORE_TODOS], int *n);

#endif

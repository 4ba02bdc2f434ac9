/*
 * workbench.c - GET /api/v1/workbench: the caller's to-do counts (工作台), each with the
 * register's query that lists its cases (store/workbench.h decides what they are).
 */
#include "api/api.h"
#include "core/role.h"
#include "core/timefmt.h"
#include "store/workbench.h"
#include "watch/stats.h"

#include <stdio.h>
#include <string.h>

/* A mediator without a desk role works their own cases (as the register opens for them);
 * ?mine=true or false says otherwise. Returns 0, 1, or -1 with the field named in errs. */
static int mine_of(struct http_req *req, struct verr_list *errs)
{
    const char *mine = http_query(req, "mine");

    if (!mine || !*mine)
        return api_has_role(req, ROLE_MEDIATOR) &&
               !api_has_role(req, ROLE_CLERK | ROLE_DISPATCHER | ROLE_SUPERVISOR | ROLE_LEADER |
                                      ROLE_ADMIN);
    if (strcmp(mine, "true") == 0 || strcmp(mine, "1") == 0)
        return 1;
    if (strcmp(mine, "false") == 0 || strcmp(mine, "0") == 0)
        return 0;
    verr_add(errs, "mine", "invalid", "must be true or false");
    return -1;
}

void api_workbench(struct http_req *req, struct http_res *res)
{
    struct api_ctx *ctx = api_ctx(req);
    struct verr_list errs = {0};
    struct store_todo todos[STORE_TODOS];
    char today[16], query[128];
    int n = 0, mine = mine_of(req, &errs);
    json_t *items;
    struct stats_backlog backlog = {0};
    struct store_todo_known known = {.awaiting_feedback = -1, .overdue = -1};
    store_err e = STORE_OK;

    if (errs.n) {
        api_validation(res, &errs);
        return;
    }
    timefmt_day((int32_t)((store_now_ms() + 8LL * 3600 * 1000) / 86400000), today, sizeof today);
    /* Referrals awaiting feedback stay in state referred, so counting them read a row per
     * referral the scope ever made (the state index does not hold feedback_recorded): the
     * statistics counters hold the same number per region (core/stats.c), kept by the case
     * module in the transaction of every change (issue 12). The caller's scope is the
     * subtree of their region. */
    if (!mine)
        e = stats_backlog(ctx->conn, ctx->who.region_id, today, &backlog);
    /* The same for the overdue cases (open_due before today) and the open cases of each to-do
     * state: counting them read the index entries of the whole scope (a city at 1 M cases:
     * 24,000-75,000 per state, 39 ms for the workbench; docs/metrics.md). */
    if (!mine && e == STORE_OK) {
        known.awaiting_feedback = backlog.awaiting_feedback;
        known.overdue = backlog.overdue;
        e = stats_todo_states(ctx->conn, ctx->who.region_id, known.by_state);
    }
    if (e == STORE_OK)
        e = store_workbench(ctx->conn, &ctx->actor, ctx->who.roles, mine, mine ? NULL : &known,
                            today, todos, &n);
    if (e != STORE_OK) {
        api_store_error(res, ctx->conn, e);
        return;
    }
    items = json_array();
    for (int i = 0; i < n; i++) {
        snprintf(query, sizeof query, "%s%s", todos[i].query,
                 mine && !strstr(todos[i].query, "mine=") ? "&mine=true" : "");
        json_array_append_new(items, json_pack("{s:s, s:I, s:s}", "key", todos[i].key, "count",
                                               (json_int_t)todos[i].count, "query", query));
    }
    http_res_json(res, 200,
                  json_pack("{s:b, s:s, s:o}", "mine", mine, "today", today, "items", items));
}

/*
 * case_impl.h - what the files of the case module share; not for callers.
 */
#ifndef JIEFEN_CASE_IMPL_H
#define JIEFEN_CASE_IMPL_H

#include "case/case.h"
#include "core/calendar.h"
#include "core/risk_text.h"
#include "store/cases.h"

/* One action being taken: the request, the case as it was, and the change being built. */
struct case_action_ctx {
    const struct case_env *env;
    int64_t id;
    json_t *req;
    struct store_rows *row; /* the case before the action (owned) */
    struct case_facts f;
    enum case_action action;
    struct store_case_change ch;
    json_t *data;             /* the timeline event (owned) */
    struct verr_list *errs;   /* the caller's */
    const char *const *extra; /* request members read besides the event's text fields */
    /* Storage the change points into, alive until the change is written. */
    char level[16], method[32], kind[16], due[16], visit[16], lead_name[256];
    char *routing_text, *ids_text, *experts_text, *data_text;
    json_t *routing;
    struct store_session_in session;
    struct store_instalment_in plan[60];
};

/* A column of the case row by name. */
const char *case_col(const struct case_action_ctx *a, const char *name);
int64_t case_col_int(const struct case_action_ctx *a, const char *name);

/* The facts the state machine needs, including whether the caller holds the case. */
store_err case_facts_load(const struct case_env *env, const struct store_rows *row,
                          struct case_facts *f);
json_t *case_actions_json(const struct case_facts *f, unsigned roles);

/* actions.c: reads the action's fields into a->ch and a->data (errors into a->errs). */
store_err case_prepare(struct case_action_ctx *a);
/* actions.c: what follows in the same transaction once the change is written. */
store_err case_follow_up(struct case_action_ctx *a);

/* risk.c: regrades case `id` in the caller's transaction (level, reasons, timeline event
 * and alert when the level changes). */
store_err case_risk_regrade(const struct case_env *env, int64_t id);
/* A case's text read for risk before the transaction (case_env.text_read). */
struct case_text_read {
    char *text;   /* as store_risk_facts joins it: each of facts and claims, then '\n' */
    char *simple; /* text_simplify(text); NULL without OpenCC (text is read as it is) */
    struct risk_text_result read; /* risk_text_read of simple or text */
};
/* risk.c: reads a new case's facts and claims as its regrade will (-1 out of memory). */
int case_text_read_make(const struct case_env *env, const char *facts, const char *claims,
                        struct case_text_read *m);
void case_text_read_free(struct case_text_read *m);
/* risk.c: 1 when the action would end a red case that has no control plan. */
int case_risk_blocks_end(const struct case_action_ctx *a);

/* The working-day calendar (caller frees days). */
store_err case_calendar(const struct case_env *env, struct calendar_day **days, size_t *n);
/* The day a period of `n` calendar days from `from` ends (民法典 art. 203). */
store_err case_period_end(const struct case_env *env, int32_t day, int32_t *end);

#endif

/*
 * act.c - taking an action on a case: the guard, the action's own fields and effects, and
 * the change written in one transaction with its follow-ups.
 *
 * Each action has a small `prepare` function (actions.c) that reads its fields from the
 * request into the change and the timeline event. This file runs the common part: load
 * the case inside the write transaction (so the guard and the write see the same case),
 * ask the state machine, refuse what it refuses, check for unknown fields, apply, and run
 * what follows from some actions (a recurrence reopens, a merge notes the other case).
 */
#include "case/case_impl.h"
#include "core/region.h"
#include "core/role.h"
#include "store/cases.h"
#include "store/settings.h"
#include "watch/stats.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void case_out_free(struct case_out *out)
{
    json_decref(out->allowed);
    json_decref(out->related);
    out->allowed = out->related = NULL;
}

int32_t case_today(void)
{
    return (int32_t)((store_now_ms() + 8LL * 3600 * 1000) / 86400000);
}

const char *case_col(const struct case_action_ctx *a, const char *name)
{
    return store_rows_get(a->row, 0, store_rows_col(a->row, name));
}

int64_t case_col_int(const struct case_action_ctx *a, const char *name)
{
    return store_rows_int(a->row, 0, store_rows_col(a->row, name));
}

/*
 * 四定三包: the caller answers for the case when no unit holds it yet, or as one of its
 * mediators or its responsible person, or as the head (leader or administrator) of the
 * unit that holds it. Everyone else in scope reads it.
 */
static store_err holder_of(const struct case_env *env, const struct store_rows *row, int *holder)
{
    int64_t org = store_rows_int(row, 0, store_rows_col(row, "resp_org_id"));
    const unsigned heads = ROLE_LEADER | ROLE_ADMIN;

    *holder = 1;
    if (!store_rows_get(row, 0, store_rows_col(row, "resp_org_id")))
        return STORE_OK;
    if (env->who && env->who->org_id == org && (env->who->roles & heads))
        return STORE_OK;
    if (!env->actor->user_id) {
        *holder = env->actor->top; /* the system (CLI, scheduler) acts for everyone */
        return STORE_OK;
    }
    return store_case_holds(env->conn, store_rows_int(row, 0, 0), env->actor->user_id, holder);
}

store_err case_facts_load(const struct case_env *env, const struct store_rows *row,
                          struct case_facts *f)
{
    memset(f, 0, sizeof *f);
    f->state = case_state_parse(store_rows_get(row, 0, store_rows_col(row, "state")));
    f->resume_state = case_state_parse(store_rows_get(row, 0, store_rows_col(row, "resume_state")));
    f->sessions_at_level = (int)store_rows_int(row, 0, store_rows_col(row, "sessions_at_level"));
    f->min_sessions = (int)store_setting_int(env->conn, "min_sessions_before_escalation");
    f->urgent = (int)store_rows_int(row, 0, store_rows_col(row, "urgent"));
    f->level = region_level_parse(store_rows_get(row, 0, store_rows_col(row, "level")));
    f->failure_reviewed = (int)store_rows_int(row, 0, store_rows_col(row, "failure_reviewed"));
    f->feedback_recorded = (int)store_rows_int(row, 0, store_rows_col(row, "feedback_recorded"));
    f->extended = (int)store_rows_int(row, 0, store_rows_col(row, "extended"));
    return holder_of(env, row, &f->holder);
}

json_t *case_actions_json(const struct case_facts *f, unsigned roles)
{
    enum case_action acts[CASE_ACTIONS];
    int n = case_actions(f, roles, acts, CASE_ACTIONS);
    json_t *list = json_array();

    for (int i = 0; i < n; i++)
        json_array_append_new(list, json_string(case_action_name(acts[i])));
    return list;
}

static unsigned roles_of(const struct case_env *env)
{
    /* The system actor (CLI, scheduler) may take any action the state machine allows. */
    return env->who ? env->who->roles : ROLE_ALL;
}

case_err case_allowed(const struct case_env *env, int64_t id, json_t **actions,
                      struct case_out *out)
{
    struct store_rows *row = NULL;
    struct case_facts f;
    store_err e = store_case_get(env->conn, env->actor, id, &row);

    if (e == STORE_OK)
        e = case_facts_load(env, row, &f);
    if (e == STORE_OK) {
        *actions = case_actions_json(&f, roles_of(env));
        out->state = f.state;
    }
    store_rows_free(row);
    out->store = e;
    return e == STORE_OK ? CASE_OK : CASE_STORE;
}

/* What an action writes on its event from what it derived, never read from a request: a
 * request naming one of these is told so (the lead leader was once typed as text). */
static int derived(const char *key)
{
    static const char *const keys[] = {"resp_org_name",
                                       "mediator_names",
                                       "released_mediators",
                                       "lead_leader",
                                       "paused_days",
                                       "visit_due",
                                       "merged_into",
                                       "merged_into_number",
                                       "level",
                                       "due_date",
                                       NULL};
    for (const char *const *k = keys; *k; k++)
        if (strcmp(key, *k) == 0)
            return 1;
    return 0;
}

/* Members of the request that no step of the action read are mistakes to report. */
static void unknown_fields(struct case_action_ctx *a)
{
    const char *key;
    json_t *v;

    json_object_foreach(a->req, key, v)
    {
        int known = strcmp(key, "action") == 0 ||
                    (json_object_get(a->data, key) && !derived(key)) || verr_has(a->errs, key);
        for (const char *const *k = a->extra; !known && k && *k; k++)
            known = strcmp(key, *k) == 0;
        if (!known)
            verr_add(a->errs, key, "unknown", "is not a field of the action %s",
                     case_action_name(a->action));
    }
}

static void action_free(struct case_action_ctx *a)
{
    free(a->routing_text);
    free(a->ids_text);
    free(a->experts_text);
    free(a->data_text);
    json_decref(a->routing);
    json_decref(a->data);
    store_rows_free(a->row);
}

/* Loads the case, asks the state machine; CASE_OK when the action may be taken. */
static case_err guard(struct case_action_ctx *a, struct case_out *out)
{
    const char *name = json_string_value(json_object_get(a->req, "action"));
    enum case_refusal why;

    out->store = store_case_get(a->env->conn, a->env->actor, a->id, &a->row);
    if (out->store == STORE_OK)
        out->store = case_facts_load(a->env, a->row, &a->f);
    if (out->store != STORE_OK)
        return CASE_STORE;
    a->action = name ? case_action_parse(name) : 0;
    if (!a->action) {
        verr_add(a->errs, "action", name ? "invalid" : "required", "name one of the case actions");
        return CASE_INVALID;
    }
    why = case_may(&a->f, roles_of(a->env), a->action);
    if (why != CR_OK) {
        out->refusal = why;
        out->state = a->f.state;
        out->allowed = case_actions_json(&a->f, roles_of(a->env));
        return CASE_REFUSED;
    }
    memset(&a->ch, 0, sizeof a->ch);
    a->ch.action = name;
    a->ch.from_state = case_state_name(a->f.state);
    a->ch.to_state = case_state_name(case_next(&a->f, a->action));
    a->ch.sessions = a->ch.failure_reviewed = a->ch.feedback_recorded = a->ch.urgent = -1;
    a->ch.public_event = 1;
    return CASE_OK;
}

case_err case_act(const struct case_env *env, int64_t id, json_t *req, struct case_out *out)
{
    struct case_action_ctx a;
    case_err rc;
    store_err e;

    memset(&a, 0, sizeof a);
    a.env = env;
    a.id = out->id = id;
    a.req = req;
    a.errs = &out->errs;
    a.data = json_object();
    e = store_begin(env->conn, 1);
    if (e != STORE_OK) {
        out->store = e;
        action_free(&a);
        return CASE_STORE;
    }
    rc = guard(&a, out);
    if (rc == CASE_OK) {
        e = case_prepare(&a);
        if (e != STORE_OK) {
            out->store = e;
            rc = CASE_STORE;
        }
    }
    if (rc == CASE_OK) {
        unknown_fields(&a);
        if (case_risk_blocks_end(&a))
            verr_add(&out->errs, "control_plan", "required",
                     "a red case needs a control plan (稳控方案) before it is ended");
        if (out->errs.n)
            rc = CASE_INVALID;
    }
    if (rc == CASE_OK) {
        a.data_text = json_dumps(a.data, JSON_COMPACT);
        a.ch.event_data = a.data_text;
        e = store_case_apply(env->conn, env->actor, id, &a.ch);
        if (e == STORE_OK)
            e = case_follow_up(&a);
        if (e == STORE_OK)
            e = stats_sync(env->conn, id); /* 统计 counters, docs/metrics.md */
        if (e == STORE_OK)
            e = case_risk_regrade(env, id);
        if (e != STORE_OK) {
            out->store = e;
            rc = CASE_STORE;
        }
    }
    /* Nothing of a refused or invalid action stays: the transaction ends without it. */
    e = store_end(env->conn, rc == CASE_OK ? STORE_OK : STORE_ERROR);
    if (rc == CASE_OK && e != STORE_OK) {
        out->store = e;
        rc = CASE_STORE;
    }
    action_free(&a);
    return rc;
}

case_err case_note(const struct case_env *env, int64_t id, const char *action, const char *data,
                   int public_event, struct case_out *out)
{
    store_err e = store_begin(env->conn, 1);

    if (e == STORE_OK)
        e = store_case_note(env->conn, env->actor, id, action, data, public_event);
    if (e == STORE_OK)
        e = stats_sync(env->conn, id); /* a citizen's rating counts in 满意率 */
    if (e == STORE_OK)
        e = case_risk_regrade(env, id);
    out->store = store_end(env->conn, e);
    return out->store == STORE_OK ? CASE_OK : CASE_STORE;
}

case_err case_load(const struct case_env *env, const struct store_case_raw *raw,
                   struct case_out *out)
{
    out->store = store_case_insert_raw(env->conn, raw, &out->id);
    return out->store == STORE_OK ? CASE_OK : CASE_STORE;
}

case_err case_load_many(const struct case_env *env, const struct store_case_raw *const *raws,
                        long n, int64_t *ids, struct case_out *out)
{
    out->store = store_case_insert_raw_many(env->conn, raws, n, ids);
    return out->store == STORE_OK ? CASE_OK : CASE_STORE;
}

case_err case_attach(const struct case_env *env, int64_t id, const struct store_attachment_in *in,
                     int64_t *attachment_id, struct case_out *out)
{
    out->store = store_attachment_add(env->conn, env->actor, id, in, attachment_id);
    out->id = id;
    return out->store == STORE_OK ? CASE_OK : CASE_STORE;
}

case_err case_reissue_code(const struct case_env *env, const char *const *numbers,
                           const char *const phone_index[2], const char *const id_index[2],
                           const char *digest, struct case_out *out)
{
    out->store = store_case_recover(env->conn, env->actor, numbers, phone_index, id_index, digest,
                                    out->number, sizeof out->number);
    return out->store == STORE_OK ? CASE_OK : CASE_STORE;
}

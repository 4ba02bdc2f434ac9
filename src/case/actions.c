/*
 * actions.c - what each action of a case reads and does (docs/case-states.md).
 *
 * One function per action reads the action's fields into the change (store_case_change)
 * and the timeline event, with every bad field reported at once. The rules they apply come
 * from the seeds and the law, cited where they apply.
 */
#include "case/case_impl.h"
#include "core/deadline.h"
#include "core/jfield.h"
#include "core/region.h"
#include "core/role.h"
#include "core/routing.h"
#include "core/timefmt.h"
#include "notify/notify.h"
#include "store/orgs.h"
#include "store/people.h"
#include "store/regions.h"
#include "store/settings.h"
#include "store/users.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RETURN_VISIT_DAYS 15 /* calendar days after closing that a return visit is due */

typedef store_err (*prepare_fn)(struct case_action_ctx *a);

/* Reads the text fields an action needs into the timeline event, checking them. */
static void text_fields(struct case_action_ctx *a, const char *const *required,
                        const char *const *optional)
{
    for (const char *const *k = required; k && *k; k++) {
        json_t *v = json_object_get(a->req, *k);
        if (!json_is_string(v) || utf8_len(json_string_value(v)) < 1)
            verr_add(a->errs, *k, "required", "is required");
        else if (verr_check_text(a->errs, *k, json_string_value(v), 1, 5000))
            json_object_set(a->data, *k, v);
    }
    for (const char *const *k = optional; k && *k; k++) {
        json_t *v = json_object_get(a->req, *k);
        if (v && !json_is_null(v)) {
            if (!json_is_string(v))
                verr_add(a->errs, *k, "type", "must be a string");
            else if (verr_check_text(a->errs, *k, json_string_value(v), 0, 5000))
                json_object_set(a->data, *k, v);
        }
    }
}

#define REQ(...) ((const char *const[]){__VA_ARGS__, NULL})

static const char *req_str(const struct case_action_ctx *a, const char *key)
{
    return json_string_value(json_object_get(a->req, key));
}

/* A date member (YYYY-MM-DD); 0 with an error when given but not a date. */
static int32_t req_day(struct case_action_ctx *a, const char *key)
{
    const char *s = req_str(a, key);
    int32_t d = 0;

    if (s && timefmt_day_parse(s, &d) != 0) {
        if (!verr_has(a->errs, key))
            verr_add(a->errs, key, "invalid", "must be a date (YYYY-MM-DD)");
        return 0;
    }
    return d;
}

/* Sets the change's due date to the end of a period of `days` calendar days from today. */
static store_err due_in_days(struct case_action_ctx *a, int32_t from, int days)
{
    int32_t end;
    store_err e = case_period_end(a->env, from + days, &end);

    if (e == STORE_OK) {
        timefmt_day(end, a->due, sizeof a->due);
        a->ch.due_date = a->due;
    }
    return e;
}

/* ---- routing: on acceptance, escalation and re-routing ---- */

/*
 * Routes the case at the region with `path`/`level` and puts the decision into the change:
 * level, method, time limit. A court-entrusted mediation has 30 days and a petition-related
 * matter 60, whatever the rule says for the category (seed 002, 诉调对接 and 访调对接).
 */
static store_err route_case(struct case_action_ctx *a, const char *path, const char *level)
{
    struct routing_case k = {0};
    struct case_route r;
    const char *channel = case_col(a, "channel");
    int fixed = strcmp(channel, "court_delegation") == 0    ? 30
                : strcmp(channel, "petition_transfer") == 0 ? 60
                                                            : 0;
    store_err e;

    k.category = case_col(a, "category");
    k.complexity = case_col(a, "complexity");
    k.has_people = case_col(a, "people") != NULL;
    k.people = case_col_int(a, "people");
    k.has_amount = case_col(a, "amount") != NULL;
    k.amount = case_col_int(a, "amount");
    k.region_level = region_level_parse(level);
    json_decref(a->routing);
    a->routing = NULL;
    e = case_route_evaluate(a->env, &k, path, level, &a->routing, &r);
    if (e != STORE_OK)
        return e;
    if (r.found) {
        snprintf(a->level, sizeof a->level, "%s",
                 strcmp(r.level, "grid") == 0 ? "village" : r.level);
        snprintf(a->method, sizeof a->method, "%s", r.method);
        snprintf(a->kind, sizeof a->kind, "%s", fixed ? "calendar" : r.time_limit_kind);
        snprintf(a->due, sizeof a->due, "%s", r.due_date);
        a->ch.level = a->level;
        a->ch.method = a->method;
        json_object_set_new(a->data, "level", json_string(a->ch.level));
        json_object_set_new(a->data, "method", json_string(a->method));
        /* The court's or the petition office's period runs from the delegation: handing
         * the case on within the system does not restart it. */
        if (fixed && a->action != CA_ACCEPT)
            goto keep;
        a->ch.time_limit_kind = a->kind;
        a->ch.time_limit_days = fixed ? fixed : r.time_limit_days;
        a->ch.due_date = a->due;
        if (fixed && (e = due_in_days(a, a->env->today, fixed)) != STORE_OK)
            return e;
        json_object_set_new(a->data, "due_date", json_string(a->due));
    }
keep:
    free(a->routing_text);
    a->routing_text = json_dumps(a->routing, JSON_COMPACT);
    a->ch.routing = a->routing_text;
    return STORE_OK;
}

/* The region the case arose in: its path and level (unscoped: the case is in scope). */
static store_err case_place(struct case_action_ctx *a, char *path, size_t pathlen, char *level,
                            size_t levellen)
{
    struct store_actor sys;

    store_actor_system(&sys);
    return store_region_path(a->env->conn, &sys, case_col_int(a, "region_id"), path, pathlen, level,
                             levellen);
}

static store_err act_accept(struct case_action_ctx *a)
{
    char path[REGION_PATH_MAX], level[16];
    store_err e;

    text_fields(a, NULL, REQ("note"));
    if (a->errs->n)
        return STORE_OK;
    e = case_place(a, path, sizeof path, level, sizeof level);
    return e == STORE_OK ? route_case(a, path, level) : e;
}

/* The name of the unit a case goes to, on its timeline event: the staff who let it go
 * cannot look up a unit above their own area. */
static store_err unit_name(struct case_action_ctx *a, int64_t org)
{
    struct store_actor sys;
    struct store_rows *o = NULL;
    store_err e;

    store_actor_system(&sys);
    e = store_org_get(a->env->conn, &sys, org, &o);
    if (e == STORE_OK)
        json_object_set_new(a->data, "resp_org_name",
                            json_string(store_rows_get(o, 0, store_rows_col(o, "name"))));
    store_rows_free(o);
    return e;
}

/* The names of the mediators `ids` (a JSON array), as "mediator_names" on the event. */
static store_err mediator_names(struct case_action_ctx *a, json_t *ids)
{
    struct store_actor sys;
    json_t *names = json_array(), *v;
    store_err e = STORE_OK;
    size_t i;

    store_actor_system(&sys);
    json_array_foreach(ids, i, v)
    {
        struct store_rows *m = NULL;
        e = store_mediator_get(a->env->conn, &sys, json_integer_value(v), 0, &m);
        if (e == STORE_OK)
            json_array_append_new(names,
                                  json_string(store_rows_get(m, 0, store_rows_col(m, "name"))));
        store_rows_free(m);
        if (e != STORE_OK)
            break;
    }
    json_object_set_new(a->data, "mediator_names", names);
    return e;
}

/*
 * 上报: the case goes to the level above (三三制 checked by the state machine). The rules that
 * apply there pick the method and the new time limit, the unit there (its 矛调中心, else its
 * 人民调解委员会) takes it into its queue, and the former mediators are released: the unit
 * above assigns its own. Supervision orders follow the case to the unit that holds it.
 */
static store_err act_escalate(struct case_action_ctx *a)
{
    char path[REGION_PATH_MAX], up_path[REGION_PATH_MAX], level[16], up[16];
    int64_t up_region = 0, org = 0;
    store_err e;

    text_fields(a, REQ("reason"), NULL);
    if (a->errs->n)
        return STORE_OK;
    snprintf(up, sizeof up, "%s",
             region_level_name(a->f.level > REGION_CITY ? a->f.level - 1 : a->f.level));
    e = case_place(a, path, sizeof path, level, sizeof level);
    if (e == STORE_OK)
        e = store_case_upper_unit(a->env->conn, path, up, &up_region, up_path, sizeof up_path,
                                  &org);
    if (e == STORE_NOT_FOUND) {
        verr_add(a->errs, "action", "invalid", "the region has no %s above it", up);
        return STORE_OK;
    }
    if (e == STORE_OK)
        e = route_case(a, up_path, up);
    if (e != STORE_OK)
        return e;
    /* Whatever level a rule names, the case now sits at the level it was escalated to. */
    snprintf(a->level, sizeof a->level, "%s", up);
    a->ch.level = a->level;
    a->ch.sessions = 0;
    a->ch.release = 1;
    a->ch.resp_org_id = org;
    a->ch.routing_reason = req_str(a, "reason");
    json_object_set_new(a->data, "level", json_string(up));
    json_object_set_new(a->data, "resp_org_id", org ? json_integer(org) : json_null());
    if (org && (e = unit_name(a, org)) != STORE_OK)
        return e;
    json_object_set_new(a->data, "released_mediators",
                        json_loads(case_col(a, "mediator_ids"), 0, NULL));
    return STORE_OK;
}

/*
 * Where a case stands now: the place it arose, or, once escalated, the region above it at
 * the case's level (so that re-routing an escalated case does not send it back down).
 * `path` and `level` hold the place it arose on entry.
 */
static store_err current_place(struct case_action_ctx *a, char *path, size_t pathlen, char *level,
                               size_t levellen)
{
    const char *now = case_col(a, "level");
    char up_path[REGION_PATH_MAX];
    int64_t region = 0, org = 0;
    store_err e;

    if (!now || strcmp(now, level) == 0 ||
        (strcmp(level, "grid") == 0 && strcmp(now, "village") == 0))
        return STORE_OK;
    e = store_case_upper_unit(a->env->conn, path, now, &region, up_path, sizeof up_path, &org);
    if (e == STORE_OK) {
        snprintf(path, pathlen, "%s", up_path);
        snprintf(level, levellen, "%s", now);
    }
    return e;
}

/* 改派 / 重新分流: routed again with a reason, optionally to a named unit. */
static store_err act_reroute(struct case_action_ctx *a)
{
    static const char *const extra[] = {"resp_org_id", NULL};
    char path[REGION_PATH_MAX], level[16];
    json_t *org = json_object_get(a->req, "resp_org_id");
    store_err e;

    a->extra = extra;
    text_fields(a, REQ("reason"), NULL);
    if (org && (!json_is_integer(org) || json_integer_value(org) <= 0))
        verr_add(a->errs, "resp_org_id", "invalid", "must be an organization id");
    else if (org)
        case_check_ref(a->env, a->errs, "resp_org_id", "organization", json_integer_value(org));
    if (a->errs->n)
        return STORE_OK;
    e = case_place(a, path, sizeof path, level, sizeof level);
    if (e == STORE_OK)
        e = current_place(a, path, sizeof path, level, sizeof level);
    if (e == STORE_OK)
        e = route_case(a, path, level);
    if (e != STORE_OK)
        return e;
    a->ch.release = 1;
    a->ch.sessions = 0;
    a->ch.resp_org_id = org ? json_integer_value(org) : 0;
    a->ch.routing_reason = req_str(a, "reason");
    json_object_set_new(a->data, "resp_org_id",
                        org ? json_integer(json_integer_value(org)) : json_null());
    return STORE_OK;
}

static store_err act_reject(struct case_action_ctx *a)
{
    text_fields(a, REQ("reason"), REQ("notice"));
    return STORE_OK;
}

/*
 * 移交 / 委托: the receiving body owes feedback by a due date (闭环); the scheduler warns the
 * supervisor when it passes without feedback. Default: the referral_feedback_days setting
 * in working days. A failed mediation may be referred straight to a court, an arbitration
 * body or an administrative body (to_kind).
 */
/*
 * The agency a referral goes to (to_org_id, optional): a court, police station, petition
 * office, department or arbitration body in the actor's scope or above the case's region
 * (a township refers to the county court). Its webhook receives case.referred and its
 * partner token may answer (api/partner.c, docs/notifications.md).
 */
static store_err refer_org(struct case_action_ctx *a)
{
    json_t *v = json_object_get(a->req, "to_org_id");
    struct store_rows *r = NULL;
    store_err e;

    if (!v || json_is_null(v))
        return STORE_OK;
    if (!json_is_integer(v) || json_integer_value(v) <= 0) {
        verr_add(a->errs, "to_org_id", "invalid", "must be an organization id");
        return STORE_OK;
    }
    e = store_exec(a->env->conn,
                   "SELECT o.name FROM organizations o JOIN regions r ON r.id = o.region_id"
                   " WHERE o.id = $1 AND o.type IN ('court', 'police', 'petition_bureau',"
                   " 'department', 'arbitration', 'procuratorate', 'reconsideration')"
                   " AND (substr($2, 1, length(r.path)) = r.path"
                   " OR (r.path >= $3 AND r.path < $4))",
                   STORE_PARAMS(SP_INT(json_integer_value(v)), SP_TEXT(case_col(a, "region_path")),
                                SP_TEXT(a->env->actor->scope.lo), SP_TEXT(a->env->actor->scope.hi)),
                   &r);
    if (e == STORE_OK && r->nrows == 0)
        verr_add(a->errs, "to_org_id", "not_found",
                 "no court, police, petition office, department or arbitration body here");
    else if (e == STORE_OK) {
        json_object_set(a->data, "to_org_id", v);
        json_object_set_new(a->data, "to_org_name", json_string(store_rows_get(r, 0, 0)));
    }
    store_rows_free(r);
    return e;
}

/* After a referral: the case remembers the agency (its partner token's scope) and the
 * event goes out through the outbox in this transaction. The title reaches mail and SMS
 * receivers as it is, so it is written here in Chinese. */
static store_err refer_notify(struct case_action_ctx *a)
{
    json_t *org = json_object_get(a->data, "to_org_id");
    int64_t org_id = org ? json_integer_value(org) : 0;
    char title[512], link[64];
    struct notify_event ev = {0};
    store_err e = store_exec(a->env->conn, "UPDATE cases SET referred_org_id = $2 WHERE id = $1",
                             STORE_PARAMS(SP_INT(a->id), org_id ? SP_INT(org_id) : SP_NULL), NULL);

    snprintf(title, sizeof title, "案件 %s 移交%s", case_col(a, "number"),
             json_string_value(json_object_get(a->data, "to_body")));
    snprintf(link, sizeof link, "/cases/%lld", (long long)a->id);
    ev.kind = "case.referred";
    ev.case_id = a->id;
    ev.region_id = case_col_int(a, "region_id");
    ev.title = title;
    ev.link = link;
    ev.data = a->data;
    ev.partner_org_id = org_id;
    return e == STORE_OK ? notify_emit(a->env->conn, &ev) : e;
}

/* The agency answered (闭环): whoever sent the referral hears of it, in the same
 * transaction, in the app and by mail when they have an address. */
static store_err feedback_notify(struct case_action_ctx *a)
{
    struct store_rows *r = NULL;
    struct notify_event ev = {0};
    char title[512], link[64];
    int64_t to;
    store_err e = store_exec(a->env->conn,
                             "SELECT actor_id FROM case_events WHERE case_id = $1"
                             " AND action = 'refer' AND actor_id IS NOT NULL ORDER BY id DESC"
                             " LIMIT 1",
                             STORE_PARAMS(SP_INT(a->id)), &r);

    if (e != STORE_OK || r->nrows == 0) {
        store_rows_free(r);
        return e;
    }
    to = store_rows_int(r, 0, 0);
    snprintf(title, sizeof title, "案件 %s 收到移交反馈", case_col(a, "number"));
    snprintf(link, sizeof link, "/cases/%lld", (long long)a->id);
    ev.kind = "case.feedback";
    ev.case_id = a->id;
    ev.region_id = case_col_int(a, "region_id");
    ev.title = title;
    ev.body = json_string_value(json_object_get(a->data, "feedback"));
    ev.link = link;
    ev.data = a->data;
    ev.user_ids = &to;
    ev.nusers = 1;
    e = notify_emit(a->env->conn, &ev);
    store_rows_free(r);
    return e;
}

static store_err act_refer(struct case_action_ctx *a)
{
    static const char *const extra[] = {"to_kind", "to_org_id", NULL};
    static const struct vocab_entry kinds[] = {
        {"court", "法院"},          {"arbitration", "仲裁机构"}, {"administrative", "行政机关"},
        {"department", "职能部门"}, {"petition", "信访部门"},    {"other", "其他"}};
    static const struct vocab to_kinds = {"to_kind", kinds, sizeof kinds / sizeof kinds[0]};
    const char *kind = jfield_vocab(a->errs, "to_kind", &to_kinds, req_str(a, "to_kind"));
    int32_t d = req_day(a, "feedback_due");
    store_err e = STORE_OK;

    a->extra = extra;
    text_fields(a, REQ("to_body", "sent"), REQ("feedback_due"));
    if ((e = refer_org(a)) != STORE_OK)
        return e;
    if (json_object_get(a->req, "to_kind") && !req_str(a, "to_kind") &&
        !verr_has(a->errs, "to_kind"))
        verr_add(a->errs, "to_kind", "type", "must be a string");
    if (a->errs->n)
        return STORE_OK;
    if (d) {
        e = case_period_end(a->env, d, &d); /* 民法典 art. 203 */
    } else {
        struct calendar_day *days = NULL;
        size_t n = 0;
        e = case_calendar(a->env, &days, &n);
        if (e == STORE_OK) {
            struct calendar cal = {days, n};
            d = calendar_add(&cal, a->env->today,
                             (int)store_setting_int(a->env->conn, "referral_feedback_days"), 1);
        }
        free(days);
    }
    if (e != STORE_OK)
        return e;
    timefmt_day(d, a->due, sizeof a->due);
    a->ch.due_date = a->due;
    json_object_set_new(a->data, "feedback_due", json_string(a->due));
    if (kind)
        json_object_set_new(a->data, "to_kind", json_string(kind));
    return STORE_OK;
}

static store_err act_feedback(struct case_action_ctx *a)
{
    text_fields(a, REQ("feedback"), NULL);
    a->ch.feedback_recorded = 1;
    return STORE_OK;
}

/* Does routing require a lead leader (包案领导) for this case? */
static int lead_required(const struct case_action_ctx *a)
{
    json_t *r = json_loads(case_col(a, "routing") ? case_col(a, "routing") : "null", 0, NULL);
    int req = json_is_true(json_object_get(json_object_get(r, "decision"), "lead_leader"));

    json_decref(r);
    return req;
}

/*
 * 包案领导: a user holding the leader role, in scope. Required when the routing decision
 * says so (major and complex matters), so that routing and assignment agree.
 */
static store_err read_lead_leader(struct case_action_ctx *a)
{
    json_t *v = json_object_get(a->req, "lead_leader_id");
    struct store_rows *u = NULL;
    store_err e;

    if (!v || json_is_null(v)) {
        if (lead_required(a))
            verr_add(a->errs, "lead_leader_id", "required",
                     "the routing decision requires a lead leader (包案领导)");
        return STORE_OK;
    }
    if (!json_is_integer(v) || json_integer_value(v) <= 0) {
        verr_add(a->errs, "lead_leader_id", "invalid", "must be a user id");
        return STORE_OK;
    }
    /* A leader of the actor's area or of one above it (a county leader for a township). */
    e = store_leaders(a->env->conn, a->env->actor, json_integer_value(v), &u);
    if (e == STORE_OK && u->nrows == 0)
        verr_add(a->errs, "lead_leader_id", "invalid",
                 "is not an active leader (包案领导) of your area or of one above it");
    else if (e == STORE_OK) {
        snprintf(a->lead_name, sizeof a->lead_name, "%s", store_rows_get(u, 0, 1));
        a->ch.lead_leader_id = json_integer_value(v);
        a->ch.lead_leader = a->lead_name;
        json_object_set_new(a->data, "lead_leader_id", json_integer(json_integer_value(v)));
        json_object_set_new(a->data, "lead_leader", json_string(a->lead_name));
    }
    store_rows_free(u);
    return e;
}

/* 四定三包: the responsible unit, the responsible person, the mediators, the lead leader. */
static store_err act_assign(struct case_action_ctx *a)
{
    store_err e;
    static const char *const extra[] = {"resp_user_id", "lead_leader_id", NULL};
    json_t *meds = json_object_get(a->req, "mediator_ids");
    json_int_t org = 0, user = 0;
    int64_t ids[16];

    a->extra = extra;
    if (json_unpack(a->req, "{s:I}", "resp_org_id", &org) != 0 || org <= 0)
        verr_add(a->errs, "resp_org_id", "required", "name the responsible unit");
    else
        case_check_ref(a->env, a->errs, "resp_org_id", "organization", org);
    if (json_object_get(a->req, "resp_user_id") &&
        (json_unpack(a->req, "{s:I}", "resp_user_id", &user) != 0 || user <= 0))
        verr_add(a->errs, "resp_user_id", "invalid", "must be a user id");
    else if (user)
        case_check_ref(a->env, a->errs, "resp_user_id", "user", user);
    if (!json_is_array(meds)) {
        verr_add(a->errs, "mediator_ids", "required", "name at least one mediator");
    } else {
        int n = jfield_ids(a->errs, "mediator_ids", meds, ids, 16, 1);
        for (int m = 0; m < n; m++)
            case_check_ref(a->env, a->errs, "mediator_ids", "mediator", ids[m]);
        if (n > 0 && !verr_has(a->errs, "mediator_ids"))
            a->ids_text = json_dumps(meds, JSON_COMPACT);
    }
    a->ch.resp_org_id = org;
    a->ch.resp_user_id = user;
    a->ch.mediator_ids = a->ids_text;
    json_object_set(a->data, "resp_org_id", json_object_get(a->req, "resp_org_id"));
    json_object_set(a->data, "mediator_ids", meds);
    if (a->errs->n)
        return STORE_OK;
    /* Names beside the ids: staff below the assigning level read the timeline too, and
     * cannot look up a unit or a mediator above their own area. */
    e = unit_name(a, org);
    if (e == STORE_OK)
        e = mediator_names(a, meds);
    return e == STORE_OK ? read_lead_leader(a) : e;
}

/*
 * The expert library (专家库) is kept by a county (or a township, a city) for every unit
 * below it: an expert registered at the place the case arose or above it may join, as may
 * any expert in the inviter's own scope. Checked only against the inviter's scope, a
 * village mediator holding the case could invite none of the county's experts.
 */
static store_err check_expert(struct case_action_ctx *a, int64_t id)
{
    const struct store_actor *me = a->env->actor;
    struct store_actor sys;
    struct store_rows *x = NULL;
    char path[REGION_PATH_MAX], level[16], place[REGION_PATH_MAX];
    store_err e;

    if (verr_has(a->errs, "expert_ids"))
        return STORE_OK;
    store_actor_system(&sys);
    e = store_expert_get(a->env->conn, &sys, id, 0, &x);
    if (e == STORE_OK)
        e = store_region_path(a->env->conn, &sys,
                              store_rows_int(x, 0, store_rows_col(x, "region_id")), path,
                              sizeof path, level, sizeof level);
    if (e == STORE_OK)
        e = case_place(a, place, sizeof place, level, sizeof level);
    /* Region paths end in '/', so a prefix is an ancestor (or the place itself). */
    if (e == STORE_OK && strncmp(place, path, strlen(path)) != 0 &&
        !(strcmp(path, me->scope.lo) >= 0 && strcmp(path, me->scope.hi) < 0))
        e = STORE_NOT_FOUND;
    store_rows_free(x);
    if (e == STORE_NOT_FOUND) {
        verr_add(a->errs, "expert_ids", "not_found",
                 "expert %lld does not exist or serves no place above the case", (long long)id);
        return STORE_OK;
    }
    return e;
}

/* Experts join at the invitation of those who hold the case; they appear on its record. */
static store_err act_invite_experts(struct case_action_ctx *a)
{
    static const char *const extra[] = {"expert_ids", NULL};
    json_t *list = json_object_get(a->req, "expert_ids");
    int64_t ids[16];
    store_err e = STORE_OK;
    int n;

    a->extra = extra;
    text_fields(a, NULL, REQ("note"));
    if (!json_is_array(list)) {
        verr_add(a->errs, "expert_ids", "required", "name at least one expert");
        return STORE_OK;
    }
    n = jfield_ids(a->errs, "expert_ids", list, ids, 16, 1);
    for (int i = 0; e == STORE_OK && i < n; i++)
        e = check_expert(a, ids[i]);
    if (e != STORE_OK)
        return e;
    if (a->errs->n)
        return STORE_OK;
    a->experts_text = json_dumps(list, JSON_COMPACT);
    a->ch.expert_ids = a->experts_text;
    json_object_set(a->data, "expert_ids", list);
    return STORE_OK;
}

/* What was said in a session is internal; the citizen sees that one took place. */
static store_err act_record_session(struct case_action_ctx *a)
{
    static const char *const extra[] = {"online", NULL};
    json_t *online = json_object_get(a->req, "online");

    a->extra = extra;
    text_fields(a, REQ("held_at", "record"), REQ("place", "participants", "next_step"));
    if (online && !json_is_boolean(online))
        verr_add(a->errs, "online", "type", "must be true or false");
    a->session.held_at = req_str(a, "held_at");
    a->session.record = req_str(a, "record");
    a->session.place = req_str(a, "place");
    a->session.participants = req_str(a, "participants");
    a->session.next_step = req_str(a, "next_step");
    a->session.online = json_is_true(online);
    if (a->session.online)
        json_object_set_new(a->data, "online", json_true());
    a->ch.session = &a->session;
    a->ch.sessions = -2;
    return STORE_OK;
}

static store_err act_change_method(struct case_action_ctx *a)
{
    const char *m = req_str(a, "method");

    text_fields(a, REQ("reason"), NULL);
    a->ch.method = jfield_vocab(a->errs, "method", &vocab_method, m);
    if (!m)
        verr_add(a->errs, "method", "required", "name the new handling method");
    json_object_set_new(a->data, "method", json_string(a->ch.method ? a->ch.method : ""));
    return STORE_OK;
}

static store_err act_suspend(struct case_action_ctx *a)
{
    text_fields(a, REQ("reason"), NULL);
    a->ch.resume_state = a->ch.from_state;
    return STORE_OK;
}

/* The day (Beijing) of the latest event `action` of the case, or 0. */
static store_err last_event_day(struct case_action_ctx *a, const char *action, int32_t *day)
{
    struct store_rows *ev = NULL;
    store_err e = store_case_events(a->env->conn, a->id, 0, &ev);

    *day = 0;
    for (int r = 0; e == STORE_OK && r < ev->nrows; r++)
        if (strcmp(store_rows_get(ev, r, 4), action) == 0)
            *day = (int32_t)((store_rows_int(ev, r, 1) + 8LL * 3600 * 1000) / 86400000);
    store_rows_free(ev);
    return e;
}

/* The clock stood still while suspended (中止): the limit moves by the days it lasted, and
 * a moved limit that ends on a rest day ends on the next working day (民法典 art. 203). */
static store_err act_resume(struct case_action_ctx *a)
{
    const char *old_due = case_col(a, "due_date");
    int32_t since = 0, d, paused, moved;
    store_err e;

    text_fields(a, NULL, REQ("note"));
    a->ch.resume_state = "";
    e = last_event_day(a, "suspend", &since);
    if (e != STORE_OK || !since || !old_due || timefmt_day_parse(old_due, &d) != 0)
        return e;
    paused = deadline_after_pause(d, since, a->env->today);
    e = case_period_end(a->env, paused, &moved);
    if (e != STORE_OK)
        return e;
    timefmt_day(moved, a->due, sizeof a->due);
    a->ch.due_date = a->due;
    /* The days the clock stood still; the rest days art. 203 adds after them are not. */
    json_object_set_new(a->data, "paused_days", json_integer(paused - d));
    json_object_set_new(a->data, "due_date", json_string(a->due));
    return STORE_OK;
}

/*
 * 调解协议: the terms, and the manner and time of performance (人民调解法 art. 29): an
 * instalment plan when payment is spread, each instalment due on a day that, falling on a
 * rest day, ends on the next working day (民法典 art. 203).
 */
static store_err act_agree(struct case_action_ctx *a)
{
    static const char *const extra[] = {"amount", "instalments", NULL};
    const char *form = req_str(a, "form");
    json_t *plan = json_object_get(a->req, "instalments"), *item;
    json_t *amount = json_object_get(a->req, "amount");
    size_t k;

    a->extra = extra;
    if (plan && (!json_is_array(plan) || json_array_size(plan) > 60)) {
        verr_add(a->errs, "instalments", "invalid", "must be a list of at most 60 instalments");
    } else if (plan) {
        json_array_foreach(plan, k, item)
        {
            const char *pay_on = json_string_value(json_object_get(item, "due_date"));
            json_t *amt = json_object_get(item, "amount");
            int32_t d;
            if (!pay_on || timefmt_day_parse(pay_on, &d) != 0 || !json_is_integer(amt) ||
                json_integer_value(amt) <= 0) {
                verr_add(a->errs, "instalments", "invalid",
                         "instalment %zu needs a due_date (YYYY-MM-DD) and a positive amount",
                         k + 1);
                break;
            }
            a->plan[k].due_date = pay_on;
            a->plan[k].amount = json_integer_value(amt);
        }
        a->ch.instalments = a->plan;
        a->ch.ninstalments = (int)json_array_size(plan);
        json_object_set(a->data, "instalments", plan);
    }
    if (amount && (!json_is_integer(amount) || json_integer_value(amount) < 0))
        verr_add(a->errs, "amount", "invalid", "must be a non-negative integer (元)");
    text_fields(a, REQ("terms"), REQ("performance"));
    form = jfield_vocab(a->errs, "form", &vocab_agreement_form, form ? form : "written");
    json_object_set_new(a->data, "form", json_string(form ? form : ""));
    if (amount)
        json_object_set(a->data, "amount", amount);
    return STORE_OK;
}

static store_err act_fail(struct case_action_ctx *a)
{
    const char *g = req_str(a, "guidance");

    text_fields(a, REQ("reason"), NULL);
    if (!g)
        verr_add(a->errs, "guidance", "required", "record the guidance given to the parties");
    g = jfield_vocab(a->errs, "guidance", &vocab_guidance, g);
    json_object_set_new(a->data, "guidance", json_string(g ? g : ""));
    return STORE_OK;
}

static store_err act_review_failure(struct case_action_ctx *a)
{
    text_fields(a, REQ("opinion"), NULL);
    a->ch.failure_reviewed = 1;
    a->ch.public_event = 0;
    return STORE_OK;
}

static store_err act_withdraw(struct case_action_ctx *a)
{
    text_fields(a, REQ("by", "reason"), NULL);
    return STORE_OK;
}

/* Complex and major cases must be visited after closing; a sample of the others too (回访).
 * A court's delegated case is closed only once its result is reported back. */
static store_err act_close(struct case_action_ctx *a)
{
    const char *complexity = case_col(a, "complexity");

    if (strcmp(case_col(a, "channel"), "court_delegation") == 0)
        text_fields(a, REQ("court_report"), NULL);
    text_fields(a, NULL, REQ("summary"));
    if (strcmp(complexity, "difficult") == 0 || strcmp(complexity, "major") == 0 ||
        (uint64_t)a->id * 2654435761u % 100 <
            (uint64_t)store_setting_int(a->env->conn, "return_visit_sample_percent")) {
        timefmt_day(a->env->today + RETURN_VISIT_DAYS, a->visit, sizeof a->visit);
        a->ch.visit_due = a->visit;
        json_object_set_new(a->data, "visit_due", json_string(a->visit));
    }
    return STORE_OK;
}

/* 回访: how the parties find the outcome, and whether the agreement was performed as the
 * visitor found it (the case page presets it from the instalments). */
static store_err act_return_visit(struct case_action_ctx *a)
{
    static const char *const extra[] = {"fulfilled", "recurrence", "satisfaction", NULL};
    json_int_t satisfaction = 0;
    json_t *fulfilled = json_object_get(a->req, "fulfilled");

    a->extra = extra;
    text_fields(a, REQ("visitor", "method"), REQ("note", "recurrence_risk"));
    if (json_unpack(a->req, "{s:I}", "satisfaction", &satisfaction) != 0 || satisfaction < 1 ||
        satisfaction > 5)
        verr_add(a->errs, "satisfaction", "invalid", "must be 1 (very unsatisfied) to 5");
    else
        json_object_set_new(a->data, "satisfaction", json_integer(satisfaction));
    if (fulfilled && !json_is_boolean(fulfilled))
        verr_add(a->errs, "fulfilled", "type", "must be true or false");
    else if (fulfilled)
        json_object_set(a->data, "fulfilled", fulfilled);
    if (json_is_true(json_object_get(a->req, "recurrence")))
        json_object_set_new(a->data, "recurrence", json_true());
    a->ch.visit_due = "";
    return STORE_OK;
}

static store_err act_reopen(struct case_action_ctx *a)
{
    text_fields(a, REQ("reason"), NULL);
    a->ch.sessions = 0;
    a->ch.failure_reviewed = 0;
    return STORE_OK;
}

static store_err act_archive(struct case_action_ctx *a)
{
    (void)a;
    return STORE_OK;
}

/* Repeated reports are linked, never silently duplicated: this one closes into the case
 * that goes on, and each keeps its own history. */
static store_err act_merge(struct case_action_ctx *a)
{
    static const char *const extra[] = {"into", NULL};
    json_t *into = json_object_get(a->req, "into");
    struct store_rows *other = NULL;
    store_err e;

    a->extra = extra;
    text_fields(a, NULL, REQ("reason"));
    if (!json_is_integer(into) || json_integer_value(into) <= 0) {
        verr_add(a->errs, "into", "required", "name the case this report repeats");
        return STORE_OK;
    }
    if (json_integer_value(into) == a->id) {
        verr_add(a->errs, "into", "invalid", "a case cannot be merged into itself");
        return STORE_OK;
    }
    e = store_case_get(a->env->conn, a->env->actor, json_integer_value(into), &other);
    if (e == STORE_NOT_FOUND) {
        verr_add(a->errs, "into", "not_found", "no such case in your area");
        return STORE_OK;
    }
    if (e == STORE_OK) {
        const char *st = store_rows_get(other, 0, store_rows_col(other, "state"));
        if (strcmp(st, "closed") == 0 || strcmp(st, "archived") == 0)
            verr_add(a->errs, "into", "invalid", "the case to merge into is closed");
        a->ch.related_to = json_integer_value(into);
        json_object_set_new(a->data, "merged_into", json_integer(a->ch.related_to));
        json_object_set_new(a->data, "merged_into_number",
                            json_string(store_rows_get(other, 0, store_rows_col(other, "number"))));
    }
    store_rows_free(other);
    return e;
}

/*
 * 延期: a court-entrusted mediation runs 30 days more with the court's consent, a petition-
 * related matter 30 more (seed 002; 人民法院 / 信访 rules), others by the supervisor's decision,
 * at most 30 days; once per case. The extended limit, falling on a rest day, ends on the next
 * working day (民法典 art. 203).
 */
static store_err act_extend(struct case_action_ctx *a)
{
    static const char *const extra[] = {"days", NULL};
    int court = strcmp(case_col(a, "channel"), "court_delegation") == 0;
    const char *old_due = case_col(a, "due_date");
    json_t *days_j = json_object_get(a->req, "days");
    json_int_t days = json_is_integer(days_j) ? json_integer_value(days_j) : 30;
    int32_t d;
    store_err e;

    a->extra = extra;
    text_fields(a, court ? REQ("reason", "consent") : REQ("reason"), court ? NULL : REQ("consent"));
    if (days_j && (!json_is_integer(days_j) || days < 1 || days > 30))
        verr_add(a->errs, "days", "invalid", "an extension is 1 to 30 days");
    if (!old_due || timefmt_day_parse(old_due, &d) != 0) {
        verr_add(a->errs, "action", "invalid", "the case has no time limit to extend");
        return STORE_OK;
    }
    if (a->errs->n)
        return STORE_OK;
    e = due_in_days(a, d, (int)days);
    a->ch.extended = 1;
    json_object_set_new(a->data, "days", json_integer(days));
    json_object_set_new(a->data, "due_date", json_string(a->due));
    return e;
}

static const prepare_fn prepare[CASE_ACTIONS + 1] = {
    [CA_ACCEPT] = act_accept,
    [CA_REJECT] = act_reject,
    [CA_REFER] = act_refer,
    [CA_FEEDBACK] = act_feedback,
    [CA_ASSIGN] = act_assign,
    [CA_RECORD_SESSION] = act_record_session,
    [CA_CHANGE_METHOD] = act_change_method,
    [CA_ESCALATE] = act_escalate,
    [CA_SUSPEND] = act_suspend,
    [CA_RESUME] = act_resume,
    [CA_AGREE] = act_agree,
    [CA_FAIL] = act_fail,
    [CA_REVIEW_FAILURE] = act_review_failure,
    [CA_WITHDRAW] = act_withdraw,
    [CA_CLOSE] = act_close,
    [CA_RETURN_VISIT] = act_return_visit,
    [CA_REOPEN] = act_reopen,
    [CA_ARCHIVE] = act_archive,
    [CA_EXTEND] = act_extend,
    [CA_MERGE] = act_merge,
    [CA_REROUTE] = act_reroute,
    [CA_INVITE_EXPERTS] = act_invite_experts,
};

store_err case_prepare(struct case_action_ctx *a)
{
    return prepare[a->action](a);
}

store_err case_follow_up(struct case_action_ctx *a)
{
    if (a->action == CA_REFER)
        return refer_notify(a);
    if (a->action == CA_FEEDBACK)
        return feedback_notify(a);
    /* A recurrence found on a return visit reopens the matter at once. */
    if (a->action == CA_RETURN_VISIT && json_is_true(json_object_get(a->data, "recurrence"))) {
        struct store_case_change re;
        memset(&re, 0, sizeof re);
        re.action = "reopen";
        re.from_state = "closed";
        re.to_state = "accepted";
        re.event_data = "{\"reason\":\"recurrence found on a return visit\"}";
        re.public_event = 1;
        re.sessions = 0;
        re.failure_reviewed = 0;
        re.feedback_recorded = re.urgent = -1;
        return store_case_apply(a->env->conn, a->env->actor, a->id, &re);
    }
    /* The case that goes on records what was merged into it. */
    if (a->action == CA_MERGE) {
        json_t *note =
            json_pack("{s:I, s:s}", "case_id", (json_int_t)a->id, "number", case_col(a, "number"));
        char *text = json_dumps(note, JSON_COMPACT);
        store_err e =
            store_case_note(a->env->conn, a->env->actor, a->ch.related_to, "merged_in", text, 0);
        free(text);
        json_decref(note);
        return e;
    }
    return STORE_OK;
}

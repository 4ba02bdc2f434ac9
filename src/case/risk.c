/*
 * risk.c - the risk grade kept current (docs/risk.md): every change of a case regrades it
 * in the same transaction, a change of level goes on the timeline and, rising to orange or
 * red, raises an alert (watch/alert.h); a red case keeps its level until it has a control
 * plan (稳控方案).
 *
 * 人民调解法 第二十五条: a mediator who finds that a dispute may intensify takes targeted
 * preventive measures, and reports one that may lead to a public-order or criminal case
 * to the police or the departments concerned. Grading on every change is how the system
 * notices "may intensify" the moment the record says so, not at the next review.
 */
#include "case/case_impl.h"
#include "core/jfield.h"
#include "core/risk.h"
#include "core/role.h"
#include "core/settings.h"
#include "core/timefmt.h"
#include "store/risk.h"
#include "store/rows_json.h"
#include "text/text.h"
#include "watch/alert.h"

#include <pthread.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The weights in effect: the defaults, overridden by stored risk_* settings in bounds. */
static store_err weights_load(const struct case_env *env, struct risk_weights *w)
{
    struct store_rows *r = NULL;
    store_err e = store_risk_settings(env->conn, &r);

    risk_weights_default(w);
    for (int i = 0; e == STORE_OK && i < r->nrows; i++) {
        const struct setting_def *d = settings_find(store_rows_get(r, i, 0));
        if (d && d->kind == SETTING_INT)
            risk_weights_set(w, d->key, atol(settings_effective(d, store_rows_get(r, i, 1))));
    }
    store_rows_free(r);
    return e;
}

/*
 * The OpenCC handle for callers that bring none (the scheduler, the CLI): opened once per
 * process and shared, as text.h allows. NULL if OpenCC cannot be loaded; the text is then
 * read as it stands (Simplified text grades the same, Traditional would miss).
 */
static struct text *shared_text;
static pthread_once_t shared_once = PTHREAD_ONCE_INIT;

static void shared_open(void)
{
    char err[256];
    shared_text = text_open(err, sizeof err);
}

static struct text *text_of(const struct case_env *env)
{
    if (env->text)
        return env->text;
    pthread_once(&shared_once, shared_open);
    return shared_text;
}

static int running(const char *state)
{
    static const char *const ended[] = {"rejected", "withdrawn", "closed", "archived", NULL};
    for (int i = 0; ended[i]; i++)
        if (strcmp(state, ended[i]) == 0)
            return 0;
    return 1;
}

static void input_of(const struct store_risk_facts *f, const char *today, struct risk_input *in)
{
    memset(in, 0, sizeof *in);
    in->category = f->category;
    in->complexity = f->complexity;
    in->people = f->people;
    in->amount = f->amount;
    in->key_persons = f->key_persons;
    in->urgent = f->urgent;
    in->repeat_disputes = f->repeat_disputes;
    in->escalations = f->escalations;
    in->sensitive_period = f->sensitive_period;
    in->overdue = running(f->state) && f->due_date && strcmp(f->due_date, today) < 0;
    in->text = f->text;
}

/* The timeline event of a change of level: from, to, score and each reason. */
static char *event_data(const struct case_env *env, const struct risk_weights *w,
                        enum risk_level from, const struct risk_result *r)
{
    json_t *o = json_object(), *why = json_array();
    char by[16], *s;

    for (int i = 0; i < r->nreasons; i++)
        json_array_append_new(why,
                              json_pack("{s:s, s:i, s:s}", "factor", r->reasons[i].factor, "points",
                                        r->reasons[i].points, "text", r->reasons[i].text));
    json_object_set_new(o, "from", json_string(risk_level_code(from)));
    json_object_set_new(o, "to", json_string(risk_level_code(r->level)));
    json_object_set_new(o, "score", json_integer(r->score));
    json_object_set_new(o, "reasons", why);
    /* The response time of the new level (local practice: red the same day, orange within
     * a day, ...; settings risk_response_days_*), in calendar days from today. */
    timefmt_day(env->today + w->response_days[r->level], by, sizeof by);
    json_object_set_new(o, "respond_by", json_string(by));
    s = json_dumps(o, JSON_COMPACT);
    json_decref(o);
    return s;
}

/* Regrades case `id`; *moved says whether its level changed. */
static store_err regrade(const struct case_env *env, int64_t id, int *moved)
{
    struct store_risk_facts f;
    struct risk_weights w;
    struct risk_result r;
    struct risk_input in;
    char today[16], why[1024], *data = NULL, *simple = NULL;
    int from;
    store_err e;

    timefmt_day(env->today, today, sizeof today);
    e = weights_load(env, &w);
    if (e != STORE_OK)
        return e;
    e = store_risk_facts(env->conn, id, today, &f);
    if (e != STORE_OK)
        return e;
    input_of(&f, today, &in);
    if (env->text_read && f.text && strcmp(env->text_read->text, f.text) == 0) {
        /* Read before the transaction (intake): the same text, the same reading. */
        if (env->text_read->simple)
            in.text = env->text_read->simple;
        in.text_read = &env->text_read->read;
    } else {
        /* Traditional script folded to Simplified, punctuation kept (clauses bound
         * negations). */
        simple = text_of(env) ? text_simplify(text_of(env), f.text) : NULL;
        if (simple)
            in.text = simple;
    }
    risk_assess(&in, &w, &r);
    from = risk_level_parse(f.risk);
    if (from < 0)
        from = RISK_BLUE; /* a code from before migration 16 that slipped through */
    /* A red case leaves the red list only with a control plan on file. */
    if (from == RISK_RED && r.level < RISK_RED && !f.control_plan &&
        r.nreasons < RISK_MAX_REASONS) {
        struct risk_reason *x = &r.reasons[r.nreasons++];
        snprintf(x->factor, sizeof x->factor, "red_hold");
        x->points = 0;
        snprintf(x->text, sizeof x->text, "重大风险案件未制定稳控方案，保持重大等级");
        r.level = RISK_RED;
    }
    risk_reasons_text(&r, why, sizeof why);
    *moved = (int)r.level != from;
    if ((int)r.level != from || strcmp(why, f.reasons ? f.reasons : "") != 0)
        e = store_risk_set(env->conn, id, risk_level_code(r.level), why[0] ? why : NULL);
    if (e == STORE_OK && (int)r.level != from) {
        data = event_data(env, &w, (enum risk_level)from, &r);
        e = data ? store_case_note(env->conn, env->actor, id, "risk", data, 0) : STORE_ERROR;
        /* An ended case no longer needs anyone to act on its risk. */
        if (e == STORE_OK && running(f.state))
            e = alert_on_risk(env->conn, env->actor, id, (enum risk_level)from, r.level, why);
    }
    free(data);
    free(simple);
    store_risk_facts_free(&f);
    return e;
}

int case_text_read_make(const struct case_env *env, const char *facts, const char *claims,
                        struct case_text_read *m)
{
    size_t nf = facts ? strlen(facts) : 0, nc = claims ? strlen(claims) : 0;
    char *p;

    memset(m, 0, sizeof *m);
    /* What store_risk_facts joins for a case without sessions (store/risk.c, load_text):
     * each non-empty part followed by a newline. regrade compares before it uses it. */
    p = m->text = malloc(nf + nc + 3);
    if (!p)
        return -1;
    if (nf) {
        memcpy(p, facts, nf);
        p += nf;
        *p++ = '\n';
    }
    if (nc) {
        memcpy(p, claims, nc);
        p += nc;
        *p++ = '\n';
    }
    *p = '\0';
    m->simple = text_of(env) ? text_simplify(text_of(env), m->text) : NULL;
    risk_text_read(m->simple ? m->simple : m->text, &m->read);
    return 0;
}

struct case_text_read *case_text_read_case(const struct case_env *env, int64_t id)
{
    struct case_text_read *m = calloc(1, sizeof *m);

    if (!m)
        return NULL;
    if (store_risk_text(env->conn, id, &m->text) != STORE_OK) {
        free(m);
        return NULL;
    }
    m->simple = text_of(env) ? text_simplify(text_of(env), m->text) : NULL;
    risk_text_read(m->simple ? m->simple : m->text, &m->read);
    return m;
}

void case_text_read_drop(struct case_text_read *m)
{
    if (!m)
        return;
    case_text_read_free(m);
    free(m);
}

void case_text_read_free(struct case_text_read *m)
{
    free(m->text);
    free(m->simple);
    m->text = m->simple = NULL;
}

store_err case_risk_regrade(const struct case_env *env, int64_t id)
{
    int moved;
    return regrade(env, id, &moved);
}

int case_risk_blocks_end(const struct case_action_ctx *a)
{
    const char *risk = case_col(a, "risk");
    int plan = 0;

    if (!risk || strcmp(risk, "red") != 0 || running(a->ch.to_state))
        return 0;
    /* A store error here fails the action's own statements next; not blocking is safe. */
    return store_control_plan_exists(a->env->conn, a->id, &plan) == STORE_OK && !plan;
}

/* The timeline event of a plan: the plan as stored, its owner by name. */
static store_err plan_event(const struct case_env *env, int64_t id)
{
    struct store_rows *p = NULL;
    store_err e = store_control_plan_get(env->conn, id, &p);
    json_t *o = e == STORE_OK ? store_rows_json(p, 0) : NULL;
    char *data = o ? json_dumps(o, JSON_COMPACT) : NULL;

    if (e == STORE_OK)
        e = data ? store_case_note(env->conn, env->actor, id, "control_plan", data, 0)
                 : STORE_ERROR;
    free(data);
    json_decref(o);
    store_rows_free(p);
    return e;
}

/* Who may write a control plan: the case's handlers, or the supervisors, leaders and
 * administrators whose scope holds it (the store checks the scope). */
/* Who may write a control plan (docs/risk.md "Control plans"): the case's handlers, and the
 * dispatchers, supervisors, leaders and administrators in scope. On a case no unit holds yet
 * holder_of counts every staff member in scope as a holder (anyone may take it up, 四定三包),
 * but such a case has no handlers yet: the plan names who answers for a red case, a decision
 * for the posts that route and oversee it (研判分流, 协调督办, 包案领导), not for a clerk, a
 * grid worker or a mediator of another unit who happens to see it. */
static int may_plan(const struct case_env *env, const struct store_rows *row, int holder)
{
    const unsigned overseers = ROLE_DISPATCHER | ROLE_SUPERVISOR | ROLE_LEADER | ROLE_ADMIN;
    int held = store_rows_get(row, 0, store_rows_col(row, "resp_org_id")) != NULL;

    if (!env->who)
        return holder; /* the system actor */
    return (env->who->roles & overseers) || (held && holder);
}

case_err case_control_plan(const struct case_env *env, int64_t id, json_t *req,
                           struct case_out *out)
{
    struct store_control_plan_in in = {0};
    struct store_rows *row = NULL;
    struct case_facts f;
    json_int_t owner = 0;
    int32_t day = 0;
    store_err e;

    out->id = id;
    jfield_read(req,
                (struct jfield[]){{"owner_id", 'I', 1, &owner},
                                  {"measures", 's', 1, &in.measures},
                                  {"review_on", 's', 1, &in.review_on}},
                3, &out->errs, NULL, 0);
    jfield_only(req, (const char *const[]){"owner_id", "measures", "review_on", NULL}, &out->errs);
    if (in.measures && !in.measures[strspn(in.measures, " \t\r\n")])
        verr_add(&out->errs, "measures", "required", "say what is done to keep it under control");
    if (in.measures && strlen(in.measures) > 4000)
        verr_add(&out->errs, "measures", "too_long", "at most 4000 bytes");
    if (in.review_on && timefmt_day_parse(in.review_on, &day) != 0)
        verr_add(&out->errs, "review_on", "invalid", "must be a date YYYY-MM-DD");
    else if (in.review_on && day < env->today)
        verr_add(&out->errs, "review_on", "past", "the review day must not be in the past");
    if (out->errs.n)
        return CASE_INVALID;
    in.owner_id = owner;
    e = store_begin(env->conn, 1);
    if (e == STORE_OK)
        e = store_case_get(env->conn, env->actor, id, &row);
    if (e == STORE_OK)
        e = case_facts_load(env, row, &f);
    if (e == STORE_OK && !may_plan(env, row, f.holder)) {
        store_conn_seterr(env->conn, "only the case's handlers, supervisors and leaders may");
        e = STORE_FORBIDDEN;
    }
    if (e == STORE_OK)
        e = store_control_plan_put(env->conn, env->actor, id, &in);
    if (e == STORE_OK)
        e = plan_event(env, id);
    if (e == STORE_OK)
        e = case_risk_regrade(env, id);
    store_rows_free(row);
    out->store = store_end(env->conn, e);
    if (out->store == STORE_INVALID) {
        verr_add(&out->errs, store_conn_invalid_field(env->conn),
                 store_conn_invalid_code(env->conn), "%s", store_conn_error(env->conn));
        return CASE_INVALID;
    }
    return out->store == STORE_OK ? CASE_OK : CASE_STORE;
}

case_err case_risk_regrade_all(const struct case_env *env, int64_t *changed, struct case_out *out)
{
    int64_t after = 0;
    store_err e = STORE_OK;

    *changed = 0;
    for (;;) {
        struct store_rows *r = NULL;
        e = store_exec(env->conn, "SELECT id FROM cases WHERE id > $1 ORDER BY id LIMIT 500",
                       STORE_PARAMS(SP_INT(after)), &r);
        if (e != STORE_OK || r->nrows == 0) {
            store_rows_free(r);
            break;
        }
        /* One transaction per batch: a crash loses at most the batch, which a rerun redoes. */
        e = store_begin(env->conn, 1);
        for (int i = 0; e == STORE_OK && i < r->nrows; i++) {
            int moved = 0;
            after = store_rows_int(r, i, 0);
            e = regrade(env, after, &moved);
            *changed += moved;
        }
        e = store_end(env->conn, e);
        store_rows_free(r);
        if (e != STORE_OK)
            break;
    }
    out->store = e;
    return e == STORE_OK ? CASE_OK : CASE_STORE;
}

case_err case_risk_regrade_ids(const struct case_env *env, const int64_t *ids, size_t n,
                               int64_t *changed, struct case_out *out)
{
    store_err e = STORE_OK;

    *changed = 0;
    for (size_t at = 0; e == STORE_OK && at < n; at += 500) {
        e = store_begin(env->conn, 1);
        for (size_t i = at; e == STORE_OK && i < n && i < at + 500; i++) {
            int moved = 0;
            e = regrade(env, ids[i], &moved);
            *changed += moved;
        }
        e = store_end(env->conn, e);
    }
    out->store = e;
    return e == STORE_OK ? CASE_OK : CASE_STORE;
}

case_err case_risk_scan_overdue(const struct case_env *env, int days, int *moved,
                                struct case_out *out)
{
    struct store_rows *r = NULL;
    char from[16], to[16];
    store_err e;

    *moved = 0;
    timefmt_day(env->today - days, from, sizeof from);
    timefmt_day(env->today, to, sizeof to);
    e = store_risk_newly_overdue(env->conn, from, to, &r);
    for (int i = 0; e == STORE_OK && i < r->nrows; i++) {
        int64_t id = store_rows_int(r, i, 0);
        int m = 0;
        e = store_begin(env->conn, 1);
        if (e == STORE_OK)
            e = regrade(env, id, &m);
        e = store_end(env->conn, e);
        *moved += m;
    }
    store_rows_free(r);
    out->store = e;
    return e == STORE_OK ? CASE_OK : CASE_STORE;
}

#include "core/case_fsm.h"
#include "core/region.h"
#include "core/role.h"

#include <stdio.h>
#include <string.h>

static const char *const state_names[CASE_STATES + 1] = {
    NULL,        "registered", "accepted", "rejected",  "referred", "assigned", "mediating",
    "suspended", "agreed",     "failed",   "withdrawn", "closed",   "archived",
};

static const char *const action_names[CASE_ACTIONS + 1] = {
    NULL,     "accept",         "reject",         "refer",          "feedback",
    "assign", "record_session", "change_method",  "escalate",       "suspend",
    "resume", "agree",          "fail",           "review_failure", "withdraw",
    "close",  "return_visit",   "reopen",         "archive",        "extend",
    "merge",  "reroute",        "invite_experts",
};

#define S(x)     (1u << (x))
#define ANY_ROLE ROLE_ALL
#define TRIAGE   (ROLE_DISPATCHER | ROLE_ADMIN)
#define FRONT    (ROLE_CLERK | ROLE_DISPATCHER | ROLE_ADMIN)
#define HANDLERS (ROLE_MEDIATOR | ROLE_DISPATCHER | ROLE_SUPERVISOR)

/* Where an action leads; 0 = stays in the same state; -1 = back to resume_state. */
struct transition {
    enum case_action action;
    unsigned from; /* bit set of states */
    int to;
    unsigned roles;
    int hold; /* only those who answer for the case (四定三包) may take it */
};

/* Handling a case is for those who answer for it; others in scope read it (四定三包). */
#define HOLD 1
#define FREE 0 /* anyone in scope with the role */

/*
 * The table. Read it as the procedure of seed 002: intake → triage (accept, reject or
 * refer out) → assignment (四定三包) → mediation sessions → outcome (agree, fail,
 * withdraw) → closure (结案) → return visit (回访) → archive; escalation one level up at
 * any point before an outcome; suspension pauses the clock.
 */
static const struct transition table[] = {
    {CA_ACCEPT, S(CS_REGISTERED), CS_ACCEPTED, FRONT, FREE},
    {CA_REJECT, S(CS_REGISTERED), CS_REJECTED, TRIAGE, FREE},
    /* After 调解不成 the matter may go straight to a court, an arbitration body or an
     * administrative body (诉调对接, 访调对接), feedback owed, without reopening it. */
    {CA_REFER, S(CS_REGISTERED) | S(CS_ACCEPTED) | S(CS_FAILED), CS_REFERRED,
     TRIAGE | ROLE_SUPERVISOR, FREE},
    {CA_FEEDBACK, S(CS_REFERRED), 0, TRIAGE | ROLE_SUPERVISOR | ROLE_CLERK, FREE},
    {CA_ASSIGN, S(CS_ACCEPTED) | S(CS_ASSIGNED), CS_ASSIGNED, TRIAGE, FREE},
    {CA_RECORD_SESSION, S(CS_ASSIGNED) | S(CS_MEDIATING), CS_MEDIATING, ROLE_MEDIATOR, HOLD},
    {CA_CHANGE_METHOD, S(CS_ASSIGNED) | S(CS_MEDIATING), 0, HANDLERS, HOLD},
    {CA_ESCALATE, S(CS_ACCEPTED) | S(CS_ASSIGNED) | S(CS_MEDIATING), CS_ACCEPTED, HANDLERS, HOLD},
    {CA_SUSPEND, S(CS_ASSIGNED) | S(CS_MEDIATING), CS_SUSPENDED, HANDLERS, HOLD},
    {CA_RESUME, S(CS_SUSPENDED), -1, HANDLERS, HOLD},
    {CA_AGREE, S(CS_MEDIATING), CS_AGREED, ROLE_MEDIATOR, HOLD},
    {CA_FAIL, S(CS_MEDIATING), CS_FAILED, ROLE_MEDIATOR, HOLD},
    {CA_REVIEW_FAILURE, S(CS_FAILED), 0, ROLE_SUPERVISOR, FREE},
    /* A withdrawal is recorded by whoever holds the case then: the front desk before a unit
     * holds it, afterwards that unit's people (a released mediator no longer may). */
    {CA_WITHDRAW,
     S(CS_REGISTERED) | S(CS_ACCEPTED) | S(CS_ASSIGNED) | S(CS_MEDIATING) | S(CS_SUSPENDED),
     CS_WITHDRAWN, FRONT | ROLE_MEDIATOR, HOLD},
    {CA_CLOSE, S(CS_AGREED) | S(CS_FAILED) | S(CS_WITHDRAWN) | S(CS_REJECTED) | S(CS_REFERRED),
     CS_CLOSED, HANDLERS | ROLE_ADMIN, FREE},
    {CA_RETURN_VISIT, S(CS_CLOSED), 0, HANDLERS | ROLE_GRID_WORKER, FREE},
    {CA_REOPEN, S(CS_CLOSED), CS_ACCEPTED, TRIAGE | ROLE_SUPERVISOR, FREE},
    {CA_ARCHIVE, S(CS_CLOSED), CS_ARCHIVED, ROLE_CLERK | ROLE_SUPERVISOR | ROLE_ADMIN, FREE},
    /* A court-entrusted mediation may run 30 more days with the court's consent, a
     * petition-related one 30 more: once (see api/cases.c for the days). */
    {CA_EXTEND, S(CS_ACCEPTED) | S(CS_ASSIGNED) | S(CS_MEDIATING), 0,
     ROLE_DISPATCHER | ROLE_SUPERVISOR, FREE},
    /* A repeated report of a matter already registered is merged into it at triage: it
     * closes, linked to the case that goes on, and both keep their histories. */
    {CA_MERGE, S(CS_REGISTERED) | S(CS_ACCEPTED), CS_CLOSED, TRIAGE, FREE},
    /* 改派 / 重新分流: the dispatcher or the level above routes an accepted case again, with
     * a reason; the unit that had it lets it go and the new decision is kept beside the old. */
    {CA_REROUTE, S(CS_ACCEPTED) | S(CS_ASSIGNED), CS_ACCEPTED, TRIAGE | ROLE_SUPERVISOR, FREE},
    /* Experts (专家库) join a mediation at the invitation of those who hold it. */
    {CA_INVITE_EXPERTS, S(CS_ASSIGNED) | S(CS_MEDIATING), 0, HANDLERS, HOLD},
};

#define NTABLE (int)(sizeof table / sizeof table[0])

const char *case_state_name(enum case_state s)
{
    return s >= 1 && s <= CASE_STATES ? state_names[s] : NULL;
}

enum case_state case_state_parse(const char *name)
{
    for (int i = 1; name && i <= CASE_STATES; i++)
        if (strcmp(name, state_names[i]) == 0)
            return (enum case_state)i;
    return 0;
}

const char *case_action_name(enum case_action a)
{
    return a >= 1 && a <= CASE_ACTIONS ? action_names[a] : NULL;
}

enum case_action case_action_parse(const char *name)
{
    for (int i = 1; name && i <= CASE_ACTIONS; i++)
        if (strcmp(name, action_names[i]) == 0)
            return (enum case_action)i;
    return 0;
}

const char *case_refusal_name(enum case_refusal r)
{
    static const char *const names[] = {
        "ok",
        "unknown_action",
        "wrong_state",
        "role",
        "too_few_sessions",
        "top_level",
        "not_reviewed",
        "no_feedback",
        "already_reviewed",
        "already_extended",
        "not_holder",
    };
    return (unsigned)r < sizeof names / sizeof names[0] ? names[r] : "unknown";
}

static const struct transition *find(enum case_action a)
{
    for (int i = 0; i < NTABLE; i++)
        if (table[i].action == a)
            return &table[i];
    return NULL;
}

enum case_refusal case_may(const struct case_facts *f, unsigned roles, enum case_action a)
{
    const struct transition *t = find(a);

    if (!t)
        return CR_UNKNOWN_ACTION;
    if (!(t->from & S(f->state)))
        return CR_WRONG_STATE;
    switch (a) {
    case CA_ESCALATE:
        /* Escalation moves responsibility one level up: village → township → county →
         * city, and a lower level must first have tried (三三制) unless it is urgent. */
        if (f->level <= REGION_CITY)
            return CR_TOP_LEVEL;
        if (!f->urgent && f->sessions_at_level < f->min_sessions)
            return CR_TOO_FEW_SESSIONS;
        break;
    case CA_CLOSE:
        if (f->state == CS_FAILED && !f->failure_reviewed)
            return CR_NOT_REVIEWED;
        if (f->state == CS_REFERRED && !f->feedback_recorded)
            return CR_NO_FEEDBACK;
        break;
    case CA_REVIEW_FAILURE:
        if (f->failure_reviewed)
            return CR_ALREADY_REVIEWED;
        break;
    case CA_EXTEND:
        if (f->extended)
            return CR_ALREADY_EXTENDED;
        break;
    default:
        break;
    }
    if (!(t->roles & roles))
        return CR_ROLE;
    if (t->hold && !f->holder)
        return CR_NOT_HOLDER;
    return CR_OK;
}

enum case_state case_next(const struct case_facts *f, enum case_action a)
{
    const struct transition *t = find(a);

    if (!t || t->to == 0)
        return f->state;
    if (t->to < 0)
        return f->resume_state ? f->resume_state : CS_ASSIGNED;
    return (enum case_state)t->to;
}

int case_actions(const struct case_facts *f, unsigned roles, enum case_action *out, int max)
{
    int n = 0;

    for (int a = 1; a <= CASE_ACTIONS && n < max; a++)
        if (case_may(f, roles, (enum case_action)a) == CR_OK)
            out[n++] = (enum case_action)a;
    return n;
}

int case_clock_runs(enum case_state s)
{
    return s == CS_REGISTERED || s == CS_ACCEPTED || s == CS_ASSIGNED || s == CS_MEDIATING ||
           s == CS_REFERRED;
}

int case_fsm_mermaid(char *out, unsigned long outlen)
{
    unsigned long n = 0;
    int w = snprintf(out, outlen, "stateDiagram-v2\n    [*] --> registered\n");

    if (w < 0 || (unsigned long)w >= outlen)
        return -1;
    n = (unsigned long)w;
    for (int i = 0; i < NTABLE; i++) {
        for (int s = 1; s <= CASE_STATES; s++) {
            const char *to;
            if (!(table[i].from & S(s)))
                continue;
            to = table[i].to == 0  ? state_names[s]
                 : table[i].to < 0 ? "(previous)"
                                   : state_names[table[i].to];
            if (table[i].to < 0) {
                /* Resume returns to where the case was suspended from. */
                w = snprintf(out + n, outlen - n,
                             "    %s --> assigned: resume\n"
                             "    %s --> mediating: resume\n",
                             state_names[s], state_names[s]);
            } else {
                w = snprintf(out + n, outlen - n, "    %s --> %s: %s\n", state_names[s], to,
                             action_names[table[i].action]);
            }
            if (w < 0 || (unsigned long)w >= outlen - n)
                return -1;
            n += (unsigned long)w;
        }
    }
    w = snprintf(out + n, outlen - n, "    archived --> [*]\n");
    return w < 0 || (unsigned long)w >= outlen - n ? -1 : 0;
}

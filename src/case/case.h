/*
 * case.h - every change to a case, in one place and one transaction.
 *
 * Intake (staff and citizens), each action of the state machine, the instalments of an
 * agreement, judicial confirmation, supervision orders, merges and links, and bulk loads
 * all go through these functions, whoever calls: the HTTP handlers, the CLI, the scheduler
 * and imports. Each takes a decoded request (a JSON object, read with core/jfield.h) and
 * an actor, checks it, and does the whole change in one store transaction: the guard of
 * the state machine (core/case_fsm.h), the new state, its effects (routing, time limits,
 * return visits, instalments, sessions, hand-over), the timeline event and the audit row.
 * Either all of it is written or none of it.
 *
 * Dates are Beijing days; "today" is the caller's (env->today), so tests can pin it.
 */
#ifndef JIEFEN_CASE_CASE_H
#define JIEFEN_CASE_CASE_H

#include "core/case_fsm.h"
#include "core/verr.h"
#include "store/cases.h"
#include "store/store.h"
#include "store/users.h"

#include <jansson.h>
#include <stdio.h>

struct seal;
struct text;
struct case_intake;
struct case_text_read;

/* Who acts, on what connection, with which keys. Borrowed for the call. */
struct case_env {
    struct store_conn *conn;
    const struct store_actor *actor;   /* scope and audit identity */
    const struct store_principal *who; /* roles, organization */
    struct seal *seal;                 /* personal data; intake refuses without it */
    struct text *text;                 /* search terms; may be NULL */
    int32_t today;                     /* Beijing day (days since 1970-01-01) */
    /* A reading of a case's text done before the transaction (case_intake_read,
     * case_text_read_case), used by the regrade when the text it loads is the same; NULL:
     * none. */
    const struct case_text_read *text_read;
};

/*
 * Reads case id's text (facts, claims, session records) as a change's regrade will, on
 * env->conn, before the change: set it as env->text_read of the change, so that the one
 * writer (store/group.h) does not read the text again when it has not changed (the reading
 * is a pure function of the text). NULL if the case cannot be read or out of memory: the
 * regrade then reads it itself. Free with case_text_read_drop (NULL-safe).
 */
struct case_text_read *case_text_read_case(const struct case_env *env, int64_t id);
void case_text_read_drop(struct case_text_read *m);

/* How a call ended. */
typedef enum {
    CASE_OK = 0,
    CASE_INVALID,     /* bad fields: out->errs names each */
    CASE_REFUSED,     /* the state machine refuses: out->refusal, out->allowed */
    CASE_STORE,       /* the store said no: out->store, message on the connection */
    CASE_UNAVAILABLE, /* the key for personal data is not loaded */
} case_err;

/* What a call tells its caller. Zero it before the call; release it with case_out_free. */
struct case_out {
    struct verr_list errs;
    enum case_refusal refusal;
    enum case_state state; /* the state the case was in, for a refusal */
    json_t *allowed;       /* the actions the actor may take now (a refusal) */
    store_err store;
    int64_t id;       /* the case (intake: the new one) */
    char number[128]; /* intake: its number */
    json_t *related;  /* intake: open cases of the same parties (hints) */
};

void case_out_free(struct case_out *out);

/* Today in Beijing (UTC+8) by the system clock, for callers that are not tests. */
int32_t case_today(void);

/*
 * Registers a case from an intake request (docs/api-contract-cases.md). `access_digest`
 * is the digest of a citizen's access code (online applications) or NULL.
 */
case_err case_register(const struct case_env *env, json_t *req, const char *access_digest,
                       struct case_out *out);

/*
 * Intake in two steps, for a caller that waits for a shared writer between them
 * (store/group.h: POST /api/v1/cases). case_intake_read reads, checks and seals the request
 * and does the pure work of the write (search terms, the reading of the text for risk): it
 * writes nothing, so a failed check leaves nothing. case_intake_write then writes the case
 * in one transaction, on whatever connection env names, and case_intake_hints lists the
 * related open cases once it has committed. `req` must outlive *in. case_register is the
 * three in a row.
 */
case_err case_intake_read(const struct case_env *env, json_t *req, const char *access_digest,
                          struct case_intake **in, struct case_out *out);
case_err case_intake_write(const struct case_env *env, struct case_intake *in,
                           struct case_out *out);
json_t *case_intake_hints(const struct case_env *env, const struct case_intake *in, int64_t id);
void case_intake_free(struct case_intake *in);

/* Takes action req.action on case `id` (docs/case-states.md for the actions and fields). */
case_err case_act(const struct case_env *env, int64_t id, json_t *req, struct case_out *out);

/* The actions the actor may take on case `id` now (JSON array of names, caller owns). */
case_err case_allowed(const struct case_env *env, int64_t id, json_t **actions,
                      struct case_out *out);

/* Sets the status of an instalment of the agreement (paid, late, defaulted, pending). */
case_err case_instalment(const struct case_env *env, int64_t id, int64_t instalment_id, json_t *req,
                         struct case_out *out);

/* Records or updates the judicial confirmation (司法确认) of the agreement. */
case_err case_confirmation(const struct case_env *env, int64_t id, json_t *req,
                           struct case_out *out);

/* The fulfilment of the agreement: instalments, rate, confirmation (caller owns *result). */
case_err case_fulfilment(const struct case_env *env, int64_t id, json_t **result,
                         struct case_out *out);

/* Adds a note to the timeline that does not change the state (a citizen's rating). */
case_err case_note(const struct case_env *env, int64_t id, const char *action, const char *data,
                   int public_event, struct case_out *out);

/*
 * Raises a warning on case `id` unless it exists (kind: approaching, due, visit,
 * instalment_due, instalment_late; `due_date` the day it is about), with its timeline
 * event; *created says whether it was new. For the scheduler.
 */
case_err case_warn(const struct case_env *env, int64_t id, const char *kind, const char *due_date,
                   int *created, struct case_out *out);

/*
 * The scheduler's pass over agreements as of env->today: an instalment whose period ends
 * today (民法典 art. 203) warns that it falls due; one whose period has ended unpaid is
 * marked late and warns that it is late, both in one transaction. *raised counts new
 * warnings.
 */
case_err case_scan_instalments(const struct case_env *env, int *raised, struct case_out *out);

/*
 * Bulk loading (jiefen demo, migrations from other systems): one case written as it stands
 * now with its history, inside the caller's transaction (batches of many). The one door
 * for loads, so that what the module derives for every case reaches loaded ones too.
 */
case_err case_load(const struct case_env *env, const struct store_case_raw *raw,
                   struct case_out *out);
/* case_load of n cases, ids[i] getting raws[i]'s id (on PostgreSQL by COPY per table). */
case_err case_load_many(const struct case_env *env, const struct store_case_raw *const *raws,
                        long n, int64_t *ids, struct case_out *out);

/* Records an attachment of case `id` (its file is stored already) with its timeline event. */
case_err case_attach(const struct case_env *env, int64_t id, const struct store_attachment_in *in,
                     int64_t *attachment_id, struct case_out *out);

/*
 * A citizen's lost access code replaced (找回查询码): the case numbered one of `numbers`
 * (the CASENUM_VARIANTS spellings of one number) whose applicant has this phone
 * and ID number (blind indexes, each {current key, other key of a rotation}) gets `digest`; the old
 * code stops working. The number as stored goes to out->number; CASE_STORE with STORE_NOT_FOUND
 * when anything does not match.
 */
case_err case_reissue_code(const struct case_env *env, const char *const *numbers,
                           const char *const phone_index[2], const char *const id_index[2],
                           const char *digest, struct case_out *out);

/*
 * The control plan (稳控方案) of case `id`: {owner_id, measures, review_on}; replaces an
 * earlier one. A red case needs one before it may leave the red list (docs/risk.md).
 */
case_err case_control_plan(const struct case_env *env, int64_t id, json_t *req,
                           struct case_out *out);

/*
 * Retention (个人信息保护法 art. 19, 47; case/retention.c): the parties of every case archived
 * before `years` years ago counted from env->today are anonymised — names to 当事人甲/乙/…,
 * sealed ID numbers, phones, addresses, their blind indexes and agents cleared, search terms
 * rewritten, the free text masked (names, ID and phone numbers), attachment files deleted
 * from `files_dir` (rows kept, marked deleted) — one transaction per case with a timeline
 * event and an audit row `anonymise`. Cases under a legal hold are skipped and counted;
 * anonymised cases are marked, so a rerun does nothing more. dry_run: every change made and
 * rolled back, no file touched, so the counts are what a run would do. `list` (may be
 * NULL): a line per case, its number and counts.
 */
struct case_retention {
    int64_t due;         /* cases past the period (dry run) or anonymised */
    int64_t parties;     /* parties anonymised */
    int64_t texts;       /* free-text values masked */
    int64_t attachments; /* attachments deleted */
    int64_t bytes;       /* their sizes */
    int64_t held;        /* past the period but under a legal hold */
    char cutoff[16];     /* archived before this day */
};
case_err case_retention_run(const struct case_env *env, int years, const char *files_dir,
                            int dry_run, FILE *list, struct case_retention *res,
                            struct case_out *out);

/* Regrades every case (after the risk settings change, or a bulk load); *changed counts
 * cases whose level moved. Batches of 500 per transaction. */
case_err case_risk_regrade_all(const struct case_env *env, int64_t *changed, struct case_out *out);

/* Regrades the n cases `ids` (a bulk load's cases whose grade may differ from the intake
 * grade), in batches of 500 per transaction; *changed as above. */
case_err case_risk_regrade_ids(const struct case_env *env, const int64_t *ids, size_t n,
                               int64_t *changed, struct case_out *out);

/*
 * The scheduler's daily regrade of open cases whose time limit passed in the `days` days
 * before env->today (the overdue factor); *moved counts level changes.
 */
case_err case_risk_scan_overdue(const struct case_env *env, int days, int *moved,
                                struct case_out *out);

/* Supervision orders (督办): issues one on case `id`, or answers order `order_id`. */
case_err case_order_issue(const struct case_env *env, int64_t id, json_t *req, int64_t *order_id,
                          struct case_out *out);
case_err case_order_reply(const struct case_env *env, int64_t order_id, json_t *req,
                          struct case_out *out);

/*
 * Checks that object `id` of `kind` ("organization", "region", "mediator", "expert",
 * "case", "user") exists in the actor's scope; adds a "not_found" error naming `field`.
 */
void case_check_ref(const struct case_env *env, struct verr_list *errs, const char *field,
                    const char *kind, int64_t id);

/*
 * Runs the routing rules for a dispute at the region with `path` and `level`: *explanation
 * gets {decision, rule, candidates, notices} (caller owns it), *decision the outcome.
 */
struct routing_case;
struct case_route {
    int found;
    char level[16]; /* the level responsible, "local" resolved */
    char method[32];
    char time_limit_kind[16];
    int time_limit_days;
    int lead_leader;   /* a lead leader (包案领导) is required */
    char due_date[16]; /* counted on the calendar from today, 民法典 art. 203 */
};
store_err case_route_evaluate(const struct case_env *env, const struct routing_case *k,
                              const char *path, const char *level, json_t **explanation,
                              struct case_route *decision);

#endif

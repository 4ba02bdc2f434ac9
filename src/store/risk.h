/*
 * risk.h - what the risk grade of a case is computed from, where it is written, the
 * control plans (稳控方案) of red cases and the risk board (风险研判). The grading itself is
 * pure (core/risk.h); the case module (src/case/risk.c) ties them together.
 */
#ifndef JIEFEN_STORE_RISK_H
#define JIEFEN_STORE_RISK_H

#include "store/store.h"

/* The facts of one case the risk model reads. Strings are owned by `rows`. */
struct store_risk_facts {
    struct store_rows *rows; /* the case row (free with store_risk_facts_free) */
    const char *category, *complexity, *state, *due_date, *risk, *reasons, *region_path;
    int64_t people, amount; /* < 0 unknown */
    int key_persons, urgent;
    int escalations;      /* escalate events on the timeline */
    int repeat_disputes;  /* other cases of the same parties received in the past 365 days */
    int sensitive_period; /* a sensitive period covers the case's region on `today` */
    int control_plan;     /* a control plan is on file */
    char *text;           /* facts, claims and session records, '\n'-joined (malloc'd) */
};

/* Loads the facts of case `id` as of `today` (YYYY-MM-DD). */
store_err store_risk_facts(struct store_conn *c, int64_t id, const char *today,
                           struct store_risk_facts *f);
void store_risk_facts_free(struct store_risk_facts *f);
/* Only the text of store_risk_facts (facts, claims, session records), malloc'd in *text. */
store_err store_risk_text(struct store_conn *c, int64_t id, char **text);

/* Writes the grade of case `id` (no audit: the timeline event records level changes). */
store_err store_risk_set(struct store_conn *c, int64_t id, const char *risk, const char *reasons);

/* Open cases whose time limit passed on a day in [from, to) (YYYY-MM-DD), by the due index. */
store_err store_risk_newly_overdue(struct store_conn *c, const char *from, const char *to,
                                   struct store_rows **out);

/* The settings named risk_* as (key, value) rows. */
store_err store_risk_settings(struct store_conn *c, struct store_rows **out);

/* A control plan (稳控方案) of a case: owner (a user in scope), measures, review day. */
struct store_control_plan_in {
    int64_t owner_id;
    const char *measures;
    const char *review_on; /* YYYY-MM-DD */
};

/* Adds or replaces the control plan of case `id` (in the caller's transaction; audited). */
store_err store_control_plan_put(struct store_conn *c, const struct store_actor *a, int64_t id,
                                 const struct store_control_plan_in *in);

/* Whether case `id` has a control plan. */
store_err store_control_plan_exists(struct store_conn *c, int64_t id, int *exists);

/* The control plan of case `id`: owner_id, owner_name, measures, review_on, updated_at,
 * updated_by; STORE_NOT_FOUND when there is none. */
store_err store_control_plan_get(struct store_conn *c, int64_t id, struct store_rows **out);

/* The risk board of a region (store_risk_board). Rows owned; free both. */
struct store_board {
    struct store_rows *cases;   /* a page of open red then orange cases: id, number, category,
                                 * risk, risk_reasons, region_id, region_path, state, due_date,
                                 * control_review_on, lead_leader_id */
    struct store_rows *regions; /* per child region: region_id, name, red, orange */
    int64_t red, orange;        /* open red and orange cases of the whole subtree */
};

/*
 * The risk board of the region `region_id` (in scope; 0: the root of the scope): a page of
 * its subtree's open red and orange cases, red first and then in queue order, the counts
 * per child region and the totals. Reads the risk queue index: only the open red and orange
 * cases of the subtree are visited (the counts by one grouped read of them).
 */
store_err store_risk_board(struct store_conn *c, const struct store_actor *a, int64_t region_id,
                           const struct store_page *pg, struct store_board *out);

#endif

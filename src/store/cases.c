#include "store/cases.h"
#include "store/copybuf.h"

#include "core/casenum.h"
#include "core/region.h"
#include "core/risk.h"
#include "store/audit.h"
#include "store/partition.h"
#include "text/text.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CASE_COLS                                                                                  \
    "SELECT k.id, k.number, k.channel, k.state, k.resume_state, k.category, k.complexity,"         \
    " k.facts, k.claims, k.cause, k.region_id, r.name AS region_name, k.occurred_on, k.people,"    \
    " k.amount, k.key_persons, k.forecast, k.urgent, k.level, k.routing, k.method,"                \
    " k.time_limit_days, k.time_limit_kind, k.due_date, k.lead_leader, k.resp_org_id,"             \
    " o.name AS resp_org_name, k.resp_user_id, k.mediator_ids, k.expert_ids,"                      \
    " k.sessions_at_level, k.failure_reviewed, k.feedback_recorded, k.related_to, k.clerk_id,"     \
    " k.received_at, k.created_at, k.updated_at, k.extended, k.risk, k.risk_reasons,"              \
    " k.lead_leader_id, k.visit_due"                                                               \
    " FROM cases k JOIN regions r ON r.id = k.region_id"                                           \
    " LEFT JOIN organizations o ON o.id = k.resp_org_id"
#define CASE_TYPES "itttttttttittiibtbtjtitttitijjibbiisssbttit"

/* A timeline entry that records something beside the state (the state stays as it was),
 * in the caller's transaction; `data` is JSON or NULL. */
static store_err note_event(struct store_conn *c, const struct store_actor *a, int64_t case_id,
                            const char *action, const char *data, int public_event)
{
    return store_exec(c,
                      "INSERT INTO case_events (case_id, at, actor_id, actor_login, action,"
                      " from_state, to_state, data, public)"
                      " SELECT id, $2, $3, $4, $5, state, state, $6, $7 FROM cases WHERE id = $1",
                      STORE_PARAMS(SP_INT(case_id), SP_INT(store_now_ms()),
                                   a->user_id ? SP_INT(a->user_id) : SP_NULL,
                                   SP_TEXT(a->login[0] ? a->login : NULL), SP_TEXT(action),
                                   SP_TEXT(data), SP_INT(public_event)),
                      NULL);
}

/* The intake risk of a case to be inserted (core/risk.h): its code and reasons. */
static const char *intake_risk(const struct store_case_in *in, char *why, size_t whylen)
{
    struct risk_input ri = {.category = in->category,
                            .complexity = in->complexity,
                            .people = in->has_people ? in->people : -1,
                            .amount = -1,
                            .key_persons = in->key_persons,
                            .urgent = in->urgent};
    struct risk_weights w;
    struct risk_result r;

    risk_weights_default(&w);
    risk_assess(&ri, &w, &r);
    risk_reasons_text(&r, why, whylen);
    return risk_level_code(r.level);
}

/*
 * Writes the case_mediators index of a case from its mediator_ids JSON list ("[3,12]",
 * written by the API from validated ids); `replace` first drops the entries it had (a new
 * case has none: bulk loading skips the delete).
 */
static store_err index_mediators(struct store_conn *c, int64_t case_id, const char *ids,
                                 int replace)
{
    store_err e = replace ? store_exec(c, "DELETE FROM case_mediators WHERE case_id = $1",
                                       STORE_PARAMS(SP_INT(case_id)), NULL)
                          : STORE_OK;

    for (const char *p = ids; e == STORE_OK && p && *p;) {
        char *end;
        long long id;
        if (*p < '0' || *p > '9') {
            p++;
            continue;
        }
        id = strtoll(p, &end, 10);
        p = end;
        e = store_exec(c,
                       "INSERT INTO case_mediators (mediator_id, case_id) VALUES ($1, $2)"
                       " ON CONFLICT DO NOTHING",
                       STORE_PARAMS(SP_INT(id), SP_INT(case_id)), NULL);
    }
    return e;
}

/*
 * Search bound by (term, scope) (issue 12, migration 34): the search row of a case holds,
 * beside its terms, a scope token for its region and every region above it, so that the
 * index intersects a term with the caller's subtree and a count never reads a case row.
 * SQLite: tokens r<code> in the FTS5 column `scope` (a column of their own: a text word
 * "r5107..." in `terms` cannot pass for one); PostgreSQL: tokens r:<code> in the
 * search_terms array (text tokens are letters, digits and ideographs, never ':').
 * Both are computed from the case's region path ("/51/5107/510703/" gives r51 r5107
 * r510703), which never changes after intake. $1 the case id, $2 its terms.
 */
#define CASE_SCOPE_TOKENS_SQLITE "'r' || replace(trim(k.region_path, '/'), '/', ' r')"
#define CASE_SCOPE_TOKENS_PG                                                                       \
    "string_to_array('r:' || replace(trim(both '/' from k.region_path), '/', ' r:'), ' ')"
/* A case's search terms; on SQLite for every case whose terms wait for the commit
 * (store_exec_later): $1 = [[id, terms], ...]. */
#define CASE_SEARCH_WRITE_MANY_SQLITE                                                              \
    "INSERT OR REPLACE INTO case_search (rowid, terms, scope) SELECT k.id,"                        \
    " json_extract(j.value, '$[1]'), " CASE_SCOPE_TOKENS_SQLITE " FROM json_each($1) j"            \
    " JOIN cases k ON k.id = json_extract(j.value, '$[0]') ORDER BY j.key"
#define CASE_SEARCH_WRITE_PG                                                                       \
    "UPDATE cases k SET search_terms = string_to_array($2, ' ') || " CASE_SCOPE_TOKENS_PG          \
    " WHERE k.id = $1"

/*
 * The search terms of a new case: those of its text (the caller's, may be NULL) and those
 * of its number (text_number_terms), so that the register's search finds a case by its
 * number or a part of it through the same index as its text. Malloc'd, or NULL.
 */
static char *case_search_terms(const char *text_terms, const char *number)
{
    char *num = text_number_terms(number), *all;
    size_t tl = text_terms ? strlen(text_terms) : 0;

    if (!num || tl == 0)
        return num;
    all = malloc(tl + strlen(num) + 2);
    if (all)
        sprintf(all, "%s%s%s", text_terms, *num ? " " : "", num);
    free(num);
    return all;
}

/* A new case's parties (sealed already) and its search terms, in the caller's transaction. */
static store_err insert_parties_and_terms(struct store_conn *c, int64_t id, const char *number,
                                          const struct store_case_in *in)
{
    store_err e = STORE_OK;

    for (int i = 0; e == STORE_OK && i < in->nparties; i++) {
        const struct store_party_in *p = &in->parties[i];
        e = store_exec(c,
                       "INSERT INTO case_parties (case_id, role, kind, name, id_sealed, id_index,"
                       " phone_sealed, phone_index, address_sealed, agent)"
                       " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
                       STORE_PARAMS(SP_INT(id), SP_TEXT(p->role), SP_TEXT(p->kind),
                                    SP_TEXT(p->name), SP_TEXT(p->id_sealed), SP_TEXT(p->id_index),
                                    SP_TEXT(p->phone_sealed), SP_TEXT(p->phone_index),
                                    SP_TEXT(p->address_sealed), SP_TEXT(p->agent)),
                       NULL);
    }
    return e == STORE_OK ? store_case_set_terms(c, id, number, in->search_terms) : e;
}

/* The county a region lies in (its own id if it is above the county level): id, name. */
static store_err county_of(struct store_conn *c, const char *code, const char *level,
                           int64_t region_id, int64_t *county_id, char *name, size_t namelen)
{
    struct store_rows *r = NULL;
    char county_code[24];
    store_err e;

    if (strcmp(level, "province") == 0 || strcmp(level, "city") == 0) {
        e = store_one(c, "SELECT id, name FROM regions WHERE id = $1",
                      STORE_PARAMS(SP_INT(region_id)), "it", "region", &r);
    } else {
        /* Statistical codes nest: a county's code is its places' first six digits. */
        snprintf(county_code, sizeof county_code, "%.6s000000", code);
        e = store_one(c, "SELECT id, name FROM regions WHERE code = $1",
                      STORE_PARAMS(SP_TEXT(county_code)), "it", "county", &r);
    }
    if (e == STORE_OK) {
        *county_id = store_rows_int(r, 0, 0);
        snprintf(name, namelen, "%s", store_rows_get(r, 0, 1));
    }
    store_rows_free(r);
    return e;
}

/*
 * A new case's id (store/partition.h). PostgreSQL: year * 10^10 + the next of case_ids, so
 * that the row lands in its year's partition. SQLite keeps its rowids: a NULL id takes the
 * next one, and the year is still named so that both texts take the same parameters.
 */
#define CASE_ID_PG(YEAR)     YEAR " * 10000000000 + nextval('case_ids')"
#define CASE_ID_SQLITE(YEAR) "NULLIF(" YEAR ", " YEAR ")"
#define CASE_CREATE_COLS                                                                           \
    "number, channel, state, category, complexity, facts, claims, cause,"                          \
    " region_id, region_path, occurred_on, people, amount, key_persons, forecast, urgent,"         \
    " level, mediator_ids, expert_ids, sessions_at_level, failure_reviewed,"                       \
    " feedback_recorded, related_to, clerk_id, received_at, created_at, updated_at,"               \
    " access_digest, risk, risk_reasons"
#define CASE_CREATE_VALUES                                                                         \
    "$1, $2, 'registered', $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14,"                   \
    " $15, $16, '[]', '[]', 0, 0, 0, $17, $18, $19, $19, $19, $20, $21, $22"

store_err store_case_create(struct store_conn *c, const struct store_actor *a,
                            const struct store_case_in *in, const char *format, int year,
                            int64_t *id, char *number, size_t numberlen)
{
    struct store_rows *place = NULL, *seq = NULL, *ins = NULL;
    int64_t county_id = 0, now = store_now_ms();
    char county[128], shortname[128], event[96];
    const char *level;
    store_err e = store_begin(c, 1);

    if (e != STORE_OK)
        return e;
    e = store_exec(c,
                   "SELECT code, level, path FROM regions WHERE id = $1 AND path >= $2"
                   " AND path < $3",
                   STORE_PARAMS(SP_INT(in->region_id), SP_TEXT(a->scope.lo), SP_TEXT(a->scope.hi)),
                   &place);
    if (e == STORE_OK && place->nrows == 0)
        e = store_conn_invalid(c, "region_id", "not_found",
                               "region does not exist or is outside your scope");
    if (e != STORE_OK)
        goto out;
    level = store_rows_get(place, 0, 1);
    e = county_of(c, store_rows_get(place, 0, 0), level, in->region_id, &county_id, county,
                  sizeof county);
    if (e != STORE_OK)
        goto out;
    /* The counter moves in the same transaction as the insert: numbers are never reused
     * and never skipped by a rolled-back intake. */
    e = store_exec(c,
                   "INSERT INTO case_counters (county_id, year, last) VALUES ($1, $2, 1)"
                   " ON CONFLICT (county_id, year) DO UPDATE SET last = case_counters.last + 1"
                   " RETURNING last",
                   STORE_PARAMS(SP_INT(county_id), SP_INT(year)), &seq);
    if (e != STORE_OK)
        goto out;
    casenum_county_short(county, shortname, sizeof shortname);
    if (casenum_format(format, year, shortname, (long)store_rows_int(seq, 0, 0), number,
                       numberlen) != 0) {
        store_conn_seterr(c, "the case number format is not usable: %s", format);
        e = STORE_ERROR;
        goto out;
    }
    e = store_exec(
        c,
        store_dialect(c,
                      "INSERT INTO cases (id, " CASE_CREATE_COLS
                      ") VALUES (" CASE_ID_SQLITE("$23") ", " CASE_CREATE_VALUES ") RETURNING id",
                      "INSERT INTO cases (id, " CASE_CREATE_COLS
                      ") VALUES (" CASE_ID_PG("$23") ", " CASE_CREATE_VALUES ") RETURNING id"),
        STORE_PARAMS(
            SP_TEXT(number), SP_TEXT(in->channel), SP_TEXT(in->category), SP_TEXT(in->complexity),
            SP_TEXT(in->facts), SP_TEXT(in->claims), SP_TEXT(in->cause), SP_INT(in->region_id),
            SP_TEXT(store_rows_get(place, 0, 2)), SP_TEXT(in->occurred_on),
            in->has_people ? SP_INT(in->people) : SP_NULL,
            in->has_amount ? SP_INT(in->amount) : SP_NULL, SP_INT(in->key_persons),
            SP_TEXT(in->forecast), SP_INT(in->urgent),
            /* A grid is not a level that mediates: its village is responsible. */
            SP_TEXT(strcmp(level, "grid") == 0 ? "village" : level),
            in->related_to ? SP_INT(in->related_to) : SP_NULL,
            a->user_id ? SP_INT(a->user_id) : SP_NULL, SP_INT(now), SP_TEXT(in->access_digest),
            /* Blue until the case module grades it, in the same transaction, so that the
             * first grade is a change of level with its timeline event and alert. */
            SP_TEXT("blue"), SP_NULL,
            /* The id's year is the number's (store/partition.h): one value for both. */
            SP_INT(year)),
        &ins);
    if (e != STORE_OK)
        goto out;
    *id = store_rows_int(ins, 0, 0);
    /* The channel is a vocabulary code: no quoting needed. */
    snprintf(event, sizeof event, "{\"channel\":\"%.40s\"}", in->channel);
    if (e == STORE_OK)
        e = insert_parties_and_terms(c, *id, number, in);
    if (e == STORE_OK)
        e = store_exec(c,
                       "INSERT INTO case_events (case_id, at, actor_id, actor_login, action,"
                       " from_state, to_state, data, public) VALUES ($1, $2, $3, $4, 'register',"
                       " NULL, 'registered', $5, 1)",
                       STORE_PARAMS(SP_INT(*id), SP_INT(now),
                                    a->user_id ? SP_INT(a->user_id) : SP_NULL,
                                    SP_TEXT(a->login[0] ? a->login : NULL), SP_TEXT(event)),
                       NULL);
    /* A repeated report linked at intake: the case it repeats records it too, so that both
     * timelines show the link. */
    if (e == STORE_OK && in->related_to) {
        char link[192];
        snprintf(link, sizeof link, "{\"case_id\":%lld,\"number\":\"%s\"}", (long long)*id, number);
        e = note_event(c, a, in->related_to, "linked", link, 0);
    }
    if (e == STORE_OK)
        e = store_audit_append(c, a, "create", "case", *id,
                               "channel,category,complexity,facts,claims,region_id,parties",
                               number);
out:
    store_rows_free(place);
    store_rows_free(seq);
    store_rows_free(ins);
    return store_end(c, e);
}

store_err store_case_get(struct store_conn *c, const struct store_actor *a, int64_t id,
                         struct store_rows **out)
{
    return store_one(c, CASE_COLS " WHERE k.id = $1 AND k.region_path >= $2 AND k.region_path < $3",
                     STORE_PARAMS(SP_INT(id), SP_TEXT(a->scope.lo), SP_TEXT(a->scope.hi)),
                     CASE_TYPES, "case", out);
}

store_err store_case_parties(struct store_conn *c, int64_t case_id, struct store_rows **out)
{
    store_err e = store_exec(c,
                             "SELECT id, role, kind, name, id_sealed, phone_sealed, address_sealed,"
                             " agent FROM case_parties WHERE case_id = $1 ORDER BY id",
                             STORE_PARAMS(SP_INT(case_id)), out);
    if (e == STORE_OK)
        (*out)->types = "ittttttt";
    return e;
}

/* The states in which a time limit runs and can be passed: case_clock_runs (core/case_fsm.c),
 * the same states whose cases the counters' open_due holds (core/stats.c), so that the
 * workbench's overdue count of a whole scope can be read from the counters (watch/stats.h
 * stats_backlog) and equal this list's total. */
#define CASE_RUNNING_STATES "('registered', 'accepted', 'assigned', 'mediating', 'referred')"
#define CASE_OVERDUE_RANGE  CASE_RUNNING_STATES " AND k.queue_key >= '0' AND k.queue_key < ?"

/*
 * The workbench's to-dos that are not a state (store/workbench.h), each read through an
 * index of migration 15 or 10: unanswered supervision orders (a partial index), closed
 * cases whose return visit is due (cases_visit_due; SQLite is kept off the state index,
 * which would read every closed case), cases with an unpaid
 * instalment past its day (a partial index), referrals still owed their feedback (the
 * state's index; feedback_recorded is read only for the referred cases).
 */
static void todo_where(struct store_conn *c, const struct store_case_filter *f,
                       struct store_where *w)
{
    const char *today = f->today ? f->today : "";

    if (strcmp(f->todo, "orders_open") == 0)
        store_where_add(w,
                        "k.id IN (SELECT case_id FROM supervision_orders WHERE replied_at IS NULL)",
                        0, NULL);
    else if (strcmp(f->todo, "visit_due") == 0)
        store_where_add(w,
                        store_dialect(c, "+k.state = 'closed' AND k.visit_due <= ?",
                                      "k.state = 'closed' AND k.visit_due <= ?"),
                        STORE_PARAMS(SP_TEXT(today)));
    else if (strcmp(f->todo, "instalments_late") == 0)
        store_where_add(w,
                        "k.id IN (SELECT case_id FROM agreement_instalments"
                        " WHERE status IN ('pending', 'late') AND due_date < ?)",
                        STORE_PARAMS(SP_TEXT(today)));
    else if (strcmp(f->todo, "awaiting_feedback") == 0)
        store_where_add(w, "k.state = 'referred' AND k.feedback_recorded = 0", 0, NULL);
    else if (strcmp(f->todo, "open") == 0)
        /* Not ended: ended cases sort under '2' in the queue key (migration 12). */
        store_where_add(w, "k.queue_key < '2'", 0, NULL);
}

/* The caller's cases: responsible person, lead leader or one of the mediators. */
#define CASE_MINE                                                                                  \
    "(k.resp_user_id = ? OR k.lead_leader_id = ? OR k.id IN (SELECT cm.case_id FROM"               \
    " case_mediators cm JOIN mediators m ON m.id = cm.mediator_id WHERE m.user_id = ?))"
/* PostgreSQL: the same as a set of ids read from the three indexes. The OR above cannot be a
 * BitmapOr there (one arm is a subquery), so PostgreSQL read every case of the scope and tested
 * each: a county dispatcher's "my cases" at 1 M cases, none of them theirs, took 2.5-3 s (and
 * an administrator's workbench, which counts them, 1 s); as a set, 0.5 ms. Used only where
 * the caller's own cases are fewer than the count cap (scope_drives_mine: CASE_MINE_SET):
 * for a leader who leads 132,549 cases, building the set cost more than the test per case
 * (352 against 119 ms for a page). */
#define CASE_MINE_SET_PG                                                                           \
    "k.id IN (SELECT id FROM cases WHERE resp_user_id = ? UNION ALL SELECT id FROM cases"          \
    " WHERE lead_leader_id = ? UNION ALL SELECT cm.case_id FROM case_mediators cm"                 \
    " JOIN mediators m ON m.id = cm.mediator_id WHERE m.user_id = ?)"
/*
 * "Mine" tested case by case, where another index drives (a walk, or the scope): on SQLite
 * the indexes of the responsible person and lead leader kept from choosing, and the
 * mediators asked per case through case_mediators' primary key (mediator_id, case_id), or on
 * PostgreSQL its case_id index. Written as `k.id IN (SELECT ...)`, both backends built the
 * set of all the caller's cases once per statement (SQLite a list, PostgreSQL a hashed
 * subplan): 177,669 for the busiest demo mediator at 1 M cases, 30-40 ms (SQLite) and
 * ~120 ms (PostgreSQL) of each of the workbench's counts and of a page of "my cases", which
 * then tested a few hundred cases against it.
 */
#define CASE_MINE_EXISTS                                                                           \
    " OR EXISTS (SELECT 1 FROM case_mediators cm JOIN mediators m ON m.id = cm.mediator_id"        \
    " WHERE cm.case_id = k.id AND m.user_id = ?))"
#define CASE_MINE_TESTED_SQLITE "(+k.resp_user_id = ? OR +k.lead_leader_id = ?" CASE_MINE_EXISTS
#define CASE_MINE_TESTED_PG     "(k.resp_user_id = ? OR k.lead_leader_id = ?" CASE_MINE_EXISTS
/*
 * How case_list_where writes a filter: for the count, for the page, and for a page that
 * walks the queue index in order and tests each case (SQLite), stopping after per_page,
 * instead of collecting every match and sorting. A walk reads about per_page * scope /
 * matches entries, so it is chosen only when the matches are many (the count says so):
 * "my cases" at least CASE_MINE_WALK, search terms past STORE_CASE_COUNT_CAP.
 */
enum {
    CASE_COUNT = 0,
    CASE_LIST = 1,
    CASE_WALK_MINE = 2,
    CASE_WALK_TERMS = 4,
    CASE_SCOPE_MINE = 8, /* the scope's region index drives and "mine" is tested per case */
    CASE_MINE_SET = 16   /* "mine" is few: PostgreSQL reads them as a set (CASE_MINE_SET_PG) */
};
/* 200: the walk then reads at most about per_page * scope / 200 entries of cases_queue,
 * which holds the responsible person and lead leader (migration 32), so the entries that are
 * not mine cost no row read; the set-and-sort plan reads every case of the caller, in scope
 * or not (the busiest demo mediator: 325 cases in scope, 3,590 read). */
#define CASE_MINE_WALK 200

static int64_t count_cap = STORE_CASE_COUNT_CAP, mine_walk = CASE_MINE_WALK;
static int mine_plan; /* JIEFEN_MINE_PLAN: 0 to choose, 1 always the scope, -1 never */
static pthread_once_t tuning_once = PTHREAD_ONCE_INIT;

/* JIEFEN_COUNT_CAP and JIEFEN_MINE_WALK (positive integers) replace the two thresholds: the
 * API tests set small ones so that the capped total and both walks run on a few cases.
 * JIEFEN_MINE_PLAN=scope or =mine takes the choice of scope_drives_mine away, so that the
 * tests hold both plans to the same answers on a small register. */
static void tuning_read(void)
{
    const char *cap = getenv("JIEFEN_COUNT_CAP"), *walk = getenv("JIEFEN_MINE_WALK");
    const char *plan = getenv("JIEFEN_MINE_PLAN");

    if (plan)
        mine_plan = strcmp(plan, "scope") == 0 ? 1 : strcmp(plan, "mine") == 0 ? -1 : 0;

    if (cap && atoll(cap) > 0)
        count_cap = atoll(cap);
    if (walk && atoll(walk) > 0)
        mine_walk = atoll(walk);
}

int64_t store_case_count_cap(void)
{
    pthread_once(&tuning_once, tuning_read);
    return count_cap;
}

/*
 * The search expression of a filter's terms within scope `sub` (migration 34): on SQLite
 * the FTS5 query `scope : "r<code>" AND terms : (<terms>)`, on PostgreSQL the array of
 * the terms and the scope token r:<code>, where <code> is the last region of the scope's
 * path; the whole tree ("/") has no token. *match is malloc'd, NULL when there are no
 * terms; STORE_ERROR only when out of memory.
 */
static store_err search_match(struct store_conn *c, const struct store_case_filter *f,
                              const struct region_scope *sub, char **match)
{
    size_t n = strlen(sub->lo), start = n;
    int pg = store_conn_kind(c) == STORE_PG, len;

    *match = NULL;
    if (!f->terms)
        return STORE_OK;
    /* The last segment of "/51/5107/510703/": between the last two slashes. */
    if (n > 1)
        for (start = n - 1; start > 0 && sub->lo[start - 1] != '/';)
            start--;
    len = (int)(n > 1 ? n - 1 - start : 0);
    *match = malloc(strlen(f->terms) + (size_t)len + 48);
    if (!*match) {
        store_conn_seterr(c, "out of memory");
        return STORE_ERROR;
    }
    if (pg && len)
        sprintf(*match, "%s r:%.*s", f->terms, len, sub->lo + start);
    else if (pg)
        sprintf(*match, "%s", f->terms);
    else if (len)
        sprintf(*match, "scope : \"r%.*s\" AND terms : (%s)", len, sub->lo + start, f->terms);
    else
        sprintf(*match, "terms : (%s)", f->terms);
    return STORE_OK;
}

/*
 * The register's filters as a WHERE clause. for_list (CASE_LIST, walks or'd in): on SQLite the
 * scope is kept from choosing the index (the unary +), because SQLite without range statistics
 * would read the whole scope by region path and sort it; the page is then read in queue order
 * (cases_queue holds the region path, so rows outside the scope are skipped in the index). The
 * count keeps the region-path index. PostgreSQL's planner has the statistics to choose. `overdue`
 * holds the overdue filter's parameter, which w points to: the caller keeps it until the query has
 * run.
 */
static void case_list_where(struct store_conn *c, const struct store_case_filter *f,
                            const struct region_scope *sub, int for_list, char overdue[24],
                            const char *match, struct store_where *w)
{
    store_where_init(w);
    /* A search on PostgreSQL has the scope in its array (search_match: the token of the
     * scope's region, written from the same region path), so the range is left out: with
     * it the planner may read the scope by region path and test each case's terms. SQLite
     * keeps it as a test of the rows the search index found (FTS5 drives the plan). */
    /* The overdue cases are a range of cases_state_queue per running state, for the count
     * too: with the scope usable, SQLite took cases_state_scope (state, then the scope) and
     * read the row of every running case of the scope to test its queue key (a county at
     * 1 M cases: 200,000 rows, 0.8 s, against 26,000 index entries). Likewise the return
     * visits due are a range of cases_visit_due: the register's count of them read every
     * case of a county by region (5 s at 1 M). */
    int own_index = f->overdue_on || (f->todo && strcmp(f->todo, "visit_due") == 0);
    if (!(match && store_conn_kind(c) == STORE_PG))
        store_where_add(w,
                        ((for_list & CASE_LIST) || own_index) && !(for_list & CASE_SCOPE_MINE)
                            ? store_dialect(c, "+k.region_path >= ? AND +k.region_path < ?",
                                            "k.region_path >= ? AND k.region_path < ?")
                            : "k.region_path >= ? AND k.region_path < ?",
                        STORE_PARAMS(SP_TEXT(sub->lo), SP_TEXT(sub->hi)));
    if (f->state)
        store_where_add(w, "k.state = ?", STORE_PARAMS(SP_TEXT(f->state)));
    if (f->category)
        store_where_add(w, "k.category = ?", STORE_PARAMS(SP_TEXT(f->category)));
    if (f->channel)
        store_where_add(w, "k.channel = ?", STORE_PARAMS(SP_TEXT(f->channel)));
    if (f->risk)
        store_where_add(w, "k.risk = ?", STORE_PARAMS(SP_TEXT(f->risk)));
    if (match) {
        /* Walking the queue, SQLite looks each case up in the terms' doclists by its rowid.
         * The scope is tested on the case's row already (the range above), and the scope
         * token's doclist holds every case of the subtree: seeking in it once more per case
         * cost ~40 % of a broad 4-character search at 1 M (109 against 61-76 ms for its
         * page). The walk matches the terms alone (search_match writes them last). */
        const char *m = match, *terms = strstr(match, "terms : (");
        if ((for_list & CASE_WALK_TERMS) && store_conn_kind(c) == STORE_SQLITE && terms)
            m = terms;
        store_where_add(
            w,
            store_dialect(c,
                          (for_list & CASE_WALK_TERMS)
                              ? "EXISTS (SELECT 1 FROM case_search s WHERE case_search MATCH ?"
                                " AND s.rowid = k.id)"
                              : "k.id IN (SELECT rowid FROM case_search WHERE case_search MATCH ?)",
                          "k.search_terms @> string_to_array(?, ' ')"),
            STORE_PARAMS(SP_TEXT(m)));
    }
    if (f->overdue_on) {
        /* Open cases with a time limit sort as '0' || due date (migration 12): the overdue
         * ones are a range of cases_state_queue per running state (the count) and the head
         * of cases_queue (the page, read in order: SQLite is kept off the state index). */
        snprintf(overdue, 24, "0%s", f->overdue_on);
        store_where_add(w,
                        (for_list & CASE_LIST) ? store_dialect(c, "+k.state IN " CASE_OVERDUE_RANGE,
                                                               "k.state IN " CASE_OVERDUE_RANGE)
                                               : "k.state IN " CASE_OVERDUE_RANGE,
                        STORE_PARAMS(SP_TEXT(overdue)));
    }
    if (f->resp_org_id)
        store_where_add(w, "k.resp_org_id = ?", STORE_PARAMS(SP_INT(f->resp_org_id)));
    if (f->mediator_id)
        store_where_add(w, "k.id IN (SELECT case_id FROM case_mediators WHERE mediator_id = ?)",
                        STORE_PARAMS(SP_INT(f->mediator_id)));
    if (f->mine)
        store_where_add(w,
                        (for_list & (CASE_WALK_MINE | CASE_SCOPE_MINE))
                            ? store_dialect(c, CASE_MINE_TESTED_SQLITE, CASE_MINE_TESTED_PG)
                        : (for_list & CASE_MINE_SET) ? store_dialect(c, CASE_MINE, CASE_MINE_SET_PG)
                                                     : CASE_MINE,
                        STORE_PARAMS(SP_INT(f->mine), SP_INT(f->mine), SP_INT(f->mine)));
    if (f->since)
        store_where_add(w, "k.received_at >= ?", STORE_PARAMS(SP_INT(f->since)));
    if (f->until)
        store_where_add(w, "k.received_at < ?", STORE_PARAMS(SP_INT(f->until)));
    /* A party found by the blind index of an ID number or phone: through the indexes of
     * case_parties, never by reading parties. */
    /* Two indexes: the number under the current key and under the other key of a rotation
     * (the same twice outside one), so rows not yet re-indexed are found. */
    if (f->party_id_index)
        store_where_add(w, "k.id IN (SELECT case_id FROM case_parties WHERE id_index IN (?, ?))",
                        STORE_PARAMS(SP_TEXT(f->party_id_index), SP_TEXT(f->party_index_other)));
    if (f->party_phone_index)
        store_where_add(w, "k.id IN (SELECT case_id FROM case_parties WHERE phone_index IN (?, ?))",
                        STORE_PARAMS(SP_TEXT(f->party_phone_index), SP_TEXT(f->party_index_other)));
    if (f->case_id)
        store_where_add(w, "k.id = ?", STORE_PARAMS(SP_INT(f->case_id)));
    if (f->todo)
        todo_where(c, f, w);
}

/* COUNT(*) of a filter, stopping at STORE_CASE_COUNT_CAP + 1 rows: the inner LIMIT ends
 * the read there on both backends. */
static store_err case_count_capped(struct store_conn *c, const struct store_where *w, int64_t *n)
{
    struct store_rows *r = NULL;
    char sql[4096];
    store_err e;

    if (w->overflow || snprintf(sql, sizeof sql,
                                "SELECT COUNT(*) FROM (SELECT 1 FROM cases k%s LIMIT %lld) capped",
                                w->sql, (long long)store_case_count_cap() + 1) >= (int)sizeof sql) {
        store_conn_seterr(c, "count query too long");
        return STORE_ERROR;
    }
    e = store_exec(c, sql, w->nparams, w->params, &r);
    if (e == STORE_OK)
        *n = store_rows_int(r, 0, 0);
    store_rows_free(r);
    return e;
}

/* A filter of search terms and nothing else but the scope: its count is the index's. */
static int terms_only(const struct store_case_filter *f)
{
    return f->terms && !f->state && !f->category && !f->channel && !f->risk && !f->overdue_on &&
           !f->resp_org_id && !f->mediator_id && !f->mine && !f->since && !f->until &&
           !f->party_id_index && !f->party_phone_index && !f->case_id && !f->todo && !f->after_id;
}

/*
 * The count of a search by terms alone, capped like case_count_capped, from the search
 * index alone (issue 12, migration 34): the scope token in `match` (search_match) bounds
 * it to the caller's subtree, so no case row is read to test the region (SQLite reads
 * FTS5 doclists only; PostgreSQL intersects term and scope in the GIN index).
 */
static store_err search_count_capped(struct store_conn *c, const char *match, int64_t *n)
{
    struct store_rows *r = NULL;
    char sql[512];
    store_err e;

    snprintf(sql, sizeof sql,
             store_dialect(c,
                           "SELECT COUNT(*) FROM (SELECT rowid FROM case_search"
                           " WHERE case_search MATCH $1 LIMIT %lld) capped",
                           "SELECT COUNT(*) FROM (SELECT 1 FROM cases k"
                           " WHERE k.search_terms @> string_to_array($1, ' ') LIMIT %lld) capped"),
             (long long)store_case_count_cap() + 1);
    e = store_exec(c, sql, STORE_PARAMS(SP_TEXT(match)), &r);
    if (e == STORE_OK)
        *n = store_rows_int(r, 0, 0);
    store_rows_free(r);
    return e;
}

/* The query below names five numbers. */
_Static_assert(CASENUM_VARIANTS == 5, "store_case_by_number takes CASENUM_VARIANTS numbers");

store_err store_case_by_number(struct store_conn *c, const struct store_actor *a,
                               const char numbers[CASENUM_VARIANTS][CASENUM_MAX], int64_t *id)
{
    struct store_rows *r = NULL;
    store_err e;

    *id = 0;
    e = store_one(c,
                  "SELECT id FROM cases WHERE number IN ($1, $2, $3, $4, $5)"
                  " AND region_path >= $6 AND region_path < $7",
                  STORE_PARAMS(SP_TEXT(numbers[0]), SP_TEXT(numbers[1]), SP_TEXT(numbers[2]),
                               SP_TEXT(numbers[3]), SP_TEXT(numbers[4]), SP_TEXT(a->scope.lo),
                               SP_TEXT(a->scope.hi)),
                  "i", "case", &r);
    if (e == STORE_NOT_FOUND)
        return STORE_OK;
    if (e == STORE_OK)
        *id = store_rows_int(r, 0, 0);
    store_rows_free(r);
    return e;
}

/* The scope of a list: the caller's, or the subtree of region_id inside it. */
static store_err list_scope(struct store_conn *c, const struct store_actor *a, int64_t region_id,
                            struct region_scope *sub)
{
    char path[REGION_PATH_MAX];
    struct store_rows *r = NULL;
    store_err e;

    *sub = a->scope;
    if (!region_id)
        return STORE_OK;
    e = store_one(c, "SELECT path FROM regions WHERE id = $1 AND path >= $2 AND path < $3",
                  STORE_PARAMS(SP_INT(region_id), SP_TEXT(a->scope.lo), SP_TEXT(a->scope.hi)), "t",
                  "region", &r);
    if (e == STORE_NOT_FOUND)
        return store_conn_invalid(c, "region_id", "not_found",
                                  "region does not exist or is outside your scope");
    if (e != STORE_OK)
        return e;
    snprintf(path, sizeof path, "%s", store_rows_get(r, 0, 0));
    store_rows_free(r);
    region_scope_from_path(path, sub);
    return STORE_OK;
}

/*
 * Whether "my cases" are better found through the caller's scope than through the caller's
 * own cases. Without a walk, SQLite drives "mine" from the indexes of the responsible person,
 * lead leader and mediators and reads each of those cases to test its scope: 177,669 rows,
 * 210 ms, for the busiest demo mediator at 1 M cases, whose community holds 4,041;
 * PostgreSQL reads the scope but hashes all of the caller's cases first (155 ms). Neither
 * planner can weigh the two, since the statements differ (a set, or a test per case). Both
 * sides are counted up to the count cap in their indexes (at most ~10,000 entries each), and
 * the smaller drives: *plan is then CASE_SCOPE_MINE; where the caller's own cases drive and
 * are fewer than the cap, CASE_MINE_SET (PostgreSQL reads them as a set); else 0. When both
 * reach the cap they are counted once more up to ten times the cap: the bench's
 * registrations had grown that community to 20,846 cases, and with both sides capped the
 * mediator's 177,669 drove (216 ms a page, against ~20 ms through the scope). Only a caller
 * with over 10,000 cases of their own pays the second count.
 */
static store_err scope_drives_mine(struct store_conn *c, int64_t user,
                                   const struct region_scope *sub, int *plan)
{
    struct store_rows *r = NULL;
    int64_t cap = store_case_count_cap() + 1;
    int by_scope;
    store_err e;

    *plan = 0;
    pthread_once(&tuning_once, tuning_read);
    if (mine_plan) {
        *plan = mine_plan > 0 ? CASE_SCOPE_MINE : CASE_MINE_SET;
        return STORE_OK;
    }
    for (int round = 0; round < 2; round++, cap *= 10) {
        int64_t scope, mine;
        e = store_exec(c,
                       "SELECT (SELECT COUNT(*) FROM (SELECT 1 FROM cases"
                       " WHERE region_path >= $1 AND region_path < $2 LIMIT $3) scope),"
                       " (SELECT COUNT(*) FROM (SELECT 1 FROM case_mediators cm JOIN mediators m"
                       " ON m.id = cm.mediator_id WHERE m.user_id = $4 UNION ALL"
                       " SELECT 1 FROM cases WHERE resp_user_id = $4 UNION ALL"
                       " SELECT 1 FROM cases WHERE lead_leader_id = $4 LIMIT $3) mine)",
                       STORE_PARAMS(SP_TEXT(sub->lo), SP_TEXT(sub->hi), SP_INT(cap), SP_INT(user)),
                       &r);
        if (e != STORE_OK)
            break;
        scope = store_rows_int(r, 0, 0);
        mine = store_rows_int(r, 0, 1);
        store_rows_free(r);
        r = NULL;
        by_scope = scope < mine;
        *plan = by_scope ? CASE_SCOPE_MINE : round == 0 && mine < cap ? CASE_MINE_SET : 0;
        if (scope < cap || mine < cap)
            break;
    }
    store_rows_free(r);
    return e;
}

/*
 * The count of "my cases" where the caller's own cases drive (scope_drives_mine did not pick
 * the scope): the filter through each of the three ways a case is the caller's (lead leader,
 * responsible person, mediator), as a union of three arms. The first two read the filter's
 * cases from cases_lead_queue and cases_resp_queue (migration 45: who, queue key, scope), so
 * a leader's open cases are a range of his own. Written as one OR, both backends read every
 * case the caller ever led and tested it: a leader of 132,549 cases counted his 33,267 open
 * ones in 290 ms (SQLite) and 918 ms (PostgreSQL) at 1 M cases.
 *
 * The arms are disjoint (a case the caller leads is counted by the first alone, one they
 * answer for by the second), so the union needs no de-duplication and a capped count stops
 * at the cap: de-duplicated, it read all 132,549 of a leader's cases to count 10,001. Ids
 * are positive, so 0 stands for none. cap > 0 stops the count after cap + 1. The filter must
 * not be a search (the scope range comes first in it).
 */
#define NOT_LEAD " AND COALESCE(k.lead_leader_id, 0) <> $%d"
#define NOT_RESP " AND COALESCE(k.resp_user_id, 0) <> $%d"
static store_err mine_count(struct store_conn *c, const struct store_case_filter *f,
                            const struct region_scope *sub, char overdue[24], int64_t cap,
                            int64_t *n)
{
    struct store_case_filter g = *f;
    struct store_where w;
    struct store_rows *r = NULL;
    char sql[12288], limit[32] = "";
    store_err e;
    int u;

    g.mine = 0;
    case_list_where(c, &g, sub, CASE_COUNT, overdue, NULL, &w);
    if (cap > 0)
        snprintf(limit, sizeof limit, " LIMIT %lld", (long long)cap + 1);
    u = w.nparams + 1;
    if (w.overflow || w.nparams >= STORE_WHERE_MAX_PARAMS ||
        snprintf(sql, sizeof sql,
                 "SELECT COUNT(*) FROM (SELECT k.id FROM cases k%s AND k.lead_leader_id = $%d"
                 " UNION ALL SELECT k.id FROM cases k%s AND k.resp_user_id = $%d" NOT_LEAD
                 " UNION ALL SELECT k.id FROM cases k%s AND k.id IN (SELECT cm.case_id FROM"
                 " case_mediators cm JOIN mediators m ON m.id = cm.mediator_id"
                 " WHERE m.user_id = $%d)" NOT_LEAD NOT_RESP "%s) mine",
                 w.sql, u, w.sql, u, u, w.sql, u, u, u, limit) >= (int)sizeof sql) {
        store_conn_seterr(c, "count query too long");
        return STORE_ERROR;
    }
    w.params[w.nparams] = SP_INT(f->mine);
    e = store_exec(c, sql, u, w.params, &r);
    if (e == STORE_OK)
        *n = store_rows_int(r, 0, 0);
    store_rows_free(r);
    return e;
}

store_err store_case_count(struct store_conn *c, const struct store_actor *a,
                           const struct store_case_filter *f, int64_t *n)
{
    struct region_scope sub;
    struct store_where w;
    struct store_rows *r = NULL;
    char sql[4096], overdue[24], *match = NULL;
    int todo_mine, todo_drives, state_mine, mplan = 0;
    store_err e = list_scope(c, a, f->region_id, &sub);

    if (e == STORE_OK)
        e = search_match(c, f, &sub, &match);
    if (e != STORE_OK)
        return e;
    /* A to-do of my cases (the mediator's workbench): the to-do's own index drives (the
     * scope and "mine" are kept from choosing, as for a page) and each of its cases is
     * tested for being mine. Left to choose, SQLite read all of the caller's cases for the
     * return visits due (issue 12: 5,960 of the 6,559 pages of a mediator's workbench at
     * 20,000 cases). Not for "open" (a leader's 包案): the open cases of the scope are many
     * more than the leader's own. */
    todo_mine = f->mine && (f->state || f->overdue_on || (f->todo && strcmp(f->todo, "open") != 0));
    /* The return visits due: cases_visit_due drives, the scope is tested per case. With the
     * scope's index usable, SQLite read every case row of the scope to find the few closed
     * ones with a visit due (issue 12: 630 ms of a county admin's workbench at 100,000
     * cases, for a count of 0). */
    todo_drives = f->todo && strcmp(f->todo, "visit_due") == 0;
    if (f->mine && !todo_mine && !todo_drives && !match)
        e = scope_drives_mine(c, f->mine, &sub, &mplan);
    if (e != STORE_OK)
        goto out;
    if (f->mine && !todo_mine && !todo_drives && !match && mplan != CASE_SCOPE_MINE) {
        e = mine_count(c, f, &sub, overdue, 0, n);
        goto out;
    }
    /* A state of my cases (sessions due, mediating): cases_state_scope gives the state's cases
     * of the scope as a range (migration 40), each tested for being mine; the range must be
     * left usable, as in a count. The other to-dos keep their own index driving (a range of
     * the scope usable there made SQLite read the scope's every case, as above). */
    state_mine = todo_mine && f->state && !f->overdue_on && !f->todo && !match;
    case_list_where(c, f, &sub,
                    state_mine    ? CASE_COUNT | CASE_WALK_MINE
                    : todo_mine   ? CASE_LIST | CASE_WALK_MINE
                    : todo_drives ? CASE_LIST
                                  : mplan, /* CASE_COUNT with the plan of "mine" */
                    overdue, match, &w);
    if (w.overflow ||
        snprintf(sql, sizeof sql, "SELECT COUNT(*) FROM cases k%s", w.sql) >= (int)sizeof sql) {
        store_conn_seterr(c, "count query too long");
        e = STORE_ERROR;
        goto out;
    }
    e = store_exec(c, sql, w.nparams, w.params, &r);
    if (e == STORE_OK)
        *n = store_rows_int(r, 0, 0);
out:
    store_rows_free(r);
    free(match);
    return e;
}

/*
 * A page of a broad search on PostgreSQL, in queue order: the queue index walked and each
 * case tested for the terms, as SQLite does (CASE_WALK_TERMS), instead of every match read
 * from the GIN index and sorted. Used only when the search has more matches than the count
 * cap, so that the walk finds a page's worth within a few thousand cases. The planner cannot
 * be left to choose: it multiplies the bigrams' frequencies as if independent (the bigrams
 * of one phrase always occur together), expects ~100 matches and reads all of them: 45,712
 * cases and a sort for 20, 277 ms for 噪音扰民 in a county at 1 M cases, against 7.5 ms for
 * the walk (bench/results/2026-12-07-pg-search.md). So, for this one statement, bitmap and
 * sequential scans are off and so is JIT (the walk's cost estimate, sized for the whole
 * index, would compile it: 1.9 s). SET LOCAL lasts to the end of the transaction, so the
 * statement runs in its own, or in a savepoint rolled back after it (a read: nothing is
 * lost), which takes the settings back with it.
 */
static store_err pg_walk_exec(struct store_conn *c, const char *sql, int n,
                              const struct store_param *params, struct store_rows **out)
{
    int outer = store_in_transaction(c);
    store_err e = store_exec(c, outer ? "SAVEPOINT walk" : "BEGIN", 0, NULL, NULL), undo;

    if (e != STORE_OK)
        return e;
    e = store_exec(c,
                   "SELECT set_config('enable_bitmapscan', 'off', true),"
                   " set_config('enable_seqscan', 'off', true), set_config('jit', 'off', true)",
                   0, NULL, NULL);
    if (e == STORE_OK)
        e = store_exec(c, sql, n, params, out);
    undo = store_exec(c, outer ? "ROLLBACK TO SAVEPOINT walk" : "ROLLBACK", 0, NULL, NULL);
    if (outer && undo == STORE_OK)
        undo = store_exec(c, "RELEASE SAVEPOINT walk", 0, NULL, NULL);
    if (e == STORE_OK && undo != STORE_OK) {
        store_rows_free(*out);
        *out = NULL;
        e = undo;
    }
    return e;
}

/* A page of the register: the first per_page cases after (after_key, after_id) in queue
 * order when a cursor is given (the range on queue_key keeps the read in cases_queue from
 * the cursor on, so a deep page costs what the first does), else the page'th page by
 * OFFSET (bounded by the API). `total` is the count of the whole filter, capped
 * (case_count_capped). */
static store_err case_page(struct store_conn *c, const struct store_case_filter *f, int64_t total,
                           struct store_where *list, const struct store_page *pg,
                           struct store_rows **out)
{
    struct store_param all[STORE_WHERE_MAX_PARAMS + 2];
    char list_sql[8192];
    int64_t per = pg->per_page < 1 ? 50 : pg->per_page > 500 ? 500 : pg->per_page;
    int64_t page = pg->page < 1 || f->after_id ? 1 : pg->page;
    store_err e;

    *out = NULL;
    if (f->after_id)
        store_where_add(
            list, "k.queue_key >= ? AND (k.queue_key > ? OR k.id > ?)",
            STORE_PARAMS(SP_TEXT(f->after_key), SP_TEXT(f->after_key), SP_INT(f->after_id)));
    /* A page past the first (page=, bounded by the API) skips its OFFSET in a subquery of ids
     * alone: the queue index is walked without reading the skipped cases' rows and joining
     * their region and unit, which the plain form did for every skipped case (issue 12: page
     * 500 of the register read 9,980 rows for 20, 130 ms against 17 ms at 100,000 cases). */
    /* The return visits due are a few closed cases at the tail of the queue: with the order
     * left to the queue index (and the LIMIT a parameter), SQLite walked cases_queue from the
     * head and read every case row before them (a county at 1 M cases: 2.4 s for a page of
     * none). Ordered by an expression, the page is read from cases_visit_due and sorted. */
    const char *order = f->todo && strcmp(f->todo, "visit_due") == 0
                            ? store_dialect(c, "+k.queue_key, k.id", "k.queue_key, k.id")
                            : "k.queue_key, k.id";
    if (list->overflow ||
        snprintf(list_sql, sizeof list_sql,
                 page > 1 ? "%s WHERE k.id IN (SELECT k.id FROM cases k%s ORDER BY %s"
                            " LIMIT $%d OFFSET $%d) ORDER BY k.queue_key, k.id"
                          : "%s%s ORDER BY %s LIMIT $%d OFFSET $%d",
                 CASE_COLS, list->sql, order, list->nparams + 1,
                 list->nparams + 2) >= (int)sizeof list_sql) {
        store_conn_seterr(c, "list query too long");
        return STORE_ERROR;
    }
    memcpy(all, list->params, (size_t)list->nparams * sizeof *all);
    all[list->nparams] = SP_INT(per);
    all[list->nparams + 1] = SP_INT((page - 1) * per);
    if (f->terms && total > count_cap && store_conn_kind(c) == STORE_PG)
        e = pg_walk_exec(c, list_sql, list->nparams + 2, all, out);
    else
        e = store_exec(c, list_sql, list->nparams + 2, all, out);
    if (e == STORE_OK) {
        (*out)->total = total;
        (*out)->types = CASE_TYPES;
    }
    return e;
}

store_err store_case_list(struct store_conn *c, const struct store_actor *a,
                          const struct store_case_filter *f, const struct store_page *pg,
                          struct store_rows **out)
{
    struct region_scope sub;
    struct store_where count, list;
    char overdue[24], *match = NULL;
    int64_t total = 0;
    int mplan = 0; /* scope_drives_mine's plan for "mine" */
    store_err e = list_scope(c, a, f->region_id, &sub);

    if (e == STORE_OK)
        e = search_match(c, f, &sub, &match);
    if (e != STORE_OK)
        return e;
    if (match && terms_only(f)) {
        e = search_count_capped(c, match, &total);
    } else {
        if (f->mine && !match)
            e = scope_drives_mine(c, f->mine, &sub, &mplan);
        if (e == STORE_OK && f->mine && !match && mplan != CASE_SCOPE_MINE) {
            e = mine_count(c, f, &sub, overdue, store_case_count_cap(), &total);
        } else if (e == STORE_OK) {
            case_list_where(c, f, &sub, CASE_COUNT | mplan, overdue, match, &count);
            e = case_count_capped(c, &count, &total);
        }
    }
    if (e == STORE_OK) {
        /* Many of mine: the queue walked in order; few: found as the count found them. */
        case_list_where(c, f, &sub,
                        CASE_LIST | (f->mine && total >= mine_walk ? CASE_WALK_MINE : mplan) |
                            (f->terms && total > count_cap ? CASE_WALK_TERMS : 0),
                        overdue, match, &list);
        e = case_page(c, f, total, &list, pg, out);
    }
    free(match);
    return e;
}

store_err store_case_queue_key(struct store_conn *c, int64_t id, char key[64])
{
    struct store_rows *r = NULL;
    store_err e = store_one(c, "SELECT queue_key FROM cases WHERE id = $1",
                            STORE_PARAMS(SP_INT(id)), "t", "id", &r);

    if (e == STORE_OK)
        snprintf(key, 64, "%s", store_rows_get(r, 0, 0) ? store_rows_get(r, 0, 0) : "");
    store_rows_free(r);
    return e;
}

store_err store_case_ledger_page(struct store_conn *c, const struct store_actor *a,
                                 const struct store_case_filter *f, int64_t after, int limit,
                                 struct store_rows **out)
{
    struct region_scope sub;
    struct store_where w;
    char sql[4096], overdue[24], *match = NULL;
    store_err e = list_scope(c, a, f->region_id, &sub);

    if (e == STORE_OK)
        e = search_match(c, f, &sub, &match);
    if (e != STORE_OK)
        return e;
    case_list_where(c, f, &sub, CASE_COUNT, overdue, match, &w);
    store_where_add(&w, "k.id > ?", STORE_PARAMS(SP_INT(after)));
    if (w.overflow || snprintf(sql, sizeof sql, "%s%s ORDER BY k.id LIMIT %d", CASE_COLS, w.sql,
                               limit) >= (int)sizeof sql) {
        store_conn_seterr(c, "ledger query too long");
        free(match);
        return STORE_ERROR;
    }
    e = store_exec(c, sql, w.nparams, w.params, out);
    if (e == STORE_OK)
        (*out)->types = CASE_TYPES;
    free(match);
    return e;
}

store_err store_case_ledger_parties(struct store_conn *c, int64_t lo, int64_t hi,
                                    struct store_rows **out)
{
    return store_exec(c,
                      "SELECT case_id, role, name, phone_sealed FROM case_parties"
                      " WHERE case_id > $1 AND case_id <= $2 ORDER BY case_id, id",
                      STORE_PARAMS(SP_INT(lo), SP_INT(hi)), out);
}

store_err store_case_ledger_mediators(struct store_conn *c, int64_t lo, int64_t hi,
                                      struct store_rows **out)
{
    return store_exec(c,
                      "SELECT cm.case_id, m.name FROM case_mediators cm"
                      " JOIN mediators m ON m.id = cm.mediator_id"
                      " WHERE cm.case_id > $1 AND cm.case_id <= $2 ORDER BY cm.case_id, m.id",
                      STORE_PARAMS(SP_INT(lo), SP_INT(hi)), out);
}

store_err store_case_ledger_events(struct store_conn *c, int64_t lo, int64_t hi,
                                   struct store_rows **out)
{
    return store_exec(c,
                      "SELECT case_id, action, at FROM case_events"
                      " WHERE case_id > $1 AND case_id <= $2 AND action IN ('agree', 'fail',"
                      " 'withdraw', 'reject', 'refer', 'close', 'reopen') ORDER BY case_id, id",
                      STORE_PARAMS(SP_INT(lo), SP_INT(hi)), out);
}

store_err store_case_links(struct store_conn *c, const struct store_actor *a, int64_t id,
                           struct store_rows **out)
{
    store_err e =
        store_exec(c,
                   /* Two index-bound halves (issue 12): a join on "related_to OR id" let
                    * the planner read the caller's whole scope by region path instead.
                    * The case this one points to (primary key), then the cases pointing
                    * to it (cases_related); a mutual link is listed once, as 'to'. */
                   "SELECT k.id, k.number, k.state, k.category, k.received_at, 'to' AS direction"
                   " FROM cases m JOIN cases k ON k.id = m.related_to"
                   " WHERE m.id = $1 AND k.region_path >= $2 AND k.region_path < $3"
                   " UNION ALL"
                   " SELECT k.id, k.number, k.state, k.category, k.received_at, 'from'"
                   " FROM cases k WHERE k.related_to = $1 AND k.region_path >= $2"
                   " AND k.region_path < $3 AND k.id NOT IN (SELECT m.related_to FROM cases m"
                   " WHERE m.id = $1 AND m.related_to IS NOT NULL) ORDER BY 1",
                   STORE_PARAMS(SP_INT(id), SP_TEXT(a->scope.lo), SP_TEXT(a->scope.hi)), out);
    if (e == STORE_OK)
        (*out)->types = "itttst";
    return e;
}

store_err store_case_events(struct store_conn *c, int64_t case_id, int public_only,
                            struct store_rows **out)
{
    store_err e = store_exec(c,
                             "SELECT e.id, e.at, e.actor_id, e.actor_login, e.action, e.from_state,"
                             " e.to_state, e.data, e.public, u.name AS actor_name"
                             " FROM case_events e LEFT JOIN users u ON u.id = e.actor_id"
                             " WHERE e.case_id = $1 AND (e.public = 1 OR $2 = 0) ORDER BY e.id",
                             STORE_PARAMS(SP_INT(case_id), SP_INT(public_only)), out);
    if (e == STORE_OK)
        (*out)->types = "isittttjbt";
    return e;
}

store_err store_party_lookup(struct store_conn *c, const struct store_actor *a,
                             const char *id_index, const char *phone_index, const char *id_other,
                             const char *phone_other, struct store_rows **out)
{
    store_err e = store_exec(
        c,
        "SELECT p.name, p.kind, p.phone_sealed, p.address_sealed, p.role, k.id AS case_id,"
        " k.number, k.state, k.category, k.received_at FROM case_parties p"
        " JOIN cases k ON k.id = p.case_id"
        " WHERE (p.id_index IN ($3, $5) OR p.phone_index IN ($4, $6))"
        " AND k.region_path >= $1 AND k.region_path < $2 ORDER BY k.id DESC LIMIT 20",
        STORE_PARAMS(SP_TEXT(a->scope.lo), SP_TEXT(a->scope.hi), SP_TEXT(id_index),
                     SP_TEXT(phone_index), SP_TEXT(id_other), SP_TEXT(phone_other)),
        out);
    if (e == STORE_OK)
        (*out)->types = "tttttittts";
    return e;
}

store_err store_case_related(struct store_conn *c, const struct store_actor *a,
                             const char *id_index, const char *phone_index, const char *id_other,
                             const char *phone_other, const char *category, int64_t since_ms,
                             struct store_rows **out)
{
    store_err e =
        store_exec(c,
                   "SELECT DISTINCT k.id, k.number, k.state, k.category, k.received_at FROM cases k"
                   " JOIN case_parties p ON p.case_id = k.id"
                   " WHERE k.region_path >= $1 AND k.region_path < $2 AND k.received_at >= $3"
                   " AND k.state NOT IN ('closed', 'archived')"
                   " AND (p.id_index IN ($4, $7) OR p.phone_index IN ($5, $8))"
                   " AND (CAST($6 AS TEXT) IS NULL OR k.category = $6) ORDER BY k.id DESC LIMIT 20",
                   STORE_PARAMS(SP_TEXT(a->scope.lo), SP_TEXT(a->scope.hi), SP_INT(since_ms),
                                SP_TEXT(id_index), SP_TEXT(phone_index), SP_TEXT(category),
                                SP_TEXT(id_other), SP_TEXT(phone_other)),
                   out);
    if (e == STORE_OK)
        (*out)->types = "ittts";
    return e;
}

/*
 * A case handed to another unit (escalation, re-routing) leaves its former handlers: the
 * mediators, invited experts and responsible person are cleared, and the unit that takes
 * it assigns its own (四定三包). Who they were stays in the timeline's assign events. The
 * responsible unit becomes `org`, or none when there is no unit to take it (a township
 * without a centre or committee): the former unit must not keep a case it let go.
 */
static store_err release_handlers(struct store_conn *c, int64_t id, int64_t org)
{
    store_err e = store_exec(c,
                             "UPDATE cases SET mediator_ids = '[]', expert_ids = '[]',"
                             " resp_user_id = NULL, resp_org_id = $2 WHERE id = $1",
                             STORE_PARAMS(SP_INT(id), org ? SP_INT(org) : SP_NULL), NULL);
    if (e == STORE_OK)
        e = store_exec(c, "DELETE FROM case_mediators WHERE case_id = $1", STORE_PARAMS(SP_INT(id)),
                       NULL);
    return e;
}

store_err store_case_apply(struct store_conn *c, const struct store_actor *a, int64_t id,
                           const struct store_case_change *ch)
{
    struct store_rows *r = NULL;
    int64_t now = store_now_ms();
    store_err e = store_begin(c, 1);

    if (e != STORE_OK)
        return e;
    e = store_exec(
        c,
        "UPDATE cases SET state = $3, level = COALESCE($4, level), routing = COALESCE($5,"
        " routing), method = COALESCE($6, method), due_date = COALESCE($7, due_date),"
        " lead_leader = COALESCE($8, lead_leader), time_limit_kind = COALESCE($9,"
        " time_limit_kind), mediator_ids = COALESCE($10, mediator_ids), expert_ids ="
        " COALESCE($11, expert_ids), resume_state = CASE WHEN CAST($12 AS TEXT) IS NULL THEN"
        " resume_state WHEN $12 = '' THEN NULL ELSE $12 END, time_limit_days ="
        " COALESCE($13, time_limit_days), resp_org_id = COALESCE($14, resp_org_id),"
        " resp_user_id = COALESCE($15, resp_user_id), sessions_at_level = CASE"
        " WHEN $16 = -1 THEN sessions_at_level WHEN $16 = -2 THEN sessions_at_level + 1"
        " ELSE $16 END, failure_reviewed = CASE WHEN $17 = -1 THEN failure_reviewed ELSE $17"
        " END, feedback_recorded = CASE WHEN $18 = -1 THEN feedback_recorded ELSE $18 END,"
        " urgent = CASE WHEN $19 = -1 THEN urgent ELSE $19 END, updated_at = $20,"
        " visit_due = CASE WHEN CAST($21 AS TEXT) IS NULL THEN visit_due WHEN $21 = '' THEN NULL"
        " ELSE $21 END, extended = CASE WHEN $22 = 1 THEN 1 ELSE extended END,"
        " related_to = COALESCE($23, related_to), lead_leader_id = COALESCE($24,"
        " lead_leader_id) WHERE id = $1 AND state = $2 RETURNING id",
        STORE_PARAMS(SP_INT(id), SP_TEXT(ch->from_state), SP_TEXT(ch->to_state), SP_TEXT(ch->level),
                     SP_TEXT(ch->routing), SP_TEXT(ch->method), SP_TEXT(ch->due_date),
                     SP_TEXT(ch->lead_leader), SP_TEXT(ch->time_limit_kind),
                     SP_TEXT(ch->mediator_ids), SP_TEXT(ch->expert_ids), SP_TEXT(ch->resume_state),
                     ch->time_limit_days ? SP_INT(ch->time_limit_days) : SP_NULL,
                     ch->resp_org_id ? SP_INT(ch->resp_org_id) : SP_NULL,
                     ch->resp_user_id ? SP_INT(ch->resp_user_id) : SP_NULL, SP_INT(ch->sessions),
                     SP_INT(ch->failure_reviewed), SP_INT(ch->feedback_recorded),
                     SP_INT(ch->urgent), SP_INT(now), SP_TEXT(ch->visit_due), SP_INT(ch->extended),
                     ch->related_to ? SP_INT(ch->related_to) : SP_NULL,
                     ch->lead_leader_id ? SP_INT(ch->lead_leader_id) : SP_NULL),
        &r);
    if (e == STORE_OK && r->nrows == 0) {
        (void)store_conn_invalid(c, "action", "conflict",
                                 "the case changed meanwhile; reload it and try again");
        e = STORE_CONFLICT;
    }
    if (e == STORE_OK && ch->release)
        e = release_handlers(c, id, ch->resp_org_id);
    if (e == STORE_OK && ch->mediator_ids)
        e = index_mediators(c, id, ch->mediator_ids, 1);
    if (e == STORE_OK && ch->routing)
        e = store_exec(c,
                       "INSERT INTO case_routings (case_id, at, action, level, resp_org_id,"
                       " reason, explanation) SELECT id, $2, $3, level, resp_org_id, $4, $5"
                       " FROM cases WHERE id = $1",
                       STORE_PARAMS(SP_INT(id), SP_INT(now), SP_TEXT(ch->action),
                                    SP_TEXT(ch->routing_reason), SP_TEXT(ch->routing)),
                       NULL);
    if (e == STORE_OK && ch->session)
        e = store_exec(c,
                       "INSERT INTO case_sessions (case_id, level, held_at, place, participants,"
                       " record, next_step, mediator_user_id, created_at, online)"
                       " SELECT $1, level, $2, $3, $4, $5, $6, $7, $8, $9 FROM cases WHERE id = $1",
                       STORE_PARAMS(SP_INT(id), SP_TEXT(ch->session->held_at),
                                    SP_TEXT(ch->session->place), SP_TEXT(ch->session->participants),
                                    SP_TEXT(ch->session->record), SP_TEXT(ch->session->next_step),
                                    a->user_id ? SP_INT(a->user_id) : SP_NULL, SP_INT(now),
                                    SP_INT(ch->session->online)),
                       NULL);
    for (int i = 0; e == STORE_OK && i < ch->ninstalments; i++)
        e = store_exec(c,
                       "INSERT INTO agreement_instalments (case_id, seq, due_date, amount, status)"
                       " VALUES ($1, $2, $3, $4, 'pending')",
                       STORE_PARAMS(SP_INT(id), SP_INT(i + 1), SP_TEXT(ch->instalments[i].due_date),
                                    SP_INT(ch->instalments[i].amount)),
                       NULL);
    if (e == STORE_OK)
        e = store_exec(
            c,
            "INSERT INTO case_events (case_id, at, actor_id, actor_login, action,"
            " from_state, to_state, data, public)"
            " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
            STORE_PARAMS(SP_INT(id), SP_INT(now), a->user_id ? SP_INT(a->user_id) : SP_NULL,
                         SP_TEXT(a->login[0] ? a->login : NULL), SP_TEXT(ch->action),
                         SP_TEXT(ch->from_state), SP_TEXT(ch->to_state),
                         SP_TEXT(ch->event_data ? ch->event_data : "{}"), SP_INT(ch->public_event)),
            NULL);
    if (e == STORE_OK)
        e = store_audit_append(c, a, ch->action, "case", id, "state", ch->to_state);
    store_rows_free(r);
    return store_end(c, e);
}

/* The candidates of a number a citizen typed (core/casenum.h), as one IN list. */
#define PUBLIC_NUMBER_IN "k.number IN ($1, $2, $3, $4, $5)"
#define PUBLIC_NUMBER_PARAMS(v)                                                                    \
    SP_TEXT((v)[0]), SP_TEXT((v)[1]), SP_TEXT((v)[2]), SP_TEXT((v)[3]), SP_TEXT((v)[4])

store_err store_case_public(struct store_conn *c, const char *const numbers[CASENUM_VARIANTS],
                            const char *access_digest, struct store_rows **out)
{
    /* The responsible unit, never a person: the citizen deals with the centre. */
    return store_one(c,
                     "SELECT k.id, k.number, k.state, k.category, k.channel, r.name AS"
                     " region_name, k.received_at, k.due_date, o.name AS resp_org_name"
                     " FROM cases k JOIN regions r ON r.id = k.region_id"
                     " LEFT JOIN organizations o ON o.id = k.resp_org_id"
                     " WHERE " PUBLIC_NUMBER_IN " AND k.access_digest = $6",
                     STORE_PARAMS(PUBLIC_NUMBER_PARAMS(numbers), SP_TEXT(access_digest)),
                     "itttttstt", "case", out);
}

store_err store_case_recover(struct store_conn *c, const struct store_actor *a,
                             const char *const numbers[CASENUM_VARIANTS],
                             const char *const phone_index[2], const char *const id_index[2],
                             const char *access_digest, char *number_out, size_t numberlen)
{
    struct store_rows *r = NULL;
    int64_t id;
    store_err e = store_begin(c, 1);

    if (e != STORE_OK)
        return e;
    /* Both must be one applicant's: a phone of one and the ID number of another is no
     * proof. Cases registered at the desk have no code to replace. */
    e = store_exec(
        c,
        "SELECT k.id, k.number FROM cases k JOIN case_parties p ON p.case_id = k.id"
        " WHERE " PUBLIC_NUMBER_IN " AND k.access_digest IS NOT NULL"
        " AND p.role = 'applicant' AND p.phone_index IN ($6, $8) AND p.id_index IN ($7, $9)"
        " LIMIT 1",
        STORE_PARAMS(PUBLIC_NUMBER_PARAMS(numbers), SP_TEXT(phone_index[0]), SP_TEXT(id_index[0]),
                     SP_TEXT(phone_index[1]), SP_TEXT(id_index[1])),
        &r);
    if (e == STORE_OK && r->nrows == 0) {
        store_conn_seterr(c, "case not found");
        e = STORE_NOT_FOUND;
    }
    if (e != STORE_OK)
        goto out;
    id = store_rows_int(r, 0, 0);
    snprintf(number_out, numberlen, "%s", store_rows_get(r, 0, 1));
    e = store_exec(c, "UPDATE cases SET access_digest = $2 WHERE id = $1",
                   STORE_PARAMS(SP_INT(id), SP_TEXT(access_digest)), NULL);
    if (e == STORE_OK)
        e = note_event(c, a, id, "access_code_reissued", "{}", 0);
    if (e == STORE_OK)
        e = store_audit_append(c, a, "reissue_access_code", "case", id, "access_digest", NULL);
out:
    store_rows_free(r);
    return store_end(c, e);
}

store_err store_case_note(struct store_conn *c, const struct store_actor *a, int64_t id,
                          const char *action, const char *data, int public_event)
{
    store_err e = store_begin(c, 1);

    if (e != STORE_OK)
        return e;
    e = note_event(c, a, id, action, data, public_event);
    if (e == STORE_OK)
        e = store_audit_append(c, a, action, "case", id, NULL, NULL);
    return store_end(c, e);
}

store_err store_public_request(struct store_conn *c, const char *kind, const char *ip,
                               const char *phone_index)
{
    return store_exec(
        c,
        "INSERT INTO public_requests (at, kind, ip, phone_index)"
        " VALUES ($1, $2, $3, $4)",
        STORE_PARAMS(SP_INT(store_now_ms()), SP_TEXT(kind), SP_TEXT(ip), SP_TEXT(phone_index)),
        NULL);
}

store_err store_public_tries(struct store_conn *c, const char *kind, const char *ip, int64_t since,
                             int64_t *n, int64_t *last)
{
    struct store_rows *r = NULL;
    store_err e = store_exec(c,
                             "SELECT COUNT(*), MAX(at) FROM public_requests"
                             " WHERE kind = $1 AND ip = $2 AND at >= $3",
                             STORE_PARAMS(SP_TEXT(kind), SP_TEXT(ip), SP_INT(since)), &r);

    if (e == STORE_OK) {
        *n = store_rows_int(r, 0, 0);
        *last = store_rows_int(r, 0, 1);
    }
    store_rows_free(r);
    return e;
}

store_err store_public_count(struct store_conn *c, const char *kind, const char *ip,
                             const char *phone_index, const char *phone_other, int64_t since,
                             int64_t *by_ip, int64_t *by_phone)
{
    struct store_rows *r = NULL;
    store_err e = store_exec(
        c,
        "SELECT (SELECT COUNT(*) FROM public_requests WHERE kind = $1 AND ip = $2 AND at >= $4),"
        " (SELECT COUNT(*) FROM public_requests WHERE kind = $1 AND phone_index IN ($3, $5)"
        " AND at >= $4)",
        STORE_PARAMS(SP_TEXT(kind), SP_TEXT(ip), SP_TEXT(phone_index), SP_INT(since),
                     SP_TEXT(phone_other ? phone_other : phone_index)),
        &r);
    if (e == STORE_OK) {
        *by_ip = store_rows_int(r, 0, 0);
        *by_phone = store_rows_int(r, 0, 1);
    }
    store_rows_free(r);
    return e;
}

store_err store_cases_due(struct store_conn *c, const char *until, struct store_rows **out)
{
    return store_exec(c,
                      "SELECT id, due_date FROM cases WHERE due_date IS NOT NULL AND due_date <= $1"
                      " AND state IN ('accepted', 'assigned', 'mediating', 'referred')"
                      " ORDER BY id",
                      STORE_PARAMS(SP_TEXT(until)), out);
}

store_err store_warning_raise(struct store_conn *c, int64_t case_id, const char *kind,
                              const char *due_date, int *created)
{
    struct store_rows *r = NULL;
    char data[96];
    store_err e = store_begin(c, 1);

    *created = 0;
    if (e != STORE_OK)
        return e;
    e = store_exec(
        c,
        "INSERT INTO case_warnings (case_id, kind, due_date, created_at, region_path)"
        " SELECT $1, $2, $3, $4, region_path FROM cases WHERE id = $1"
        " ON CONFLICT (case_id, kind, due_date) DO NOTHING RETURNING id",
        STORE_PARAMS(SP_INT(case_id), SP_TEXT(kind), SP_TEXT(due_date), SP_INT(store_now_ms())),
        &r);
    if (e == STORE_OK && r->nrows > 0) {
        *created = 1;
        snprintf(data, sizeof data, "{\"kind\":\"%s\",\"due_date\":\"%s\"}", kind, due_date);
        e = store_exec(c,
                       "INSERT INTO case_events (case_id, at, actor_id, actor_login, action,"
                       " from_state, to_state, data, public)"
                       " SELECT id, $2, NULL, 'scheduler', 'deadline_warning', state, state, $3, 0"
                       " FROM cases WHERE id = $1",
                       STORE_PARAMS(SP_INT(case_id), SP_INT(store_now_ms()), SP_TEXT(data)), NULL);
    }
    store_rows_free(r);
    return store_end(c, e);
}

/*
 * The supervision board lists each case once, with its most severe warning: due before
 * approaching before a return visit, the newest of a kind first. A warning is listed when
 * it is its case's top one; the correlated look-up reads the case's few warnings through
 * the UNIQUE (case_id, kind, due_date) index. The scope is the warning's own region path
 * (migration 38), so the board reads the scope's warnings, not its cases. With a kind
 * filter, each case appears with its newest warning of that kind.
 */
#define WARN_RANK "CASE x.kind WHEN 'due' THEN 0 WHEN 'approaching' THEN 1 ELSE 2 END"
#define WARN_WHERE                                                                                 \
    " FROM case_warnings w JOIN cases k ON k.id = w.case_id"                                       \
    " LEFT JOIN organizations o ON o.id = k.resp_org_id"                                           \
    " WHERE w.region_path >= $1 AND w.region_path < $2"                                            \
    " AND (CAST($3 AS TEXT) IS NULL OR w.kind = $3)"                                               \
    " AND w.id = (SELECT x.id FROM case_warnings x WHERE x.case_id = w.case_id"                    \
    " AND (CAST($3 AS TEXT) IS NULL OR x.kind = $3) ORDER BY " WARN_RANK ", x.id DESC LIMIT 1)"

/* The same listing with the scope kept from choosing the index (SQLite): the warnings are
 * then walked newest first by id, each tested for the scope and for being its case's top. */
#define WARN_WHERE_WALK                                                                            \
    " FROM case_warnings w JOIN cases k ON k.id = w.case_id"                                       \
    " LEFT JOIN organizations o ON o.id = k.resp_org_id"                                           \
    " WHERE +w.region_path >= $1 AND +w.region_path < $2"                                          \
    " AND (CAST($3 AS TEXT) IS NULL OR w.kind = $3)"                                               \
    " AND w.id = (SELECT x.id FROM case_warnings x WHERE x.case_id = w.case_id"                    \
    " AND (CAST($3 AS TEXT) IS NULL OR x.kind = $3) ORDER BY " WARN_RANK ", x.id DESC LIMIT 1)"
#define WARN_COLS                                                                                  \
    "SELECT w.id, w.case_id, k.number, w.kind, w.due_date, k.state, k.level,"                      \
    " o.name AS resp_org_name, w.created_at"

/*
 * Issue 12: a county's board at 1 M cases (43,648 cases warned, 69,505 warnings) joined
 * every warning to its case and looked up its case's top warning, to count them (364 ms)
 * and again to sort them for a page (295 ms). A case's warnings all carry its region path,
 * so every case warned in the scope has its top warning in the scope: the count is of the
 * distinct cases, read from case_warnings_board alone (migration 43). Where they are many
 * (at least the count cap), the page walks the warnings newest first instead of sorting.
 */
store_err store_warning_list(struct store_conn *c, const struct store_actor *a, const char *kind,
                             const struct store_page *pg, struct store_rows **out)
{
    return store_paged_by_count(
        c,
        "SELECT COUNT(DISTINCT w.case_id) FROM case_warnings w"
        " WHERE w.region_path >= $1 AND w.region_path < $2"
        " AND (CAST($3 AS TEXT) IS NULL OR w.kind = $3)",
        WARN_COLS WARN_WHERE " ORDER BY w.id DESC LIMIT $4 OFFSET $5",
        store_dialect(c, WARN_COLS WARN_WHERE_WALK " ORDER BY w.id DESC LIMIT $4 OFFSET $5",
                      WARN_COLS WARN_WHERE " ORDER BY w.id DESC LIMIT $4 OFFSET $5"),
        store_case_count_cap() + 1,
        STORE_PARAMS(SP_TEXT(a->scope.lo), SP_TEXT(a->scope.hi), SP_TEXT(kind)), pg, "iitttttts",
        out);
}

store_err store_case_reserve(struct store_conn *c, int64_t county_id, int year, int64_t n,
                             int64_t *first)
{
    struct store_rows *r = NULL;
    store_err e = store_exec(c,
                             "INSERT INTO case_counters (county_id, year, last) VALUES ($1, $2, $3)"
                             " ON CONFLICT (county_id, year) DO UPDATE"
                             " SET last = case_counters.last + $3 RETURNING last",
                             STORE_PARAMS(SP_INT(county_id), SP_INT(year), SP_INT(n)), &r);
    if (e == STORE_OK)
        *first = store_rows_int(r, 0, 0) - n + 1;
    store_rows_free(r);
    return e;
}

#define CASE_RAW_COLS                                                                              \
    "number, channel, state, category, complexity, facts, claims, cause,"                          \
    " region_id, region_path, occurred_on, people, amount, key_persons, forecast, urgent,"         \
    " level, method, time_limit_days, time_limit_kind, due_date, lead_leader, resp_org_id,"        \
    " mediator_ids, expert_ids, sessions_at_level, failure_reviewed, feedback_recorded,"           \
    " received_at, created_at, updated_at, risk, risk_reasons, lead_leader_id"
#define CASE_RAW_VALUES                                                                            \
    "$1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20,"   \
    " $21, $22, $23, $24, '[]', $25, 0, 0, $26, $26, $26, $27, $28, $29"

store_err store_case_insert_raw(struct store_conn *c, const struct store_case_raw *r, int64_t *idp)
{
    const struct store_case_in *in = &r->in;
    struct store_rows *ins = NULL;
    int64_t id, at = r->received_at;
    const char *prev = "registered";
    char why[256];
    store_err e;

    e = store_exec(
        c,
        store_dialect(c,
                      "INSERT INTO cases (id, " CASE_RAW_COLS
                      ") VALUES (" CASE_ID_SQLITE("$30") ", " CASE_RAW_VALUES ") RETURNING id",
                      "INSERT INTO cases (id, " CASE_RAW_COLS
                      ") VALUES (" CASE_ID_PG("$30") ", " CASE_RAW_VALUES ") RETURNING id"),
        STORE_PARAMS(
            SP_TEXT(r->number), SP_TEXT(in->channel), SP_TEXT(r->state), SP_TEXT(in->category),
            SP_TEXT(in->complexity), SP_TEXT(in->facts), SP_TEXT(in->claims), SP_TEXT(in->cause),
            SP_INT(in->region_id), SP_TEXT(r->region_path), SP_TEXT(in->occurred_on),
            in->has_people ? SP_INT(in->people) : SP_NULL,
            in->has_amount ? SP_INT(in->amount) : SP_NULL, SP_INT(in->key_persons),
            SP_TEXT(in->forecast), SP_INT(in->urgent), SP_TEXT(r->level), SP_TEXT(r->method),
            r->time_limit_days ? SP_INT(r->time_limit_days) : SP_NULL, SP_TEXT(r->time_limit_kind),
            SP_TEXT(r->due_date), SP_TEXT(r->lead_leader),
            r->resp_org_id ? SP_INT(r->resp_org_id) : SP_NULL,
            SP_TEXT(r->mediator_ids ? r->mediator_ids : "[]"), SP_INT(r->sessions),
            SP_INT(r->received_at), SP_TEXT(intake_risk(in, why, sizeof why)),
            SP_TEXT(why[0] ? why : NULL), r->lead_leader_id ? SP_INT(r->lead_leader_id) : SP_NULL,
            /* A load (the demo, an older register) keeps each case in its received year. */
            SP_INT(store_case_year_of(r->received_at))),
        &ins);
    if (e != STORE_OK)
        goto out;
    id = store_rows_int(ins, 0, 0);
    *idp = id;
    if (r->mediator_ids)
        e = index_mediators(c, id, r->mediator_ids, 0);
    if (e == STORE_OK)
        e = insert_parties_and_terms(c, id, r->number, in);
    /* The timeline: registration, then each step a day or two apart. */
    for (int i = -1; e == STORE_OK && (i < 0 || r->actions[i]); i++) {
        const char *action = i < 0 ? "register" : r->actions[i];
        const char *to = i < 0 ? "registered" : r->states[i];
        e = store_exec(c,
                       "INSERT INTO case_events (case_id, at, actor_id, actor_login, action,"
                       " from_state, to_state, data, public)"
                       " VALUES ($1, $2, NULL, 'demo', $3, $4, $5, '{}', 1)",
                       STORE_PARAMS(SP_INT(id), SP_INT(at), SP_TEXT(action),
                                    SP_TEXT(i < 0 ? NULL : prev), SP_TEXT(to)),
                       NULL);
        prev = to;
        at += 36LL * 3600 * 1000;
    }
out:
    store_rows_free(ins);
    return e;
}

/* ---- bulk loading on PostgreSQL: the rows of store_case_insert_raw by COPY ---- */

/* Bulk loading keeps its buffers between batches. */
struct raw_copy {
    struct store_copybuf cases, parties, events, meds;
};

static void raw_copy_free(struct raw_copy *b)
{
    store_copybuf_free(&b->cases);
    store_copybuf_free(&b->parties);
    store_copybuf_free(&b->events);
    store_copybuf_free(&b->meds);
}

/* The search_terms array as CASE_SEARCH_WRITE_PG writes it: string_to_array(terms, ' ')
 * (split at each space, empty elements kept, '' giving none) then the scope tokens of
 * CASE_SCOPE_TOKENS_PG, as an array literal with every element quoted. */
static char *terms_array(const char *terms, const char *path)
{
    size_t tl = terms ? strlen(terms) : 0, pl = path ? strlen(path) : 0;
    char *out = malloc(tl * 2 + pl * 4 + 16), *o = out;
    const char *lo = path ? path : "", *hi = lo + pl;

    if (!out)
        return NULL;
    *o++ = '{';
    for (const char *t = terms; t && *terms;) {
        *o++ = '"';
        for (; *t && *t != ' '; t++) {
            if (*t == '"' || *t == '\\')
                *o++ = '\\';
            *o++ = *t;
        }
        *o++ = '"';
        *o++ = ',';
        if (!*t)
            break;
        t++;
    }
    /* trim(both '/' from path), then one token r:<segment> per segment. */
    while (lo < hi && *lo == '/')
        lo++;
    while (hi > lo && hi[-1] == '/')
        hi--;
    *o++ = '"';
    *o++ = 'r';
    *o++ = ':';
    for (const char *p = lo; p < hi; p++) {
        if (*p == '/') {
            memcpy(o, "\",\"r:", 5);
            o += 5;
        } else {
            if (*p == '"' || *p == '\\')
                *o++ = '\\';
            *o++ = *p;
        }
    }
    *o++ = '"';
    *o++ = '}';
    *o = '\0';
    return out;
}

/* One case's row of cases, in the columns of CASE_RAW_COLS and the values of
 * CASE_RAW_VALUES, with its search terms in the row (not by a second write). */
static int copy_case_row(struct store_copybuf *b, int64_t id, const struct store_case_raw *r)
{
    const struct store_case_in *in = &r->in;
    char why[256], *terms = case_search_terms(in->search_terms, r->number), *arr;
    const char *risk = intake_risk(in, why, sizeof why);

    arr = terms ? terms_array(terms, r->region_path) : NULL;
    free(terms);
    if (!arr)
        return -1;
    store_copybuf_int(b, id);
    store_copybuf_text(b, r->number);
    store_copybuf_text(b, in->channel);
    store_copybuf_text(b, r->state);
    store_copybuf_text(b, in->category);
    store_copybuf_text(b, in->complexity);
    store_copybuf_text(b, in->facts);
    store_copybuf_text(b, in->claims);
    store_copybuf_text(b, in->cause);
    store_copybuf_int(b, in->region_id);
    store_copybuf_text(b, r->region_path);
    store_copybuf_text(b, in->occurred_on);
    if (in->has_people)
        store_copybuf_int(b, in->people);
    else
        store_copybuf_text(b, NULL);
    if (in->has_amount)
        store_copybuf_int(b, in->amount);
    else
        store_copybuf_text(b, NULL);
    store_copybuf_int(b, in->key_persons);
    store_copybuf_text(b, in->forecast);
    store_copybuf_int(b, in->urgent);
    store_copybuf_text(b, r->level);
    store_copybuf_text(b, r->method);
    if (r->time_limit_days)
        store_copybuf_int(b, r->time_limit_days);
    else
        store_copybuf_text(b, NULL);
    store_copybuf_text(b, r->time_limit_kind);
    store_copybuf_text(b, r->due_date);
    store_copybuf_text(b, r->lead_leader);
    if (r->resp_org_id)
        store_copybuf_int(b, r->resp_org_id);
    else
        store_copybuf_text(b, NULL);
    store_copybuf_text(b, r->mediator_ids ? r->mediator_ids : "[]");
    store_copybuf_text(b, "[]");
    store_copybuf_int(b, r->sessions);
    store_copybuf_int(b, 0);
    store_copybuf_int(b, 0);
    store_copybuf_int(b, r->received_at);
    store_copybuf_int(b, r->received_at);
    store_copybuf_int(b, r->received_at);
    store_copybuf_text(b, risk);
    store_copybuf_text(b, why[0] ? why : NULL);
    if (r->lead_leader_id)
        store_copybuf_int(b, r->lead_leader_id);
    else
        store_copybuf_text(b, NULL);
    store_copybuf_text(b, arr);
    store_copybuf_row(b);
    free(arr);
    return 0;
}

/* The rest of one case as store_case_insert_raw writes it: its mediators (each once, as ON
 * CONFLICT DO NOTHING would), parties and timeline. */
static void copy_case_children(struct raw_copy *b, int64_t id, const struct store_case_raw *r)
{
    const struct store_case_in *in = &r->in;
    long long seen[16];
    int nseen = 0;
    int64_t at = r->received_at;
    const char *prev = "registered";

    for (const char *p = r->mediator_ids; p && *p;) {
        char *end;
        long long m;
        int dup = 0;
        if (*p < '0' || *p > '9') {
            p++;
            continue;
        }
        m = strtoll(p, &end, 10);
        p = end;
        for (int k = 0; k < nseen; k++)
            dup |= seen[k] == m;
        if (dup)
            continue;
        if (nseen < 16)
            seen[nseen++] = m;
        store_copybuf_int(&b->meds, m);
        store_copybuf_int(&b->meds, id);
        store_copybuf_row(&b->meds);
    }
    for (int i = 0; i < in->nparties; i++) {
        const struct store_party_in *p = &in->parties[i];
        store_copybuf_int(&b->parties, id);
        store_copybuf_text(&b->parties, p->role);
        store_copybuf_text(&b->parties, p->kind);
        store_copybuf_text(&b->parties, p->name);
        store_copybuf_text(&b->parties, p->id_sealed);
        store_copybuf_text(&b->parties, p->id_index);
        store_copybuf_text(&b->parties, p->phone_sealed);
        store_copybuf_text(&b->parties, p->phone_index);
        store_copybuf_text(&b->parties, p->address_sealed);
        store_copybuf_text(&b->parties, p->agent);
        store_copybuf_row(&b->parties);
    }
    for (int i = -1; i < 0 || r->actions[i]; i++) {
        const char *to = i < 0 ? "registered" : r->states[i];
        store_copybuf_int(&b->events, id);
        store_copybuf_int(&b->events, at);
        store_copybuf_text(&b->events, NULL);
        store_copybuf_text(&b->events, "demo");
        store_copybuf_text(&b->events, i < 0 ? "register" : r->actions[i]);
        store_copybuf_text(&b->events, i < 0 ? NULL : prev);
        store_copybuf_text(&b->events, to);
        store_copybuf_text(&b->events, "{}");
        store_copybuf_int(&b->events, 1);
        store_copybuf_row(&b->events);
        prev = to;
        at += 36LL * 3600 * 1000;
    }
}

static int id_cmp(const void *x, const void *y)
{
    const int64_t *a = x, *b = y;
    return *a < *b ? -1 : *a > *b;
}

/* n numbers of case_ids in one statement, ascending: the same ids, in the same order, as
 * n inserts taking nextval one by one. */
static store_err next_ids(struct store_conn *c, long n, int64_t *ids)
{
    struct store_rows *r = NULL;
    store_err e = store_exec(c, "SELECT nextval('case_ids') FROM generate_series(1, $1)",
                             STORE_PARAMS(SP_INT(n)), &r);

    for (long i = 0; e == STORE_OK && i < n; i++)
        ids[i] = store_rows_int(r, (int)i, 0);
    if (e == STORE_OK)
        qsort(ids, (size_t)n, sizeof *ids, id_cmp);
    store_rows_free(r);
    return e;
}

static store_err raw_copy_pg(struct store_conn *c, const struct store_case_raw *const *raws, long n,
                             int64_t *ids, struct raw_copy *b)
{
    store_err e = next_ids(c, n, ids);

    for (long i = 0; e == STORE_OK && i < n; i++) {
        /* A load keeps each case in its received year (store/partition.h). */
        ids[i] += (int64_t)store_case_year_of(raws[i]->received_at) * STORE_CASE_YEAR_ID;
        if (copy_case_row(&b->cases, ids[i], raws[i]) != 0)
            b->cases.failed = 1;
        copy_case_children(b, ids[i], raws[i]);
    }
    if (e == STORE_OK &&
        (b->cases.failed || b->parties.failed || b->events.failed || b->meds.failed)) {
        store_conn_seterr(c, "out of memory");
        e = STORE_ERROR;
    }
    if (e == STORE_OK)
        e = store_copy(c, "COPY cases (id, " CASE_RAW_COLS ", search_terms) FROM STDIN",
                       b->cases.data, b->cases.len);
    if (e == STORE_OK && b->meds.len)
        e = store_copy(c, "COPY case_mediators (mediator_id, case_id) FROM STDIN", b->meds.data,
                       b->meds.len);
    if (e == STORE_OK && b->parties.len)
        e = store_copy(c,
                       "COPY case_parties (case_id, role, kind, name, id_sealed, id_index,"
                       " phone_sealed, phone_index, address_sealed, agent) FROM STDIN",
                       b->parties.data, b->parties.len);
    if (e == STORE_OK)
        e = store_copy(c,
                       "COPY case_events (case_id, at, actor_id, actor_login, action,"
                       " from_state, to_state, data, public) FROM STDIN",
                       b->events.data, b->events.len);
    return e;
}

store_err store_case_insert_raw_many(struct store_conn *c, const struct store_case_raw *const *raws,
                                     long n, int64_t *ids)
{
    struct raw_copy b = {0};
    store_err e = STORE_OK;

    if (n <= 0)
        return STORE_OK;
    if (store_conn_kind(c) != STORE_PG) {
        for (long i = 0; e == STORE_OK && i < n; i++)
            e = store_case_insert_raw(c, raws[i], &ids[i]);
        return e;
    }
    e = raw_copy_pg(c, raws, n, ids, &b);
    raw_copy_free(&b);
    return e;
}

store_err store_case_holds(struct store_conn *c, int64_t id, int64_t user_id, int *holds)
{
    struct store_rows *r = NULL;
    store_err e =
        store_exec(c,
                   "SELECT 1 FROM cases k WHERE k.id = $1 AND (k.resp_user_id = $2"
                   " OR EXISTS (SELECT 1 FROM case_mediators cm JOIN mediators m"
                   " ON m.id = cm.mediator_id WHERE cm.case_id = k.id AND m.user_id = $2))",
                   STORE_PARAMS(SP_INT(id), SP_INT(user_id)), &r);

    *holds = e == STORE_OK && r->nrows > 0;
    store_rows_free(r);
    return e;
}

store_err store_case_upper_unit(struct store_conn *c, const char *region_path, const char *level,
                                int64_t *region_id, char *path, size_t pathlen, int64_t *org_id)
{
    struct store_rows *r = NULL, *o = NULL;
    char prefixes[8][REGION_PATH_MAX];
    struct store_param p[9];
    int n = 0;
    store_err e;

    *region_id = *org_id = 0;
    /* The ancestors are the prefixes of the path that end in '/' (at most six levels). */
    for (size_t i = 1; region_path[i] && n < 8 && i < REGION_PATH_MAX - 1; i++) {
        if (region_path[i] == '/' && region_path[i + 1]) {
            memcpy(prefixes[n], region_path, i + 1);
            prefixes[n][i + 1] = '\0';
            n++;
        }
    }
    p[0] = SP_TEXT(level);
    for (int i = 0; i < 8; i++)
        p[1 + i] = i < n ? SP_TEXT(prefixes[i]) : SP_NULL;
    e = store_one(c,
                  "SELECT id, path FROM regions WHERE level = $1"
                  " AND path IN ($2, $3, $4, $5, $6, $7, $8, $9)",
                  9, p, "it", "region", &r);
    if (e != STORE_OK)
        goto out;
    *region_id = store_rows_int(r, 0, 0);
    snprintf(path, pathlen, "%s", store_rows_get(r, 0, 1));
    e = store_exec(c,
                   "SELECT id FROM organizations WHERE region_id = $1 AND status = 'active'"
                   " AND type IN ('center', 'mediation_committee')"
                   " ORDER BY CASE type WHEN 'center' THEN 0 ELSE 1 END, id LIMIT 1",
                   STORE_PARAMS(SP_INT(*region_id)), &o);
    if (e == STORE_OK && o->nrows)
        *org_id = store_rows_int(o, 0, 0);
out:
    store_rows_free(r);
    store_rows_free(o);
    return e;
}

store_err store_case_routings(struct store_conn *c, int64_t case_id, struct store_rows **out)
{
    store_err e = store_exec(c,
                             "SELECT h.id, h.at, h.action, h.level, h.resp_org_id,"
                             " o.name AS resp_org_name, h.reason, h.explanation"
                             " FROM case_routings h LEFT JOIN organizations o"
                             " ON o.id = h.resp_org_id WHERE h.case_id = $1 ORDER BY h.id",
                             STORE_PARAMS(SP_INT(case_id)), out);
    if (e == STORE_OK)
        (*out)->types = "isttittj";
    return e;
}

store_err store_case_sessions(struct store_conn *c, int64_t case_id, struct store_rows **out)
{
    store_err e =
        store_exec(c,
                   "SELECT id, level, held_at, place, participants, record, next_step,"
                   " created_at, online FROM case_sessions WHERE case_id = $1 ORDER BY id",
                   STORE_PARAMS(SP_INT(case_id)), out);
    if (e == STORE_OK)
        (*out)->types = "ittttttsb";
    return e;
}

#define ATTACH_COLS                                                                                \
    "SELECT id, case_id, sha256, name, kind, content_type, size, uploaded_by, created_at,"         \
    " deleted_at FROM case_attachments"
#define ATTACH_TYPES "iittttiiss"

store_err store_attachment_add(struct store_conn *c, const struct store_actor *a, int64_t case_id,
                               const struct store_attachment_in *in, int64_t *id)
{
    struct store_rows *r = NULL;
    char data[512];
    store_err e = store_begin(c, 1);

    if (e != STORE_OK)
        return e;
    e = store_exec(c,
                   "INSERT INTO case_attachments (case_id, sha256, name, kind, content_type, size,"
                   " uploaded_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
                   STORE_PARAMS(SP_INT(case_id), SP_TEXT(in->sha256), SP_TEXT(in->name),
                                SP_TEXT(in->kind), SP_TEXT(in->content_type), SP_INT(in->size),
                                a->user_id ? SP_INT(a->user_id) : SP_NULL, SP_INT(store_now_ms())),
                   &r);
    if (e == STORE_OK) {
        *id = store_rows_int(r, 0, 0);
        /* The name is the uploader's text: the event stores only ids and codes. */
        snprintf(data, sizeof data, "{\"attachment_id\":%lld,\"kind\":\"%s\"}", (long long)*id,
                 in->kind);
        e = store_exec(c,
                       "INSERT INTO case_events (case_id, at, actor_id, actor_login, action,"
                       " from_state, to_state, data, public)"
                       " SELECT id, $2, $3, $4, 'attach', state, state, $5, 0 FROM cases"
                       " WHERE id = $1",
                       STORE_PARAMS(SP_INT(case_id), SP_INT(store_now_ms()),
                                    a->user_id ? SP_INT(a->user_id) : SP_NULL,
                                    SP_TEXT(a->login[0] ? a->login : NULL), SP_TEXT(data)),
                       NULL);
    }
    if (e == STORE_OK)
        e = store_audit_append(c, a, "create", "attachment", *id, "name,kind,content_type,size",
                               NULL);
    store_rows_free(r);
    return store_end(c, e);
}

store_err store_attachment_list(struct store_conn *c, int64_t case_id, struct store_rows **out)
{
    store_err e = store_exec(c, ATTACH_COLS " WHERE case_id = $1 ORDER BY id",
                             STORE_PARAMS(SP_INT(case_id)), out);
    if (e == STORE_OK)
        (*out)->types = ATTACH_TYPES;
    return e;
}

store_err store_attachment_get(struct store_conn *c, int64_t case_id, int64_t id,
                               struct store_rows **out)
{
    return store_one(c, ATTACH_COLS " WHERE case_id = $1 AND id = $2",
                     STORE_PARAMS(SP_INT(case_id), SP_INT(id)), ATTACH_TYPES, "attachment", out);
}

#define ORDER_FROM                                                                                 \
    " FROM supervision_orders s JOIN cases k ON k.id = s.case_id"                                  \
    " LEFT JOIN organizations o ON o.id = k.resp_org_id"                                           \
    " LEFT JOIN users iu ON iu.id = s.issued_by"
#define ORDER_COLS                                                                                 \
    "SELECT s.id, s.case_id, k.number, k.state, o.name AS resp_org_name, s.level, s.content,"      \
    " s.deadline, iu.name AS issued_by_name, s.issued_at, s.reply, s.replied_at,"                  \
    " CASE WHEN s.replied_at IS NULL THEN 'open' ELSE 'answered' END AS status" ORDER_FROM
#define ORDER_TYPES "iitttttttstst"

/* Writes a case's internal timeline event inside the caller's transaction. */
store_err store_order_issue(struct store_conn *c, const struct store_actor *a, int64_t case_id,
                            const char *level, const char *content, const char *deadline,
                            int64_t *id)
{
    struct store_rows *r = NULL;
    char data[128];
    store_err e = store_begin(c, 1);

    if (e != STORE_OK)
        return e;
    e = store_exec(c,
                   "INSERT INTO supervision_orders (case_id, level, content, deadline, issued_by,"
                   " issued_at, region_path)"
                   " SELECT $1, $2, $3, $4, $5, $6, region_path FROM cases WHERE id = $1"
                   " RETURNING id",
                   STORE_PARAMS(SP_INT(case_id), SP_TEXT(level), SP_TEXT(content),
                                SP_TEXT(deadline), a->user_id ? SP_INT(a->user_id) : SP_NULL,
                                SP_INT(store_now_ms())),
                   &r);
    if (e == STORE_OK) {
        *id = store_rows_int(r, 0, 0);
        snprintf(data, sizeof data, "{\"order_id\":%lld,\"level\":\"%s\",\"deadline\":\"%s\"}",
                 (long long)*id, level, deadline);
        e = note_event(c, a, case_id, "supervise", data, 0);
    }
    if (e == STORE_OK)
        e = store_audit_append(c, a, "create", "supervision_order", *id, "level,content,deadline",
                               NULL);
    store_rows_free(r);
    return store_end(c, e);
}

store_err store_order_get(struct store_conn *c, const struct store_actor *a, int64_t id,
                          struct store_rows **out)
{
    return store_one(c,
                     ORDER_COLS " WHERE s.id = $1 AND k.region_path >= $2 AND k.region_path < $3",
                     STORE_PARAMS(SP_INT(id), SP_TEXT(a->scope.lo), SP_TEXT(a->scope.hi)),
                     ORDER_TYPES, "supervision order", out);
}

/*
 * An order is addressed to those who answer for the case (四定三包): once a responsible
 * unit is fixed, its staff, the responsible person and the case's mediators; before that,
 * whoever handles cases in scope (the centre that is still triaging it).
 */
static store_err order_answerable(struct store_conn *c, const struct store_actor *a,
                                  int64_t case_id)
{
    struct store_rows *r = NULL;
    store_err e = store_exec(
        c,
        "SELECT 1 FROM cases k WHERE k.id = $1 AND (k.resp_org_id IS NULL"
        " OR k.resp_user_id = $2"
        " OR k.resp_org_id = (SELECT org_id FROM users WHERE id = $2)"
        " OR EXISTS (SELECT 1 FROM case_mediators cm JOIN mediators m ON m.id = cm.mediator_id"
        " WHERE cm.case_id = k.id AND m.user_id = $2))",
        STORE_PARAMS(SP_INT(case_id), SP_INT(a->user_id)), &r);

    if (e == STORE_OK && r->nrows == 0) {
        store_conn_seterr(c, "only the responsible unit, the responsible person or the case's"
                             " mediators answer its supervision orders");
        e = STORE_FORBIDDEN;
    }
    store_rows_free(r);
    return e;
}

store_err store_order_reply(struct store_conn *c, const struct store_actor *a, int64_t id,
                            const char *reply)
{
    struct store_rows *r = NULL, *up = NULL;
    char data[64];
    store_err e = store_begin(c, 1);

    if (e != STORE_OK)
        return e;
    e = store_order_get(c, a, id, &r);
    if (e == STORE_OK)
        e = order_answerable(c, a, store_rows_int(r, 0, 1));
    if (e == STORE_OK)
        e = store_exec(c,
                       "UPDATE supervision_orders SET reply = $2, replied_by = $3, replied_at = $4"
                       " WHERE id = $1 AND replied_at IS NULL RETURNING id",
                       STORE_PARAMS(SP_INT(id), SP_TEXT(reply),
                                    a->user_id ? SP_INT(a->user_id) : SP_NULL,
                                    SP_INT(store_now_ms())),
                       &up);
    if (e == STORE_OK && up->nrows == 0) {
        store_conn_seterr(c, "this order has been answered already");
        e = STORE_CONFLICT;
    }
    if (e == STORE_OK) {
        snprintf(data, sizeof data, "{\"order_id\":%lld}", (long long)id);
        e = note_event(c, a, store_rows_int(r, 0, 1), "supervision_reply", data, 0);
    }
    if (e == STORE_OK)
        e = store_audit_append(c, a, "update", "supervision_order", id, "reply", NULL);
    store_rows_free(r);
    store_rows_free(up);
    return store_end(c, e);
}

/* The scope is the order's own region path (migration 38): the board reads the scope's
 * orders, not its cases. */
#define ORDER_WHERE                                                                                \
    " WHERE s.region_path >= $1 AND s.region_path < $2"                                            \
    " AND (CAST($3 AS BIGINT) IS NULL OR s.case_id = $3)"                                          \
    " AND ($4 = 0 OR s.replied_at IS NULL)"                                                        \
    " AND (CAST($5 AS TEXT) IS NULL OR (s.replied_at IS NULL AND s.deadline < $5))"

store_err store_order_list(struct store_conn *c, const struct store_actor *a, int64_t case_id,
                           int open_only, const char *overdue_on, const struct store_page *pg,
                           struct store_rows **out)
{
    return store_paged(c, "SELECT COUNT(*)" ORDER_FROM ORDER_WHERE,
                       ORDER_COLS ORDER_WHERE " ORDER BY s.deadline, s.id LIMIT $6 OFFSET $7",
                       STORE_PARAMS(SP_TEXT(a->scope.lo), SP_TEXT(a->scope.hi),
                                    case_id ? SP_INT(case_id) : SP_NULL, SP_INT(open_only),
                                    SP_TEXT(overdue_on)),
                       pg, ORDER_TYPES, out);
}

store_err store_instalments(struct store_conn *c, int64_t case_id, struct store_rows **out)
{
    store_err e = store_exec(c,
                             "SELECT id, seq, due_date, amount, status, paid_on, note"
                             " FROM agreement_instalments WHERE case_id = $1 ORDER BY seq",
                             STORE_PARAMS(SP_INT(case_id)), out);
    if (e == STORE_OK)
        (*out)->types = "iitittt";
    return e;
}

store_err store_instalments_unpaid(struct store_conn *c, const char *until, struct store_rows **out)
{
    store_err e = store_exec(c,
                             "SELECT id, case_id, due_date, status FROM agreement_instalments"
                             " WHERE status IN ('pending', 'late') AND due_date <= $1"
                             " ORDER BY due_date, case_id",
                             STORE_PARAMS(SP_TEXT(until)), out);
    if (e == STORE_OK)
        (*out)->types = "iitt";
    return e;
}

store_err store_instalment_set(struct store_conn *c, const struct store_actor *a, int64_t case_id,
                               int64_t id, const char *status, const char *paid_on,
                               const char *note)
{
    struct store_rows *r = NULL;
    char data[160];
    store_err e = store_begin(c, 1);

    if (e != STORE_OK)
        return e;
    e = store_exec(
        c,
        "UPDATE agreement_instalments SET status = $3, paid_on = $4,"
        " note = COALESCE($5, note) WHERE id = $1 AND case_id = $2 RETURNING seq",
        STORE_PARAMS(SP_INT(id), SP_INT(case_id), SP_TEXT(status), SP_TEXT(paid_on), SP_TEXT(note)),
        &r);
    if (e == STORE_OK && r->nrows == 0) {
        store_conn_seterr(c, "instalment %lld not found", (long long)id);
        e = STORE_NOT_FOUND;
    }
    if (e == STORE_OK) {
        snprintf(data, sizeof data, "{\"instalment\":%lld,\"status\":\"%s\"}",
                 (long long)store_rows_int(r, 0, 0), status);
        e = note_event(c, a, case_id, "fulfilment", data, 0);
    }
    if (e == STORE_OK)
        e = store_audit_append(c, a, "update", "instalment", id, "status,paid_on,note", NULL);
    store_rows_free(r);
    return store_end(c, e);
}

store_err store_confirmation_set(struct store_conn *c, const struct store_actor *a, int64_t case_id,
                                 const char *applied_on, const char *court, const char *result,
                                 const char *decided_on)
{
    char data[96];
    store_err e = store_begin(c, 1);

    if (e != STORE_OK)
        return e;
    /* Written as delete-then-insert: the same text on both backends. */
    e = store_exec(c, "DELETE FROM judicial_confirmations WHERE case_id = $1",
                   STORE_PARAMS(SP_INT(case_id)), NULL);
    if (e == STORE_OK)
        e = store_exec(c,
                       "INSERT INTO judicial_confirmations (case_id, applied_on, court, result,"
                       " decided_on, updated_at) VALUES ($1, $2, $3, $4, $5, $6)",
                       STORE_PARAMS(SP_INT(case_id), SP_TEXT(applied_on), SP_TEXT(court),
                                    SP_TEXT(result), SP_TEXT(decided_on), SP_INT(store_now_ms())),
                       NULL);
    if (e == STORE_OK) {
        snprintf(data, sizeof data, "{\"result\":\"%s\"}", result);
        e = note_event(c, a, case_id, "judicial_confirmation", data, 0);
    }
    if (e == STORE_OK)
        e = store_audit_append(c, a, "update", "case", case_id, "judicial_confirmation", result);
    return store_end(c, e);
}

store_err store_confirmation_get(struct store_conn *c, int64_t case_id, struct store_rows **out)
{
    store_err e = store_exec(c,
                             "SELECT applied_on, court, result, decided_on, updated_at"
                             " FROM judicial_confirmations WHERE case_id = $1",
                             STORE_PARAMS(SP_INT(case_id)), out);
    if (e == STORE_OK)
        (*out)->types = "tttts";
    return e;
}

store_err store_cases_visit_due(struct store_conn *c, const char *until, struct store_rows **out)
{
    return store_exec(c,
                      "SELECT id, visit_due FROM cases WHERE visit_due IS NOT NULL"
                      " AND visit_due <= $1 AND state = 'closed' ORDER BY id",
                      STORE_PARAMS(SP_TEXT(until)), out);
}

store_err store_case_backfill(struct store_conn *c)
{
    int64_t after = 0;
    store_err e = STORE_OK;

    /* In pages by id: a million-case register is not read into memory at once. */
    for (;;) {
        struct store_rows *r = NULL;
        e = store_exec(c,
                       "SELECT id, category, complexity, people, key_persons, urgent,"
                       " mediator_ids FROM cases"
                       " WHERE id > $1 ORDER BY id LIMIT 5000",
                       STORE_PARAMS(SP_INT(after)), &r);
        if (e != STORE_OK || r->nrows == 0) {
            store_rows_free(r);
            return e;
        }
        for (int i = 0; e == STORE_OK && i < r->nrows; i++) {
            struct store_case_in in = {.category = store_rows_get(r, i, 1),
                                       .complexity = store_rows_get(r, i, 2),
                                       .has_people = store_rows_get(r, i, 3) != NULL,
                                       .people = store_rows_int(r, i, 3),
                                       .key_persons = (int)store_rows_int(r, i, 4),
                                       .urgent = (int)store_rows_int(r, i, 5)};
            char why[256];
            const char *risk = intake_risk(&in, why, sizeof why);
            after = store_rows_int(r, i, 0);
            if (strcmp(risk, "blue") != 0)
                e = store_exec(c, "UPDATE cases SET risk = $2, risk_reasons = $3 WHERE id = $1",
                               STORE_PARAMS(SP_INT(after), SP_TEXT(risk), SP_TEXT(why)), NULL);
            if (e == STORE_OK && strcmp(store_rows_get(r, i, 6), "[]") != 0)
                e = index_mediators(c, after, store_rows_get(r, i, 6), 0);
        }
        store_rows_free(r);
        if (e != STORE_OK)
            return e;
    }
}

/*
 * PostgreSQL: a foreign key to cases is checked row by row, and to a partitioned table each
 * check is a query of its own, some twenty times the cost of writing the row (measured:
 * 50,000 rows of stat_case_keys in 5.0 s with the key, 0.19 s without and 0.13 s to add it
 * back, which checks every row in one join). The tables a load writes drop the key while
 * loading and add it back at the end as the migrations declared it (REFERENCES cases(id)).
 * The search index (GIN, migration 4) is likewise built once at the end.
 */
static const char *const bulk_fk_tables[] = {"case_events", "case_parties", "case_mediators",
                                             "stat_case_keys", NULL};

static store_err bulk_keys_drop(struct store_conn *c)
{
    store_err e = store_script(c, "DROP INDEX IF EXISTS cases_search_terms");

    for (int i = 0; e == STORE_OK && bulk_fk_tables[i]; i++) {
        char sql[160];
        snprintf(sql, sizeof sql, "ALTER TABLE %s DROP CONSTRAINT IF EXISTS %s_case_id_fkey",
                 bulk_fk_tables[i], bulk_fk_tables[i]);
        e = store_script(c, sql);
    }
    return e;
}

static store_err bulk_keys_add(struct store_conn *c)
{
    store_err e = store_script(
        c, "CREATE INDEX IF NOT EXISTS cases_search_terms ON cases USING GIN (search_terms)");

    /* Autovacuum never analyzes a partitioned table and may not yet have seen the loaded
     * partitions: what follows a load (the regrade, the sums) is planned on statistics
     * that describe the register as loaded. */
    if (e == STORE_OK)
        e = store_script(c, "ANALYZE cases, case_events, case_parties, case_mediators,"
                            " stat_case_keys");
    for (int i = 0; e == STORE_OK && bulk_fk_tables[i]; i++) {
        char sql[512];
        snprintf(sql, sizeof sql,
                 "DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_constraint"
                 " WHERE conname = '%s_case_id_fkey') THEN ALTER TABLE %s ADD CONSTRAINT"
                 " %s_case_id_fkey FOREIGN KEY (case_id) REFERENCES cases(id); END IF; END $$",
                 bulk_fk_tables[i], bulk_fk_tables[i], bulk_fk_tables[i]);
        e = store_script(c, sql);
    }
    return e;
}

store_err store_case_bulk_begin(struct store_conn *c)
{
    store_err e = store_script(c, "DROP INDEX IF EXISTS cases_queue;"
                                  " DROP INDEX IF EXISTS cases_state_queue;"
                                  " DROP INDEX IF EXISTS cases_state_scope;"
                                  " DROP INDEX IF EXISTS cases_channel_queue;"
                                  " DROP INDEX IF EXISTS cases_category_queue;"
                                  " DROP INDEX IF EXISTS cases_risk_queue;"
                                  " DROP INDEX IF EXISTS cases_org_queue;"
                                  " DROP INDEX IF EXISTS cases_received;");

    return e == STORE_OK && store_conn_kind(c) == STORE_PG ? bulk_keys_drop(c) : e;
}

store_err store_case_bulk_end(struct store_conn *c)
{
    store_err e = store_script(c, STORE_CASE_LIST_INDEXES_NOW);

    /* A load leaves the search index in many FTS5 segments (one or more per batch), and a
     * search seeks every segment for each of its terms: at a million cases a 4-character
     * search took 200 ms before 'optimize' merged them into one and 31 ms after (5.8 s
     * for the merge; docs/performance.md "A million cases"). */
    if (e == STORE_OK)
        e = store_search_optimize(c);
    return e == STORE_OK && store_conn_kind(c) == STORE_PG ? bulk_keys_add(c) : e;
}

store_err store_search_optimize(struct store_conn *c)
{
    /* PostgreSQL's GIN index merges its pending list itself (autovacuum). */
    if (store_conn_kind(c) != STORE_SQLITE)
        return STORE_OK;
    return store_exec(c, "INSERT INTO case_search (case_search) VALUES ('optimize')", 0, NULL,
                      NULL);
}

store_err store_case_count_after(struct store_conn *c, int64_t after_id, int64_t cap, int64_t *n,
                                 int64_t *max_id)
{
    struct store_rows *r = NULL;
    store_err e = store_exec(c,
                             "SELECT (SELECT COUNT(*) FROM (SELECT 1 FROM cases WHERE id > $1"
                             " LIMIT $2) capped), (SELECT COALESCE(MAX(id), 0) FROM cases)",
                             STORE_PARAMS(SP_INT(after_id), SP_INT(cap)), &r);

    if (e == STORE_OK) {
        *n = store_rows_int(r, 0, 0);
        *max_id = store_rows_int(r, 0, 1);
    }
    store_rows_free(r);
    return e;
}

/* Writes the search terms of one case already registered: its text's and its number's.
 * Migration 15's backfill, run before migration 34 gave the row its scope tokens (34 adds
 * them to every row), so it writes the row in the shape of migration 4. */
static store_err backfill_terms(struct store_conn *c, int64_t id, const char *number,
                                const char *old)
{
    char *terms = case_search_terms(old, number);
    store_err e;

    if (!terms) {
        store_conn_seterr(c, "out of memory");
        return STORE_ERROR;
    }
    e = store_exec(
        c,
        store_dialect(c, "INSERT OR REPLACE INTO case_search (rowid, terms) VALUES ($1, $2)",
                      "UPDATE cases SET search_terms = string_to_array($2, ' ')"
                      " WHERE id = $1"),
        STORE_PARAMS(SP_INT(id), SP_TEXT(terms)), NULL);
    free(terms);
    return e;
}

store_err store_case_rescope(struct store_conn *c, const struct region_scope *moved)
{
    return store_exec(
        c,
        store_dialect(c,
                      "UPDATE case_search SET scope = (SELECT " CASE_SCOPE_TOKENS_SQLITE
                      " FROM cases k WHERE k.id = case_search.rowid) WHERE rowid IN"
                      " (SELECT id FROM cases WHERE region_path >= $1 AND region_path < $2)",
                      "UPDATE cases k SET search_terms = ARRAY(SELECT t FROM unnest(k.search_terms)"
                      " t WHERE t NOT LIKE 'r:%') || " CASE_SCOPE_TOKENS_PG
                      " WHERE k.region_path >= $1 AND k.region_path < $2"),
        STORE_PARAMS(SP_TEXT(moved->lo), SP_TEXT(moved->hi)), NULL);
}

store_err store_case_set_terms(struct store_conn *c, int64_t id, const char *number,
                               const char *text_terms)
{
    char *terms = case_search_terms(text_terms, number);
    store_err e;

    if (!terms) {
        store_conn_seterr(c, "out of memory");
        return STORE_ERROR;
    }
    /* On SQLite, one statement per commit (store_exec_later says why); the case row it reads
     * is written by then. PostgreSQL's terms are a column of the case row: no such cost. */
    if (store_conn_kind(c) == STORE_SQLITE)
        e = store_exec_later(c, CASE_SEARCH_WRITE_MANY_SQLITE, id, terms);
    else
        e = store_exec(c, CASE_SEARCH_WRITE_PG, STORE_PARAMS(SP_INT(id), SP_TEXT(terms)), NULL);
    free(terms);
    return e;
}

store_err store_case_number_terms(struct store_conn *c)
{
    int64_t after = 0;
    store_err e = STORE_OK;

    for (;;) {
        struct store_rows *r = NULL;
        e = store_exec(c,
                       store_dialect(c,
                                     "SELECT k.id, k.number, s.terms FROM cases k"
                                     " LEFT JOIN case_search s ON s.rowid = k.id"
                                     " WHERE k.id > $1 ORDER BY k.id LIMIT 5000",
                                     "SELECT id, number, array_to_string(search_terms, ' ')"
                                     " FROM cases WHERE id > $1 ORDER BY id LIMIT 5000"),
                       STORE_PARAMS(SP_INT(after)), &r);
        if (e != STORE_OK || r->nrows == 0) {
            store_rows_free(r);
            return e;
        }
        for (int i = 0; e == STORE_OK && i < r->nrows; i++) {
            after = store_rows_int(r, i, 0);
            e = backfill_terms(c, after, store_rows_get(r, i, 1), store_rows_get(r, i, 2));
        }
        store_rows_free(r);
        if (e != STORE_OK)
            return e;
    }
}

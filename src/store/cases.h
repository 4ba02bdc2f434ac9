/*
 * cases.h - the case register (统一接案) and every change of a case, in the store.
 *
 * A case is in an actor's scope when the place it arose lies in the actor's subtree.
 * Every state change goes through store_case_apply, which checks that the case is still
 * in the state the caller decided on (two dispatchers cannot both accept it), writes the
 * timeline event and the audit row, all in one transaction. Personal data of parties
 * arrives here already sealed (see src/seal/): the store never sees it in clear.
 */
#ifndef JIEFEN_STORE_CASES_H
#define JIEFEN_STORE_CASES_H

#include "core/casenum.h"
#include "store/store.h"

/*
 * The register's list indexes (migration 12): each filter that a page may be ordered under
 * has its index ending in the queue key and the scope, so that both the page and its count
 * are read from the index. Kept here because bulk loading drops and rebuilds them.
 * STORE_CASE_LIST_INDEXES is the text migrations 12 and 16 ran (it must not change);
 * STORE_CASE_LIST_INDEXES_NOW is the set as the newest migration leaves it.
 */
#define STORE_CASE_OTHER_INDEXES                                                                   \
    "CREATE INDEX IF NOT EXISTS cases_category_queue ON cases(category, queue_key, "               \
    "region_path);\n"                                                                              \
    "CREATE INDEX IF NOT EXISTS cases_risk_queue ON cases(risk, queue_key, region_path);\n"        \
    "CREATE INDEX IF NOT EXISTS cases_org_queue ON cases(resp_org_id, queue_key, region_path);\n"  \
    "CREATE INDEX IF NOT EXISTS cases_received ON cases(received_at);\n"
#define STORE_CASE_LIST_INDEXES                                                                    \
    "CREATE INDEX IF NOT EXISTS cases_queue ON cases(queue_key, region_path);\n"                   \
    "CREATE INDEX IF NOT EXISTS cases_state_queue ON cases(state, queue_key, "                     \
    "region_path);\n" STORE_CASE_OTHER_INDEXES
/* Migration 32: the queue and state indexes also hold who answers for the case (responsible
 * person, lead leader), so that "my cases" is decided inside the index: the workbench's
 * counts of a state read only the index, and the page of my cases walks the queue without
 * reading the row of every case that is not mine. */
#define STORE_CASE_QUEUE_INDEXES_V32                                                               \
    "CREATE INDEX IF NOT EXISTS cases_queue ON cases(queue_key, region_path, resp_user_id,"        \
    " lead_leader_id);\n"                                                                          \
    "CREATE INDEX IF NOT EXISTS cases_state_queue ON cases(state, queue_key, region_path,"         \
    " resp_user_id, lead_leader_id);\n"
/* Migration 40: a state's cases by scope, so that a count of a state in a subtree is a range
 * of the index (the region path right after the state) instead of every case of that state
 * in the register with the scope tested inside cases_state_queue; a mediator's workbench at
 * 1 M cases read 49,000-75,000 entries per state to count ~100 of their own. */
#define STORE_CASE_STATE_SCOPE_INDEX_V40                                                           \
    "CREATE INDEX IF NOT EXISTS cases_state_scope ON cases(state, region_path, resp_user_id,"      \
    " lead_leader_id);\n"
/* Migration 44: the register filtered by channel (来源渠道) had no index of its own; its capped
 * total read the scope's cases until 10,001 had come by that channel (150 ms for a county at
 * 1 M cases, 15 % of them by phone). */
#define STORE_CASE_CHANNEL_INDEX_V44                                                               \
    "CREATE INDEX IF NOT EXISTS cases_channel_queue ON cases(channel, queue_key, region_path);\n"
/* Migration 46: each filter's index (state, category, channel, risk, unit) also holds the
 * other four filters, so that a register filtered two ways (来源 电话 and 已结案, 纠纷类型 and
 * 风险 红) tests the second filter inside the index it walks instead of reading each case
 * row: at 1 M cases a county's count of phone and red read 150,000 rows (0.4-0.48 s), and
 * reads 150,000 index entries now (22-34 ms). cases_queue (no filter) is unchanged. */
#define STORE_CASE_FILTER_INDEXES_V46                                                              \
    "CREATE INDEX IF NOT EXISTS cases_state_queue ON cases(state, queue_key, region_path,"         \
    " resp_user_id, lead_leader_id, category, channel, risk, resp_org_id);\n"                      \
    "CREATE INDEX IF NOT EXISTS cases_state_scope ON cases(state, region_path, resp_user_id,"      \
    " lead_leader_id, category, channel, risk, resp_org_id);\n"                                    \
    "CREATE INDEX IF NOT EXISTS cases_category_queue ON cases(category, queue_key, region_path,"   \
    " state, channel, risk, resp_org_id);\n"                                                       \
    "CREATE INDEX IF NOT EXISTS cases_channel_queue ON cases(channel, queue_key, region_path,"     \
    " state, category, risk, resp_org_id);\n"                                                      \
    "CREATE INDEX IF NOT EXISTS cases_risk_queue ON cases(risk, queue_key, region_path, state,"    \
    " category, channel, resp_org_id);\n"                                                          \
    "CREATE INDEX IF NOT EXISTS cases_org_queue ON cases(resp_org_id, queue_key, region_path,"     \
    " state, category, channel, risk);\n"
#define STORE_CASE_LIST_INDEXES_NOW                                                                \
    "CREATE INDEX IF NOT EXISTS cases_queue ON cases(queue_key, region_path, resp_user_id,"        \
    " lead_leader_id);\n" STORE_CASE_FILTER_INDEXES_V46                                            \
    "CREATE INDEX IF NOT EXISTS cases_received ON cases(received_at);\n"

#define STORE_MAX_PARTIES 16

struct store_party_in {
    const char *role; /* applicant, respondent, third_party */
    const char *kind; /* person, organization */
    const char *name;
    const char *id_sealed, *id_index;
    const char *phone_sealed, *phone_index;
    const char *address_sealed;
    const char *agent;
};

struct store_case_in {
    const char *channel, *category, *complexity, *facts, *claims, *cause, *occurred_on;
    const char *forecast;
    int64_t region_id;
    int has_people, has_amount;
    int64_t people, amount;
    int key_persons, urgent;
    int64_t related_to;
    struct store_party_in parties[STORE_MAX_PARTIES];
    int nparties;
    const char *search_terms;  /* space-separated tokens from text_bigrams(), or NULL */
    const char *access_digest; /* for citizens' tracking: the digest of their access code */
};

/*
 * Registers a case: numbers it within its county and year (the counter is updated in
 * the same transaction), stores it in state "registered" with its parties, writes the
 * first timeline event and the audit row. `format` is the number format (core/casenum.h),
 * `year` the year of intake. On success *id and number (numberlen bytes) are set.
 */
store_err store_case_create(struct store_conn *c, const struct store_actor *a,
                            const struct store_case_in *in, const char *format, int year,
                            int64_t *id, char *number, size_t numberlen);

/* One case (without parties) in scope. */
store_err store_case_get(struct store_conn *c, const struct store_actor *a, int64_t id,
                         struct store_rows **out);

/* A case's parties, sealed columns included (the API masks or opens them). */
store_err store_case_parties(struct store_conn *c, int64_t case_id, struct store_rows **out);

struct store_case_filter {
    const char *state, *category, *channel;
    const char *risk;  /* low, medium, high */
    const char *terms; /* every one of these search tokens (text_query) must be present */
    int64_t region_id;
    const char *overdue_on; /* cases still open whose due date is before this day */
    int64_t resp_org_id;    /* the responsible unit */
    int64_t mediator_id;    /* a mediator among the case's mediators */
    int64_t mine;           /* this user's cases: responsible person or one of the mediators */
    int64_t since, until;   /* received at or after / before (epoch ms); 0: open */
    /* A party's blind index (src/seal): cases with a party of this ID number / phone. */
    const char *party_id_index, *party_phone_index;
    const char *party_index_other; /* the same number under the other key of a rotation */
    /* One of the workbench's to-dos (store/workbench.h) beside the state filters:
     * "orders_open", "visit_due", "instalments_late" or "awaiting_feedback"; `today`
     * (YYYY-MM-DD, Beijing) is the day visits and instalments are due against. */
    const char *todo, *today;
    /* Keyset paging (issue 12): only cases after this one in queue order, i.e. after
     * (after_key, after_id) in (queue_key, id); after_id 0: none. The list then reads
     * its first page instead of skipping `page` pages with OFFSET. */
    const char *after_key;
    int64_t after_id;
    /* One case (the register's search found its number exactly: store_case_by_number). */
    int64_t case_id;
};

/*
 * The register's `total` is counted up to this many cases and no further (issue 12): an
 * exact COUNT(*) of a search matching half a million cases reads half a million rows for a
 * number no one pages through. A list whose total is the cap + 1 has "more than the cap"
 * cases (the API answers total_capped).
 */
#define STORE_CASE_COUNT_CAP 10000

/* The cap in force: STORE_CASE_COUNT_CAP, or JIEFEN_COUNT_CAP from the environment (a test
 * sets a small one so that capped totals and the walking plans run on a small register). */
int64_t store_case_count_cap(void);

/* The case in the caller's scope whose number is one of `numbers` (casenum_variants: the
 * forms a typed number may be stored under), by the unique index of numbers: *id, or 0. */
store_err store_case_by_number(struct store_conn *c, const struct store_actor *a,
                               const char numbers[CASENUM_VARIANTS][CASENUM_MAX], int64_t *id);

store_err store_case_list(struct store_conn *c, const struct store_actor *a,
                          const struct store_case_filter *f, const struct store_page *pg,
                          struct store_rows **out);

/* The queue key of case `id` (any scope: it only makes a cursor of a case already listed),
 * into key[64]. */
store_err store_case_queue_key(struct store_conn *c, int64_t id, char key[64]);

/* How many cases store_case_list would find in all (its `total`), without the page. */
store_err store_case_count(struct store_conn *c, const struct store_actor *a,
                           const struct store_case_filter *f, int64_t *n);

/*
 * The ledger (台账) and the register's export read the register's filter in pages by
 * keyset: at most `limit` cases with id > after, in id order (the order of registration),
 * so that an export of any size holds one page at a time and each page is an index range
 * (the primary key), never an OFFSET that rereads what came before.
 */
store_err store_case_ledger_page(struct store_conn *c, const struct store_actor *a,
                                 const struct store_case_filter *f, int64_t after, int limit,
                                 struct store_rows **out);

/*
 * What the ledger shows beside a page of cases with ids in (lo, hi], each ordered by case
 * id: parties (case_id, role, name, phone_sealed), mediators (case_id, name) and the
 * events that decide the outcome and the closing day (case_id, action, at). Rows of cases
 * outside the page's filter may be among them: the caller matches by case id.
 */
store_err store_case_ledger_parties(struct store_conn *c, int64_t lo, int64_t hi,
                                    struct store_rows **out);
store_err store_case_ledger_mediators(struct store_conn *c, int64_t lo, int64_t hi,
                                      struct store_rows **out);
store_err store_case_ledger_events(struct store_conn *c, int64_t lo, int64_t hi,
                                   struct store_rows **out);

/*
 * The cases linked with case `id` in scope: the one it relates to (direction "to": it
 * repeats or was merged into that one) and those relating to it ("from"): id, number,
 * state, category, received_at, direction; oldest first.
 */
store_err store_case_links(struct store_conn *c, const struct store_actor *a, int64_t id,
                           struct store_rows **out);

/* The timeline; public_only for what a citizen may see: id, at, actor_id, actor_login,
 * action, from_state, to_state, data, public, actor_name (the user's name, NULL for the
 * scheduler, citizens and deleted accounts). */
store_err store_case_events(struct store_conn *c, int64_t case_id, int public_only,
                            struct store_rows **out);

/*
 * The parties in scope recorded under a blind index (ID number or phone, either may be
 * NULL), newest case first, at most 20: name, kind, phone_sealed, address_sealed, role,
 * case_id, number, state, category, received_at. For the intake form's look-up.
 */
store_err store_party_lookup(struct store_conn *c, const struct store_actor *a,
                             const char *id_index, const char *phone_index, const char *id_other,
                             const char *phone_other, struct store_rows **out);

/* Open cases in scope whose parties match a blind index (related-case hints). */
store_err store_case_related(struct store_conn *c, const struct store_actor *a,
                             const char *id_index, const char *phone_index, const char *id_other,
                             const char *phone_other, const char *category, int64_t since_ms,
                             struct store_rows **out);

struct store_session_in {
    const char *held_at, *place, *participants, *record, *next_step;
    int online; /* held as a video meeting (在线调解) */
};

/* One instalment of an agreement: due date and amount in yuan. */
struct store_instalment_in {
    const char *due_date;
    int64_t amount;
};

/* A change of a case. NULL / -1 fields leave a column as it is. */
struct store_case_change {
    const char *action, *from_state, *to_state;
    const char *event_data; /* JSON object for the timeline */
    int public_event;       /* shown on the citizen's tracking page */
    const char *level, *routing, *method, *due_date, *lead_leader;
    const char *time_limit_kind, *mediator_ids, *expert_ids;
    const char *resume_state; /* "" clears */
    const char *visit_due;    /* the return visit's due day; "" clears */
    int time_limit_days;      /* 0: unchanged */
    int64_t resp_org_id, resp_user_id;
    int sessions;                                    /* -1 unchanged, -2 add one, else set */
    int failure_reviewed, feedback_recorded, urgent; /* -1 unchanged */
    int extended;                                    /* 1 marks the time limit extended */
    int64_t related_to;                              /* links the case to another (merge) */
    int64_t lead_leader_id;                          /* 包案领导, a user; 0 unchanged */
    int release; /* hand-over: the former mediators, experts and the responsible person are
                  * released (kept on the timeline); the unit becomes resp_org_id, 0: none */
    const char *routing_reason;             /* why the case was routed again (with `routing`) */
    const struct store_session_in *session; /* a mediation session to record */
    const struct store_instalment_in *instalments; /* an agreement's payment plan */
    int ninstalments;
};

/*
 * Applies a change; STORE_CONFLICT if the case is no longer in from_state. A change that
 * carries a routing decision also appends it to the case's routing history.
 */
store_err store_case_apply(struct store_conn *c, const struct store_actor *a, int64_t id,
                           const struct store_case_change *ch);

/* A citizen's view of a case by number (the candidates of casenum_variants) and
 * access-code digest: id, number, state, category, channel, region_name, received_at,
 * due_date, resp_org_name. STORE_NOT_FOUND when either is wrong (not told apart). */
store_err store_case_public(struct store_conn *c, const char *const numbers[CASENUM_VARIANTS],
                            const char *access_digest, struct store_rows **out);

/*
 * A lost access code replaced (找回查询码): the case with one of the numbers whose applicant
 * has both this phone and this ID number (blind indexes) gets the new code's digest; the
 * old code stops working. Timeline (internal) and audit in the same transaction; the
 * number as stored goes to number_out. STORE_NOT_FOUND when anything does not match.
 */
/* phone_index and id_index are each {current key, other key of a rotation} (the same twice
 * when the key file holds one key): an applicant row not yet re-indexed by `jiefen key
 * rotate` is found too. */
store_err store_case_recover(struct store_conn *c, const struct store_actor *a,
                             const char *const numbers[CASENUM_VARIANTS],
                             const char *const phone_index[2], const char *const id_index[2],
                             const char *access_digest, char *number_out, size_t numberlen);

/* Replaces a case's search terms by those of `text_terms` (may be NULL) and its number
 * (retention: the parties' names anonymised must no longer find the case). */
/* Rewrites the scope tokens of the search rows of the cases now in `moved` (migration 34)
 * after a region subtree moved there (store_region_load): the tokens follow the path. */
store_err store_case_rescope(struct store_conn *c, const struct region_scope *moved);

store_err store_case_set_terms(struct store_conn *c, int64_t id, const char *number,
                               const char *text_terms);

/* Adds a timeline event that does not change the state (a citizen's rating). */
store_err store_case_note(struct store_conn *c, const struct store_actor *a, int64_t id,
                          const char *action, const char *data, int public_event);

/* Public requests, for rate limits: records one, or counts those since `since`. */
store_err store_public_request(struct store_conn *c, const char *kind, const char *ip,
                               const char *phone_index);
/* Requests of `kind` from an address since a time, and the time of the latest (0: none). */
store_err store_public_tries(struct store_conn *c, const char *kind, const char *ip, int64_t since,
                             int64_t *n, int64_t *last);
/* by_phone counts requests under either blind index of the phone: phone_index (current key)
 * or phone_other (the other key of a rotation, seal_index_other; equal to phone_index or
 * NULL otherwise), so a rotation does not reset the per-phone limit. */
store_err store_public_count(struct store_conn *c, const char *kind, const char *ip,
                             const char *phone_index, const char *phone_other, int64_t since,
                             int64_t *by_ip, int64_t *by_phone);

/* Open cases whose clock runs and whose due date is on or before `until` (YYYY-MM-DD):
 * id, due_date. Not scoped: for the scheduler. */
store_err store_cases_due(struct store_conn *c, const char *until, struct store_rows **out);

/* Closed cases whose return visit is due on or before `until`: id, visit_due. */
store_err store_cases_visit_due(struct store_conn *c, const char *until, struct store_rows **out);

/* Records a warning unless it exists already; *created says whether it was new. A new
 * warning also goes on the case's timeline (internal). */
store_err store_warning_raise(struct store_conn *c, int64_t case_id, const char *kind,
                              const char *due_date, int *created);

/* Warnings of cases in scope, newest first, one per case: its most severe (due, then
 * approaching, then visit), or with `kind` its newest of that kind. */
store_err store_warning_list(struct store_conn *c, const struct store_actor *a, const char *kind,
                             const struct store_page *pg, struct store_rows **out);

/*
 * Bulk loading (demo data, migrations from other systems): a case written as it stands
 * now, with its timeline, inside the caller's transaction (store_begin / store_end around
 * many of them). No audit row per case: the caller audits the load once.
 */
struct store_case_raw {
    struct store_case_in in;
    const char *number, *state, *level, *method, *due_date, *lead_leader;
    const char *time_limit_kind, *mediator_ids;
    int time_limit_days, sessions;
    int64_t resp_org_id, lead_leader_id;
    int64_t received_at;
    const char *region_path;
    const char *const *actions; /* the events after registration, in order, NULL-terminated */
    const char *const *states;  /* the state after each of them */
};
store_err store_case_insert_raw(struct store_conn *c, const struct store_case_raw *r, int64_t *id);

/*
 * store_case_insert_raw of n cases at once, ids[i] getting raws[i]'s id: the same rows,
 * ids and order. On PostgreSQL each table's rows of the whole batch go in one COPY (a
 * million cases are some twenty million rows); on SQLite it is the loop.
 */
store_err store_case_insert_raw_many(struct store_conn *c, const struct store_case_raw *const *raws,
                                     long n, int64_t *ids);

/* Reserves `n` case numbers for a county and year; *first gets the first sequence. */
store_err store_case_reserve(struct store_conn *c, int64_t county_id, int year, int64_t n,
                             int64_t *first);

/*
 * Whether user `user_id` answers for case `id` personally (四定三包): its responsible person
 * or one of its mediators (by their mediator profile). *holds gets 1 or 0.
 */
store_err store_case_holds(struct store_conn *c, int64_t id, int64_t user_id, int *holds);

/*
 * The unit a case escalated to `level` goes to: the ancestor region at that level of the
 * place with `region_path`, and its active organization that takes cases from below (a
 * 矛调中心 first, else a 人民调解委员会). Not scoped: the escalating staff cannot see above
 * themselves. *org_id is 0 when the region has no such unit.
 */
store_err store_case_upper_unit(struct store_conn *c, const char *region_path, const char *level,
                                int64_t *region_id, char *path, size_t pathlen, int64_t *org_id);

/* A case's routing decisions, oldest first: id, at, action, level, resp_org_id,
 * resp_org_name, reason, explanation (JSON). */
store_err store_case_routings(struct store_conn *c, int64_t case_id, struct store_rows **out);

/* A case's mediation sessions, in order. */
store_err store_case_sessions(struct store_conn *c, int64_t case_id, struct store_rows **out);

struct store_attachment_in {
    const char *sha256, *name, *kind, *content_type;
    int64_t size;
};
/* Records an attachment of a case (the file is already stored) with a timeline event. */
store_err store_attachment_add(struct store_conn *c, const struct store_actor *a, int64_t case_id,
                               const struct store_attachment_in *in, int64_t *id);
store_err store_attachment_list(struct store_conn *c, int64_t case_id, struct store_rows **out);
store_err store_attachment_get(struct store_conn *c, int64_t case_id, int64_t id,
                               struct store_rows **out);

/* Supervision orders (督办): issued on a case, answered by those handling it. */
store_err store_order_issue(struct store_conn *c, const struct store_actor *a, int64_t case_id,
                            const char *level, const char *content, const char *deadline,
                            int64_t *id);
store_err store_order_reply(struct store_conn *c, const struct store_actor *a, int64_t id,
                            const char *reply);
store_err store_order_get(struct store_conn *c, const struct store_actor *a, int64_t id,
                          struct store_rows **out);
/* Orders of cases in scope; open_only; overdue_on: open orders past their deadline. */
store_err store_order_list(struct store_conn *c, const struct store_actor *a, int64_t case_id,
                           int open_only, const char *overdue_on, const struct store_page *pg,
                           struct store_rows **out);

/* Unpaid instalments (pending or late) due on or before `until` (YYYY-MM-DD): id, case_id,
 * due_date, status. Not scoped: for the scheduler; read through the partial index of
 * migration 15. */
store_err store_instalments_unpaid(struct store_conn *c, const char *until,
                                   struct store_rows **out);

/* Fulfilment (协议履行): the instalments, and changing one's status. */
store_err store_instalments(struct store_conn *c, int64_t case_id, struct store_rows **out);
store_err store_instalment_set(struct store_conn *c, const struct store_actor *a, int64_t case_id,
                               int64_t id, const char *status, const char *paid_on,
                               const char *note);

/* Judicial confirmation (司法确认) of an agreement: one record per case, updated as the
 * court proceeds. */
store_err store_confirmation_set(struct store_conn *c, const struct store_actor *a, int64_t case_id,
                                 const char *applied_on, const char *court, const char *result,
                                 const char *decided_on);
store_err store_confirmation_get(struct store_conn *c, int64_t case_id, struct store_rows **out);

/*
 * Bulk loading (jiefen demo): writing a million rows into six indexes at random places is
 * many times slower than building the indexes once afterwards. bulk_begin drops the list
 * indexes, bulk_end builds them again (also after a failed load: call it on every path).
 * The register stays correct without them, only slower, until bulk_end. On PostgreSQL
 * bulk_begin also drops the search index and the foreign keys to cases of the tables a
 * load writes (events, parties, mediators, statistics keys), bulk_end adds them back and
 * so checks every loaded row at once.
 */
store_err store_case_bulk_begin(struct store_conn *c);
store_err store_case_bulk_end(struct store_conn *c);

/*
 * Merges the SQLite search index into one segment (FTS5 'optimize'). Each registration adds
 * a small segment and FTS5 folds them only four at a time, and a broad search tests each
 * case of the queue against every segment: at a million cases 3,867 registrations after a
 * merge made a 4-character search three times slower (37 → 120 ms p50), and FTS5's
 * stepwise 'merge' did not bring it back. The scheduler runs this once a day under its
 * lease (2.5–5.8 s at a million cases, well under a second at a county's 50,000, during
 * which writers wait). No-op on PostgreSQL.
 */
store_err store_search_optimize(struct store_conn *c);

/*
 * The cases registered after the case `after_id` (ids grow with time: year × 10^10 + n),
 * counted up to `cap`, and the newest id in *max_id (0 in an empty register): the scheduler
 * merges the search index early once enough have been registered since the last merge.
 */
store_err store_case_count_after(struct store_conn *c, int64_t after_id, int64_t cap, int64_t *n,
                                 int64_t *max_id);

/* Migration 12: sets the intake risk level and the mediator index of every case
 * registered before they existed. */
store_err store_case_backfill(struct store_conn *c);

/* Migration 16: adds the tokens of its number (text_number_terms) to the search terms of
 * every case registered before the register searched by number. */
store_err store_case_number_terms(struct store_conn *c);

#endif

/*
 * cmd_demo_bulk.c - the statistics counters of a generated register, counted in bulk
 * (demo_bulk.h, docs/metrics.md).
 *
 * stats_sync (watch/stats.c) reads a digest of one case's timeline and upserts each of its
 * keys into the counters of every region above it: about a hundred statements a case, which
 * at a million cases is most of an hour. The generator writes each case's history itself,
 * so it builds the same digest from what it wrote, files the keys the same pure function
 * (stats_case_keys) gives, and sums the counters per region with one GROUP BY at the end.
 */
#include "cli/demo_bulk.h"
#include "core/region.h"
#include "core/risk.h"
#include "core/stats.h"
#include "core/timefmt.h"
#include "watch/stats.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BEIJING_MS (8LL * 3600 * 1000)
#define STEP_MS    (36LL * 3600 * 1000) /* store_case_insert_raw: events 36 h apart */
#define ANCESTORS  8

static int count_of(const char *const *actions, const char *what)
{
    int n = 0;
    for (int i = 0; actions[i]; i++)
        n += strcmp(actions[i], what) == 0;
    return n;
}

/* The digest stats_sync reads from the database (watch/stats.c digest_sql), from the case
 * as loaded: no return visit, rating or feedback yet on a generated case. */
static void digest(const struct store_case_raw *r, struct stats_case *sc)
{
    static const char *const ends[] = {"agree", "fail", "withdraw", "reopen", NULL};
    int64_t agreed_at = -1;

    memset(sc, 0, sizeof *sc);
    sc->state = r->state;
    sc->level = r->level;
    sc->method = r->method;
    sc->due_date = r->due_date;
    sc->accepted = count_of(r->actions, "accept");
    sc->sessions = count_of(r->actions, "record_session");
    sc->escalations = count_of(r->actions, "escalate");
    sc->referrals = count_of(r->actions, "refer");
    sc->fulfilled = -1;
    for (int i = 0; r->actions[i]; i++) {
        for (int k = 0; ends[k]; k++)
            if (strcmp(r->actions[i], ends[k]) == 0)
                sc->outcome = ends[k];
        /* Event i is dated (i + 1) steps after registration. */
        if (strcmp(r->actions[i], "agree") == 0)
            agreed_at = r->received_at + (int64_t)(i + 1) * STEP_MS;
    }
    /* Resolved: the latest agreement when that is the outcome (a referral's feedback is
     * the other way, and no generated case has one). */
    if (sc->outcome && strcmp(sc->outcome, "agree") == 0 && agreed_at >= 0) {
        sc->has_resolve_days = 1;
        sc->resolve_days =
            (int)((agreed_at + BEIJING_MS) / 86400000 - (r->received_at + BEIJING_MS) / 86400000);
    }
}

/* The keys of one case (stats_case_keys) and the day each is filed under. */
static int case_keys(const struct store_case_raw *r, struct stats_key *keys, const char **days,
                     char *received, size_t len)
{
    struct stats_case sc;
    int n;

    digest(r, &sc);
    timefmt_day((int32_t)((r->received_at + BEIJING_MS) / 86400000), received, len);
    n = stats_case_keys(&sc, keys);
    for (int i = 0; i < n; i++)
        days[i] = keys[i].by_due ? r->due_date : received;
    return n;
}

store_err demo_bulk_case_keys(struct store_conn *c, int64_t id, const struct store_case_raw *r)
{
    struct stats_key keys[STATS_KEYS_MAX];
    const char *days[STATS_KEYS_MAX];
    char received[16];
    store_err e = STORE_OK;
    int n = case_keys(r, keys, days, received, sizeof received);

    for (int i = 0; e == STORE_OK && i < n; i++)
        e = store_exec(c, "INSERT INTO stat_case_keys (case_id, metric, day) VALUES ($1, $2, $3)",
                       STORE_PARAMS(SP_INT(id), SP_TEXT(keys[i].metric), SP_TEXT(days[i])), NULL);
    return e;
}

void demo_bulk_case_keys_copy(struct store_copybuf *b, int64_t id, const struct store_case_raw *r)
{
    struct stats_key keys[STATS_KEYS_MAX];
    const char *days[STATS_KEYS_MAX];
    char received[16];
    int n = case_keys(r, keys, days, received, sizeof received);

    for (int i = 0; i < n; i++) {
        store_copybuf_int(b, id);
        store_copybuf_text(b, keys[i].metric);
        store_copybuf_text(b, days[i]);
        store_copybuf_row(b);
    }
}

/* demo_anc: each place with every region above it and itself (the paths that are prefixes
 * of its path ending in '/', as stats_sync's ancestors()). */
static store_err ancestors(struct store_conn *c, const struct store_rows *places)
{
    store_err e = store_exec(c,
                             "CREATE TEMP TABLE demo_anc (place_path TEXT NOT NULL,"
                             " region_id BIGINT NOT NULL)",
                             0, NULL, NULL);

    for (int p = 0; e == STORE_OK && p < places->nrows; p++) {
        const char *path = store_rows_get(places, p, 1);
        char pre[ANCESTORS][REGION_PATH_MAX];
        struct store_param prm[ANCESTORS + 1];
        int n = 0;

        for (size_t i = 1; path[i] && n < ANCESTORS && i < REGION_PATH_MAX - 1; i++)
            if (path[i] == '/') {
                memcpy(pre[n], path, i + 1);
                pre[n++][i + 1] = '\0';
            }
        prm[0] = SP_TEXT(path);
        for (int i = 0; i < ANCESTORS; i++)
            prm[1 + i] = i < n ? SP_TEXT(pre[i]) : SP_NULL;
        e = store_exec(c,
                       "INSERT INTO demo_anc (place_path, region_id) SELECT $1, id FROM regions"
                       " WHERE path IN ($2, $3, $4, $5, $6, $7, $8, $9)",
                       ANCESTORS + 1, prm, NULL);
    }
    if (e == STORE_OK)
        e = store_exec(c, "CREATE INDEX demo_anc_path ON demo_anc (place_path)", 0, NULL, NULL);
    return e;
}

/* demo_mkeys: the keys a mediator's counters keep (watch/stats.c mediator_key). */
static store_err mediator_keys(struct store_conn *c)
{
    store_err e =
        store_exec(c, "CREATE TEMP TABLE demo_mkeys (metric TEXT PRIMARY KEY)", 0, NULL, NULL);

    for (int f = 0; e == STORE_OK && f <= SF_N; f++)
        e = store_exec(
            c, "INSERT INTO demo_mkeys (metric) VALUES ($1)",
            STORE_PARAMS(SP_TEXT(f < SF_N ? stats_fig_name((enum stats_fig)f) : STATS_OPEN_DUE)),
            NULL);
    return e;
}

/* The counters' second indexes (migrations 28, 37) are dropped while the sums are written
 * and built again at the end: rows arrive in primary-key order from the GROUP BY, but in
 * random order for these, and one sort at the end is several times cheaper at a million
 * cases than a random insert per row. Same names and columns as the migrations. */
#define COUNTER_INDEXES                                                                            \
    "CREATE INDEX stat_counts_metric ON stat_counts(region_id, metric, day);"                      \
    " CREATE INDEX stat_days_backlog ON stat_days(region_id, metric, period, n)"                   \
    " WHERE category = '' AND metric IN ('open_due', 'awaiting_feedback');"                        \
    " CREATE INDEX stat_mediator_counts_open ON stat_mediator_counts(mediator_id, day, n)"         \
    " WHERE metric = 'open_due'"

/*
 * PostgreSQL checks a foreign key with a query per row: the sums' millions of rows spent
 * most of their time checking that each region exists (stat_counts, stat_days and
 * stat_months reference regions; stat_case_mediators cases, a partitioned table). The
 * rollups' primary keys take their rows in hash order, one random index insert each. For
 * the load both are dropped and added back at the end, in the same transaction and by
 * their own definitions as the catalog gives them (pg_get_constraintdef): each key is then
 * one sort and each reference one join that checks every row. stat_counts and
 * stat_mediator_counts keep their primary keys, the targets of their ON CONFLICT.
 */
#define BULK_CONSTRAINTS                                                                           \
    "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint"       \
    " WHERE conparentid = 0 AND conrelid IN ('stat_counts'::regclass, 'stat_days'::regclass,"      \
    " 'stat_months'::regclass, 'stat_mediator_counts'::regclass,"                                  \
    " 'stat_case_mediators'::regclass) AND (contype = 'f' OR (contype = 'p' AND conrelid IN"       \
    " ('stat_days'::regclass, 'stat_months'::regclass))) ORDER BY contype DESC, conname"

static store_err constraints_run(struct store_conn *c, const struct store_rows *k, int add)
{
    store_err e = STORE_OK;

    for (int i = 0; e == STORE_OK && k && i < k->nrows; i++) {
        char sql[1024];
        if (add)
            snprintf(sql, sizeof sql, "ALTER TABLE %s ADD CONSTRAINT %s %s",
                     store_rows_get(k, i, 0), store_rows_get(k, i, 1), store_rows_get(k, i, 2));
        else
            snprintf(sql, sizeof sql, "ALTER TABLE %s DROP CONSTRAINT %s", store_rows_get(k, i, 0),
                     store_rows_get(k, i, 1));
        e = store_script(c, sql);
    }
    return e;
}

/*
 * The sums are taken a chunk of cases at a time (CHUNK_KEYS keys, about a million cases):
 * at ten million cases one GROUP BY of every key, joined to each region above its case,
 * sorted ~750 million rows through temporary files and filled the disk (SQLite). Within a
 * chunk SQLite sums the keys per place first and joins only the sums to the regions above
 * it, five times fewer rows through its sorter. Each
 * chunk's rows are added to the counters already there (ON CONFLICT), so the chunks add up
 * to the one sum. $1 = first_id, [$2, $3) the chunk's case ids.
 */
#define CHUNK_KEYS  10000000
#define CHUNK_CASES " k.case_id >= $2 AND k.case_id < $3 AND k.case_id % 10000000000 >= $1"
#define COUNTS_SUM                                                                                 \
    "INSERT INTO stat_counts (region_id, day, metric, category, channel, n)"                       \
    " SELECT a.region_id, p.day, p.metric, p.category, p.channel, SUM(p.n)"                        \
    " FROM (SELECT x.region_path, k.day, k.metric, x.category, x.channel, COUNT(*) AS n"           \
    " FROM stat_case_keys k JOIN cases x ON x.id = k.case_id WHERE" CHUNK_CASES                    \
    " GROUP BY x.region_path, k.day, k.metric, x.category, x.channel) p"                           \
    " JOIN demo_anc a ON a.place_path = p.region_path WHERE p.n > 0"                               \
    " GROUP BY a.region_id, p.day, p.metric, p.category, p.channel"
/* PostgreSQL sums in one level: its aggregate of the keys per place first cost a quarter
 * more time at 100,000 cases (54 s against 44-52 s) and it needs no help with temporary space
 * within a chunk. */
#define COUNTS_SUM_PG                                                                              \
    "INSERT INTO stat_counts (region_id, day, metric, category, channel, n)"                       \
    " SELECT a.region_id, k.day, k.metric, x.category, x.channel, COUNT(*)"                        \
    " FROM stat_case_keys k JOIN cases x ON x.id = k.case_id"                                      \
    " JOIN demo_anc a ON a.place_path = x.region_path WHERE" CHUNK_CASES                           \
    " GROUP BY a.region_id, k.day, k.metric, x.category, x.channel"
#define COUNTS_UPSERT                                                                              \
    "ON CONFLICT (region_id, day, metric, category, channel)"                                      \
    " DO UPDATE SET n = stat_counts.n + excluded.n"
#define MEDIATOR_SUM                                                                               \
    "INSERT INTO stat_mediator_counts (mediator_id, day, metric, n)"                               \
    " SELECT m.mediator_id, k.day, k.metric, COUNT(*)"                                             \
    " FROM stat_case_keys k JOIN stat_case_mediators m ON m.case_id = k.case_id"                   \
    " JOIN demo_mkeys d ON d.metric = k.metric WHERE" CHUNK_CASES                                  \
    " GROUP BY m.mediator_id, k.day, k.metric"
#define MEDIATOR_UPSERT                                                                            \
    "ON CONFLICT (mediator_id, day, metric) DO UPDATE SET n = stat_mediator_counts.n + excluded.n"

/* Runs sum (three parameters: first_id and a chunk's ids) once per chunk of CHUNK_KEYS keys,
 * in case id order, saying how far it got. */
static store_err by_chunks(struct store_conn *c, const char *what, const char *sum,
                           int64_t first_id)
{
    struct store_rows *r = NULL;
    int64_t lo, hi;
    int chunk = 0, last = 0;
    /* JIEFEN_BULK_CHUNK: smaller chunks, so that a test of a small register sums several. */
    const char *env = getenv("JIEFEN_BULK_CHUNK");
    int64_t size = env && atoll(env) > 0 ? atoll(env) : CHUNK_KEYS;
    store_err e = store_exec(c, "SELECT MIN(case_id) FROM stat_case_keys", 0, NULL, &r);

    if (e != STORE_OK || !store_rows_get(r, 0, 0)) { /* no keys: nothing to sum */
        store_rows_free(r);
        return e;
    }
    for (lo = store_rows_int(r, 0, 0); e == STORE_OK && !last; lo = hi) {
        store_rows_free(r);
        r = NULL;
        e = store_exec(c,
                       "SELECT case_id FROM stat_case_keys WHERE case_id >= $1 ORDER BY case_id"
                       " LIMIT 1 OFFSET $2",
                       STORE_PARAMS(SP_INT(lo), SP_INT(size)), &r);
        if (e != STORE_OK)
            break;
        last = r->nrows == 0;
        hi = last ? INT64_MAX : store_rows_int(r, 0, 0);
        e = store_exec(c, sum, STORE_PARAMS(SP_INT(first_id), SP_INT(lo), SP_INT(hi)), NULL);
        if (e == STORE_OK && !(last && chunk == 0)) /* a small register: one chunk, no word */
            fprintf(stderr, "jiefen: %s: %s chunk %d (cases from id %lld)\n", what,
                    last ? "last" : "summed", ++chunk, (long long)lo);
    }
    store_rows_free(r);
    return e;
}

/* The counters demo_bulk_case_keys' rows sum to, for cases with id >= first_id; when
 * `replace`, the counters already there are emptied first (the keys stay). */
static store_err bulk_counters(struct store_conn *c, const struct store_rows *places,
                               int64_t first_id, int replace)
{
    static const char *const emptied[] = {"DELETE FROM stat_counts",
                                          "DELETE FROM stat_mediator_counts",
                                          "DELETE FROM stat_case_mediators"};
    struct store_rows *keys = NULL;
    store_err e = store_begin(c, 1);

    /* as stats_sync and stats_rebuild: in line with the case changes */
    if (e == STORE_OK && replace)
        e = store_lock_counters(c);
    for (size_t i = 0; e == STORE_OK && replace && i < sizeof emptied / sizeof emptied[0]; i++)
        e = store_exec(c, emptied[i], 0, NULL, NULL);

    if (e == STORE_OK && store_conn_kind(c) == STORE_PG)
        e = store_exec(c, BULK_CONSTRAINTS, 0, NULL, &keys);
    if (e == STORE_OK)
        e = constraints_run(c, keys, 0);
    if (e == STORE_OK)
        e = store_script(c, "DROP INDEX stat_counts_metric; DROP INDEX stat_days_backlog;"
                            " DROP INDEX stat_mediator_counts_open");
    if (e == STORE_OK)
        e = ancestors(c, places);
    if (e == STORE_OK)
        e = mediator_keys(c);
    /* The WHERE also lets SQLite read ON CONFLICT as the upsert clause. */
    if (e == STORE_OK)
        e = by_chunks(c, "statistics counters",
                      store_dialect(c, COUNTS_SUM " " COUNTS_UPSERT,
                                    /* In key order: PostgreSQL's hash aggregate gives them
                                     * unordered. */
                                    COUNTS_SUM_PG " ORDER BY 1, 2, 3, 4, 5 " COUNTS_UPSERT),
                      first_id);
    /* The rollups a summary reads (stat_days, stat_months) are sums of stat_counts: refilled
     * from it, as `jiefen stats rebuild` does. */
    if (e == STORE_OK)
        e = stats_rollup_rebuild(c);
    if (e == STORE_OK)
        e = store_exec(c,
                       "INSERT INTO stat_case_mediators (case_id, mediator_id)"
                       " SELECT DISTINCT case_id, mediator_id FROM case_mediators"
                       " WHERE case_id % 10000000000 >= $1",
                       STORE_PARAMS(SP_INT(first_id)), NULL);
    if (e == STORE_OK)
        e = by_chunks(c, "mediators' counters",
                      store_dialect(c, MEDIATOR_SUM " " MEDIATOR_UPSERT,
                                    MEDIATOR_SUM " ORDER BY 1, 2, 3 " MEDIATOR_UPSERT),
                      first_id);
    if (e == STORE_OK)
        e = store_exec(c, "DROP TABLE demo_anc", 0, NULL, NULL);
    if (e == STORE_OK)
        e = store_exec(c, "DROP TABLE demo_mkeys", 0, NULL, NULL);
    if (e == STORE_OK)
        e = store_script(c, COUNTER_INDEXES);
    if (e == STORE_OK)
        e = constraints_run(c, keys, 1);
    store_rows_free(keys);
    return store_end(c, e);
}

store_err demo_bulk_counters(struct store_conn *c, const struct store_rows *places,
                             int64_t first_id)
{
    return bulk_counters(c, places, first_id, 0);
}

store_err demo_bulk_recount(struct store_conn *c)
{
    struct store_rows *places = NULL;
    /* Every region: a case may lie in any of them, not only in villages and grids. */
    store_err e = store_exec(c, "SELECT id, path FROM regions", 0, NULL, &places);

    if (e == STORE_OK)
        e = bulk_counters(c, places, 0, 1);
    store_rows_free(places);
    return e;
}

/* ---- the risk grade: which generated cases the regrade may move ---- */

static int running(const char *state)
{
    return strcmp(state, "rejected") != 0 && strcmp(state, "withdrawn") != 0 &&
           strcmp(state, "closed") != 0 && strcmp(state, "archived") != 0;
}

int demo_bulk_may_regrade(struct text *text, const struct store_case_raw *r, const char *today)
{
    const struct store_case_in *in = &r->in;
    struct risk_input now = {.category = in->category,
                             .complexity = in->complexity,
                             .people = in->has_people ? in->people : -1,
                             .amount = -1,
                             .key_persons = in->key_persons,
                             .urgent = in->urgent};
    struct risk_input intake = now;
    struct risk_weights w;
    struct risk_result a, b;
    char joined[2048], why_a[1024], why_b[1024], *simple;
    int differs;

    /* As store/risk.c reads it: facts and claims, each ending in a newline, folded to
     * Simplified; what a regrade adds to the intake grade: the text, escalations, overdue. */
    snprintf(joined, sizeof joined, "%s\n%s\n", in->facts ? in->facts : "",
             in->claims ? in->claims : "");
    simple = text ? text_simplify(text, joined) : NULL;
    now.text = simple ? simple : joined;
    now.escalations = count_of(r->actions, "escalate");
    now.overdue = running(r->state) && r->due_date && strcmp(r->due_date, today) < 0;
    risk_weights_default(&w);
    risk_assess(&intake, &w, &a);
    risk_assess(&now, &w, &b);
    risk_reasons_text(&a, why_a, sizeof why_a);
    risk_reasons_text(&b, why_b, sizeof why_b);
    differs = a.level != b.level || strcmp(why_a, why_b) != 0;
    free(simple);
    return differs;
}

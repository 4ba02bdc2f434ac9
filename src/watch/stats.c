/* stats.c - the statistics counters kept exact per case, and the sums read from them
 * (watch/stats.h, docs/metrics.md). */
#include "watch/stats.h"
#include "core/region.h"
#include "core/timefmt.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BEIJING_MS (8LL * 3600 * 1000)
#define ANCESTORS  8 /* province ... grid, with room to spare */

/* The case's row and a digest of its timeline: what stats_case_keys needs. */
static const char digest_sql[] =
    "SELECT k.region_path, k.received_at, k.category, k.channel, k.state, k.level, k.method,"
    " k.due_date, k.feedback_recorded,"
    " (SELECT COUNT(*) FROM case_events e WHERE e.case_id = k.id AND e.action = 'accept'),"
    " (SELECT COUNT(*) FROM case_events e WHERE e.case_id = k.id AND e.action = 'record_session'),"
    " (SELECT COUNT(*) FROM case_events e WHERE e.case_id = k.id AND e.action = 'escalate'),"
    " (SELECT COUNT(*) FROM case_events e WHERE e.case_id = k.id AND e.action = 'refer'),"
    " (SELECT COUNT(*) FROM case_events e WHERE e.case_id = k.id AND e.action = 'return_visit'),"
    " (SELECT e.action FROM case_events e WHERE e.case_id = k.id AND e.action IN ('agree',"
    " 'fail', 'withdraw', 'reopen') ORDER BY e.id DESC LIMIT 1),"
    " (SELECT e.data FROM case_events e WHERE e.case_id = k.id AND e.action IN ('return_visit',"
    " 'citizen_rating') ORDER BY e.id DESC LIMIT 1),"
    " (SELECT e.data FROM case_events e WHERE e.case_id = k.id AND e.action = 'return_visit'"
    " ORDER BY e.id DESC LIMIT 1),"
    /* The day it was resolved (docs/metrics.md "Days to resolve"): the latest agreement, or
     * for a referral resolved elsewhere the latest feedback (闭环). */
    " (SELECT MAX(e.at) FROM case_events e WHERE e.case_id = k.id AND e.action = 'agree'),"
    " (SELECT MAX(e.at) FROM case_events e WHERE e.case_id = k.id AND e.action = 'feedback')"
    " FROM cases k WHERE k.id = $1";

/* One key as stored: the metric and the day it is dated by. */
struct held {
    char metric[STATS_KEY_MAX];
    char day[16];
};

/* The case's counter dimensions: every region above it, category, channel. */
struct dims {
    char paths[ANCESTORS][REGION_PATH_MAX];
    const char *category, *channel;
};

static void ancestors(const char *path, struct dims *d)
{
    int n = 0;

    for (size_t i = 1; path[i] && n < ANCESTORS && i < REGION_PATH_MAX - 1; i++)
        if (path[i] == '/') {
            memcpy(d->paths[n], path, i + 1);
            d->paths[n++][i + 1] = '\0';
        }
    /* Unused slots repeat the first: IN (...) ignores duplicates. */
    for (int i = n; i < ANCESTORS; i++)
        memcpy(d->paths[i], d->paths[0], sizeof d->paths[0]);
}

/* Adds delta to the counter of every region above the case; drops counters that reach 0
 * so that a rebuild, which writes only what is there, gives the same rows. */
static store_err bump(struct store_conn *c, const struct dims *d, const struct held *h, int delta)
{
#define PATHS(o)                                                                                   \
    SP_TEXT(d->paths[0]), SP_TEXT(d->paths[1]), SP_TEXT(d->paths[2]), SP_TEXT(d->paths[3]),        \
        SP_TEXT(d->paths[4]), SP_TEXT(d->paths[5]), SP_TEXT(d->paths[6]), SP_TEXT(d->paths[7])
    /* SQLite needs the WHERE to read ON CONFLICT as the upsert clause. */
    store_err e = store_exec(
        c,
        "INSERT INTO stat_counts (region_id, day, metric, category, channel, n)"
        " SELECT id, $1, $2, $3, $4, $5 FROM regions WHERE path IN ($6, $7, $8, $9, $10, $11,"
        " $12, $13) ON CONFLICT (region_id, day, metric, category, channel)"
        " DO UPDATE SET n = stat_counts.n + excluded.n",
        STORE_PARAMS(SP_TEXT(h->day), SP_TEXT(h->metric), SP_TEXT(d->category), SP_TEXT(d->channel),
                     SP_INT(delta), PATHS(0)),
        NULL);

    if (e == STORE_OK && delta < 0)
        e = store_exec(c,
                       "DELETE FROM stat_counts WHERE n = 0 AND day = $1 AND metric = $2"
                       " AND category = $3 AND channel = $4 AND region_id IN (SELECT id FROM"
                       " regions WHERE path IN ($5, $6, $7, $8, $9, $10, $11, $12))",
                       STORE_PARAMS(SP_TEXT(h->day), SP_TEXT(h->metric), SP_TEXT(d->category),
                                    SP_TEXT(d->channel), PATHS(0)),
                       NULL);
#undef PATHS
    return e;
}

/* Reads satisfaction and fulfilment from the latest rating and return visit. */
static void ratings(const char *rating, const char *visit, struct stats_case *sc)
{
    json_t *r = rating ? json_loads(rating, 0, NULL) : NULL;
    json_t *v = visit ? json_loads(visit, 0, NULL) : NULL;
    json_t *f = json_object_get(v, "fulfilled");

    sc->satisfaction = (int)json_integer_value(json_object_get(r, "satisfaction"));
    sc->fulfilled = json_is_boolean(f) ? json_is_true(f) : -1;
    json_decref(r);
    json_decref(v);
}

/* The keys the case holds now, dated, from its digest row. */
static int keys_now(const struct store_rows *r, struct held *out)
{
    struct stats_case sc = {
        .state = store_rows_get(r, 0, 4),
        .level = store_rows_get(r, 0, 5),
        .method = store_rows_get(r, 0, 6),
        .due_date = store_rows_get(r, 0, 7),
        .feedback_recorded = (int)store_rows_int(r, 0, 8),
        .accepted = (int)store_rows_int(r, 0, 9),
        .sessions = (int)store_rows_int(r, 0, 10),
        .escalations = (int)store_rows_int(r, 0, 11),
        .referrals = (int)store_rows_int(r, 0, 12),
        .visited = (int)store_rows_int(r, 0, 13),
        .outcome = store_rows_get(r, 0, 14),
    };
    struct stats_key keys[STATS_KEYS_MAX];
    char received[16];
    int n;

    int32_t got = (int32_t)((store_rows_int(r, 0, 1) + BEIJING_MS) / 86400000);
    int done = sc.outcome && strcmp(sc.outcome, "agree") == 0 ? 17 : 18;

    ratings(store_rows_get(r, 0, 15), store_rows_get(r, 0, 16), &sc);
    /* Calendar days between the Beijing days received and resolved; stats_case_keys files
     * it only for a resolved case. */
    if (store_rows_get(r, 0, done)) {
        sc.has_resolve_days = 1;
        sc.resolve_days = (int)((store_rows_int(r, 0, done) + BEIJING_MS) / 86400000 - got);
    }
    timefmt_day(got, received, sizeof received);
    n = stats_case_keys(&sc, keys);
    for (int i = 0; i < n; i++) {
        /* Both fit (codes and dates); the precision says so to the compiler. */
        snprintf(out[i].metric, sizeof out[i].metric, "%.*s", (int)sizeof out[i].metric - 1,
                 keys[i].metric);
        snprintf(out[i].day, sizeof out[i].day, "%.*s", (int)sizeof out[i].day - 1,
                 keys[i].by_due ? sc.due_date : received);
    }
    return n;
}

static int has(const struct held *set, int n, const struct held *h)
{
    for (int i = 0; i < n; i++)
        if (strcmp(set[i].metric, h->metric) == 0 && strcmp(set[i].day, h->day) == 0)
            return 1;
    return 0;
}

/* Moves the counters by the difference between what the case held and holds. */
static store_err apply_diff(struct store_conn *c, int64_t id, const struct dims *d,
                            const struct held *now, int nnow, const struct held *was, int nwas)
{
    store_err e = STORE_OK;

    for (int i = 0; e == STORE_OK && i < nwas; i++)
        if (!has(now, nnow, &was[i])) {
            e = bump(c, d, &was[i], -1);
            if (e == STORE_OK)
                e = store_exec(c, "DELETE FROM stat_case_keys WHERE case_id = $1 AND metric = $2",
                               STORE_PARAMS(SP_INT(id), SP_TEXT(was[i].metric)), NULL);
        }
    for (int i = 0; e == STORE_OK && i < nnow; i++)
        if (!has(was, nwas, &now[i])) {
            e = bump(c, d, &now[i], 1);
            if (e == STORE_OK)
                e = store_exec(
                    c,
                    "INSERT INTO stat_case_keys (case_id, metric, day) VALUES ($1, $2,"
                    " $3)",
                    STORE_PARAMS(SP_INT(id), SP_TEXT(now[i].metric), SP_TEXT(now[i].day)), NULL);
        }
    return e;
}

/* ---- the mediator dimension (考核 of mediators, docs/metrics.md) ---- */

#define MEDIATORS_MAX 16 /* mediators on one case: the case module allows far fewer */

/* The keys a mediator's counters keep: the figures and the open backlog, not the splits. */
static int mediator_key(const struct held *h)
{
    return stats_fig_parse(h->metric) >= 0 || strcmp(h->metric, STATS_OPEN_DUE) == 0;
}

static int has_id(const int64_t *ids, int n, int64_t id)
{
    for (int i = 0; i < n; i++)
        if (ids[i] == id)
            return 1;
    return 0;
}

static store_err bump_mediator(struct store_conn *c, int64_t m, const struct held *h, int delta)
{
    store_err e = store_exec(
        c,
        "INSERT INTO stat_mediator_counts (mediator_id, day, metric, n)"
        " VALUES ($1, $2, $3, $4) ON CONFLICT (mediator_id, day, metric)"
        " DO UPDATE SET n = stat_mediator_counts.n + excluded.n",
        STORE_PARAMS(SP_INT(m), SP_TEXT(h->day), SP_TEXT(h->metric), SP_INT(delta)), NULL);

    if (e == STORE_OK && delta < 0)
        e = store_exec(c,
                       "DELETE FROM stat_mediator_counts WHERE n = 0 AND mediator_id = $1 AND"
                       " day = $2 AND metric = $3",
                       STORE_PARAMS(SP_INT(m), SP_TEXT(h->day), SP_TEXT(h->metric)), NULL);
    return e;
}

/* Reads ids (column 0 of sql with $1 = the case) into out; returns how many. */
static store_err read_ids(struct store_conn *c, const char *sql, int64_t id, int64_t *out, int *n)
{
    struct store_rows *r = NULL;
    store_err e = store_exec(c, sql, STORE_PARAMS(SP_INT(id)), &r);

    *n = 0;
    for (int i = 0; e == STORE_OK && i < r->nrows && *n < MEDIATORS_MAX; i++)
        out[(*n)++] = store_rows_int(r, i, 0);
    store_rows_free(r);
    return e;
}

/*
 * The mediators' counters: every (mediator, key) pair the case held and no longer holds
 * −1, every new pair +1. stat_case_mediators remembers whom the case counted for, so that a
 * reassignment (or an escalation that releases the handlers) moves its keys from one
 * mediator to another in the same transaction.
 */
static store_err mediator_diff(struct store_conn *c, int64_t id, const struct held *now, int nnow,
                               const struct held *was, int nwas)
{
    int64_t mold[MEDIATORS_MAX], mnew[MEDIATORS_MAX];
    int nold = 0, nnew = 0;
    store_err e = read_ids(c, "SELECT mediator_id FROM stat_case_mediators WHERE case_id = $1", id,
                           mold, &nold);

    if (e == STORE_OK)
        e = read_ids(c, "SELECT mediator_id FROM case_mediators WHERE case_id = $1", id, mnew,
                     &nnew);
    for (int i = 0; e == STORE_OK && i < nold; i++)
        for (int k = 0; e == STORE_OK && k < nwas; k++)
            if (mediator_key(&was[k]) && !(has_id(mnew, nnew, mold[i]) && has(now, nnow, &was[k])))
                e = bump_mediator(c, mold[i], &was[k], -1);
    for (int i = 0; e == STORE_OK && i < nnew; i++)
        for (int k = 0; e == STORE_OK && k < nnow; k++)
            if (mediator_key(&now[k]) && !(has_id(mold, nold, mnew[i]) && has(was, nwas, &now[k])))
                e = bump_mediator(c, mnew[i], &now[k], 1);
    for (int i = 0; e == STORE_OK && i < nold; i++)
        if (!has_id(mnew, nnew, mold[i]))
            e = store_exec(
                c, "DELETE FROM stat_case_mediators WHERE case_id = $1 AND mediator_id = $2",
                STORE_PARAMS(SP_INT(id), SP_INT(mold[i])), NULL);
    for (int i = 0; e == STORE_OK && i < nnew; i++)
        if (!has_id(mold, nold, mnew[i]))
            e = store_exec(c,
                           "INSERT INTO stat_case_mediators (case_id, mediator_id) VALUES ($1, $2)",
                           STORE_PARAMS(SP_INT(id), SP_INT(mnew[i])), NULL);
    return e;
}

store_err stats_sync(struct store_conn *c, int64_t case_id)
{
    struct store_rows *r = NULL, *old = NULL;
    struct held now[STATS_KEYS_MAX], was[STATS_KEYS_MAX * 2];
    struct dims d;
    int nnow, nwas = 0;
    store_err e = store_exec(c, digest_sql, STORE_PARAMS(SP_INT(case_id)), &r);

    if (e != STORE_OK || r->nrows != 1)
        goto out;
    nnow = keys_now(r, now);
    ancestors(store_rows_get(r, 0, 0), &d);
    d.category = store_rows_get(r, 0, 2);
    d.channel = store_rows_get(r, 0, 3);
    e = store_exec(c, "SELECT metric, day FROM stat_case_keys WHERE case_id = $1",
                   STORE_PARAMS(SP_INT(case_id)), &old);
    for (int i = 0; e == STORE_OK && i < old->nrows && nwas < STATS_KEYS_MAX * 2; i++, nwas++) {
        snprintf(was[nwas].metric, sizeof was[nwas].metric, "%s", store_rows_get(old, i, 0));
        snprintf(was[nwas].day, sizeof was[nwas].day, "%s", store_rows_get(old, i, 1));
    }
    if (e == STORE_OK)
        e = mediator_diff(c, case_id, now, nnow, was, nwas);
    if (e == STORE_OK)
        e = apply_diff(c, case_id, &d, now, nnow, was, nwas);
out:
    store_rows_free(old);
    store_rows_free(r);
    return e;
}

store_err stats_rebuild(struct store_conn *c)
{
    struct store_rows *r = NULL;
    store_err e = store_begin(c, 1);

    if (e == STORE_OK)
        e = store_exec(c, "DELETE FROM stat_counts", 0, NULL, NULL);
    if (e == STORE_OK)
        e = store_exec(c, "DELETE FROM stat_case_keys", 0, NULL, NULL);
    if (e == STORE_OK)
        e = store_exec(c, "DELETE FROM stat_mediator_counts", 0, NULL, NULL);
    if (e == STORE_OK)
        e = store_exec(c, "DELETE FROM stat_case_mediators", 0, NULL, NULL);
    if (e == STORE_OK)
        e = store_exec(c, "SELECT id FROM cases ORDER BY id", 0, NULL, &r);
    for (int i = 0; e == STORE_OK && i < r->nrows; i++)
        e = stats_sync(c, store_rows_int(r, i, 0));
    store_rows_free(r);
    return store_end(c, e);
}

/* by_state, by_category, by_channel, by_level, by_method, by_outcome */
static const char *const outcomes[] = {
    "agreed", "failed", "withdrawn", "rejected", "referred_resolved", NULL};

static void count(json_t *o, const char *key, int64_t n)
{
    json_int_t was = json_integer_value(json_object_get(o, key));
    json_object_set_new(o, key, json_integer(was + n));
}

/* Files one summed row (metric, category, channel, n) into s. */
static void file_row(struct stats_sums *s, const char *metric, const char *category,
                     const char *channel, int64_t n)
{
    static const char *const prefixes[] = {"state:", "level:", "method:"};
    static const int slot[] = {0, 3, 4};
    int f = stats_fig_parse(metric);

    if (f >= 0)
        s->fig[f] += n;
    if (stats_days_parse(metric) >= 0)
        s->days[stats_days_parse(metric)] += n;
    if (f == SF_RECEIVED) {
        count(s->by[1], category, n);
        count(s->by[2], channel, n);
    }
    for (int i = 0; i < 3; i++)
        if (strncmp(metric, prefixes[i], strlen(prefixes[i])) == 0)
            count(s->by[slot[i]], metric + strlen(prefixes[i]), n);
    for (const char *const *o = outcomes; *o; o++)
        if (strcmp(metric, *o) == 0)
            count(s->by[5], metric, n);
}

store_err stats_sum(struct store_conn *c, int64_t region_id, const char *from, const char *to,
                    struct stats_sums *s)
{
    struct store_rows *r = NULL;
    int64_t ended = 0;
    store_err e;

    memset(s, 0, sizeof *s);
    for (int i = 0; i < 6; i++)
        s->by[i] = json_object();
    e = store_exec(c,
                   "SELECT metric, category, channel, SUM(n) FROM stat_counts WHERE region_id = $1"
                   " AND day >= $2 AND day <= $3 AND metric <> 'open_due'"
                   " GROUP BY metric, category, channel",
                   STORE_PARAMS(SP_INT(region_id), SP_TEXT(from), SP_TEXT(to)), &r);
    for (int i = 0; e == STORE_OK && i < r->nrows; i++)
        file_row(s, store_rows_get(r, i, 0), store_rows_get(r, i, 1), store_rows_get(r, i, 2),
                 store_rows_int(r, i, 3));
    /* The outcomes partition the cases: what has none is still open. */
    for (const char *const *o = outcomes; *o; o++)
        ended += json_integer_value(json_object_get(s->by[5], *o));
    if (e == STORE_OK && s->fig[SF_RECEIVED] - ended > 0)
        count(s->by[5], "open", s->fig[SF_RECEIVED] - ended);
    store_rows_free(r);
    return e;
}

void stats_sums_free(struct stats_sums *s)
{
    for (int i = 0; i < 6; i++) {
        json_decref(s->by[i]);
        s->by[i] = NULL;
    }
}

store_err stats_backlog(struct store_conn *c, int64_t region_id, const char *today,
                        struct stats_backlog *b)
{
    struct store_rows *r = NULL;
    /* The (region_id, metric, day) index reads these without the rest of the counters. */
    store_err e = store_exec(
        c,
        "SELECT COALESCE(SUM(CASE WHEN metric = 'open_due' THEN n ELSE 0 END), 0),"
        " COALESCE(SUM(CASE WHEN metric = 'open_due' AND day < $2 THEN n ELSE 0 END), 0),"
        " COALESCE(SUM(CASE WHEN metric = 'awaiting_feedback' THEN n ELSE 0 END), 0)"
        " FROM stat_counts WHERE region_id = $1 AND metric IN ('open_due', 'awaiting_feedback')",
        STORE_PARAMS(SP_INT(region_id), SP_TEXT(today)), &r);

    if (e == STORE_OK) {
        b->open_with_due = store_rows_int(r, 0, 0);
        b->overdue = store_rows_int(r, 0, 1);
        b->awaiting_feedback = store_rows_int(r, 0, 2);
    }
    store_rows_free(r);
    return e;
}

store_err stats_breakdown(struct store_conn *c, int64_t region_id, const char *from, const char *to,
                          const char *by, struct store_rows **out)
{
    const char *sql;

    if (strcmp(by, "region") == 0)
        sql = "SELECT CAST(g.id AS TEXT), g.name, g.population, k.metric, SUM(k.n)"
              " FROM regions g LEFT JOIN stat_counts k ON k.region_id = g.id AND k.day >= $2"
              " AND k.day <= $3 AND k.metric <> 'open_due' WHERE g.parent_id = $1"
              " GROUP BY g.id, g.name, g.population, k.metric ORDER BY g.id";
    else if (strcmp(by, "category") == 0)
        sql = "SELECT category, category, NULL, metric, SUM(n) FROM stat_counts"
              " WHERE region_id = $1 AND day >= $2 AND day <= $3 AND metric <> 'open_due'"
              " GROUP BY category, metric ORDER BY category";
    else
        sql = "SELECT SUBSTR(day, 1, 7), SUBSTR(day, 1, 7), NULL, metric, SUM(n) FROM stat_counts"
              " WHERE region_id = $1 AND day >= $2 AND day <= $3 AND metric <> 'open_due'"
              " GROUP BY SUBSTR(day, 1, 7), metric ORDER BY 1";
    return store_exec(c, sql, STORE_PARAMS(SP_INT(region_id), SP_TEXT(from), SP_TEXT(to)), out);
}

store_err stats_mediator_breakdown(struct store_conn *c, const struct region_scope *sub,
                                   const char *from, const char *to, struct store_rows **out)
{
    /* The mediators of the subtree's units (调委会, 矛调中心 …) and their counters of the
     * period: one indexed read per mediator, no scan of cases. */
    return store_exec(
        c,
        "SELECT CAST(m.id AS TEXT), m.name, NULL, k.metric, SUM(k.n) FROM mediators m"
        " LEFT JOIN stat_mediator_counts k ON k.mediator_id = m.id AND k.day >= $3"
        " AND k.day <= $4 AND k.metric <> 'open_due' WHERE m.id IN (SELECT mo.mediator_id"
        " FROM mediator_orgs mo JOIN organizations o ON o.id = mo.org_id JOIN regions g"
        " ON g.id = o.region_id WHERE g.path >= $1 AND g.path < $2)"
        " GROUP BY m.id, m.name, k.metric ORDER BY m.id",
        STORE_PARAMS(SP_TEXT(sub->lo), SP_TEXT(sub->hi), SP_TEXT(from), SP_TEXT(to)), out);
}

store_err stats_mediator_backlog(struct store_conn *c, int64_t mediator_id, const char *today,
                                 struct stats_backlog *b)
{
    struct store_rows *r = NULL;
    store_err e = store_exec(
        c,
        "SELECT COALESCE(SUM(n), 0), COALESCE(SUM(CASE WHEN day < $2 THEN n ELSE 0 END), 0)"
        " FROM stat_mediator_counts WHERE mediator_id = $1 AND metric = 'open_due'",
        STORE_PARAMS(SP_INT(mediator_id), SP_TEXT(today)), &r);

    memset(b, 0, sizeof *b);
    if (e == STORE_OK) {
        b->open_with_due = store_rows_int(r, 0, 0);
        b->overdue = store_rows_int(r, 0, 1);
    }
    store_rows_free(r);
    return e;
}

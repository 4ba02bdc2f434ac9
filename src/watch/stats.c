/* stats.c - the statistics counters kept exact per case, and the sums read from them
 * (watch/stats.h, docs/metrics.md). */
#include "watch/stats.h"
#include "core/region.h"
#include "core/timefmt.h"
#include "store/tally.h"

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
    int64_t ids[ANCESTORS]; /* the regions of those paths that exist (region_ids) */
    int nids;
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

/* The ids of the regions on the case's path, once per change: the upserts below name the
 * rows by id instead of joining regions by path in every statement. */
static store_err region_ids(struct store_conn *c, struct dims *d)
{
    struct store_rows *r = NULL;
    store_err e =
        store_exec(c, "SELECT id FROM regions WHERE path IN ($1, $2, $3, $4, $5, $6, $7, $8)",
                   STORE_PARAMS(SP_TEXT(d->paths[0]), SP_TEXT(d->paths[1]), SP_TEXT(d->paths[2]),
                                SP_TEXT(d->paths[3]), SP_TEXT(d->paths[4]), SP_TEXT(d->paths[5]),
                                SP_TEXT(d->paths[6]), SP_TEXT(d->paths[7])),
                   &r);

    d->nids = 0;
    for (int i = 0; e == STORE_OK && i < r->nrows && d->nids < ANCESTORS; i++)
        d->ids[d->nids++] = store_rows_int(r, i, 0);
    store_rows_free(r);
    return e;
}

/* The counter tables, in the order their rows are written at the commit (store/tally.h). */
static const struct store_tally_table t_counts = {
    "stat_counts", "region_id", {"day", "metric", "category", "channel"}, 4, 1};
static const struct store_tally_table t_days = {
    "stat_days", "region_id", {"period", "category", "metric"}, 3, 2};
static const struct store_tally_table t_months = {
    "stat_months", "region_id", {"period", "category", "metric"}, 3, 3};
static const struct store_tally_table t_mediators = {
    "stat_mediator_counts", "mediator_id", {"day", "metric"}, 2, 4};

/* Adds delta to the counter of every region above the case, at the commit; the tally drops
 * counters that reach 0 so that a rebuild, which writes only what is there, gives the same
 * rows. */
static store_err bump(struct store_conn *c, const struct dims *d, const struct held *h, int delta)
{
    const char *key[] = {h->day, h->metric, d->category, d->channel};
    store_err e = STORE_OK;

    for (int i = 0; e == STORE_OK && i < d->nids; i++)
        e = store_tally_add(c, &t_counts, d->ids[i], key, delta);
    return e;
}

/*
 * The rollups (migration 31, docs/metrics.md "Speed"): for each region above the case, the
 * key's row without category and channel (category ''), for a figure its row per category,
 * and for `received` the keys "category:<c>" and "channel:<c>" that a summary's by_category
 * and by_channel read, added to the tally (written at the commit, store/tally.h);
 * stats_rollup_rebuild computes the same rows from stat_counts, so the exactness test holds
 * them to a recount too.
 */
static store_err roll(struct store_conn *c, const struct dims *d, const struct held *h, int delta)
{
    int received = strcmp(h->metric, "received") == 0, fig = stats_fig_parse(h->metric) >= 0;
    char period[16], cat[STATS_KEY_MAX + 16], chan[STATS_KEY_MAX + 16];
    /* The rows this key moves: its figure per category, its own row, and for received the
     * category's and the channel's keys. NULL: no such row. */
    const char *cm = fig && *d->category ? h->metric : NULL, *ck = received ? cat : NULL,
               *hk = received ? chan : NULL;
    store_err e = STORE_OK;

    snprintf(cat, sizeof cat, "category:%s", d->category);
    snprintf(chan, sizeof chan, "channel:%s", d->channel);
    /* (category, metric) of each row the key moves in each region; NULL metric: none. */
    const char *rows[4][2] = {{d->category, cm}, {"", h->metric}, {"", ck}, {"", hk}};

    for (int g = 0; e == STORE_OK && g < 2; g++) {
        /* The day, then its month (YYYY-MM). */
        snprintf(period, sizeof period, "%.*s", g ? 7 : 10, h->day);
        for (int i = 0; e == STORE_OK && i < d->nids; i++)
            for (int k = 0; e == STORE_OK && k < 4; k++)
                if (rows[k][1])
                    e = store_tally_add(c, g ? &t_months : &t_days, d->ids[i],
                                        (const char *[]){period, rows[k][0], rows[k][1]}, delta);
    }
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

/* Moves the counters (and, when `rollups`, the rollups) by the difference between what the
 * case held and holds. */
static store_err apply_diff(struct store_conn *c, int64_t id, const struct dims *d,
                            const struct held *now, int nnow, const struct held *was, int nwas,
                            int rollups)
{
    store_err e = STORE_OK;

    for (int i = 0; e == STORE_OK && i < nwas; i++)
        if (!has(now, nnow, &was[i])) {
            e = bump(c, d, &was[i], -1);
            if (e == STORE_OK && rollups)
                e = roll(c, d, &was[i], -1);
            if (e == STORE_OK)
                e = store_exec(c, "DELETE FROM stat_case_keys WHERE case_id = $1 AND metric = $2",
                               STORE_PARAMS(SP_INT(id), SP_TEXT(was[i].metric)), NULL);
        }
    for (int i = 0; e == STORE_OK && i < nnow; i++)
        if (!has(was, nwas, &now[i])) {
            e = bump(c, d, &now[i], 1);
            if (e == STORE_OK && rollups)
                e = roll(c, d, &now[i], 1);
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
    return store_tally_add(c, &t_mediators, m, (const char *[]){h->day, h->metric}, delta);
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

/* Brings one case up to date; the rollups too when `rollups` (a rebuild refills them from
 * stat_counts at the end instead: one set-based pass, not one upsert per key). */
static store_err sync_case(struct store_conn *c, int64_t case_id, int rollups)
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
    e = region_ids(c, &d);
    if (e == STORE_OK)
        e = store_exec(c, "SELECT metric, day FROM stat_case_keys WHERE case_id = $1",
                       STORE_PARAMS(SP_INT(case_id)), &old);
    for (int i = 0; e == STORE_OK && i < old->nrows && nwas < STATS_KEYS_MAX * 2; i++, nwas++) {
        snprintf(was[nwas].metric, sizeof was[nwas].metric, "%s", store_rows_get(old, i, 0));
        snprintf(was[nwas].day, sizeof was[nwas].day, "%s", store_rows_get(old, i, 1));
    }
    if (e == STORE_OK)
        e = mediator_diff(c, case_id, now, nnow, was, nwas);
    if (e == STORE_OK)
        e = apply_diff(c, case_id, &d, now, nnow, was, nwas, rollups);
out:
    store_rows_free(old);
    store_rows_free(r);
    return e;
}

store_err stats_sync(struct store_conn *c, int64_t case_id)
{
    /* The counter rows are not written here but at the commit, summed with those of every
     * other change committed with this one, in one order and under the counters' lock
     * (store/tally.h): two concurrent changes that upserted rows in opposite orders made
     * PostgreSQL abort one as a deadlock, and a lock taken here held every other change
     * back for the whole of this one. */
    return sync_case(c, case_id, 1);
}

/* Empties the counters and syncs every case; the caller holds the transaction. */
static store_err recount(struct store_conn *c)
{
    static const char *const tables[] = {"DELETE FROM stat_counts", "DELETE FROM stat_case_keys",
                                         "DELETE FROM stat_mediator_counts",
                                         "DELETE FROM stat_case_mediators"};
    struct store_rows *r = NULL;
    store_err e = store_lock_counters(c); /* as stats_sync: in line with the case changes */

    for (size_t i = 0; e == STORE_OK && i < sizeof tables / sizeof tables[0]; i++)
        e = store_exec(c, tables[i], 0, NULL, NULL);
    if (e == STORE_OK)
        e = store_exec(c, "SELECT id FROM cases ORDER BY id", 0, NULL, &r);
    for (int i = 0; e == STORE_OK && i < r->nrows; i++)
        e = sync_case(c, store_rows_int(r, i, 0), 0);
    store_rows_free(r);
    /* The rollups' refill reads the counters in this transaction: written first. */
    return e == STORE_OK ? store_tally_flush(c) : e;
}

store_err stats_rebuild_counters(struct store_conn *c)
{
    store_err e = store_begin(c, 1);

    if (e == STORE_OK)
        e = recount(c);
    return store_end(c, e);
}

store_err stats_rebuild(struct store_conn *c)
{
    store_err e = store_begin(c, 1);

    if (e == STORE_OK)
        e = recount(c);
    if (e == STORE_OK)
        e = stats_rollup_rebuild(c);
    return store_end(c, e);
}

/* The figures' metrics (no ':' and not the backlog's open_due) are also kept per category:
 * the same test as roll's stats_fig_parse, in SQL. */
#define FIG_METRIC "metric NOT LIKE '%:%' AND metric <> 'open_due'"

store_err stats_rollup_rebuild(struct store_conn *c)
{
    static const char *const fill[] = {
        "DELETE FROM stat_days",
        "DELETE FROM stat_months",
        "INSERT INTO stat_days (region_id, period, category, metric, n) SELECT region_id, day,"
        " '', metric, SUM(n) FROM stat_counts GROUP BY region_id, day, metric",
        "INSERT INTO stat_days (region_id, period, category, metric, n) SELECT region_id, day,"
        " category, metric, SUM(n) FROM stat_counts WHERE category <> '' AND " FIG_METRIC
        " GROUP BY region_id, day, category, metric",
        "INSERT INTO stat_days (region_id, period, category, metric, n) SELECT region_id, day,"
        " '', 'category:' || category, SUM(n) FROM stat_counts WHERE metric = 'received'"
        " GROUP BY region_id, day, category",
        "INSERT INTO stat_days (region_id, period, category, metric, n) SELECT region_id, day,"
        " '', 'channel:' || channel, SUM(n) FROM stat_counts WHERE metric = 'received'"
        " GROUP BY region_id, day, channel",
        "INSERT INTO stat_months (region_id, period, category, metric, n) SELECT region_id,"
        " SUBSTR(period, 1, 7), category, metric, SUM(n) FROM stat_days"
        " GROUP BY region_id, SUBSTR(period, 1, 7), category, metric",
    };
    store_err e = STORE_OK;

    for (size_t i = 0; e == STORE_OK && i < sizeof fill / sizeof fill[0]; i++)
        e = store_exec(c, fill[i], 0, NULL, NULL);
    return e;
}

/* by_state, by_category, by_channel, by_level, by_method, by_outcome */
static const char *const outcomes[] = {
    "agreed", "failed", "withdrawn", "rejected", "referred_resolved", NULL};

static void count(json_t *o, const char *key, int64_t n)
{
    json_int_t was = json_integer_value(json_object_get(o, key));
    json_object_set_new(o, key, json_integer(was + n));
}

/* Files one summed row (metric, n) into s: the figures, the days to resolve, and the
 * splits, of which by_category and by_channel are keys of the rollups. */
static void file_row(struct stats_sums *s, const char *metric, int64_t n)
{
    static const char *const prefixes[] = {"state:", "category:", "channel:", "level:", "method:"};
    int f = stats_fig_parse(metric);

    if (f >= 0)
        s->fig[f] += n;
    if (stats_days_parse(metric) >= 0)
        s->days[stats_days_parse(metric)] += n;
    for (int i = 0; i < 5; i++)
        if (strncmp(metric, prefixes[i], strlen(prefixes[i])) == 0)
            count(s->by[i], metric + strlen(prefixes[i]), n);
    for (const char *const *o = outcomes; *o; o++)
        if (strcmp(metric, *o) == 0)
            count(s->by[5], metric, n);
}

/*
 * A period as the rollups read it (docs/metrics.md "Speed"): its whole months from
 * stat_months, the days before the first whole month and after the last from stat_days. An
 * empty range is lo > hi ("9" > "0"). A period without a whole month is one range of days
 * (at most 61 of them).
 */
struct span {
    char dlo[16], dhi[16], mlo[16], mhi[16], tlo[16], thi[16];
};

/* The first day of the month of day d, as a day number. */
static int32_t month_start(int32_t d)
{
    char s[16];
    int32_t out = d;

    timefmt_day(d, s, sizeof s);
    memcpy(s + 8, "01", 3);
    timefmt_day_parse(s, &out);
    return out;
}

/* The first day of the month after the month of day d. */
static int32_t next_month(int32_t d)
{
    return month_start(month_start(d) + 31);
}

static void none(char *lo, char *hi)
{
    strcpy(lo, "9");
    strcpy(hi, "0");
}

static int span_of(const char *from, const char *to, struct span *sp)
{
    int32_t f, t, lo, hi;

    if (timefmt_day_parse(from, &f) != 0 || timefmt_day_parse(to, &t) != 0)
        return -1;
    lo = month_start(f) == f ? f : next_month(f);         /* first day of the first whole month */
    hi = next_month(t) - 1 == t ? t : month_start(t) - 1; /* last day of the last one */
    none(sp->tlo, sp->thi);
    if (lo > hi) { /* no whole month */
        none(sp->mlo, sp->mhi);
        timefmt_day(f, sp->dlo, sizeof sp->dlo);
        timefmt_day(t, sp->dhi, sizeof sp->dhi);
        return 0;
    }
    timefmt_day(lo, sp->mlo, sizeof sp->mlo);
    timefmt_day(hi, sp->mhi, sizeof sp->mhi);
    sp->mlo[7] = sp->mhi[7] = '\0';
    if (f < lo) {
        timefmt_day(f, sp->dlo, sizeof sp->dlo);
        timefmt_day(lo - 1, sp->dhi, sizeof sp->dhi);
    } else {
        none(sp->dlo, sp->dhi);
    }
    if (t > hi) {
        timefmt_day(hi + 1, sp->tlo, sizeof sp->tlo);
        timefmt_day(t, sp->thi, sizeof sp->thi);
    }
    return 0;
}

/* The three ranges of a span as a subquery of (region_id, period, category, metric, n);
 * $1 is the region (or the parent in a breakdown by region), $2..$7 the span. COND
 * restricts the rows and REGION says which region ids are read. */
#define SPAN_ROWS(COND, REGION)                                                                    \
    "SELECT region_id, period, category, metric, n FROM stat_days WHERE " REGION                   \
    " AND period >= $2 AND period <= $3 AND " COND                                                 \
    " UNION ALL SELECT region_id, period, category, metric, n FROM stat_months WHERE " REGION      \
    " AND period >= $4 AND period <= $5 AND " COND                                                 \
    " UNION ALL SELECT region_id, period, category, metric, n FROM stat_days WHERE " REGION        \
    " AND period >= $6 AND period <= $7 AND " COND
#define SPAN_PARAMS(id, sp)                                                                        \
    STORE_PARAMS(SP_INT(id), SP_TEXT((sp).dlo), SP_TEXT((sp).dhi), SP_TEXT((sp).mlo),              \
                 SP_TEXT((sp).mhi), SP_TEXT((sp).tlo), SP_TEXT((sp).thi))

static store_err span_exec(struct store_conn *c, const char *sql, int64_t id, const char *from,
                           const char *to, struct store_rows **out)
{
    struct span sp;

    if (span_of(from, to, &sp) != 0) {
        store_conn_seterr(c, "invalid period");
        return STORE_ERROR;
    }
    return store_exec(c, sql, SPAN_PARAMS(id, sp), out);
}

store_err stats_sum(struct store_conn *c, int64_t region_id, const char *from, const char *to,
                    struct stats_sums *s)
{
    /* Summed in SQL: one row per metric (the category and channel splits are keys of their
     * own), whatever the size of the register. */
    static const char sql[] = "SELECT metric, SUM(n) FROM (" SPAN_ROWS(
        "category = '' AND metric <> 'open_due'", "region_id = $1") ") u GROUP BY metric";
    struct store_rows *r = NULL;
    int64_t ended = 0;
    store_err e;

    memset(s, 0, sizeof *s);
    for (int i = 0; i < 6; i++)
        s->by[i] = json_object();
    e = span_exec(c, sql, region_id, from, to, &r);
    for (int i = 0; e == STORE_OK && i < r->nrows; i++)
        file_row(s, store_rows_get(r, i, 0), store_rows_int(r, i, 1));
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

/* The backlog's keys are kept per day with category '', read through the partial covering
 * index stat_days_backlog (migration 37): at most one row per region and due day, whatever
 * the register's size. */
#define BACKLOG_SUMS                                                                               \
    "COALESCE(SUM(CASE WHEN k.metric = 'open_due' THEN k.n ELSE 0 END), 0),"                       \
    " COALESCE(SUM(CASE WHEN k.metric = 'open_due' AND k.period < $2 THEN k.n ELSE 0 END), 0),"    \
    " COALESCE(SUM(CASE WHEN k.metric = 'awaiting_feedback' THEN k.n ELSE 0 END), 0)"

store_err stats_backlog(struct store_conn *c, int64_t region_id, const char *today,
                        struct stats_backlog *b)
{
    struct store_rows *r = NULL;
    store_err e = store_exec(c,
                             "SELECT " BACKLOG_SUMS " FROM stat_days k WHERE k.region_id = $1"
                             " AND k.metric IN ('open_due', 'awaiting_feedback')"
                             " AND k.category = ''",
                             STORE_PARAMS(SP_INT(region_id), SP_TEXT(today)), &r);

    if (e == STORE_OK) {
        b->open_with_due = store_rows_int(r, 0, 0);
        b->overdue = store_rows_int(r, 0, 1);
        b->awaiting_feedback = store_rows_int(r, 0, 2);
    }
    store_rows_free(r);
    return e;
}

/* The states of stats_todo_states: the same list as migration 39's partial index
 * stat_months_states, which holds only these rows with category '' (a count is then one
 * covering range of at most one row per month). */
#define TODO_STATE_METRICS                                                                         \
    "('state:registered', 'state:accepted', 'state:assigned', 'state:mediating', 'state:failed')"

store_err stats_todo_states(struct store_conn *c, int64_t region_id,
                            int64_t by_state[CASE_STATES + 1])
{
    static const enum case_state todo[] = {CS_REGISTERED, CS_ACCEPTED, CS_ASSIGNED, CS_MEDIATING,
                                           CS_FAILED};
    struct store_rows *r = NULL;
    store_err e =
        store_exec(c,
                   "SELECT metric, SUM(n) FROM stat_months WHERE region_id = $1"
                   " AND category = '' AND metric IN " TODO_STATE_METRICS " GROUP BY metric",
                   STORE_PARAMS(SP_INT(region_id)), &r);

    for (int s = 0; s <= CASE_STATES; s++)
        by_state[s] = -1;
    /* A counter that reaches 0 is deleted (store/tally.h): no row is a count of 0. */
    for (size_t i = 0; e == STORE_OK && i < sizeof todo / sizeof todo[0]; i++)
        by_state[todo[i]] = 0;
    for (int i = 0; e == STORE_OK && i < r->nrows; i++) {
        const char *m = store_rows_get(r, i, 0);
        int s = (int)case_state_parse(m + strlen("state:"));
        if (s > 0 && s <= CASE_STATES)
            by_state[s] = store_rows_int(r, i, 1);
    }
    store_rows_free(r);
    return e;
}

store_err stats_child_backlogs(struct store_conn *c, int64_t region_id, const char *today,
                               struct store_rows **out)
{
    /* One statement for every child region (考核): no query per unit. */
    return store_exec(c,
                      "SELECT g.id, " BACKLOG_SUMS " FROM regions g LEFT JOIN stat_days k"
                      " ON k.region_id = g.id AND k.metric IN ('open_due', 'awaiting_feedback')"
                      " AND k.category = '' WHERE g.parent_id = $1 GROUP BY g.id ORDER BY g.id",
                      STORE_PARAMS(SP_INT(region_id), SP_TEXT(today)), out);
}

/* The breakdowns: the span's rows summed per key and metric. */
#define FIGURE_ROWS   "category = '' AND metric <> 'open_due'"
#define CATEGORY_ROWS "category <> '' AND metric <> 'open_due'"
#define CHILDREN      "region_id IN (SELECT id FROM regions WHERE parent_id = $1)"
#define BY_REGION_SQL                                                                              \
    "SELECT CAST(u.id AS TEXT), u.name, u.population, u.metric, SUM(u.n) FROM (SELECT g.id,"       \
    " g.name, g.population, k.metric, k.n FROM regions g JOIN (" SPAN_ROWS(                        \
        FIGURE_ROWS, CHILDREN) ") k ON k.region_id = g.id WHERE g.parent_id = $1 UNION ALL "       \
                               "SELECT g.id, g.name,"                                              \
                               " g.population, NULL, 0 FROM regions g WHERE g.parent_id = $1) u"   \
                               " GROUP BY u.id, u.name, u.population, u.metric ORDER BY u.id"
#define BY_CATEGORY_SQL                                                                            \
    "SELECT category, category, NULL, metric, SUM(n) FROM (" SPAN_ROWS(                            \
        CATEGORY_ROWS, "region_id = $1") ") u GROUP BY category, metric ORDER BY category"
#define BY_MONTH_SQL                                                                               \
    "SELECT SUBSTR(period, 1, 7), SUBSTR(period, 1, 7), NULL, metric, SUM(n) FROM (" SPAN_ROWS(    \
        FIGURE_ROWS, "region_id = $1") ") u GROUP BY SUBSTR(period, 1, 7), metric ORDER BY 1"

store_err stats_breakdown(struct store_conn *c, int64_t region_id, const char *from, const char *to,
                          const char *by, struct store_rows **out)
{
    /* Each arm of the span reads the children by the (region_id, period, ...) key; the
     * regions without rows still get a row (metric NULL) so that every unit is listed. */
    static const char by_region[] = BY_REGION_SQL;
    static const char by_category[] = BY_CATEGORY_SQL;
    static const char by_month[] = BY_MONTH_SQL;

    return span_exec(c,
                     strcmp(by, "region") == 0     ? by_region
                     : strcmp(by, "category") == 0 ? by_category
                                                   : by_month,
                     region_id, from, to, out);
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

store_err stats_mediator_backlogs(struct store_conn *c, const struct region_scope *sub,
                                  const char *today, struct store_rows **out)
{
    /* The same mediators as stats_mediator_breakdown, in the same id order, in one read by
     * (mediator_id, metric) instead of one per mediator. */
    return store_exec(
        c,
        "SELECT k.mediator_id, SUM(k.n), SUM(CASE WHEN k.day < $3 THEN k.n ELSE 0 END)"
        " FROM stat_mediator_counts k WHERE k.metric = 'open_due' AND k.mediator_id IN"
        " (SELECT mo.mediator_id FROM mediator_orgs mo JOIN organizations o ON o.id = mo.org_id"
        " JOIN regions g ON g.id = o.region_id WHERE g.path >= $1 AND g.path < $2)"
        " GROUP BY k.mediator_id ORDER BY k.mediator_id",
        STORE_PARAMS(SP_TEXT(sub->lo), SP_TEXT(sub->hi), SP_TEXT(today)), out);
}

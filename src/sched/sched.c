#include "sched/sched.h"
#include "case/case.h"
#include "core/deadline.h"
#include "core/timefmt.h"
#include "notify/notify.h"
#include "store/cases.h"
#include "store/lease.h"
#include "store/partition.h"
#include "store/rules.h"
#include "store/settings.h"
#include "watch/alert.h"
#include "watch/investigate.h"
#include "watch/keyperson.h"
#include "watch/quarterly.h"
#include "watch/trend.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

int32_t sched_today(void)
{
    return (int32_t)((store_now_ms() + 8LL * 3600 * 1000) / 86400000);
}

/* Raises one warning through the case module; adds it to *raised if it is new. */
static store_err warn(const struct case_env *env, int64_t id, const char *kind, const char *date,
                      int *raised)
{
    struct case_out out = {0};
    int created = 0;

    if (case_warn(env, id, kind, date, &created, &out) != CASE_OK)
        return out.store;
    *raised += created;
    return STORE_OK;
}

/* The day of the last overdue regrade in this process (one pass a day is enough). */
static _Atomic int32_t overdue_day;

store_err sched_scan(struct store_conn *c, int32_t today, int lead_days, int *raised)
{
    struct store_actor sys;
    struct case_env env = {c, &sys, NULL, NULL, NULL, today, NULL};
    struct case_out out = {0};
    struct calendar_day *days = NULL;
    struct store_rows *due = NULL;
    size_t ndays = 0;
    char until[16];
    store_err e;

    *raised = 0;
    store_actor_system(&sys);
    snprintf(sys.login, sizeof sys.login, "scheduler");
    if (lead_days < 0)
        lead_days = (int)store_setting_int(c, "warning_lead_days");
    e = store_calendar_load(c, &days, &ndays);
    if (e != STORE_OK)
        return e;
    {
        struct calendar cal = {days, ndays};
        /* Everything due within the warning window; the window in calendar days is at
         * most lead_days working days ahead. */
        timefmt_day(calendar_add(&cal, today, lead_days, 1), until, sizeof until);
        e = store_cases_due(c, until, &due);
        for (int r = 0; e == STORE_OK && r < due->nrows; r++) {
            int32_t d;
            const char *date = store_rows_get(due, r, 1);
            if (timefmt_day_parse(date, &d) != 0)
                continue;
            enum deadline_warning w = deadline_check(&cal, today, d, lead_days);
            if (w == DEADLINE_NONE)
                continue;
            /* A case that reaches its limit gets both warnings, in order. */
            if (w == DEADLINE_DUE)
                e = warn(&env, store_rows_int(due, r, 0), "approaching", date, raised);
            if (e == STORE_OK)
                e = warn(&env, store_rows_int(due, r, 0), deadline_warning_name(w), date, raised);
        }
    }
    store_rows_free(due);
    due = NULL;
    /* Return visits (回访) that are due: a warning on the day, once. */
    if (e == STORE_OK) {
        char today_s[16];
        timefmt_day(today, today_s, sizeof today_s);
        e = store_cases_visit_due(c, today_s, &due);
        for (int r = 0; e == STORE_OK && r < due->nrows; r++)
            e = warn(&env, store_rows_int(due, r, 0), "visit", store_rows_get(due, r, 1), raised);
        store_rows_free(due);
    }
    /* Instalments that fall due today or have lapsed unpaid (协议履行). */
    if (e == STORE_OK && case_scan_instalments(&env, raised, &out) != CASE_OK)
        e = out.store;
    /* Once a day: cases whose time limit passed in the last week are regraded, so that the
     * overdue factor counts without waiting for their next change (a week covers a server
     * that was down for days; older ones were regraded then). */
    if (e == STORE_OK && overdue_day != today) {
        int moved = 0;
        if (case_risk_scan_overdue(&env, 7, &moved, &out) != CASE_OK)
            e = out.store;
        else
            overdue_day = today;
    }
    /* Key persons whose review is due: their responsible user is told, once per day due. */
    if (e == STORE_OK) {
        char today_s[16];
        int sent = 0;
        timefmt_day(today, today_s, sizeof today_s);
        e = keyperson_remind(c, today_s, &sent);
        *raised += sent;
    }
    free(days);
    return e;
}

store_err sched_watch(struct store_conn *c, int32_t today, int *misses, int *spikes)
{
    store_err e;

    *misses = *spikes = 0;
    e = investigate_scan(c, today, misses);
    if (e == STORE_OK)
        e = trend_scan(c, today, spikes);
    return e;
}

/*
 * The search index merged into one segment (store_search_optimize; docs/performance.md "A
 * million cases"): once a day, and sooner once SEARCH_MERGE_AFTER cases have been registered
 * since the last merge. Between merges a broad search slows with every registration (each
 * adds a segment that every case the search tests is looked up in): at a million cases,
 * ~2,200 registrations took a county's 4-character search from 37 to 95 ms p50 (p99 70 →
 * 142 ms; bench/results/2026-12-07-1m.md). A merge makes writers wait (2.5–6 s at a
 * million cases, under a second at a county's 50,000), so not more often than this.
 */
#define SEARCH_MERGE_AFTER 1000

static void search_optimize(struct store_conn *c, const char *reason)
{
    int64_t t0 = store_now_ms();

    if (store_search_optimize(c) != STORE_OK)
        fprintf(stderr, "{\"msg\":\"search index merge failed\",\"error\":\"%s\"}\n",
                store_conn_error(c));
    else
        fprintf(stderr, "{\"msg\":\"search index merged\",\"reason\":\"%s\",\"ms\":%lld}\n", reason,
                (long long)(store_now_ms() - t0));
}

/* The lease every instance's scheduler competes for (store/lease.h). */
#define SCHED_JOB "scheduler"

struct sched {
    struct store *st;
    int interval_s, lead_days;
    int stopping;
    int held;               /* 1 while this instance holds the lease (for the log on changes) */
    char holder[128];       /* host:pid:random, as the outbox's lease owner */
    int32_t partitions_day; /* the day the year partitions were last made sure of */
    int32_t search_day;     /* the day the search index was last merged (or, at first, started) */
    int64_t search_id;      /* the newest case at the last merge (or at start-up) */
    int search_marked;      /* search_id has been read */
    int64_t merge_after;    /* SEARCH_MERGE_AFTER, or JIEFEN_SEARCH_MERGE_AFTER (tests) */
    pthread_mutex_t lock;
    pthread_cond_t wake;
    pthread_t thread;
};

/*
 * Merges the search index when it is due: SEARCH_MERGE_AFTER cases registered since the last
 * merge, or a new day. The newest case id at start-up is the first mark (no merge at start:
 * at a million cases writers would wait seconds at every restart). A failed merge is not
 * retried before the next day or the next SEARCH_MERGE_AFTER cases.
 */
static void search_merge(struct sched *s, struct store_conn *c)
{
    int64_t n = 0, newest = 0;
    int counted;

    if (store_conn_kind(c) != STORE_SQLITE) /* PostgreSQL's GIN index merges itself */
        return;
    counted = store_case_count_after(c, s->search_id, s->merge_after, &n, &newest) == STORE_OK;

    if (!counted)
        fprintf(stderr, "{\"msg\":\"search index check failed\",\"error\":\"%s\"}\n",
                store_conn_error(c));
    if (counted && !s->search_marked) {
        s->search_id = newest;
        s->search_marked = 1;
        return;
    }
    if ((counted && n >= s->merge_after) || s->search_day != sched_today()) {
        search_optimize(c, counted && n >= s->merge_after ? "registrations" : "daily");
        s->search_day = sched_today();
        if (counted)
            s->search_id = newest;
    }
}

/*
 * Takes or renews the scheduler's lease; 1 when this instance is to run the pass. The lease
 * lasts three intervals (at least 30 s), so one slow pass does not lose it, and a dead
 * holder's job is taken over within that time. Each change of holder is logged.
 */
static int take_lease(struct sched *s, struct store_conn *c)
{
    int64_t ttl = 3LL * s->interval_s * 1000;
    int held = 0;

    if (ttl < 30000)
        ttl = 30000;
    if (store_lease_take(c, SCHED_JOB, s->holder, ttl, &held) != STORE_OK) {
        fprintf(stderr, "{\"msg\":\"scheduler lease failed\",\"error\":\"%s\"}\n",
                store_conn_error(c));
        return 0;
    }
    if (held != s->held)
        fprintf(stderr, "{\"msg\":\"scheduler lease %s\",\"holder\":\"%s\"}\n",
                held ? "taken" : "held elsewhere", s->holder);
    s->held = held;
    return held;
}

static void *run(void *arg)
{
    struct sched *s = arg;
    char err[256];

    pthread_mutex_lock(&s->lock);
    while (!s->stopping) {
        struct store_conn *c;
        struct timespec until;
        int raised = 0, misses = 0, spikes = 0;

        pthread_mutex_unlock(&s->lock);
        c = store_conn_get(s->st, err, sizeof err);
        if (!c)
            fprintf(stderr, "{\"msg\":\"scheduler: no database\",\"error\":\"%s\"}\n", err);
        else if (!take_lease(s, c))
            c = NULL; /* another instance runs the passes; wait and try again */
        else if (sched_scan(c, sched_today(), s->lead_days, &raised) != STORE_OK)
            fprintf(stderr, "{\"msg\":\"scheduler pass failed\",\"error\":\"%s\"}\n",
                    store_conn_error(c));
        else if (raised)
            fprintf(stderr, "{\"msg\":\"deadline warnings raised\",\"count\":%d}\n", raised);
        if (c && sched_watch(c, sched_today(), &misses, &spikes) != STORE_OK)
            fprintf(stderr, "{\"msg\":\"investigation and trend pass failed\",\"error\":\"%s\"}\n",
                    store_conn_error(c));
        else if (misses || spikes)
            fprintf(stderr, "{\"msg\":\"watch\",\"misses\":%d,\"trends\":%d}\n", misses, spikes);
        /* Unacknowledged risk alerts go up a level (watch/alert.h). */
        if (c && alert_scan(c, store_now_ms(), &raised) != STORE_OK)
            fprintf(stderr, "{\"msg\":\"alert escalation pass failed\",\"error\":\"%s\"}\n",
                    store_conn_error(c));
        else if (c && raised)
            fprintf(stderr, "{\"msg\":\"alerts escalated\",\"count\":%d}\n", raised);
        /* The quarterly summary's reminders (季度总结, watch/quarterly.h). */
        if (c && quarterly_remind(c, sched_today(), -1, &raised) != STORE_OK)
            fprintf(stderr, "{\"msg\":\"quarterly reminder pass failed\",\"error\":\"%s\"}\n",
                    store_conn_error(c));
        else if (c && raised)
            fprintf(stderr, "{\"msg\":\"quarterly reminders\",\"count\":%d}\n", raised);
        /* Once a day, under the lease: the next years' partitions of cases and events
         * (PostgreSQL, store/partition.h), so that a server running for years never sends a
         * year's cases to the default partition. Start-up does the same (store_migrate). */
        if (c && s->partitions_day != sched_today()) {
            if (store_case_partitions_ahead(c, STORE_CASE_YEARS_AHEAD) != STORE_OK)
                fprintf(stderr, "{\"msg\":\"year partitions pass failed\",\"error\":\"%s\"}\n",
                        store_conn_error(c));
            else
                s->partitions_day = sched_today();
        }
        /* The search index's merge: from the day after the start, not at it (at a million
         * cases writers would wait seconds at every restart), and once a day even when it
         * fails, so a failing merge is not retried every pass. */
        if (c)
            search_merge(s, c);
        pthread_mutex_lock(&s->lock);
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_sec += s->interval_s;
        while (!s->stopping && pthread_cond_timedwait(&s->wake, &s->lock, &until) != ETIMEDOUT)
            ;
    }
    pthread_mutex_unlock(&s->lock);
    /* Hand the job over at once rather than after the lease expires. */
    if (s->held) {
        struct store_conn *c = store_conn_get(s->st, err, sizeof err);
        if (c && store_lease_release(c, SCHED_JOB, s->holder) != STORE_OK)
            fprintf(stderr, "{\"msg\":\"scheduler lease not released\",\"error\":\"%s\"}\n",
                    store_conn_error(c));
    }
    return NULL;
}

struct sched *sched_start(struct store *st, int interval_s, int lead_days, char *err, size_t errlen)
{
    struct sched *s = calloc(1, sizeof *s);
    const char *merge_after;

    if (!s) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    s->st = st;
    s->interval_s = interval_s > 0 ? interval_s : 60;
    s->lead_days = lead_days;
    s->search_day = sched_today();
    merge_after = getenv("JIEFEN_SEARCH_MERGE_AFTER");
    s->merge_after =
        merge_after && atoll(merge_after) > 0 ? atoll(merge_after) : SEARCH_MERGE_AFTER;
    notify_owner(s->holder, sizeof s->holder);
    pthread_mutex_init(&s->lock, NULL);
    pthread_cond_init(&s->wake, NULL);
    if (pthread_create(&s->thread, NULL, run, s) != 0) {
        snprintf(err, errlen, "cannot start the scheduler thread");
        pthread_mutex_destroy(&s->lock);
        pthread_cond_destroy(&s->wake);
        free(s);
        return NULL;
    }
    return s;
}

void sched_stop(struct sched *s)
{
    if (!s)
        return;
    pthread_mutex_lock(&s->lock);
    s->stopping = 1;
    pthread_cond_signal(&s->wake);
    pthread_mutex_unlock(&s->lock);
    pthread_join(s->thread, NULL);
    pthread_mutex_destroy(&s->lock);
    pthread_cond_destroy(&s->wake);
    free(s);
}

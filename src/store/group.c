#include "store/group.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

/* One waiting write. Lives on the caller's stack while it waits. */
struct job {
    void (*fn)(struct store_conn *c, void *arg);
    void *arg;
    store_err result;
    int done;
    int posted; /* store_group_post: on the heap, nobody waits; the writer frees it */
    struct job *next;
};

/* Posted jobs not yet committed, above which store_group_post waits: a bound on memory and
 * on what a crash can lose, should the writer fall behind. */
#define GROUP_POSTED_MAX 4096

/*
 * When only posted rows wait (the "view" rows of cases being read), the writer lets them
 * gather for up to GROUP_LINGER_MS, or until GROUP_LINGER_ROWS of them or a request
 * arrive, and commits them together. Committing each handful at once made the writer
 * commit thousands of times a second under a load of reads: each commit is a WAL write and
 * an fsync, and, worse, makes every reader connection drop its whole page cache at its
 * next read (SQLite WAL: a reader whose snapshot is older than the last commit resets its
 * pager) and miss the authentication cache (PRAGMA data_version changed). A request that
 * waits for its commit never lingers: its arrival ends the wait.
 */
#define GROUP_LINGER_MS   20
#define GROUP_LINGER_ROWS 1024

struct store_group {
    struct store *st;
    pthread_mutex_t lock;
    pthread_cond_t work, done;
    struct job *head, *tail;
    int stopping;
    pthread_t thread;
    _Atomic uint64_t jobs, commits;
    int taken;    /* jobs the writer has taken off the queue so far (under lock) */
    int posted;   /* posted jobs queued or running (under lock) */
    int queued;   /* posted jobs in the queue, not yet taken (under lock) */
    int requests; /* jobs someone waits for in the queue (under lock) */
};

/* Marks jobs [from, to) with the outcome of the transaction that held them. */
static void settle(struct job *from, struct job *to, store_err e)
{
    for (struct job *j = from; j != to; j = j->next)
        j->result = e;
}

/*
 * Runs one batch. A job runs inside "SAVEPOINT job"; store_begin/end inside it are nested
 * savepoints (store_conn_group). If SQLite itself ended the transaction while a job ran (it
 * rolls back on a full disk or an I/O error), the jobs since the last BEGIN are lost: they
 * are failed, and a new transaction holds the rest.
 */
static void run_batch(struct store_group *g, struct store_conn *c, struct job *batch)
{
    struct job *first = batch, *j;
    store_err e = store_group_begin(c);
    int requests = 0; /* jobs someone waits for; a batch of posted rows only is not counted */

    for (j = batch; j; j = j->next) {
        if (e != STORE_OK) { /* no transaction: the job runs on its own, as without a group */
            j->fn(c, j->arg);
            j->result = STORE_OK;
            first = j->next;
            e = store_group_begin(c);
            continue;
        }
        /* A posted job is one statement (store_group_post): SQLite undoes a failed statement
         * on its own, so it needs no savepoint of its own (two statements fewer per view
         * row, the most frequent job). */
        if (!j->posted && store_group_savepoint(c, 1) != STORE_OK) {
            j->result = STORE_UNAVAILABLE;
            continue;
        }
        j->fn(c, j->arg);
        if (store_group_lost(c)) {
            fprintf(stderr, "{\"msg\":\"group transaction lost\",\"error\":\"%s\"}\n",
                    store_conn_error(c));
            settle(first, j->next, STORE_UNAVAILABLE);
            first = j->next;
            e = store_group_begin(c);
            continue;
        }
        if (!j->posted)
            (void)store_group_savepoint(c, 0);
        if (!j->posted) { /* jobs and commits count requests: what one commit answered */
            atomic_fetch_add(&g->jobs, 1);
            requests++;
        }
    }
    if (e == STORE_OK) {
        e = store_group_commit(c);
        if (e != STORE_OK)
            fprintf(stderr, "{\"msg\":\"group commit failed\",\"error\":\"%s\"}\n",
                    store_conn_error(c));
        settle(first, NULL, e);
        if (requests)
            atomic_fetch_add(&g->commits, 1);
    }
}

/* Called with the lock held and a job queued: waits while only posted rows are queued,
 * up to GROUP_LINGER_MS (see there). */
static void linger(struct store_group *g)
{
    struct timespec until;

    if (g->requests || g->stopping || clock_gettime(CLOCK_MONOTONIC, &until) != 0)
        return;
    until.tv_nsec += GROUP_LINGER_MS * 1000000L;
    if (until.tv_nsec >= 1000000000L) {
        until.tv_sec++;
        until.tv_nsec -= 1000000000L;
    }
    while (!g->requests && !g->stopping && g->queued < GROUP_LINGER_ROWS)
        if (pthread_cond_timedwait(&g->work, &g->lock, &until) == ETIMEDOUT)
            break;
}

static void *writer(void *arg)
{
    struct store_group *g = arg;
    char err[256];
    struct store_conn *c;

    /* Named for top -H and /proc/PID/task/TID/comm: the benchmark reads its CPU time. */
    (void)pthread_setname_np(pthread_self(), "jiefen-writer");
    c = store_conn_get(g->st, err, sizeof err);

    /* Every job is a savepoint, and a registration changes ~70 pages: over SQLite's 64 KiB
     * statement-journal limit, so each one created, wrote and unlinked a temporary file
     * (about a fifth of the writer's CPU, bench/results/2026-12-06-perf.md). temp_store =
     * MEMORY keeps this connection's statement journals in memory and never spills them
     * (pager.c: subjInMemory), unlike SQLITE_CONFIG_STMTJRNL_SPILL, which made an outgrown
     * journal fail with SQLITE_FULL. One job's journal is bounded by what one request
     * changes; other connections (rebuilds, the CLI) keep spilling to disk. */
    if (c && store_exec(c, "PRAGMA temp_store = MEMORY", 0, NULL, NULL) != STORE_OK)
        fprintf(stderr, "{\"msg\":\"group writer: temp_store\",\"error\":\"%s\"}\n",
                store_conn_error(c));
    /* The one writer keeps 32 MiB of page cache (readers 4 MiB, store_sqlite.c): a
     * registration writes into a dozen indexes at random places, and at a million cases
     * a small cache makes each of those a read of the page first. */
    if (c && store_exec(c, "PRAGMA cache_size = -32768", 0, NULL, NULL) != STORE_OK)
        fprintf(stderr, "{\"msg\":\"group writer: cache_size\",\"error\":\"%s\"}\n",
                store_conn_error(c));
    pthread_mutex_lock(&g->lock);
    for (;;) {
        struct job *batch;

        while (!g->head && !g->stopping)
            pthread_cond_wait(&g->work, &g->lock);
        if (!g->head)
            break;
        linger(g);
        /* Everything waiting now goes into one transaction. */
        batch = g->head;
        g->head = g->tail = NULL;
        g->queued = g->requests = 0;
        for (struct job *j = batch; j; j = j->next)
            g->taken += !j->posted;
        pthread_mutex_unlock(&g->lock);
        if (c)
            run_batch(g, c, batch);
        else
            settle(batch, NULL, STORE_UNAVAILABLE);
        pthread_mutex_lock(&g->lock);
        for (struct job *j = batch, *next; j; j = next) {
            next = j->next; /* j belongs to its caller once done is set */
            if (j->posted) {
                if (j->result != STORE_OK)
                    fprintf(stderr, "{\"msg\":\"posted write lost\",\"error\":%d}\n",
                            (int)j->result);
                g->posted--;
                free(j->arg);
                free(j);
            } else {
                j->done = 1;
            }
        }
        pthread_cond_broadcast(&g->done);
    }
    pthread_mutex_unlock(&g->lock);
    return NULL;
}

struct store_group *store_group_start(struct store *st, char *err, size_t errlen)
{
    struct store_group *g = calloc(1, sizeof *g);

    if (!g) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    g->st = st;
    pthread_mutex_init(&g->lock, NULL);
    /* The linger's deadline is on the monotonic clock: a change of the wall clock must
     * neither hold posted rows back nor end the wait early. */
    pthread_condattr_t attr;
    pthread_condattr_init(&attr);
    pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
    pthread_cond_init(&g->work, &attr);
    pthread_condattr_destroy(&attr);
    pthread_cond_init(&g->done, NULL);
    if (pthread_create(&g->thread, NULL, writer, g) != 0) {
        snprintf(err, errlen, "cannot start the group commit thread");
        pthread_mutex_destroy(&g->lock);
        pthread_cond_destroy(&g->work);
        pthread_cond_destroy(&g->done);
        free(g);
        return NULL;
    }
    return g;
}

void store_group_stop(struct store_group *g)
{
    if (!g)
        return;
    pthread_mutex_lock(&g->lock);
    g->stopping = 1;
    pthread_cond_signal(&g->work);
    pthread_mutex_unlock(&g->lock);
    pthread_join(g->thread, NULL);
    pthread_mutex_destroy(&g->lock);
    pthread_cond_destroy(&g->work);
    pthread_cond_destroy(&g->done);
    free(g);
}

store_err store_group_run(struct store_group *g, void (*fn)(struct store_conn *c, void *arg),
                          void *arg)
{
    struct job j = {fn, arg, STORE_OK, 0, 0, NULL};

    pthread_mutex_lock(&g->lock);
    /* j lives on this stack while queued: the worker takes the whole queue off (head and
     * tail NULL) before running it and sets done last, and we wait for done below. */
    if (g->tail)
        g->tail->next = &j;
    else
        g->head = &j; // cppcheck-suppress autoVariables ; unlinked before done, see above
    g->tail = &j;     // cppcheck-suppress autoVariables ; unlinked before done, see above
    g->requests++;
    pthread_cond_signal(&g->work);
    while (!j.done)
        pthread_cond_wait(&g->done, &g->lock);
    pthread_mutex_unlock(&g->lock);
    return j.result;
}

store_err store_group_post(struct store_group *g, void (*fn)(struct store_conn *c, void *arg),
                           void *arg)
{
    struct job *j = calloc(1, sizeof *j);

    if (!j) {
        free(arg);
        return STORE_UNAVAILABLE;
    }
    j->fn = fn;
    j->arg = arg;
    j->posted = 1;
    pthread_mutex_lock(&g->lock);
    while (g->posted >= GROUP_POSTED_MAX)
        pthread_cond_wait(&g->done, &g->lock);
    g->posted++;
    if (g->tail)
        g->tail->next = j;
    else
        g->head = j;
    g->tail = j;
    /* The first row wakes an idle writer, which then lingers; the rest only once enough
     * have gathered (a wake-up per row would cost more than the row). */
    if (++g->queued == 1 || g->queued == GROUP_LINGER_ROWS)
        pthread_cond_signal(&g->work);
    pthread_mutex_unlock(&g->lock);
    return STORE_OK;
}

static void nothing(struct store_conn *c, void *arg)
{
    (void)c;
    (void)arg;
}

store_err store_group_sync(struct store_group *g)
{
    /* The queue is first in, first out and a batch commits as a whole: once a job queued
     * after them has committed, so has every job posted before. */
    return g ? store_group_run(g, nothing, NULL) : STORE_OK;
}

void store_group_counts(const struct store_group *g, uint64_t *jobs, uint64_t *commits)
{
    *jobs = atomic_load(&g->jobs);
    *commits = atomic_load(&g->commits);
}

int store_group_waiting(struct store_group *g, int *taken)
{
    int n = 0;

    pthread_mutex_lock(&g->lock);
    for (struct job *j = g->head; j; j = j->next)
        n += !j->posted; /* requests lined up, not the audit rows posted beside them */
    if (taken)
        *taken = g->taken;
    pthread_mutex_unlock(&g->lock);
    return n;
}

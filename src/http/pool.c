/*
 * pool.c - the workers (pool.h): a FIFO of intrusive jobs under one mutex, and n
 * threads that take from it. The queue is as long as the writes in flight, which the
 * server's connection limit bounds.
 */
#include "http/pool.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

struct http_pool {
    pthread_mutex_t mu;
    pthread_cond_t ready;
    struct http_pool_job *head, *tail; /* queued, oldest first */
    int stopping;
    char name[16];      /* the threads' name */
    unsigned n;         /* threads started */
    pthread_t tids[64]; /* at most 64 (http_pool_start caps n) */
};

static void *worker(void *arg)
{
    struct http_pool *p = arg;
    struct http_pool_job *job;

    /* Named for top -H and /proc/PID/task/TID/comm. */
    (void)pthread_setname_np(pthread_self(), p->name);
    for (;;) {
        pthread_mutex_lock(&p->mu);
        while (!p->head && !p->stopping)
            pthread_cond_wait(&p->ready, &p->mu);
        job = p->head;
        if (job) {
            p->head = job->next;
            if (!p->head)
                p->tail = NULL;
        }
        pthread_mutex_unlock(&p->mu);
        if (!job) /* stopping, and nothing is left */
            return NULL;
        job->next = NULL;
        job->run(job);
    }
}

struct http_pool *http_pool_start(unsigned n, const char *name)
{
    struct http_pool *p = calloc(1, sizeof *p);

    if (!p)
        return NULL;
    snprintf(p->name, sizeof p->name, "%s", name);
    pthread_mutex_init(&p->mu, NULL);
    pthread_cond_init(&p->ready, NULL);
    if (n > sizeof p->tids / sizeof p->tids[0])
        n = sizeof p->tids / sizeof p->tids[0];
    for (; p->n < n; p->n++)
        if (pthread_create(&p->tids[p->n], NULL, worker, p) != 0)
            break;
    if (p->n == 0) {
        http_pool_stop(p);
        return NULL;
    }
    return p;
}

void http_pool_submit(struct http_pool *p, struct http_pool_job *job)
{
    job->next = NULL;
    pthread_mutex_lock(&p->mu);
    if (p->tail)
        p->tail->next = job;
    else
        p->head = job;
    p->tail = job;
    pthread_cond_signal(&p->ready);
    pthread_mutex_unlock(&p->mu);
}

void http_pool_stop(struct http_pool *p)
{
    if (!p)
        return;
    pthread_mutex_lock(&p->mu);
    p->stopping = 1;
    pthread_cond_broadcast(&p->ready);
    pthread_mutex_unlock(&p->mu);
    for (unsigned i = 0; i < p->n; i++)
        pthread_join(p->tids[i], NULL);
    pthread_cond_destroy(&p->ready);
    pthread_mutex_destroy(&p->mu);
    free(p);
}

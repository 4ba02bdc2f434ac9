#include "http/guard.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define GUARD_MAX_TRUSTED 8

struct guard_conn {
    struct guard_conn *prev, *next;
    int fd;
    int shut; /* its socket has been shut down: out of time */
    enum guard_phase phase;
    struct timespec since;
    char ip[INET6_ADDRSTRLEN];
    char fwd[INET6_ADDRSTRLEN]; /* the forwarded client, behind a trusted proxy */
};

struct guard {
    pthread_mutex_t lock;
    pthread_cond_t wake;
    pthread_t sweeper;
    int stopping;
    struct guard_conn *head;
    unsigned per_ip, header_s, body_s;
    int ntrusted;
    char trusted[GUARD_MAX_TRUSTED][INET6_ADDRSTRLEN];
};

void guard_addr(const struct sockaddr *sa, char *out, size_t outlen)
{
    const void *addr;

    snprintf(out, outlen, "unknown");
    if (!sa || (sa->sa_family != AF_INET && sa->sa_family != AF_INET6))
        return;
    addr = sa->sa_family == AF_INET6 ? (const void *)&((const struct sockaddr_in6 *)sa)->sin6_addr
                                     : (const void *)&((const struct sockaddr_in *)sa)->sin_addr;
    if (!inet_ntop(sa->sa_family, addr, out, (socklen_t)outlen))
        snprintf(out, outlen, "unknown");
}

static void parse_trusted(struct guard *g, const char *list)
{
    const char *p = list;

    while (p && *p && g->ntrusted < GUARD_MAX_TRUSTED) {
        size_t n = strcspn(p, ", ");
        if (n > 0 && n < INET6_ADDRSTRLEN) {
            memcpy(g->trusted[g->ntrusted], p, n);
            g->trusted[g->ntrusted++][n] = '\0';
        }
        p += n;
        p += strspn(p, ", ");
    }
}

int guard_trusted(const struct guard *g, const char *ip)
{
    for (int i = 0; i < g->ntrusted; i++)
        if (strcmp(g->trusted[i], ip) == 0)
            return 1;
    return 0;
}

static double elapsed(const struct timespec *since, const struct timespec *now)
{
    return (double)(now->tv_sec - since->tv_sec) + (now->tv_nsec - since->tv_nsec) / 1e9;
}

/* Shuts down the sockets of connections past their deadline. shutdown() rather than
 * close(): the descriptor stays libmicrohttpd's, which sees the stream end and closes it
 * itself; guard_closed (under the same lock) runs before it does, so the fd is still ours
 * to shut down whenever the connection is still in the list. */
static void sweep(struct guard *g)
{
    struct timespec now;

    clock_gettime(CLOCK_MONOTONIC, &now);
    for (struct guard_conn *c = g->head; c; c = c->next) {
        double limit = c->phase == GUARD_HEADERS ? g->header_s
                       : c->phase == GUARD_BODY  ? g->body_s
                                                 : 0;
        if (!c->shut && limit > 0 && elapsed(&c->since, &now) > limit) {
            shutdown(c->fd, SHUT_RDWR);
            c->shut = 1;
        }
    }
}

static void *sweeper(void *arg)
{
    struct guard *g = arg;

    pthread_mutex_lock(&g->lock);
    while (!g->stopping) {
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_sec += 1;
        pthread_cond_timedwait(&g->wake, &g->lock, &until);
        sweep(g);
    }
    pthread_mutex_unlock(&g->lock);
    return NULL;
}

struct guard *guard_start(unsigned per_ip, unsigned header_s, unsigned body_s, const char *trusted)
{
    struct guard *g = calloc(1, sizeof *g);

    if (!g)
        return NULL;
    g->per_ip = per_ip;
    g->header_s = header_s;
    g->body_s = body_s;
    parse_trusted(g, trusted);
    pthread_mutex_init(&g->lock, NULL);
    pthread_cond_init(&g->wake, NULL);
    if (pthread_create(&g->sweeper, NULL, sweeper, g) != 0) {
        pthread_mutex_destroy(&g->lock);
        pthread_cond_destroy(&g->wake);
        free(g);
        return NULL;
    }
    return g;
}

void guard_stop(struct guard *g)
{
    if (!g)
        return;
    pthread_mutex_lock(&g->lock);
    g->stopping = 1;
    pthread_cond_signal(&g->wake);
    pthread_mutex_unlock(&g->lock);
    pthread_join(g->sweeper, NULL);
    while (g->head) {
        struct guard_conn *c = g->head;
        g->head = c->next;
        free(c);
    }
    pthread_mutex_destroy(&g->lock);
    pthread_cond_destroy(&g->wake);
    free(g);
}

/* Connections from `ip` (as peer, or as forwarded client when fwd). Caller holds the lock. */
static unsigned count(const struct guard *g, const char *ip, int fwd)
{
    unsigned n = 0;

    for (const struct guard_conn *c = g->head; c; c = c->next)
        n += strcmp(fwd ? c->fwd : c->ip, ip) == 0;
    return n;
}

int guard_accept(struct guard *g, const struct sockaddr *peer)
{
    char ip[INET6_ADDRSTRLEN];
    int ok;

    guard_addr(peer, ip, sizeof ip);
    if (guard_trusted(g, ip))
        return 1; /* counted per forwarded client instead */
    pthread_mutex_lock(&g->lock);
    ok = count(g, ip, 0) < g->per_ip;
    pthread_mutex_unlock(&g->lock);
    return ok;
}

struct guard_conn *guard_opened(struct guard *g, int fd, const struct sockaddr *peer)
{
    struct guard_conn *c = calloc(1, sizeof *c);

    if (!c)
        return NULL;
    c->fd = fd;
    c->phase = GUARD_HEADERS;
    clock_gettime(CLOCK_MONOTONIC, &c->since);
    guard_addr(peer, c->ip, sizeof c->ip);
    pthread_mutex_lock(&g->lock);
    c->next = g->head;
    if (g->head)
        g->head->prev = c;
    g->head = c;
    pthread_mutex_unlock(&g->lock);
    return c;
}

void guard_closed(struct guard *g, struct guard_conn *c)
{
    if (!c)
        return;
    pthread_mutex_lock(&g->lock);
    if (c->prev)
        c->prev->next = c->next;
    else
        g->head = c->next;
    if (c->next)
        c->next->prev = c->prev;
    pthread_mutex_unlock(&g->lock);
    free(c);
}

void guard_phase(struct guard *g, struct guard_conn *c, enum guard_phase phase)
{
    if (!c)
        return;
    pthread_mutex_lock(&g->lock);
    c->phase = phase;
    clock_gettime(CLOCK_MONOTONIC, &c->since);
    pthread_mutex_unlock(&g->lock);
}

int guard_forwarded(struct guard *g, struct guard_conn *c, const char *client)
{
    int ok = 1;

    if (!c)
        return 0;
    pthread_mutex_lock(&g->lock);
    /* A proxy may carry different clients' requests over one kept-alive connection: the
     * connection counts for the client of its latest request. */
    if (strcmp(c->fwd, client) != 0 && count(g, client, 1) >= g->per_ip)
        ok = 0;
    else
        snprintf(c->fwd, sizeof c->fwd, "%s", client);
    pthread_mutex_unlock(&g->lock);
    return ok ? 0 : -1;
}

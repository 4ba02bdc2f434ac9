#include "http/metrics.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const double bounds[METRICS_BUCKETS] = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                               0.1,   0.25,   0.5,   1.0,  2.5};

void http_metrics_init(struct http_metrics *m)
{
    memset(m, 0, sizeof *m);
    pthread_mutex_init(&m->lock, NULL);
}

void http_metrics_free(struct http_metrics *m)
{
    pthread_mutex_destroy(&m->lock);
}

void http_metrics_observe(struct http_metrics *m, const char *route, const char *method, int status,
                          double seconds)
{
    int i;

    pthread_mutex_lock(&m->lock);
    for (i = 0; i < m->nseries; i++)
        if (m->series[i].route == route && m->series[i].status == status &&
            strcmp(m->series[i].method, method) == 0)
            break;
    if (i == m->nseries && i < METRICS_MAX_SERIES) {
        m->series[i].route = route;
        snprintf(m->series[i].method, sizeof m->series[i].method, "%s", method);
        m->series[i].status = status;
        m->nseries++;
    }
    if (i < m->nseries)
        m->series[i].count++;
    for (i = 0; i < m->nhist; i++)
        if (m->hist[i].route == route)
            break;
    if (i == m->nhist && i < (int)(sizeof m->hist / sizeof m->hist[0])) {
        m->hist[i].route = route;
        m->nhist++;
    }
    if (i < m->nhist) {
        struct http_metrics_hist *h = &m->hist[i];
        int b = 0;
        while (b < METRICS_BUCKETS && seconds > bounds[b])
            b++;
        h->buckets[b]++;
        h->sum += seconds;
        h->count++;
    }
    pthread_mutex_unlock(&m->lock);
}

/* Appends printf output to a growing buffer; on failure frees it and sets it NULL. */
static void put(char **buf, size_t *len, size_t *cap, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void put(char **buf, size_t *len, size_t *cap, const char *fmt, ...)
{
    va_list ap;
    int n;

    if (!*buf)
        return;
    for (;;) {
        va_start(ap, fmt);
        n = vsnprintf(*buf + *len, *cap - *len, fmt, ap);
        va_end(ap);
        if (n < 0) {
            free(*buf);
            *buf = NULL;
            return;
        }
        if ((size_t)n < *cap - *len) {
            *len += (size_t)n;
            return;
        }
        char *b = realloc(*buf, *cap * 2 + (size_t)n);
        if (!b) {
            free(*buf);
            *buf = NULL;
            return;
        }
        *buf = b;
        *cap = *cap * 2 + (size_t)n;
    }
}

char *http_metrics_render(struct http_metrics *m)
{
    size_t len = 0, cap = 8192;
    char *buf = malloc(cap);

    if (buf)
        buf[0] = '\0';
    pthread_mutex_lock(&m->lock);
    put(&buf, &len, &cap,
        "# HELP jiefen_http_requests_total HTTP requests by route, method and status.\n"
        "# TYPE jiefen_http_requests_total counter\n");
    for (int i = 0; i < m->nseries; i++)
        put(&buf, &len, &cap,
            "jiefen_http_requests_total{route=\"%s\",method=\"%s\",status=\"%d\"} %llu\n",
            m->series[i].route, m->series[i].method, m->series[i].status, m->series[i].count);
    put(&buf, &len, &cap,
        "# HELP jiefen_http_request_duration_seconds Time from request start to response.\n"
        "# TYPE jiefen_http_request_duration_seconds histogram\n");
    for (int i = 0; i < m->nhist; i++) {
        const struct http_metrics_hist *h = &m->hist[i];
        unsigned long long cum = 0;
        for (int b = 0; b < METRICS_BUCKETS; b++) {
            cum += h->buckets[b];
            put(&buf, &len, &cap,
                "jiefen_http_request_duration_seconds_bucket{route=\"%s\",le=\"%g\"} %llu\n",
                h->route, bounds[b], cum);
        }
        put(&buf, &len, &cap,
            "jiefen_http_request_duration_seconds_bucket{route=\"%s\",le=\"+Inf\"} %llu\n"
            "jiefen_http_request_duration_seconds_sum{route=\"%s\"} %.6f\n"
            "jiefen_http_request_duration_seconds_count{route=\"%s\"} %llu\n",
            h->route, h->count, h->route, h->sum, h->route, h->count);
    }
    pthread_mutex_unlock(&m->lock);
    return buf;
}

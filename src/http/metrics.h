/*
 * metrics.h - request counters and a latency histogram, rendered for Prometheus.
 *
 * Series are keyed by route pattern (never the raw path, which would let clients create
 * unbounded series), method and status. Owned by the server; thread-safe.
 */
#ifndef JIEFEN_HTTP_METRICS_H
#define JIEFEN_HTTP_METRICS_H

#include <pthread.h>

#define METRICS_MAX_SERIES 512
#define METRICS_BUCKETS    11

struct http_metrics_series {
    const char *route; /* points into the static route table or a literal */
    char method[8];
    int status;
    unsigned long long count;
};

struct http_metrics_hist {
    const char *route;
    unsigned long long buckets[METRICS_BUCKETS + 1]; /* last: +Inf */
    double sum;
    unsigned long long count;
};

struct http_metrics {
    pthread_mutex_t lock;
    int nseries, nhist;
    struct http_metrics_series series[METRICS_MAX_SERIES];
    struct http_metrics_hist hist[METRICS_MAX_SERIES / 4];
};

void http_metrics_init(struct http_metrics *m);
void http_metrics_free(struct http_metrics *m);

/* Counts one request. `route` must stay valid for the server's lifetime. */
void http_metrics_observe(struct http_metrics *m, const char *route, const char *method, int status,
                          double seconds);

/* Returns the Prometheus text exposition, malloc'd (caller frees), or NULL. */
char *http_metrics_render(struct http_metrics *m);

#endif

/*
 * test_http_server.c - requests that wait do not hold up the others on their poll thread: the
 * handlers run on the read and the write workers (src/http/pool.h), the connection suspended
 * meanwhile.
 *
 * The server has one poll thread. A write that waits (for its commit, in the product) until a
 * read has been answered; and a read that waits (a slow dashboard) until a write has been
 * answered. When handlers ran on the poll thread, the one poll thread sat in the waiting
 * handler and could not read the other request (each gave up after its bound below and the
 * test failed). Nothing here is timed: the bounds only turn a hang into a failure.
 */
#include "unit.h"

#include "http/http.h"

#include <curl/curl.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#define BOUND_SECONDS 20

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t changed = PTHREAD_COND_INITIALIZER;
static int holding, released;

static void hold(struct http_req *req, struct http_res *res)
{
    struct timespec until;
    int ok;

    (void)req;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += BOUND_SECONDS;
    pthread_mutex_lock(&mu);
    holding = 1;
    pthread_cond_broadcast(&changed);
    while (!released && pthread_cond_timedwait(&changed, &mu, &until) == 0)
        ;
    ok = released;
    pthread_mutex_unlock(&mu);
    http_res_text(res, ok ? 201 : 500, "text/plain", ok ? "released" : "never released");
}

static void release(struct http_req *req, struct http_res *res)
{
    (void)req;
    pthread_mutex_lock(&mu);
    released = 1;
    pthread_cond_broadcast(&changed);
    pthread_mutex_unlock(&mu);
    http_res_text(res, 200, "text/plain", "ok");
}

static const struct http_route routes[] = {
    {"POST", "/hold", hold, 0, 0, 0},
    {"GET", "/release", release, 0, 0, 0},
    {"GET", "/hold", hold, 0, 0, 0},
    {"POST", "/release", release, 0, 0, 0},
};

static void dispatch(const struct http_route *route, struct http_req *req, struct http_res *res)
{
    route->fn(req, res);
}

static size_t collect(char *p, size_t size, size_t n, void *out)
{
    size_t have = strlen(out), add = size * n;

    if (have + add < 64) {
        memcpy((char *)out + have, p, add);
        ((char *)out)[have + add] = '\0';
    }
    return size * n;
}

struct call {
    char url[64], body[64];
    int post;
    long status;
};

static void *perform(void *arg)
{
    struct call *k = arg;
    CURL *h = curl_easy_init();

    if (!h)
        return NULL;
    curl_easy_setopt(h, CURLOPT_URL, k->url);
    curl_easy_setopt(h, CURLOPT_TIMEOUT, (long)BOUND_SECONDS);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, collect);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, k->body);
    if (k->post)
        curl_easy_setopt(h, CURLOPT_POSTFIELDS, "{}");
    if (curl_easy_perform(h) == CURLE_OK)
        curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &k->status);
    curl_easy_cleanup(h);
    return NULL;
}

/* Sends `holder` (it waits in its handler), then `releaser` on another connection to the
 * same poll thread, which must be answered meanwhile; then the holder is answered. */
static void one_waits_for_the_other(int hold_is_post)
{
    struct http_config cfg = {.listen = "127.0.0.1:0",
                              .threads = 1,
                              .routes = routes,
                              .nroutes = sizeof routes / sizeof routes[0],
                              .dispatch = dispatch};
    struct call holder = {.post = hold_is_post}, releaser = {.post = !hold_is_post};
    struct http_server *s;
    struct timespec until;
    pthread_t t;
    char err[256];
    int held;

    holding = released = 0;
    s = http_server_start(&cfg, err, sizeof err);
    if (!s)
        fail_msg("server: %s", err);
    snprintf(holder.url, sizeof holder.url, "http://127.0.0.1:%u/hold", http_server_port(s));
    snprintf(releaser.url, sizeof releaser.url, "http://127.0.0.1:%u/release", http_server_port(s));
    assert_int_equal(pthread_create(&t, NULL, perform, &holder), 0);
    /* The holder is in its handler, waiting. */
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += BOUND_SECONDS;
    pthread_mutex_lock(&mu);
    while (!holding && pthread_cond_timedwait(&changed, &mu, &until) == 0)
        ;
    held = holding;
    pthread_mutex_unlock(&mu);
    assert_true(held);
    perform(&releaser);
    assert_int_equal(releaser.status, 200);
    pthread_join(t, NULL);
    assert_int_equal(holder.status, 201);
    assert_string_equal(holder.body, "released");
    http_server_stop(s, 1000);
}

static void a_waiting_write_does_not_hold_up_reads(void **state)
{
    (void)state;
    one_waits_for_the_other(1);
}

static void a_slow_read_does_not_hold_up_writes(void **state)
{
    (void)state;
    one_waits_for_the_other(0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_waiting_write_does_not_hold_up_reads),
        cmocka_unit_test(a_slow_read_does_not_hold_up_writes),
    };
    int rc;

    curl_global_init(CURL_GLOBAL_DEFAULT);
    rc = cmocka_run_group_tests(tests, NULL, NULL);
    curl_global_cleanup();
    return rc;
}

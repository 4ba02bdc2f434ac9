/*
 * server.c - libmicrohttpd glue: reading bodies within limits, routing, static files,
 * access log, metrics and the draining shutdown.
 *
 * Threading: MHD runs a pool of worker threads, each with its own poll loop; a request
 * is handled entirely on one worker thread, which is why the store can keep one database
 * connection per thread.
 */
#include "http/guard.h"
#include "http/http.h"
#include "http/jsonout.h"
#include "http/metrics.h"
#include "http/pool.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

struct http_server {
    struct MHD_Daemon *daemon;
    struct http_config cfg;
    char *web_dir;
    unsigned port;
    atomic_int inflight;
    struct http_metrics metrics;
    struct guard *guard;
    struct http_pool *readers, *writers; /* run the routed requests (pool.h) */
    char csp[512];
};

/* Bodies over the limit but under this are read and thrown away before answering 413. */
#define HTTP_DRAIN_LIMIT (64u << 20)

enum req_kind { REQ_ROUTE, REQ_STATIC, REQ_NOT_FOUND, REQ_NO_METHOD };

/* A request handed to the workers (pool.h): its connection is suspended from RUNNING until the
 * worker has the answer (DONE) and resumes it; the poll thread then sends it. */
enum req_offload { OFFLOAD_NONE, OFFLOAD_RUNNING, OFFLOAD_DONE };

struct req_ctx {
    struct http_req req;
    struct http_res res;
    enum req_kind kind;
    char *body;
    size_t len, cap, limit;
    int too_large;
    int answered;             /* a response was queued early (413), or the request was answered */
    atomic_int offload;       /* enum req_offload */
    struct http_pool_job job; /* on the workers */
    struct http_server *srv;
    char parambuf[256];
    char allow[64];
    char ip[INET6_ADDRSTRLEN];   /* the client (forwarded, behind a trusted proxy) */
    char peer[INET6_ADDRSTRLEN]; /* the TCP peer */
    struct timespec start;
};

/* ---- request accessors ---- */

const char *http_header(const struct http_req *req, const char *name)
{
    return MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND, name);
}

const char *http_query(const struct http_req *req, const char *name)
{
    return MHD_lookup_connection_value(req->conn, MHD_GET_ARGUMENT_KIND, name);
}

const char *http_cookie(const struct http_req *req, const char *name)
{
    return MHD_lookup_connection_value(req->conn, MHD_COOKIE_KIND, name);
}

/* ---- responses ---- */

void http_res_header(struct http_res *res, const char *name, const char *value)
{
    if (res->nheaders >= (int)(sizeof res->headers / sizeof res->headers[0]))
        return;
    snprintf(res->headers[res->nheaders].name, sizeof res->headers[0].name, "%s", name);
    snprintf(res->headers[res->nheaders].value, sizeof res->headers[0].value, "%s", value);
    res->nheaders++;
}

static void set_body(struct http_res *res, int status, const char *type, char *body, size_t len)
{
    free(res->body);
    res->status = status;
    res->content_type = type;
    res->body = body;
    res->len = len;
}

void http_res_json(struct http_res *res, int status, json_t *json)
{
    size_t len = 0;
    char *s = jsonout_dump(json, &len); /* json_dumps' bytes, faster (http/jsonout.h) */

    json_decref(json);
    if (!s) {
        set_body(res, 500, "application/problem+json", NULL, 0);
        return;
    }
    set_body(res, status, "application/json", s, len);
}

void http_res_text(struct http_res *res, int status, const char *content_type, const char *text)
{
    char *s = strdup(text);
    set_body(res, s ? status : 500, content_type, s, s ? strlen(s) : 0);
}

void http_res_bytes(struct http_res *res, int status, const char *content_type, char *buf,
                    size_t len)
{
    set_body(res, status, content_type, buf, len);
}

void http_res_fd(struct http_res *res, int status, const char *content_type, int fd, uint64_t size)
{
    set_body(res, status, content_type, NULL, 0);
    if (res->fd >= 0)
        close(res->fd);
    res->fd = fd;
    res->fd_size = size;
}

void http_res_empty(struct http_res *res, int status)
{
    set_body(res, status, NULL, NULL, 0);
}

void http_problem(struct http_res *res, int status, const char *slug, const char *title,
                  const char *detail, json_t *errors)
{
    char type[96];
    json_t *p;

    snprintf(type, sizeof type, "urn:jiefen:problem:%s", slug);
    p = json_pack("{s:s, s:s, s:i}", "type", type, "title", title, "status", status);
    if (p && detail)
        json_object_set_new(p, "detail", json_string(detail));
    if (p && errors)
        json_object_set(p, "errors", errors);
    json_decref(errors);
    http_res_json(res, status, p);
    res->content_type = "application/problem+json";
}

/* ---- static files ---- */

static const char *content_type_of(const char *path)
{
    static const char *const types[][2] = {
        {".html", "text/html; charset=utf-8"},
        {".js", "text/javascript; charset=utf-8"},
        {".mjs", "text/javascript; charset=utf-8"},
        {".css", "text/css; charset=utf-8"},
        {".json", "application/json"},
        {".map", "application/json"},
        {".svg", "image/svg+xml"},
        {".png", "image/png"},
        {".ico", "image/x-icon"},
        {".woff2", "font/woff2"},
        {".woff", "font/woff"},
        {".ttf", "font/ttf"},
        {".yaml", "application/yaml"},
        {".txt", "text/plain; charset=utf-8"},
    };
    const char *dot = strrchr(path, '.');

    for (size_t i = 0; dot && i < sizeof types / sizeof types[0]; i++)
        if (strcmp(dot, types[i][0]) == 0)
            return types[i][1];
    return "application/octet-stream";
}

/* Opens web_dir + path for sending; single-page-app paths fall back to index.html. */
static void serve_static(struct http_server *s, struct http_req *req, struct http_res *res)
{
    char file[4096];
    struct stat st;
    const char *path = req->path;
    int fd = -1;

    /* MHD has already percent-decoded the path: refuse anything that climbs out. */
    if (!s->web_dir || strstr(path, "/..") || strchr(path, '\\')) {
        http_problem(res, 404, "not-found", "Not Found", "no such file", NULL);
        return;
    }
    if (strcmp(path, "/") == 0)
        path = "/index.html";
    snprintf(file, sizeof file, "%s%s", s->web_dir, path);
    fd = open(file, O_RDONLY | O_CLOEXEC);
    if (fd >= 0 && (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode))) {
        close(fd);
        fd = -1;
    }
    if (fd < 0 && !strchr(strrchr(path, '/'), '.')) {
        /* A client-side route such as /cases/12: the app's shell handles it. */
        path = "/index.html";
        snprintf(file, sizeof file, "%s%s", s->web_dir, path);
        fd = open(file, O_RDONLY | O_CLOEXEC);
        if (fd >= 0 && fstat(fd, &st) != 0) {
            close(fd);
            fd = -1;
        }
    }
    if (fd < 0) {
        http_problem(res, 404, "not-found", "Not Found", "no such file", NULL);
        return;
    }
    res->status = 200;
    res->fd = fd;
    res->fd_size = (uint64_t)st.st_size;
    res->content_type = content_type_of(path);
    /* Vendor libraries are versioned by package-lock; our own files change with deploys. */
    http_res_header(res, "Cache-Control",
                    strncmp(path, "/vendor/", 8) == 0 ? "public, max-age=86400" : "no-cache");
}

/* ---- MHD callbacks ---- */

static enum MHD_Result queue(struct MHD_Connection *conn, struct http_res *res)
{
    struct MHD_Response *r;
    enum MHD_Result ret;

    if (res->fd >= 0) {
        r = MHD_create_response_from_fd(res->fd_size, res->fd);
        res->fd = -1; /* MHD closes it */
    } else {
        r = MHD_create_response_from_buffer(res->len, res->body ? res->body : "",
                                            res->body ? MHD_RESPMEM_MUST_FREE
                                                      : MHD_RESPMEM_PERSISTENT);
        res->body = NULL; /* MHD frees it */
    }
    if (!r)
        return MHD_NO;
    if (res->content_type)
        MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, res->content_type);
    MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(r, "X-Frame-Options", "DENY");
    MHD_add_response_header(r, "Referrer-Policy", "same-origin");
    MHD_add_response_header(r, "Content-Security-Policy", res->csp);
    for (int i = 0; i < res->nheaders; i++)
        MHD_add_response_header(r, res->headers[i].name, res->headers[i].value);
    ret = MHD_queue_response(conn, (unsigned)res->status, r);
    MHD_destroy_response(r);
    return ret;
}

/* Behind a trusted proxy the client is the last address of X-Forwarded-For: nginx's
 * $proxy_add_x_forwarded_for appends the peer it saw, and anything before it is what the
 * client claimed, which proves nothing. From any other peer the headers are ignored, or a
 * client could name any address and dodge the per-address limits. */
static void forwarded(struct req_ctx *c, struct MHD_Connection *conn)
{
    const char *xff = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "X-Forwarded-For");
    const char *proto = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "X-Forwarded-Proto");
    const char *last;
    unsigned char bin[sizeof(struct in6_addr)];
    char hop[INET6_ADDRSTRLEN];
    size_t n;

    c->req.tls = proto && strcasecmp(proto, "https") == 0;
    if (!xff)
        return;
    last = strrchr(xff, ',');
    last = last ? last + 1 : xff;
    last += strspn(last, " \t");
    n = strcspn(last, " \t");
    if (n == 0 || n >= sizeof hop)
        return;
    memcpy(hop, last, n);
    hop[n] = '\0';
    if (inet_pton(AF_INET, hop, bin) == 1 || inet_pton(AF_INET6, hop, bin) == 1)
        snprintf(c->ip, sizeof c->ip, "%s", hop);
}

static void run_offloaded(struct http_pool_job *job);

static struct req_ctx *ctx_new(struct http_server *s, struct MHD_Connection *conn, const char *url,
                               const char *method)
{
    struct req_ctx *c = calloc(1, sizeof *c);
    const union MHD_ConnectionInfo *ci;

    if (!c)
        return NULL;
    clock_gettime(CLOCK_MONOTONIC, &c->start);
    c->res.fd = -1;
    c->srv = s;
    c->job.run = run_offloaded;
    c->req.method = method;
    c->req.path = url;
    c->req.conn = conn;
    c->req.srv = s;
    c->req.app = s->cfg.app;
    ci = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    guard_addr(ci ? ci->client_addr : NULL, c->peer, sizeof c->peer);
    snprintf(c->ip, sizeof c->ip, "%s", c->peer);
    c->req.ip = c->ip;
    c->res.csp = s->csp;
    if (guard_trusted(s->guard, c->peer))
        forwarded(c, conn);
    return c;
}

static void ctx_free(struct req_ctx *c)
{
    if (!c)
        return;
    free(c->body);
    free(c->res.body);
    if (c->res.fd >= 0)
        close(c->res.fd);
    free(c);
}

/* Decides, from method and path alone, what will answer the request and its body limit. */
static void route_request(struct http_server *s, struct req_ctx *c)
{
    const struct http_route *r = http_route_match(
        s->cfg.routes, s->cfg.nroutes, c->req.method, c->req.path, c->req.params, &c->req.nparams,
        c->parambuf, sizeof c->parambuf, c->allow, sizeof c->allow);

    c->limit = HTTP_JSON_LIMIT;
    if (r) {
        c->kind = REQ_ROUTE;
        c->req.route = r;
        if (r->body_limit)
            c->limit = r->body_limit;
    } else if (c->allow[0]) {
        c->kind = REQ_NO_METHOD;
    } else if (strncmp(c->req.path, "/api/", 5) == 0 || strcmp(c->req.path, "/api") == 0 ||
               (strcmp(c->req.method, "GET") != 0 && strcmp(c->req.method, "HEAD") != 0)) {
        c->kind = REQ_NOT_FOUND;
    } else {
        c->kind = REQ_STATIC;
    }
}

static void answer(struct http_server *s, struct req_ctx *c)
{
    struct http_req *req = &c->req;
    struct http_res *res = &c->res;

    if (c->too_large) {
        http_problem(res, 413, "payload-too-large", "Payload Too Large",
                     "the request body is larger than this endpoint accepts", NULL);
        return;
    }
    switch (c->kind) {
    case REQ_ROUTE:
        req->body = c->body;
        req->body_len = c->len;
        s->cfg.dispatch(req->route, req, res);
        break;
    case REQ_STATIC:
        serve_static(s, req, res);
        break;
    case REQ_NO_METHOD:
        http_res_header(res, "Allow", c->allow);
        http_problem(res, 405, "method-not-allowed", "Method Not Allowed",
                     "this path does not support this method", NULL);
        break;
    case REQ_NOT_FOUND:
        http_problem(res, 404, "not-found", "Not Found", "no such resource", NULL);
        break;
    }
    if (res->status == 0)
        http_problem(res, 500, "internal", "Internal Server Error", "the handler gave no answer",
                     NULL);
}

/* The guard's record of a connection (its socket context). */
static struct guard_conn *gconn(struct MHD_Connection *conn)
{
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(conn, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
    return ci ? ci->socket_context : NULL;
}

static void on_connection(void *cls, struct MHD_Connection *conn, void **socket_context,
                          enum MHD_ConnectionNotificationCode toe)
{
    struct http_server *s = cls;
    const union MHD_ConnectionInfo *fd, *peer;

    if (toe == MHD_CONNECTION_NOTIFY_CLOSED) {
        guard_closed(s->guard, *socket_context);
        *socket_context = NULL;
        return;
    }
    fd = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CONNECTION_FD);
    peer = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    if (fd && peer)
        *socket_context = guard_opened(s->guard, fd->connect_fd, peer->client_addr);
}

static enum MHD_Result on_accept(void *cls, const struct sockaddr *addr, socklen_t addrlen)
{
    struct http_server *s = cls;

    (void)addrlen;
    return guard_accept(s->guard, addr) ? MHD_YES : MHD_NO;
}

/* Over the per-address cap behind a trusted proxy: 429, and the connection closed. */
static enum MHD_Result refuse_flood(struct MHD_Connection *conn, struct req_ctx *c)
{
    c->answered = 1;
    http_res_header(&c->res, "Retry-After", "10");
    http_res_header(&c->res, "Connection", "close");
    http_problem(&c->res, 429, "rate-limited", "Too Many Requests",
                 "too many connections from this address", NULL);
    return queue(conn, &c->res);
}

/*
 * The workers that run a request's handler (pool.h), or NULL to answer it on the poll thread
 * (static files, refusals). A routed request that changes something may wait for its
 * commit's fsync: the write workers. Any other routed request: the read workers.
 */
static struct http_pool *workers_of(const struct http_server *s, const struct req_ctx *c)
{
    const char *m = c->req.method;

    if (c->kind != REQ_ROUTE || c->too_large)
        return NULL;
    if (strcmp(m, "GET") == 0 || strcmp(m, "HEAD") == 0 || strcmp(m, "OPTIONS") == 0)
        return s->readers;
    return s->writers;
}

/* On a worker: the handler runs (and a write waits for its commit) here; the poll thread that
 * owns the connection sends the answer once resumed (on_request). The request's headers are
 * read through the suspended connection, which no other thread touches meanwhile. */
static void run_offloaded(struct http_pool_job *job)
{
    struct req_ctx *c = (struct req_ctx *)((char *)job - offsetof(struct req_ctx, job));
    struct MHD_Connection *conn = c->req.conn;

    answer(c->srv, c);
    atomic_store(&c->offload, OFFLOAD_DONE);
    MHD_resume_connection(conn);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
                                  const char *method, const char *version, const char *upload_data,
                                  size_t *upload_data_size, void **con_cls)
{
    struct http_server *s = cls;
    struct req_ctx *c = *con_cls;
    struct http_pool *workers;

    if (!c) {
        const char *cl;
        c = ctx_new(s, conn, url, method);
        if (!c)
            return MHD_NO;
        *con_cls = c;
        atomic_fetch_add(&s->inflight, 1);
        guard_phase(s->guard, gconn(conn), GUARD_BODY);
        route_request(s, c);
        if (strcmp(c->ip, c->peer) != 0 && guard_forwarded(s->guard, gconn(conn), c->ip) != 0)
            return refuse_flood(conn, c);
        /* An announced body over the limit is refused. Answering before it is read makes the
         * kernel reset the connection when we close it with data unread, and the client may
         * never see the answer; so bodies of moderate size are read and discarded, and only
         * absurd ones are cut off at once. */
        cl = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
        if (cl && strtoull(cl, NULL, 10) > c->limit) {
            c->too_large = 1;
            if (strtoull(cl, NULL, 10) > HTTP_DRAIN_LIMIT) {
                c->answered = 1;
                answer(s, c);
                http_res_header(&c->res, "Connection", "close");
                return queue(conn, &c->res);
            }
        }
        return MHD_YES;
    }
    if (*upload_data_size) {
        size_t n = *upload_data_size;
        *upload_data_size = 0;
        if (c->answered || c->too_large)
            return MHD_YES;
        if (c->len + n > c->limit) {
            c->too_large = 1; /* keep draining, answer 413 at the end */
            return MHD_YES;
        }
        if (c->len + n + 1 > c->cap) {
            size_t cap = c->cap ? c->cap : 4096;
            while (cap < c->len + n + 1)
                cap *= 2;
            char *b = realloc(c->body, cap);
            if (!b)
                return MHD_NO;
            c->body = b;
            c->cap = cap;
        }
        memcpy(c->body + c->len, upload_data, n);
        c->len += n;
        c->body[c->len] = '\0';
        return MHD_YES;
    }
    if (c->answered) {
        /* Called again after a worker resumed the connection: its answer is ready. */
        if (atomic_load(&c->offload) != OFFLOAD_DONE)
            return MHD_YES;
        atomic_store(&c->offload, OFFLOAD_NONE);
        guard_phase(s->guard, gconn(conn), GUARD_SENDING);
        return queue(conn, &c->res);
    }
    c->answered = 1;
    workers = workers_of(s, c);
    if (workers) {
        /* Suspended before it is queued, so that the worker cannot resume it first. */
        atomic_store(&c->offload, OFFLOAD_RUNNING);
        MHD_suspend_connection(conn);
        http_pool_submit(workers, &c->job);
        return MHD_YES;
    }
    answer(s, c);
    guard_phase(s->guard, gconn(conn), GUARD_SENDING);
    return queue(conn, &c->res);
}

/* Length of the valid UTF-8 sequence at p (1-4), or 0 if the bytes there are not one. */
static size_t utf8_len(const unsigned char *p)
{
    size_t n = *p >= 0xf0 && *p <= 0xf4 ? 4 : *p >= 0xe0 ? 3 : *p >= 0xc2 && *p < 0xe0 ? 2 : 0;

    for (size_t i = 1; i < n; i++)
        if ((p[i] & 0xc0) != 0x80)
            return 0;
    return n;
}

/* Appends s to the log line as a JSON string: quotes, backslashes and control characters
 * escaped, bytes that are not UTF-8 as U+FFFD (a path may hold anything). */
static void log_str(char *buf, size_t cap, size_t *n, const char *s)
{
    const unsigned char *p = (const unsigned char *)(s ? s : "");

    if (*n < cap - 1)
        buf[(*n)++] = '"';
    while (*p && *n + 8 < cap) {
        size_t len = *p < 0x80 ? 1 : utf8_len(p);
        if (*p == '"' || *p == '\\') {
            buf[(*n)++] = '\\';
            buf[(*n)++] = (char)*p++;
        } else if (*p < 0x20) {
            *n += (size_t)snprintf(buf + *n, cap - *n, "\\u%04x", *p++);
        } else if (len == 0) {
            *n += (size_t)snprintf(buf + *n, cap - *n, "\\ufffd");
            p++;
        } else {
            memcpy(buf + *n, p, len);
            *n += len;
            p += len;
        }
    }
    if (*n < cap - 1)
        buf[(*n)++] = '"';
    buf[*n] = '\0';
}

static void log_put(char *buf, size_t cap, size_t *n, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Appends to the log line; stops at its end (a cut line is still ended by log_request). */
static void log_put(char *buf, size_t cap, size_t *n, const char *fmt, ...)
{
    va_list ap;
    int w;

    if (*n >= cap - 1)
        return;
    va_start(ap, fmt);
    w = vsnprintf(buf + *n, cap - *n, fmt, ap);
    va_end(ap);
    *n = w < 0 ? *n : *n + (size_t)w < cap - 1 ? *n + (size_t)w : cap - 1;
}

/*
 * The access log: one JSON line per request on stderr. Written with snprintf, not built as
 * a jansson object and dumped: that was ~5 % of the CPU of a GET of a case
 * (bench/results/2026-12-06-perf2.md). A path longer than the line is cut, still valid JSON.
 */
static void log_request(const struct req_ctx *c, const char *route, double secs, int completed)
{
    char line[2048];
    size_t n = 0, tail = sizeof line - 64; /* room for the closing fields */

    log_put(line, tail, &n, "{\"msg\":\"request\",\"ip\":");
    log_str(line, tail, &n, c->req.ip);
    log_put(line, tail, &n, ",\"method\":");
    log_str(line, tail, &n, c->req.method);
    log_put(line, tail, &n, ",\"path\":");
    log_str(line, tail - 600, &n, c->req.path); /* a long path leaves room for the rest */
    log_put(line, tail, &n, ",\"route\":");
    log_str(line, tail, &n, route);
    log_put(line, tail, &n, ",\"status\":%d,\"ms\":%.3f,\"bytes\":%lld,\"user\":", c->res.status,
            secs * 1000.0, (long long)c->res.fd_size + (long long)c->res.len);
    log_str(line, tail, &n, c->req.login);
    log_put(line, sizeof line, &n, ",\"completed\":%s}\n", completed ? "true" : "false");
    fputs(line, stderr);
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    struct http_server *s = cls;
    struct req_ctx *c = *con_cls;
    struct timespec end;
    double secs;
    const char *route;

    if (!c)
        return;
    clock_gettime(CLOCK_MONOTONIC, &end);
    secs = (double)(end.tv_sec - c->start.tv_sec) + (end.tv_nsec - c->start.tv_nsec) / 1e9;
    route = c->kind == REQ_ROUTE    ? c->req.route->pattern
            : c->kind == REQ_STATIC ? "static"
                                    : "unmatched";
    http_metrics_observe(&s->metrics, route, c->req.method, c->res.status, secs);
    log_request(c, route, secs, toe == MHD_REQUEST_TERMINATED_COMPLETED_OK);
    ctx_free(c);
    *con_cls = NULL;
    /* The next request on a kept-alive connection has the header deadline again. */
    guard_phase(s->guard, gconn(conn), GUARD_HEADERS);
    atomic_fetch_sub(&s->inflight, 1);
}

/* ---- lifecycle ---- */

/*
 * The Content-Security-Policy of every response (issue 13, defect 2). Scripts only from
 * here: no inline script but the page's import map, allowed by its SHA-256 (read from
 * index.html at start, so editing the map cannot silently break the page), and no
 * framing. 'unsafe-eval' because the front end's templates are strings compiled in the
 * browser by Vue's full build (vue.esm-browser), which compiles with new Function; inline
 * styles because Element Plus positions popovers with style attributes.
 */
static void build_csp(struct http_server *s)
{
    char file[4096], hash[80] = "", *page = NULL;
    unsigned char d[crypto_hash_sha256_BYTES];
    const char *open_tag = "<script type=\"importmap\">", *a, *b;
    FILE *f;
    long n;

    snprintf(file, sizeof file, "%s/index.html", s->web_dir ? s->web_dir : ".");
    f = s->web_dir ? fopen(file, "rb") : NULL;
    if (f && fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) > 0 && n < (1 << 20) &&
        fseek(f, 0, SEEK_SET) == 0 && (page = calloc(1, (size_t)n + 1)) &&
        fread(page, 1, (size_t)n, f) == (size_t)n && (a = strstr(page, open_tag)) &&
        (b = strstr(a, "</script>"))) {
        a += strlen(open_tag);
        crypto_hash_sha256(d, (const unsigned char *)a, (unsigned long long)(b - a));
        strcpy(hash, " 'sha256-");
        sodium_bin2base64(hash + strlen(hash), sizeof hash - strlen(hash) - 2, d, sizeof d,
                          sodium_base64_VARIANT_ORIGINAL);
        strcat(hash, "'");
    }
    if (f)
        fclose(f);
    free(page);
    snprintf(s->csp, sizeof s->csp,
             "default-src 'self'; script-src 'self' 'unsafe-eval'%s; style-src 'self' "
             "'unsafe-inline'; img-src 'self' data: blob:; font-src 'self' data:; connect-src "
             "'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors "
             "'none'",
             hash);
}

static int parse_listen(const char *listen, struct sockaddr_in *sa, char *err, size_t errlen)
{
    char host[64];
    const char *colon = strrchr(listen, ':');
    char *end;
    long port;

    memset(sa, 0, sizeof *sa);
    sa->sin_family = AF_INET;
    if (!colon || (size_t)(colon - listen) >= sizeof host) {
        snprintf(err, errlen, "listen address '%s' is not ADDR:PORT", listen);
        return -1;
    }
    memcpy(host, listen, (size_t)(colon - listen));
    host[colon - listen] = '\0';
    port = strtol(colon + 1, &end, 10);
    if (*end || end == colon + 1 || port < 0 || port > 65535) {
        snprintf(err, errlen, "listen address '%s' has a bad port", listen);
        return -1;
    }
    if (inet_pton(AF_INET, host[0] ? host : "0.0.0.0", &sa->sin_addr) != 1) {
        snprintf(err, errlen, "listen address '%s' is not an IPv4 address", listen);
        return -1;
    }
    sa->sin_port = htons((uint16_t)port);
    return 0;
}

struct http_server *http_server_start(const struct http_config *cfg, char *err, size_t errlen)
{
    struct http_server *s = calloc(1, sizeof *s);
    struct sockaddr_in sa;
    const union MHD_DaemonInfo *di;

    if (!s) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    s->cfg = *cfg;
    if (parse_listen(cfg->listen, &sa, err, errlen) != 0)
        goto fail;
    if (cfg->web_dir) {
        s->web_dir = realpath(cfg->web_dir, NULL);
        if (!s->web_dir) {
            snprintf(err, errlen, "web folder %s: %s", cfg->web_dir, strerror(errno));
            goto fail;
        }
    }
    build_csp(s);
    s->guard = guard_start(cfg->per_ip_limit ? cfg->per_ip_limit : 128,
                           cfg->header_timeout ? cfg->header_timeout : 15,
                           cfg->body_timeout ? cfg->body_timeout : 300, cfg->trusted_proxies);
    if (!s->guard) {
        snprintf(err, errlen, "cannot start the connection guard");
        goto fail;
    }
    s->readers = http_pool_start(cfg->threads ? cfg->threads : 4, "jiefen-read");
    s->writers = http_pool_start(cfg->write_threads ? cfg->write_threads
                                                    : 4 * (cfg->threads ? cfg->threads : 4),
                                 "jiefen-write");
    if (!s->readers || !s->writers) {
        snprintf(err, errlen, "cannot start the workers");
        goto fail;
    }
    http_metrics_init(&s->metrics);
    /* poll, not epoll: libmicrohttpd 0.9.75's epoll loop accepts up to ten connections per
     * wake-up, so a burst of clients all landed on one poll thread, which (when handlers still
     * ran there) held back every other request of its connections while one waited for a group
     * commit (bench/results/2026-12-06-perf.md). Its poll loop accepts one per wake-up, so the
     * connections spread over the threads. poll costs O(connections of one thread) per wake-up;
     * at the default 512 connections over the pool that did not show in the GET rate. Handlers
     * run on the workers (pool.h), which needs suspend and resume. */
    s->daemon = MHD_start_daemon(
        MHD_USE_POLL_INTERNAL_THREAD | MHD_USE_ITC | MHD_ALLOW_SUSPEND_RESUME | MHD_USE_ERROR_LOG,
        0, on_accept, s, on_request, s, MHD_OPTION_NOTIFY_CONNECTION, on_connection, s,
        MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa, MHD_OPTION_THREAD_POOL_SIZE,
        (unsigned int)(cfg->threads ? cfg->threads : 4), MHD_OPTION_CONNECTION_LIMIT,
        (unsigned int)(cfg->conn_limit ? cfg->conn_limit : 512), MHD_OPTION_CONNECTION_TIMEOUT,
        (unsigned int)(cfg->conn_timeout ? cfg->conn_timeout : 30), MHD_OPTION_NOTIFY_COMPLETED,
        on_completed, s, MHD_OPTION_END);
    if (!s->daemon) {
        snprintf(err, errlen, "cannot listen on %s: %s", cfg->listen,
                 errno ? strerror(errno) : "libmicrohttpd refused to start");
        http_metrics_free(&s->metrics);
        goto fail;
    }
    di = MHD_get_daemon_info(s->daemon, MHD_DAEMON_INFO_BIND_PORT);
    s->port = di ? di->port : ntohs(sa.sin_port);
    return s;
fail:
    http_pool_stop(s->readers);
    http_pool_stop(s->writers);
    guard_stop(s->guard);
    free(s->web_dir);
    free(s);
    return NULL;
}

unsigned http_server_port(const struct http_server *s)
{
    return s->port;
}

void http_server_stop(struct http_server *s, int grace_ms)
{
    MHD_socket fd;

    if (!s)
        return;
    /* Stop accepting, let requests in flight finish, then stop the workers. */
    fd = MHD_quiesce_daemon(s->daemon);
    if (fd != MHD_INVALID_SOCKET)
        close(fd);
    for (int waited = 0; atomic_load(&s->inflight) > 0 && waited < grace_ms; waited += 10) {
        struct timespec ts = {0, 10 * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
    /* Requests still running finish (a write's commit is kept) and resume their connections
     * before the daemon goes: libmicrohttpd must not be stopped with a connection suspended. */
    http_pool_stop(s->readers);
    http_pool_stop(s->writers);
    MHD_stop_daemon(s->daemon);
    guard_stop(s->guard);
    http_metrics_free(&s->metrics);
    free(s->web_dir);
    free(s);
}

void http_metrics_handler(struct http_req *req, struct http_res *res)
{
    struct http_server *s = req->srv;
    char *text = http_metrics_render(&s->metrics);

    if (!text) {
        http_problem(res, 500, "internal", "Internal Server Error", "out of memory", NULL);
        return;
    }
    free(res->body);
    res->status = 200;
    res->content_type = "text/plain; version=0.0.4; charset=utf-8";
    res->body = text;
    res->len = strlen(text);
}

/*
 * http.h - the HTTP server: libmicrohttpd underneath, a small route table of our own on
 * top, JSON bodies only, problem+json errors, an access-log line per request, Prometheus
 * metrics, static files for the front end, and a draining shutdown.
 *
 * A handler receives the whole request (body already read and size-checked) and fills a
 * response; it never talks to libmicrohttpd. Everything a request allocates is freed when
 * the response has been sent.
 */
#ifndef JIEFEN_HTTP_HTTP_H
#define JIEFEN_HTTP_HTTP_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#define HTTP_MAX_PARAMS 4
#define HTTP_JSON_LIMIT (1u << 20) /* default body limit: 1 MiB */

struct http_route;

struct http_req {
    const char *method;
    const char *path; /* without the query string */
    const char *ip;   /* the client: the peer, or X-Forwarded-For's last hop behind a
                       * trusted proxy (see http_config.trusted_proxies) */
    int tls;          /* the client reached us over TLS (X-Forwarded-Proto from a trusted
                       * proxy); decides the Secure cookie attribute */
    const char *body; /* NUL-terminated copy of the body, or NULL */
    size_t body_len;
    const char *params[HTTP_MAX_PARAMS]; /* {param} segments of the route, in order */
    int nparams;
    const struct http_route *route;
    void *conn;     /* the MHD connection: use the accessors below */
    void *srv;      /* the server (for the metrics handler) */
    void *app;      /* http_config.app */
    void *user;     /* set by the dispatcher (e.g. the authenticated principal) */
    char login[64]; /* for the access log: who made the request, if anyone */
};

struct http_res {
    int status;
    char *body; /* malloc'd, owned by the response */
    size_t len;
    const char *content_type;
    int nheaders;
    struct {
        char name[40];
        char value[512];
    } headers[8];
    const char *csp; /* the server's Content-Security-Policy (set by the server) */
    int fd;          /* a file to send instead of body (static files), or -1 */
    uint64_t fd_size;
};

typedef void (*http_handler)(struct http_req *req, struct http_res *res);

struct http_route {
    const char *method;
    const char *pattern; /* "/api/v1/users/{id}" */
    http_handler fn;
    unsigned flags;    /* for the dispatcher (auth needed, ...) */
    unsigned roles;    /* for the dispatcher: roles allowed, 0 = any */
    size_t body_limit; /* 0: HTTP_JSON_LIMIT */
};

/* Called for a matched route once the body is in; decides whether to run route->fn. */
typedef void (*http_dispatch)(const struct http_route *route, struct http_req *req,
                              struct http_res *res);

struct http_config {
    const char *listen;  /* "ADDR:PORT"; port 0 picks a free one */
    const char *web_dir; /* static files; NULL: none */
    /* Poll threads, and as many read workers (http/pool.h); 0: 4. */
    unsigned threads;
    /* Write workers (http/pool.h): how many writes may wait for their commit at once; 0: four
     * per read worker. */
    unsigned write_threads;
    unsigned conn_limit;
    unsigned conn_timeout; /* seconds of silence before libmicrohttpd closes a connection */
    /* Flood limits (issue 13): connections at once from one address (0: 128; a township office
     * behind one NAT address has a few dozen browsers of six connections each), and deadlines a
     * slow client cannot extend by trickling bytes: the request line and headers must be in within
     * header_timeout seconds of the connection (or of the previous response) (0: 15), the body
     * within body_timeout seconds of the headers (0: 300). */
    unsigned per_ip_limit;
    unsigned header_timeout;
    unsigned body_timeout;
    /* Comma-separated IPv4 addresses of reverse proxies whose X-Forwarded-For and
     * X-Forwarded-Proto are believed; NULL or "": none, the headers are ignored. */
    const char *trusted_proxies;
    const struct http_route *routes;
    size_t nroutes;
    http_dispatch dispatch;
    void *app;
};

struct http_server;

/* Starts serving. Returns NULL with a one-line reason in err. */
struct http_server *http_server_start(const struct http_config *cfg, char *err, size_t errlen);

/* The port actually bound. */
unsigned http_server_port(const struct http_server *s);

/*
 * Stops accepting connections, waits up to `grace_ms` for requests in flight to finish,
 * then stops the worker threads and frees the server. NULL-safe.
 */
void http_server_stop(struct http_server *s, int grace_ms);

/* ---- request accessors ---- */
const char *http_header(const struct http_req *req, const char *name);
const char *http_query(const struct http_req *req, const char *name);
const char *http_cookie(const struct http_req *req, const char *name);

/* ---- responses ---- */
void http_res_header(struct http_res *res, const char *name, const char *value);
/* Sets a JSON body (takes the reference to `json`). */
void http_res_json(struct http_res *res, int status, json_t *json);
void http_res_text(struct http_res *res, int status, const char *content_type, const char *text);
void http_res_empty(struct http_res *res, int status);
/* Sets a body of bytes; takes ownership of the malloc'd buf. */
void http_res_bytes(struct http_res *res, int status, const char *content_type, char *buf,
                    size_t len);

/*
 * Sends an open file, read from its current offset (e.g. an export written to a temporary
 * file): bounded memory whatever its size, and the request's resources (its database
 * connection) are free once the handler returns, since libmicrohttpd reads only the file.
 * Takes ownership of fd (closed when sent or if the response fails).
 */
void http_res_fd(struct http_res *res, int status, const char *content_type, int fd, uint64_t size);

/*
 * An RFC 9457 problem: type "urn:jiefen:problem:<slug>". `errors` (may be NULL) is a JSON
 * array of {field, code, message}; the reference is taken.
 */
void http_problem(struct http_res *res, int status, const char *slug, const char *title,
                  const char *detail, json_t *errors);

/* Renders the server's metrics in Prometheus text format (the /metrics handler). */
void http_metrics_handler(struct http_req *req, struct http_res *res);

/*
 * Matches method and path against routes. Returns the route, with path parameters copied
 * into buf (buflen bytes) and pointed to by params. When the path matches but the method
 * does not, returns NULL and lists the allowed methods in allow ("GET, POST").
 */
const struct http_route *http_route_match(const struct http_route *routes, size_t n,
                                          const char *method, const char *path, const char **params,
                                          int *nparams, char *buf, size_t buflen, char *allow,
                                          size_t allowlen);

#endif

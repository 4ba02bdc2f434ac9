/*
 * cmd_serve.c - `jiefen serve`: the web server.
 */
#include "api/api.h"
#include "auth/auth.h"
#include "cli/cli.h"
#include "notify/notify.h"
#include "sched/sched.h"
#include "store/group.h"
#include "seal/seal.h"
#include "store/staffseal.h"
#include "text/text.h"

#include <getopt.h>
#include <malloc.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Attaches the key to the store and seals the staff-side phones still plain: those written
 * before migration 29 or by a CLI command without the key (store/staffseal.h). */
static int seal_staff_phones(struct api_app *app)
{
    char err[256];
    struct store_conn *c;
    int64_t n = 0;

    store_set_seal(app->store, app->seal);
    c = store_conn_get(app->store, err, sizeof err);
    if (!c) {
        cli_error("serve", "%s", err);
        return -1;
    }
    if (store_staff_phones_seal(c, &n) != STORE_OK) {
        cli_error("serve", "sealing staff phones: %s", store_conn_error(c));
        return -1;
    }
    if (n > 0)
        fprintf(stderr, "jiefen: sealed %lld staff phone number%s\n", (long long)n,
                n == 1 ? "" : "s");
    return 0;
}

static const char serve_usage[] =
    "usage: jiefen serve [--db FILE | --pg CONNINFO] [--listen ADDR:PORT] [--web DIR]\n"
    "                    [--threads N] [--secure-cookie] [--trusted-proxy LIST]\n"
    "                    [--per-ip-limit N] [--header-timeout S] [--metrics-token T]\n"
    "                    [--pg-replica CONNINFO [--replica-max-lag MS]]\n\n"
    "Serves the web app and the API. The schema is migrated on start.\n\n"
    "  --db FILE        SQLite database file (env JIEFEN_DB; default data/jiefen.db)\n"
    "  --pg CONNINFO    PostgreSQL connection string instead (env JIEFEN_PG)\n"
    "  --listen A:P     address and port (env JIEFEN_LISTEN; default 127.0.0.1:8080;\n"
    "                   port 0 picks a free one)\n"
    "  --web DIR        folder of the front end (env JIEFEN_WEB; default web)\n"
    "  --threads N      worker threads (default: two per CPU core, at least 4)\n"
    "  --templates DIR  document templates (env JIEFEN_TEMPLATES; default templates)\n"
    "  --files DIR      attachments (env JIEFEN_FILES; default: the SQLite file's name +\n"
    "                   .files, or files with PostgreSQL)\n"
    "  --secure-cookie  always mark the session cookie Secure (it is anyway when a trusted\n"
    "                   proxy says the request came over HTTPS: X-Forwarded-Proto)\n"
    "  --trusted-proxy LIST  comma-separated proxy addresses whose X-Forwarded-For and\n"
    "                   X-Forwarded-Proto are believed (env JIEFEN_TRUSTED_PROXIES;\n"
    "                   default none: the headers are ignored)\n"
    "  --per-ip-limit N connections at once from one client address (default 128)\n"
    "  --header-timeout S  seconds a client has to send a request's headers (default 15);\n"
    "                   the body has 300\n"
    "  --metrics-token T  /metrics wants Authorization: Bearer T (env\n"
    "                   JIEFEN_METRICS_TOKEN; default: /metrics answers loopback only)\n"
    "  --pg-replica CONNINFO  a streaming replica of --pg for lists and figures (env\n"
    "                   JIEFEN_PG_REPLICA; docs/postgresql.md)\n"
    "  --replica-max-lag MS  read from the primary while the replica lags more (env\n"
    "                   JIEFEN_REPLICA_MAX_LAG_MS; default 2000)\n"
    "  --scan-interval S  seconds between deadline-scheduler passes (default 60; 0: off)\n"
    "  --notify-interval S  seconds between notification delivery passes (default 2; 0: off)\n"
    "  --no-group-commit  SQLite: commit each write on its own instead of letting writes\n"
    "                   that arrive together share one commit (store/group.h)\n"
    "  --key FILE       key for personal data (env JIEFEN_KEY; default: the SQLite file's\n"
    "                   name + .key, or jiefen.key with PostgreSQL); created if missing\n"
    "SIGTERM or SIGINT stops accepting, lets requests in flight finish, then exits.\n"
    "SIGHUP re-reads the key file (jiefen key add / promote).\n";

/* A whole number from lo to hi into *out; -1 if optarg is not one. */
static int serve_number(const char *arg, long lo, long hi, unsigned *out)
{
    char *end;
    long v = strtol(arg, &end, 10);

    if (*end || end == arg || v < lo || v > hi)
        return -1;
    *out = (unsigned)v;
    return 0;
}

/* Opens the read replica, if one is named, without connecting: the server starts while it is
 * down and reads from the primary until it answers (api/replica.c). */
static int serve_replica(struct api_app *app, const struct cli_db *db, const char *replica,
                         const char *max_lag)
{
    char err[256];
    unsigned lag = 2000;

    if (!replica || !*replica)
        return 0;
    if (db->kind != STORE_PG) {
        cli_error("serve", "--pg-replica needs --pg: a replica is of a PostgreSQL primary");
        return -1;
    }
    if (max_lag && *max_lag && serve_number(max_lag, 0, 3600000, &lag) != 0) {
        cli_error("serve", "--replica-max-lag must be milliseconds from 0 to 3600000");
        return -1;
    }
    app->replica_max_lag_ms = lag;
    app->replica = store_open_lazy(STORE_PG, replica, err, sizeof err);
    if (!app->replica) {
        cli_error("serve", "%s", err);
        return -1;
    }
    return 0;
}

int cmd_serve(int argc, char **argv)
{
    static const struct option opts[] = {
        {"db", required_argument, NULL, 'd'},
        {"pg", required_argument, NULL, 'p'},
        {"listen", required_argument, NULL, 'l'},
        {"web", required_argument, NULL, 'w'},
        {"threads", required_argument, NULL, 't'},
        {"secure-cookie", no_argument, NULL, 's'},
        {"key", required_argument, NULL, 'k'},
        {"scan-interval", required_argument, NULL, 'i'},
        {"templates", required_argument, NULL, 'T'},
        {"files", required_argument, NULL, 'F'},
        {"notify-interval", required_argument, NULL, 'N'},
        {"no-group-commit", no_argument, NULL, 'G'},
        {"trusted-proxy", required_argument, NULL, 'P'},
        {"per-ip-limit", required_argument, NULL, 'L'},
        {"header-timeout", required_argument, NULL, 'H'},
        {"metrics-token", required_argument, NULL, 'M'},
        {"pg-replica", required_argument, NULL, 'R'},
        {"replica-max-lag", required_argument, NULL, 'Y'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    struct cli_db db;
    struct api_app app = {0};
    struct http_config cfg = {0};
    struct http_server *srv = NULL;
    const char *listen = getenv("JIEFEN_LISTEN"), *web = getenv("JIEFEN_WEB");
    const char *key = getenv("JIEFEN_KEY");
    const char *replica = getenv("JIEFEN_PG_REPLICA"),
               *max_lag = getenv("JIEFEN_REPLICA_MAX_LAG_MS");
    char keyfile[4096], filesdir[4096];
    char err[512];
    sigset_t sigs;
    int sig, opt, threads = 0, status = 1, scan_interval = 60, notify_interval = 2, group = 1;
    struct sched *sched = NULL;
    struct notify_worker *notifier = NULL;
    char *end;

    cli_db_defaults(&db);
    /* Only the server traces: the statements of requests, not of the CLI's loaders. */
    if (store_trace_start(getenv("JIEFEN_SQL_TRACE")) != 0) {
        fprintf(stderr, "jiefen serve: cannot open JIEFEN_SQL_TRACE file\n");
        return 1;
    }
    optind = 1;
    while ((opt = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (opt) {
        case 'd':
            db.kind = STORE_SQLITE;
            db.target = optarg;
            break;
        case 'p':
            db.kind = STORE_PG;
            db.target = optarg;
            break;
        case 'l':
            listen = optarg;
            break;
        case 'w':
            web = optarg;
            break;
        case 't':
            threads = (int)strtol(optarg, &end, 10);
            if (*end || threads < 1 || threads > 256) {
                cli_error("serve", "--threads must be a number from 1 to 256");
                return 2;
            }
            break;
        case 's':
            app.cookie_secure = 1;
            break;
        case 'k':
            key = optarg;
            break;
        case 'T':
            app.templates_dir = optarg;
            break;
        case 'F':
            app.files_dir = optarg;
            break;
        case 'i':
            scan_interval = (int)strtol(optarg, &end, 10);
            if (*end || scan_interval < 0 || scan_interval > 86400) {
                cli_error("serve", "--scan-interval must be seconds from 0 (off) to 86400");
                return 2;
            }
            break;
        case 'N':
            notify_interval = (int)strtol(optarg, &end, 10);
            if (*end || notify_interval < 0 || notify_interval > 3600) {
                cli_error("serve", "--notify-interval must be seconds from 0 (off) to 3600");
                return 2;
            }
            break;
        case 'G':
            group = 0;
            break;
        case 'P':
            cfg.trusted_proxies = optarg;
            break;
        case 'L':
            if (serve_number(optarg, 1, 100000, &cfg.per_ip_limit) != 0) {
                cli_error("serve", "--per-ip-limit must be a number from 1 to 100000");
                return 2;
            }
            break;
        case 'H':
            if (serve_number(optarg, 1, 3600, &cfg.header_timeout) != 0) {
                cli_error("serve", "--header-timeout must be seconds from 1 to 3600");
                return 2;
            }
            break;
        case 'M':
            app.metrics_token = optarg;
            break;
        case 'R':
            replica = optarg;
            break;
        case 'Y':
            max_lag = optarg;
            break;
        case 'h':
            fputs(serve_usage, stdout);
            return 0;
        default:
            fputs(serve_usage, stderr);
            return 2;
        }
    }
    if (optind < argc) {
        cli_error("serve", "unexpected argument '%s'", argv[optind]);
        return 2;
    }
    if (serve_replica(&app, &db, replica, max_lag) != 0)
        return 2;
    if (auth_init(2) != 0) {
        cli_error("serve", "cannot initialise libsodium");
        return 1;
    }
    app.store = cli_open_store(&db, 1);
    if (!app.store)
        return 1;
    cli_key_file(&db, key, keyfile, sizeof keyfile);
    if (seal_open(&app.seal, keyfile, 1, err, sizeof err) != 0) {
        cli_error("serve", "%s", err);
        goto out;
    }
    if (seal_staff_phones(&app) != 0)
        goto out;
    app.text = text_open(err, sizeof err);
    if (!app.text) {
        cli_error("serve", "%s", err);
        goto out;
    }
    /* Block the stop signals before the worker threads start, so that they inherit the
     * mask and only this thread, in sigwait, ever receives them. */
    sigemptyset(&sigs);
    sigaddset(&sigs, SIGTERM);
    sigaddset(&sigs, SIGINT);
    sigaddset(&sigs, SIGHUP);
    pthread_sigmask(SIG_BLOCK, &sigs, NULL);
    signal(SIGPIPE, SIG_IGN);
    /* glibc hands a worker thread's freed heap back to the kernel (madvise) as soon as 128 KiB
     * lie free at its top, and the next request faults the same pages in again: under load a
     * tenth of the server's time went to that churn. Keep up to 32 MiB per arena instead. */
    mallopt(M_TRIM_THRESHOLD, 32 << 20);
    /* PostgreSQL groups commits in its own WAL writer; SQLite needs ours. */
    if (group && store_kind(app.store) == STORE_SQLITE) {
        app.group = store_group_start(app.store, err, sizeof err);
        if (!app.group) {
            cli_error("serve", "%s", err);
            goto out;
        }
    }

    cfg.listen = listen && *listen ? listen : "127.0.0.1:8080";
    cfg.web_dir = web && *web ? web : "web";
    if (!app.files_dir) {
        const char *env = getenv("JIEFEN_FILES");
        if (env && *env)
            snprintf(filesdir, sizeof filesdir, "%s", env);
        else if (db.kind == STORE_SQLITE)
            snprintf(filesdir, sizeof filesdir, "%s.files", db.target);
        else
            snprintf(filesdir, sizeof filesdir, "files");
        app.files_dir = filesdir;
    }
    if (!app.templates_dir) {
        const char *t = getenv("JIEFEN_TEMPLATES");
        app.templates_dir = t && *t ? t : "templates";
    }
    /* A read runs start to end on one worker, so for reads more workers than cores only adds
     * switching: on 2 cores GET /api/v1/cases/{id} did 4,537 req/s with 2 workers and 3,763
     * with 4 (bench/results). Two workers per core, at least 4. Writes, which wait for their
     * commit's fsync, run on write workers of their own (http/pool.h): on SQLite four per read
     * worker, so that group commit (store/group.h) can batch as many as wait at the same time.
     * On PostgreSQL as many as read workers: a change to a case holds the counters' lock until
     * its commit (watch/stats.c), so more writes at once only queue on it, and 16 did 59-66
     * registrations a second against 87-103 with 4 (bench/results/2026-12-07-workers.md). */
    if (threads == 0) {
        long n = sysconf(_SC_NPROCESSORS_ONLN);
        threads = n < 2 ? 4 : n > 32 ? 64 : 2 * (int)n;
    }
    if (!cfg.trusted_proxies)
        cfg.trusted_proxies = getenv("JIEFEN_TRUSTED_PROXIES");
    if (!app.metrics_token)
        app.metrics_token = getenv("JIEFEN_METRICS_TOKEN");
    cfg.threads = (unsigned)threads;
    cfg.write_threads = (unsigned)(app.group ? 4 * threads : threads);
    cfg.conn_limit = 1024;
    cfg.conn_timeout = 30;
    cfg.routes = api_routes;
    cfg.nroutes = api_nroutes;
    cfg.dispatch = api_dispatch;
    cfg.app = &app;
    srv = http_server_start(&cfg, err, sizeof err);
    if (!srv) {
        cli_error("serve", "%s", err);
        goto out;
    }
    {
        char host[64];
        const char *colon = strrchr(cfg.listen, ':');
        snprintf(host, sizeof host, "%.*s", (int)(colon - cfg.listen), cfg.listen);
        printf("jiefen: listening on http://%s:%u/ (%s)\n",
               strcmp(host, "0.0.0.0") == 0 || !host[0] ? "127.0.0.1" : host, http_server_port(srv),
               store_kind(app.store) == STORE_PG ? "PostgreSQL" : "SQLite");
        fflush(stdout);
    }
    if (scan_interval > 0) {
        sched = sched_start(app.store, scan_interval, SCHED_LEAD_SETTING, err, sizeof err);
        if (!sched) {
            cli_error("serve", "%s", err);
            http_server_stop(srv, 0);
            goto out;
        }
    }
    if (notify_interval > 0) {
        notifier = notify_start(app.store, app.seal, notify_interval, err, sizeof err);
        if (!notifier) {
            cli_error("serve", "%s", err);
            http_server_stop(srv, 0);
            sched_stop(sched);
            goto out;
        }
    }
    /* SIGHUP re-reads the key file (key rotation, docs/security-data.md): a key added by
     * `jiefen key add` can then open values, one moved last by `promote` seals new ones. */
    while (sigwait(&sigs, &sig) == 0 && sig == SIGHUP) {
        if (seal_reload(app.seal, keyfile, err, sizeof err) != 0)
            fprintf(stderr, "{\"msg\":\"key file not reloaded\",\"error\":\"%s\"}\n", err);
        else
            fprintf(stderr, "{\"msg\":\"key file reloaded\",\"current_key\":%d}\n",
                    seal_current_key_id(app.seal));
    }
    fprintf(stderr, "{\"msg\":\"stopping\",\"signal\":%d}\n", sig);
    http_server_stop(srv, 10000);
    sched_stop(sched);
    notify_stop(notifier);
    status = 0;
out:
    if (app.group) { /* after the server: no request waits on it any more */
        uint64_t jobs = 0, commits = 0;
        store_group_counts(app.group, &jobs, &commits);
        fprintf(stderr, "{\"msg\":\"group commit\",\"jobs\":%llu,\"commits\":%llu}\n",
                (unsigned long long)jobs, (unsigned long long)commits);
        store_group_stop(app.group);
    }
    text_close(app.text);
    seal_close(app.seal);
    store_close(app.replica);
    store_close(app.store);
    return status;
}

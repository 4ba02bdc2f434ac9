/*
 * store_sqlite.c - the embedded SQLite backend.
 *
 * Each thread has its own connection in WAL mode, so readers never block the writer and
 * several worker threads read at once. Writes use BEGIN IMMEDIATE to take the write lock
 * up front: a deferred transaction that later upgrades can fail with SQLITE_BUSY after
 * doing work, while an immediate one just waits out the busy timeout.
 */
#include "store/store.h"
#include "store/stmtcache.h"

#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct sqlite_conn {
    sqlite3 *db;
    struct stmtcache *stmts;
};

static void stmt_destroy(void *h)
{
    sqlite3_finalize(h);
}

static store_err map_error(sqlite3 *db, int rc, char *err, size_t errlen)
{
    int ext = sqlite3_extended_errcode(db);

    snprintf(err, errlen, "sqlite: %s", sqlite3_errmsg(db));
    switch (ext) {
    case SQLITE_CONSTRAINT_UNIQUE:
    case SQLITE_CONSTRAINT_PRIMARYKEY:
    case SQLITE_CONSTRAINT_FOREIGNKEY:
        return STORE_CONFLICT;
    default:
        break;
    }
    if (rc == SQLITE_CANTOPEN || rc == SQLITE_NOTADB || rc == SQLITE_PERM || rc == SQLITE_READONLY)
        return STORE_UNAVAILABLE;
    return STORE_ERROR;
}

static void sqlite_close(void *impl)
{
    struct sqlite_conn *c = impl;

    if (!c)
        return;
    stmtcache_free(c->stmts);
    sqlite3_close(c->db);
    free(c);
}

static store_err sqlite_script(void *impl, const char *sql, char *err, size_t errlen)
{
    struct sqlite_conn *c = impl;
    char *msg = NULL;
    int rc = sqlite3_exec(c->db, sql, NULL, NULL, &msg);

    if (rc != SQLITE_OK) {
        store_err e = map_error(c->db, rc, err, errlen);
        if (msg)
            snprintf(err, errlen, "sqlite: %s", msg);
        sqlite3_free(msg);
        return e;
    }
    return STORE_OK;
}

/* SQLite counts every allocation under one process-wide mutex unless told not to; with a
 * connection per worker thread that mutex is the one lock all requests share (perf showed it
 * among the top costs of GET /api/v1/cases/{id}). jiefen never asks for the counts. Must
 * run before SQLite initialises; if something initialised it already, the call is refused
 * (SQLITE_MISUSE) and the counting simply stays on, which is harmless. */
static pthread_once_t sqlite_config_once = PTHREAD_ONCE_INIT;

static void sqlite_config(void)
{
    (void)sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
    /* Not SQLITE_CONFIG_STMTJRNL_SPILL: keeping statement journals in memory up to 1 or 8 MiB
     * saved a temporary file per registration, but with it set (SQLite 3.40) a statement
     * whose journal outgrew it failed with SQLITE_FULL ("database or disk is full") instead
     * of spilling, which broke the statistics rollup rebuild of a 3,000-case register.
     * The default (64 KiB, then a file) is kept until that is understood. */
}

static store_err sqlite_open(const char *target, void **impl, char *err, size_t errlen)
{
    struct sqlite_conn *c = calloc(1, sizeof *c);
    sqlite3_stmt *st = NULL;
    store_err e = STORE_ERROR;
    int rc;

    *impl = NULL;
    if (!c) {
        snprintf(err, errlen, "out of memory");
        return STORE_ERROR;
    }
    pthread_once(&sqlite_config_once, sqlite_config);
    rc = sqlite3_open_v2(target, &c->db,
                         SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
    if (rc != SQLITE_OK) {
        snprintf(err, errlen, "cannot open database %s: %s", target,
                 c->db ? sqlite3_errmsg(c->db) : "out of memory");
        e = STORE_UNAVAILABLE;
        goto out;
    }
    sqlite3_extended_result_codes(c->db, 1);
    /* The busy timeout must be in place before switching to WAL: the switch itself needs
     * a lock that another process may hold for a moment. */
    sqlite3_busy_timeout(c->db, 10000);
    rc = sqlite3_prepare_v2(c->db, "PRAGMA journal_mode=WAL", -1, &st, NULL);
    if (rc != SQLITE_OK || sqlite3_step(st) != SQLITE_ROW) {
        snprintf(err, errlen, "cannot open database %s: %s", target, sqlite3_errmsg(c->db));
        e = STORE_UNAVAILABLE;
        goto out;
    }
    if (strcmp((const char *)sqlite3_column_text(st, 0), "wal") != 0) {
        snprintf(err, errlen, "database %s refused WAL mode (journal_mode=%s)", target,
                 (const char *)sqlite3_column_text(st, 0));
        e = STORE_UNAVAILABLE;
        goto out;
    }
    /* 4 MiB of page cache per connection (SQLite's default is 2 MiB). Every thread of the
     * server has its own connection (workers, scheduler, notifier, replica), and each cache
     * grows to its limit and stays: at 64 MiB each the server's RSS reached 308-350 MB under
     * load at 100,000-200,000 cases (issue 12: target < 100 MB at a million). A page a
     * reader misses comes from the kernel's page cache, shared by all connections and not
     * counted in RSS. The group writer, whose inserts land at random places of the
     * register's indexes, sets a larger cache of its own (store/group.c). */
    e = sqlite_script(c,
                      "PRAGMA foreign_keys=ON; PRAGMA synchronous=FULL; PRAGMA cache_size=-4096;",
                      err, errlen);
    if (e != STORE_OK)
        goto out;
    c->stmts = stmtcache_new(stmt_destroy);
    if (!c->stmts) {
        snprintf(err, errlen, "out of memory");
        e = STORE_ERROR;
        goto out;
    }
    *impl = c;
    c = NULL;
    e = STORE_OK;
out:
    sqlite3_finalize(st);
    sqlite_close(c);
    return e;
}

/*
 * Shared SQL numbers its parameters $1..$n as PostgreSQL does. SQLite would read "$1" as a
 * named parameter numbered by first appearance, which goes wrong when $2 appears before
 * $1, so rewrite each $N outside string literals to ?N, SQLite's numbered form.
 */
static char *rewrite_params(const char *sql)
{
    size_t n = strlen(sql);
    char *out = malloc(n + 1), *o = out;
    int quoted = 0;

    if (!out)
        return NULL;
    for (const char *p = sql; *p; p++) {
        if (*p == '\'')
            quoted = !quoted;
        if (!quoted && *p == '$' && p[1] >= '0' && p[1] <= '9')
            *o++ = '?';
        else
            *o++ = *p;
    }
    *o = '\0';
    return out;
}

static store_err prepare(struct sqlite_conn *c, const char *sql, sqlite3_stmt **out, char *err,
                         size_t errlen)
{
    sqlite3_stmt *st = stmtcache_get(c->stmts, sql);
    char *text;
    int rc;

    if (st) {
        *out = st;
        return STORE_OK;
    }
    store_trace_sql("sqlite", sql);
    text = rewrite_params(sql);
    if (!text) {
        snprintf(err, errlen, "out of memory");
        return STORE_ERROR;
    }
    rc = sqlite3_prepare_v3(c->db, text, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL);
    free(text);
    if (rc != SQLITE_OK)
        return map_error(c->db, rc, err, errlen);
    if (stmtcache_put(c->stmts, sql, st) != 0) {
        sqlite3_finalize(st);
        snprintf(err, errlen, "out of memory");
        return STORE_ERROR;
    }
    *out = st;
    return STORE_OK;
}

static store_err sqlite_exec(void *impl, const char *sql, int nparams,
                             const struct store_param *params, struct store_rows **out, char *err,
                             size_t errlen)
{
    struct sqlite_conn *c = impl;
    sqlite3_stmt *st = NULL;
    struct store_rows *rows = NULL;
    char **vals = NULL;
    store_err e;
    int rc, ncols;

    e = prepare(c, sql, &st, err, errlen);
    if (e != STORE_OK)
        return e;
    for (int i = 0; i < nparams; i++) {
        const struct store_param *p = &params[i];
        if (p->type == STORE_P_TEXT)
            rc = sqlite3_bind_text(st, i + 1, p->s, -1, SQLITE_STATIC);
        else if (p->type == STORE_P_INT)
            rc = sqlite3_bind_int64(st, i + 1, p->i);
        else
            rc = sqlite3_bind_null(st, i + 1);
        if (rc != SQLITE_OK) {
            e = map_error(c->db, rc, err, errlen);
            goto out;
        }
    }
    ncols = sqlite3_column_count(st);
    if (out) {
        rows = store_rows_new(ncols);
        vals = calloc((size_t)(ncols ? ncols : 1), sizeof *vals);
        if (!rows || !vals)
            goto oom;
        for (int i = 0; i < ncols; i++)
            if (store_rows_set_name(rows, i, sqlite3_column_name(st, i)) != 0)
                goto oom;
    }
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (!out)
            continue;
        for (int i = 0; i < ncols; i++) {
            const unsigned char *v = sqlite3_column_text(st, i);
            vals[i] = NULL;
            if (v && !(vals[i] = store_rows_copy(rows, (const char *)v,
                                                 (size_t)sqlite3_column_bytes(st, i))))
                goto oom; /* what was copied goes with the rows */
        }
        if (store_rows_add(rows, vals) != 0)
            goto oom;
    }
    if (rc != SQLITE_DONE) {
        e = map_error(c->db, rc, err, errlen);
        goto out;
    }
    if (out) {
        *out = rows;
        rows = NULL;
    }
    e = STORE_OK;
    goto out;
oom:
    snprintf(err, errlen, "out of memory");
    e = STORE_ERROR;
out:
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    free(vals);
    store_rows_free(rows);
    return e;
}

static int sqlite_autocommit(void *impl)
{
    struct sqlite_conn *c = impl;
    return sqlite3_get_autocommit(c->db);
}

const struct store_ops store_sqlite_ops = {
    .name = "sqlite",
    .kind = STORE_SQLITE,
    .open = sqlite_open,
    .close = sqlite_close,
    .exec = sqlite_exec,
    .script = sqlite_script,
    .begin_read_sql = "BEGIN",
    .begin_write_sql = "BEGIN IMMEDIATE",
    .autocommit = sqlite_autocommit,
};

store_err store_sqlite_backup(const char *src, const char *dest, char *err, size_t errlen)
{
    sqlite3 *from = NULL, *to = NULL;
    sqlite3_backup *b = NULL;
    char tmp[4096];
    store_err e = STORE_ERROR;
    int rc;

    if (snprintf(tmp, sizeof tmp, "%s.tmp", dest) >= (int)sizeof tmp) {
        snprintf(err, errlen, "destination path too long");
        return STORE_ERROR;
    }
    rc = sqlite3_open_v2(src, &from, SQLITE_OPEN_READONLY, NULL);
    if (rc != SQLITE_OK) {
        snprintf(err, errlen, "cannot open %s: %s", src, from ? sqlite3_errmsg(from) : "no memory");
        e = STORE_UNAVAILABLE;
        goto out;
    }
    sqlite3_busy_timeout(from, 10000);
    remove(tmp);
    rc = sqlite3_open_v2(tmp, &to, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
    if (rc != SQLITE_OK) {
        snprintf(err, errlen, "cannot create %s: %s", tmp, to ? sqlite3_errmsg(to) : "no memory");
        goto out;
    }
    b = sqlite3_backup_init(to, "main", from, "main");
    if (!b) {
        snprintf(err, errlen, "backup failed: %s", sqlite3_errmsg(to));
        goto out;
    }
    /* One step copies everything under a single read transaction: in WAL mode that does
     * not block the server's writers, and the copy is one consistent snapshot. */
    do {
        rc = sqlite3_backup_step(b, -1);
        if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
            sqlite3_sleep(50);
    } while (rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
    sqlite3_backup_finish(b);
    b = NULL;
    if (rc != SQLITE_DONE) {
        snprintf(err, errlen, "backup failed: %s", sqlite3_errstr(rc));
        goto out;
    }
    sqlite3_close(to);
    to = NULL;
    if (rename(tmp, dest) != 0) {
        snprintf(err, errlen, "cannot rename %s to %s", tmp, dest);
        goto out;
    }
    e = STORE_OK;
out:
    if (b)
        sqlite3_backup_finish(b);
    sqlite3_close(to);
    sqlite3_close(from);
    if (e != STORE_OK)
        remove(tmp);
    return e;
}

/* PRAGMA integrity_check on an open database: 0 if "ok", else -1 with the first problem. */
static int sqlite_integrity(sqlite3 *db, char *err, size_t errlen)
{
    sqlite3_stmt *s = NULL;
    int rc = sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &s, NULL), ok = -1;

    if (rc == SQLITE_OK && sqlite3_step(s) == SQLITE_ROW) {
        const char *v = (const char *)sqlite3_column_text(s, 0);
        if (v && strcmp(v, "ok") == 0)
            ok = 0;
        else
            snprintf(err, errlen, "integrity check failed: %s", v ? v : "no answer");
    } else {
        snprintf(err, errlen, "integrity check failed: %s", sqlite3_errmsg(db));
    }
    sqlite3_finalize(s);
    return ok;
}

store_err store_sqlite_restore(const char *src, const char *dest, char *err, size_t errlen)
{
    sqlite3 *from = NULL, *to = NULL;
    sqlite3_backup *b = NULL;
    store_err e = STORE_ERROR;
    int rc;

    rc = sqlite3_open_v2(src, &from, SQLITE_OPEN_READONLY, NULL);
    if (rc != SQLITE_OK) {
        snprintf(err, errlen, "cannot open %s: %s", src, from ? sqlite3_errmsg(from) : "no memory");
        goto out;
    }
    if (sqlite_integrity(from, err, errlen) != 0)
        goto out;
    rc = sqlite3_open_v2(dest, &to, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
    if (rc != SQLITE_OK) {
        snprintf(err, errlen, "cannot open %s: %s", dest, to ? sqlite3_errmsg(to) : "no memory");
        goto out;
    }
    sqlite3_busy_timeout(to, 10000);
    b = sqlite3_backup_init(to, "main", from, "main");
    if (!b) {
        snprintf(err, errlen, "restore failed: %s", sqlite3_errmsg(to));
        goto out;
    }
    rc = sqlite3_backup_step(b, -1);
    sqlite3_backup_finish(b);
    b = NULL;
    if (rc != SQLITE_DONE) {
        snprintf(err, errlen, "restore failed: %s", sqlite3_errstr(rc));
        goto out;
    }
    if (sqlite_integrity(to, err, errlen) != 0)
        goto out;
    e = STORE_OK;
out:
    if (b)
        sqlite3_backup_finish(b);
    sqlite3_close(to);
    sqlite3_close(from);
    return e;
}

/*
 * store_pg.c - the PostgreSQL backend through libpq.
 *
 * One connection per worker thread (store.c keeps it in thread-local storage). Every
 * statement is prepared once per connection under a generated name and then run with
 * PQexecPrepared, parameters passed as text so that the server infers their types from
 * the shared SQL.
 */
#include "store/store.h"
#include "store/stmtcache.h"

#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct pg_conn {
    PGconn *db;
    struct stmtcache *stmts; /* sql -> malloc'd statement name */
};

static void name_destroy(void *h)
{
    free(h);
}

/* libpq ends its messages with a newline; the store's messages are one line. */
static void one_line(char *s)
{
    for (char *p = s; *p; p++)
        if (*p == '\n' || *p == '\r')
            *p = (p[1] ? ' ' : '\0');
}

static store_err map_result(struct pg_conn *c, PGresult *res, char *err, size_t errlen)
{
    const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
    const char *msg = res ? PQresultErrorMessage(res) : PQerrorMessage(c->db);

    snprintf(err, errlen, "postgresql: %s", msg && *msg ? msg : PQerrorMessage(c->db));
    one_line(err);
    if (PQstatus(c->db) != CONNECTION_OK)
        return STORE_UNAVAILABLE;
    if (state && (strcmp(state, "23505") == 0 || strcmp(state, "23503") == 0))
        return STORE_CONFLICT; /* unique_violation, foreign_key_violation */
    if (state && strncmp(state, "08", 2) == 0)
        return STORE_UNAVAILABLE; /* connection exceptions */
    /* deadlock_detected, serialization_failure, lock_not_available: the transaction lost
     * to another one and is rolled back; running it again may succeed. */
    if (state &&
        (strcmp(state, "40P01") == 0 || strcmp(state, "40001") == 0 || strcmp(state, "55P03") == 0))
        return STORE_BUSY;
    return STORE_ERROR;
}

static void pg_close(void *impl)
{
    struct pg_conn *c = impl;

    if (!c)
        return;
    stmtcache_free(c->stmts);
    PQfinish(c->db);
    free(c);
}

static store_err pg_script(void *impl, const char *sql, char *err, size_t errlen)
{
    struct pg_conn *c = impl;
    PGresult *res = PQexec(c->db, sql);
    store_err e = STORE_OK;
    ExecStatusType s = PQresultStatus(res);

    if (s != PGRES_COMMAND_OK && s != PGRES_TUPLES_OK)
        e = map_result(c, res, err, errlen);
    PQclear(res);
    return e;
}

/* COPY ... FROM STDIN: the data in chunks of at most 1 MB (libpq buffers what it cannot
 * send at once), then the end, then the command's result. */
static store_err pg_copy(void *impl, const char *sql, const char *data, size_t len, char *err,
                         size_t errlen)
{
    struct pg_conn *c = impl;
    PGresult *res = PQexec(c->db, sql);
    store_err e = STORE_OK;
    int sent = 1;

    if (PQresultStatus(res) != PGRES_COPY_IN) {
        e = map_result(c, res, err, errlen);
        PQclear(res);
        return e;
    }
    PQclear(res);
    for (size_t off = 0; sent == 1 && off < len; off += 1 << 20)
        sent =
            PQputCopyData(c->db, data + off, (int)(len - off < (1u << 20) ? len - off : 1u << 20));
    if (PQputCopyEnd(c->db, sent == 1 ? NULL : "client failed to send") != 1)
        sent = 0;
    /* The command's result (and any error in the rows), then NULL. */
    while ((res = PQgetResult(c->db))) {
        if (e == STORE_OK && PQresultStatus(res) != PGRES_COMMAND_OK)
            e = map_result(c, res, err, errlen);
        PQclear(res);
    }
    if (e == STORE_OK && sent != 1)
        e = map_result(c, NULL, err, errlen);
    return e;
}

static void pg_notice(void *arg, const char *message)
{
    /* Notices such as "relation already exists, skipping" are expected during
     * migrations; the server's log is the place for them, not our stderr. */
}

static store_err pg_open(const char *target, void **impl, char *err, size_t errlen)
{
    struct pg_conn *c = calloc(1, sizeof *c);
    store_err e;

    *impl = NULL;
    if (!c) {
        snprintf(err, errlen, "out of memory");
        return STORE_ERROR;
    }
    c->db = PQconnectdb(target);
    if (!c->db || PQstatus(c->db) != CONNECTION_OK) {
        snprintf(err, errlen, "cannot connect to PostgreSQL: %s",
                 c->db ? PQerrorMessage(c->db) : "out of memory");
        one_line(err);
        pg_close(c);
        return STORE_UNAVAILABLE;
    }
    PQsetNoticeProcessor(c->db, pg_notice, NULL);
    if (PQsetClientEncoding(c->db, "UTF8") != 0) {
        snprintf(err, errlen, "PostgreSQL: cannot set client encoding UTF8");
        pg_close(c);
        return STORE_ERROR;
    }
    e = pg_script(c, "SET TIME ZONE 'UTC'", err, errlen);
    if (e != STORE_OK) {
        pg_close(c);
        return e;
    }
    c->stmts = stmtcache_new(name_destroy);
    if (!c->stmts) {
        snprintf(err, errlen, "out of memory");
        pg_close(c);
        return STORE_ERROR;
    }
    *impl = c;
    return STORE_OK;
}

static store_err prepare(struct pg_conn *c, const char *sql, const char **name, char *err,
                         size_t errlen)
{
    char *n = stmtcache_get(c->stmts, sql);
    PGresult *res;
    store_err e = STORE_OK;

    if (n) {
        *name = n;
        return STORE_OK;
    }
    n = malloc(24);
    if (!n) {
        snprintf(err, errlen, "out of memory");
        return STORE_ERROR;
    }
    store_trace_sql("pg", sql);
    snprintf(n, 24, "s%zu", stmtcache_count(c->stmts));
    res = PQprepare(c->db, n, sql, 0, NULL);
    if (PQresultStatus(res) != PGRES_COMMAND_OK) {
        e = map_result(c, res, err, errlen);
        free(n);
    } else if (stmtcache_put(c->stmts, sql, n) != 0) {
        free(n);
        snprintf(err, errlen, "out of memory");
        e = STORE_ERROR;
    } else {
        *name = n;
    }
    PQclear(res);
    return e;
}

static store_err pg_exec(void *impl, const char *sql, int nparams, const struct store_param *params,
                         struct store_rows **out, char *err, size_t errlen)
{
    struct pg_conn *c = impl;
    const char *name = NULL;
    const char **values = NULL;
    char(*ints)[24] = NULL;
    PGresult *res = NULL;
    struct store_rows *rows = NULL;
    char **vals = NULL;
    store_err e;
    int nr, nc;

    e = prepare(c, sql, &name, err, errlen);
    if (e != STORE_OK)
        return e;
    if (nparams > 0) {
        values = calloc((size_t)nparams, sizeof *values);
        ints = calloc((size_t)nparams, sizeof *ints);
        if (!values || !ints)
            goto oom;
        for (int i = 0; i < nparams; i++) {
            if (params[i].type == STORE_P_TEXT) {
                values[i] = params[i].s;
            } else if (params[i].type == STORE_P_INT) {
                snprintf(ints[i], sizeof ints[i], "%lld", (long long)params[i].i);
                values[i] = ints[i];
            }
        }
    }
    res = PQexecPrepared(c->db, name, nparams, values, NULL, NULL, 0);
    if (PQresultStatus(res) != PGRES_COMMAND_OK && PQresultStatus(res) != PGRES_TUPLES_OK) {
        e = map_result(c, res, err, errlen);
        goto out;
    }
    if (out) {
        nr = PQntuples(res);
        nc = PQnfields(res);
        rows = store_rows_new(nc);
        vals = calloc((size_t)(nc ? nc : 1), sizeof *vals);
        if (!rows || !vals)
            goto oom;
        for (int i = 0; i < nc; i++)
            if (store_rows_set_name(rows, i, PQfname(res, i)) != 0)
                goto oom;
        for (int r = 0; r < nr; r++) {
            for (int i = 0; i < nc; i++) {
                vals[i] = NULL;
                if (!PQgetisnull(res, r, i) &&
                    !(vals[i] = store_rows_copy(rows, PQgetvalue(res, r, i),
                                                (size_t)PQgetlength(res, r, i))))
                    goto oom; /* what was copied goes with the rows */
            }
            if (store_rows_add(rows, vals) != 0)
                goto oom;
        }
        *out = rows;
        rows = NULL;
    }
    e = STORE_OK;
    goto out;
oom:
    snprintf(err, errlen, "out of memory");
    e = STORE_ERROR;
out:
    PQclear(res);
    free(values);
    free(ints);
    free(vals);
    store_rows_free(rows);
    return e;
}

const struct store_ops store_pg_ops = {
    .name = "postgresql",
    .kind = STORE_PG,
    .open = pg_open,
    .close = pg_close,
    .exec = pg_exec,
    .script = pg_script,
    .begin_read_sql = "BEGIN",
    .begin_write_sql = "BEGIN",
    .copy = pg_copy,
};

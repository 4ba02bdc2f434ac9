/*
 * store.c - the backend-independent half of the storage layer: per-thread connections,
 * transactions and result rows.
 */
#include "store/store.h"
#include "store/audit.h"
#include "store/tally.h"

#include <jansson.h>

#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

struct store {
    const struct store_ops *ops;
    char *target;
    pthread_key_t key;
    struct seal *seal; /* borrowed: seals staff-side phones on write (store/staffseal.h) */
};

/* One write of store_exec_later: sql is static text, text is ours. */
struct later {
    const char *sql;
    int64_t id;
    char *text;
};

struct store_conn {
    struct store *st;
    void *impl;
    int broken;       /* the backend reported the connection lost: reopen on next get */
    int depth;        /* open store_begin calls: only the outermost begins and ends for real */
    store_err doomed; /* the first failure inside a nested transaction: the outermost end
                       * rolls back even if a caller went on as if nothing happened */
    int group;        /* inside a group transaction (store/group.h): a transaction of ours is
                       * a savepoint, its commit a release */
    int busy;         /* a statement failed with STORE_BUSY since the last store_conn_clear */
    int writing;      /* the open transaction was begun for writing */
    int wrote;        /* write transactions committed since the last store_conn_clear */
    struct store_tally *tally; /* counter deltas waiting for the commit (store/tally.h) */
    size_t txn_mark;           /* in a group: the tally's length when our savepoint began */
    struct later *later;       /* writes waiting for the group's commit (store_exec_later) */
    size_t nlater, later_cap;
    size_t later_mark; /* in a group: nlater when our savepoint began */
    char err[512];
    char invalid_field[64];
    char invalid_code[24];
};

/* The statement trace (store_trace_start): opened once before the threads start, appended
 * to by every thread. O_APPEND makes each line's single write() land whole even when
 * several servers of the test suite share the file. */
static int trace_fd = -1;

int store_trace_start(const char *path)
{
    if (!path || !*path)
        return 0;
    trace_fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
    return trace_fd < 0 ? -1 : 0;
}

void store_trace_sql(const char *backend, const char *sql)
{
    char *line;
    size_t n = 0, cap;

    if (trace_fd < 0)
        return;
    cap = strlen(backend) + 2 * strlen(sql) + 32;
    line = malloc(cap);
    if (!line)
        return; /* a diagnostic: losing one line is better than failing the request */
    n += (size_t)snprintf(line, cap, "{\"backend\":\"%s\",\"sql\":\"", backend);
    for (const char *p = sql; *p; p++) {
        /* JSON string escapes; control characters other than these never occur in SQL. */
        if (*p == '"' || *p == '\\')
            line[n++] = '\\', line[n++] = *p;
        else if (*p == '\n' || *p == '\t' || *p == '\r')
            line[n++] = ' ';
        else
            line[n++] = *p;
    }
    memcpy(line + n, "\"}\n", 3);
    n += 3;
    if (write(trace_fd, line, n) < 0) {
        /* nothing to do: the trace is best effort */
    }
    free(line);
}

void store_actor_system(struct store_actor *a)
{
    memset(a, 0, sizeof *a);
    snprintf(a->login, sizeof a->login, "system");
    snprintf(a->ip, sizeof a->ip, "cli");
    region_scope_from_path("/", &a->scope);
    a->top = 1;
}

int64_t store_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static store_err later_write(struct store_conn *c);

/* Drops the waiting writes after the first `mark`. */
static void later_truncate(struct store_conn *c, size_t mark)
{
    while (c->nlater > mark)
        free(c->later[--c->nlater].text);
}

static void conn_free(struct store_conn *c)
{
    if (!c)
        return;
    if (c->impl)
        c->st->ops->close(c->impl);
    store_tally_free(c->tally);
    later_truncate(c, 0);
    free(c->later);
    free(c);
}

/* Thread-exit destructor: each worker thread closes its own connection. */
static void conn_destroy(void *p)
{
    conn_free(p);
}

static struct store_conn *conn_open(struct store *st, char *err, size_t errlen)
{
    struct store_conn *c = calloc(1, sizeof *c);

    if (!c) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    c->st = st;
    if (st->ops->open(st->target, &c->impl, err, errlen) != STORE_OK) {
        free(c);
        return NULL;
    }
    return c;
}

struct store *store_open_lazy(enum store_kind kind, const char *target, char *err, size_t errlen)
{
    struct store *st = calloc(1, sizeof *st);

    if (!st) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    st->ops = kind == STORE_PG ? &store_pg_ops : &store_sqlite_ops;
    st->target = strdup(target ? target : "");
    if (!st->target || pthread_key_create(&st->key, conn_destroy) != 0) {
        snprintf(err, errlen, "out of memory");
        free(st->target);
        free(st);
        return NULL;
    }
    return st;
}

struct store *store_open(enum store_kind kind, const char *target, char *err, size_t errlen)
{
    struct store *st = store_open_lazy(kind, target, err, errlen);

    if (st && !store_conn_get(st, err, errlen)) {
        pthread_key_delete(st->key);
        free(st->target);
        free(st);
        return NULL;
    }
    return st;
}

void store_close(struct store *st)
{
    if (!st)
        return;
    conn_free(pthread_getspecific(st->key));
    pthread_setspecific(st->key, NULL);
    pthread_key_delete(st->key);
    free(st->target);
    free(st);
}

void store_set_seal(struct store *st, struct seal *seal)
{
    st->seal = seal;
}

struct seal *store_conn_seal(const struct store_conn *c)
{
    return c->st->seal;
}

enum store_kind store_kind(const struct store *st)
{
    return st->ops->kind;
}

enum store_kind store_conn_kind(const struct store_conn *c)
{
    return c->st->ops->kind;
}

struct store_conn *store_conn_get(struct store *st, char *err, size_t errlen)
{
    struct store_conn *c = pthread_getspecific(st->key);

    if (c && c->broken) {
        conn_free(c);
        pthread_setspecific(st->key, NULL);
        c = NULL;
    }
    if (c)
        return c;
    c = conn_open(st, err, errlen);
    if (c && pthread_setspecific(st->key, c) != 0) {
        snprintf(err, errlen, "out of memory");
        conn_free(c);
        c = NULL;
    }
    return c;
}

const char *store_conn_error(const struct store_conn *c)
{
    return c->err;
}

void store_conn_seterr(struct store_conn *c, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(c->err, sizeof c->err, fmt, ap);
    va_end(ap);
}

store_err store_conn_invalid(struct store_conn *c, const char *field, const char *code,
                             const char *message)
{
    snprintf(c->invalid_field, sizeof c->invalid_field, "%s", field);
    snprintf(c->invalid_code, sizeof c->invalid_code, "%s", code);
    snprintf(c->err, sizeof c->err, "%s", message);
    return STORE_INVALID;
}

void store_conn_prefix_row(struct store_conn *c, int row)
{
    char field[sizeof c->invalid_field];

    snprintf(field, sizeof field, "%s", c->invalid_field);
    snprintf(c->invalid_field, sizeof c->invalid_field, "row %d%s%.40s", row, *field ? ": " : "",
             field);
}

void store_conn_clear(struct store_conn *c)
{
    /* A request never starts inside a transaction that an earlier one left open. */
    if (c->depth > 0)
        store_rollback(c);
    c->err[0] = c->invalid_field[0] = c->invalid_code[0] = '\0';
    c->busy = c->wrote = 0;
}

void store_conn_error_copy(struct store_conn *to, const struct store_conn *from)
{
    memcpy(to->err, from->err, sizeof to->err);
    memcpy(to->invalid_field, from->invalid_field, sizeof to->invalid_field);
    memcpy(to->invalid_code, from->invalid_code, sizeof to->invalid_code);
}

int store_conn_busy(const struct store_conn *c)
{
    return c->busy && !c->wrote;
}

int64_t store_data_version(struct store_conn *c)
{
    struct store_rows *r = NULL;
    int64_t v = -1; /* unknown: never equal to what was remembered, so nothing is trusted */

    if (store_conn_kind(c) != STORE_SQLITE)
        return -1;
    if (store_exec(c, "PRAGMA data_version", 0, NULL, &r) == STORE_OK && r->nrows == 1)
        v = store_rows_int(r, 0, 0);
    store_rows_free(r);
    return v;
}

store_err store_lock_counters(struct store_conn *c)
{
    /* Any constant key: one lock for all counters, since a province's own rows are shared
     * by every case in it anyway (docs/postgresql.md "Counters and concurrency"). */
    if (store_conn_kind(c) != STORE_PG)
        return STORE_OK;
    return store_exec(c, "SELECT pg_advisory_xact_lock(7355608)", 0, NULL, NULL);
}

const char *store_conn_invalid_field(const struct store_conn *c)
{
    return c->invalid_field;
}

const char *store_conn_invalid_code(const struct store_conn *c)
{
    return c->invalid_code;
}

store_err store_paged(struct store_conn *c, const char *count_sql, const char *list_sql,
                      int nparams, const struct store_param *params, const struct store_page *pg,
                      const char *types, struct store_rows **out)
{
    return store_paged_by_count(c, count_sql, list_sql, NULL, 0, nparams, params, pg, types, out);
}

store_err store_paged_by_count(struct store_conn *c, const char *count_sql, const char *list_sql,
                               const char *many_sql, int64_t many, int nparams,
                               const struct store_param *params, const struct store_page *pg,
                               const char *types, struct store_rows **out)
{
    struct store_param all[24];
    struct store_rows *count = NULL;
    int64_t per = pg->per_page < 1 ? 50 : pg->per_page > 500 ? 500 : pg->per_page;
    int64_t page = pg->page < 1 ? 1 : pg->page;
    store_err e;

    *out = NULL;
    if (nparams + 2 > (int)(sizeof all / sizeof all[0])) {
        store_conn_seterr(c, "too many parameters");
        return STORE_ERROR;
    }
    e = store_exec(c, count_sql, nparams, params, &count);
    if (e != STORE_OK)
        return e;
    if (nparams > 0)
        memcpy(all, params, (size_t)nparams * sizeof *params);
    all[nparams] = SP_INT(per);
    all[nparams + 1] = SP_INT((page - 1) * per);
    if (many_sql && store_rows_int(count, 0, 0) >= many)
        list_sql = many_sql;
    e = store_exec(c, list_sql, nparams + 2, all, out);
    if (e == STORE_OK) {
        (*out)->total = store_rows_int(count, 0, 0);
        (*out)->types = types;
    }
    store_rows_free(count);
    return e;
}

void store_where_init(struct store_where *w)
{
    w->len = 0;
    w->nparams = 0;
    w->overflow = 0;
    w->sql[0] = '\0';
}

static void where_put(struct store_where *w, const char *text, size_t n)
{
    if (w->overflow || w->len + n >= sizeof w->sql) {
        w->overflow = 1;
        return;
    }
    memcpy(w->sql + w->len, text, n);
    w->len += n;
    w->sql[w->len] = '\0';
}

void store_where_add(struct store_where *w, const char *cond, int nparams,
                     const struct store_param *params)
{
    int used = 0;

    where_put(w, w->len ? " AND " : " WHERE ", w->len ? 5 : 7);
    for (const char *p = cond; *p; p++) {
        char num[16];
        if (*p != '?') {
            where_put(w, p, 1);
            continue;
        }
        if (used >= nparams || w->nparams >= STORE_WHERE_MAX_PARAMS) {
            w->overflow = 1;
            return;
        }
        w->params[w->nparams++] = params[used++];
        where_put(w, num, (size_t)snprintf(num, sizeof num, "$%d", w->nparams));
    }
    if (used != nparams)
        w->overflow = 1; /* more parameters than placeholders: a programming error */
}

store_err store_where_paged(struct store_conn *c, const struct store_where *count,
                            const struct store_where *list, const char *count_head,
                            const char *list_head, const char *order, const struct store_page *pg,
                            const char *types, struct store_rows **out)
{
    char count_sql[4096], list_sql[8192];
    int n1, n2;

    *out = NULL;
    n1 = snprintf(count_sql, sizeof count_sql, "%s%s", count_head, count->sql);
    n2 = snprintf(list_sql, sizeof list_sql, "%s%s %s LIMIT $%d OFFSET $%d", list_head, list->sql,
                  order, list->nparams + 1, list->nparams + 2);
    if (count->overflow || list->overflow || count->nparams != list->nparams || n1 < 0 ||
        (size_t)n1 >= sizeof count_sql || n2 < 0 || (size_t)n2 >= sizeof list_sql) {
        store_conn_seterr(c, "list query too long");
        return STORE_ERROR;
    }
    return store_paged(c, count_sql, list_sql, list->nparams, list->params, pg, types, out);
}

store_err store_exec(struct store_conn *c, const char *sql, int nparams,
                     const struct store_param *params, struct store_rows **out)
{
    store_err e;

    if (out)
        *out = NULL;
    e = c->st->ops->exec(c->impl, sql, nparams, params, out, c->err, sizeof c->err);
    if (e == STORE_UNAVAILABLE)
        c->broken = 1;
    if (e == STORE_BUSY)
        c->busy = 1;
    return e;
}

store_err store_script(struct store_conn *c, const char *sql)
{
    store_err e = c->st->ops->script(c->impl, sql, c->err, sizeof c->err);
    if (e == STORE_UNAVAILABLE)
        c->broken = 1;
    if (e == STORE_BUSY)
        c->busy = 1;
    return e;
}

store_err store_copy(struct store_conn *c, const char *sql, const char *data, size_t len)
{
    store_err e;

    if (!c->st->ops->copy) {
        store_conn_seterr(c, "COPY is PostgreSQL's");
        return STORE_ERROR;
    }
    e = c->st->ops->copy(c->impl, sql, data, len, c->err, sizeof c->err);
    if (e == STORE_UNAVAILABLE)
        c->broken = 1;
    if (e == STORE_BUSY)
        c->busy = 1;
    return e;
}

store_err store_begin(struct store_conn *c, int write)
{
    store_err e = STORE_OK;

    /* A change made of several store calls (the case module's) runs in one transaction:
     * the inner begins and ends only count. */
    if (c->depth == 0) {
        const char *sql = write ? c->st->ops->begin_write_sql : c->st->ops->begin_read_sql;
        e = store_exec(c, c->group ? "SAVEPOINT txn" : sql, 0, NULL, NULL);
        if (e != STORE_OK)
            return e;
        c->txn_mark = store_tally_mark(c->tally);
        c->later_mark = c->nlater;
        c->doomed = STORE_OK;
        c->writing = write;
    }
    c->depth++;
    return e;
}

/* Commit and rollback end the transaction at any depth (bulk loads commit in batches). */
store_err store_commit(struct store_conn *c)
{
    store_err e;

    c->depth = 0;
    c->doomed = STORE_OK;
    /* The counters' deltas are written last, inside the transaction (store/tally.h); in a
     * group they wait for the group's commit. */
    e = c->group ? STORE_OK : store_tally_write(c, c->tally);
    if (e != STORE_OK) {
        store_rollback(c);
        return e;
    }
    e = store_exec(c, c->group ? "RELEASE txn" : "COMMIT", 0, NULL, NULL);
    if (e == STORE_OK && c->writing)
        c->wrote++;
    c->writing = 0;
    return e;
}

void store_rollback(struct store_conn *c)
{
    /* Keep the error that caused the rollback, not the rollback's own. */
    char saved[sizeof c->err];
    c->depth = 0;
    c->doomed = STORE_OK;
    memcpy(saved, c->err, sizeof saved);
    /* What was rolled back moves no counter. */
    store_tally_truncate(c->tally, c->group ? c->txn_mark : 0);
    later_truncate(c, c->group ? c->later_mark : 0);
    if (c->group) {
        (void)store_exec(c, "ROLLBACK TO txn", 0, NULL, NULL);
        (void)store_exec(c, "RELEASE txn", 0, NULL, NULL);
    } else {
        (void)store_exec(c, "ROLLBACK", 0, NULL, NULL);
    }
    memcpy(c->err, saved, sizeof saved);
}

/* ---- group commit (store/group.c) ---- */

store_err store_group_begin(struct store_conn *c)
{
    store_err e = store_exec(c, c->st->ops->begin_write_sql, 0, NULL, NULL);

    c->group = e == STORE_OK;
    c->depth = 0;
    store_tally_truncate(c->tally, 0);
    later_truncate(c, 0);
    return e;
}

store_err store_group_savepoint(struct store_conn *c, int open)
{
    if (open) {
        store_conn_clear(c);
        return store_exec(c, "SAVEPOINT job", 0, NULL, NULL);
    }
    if (c->depth > 0) /* a job that left its transaction open: nothing of it stays */
        store_rollback(c);
    return store_exec(c, "RELEASE job", 0, NULL, NULL);
}

int store_group_lost(struct store_conn *c)
{
    if (!c->group || !c->st->ops->autocommit || !c->st->ops->autocommit(c->impl))
        return 0;
    c->group = 0;
    c->depth = 0;
    store_tally_truncate(c->tally, 0); /* the jobs whose deltas these were are lost */
    later_truncate(c, 0);
    return 1;
}

store_err store_exec_later(struct store_conn *c, const char *sql, int64_t id, const char *text)
{
    struct later *l;

    if (c->nlater == c->later_cap) {
        size_t cap = c->later_cap ? 2 * c->later_cap : 16;
        struct later *grown = realloc(c->later, cap * sizeof *grown);
        if (!grown)
            goto oom;
        c->later = grown;
        c->later_cap = cap;
    }
    l = &c->later[c->nlater];
    l->sql = sql;
    l->id = id;
    l->text = text ? strdup(text) : NULL;
    if (text && !l->text)
        goto oom;
    c->nlater++;
    return c->group ? STORE_OK : later_write(c); /* outside a group: at once, this row alone */
oom:
    store_conn_seterr(c, "out of memory");
    return STORE_ERROR;
}

/* Runs the rows queued for the sql of row `first` as one statement (store_exec_later). */
static store_err later_run(struct store_conn *c, size_t first)
{
    const char *sql = c->later[first].sql;
    json_t *rows = json_array();
    char *text = NULL;
    store_err e = STORE_OK;
    int whole = rows != NULL; /* every row of this sql in the array: none may be left out */

    for (size_t i = first; whole && i < c->nlater; i++)
        if (c->later[i].sql == sql)
            whole = json_array_append_new(rows, json_pack("[Is?]", (json_int_t)c->later[i].id,
                                                          c->later[i].text)) == 0;
    text = whole ? json_dumps(rows, JSON_COMPACT) : NULL;
    if (!text) {
        store_conn_seterr(c, "out of memory");
        e = STORE_ERROR;
    } else {
        e = store_exec(c, sql, STORE_PARAMS(SP_TEXT(text)), NULL);
    }
    free(text);
    json_decref(rows);
    return e;
}

/* Runs and empties the waiting writes: one statement per distinct sql, in the order each
 * was first queued. */
static store_err later_write(struct store_conn *c)
{
    store_err e = STORE_OK;

    for (size_t i = 0; e == STORE_OK && i < c->nlater; i++) {
        int seen = 0;
        for (size_t k = 0; k < i && !seen; k++)
            seen = c->later[k].sql == c->later[i].sql;
        if (!seen)
            e = later_run(c, i);
    }
    later_truncate(c, 0);
    return e;
}

store_err store_group_commit(struct store_conn *c)
{
    store_err e;

    c->group = 0;
    c->depth = 0;
    /* The jobs' waiting writes, then every job's counter deltas, summed per row, as the
     * last writes before the commit. No savepoint opens after them. */
    e = later_write(c);
    if (e == STORE_OK)
        e = store_tally_write(c, c->tally);
    if (e == STORE_OK)
        e = store_exec(c, "COMMIT", 0, NULL, NULL);
    if (e != STORE_OK)
        store_rollback(c);
    return e;
}

store_err store_end(struct store_conn *c, store_err e)
{
    if (c->depth > 1) {
        c->depth--;
        if (e != STORE_OK && c->doomed == STORE_OK)
            c->doomed = e;
        return e;
    }
    c->depth = 0;
    if (e == STORE_OK && c->doomed != STORE_OK)
        e = c->doomed; /* an inner step failed: nothing of the change may stay */
    if (e == STORE_OK)
        e = store_commit(c);
    if (e != STORE_OK)
        store_rollback(c);
    c->doomed = STORE_OK;
    return e;
}

struct store_tally **store_conn_tally(struct store_conn *c)
{
    return &c->tally;
}

int store_conn_deferring(const struct store_conn *c, int *grouped)
{
    *grouped = c->group;
    return c->group || c->depth > 0;
}

int store_in_transaction(const struct store_conn *c)
{
    return c->depth > 0;
}

store_err store_ping(struct store_conn *c)
{
    return store_exec(c, "SELECT 1", 0, NULL, NULL);
}

/* ---- rows ---- */

/* A block of the rows' storage: values and names are copied in one after the other. */
struct store_rows_chunk {
    struct store_rows_chunk *next;
    size_t used, cap;
    char data[];
};

#define ROWS_CHUNK_MIN 4096
#define ROWS_CHUNK_MAX 65536

char *store_rows_copy(struct store_rows *r, const char *s, size_t len)
{
    struct store_rows_chunk *k = r->arena;
    char *out;

    if (!k || k->cap - k->used < len + 1) {
        size_t cap = k ? k->cap * 2 : ROWS_CHUNK_MIN;
        if (cap > ROWS_CHUNK_MAX)
            cap = ROWS_CHUNK_MAX;
        if (cap < len + 1)
            cap = len + 1;
        k = malloc(sizeof *k + cap);
        if (!k)
            return NULL;
        k->used = 0;
        k->cap = cap;
        k->next = r->arena;
        r->arena = k;
    }
    out = k->data + k->used;
    memcpy(out, s, len);
    out[len] = '\0';
    k->used += len + 1;
    return out;
}

/* Whether p was copied into the rows' storage (else it is malloc'd, or NULL). */
static int in_arena(const struct store_rows *r, const char *p)
{
    for (const struct store_rows_chunk *k = r->arena; p && k; k = k->next)
        if (p >= k->data && p < k->data + k->cap)
            return 1;
    return 0;
}

void store_rows_put(struct store_rows *r, int row, int col, char *owned)
{
    char **v = &r->vals[(size_t)row * (size_t)r->ncols + (size_t)col];

    if (!in_arena(r, *v))
        free(*v);
    *v = owned;
}

struct store_rows *store_rows_new(int ncols)
{
    struct store_rows *r = calloc(1, sizeof *r);

    if (!r)
        return NULL;
    r->ncols = ncols;
    r->names = calloc((size_t)(ncols > 0 ? ncols : 1), sizeof *r->names);
    if (!r->names) {
        free(r);
        return NULL;
    }
    return r;
}

int store_rows_set_name(struct store_rows *r, int col, const char *name)
{
    r->names[col] = store_rows_copy(r, name, strlen(name));
    return r->names[col] ? 0 : -1;
}

int store_rows_add(struct store_rows *r, char **vals)
{
    size_t n = (size_t)r->nrows;

    if (r->nrows == r->cap) {
        size_t newcap = r->cap ? (size_t)r->cap * 2 : 8;
        char **v = realloc(r->vals, newcap * (size_t)(r->ncols ? r->ncols : 1) * sizeof *v);
        if (!v) {
            for (int i = 0; i < r->ncols; i++)
                if (!in_arena(r, vals[i]))
                    free(vals[i]);
            return -1;
        }
        r->vals = v;
        r->cap = (int)newcap;
    }
    memcpy(r->vals + n * (size_t)r->ncols, vals, (size_t)r->ncols * sizeof *vals);
    r->nrows++;
    r->total = r->nrows;
    return 0;
}

void store_rows_free(struct store_rows *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < (size_t)r->nrows * (size_t)r->ncols; i++)
        if (!in_arena(r, r->vals[i]))
            free(r->vals[i]);
    for (int i = 0; i < r->ncols; i++)
        if (!in_arena(r, r->names[i]))
            free(r->names[i]);
    for (struct store_rows_chunk *k = r->arena, *next; k; k = next) {
        next = k->next;
        free(k);
    }
    free(r->vals);
    free(r->names);
    free(r);
}

const char *store_rows_get(const struct store_rows *r, int row, int col)
{
    if (!r || row < 0 || row >= r->nrows || col < 0 || col >= r->ncols)
        return NULL;
    return r->vals[(size_t)row * (size_t)r->ncols + (size_t)col];
}

int store_rows_col(const struct store_rows *r, const char *name)
{
    for (int i = 0; r && i < r->ncols; i++)
        if (strcmp(r->names[i], name) == 0)
            return i;
    return -1;
}

int64_t store_rows_int(const struct store_rows *r, int row, int col)
{
    const char *v = store_rows_get(r, row, col);
    return v ? strtoll(v, NULL, 10) : 0;
}

store_err store_one(struct store_conn *c, const char *sql, int nparams,
                    const struct store_param *params, const char *types, const char *what,
                    struct store_rows **out)
{
    store_err e = store_exec(c, sql, nparams, params, out);

    if (e != STORE_OK)
        return e;
    (*out)->types = types;
    if ((*out)->nrows == 0) {
        store_rows_free(*out);
        *out = NULL;
        store_conn_seterr(c, "%s not found", what);
        return STORE_NOT_FOUND;
    }
    return STORE_OK;
}

store_err store_write_audited(struct store_conn *c, const struct store_actor *a, const char *sql,
                              int nparams, const struct store_param *params, const char *action,
                              const char *object_type, int64_t object_id, const char *fields,
                              int64_t *id_out)
{
    struct store_rows *r = NULL;
    store_err e = store_begin(c, 1);

    if (e != STORE_OK)
        return e;
    e = store_exec(c, sql, nparams, params, id_out ? &r : NULL);
    if (e == STORE_OK && id_out) {
        *id_out = object_id = store_rows_int(r, 0, 0);
    }
    if (e == STORE_OK)
        e = store_audit_append(c, a, action, object_type, object_id, fields, NULL);
    store_rows_free(r);
    return store_end(c, e);
}

const char *store_dialect(const struct store_conn *c, const char *sqlite_sql, const char *pg_sql)
{
    return c->st->ops->kind == STORE_PG ? pg_sql : sqlite_sql;
}

/*
 * store.h - the storage layer: one interface, two backends (SQLite, PostgreSQL).
 *
 * A `struct store` is the process-wide handle: which backend, where, and a per-thread
 * connection (SQLite and libpq connections are not shared between threads). Domain
 * functions (store_user_*, store_region_* ...) are written once against this interface
 * with `$1..$n` placeholders; the backends differ only in the vtable below and in DDL.
 *
 * Region scope is enforced here, not in the HTTP handlers: every function a staff user
 * can cause takes a `struct store_actor`, whose scope limits what it sees or changes, and
 * every write appends its audit row in the same transaction as the change itself.
 *
 * Errors: every fallible function returns a store_err; on failure the connection keeps a
 * one-line message (store_conn_error).
 */
#ifndef JIEFEN_STORE_STORE_H
#define JIEFEN_STORE_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "core/region.h"

typedef enum {
    STORE_OK = 0,
    STORE_NOT_FOUND = -1,   /* no such row, or outside the actor's scope */
    STORE_CONFLICT = -2,    /* unique or foreign-key violation */
    STORE_INVALID = -3,     /* a referenced row is missing/out of scope; message names the field */
    STORE_UNAVAILABLE = -4, /* cannot reach the database */
    STORE_ERROR = -5,       /* anything else; the message says what */
    STORE_FORBIDDEN = -6,   /* visible to the actor but not theirs to change */
    STORE_BUSY = -7,        /* a concurrent transaction won (PostgreSQL deadlock or serialization
                             * failure): the transaction is rolled back, nothing was written, and
                             * the same call may be retried (store_conn_busy) */
} store_err;

enum store_kind { STORE_SQLITE = 1, STORE_PG = 2 };

struct store;
struct store_conn;

/* A query parameter. Text is borrowed: it must outlive the call. */
enum store_param_type { STORE_P_NULL, STORE_P_TEXT, STORE_P_INT };
struct store_param {
    enum store_param_type type;
    const char *s;
    int64_t i;
};
#define SP_NULL ((struct store_param){.type = STORE_P_NULL})
/* Text, or NULL for SQL NULL. */
static inline struct store_param store_param_text(const char *s)
{
    struct store_param p = {s ? STORE_P_TEXT : STORE_P_NULL, s, 0};
    return p;
}
#define SP_TEXT(x) store_param_text(x)
#define SP_INT(x)  ((struct store_param){.type = STORE_P_INT, .i = (x)})

/*
 * The count and the array of a parameter list, written once: store_exec(c, sql,
 * STORE_PARAMS(SP_INT(id), SP_TEXT(name)), &rows). Counting by hand let a list and its
 * count drift apart; sizeof counts them and does not evaluate the arguments twice.
 */
#define STORE_PARAMS(...)                                                                          \
    (int)(sizeof((struct store_param[]){__VA_ARGS__}) / sizeof(struct store_param)),               \
        (struct store_param[])                                                                     \
    {                                                                                              \
        __VA_ARGS__                                                                                \
    }

/*
 * A fully materialised result. Values are text (NULL for SQL NULL) as both backends
 * can render them. `types` has one letter per column, set by the domain function that
 * knows the query, for encoders: i integer, t text, b boolean, s timestamp (epoch ms),
 * r role bitmask, j JSON text. Owned by the caller: free with store_rows_free().
 */
struct store_rows {
    int nrows;
    int ncols;
    char **names; /* ncols column names */
    char **vals;  /* nrows * ncols values, row-major */
    const char *types;
    int64_t total;                  /* for paged lists: rows matching before paging; else nrows */
    int cap;                        /* allocated rows (internal) */
    struct store_rows_chunk *arena; /* where the backends copy values and names (internal) */
};

/* Paging: 1-based page and per_page (clamped to 1..500), shared by every list. */
struct store_page {
    int64_t page;
    int64_t per_page;
};

/* Who is acting: their identity for the audit log and the region subtree they may touch. */
struct store_actor {
    int64_t user_id; /* 0 for the system (CLI, demo loader) */
    char login[64];
    char ip[64];
    struct region_scope scope;
    int top; /* acts at a root of the tree: also sees the system's and anonymous entries */
};

/* Fills `a` as the system actor: whole tree, login "system", from "cli". */
void store_actor_system(struct store_actor *a);

/* The backend vtable. Each function works on one backend connection (`impl`). */
struct store_ops {
    const char *name;
    enum store_kind kind;
    store_err (*open)(const char *target, void **impl, char *err, size_t errlen);
    void (*close)(void *impl);
    /* Runs one statement with parameters; *out gets the rows when out != NULL. */
    store_err (*exec)(void *impl, const char *sql, int nparams, const struct store_param *params,
                      struct store_rows **out, char *err, size_t errlen);
    /* Runs several statements without parameters (DDL in migrations). */
    store_err (*script)(void *impl, const char *sql, char *err, size_t errlen);
    const char *begin_read_sql;
    const char *begin_write_sql;
    /* 1 when no transaction is open (SQLite ended one on an error); NULL: not known */
    int (*autocommit)(void *impl);
    /* PostgreSQL only (NULL on SQLite): runs `sql`, a COPY ... FROM STDIN in text format,
     * with `len` bytes of rows as its data (store_copy). */
    store_err (*copy)(void *impl, const char *sql, const char *data, size_t len, char *err,
                      size_t errlen);
};

extern const struct store_ops store_sqlite_ops;
extern const struct store_ops store_pg_ops;

/*
 * Opens a store and checks that it is reachable by opening the calling thread's
 * connection. `target` is a file path (SQLite) or a libpq conninfo (PostgreSQL).
 * Returns NULL with a one-line reason in err on failure. Free with store_close().
 */
struct store *store_open(enum store_kind kind, const char *target, char *err, size_t errlen);

/* Like store_open, but connects only when a thread first asks (store_conn_get): for a
 * server that may start while the database is down, such as a read replica. */
struct store *store_open_lazy(enum store_kind kind, const char *target, char *err, size_t errlen);

/* Closes the calling thread's connection and frees the store. Other threads' connections
 * are closed when those threads exit; stop them first. NULL-safe. */
void store_close(struct store *st);

enum store_kind store_kind(const struct store *st);

/* Attaches the personal-data key (borrowed, outlives the store): with it the store seals
 * staff-side phones on write and opens them on read (store/staffseal.h). Without it (a CLI
 * command that has no key) a new phone is kept plain until `jiefen serve` seals it. */
struct seal;
void store_set_seal(struct store *st, struct seal *seal);
struct seal *store_conn_seal(const struct store_conn *c);

/* Returns the calling thread's connection, opening it on first use (and reopening it
 * after the backend reported it broken). NULL if it cannot be opened: see err. */
struct store_conn *store_conn_get(struct store *st, char *err, size_t errlen);

/* The last error message of this connection. */
const char *store_conn_error(const struct store_conn *c);
enum store_kind store_conn_kind(const struct store_conn *c);

/*
 * Transactions: write transactions take the write lock at once (SQLite BEGIN IMMEDIATE).
 * They nest: only the outermost store_begin/store_end pair begins and commits, so that a
 * change made of several store calls (src/case/) is one transaction. A failure reported to
 * an inner store_end makes the outermost one roll back whatever its caller says.
 */
store_err store_begin(struct store_conn *c, int write);
store_err store_commit(struct store_conn *c);
void store_rollback(struct store_conn *c);
/* Ends a transaction by its outcome: commits when e is STORE_OK (returning the commit's
 * result), otherwise rolls back and returns e. */
store_err store_end(struct store_conn *c, store_err e);
/* 1 while a store_begin is open on this connection. */
int store_in_transaction(const struct store_conn *c);

/*
 * For the group writer only (store/group.c): begin the shared transaction (after which this
 * connection's own transactions are savepoints), open or release one job's savepoint, tell
 * whether the backend ended the shared transaction behind our back, and commit it.
 */
store_err store_group_begin(struct store_conn *c);
store_err store_group_savepoint(struct store_conn *c, int open);
int store_group_lost(struct store_conn *c);
store_err store_group_commit(struct store_conn *c);

/* Runs `sql` (shared text with $1..$n). out may be NULL. */
store_err store_exec(struct store_conn *c, const char *sql, int nparams,
                     const struct store_param *params, struct store_rows **out);
store_err store_script(struct store_conn *c, const char *sql);

/*
 * Queues the row (id, text) for `sql`, which runs once just before the commit of the group
 * transaction open on c (store/group.h) with $1 = a JSON array of every row queued for it,
 * [[id, text], ...] in the order queued; outside a group it runs at once with this row
 * alone. What a job's rollback undoes is dropped with it, as for the counters
 * (store/tally.h). `sql` is static text; text is copied and may be NULL.
 *
 * Why: SQLite's full-text tables (FTS5) write their pending terms to disk as a new segment
 * whenever a savepoint they take part in ends, and every statement that writes to one is
 * such a savepoint. A registration's search terms written by their own statement made one
 * segment per registration, each a few pages of WAL, plus the merges of all those
 * segments; written by one statement per commit, one commit's registrations make one.
 */
store_err store_exec_later(struct store_conn *c, const char *sql, int64_t id, const char *text);

/*
 * Bulk loading on PostgreSQL (jiefen demo): `sql` is a COPY table (columns) FROM STDIN,
 * `data` its rows in COPY's text format (tab-separated, \N for NULL, see store_copy_text),
 * sent in one round trip instead of one INSERT each. Row triggers, defaults and foreign
 * keys apply as to an INSERT. STORE_ERROR on SQLite, which has no COPY.
 */
store_err store_copy(struct store_conn *c, const char *sql, const char *data, size_t len);

/*
 * Runs a query expected to give one row; STORE_NOT_FOUND (message "`what` not found")
 * when it gives none. Sets the rows' types. Caller frees *out on success.
 */
store_err store_one(struct store_conn *c, const char *sql, int nparams,
                    const struct store_param *params, const char *types, const char *what,
                    struct store_rows **out);

/*
 * One audited write in its own transaction: runs `sql` and appends an audit row.
 * When id_out is given the statement must end with RETURNING id and the new id is both
 * stored there and used as the audited object id; else object_id is used.
 */
store_err store_write_audited(struct store_conn *c, const struct store_actor *a, const char *sql,
                              int nparams, const struct store_param *params, const char *action,
                              const char *object_type, int64_t object_id, const char *fields,
                              int64_t *id_out);

/* Picks the statement text for this connection's backend, where dialects really differ. */
const char *store_dialect(const struct store_conn *c, const char *sqlite_sql, const char *pg_sql);

/* Cheap liveness check for /healthz. */
store_err store_ping(struct store_conn *c);

/* Sets the connection's error message (for domain functions that reject input). */
void store_conn_seterr(struct store_conn *c, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

void store_rows_free(struct store_rows *r);
/* Value at (row, col) or NULL; column by name with store_rows_col (-1 if absent). */
const char *store_rows_get(const struct store_rows *r, int row, int col);
int store_rows_col(const struct store_rows *r, const char *name);
int64_t store_rows_int(const struct store_rows *r, int row, int col);

/*
 * For STORE_INVALID: records which input field was refused and why (code as in verr.h:
 * not_found, invalid ...). The message goes to store_conn_error. Returns STORE_INVALID.
 */
store_err store_conn_invalid(struct store_conn *c, const char *field, const char *code,
                             const char *message);
const char *store_conn_invalid_field(const struct store_conn *c);
/* Prefixes the invalid field with the row of a batch that was refused: "row 5: name". */
void store_conn_prefix_row(struct store_conn *c, int row);
/* Forgets the last error and invalid field: call before each request's work. */
void store_conn_clear(struct store_conn *c);
/* Copies what `from` says about its last error (message, invalid field and code) to `to`:
 * for a write run on another connection (the group writer's) and reported on this one. */
void store_conn_error_copy(struct store_conn *to, const struct store_conn *from);
/* Whether a statement since the last store_conn_clear failed with STORE_BUSY and no write
 * transaction was committed since: the request's work lost to a concurrent transaction,
 * nothing of it is written, and it may be run again from the start. */
int store_conn_busy(const struct store_conn *c);
/*
 * Takes the lock that orders every change of the shared counters (statistics, rollups,
 * mediators) until the transaction ends. PostgreSQL: a transaction-scoped advisory lock, so
 * that two transactions never upsert the same counter rows in different orders (which
 * deadlocked under concurrent transitions); SQLite: nothing, its writers are serialised.
 */
store_err store_lock_counters(struct store_conn *c);
/*
 * A number that changes whenever another connection (this process's others, or another
 * process: the command line, a second server) has committed to the database since this
 * connection last looked. SQLite: PRAGMA data_version. PostgreSQL has no cheap equivalent:
 * -1, unknown, and a cache of what the database says must not be trusted at all.
 */
int64_t store_data_version(struct store_conn *c);
const char *store_conn_invalid_code(const struct store_conn *c);

/*
 * Runs a paged list: `count_sql` (one row, one integer) and `list_sql`, both with the same
 * `nparams` parameters; list_sql gets two more, $n+1 LIMIT and $n+2 OFFSET, which it must
 * end with ("... LIMIT $3 OFFSET $4"). On success *out holds the page with total set and
 * types set to `types`.
 */
store_err store_paged(struct store_conn *c, const char *count_sql, const char *list_sql,
                      int nparams, const struct store_param *params, const struct store_page *pg,
                      const char *types, struct store_rows **out);
/* store_paged, with `many_sql` (the same parameters) run for the page instead of list_sql
 * when the count is at least `many`: a list that walks an index in order and tests each row
 * costs about per_page * rows / matches, so it pays only where the matches are many, and
 * reading the matches from their own index and sorting them only where they are few. */
store_err store_paged_by_count(struct store_conn *c, const char *count_sql, const char *list_sql,
                               const char *many_sql, int64_t many, int nparams,
                               const struct store_param *params, const struct store_page *pg,
                               const char *types, struct store_rows **out);

/*
 * A WHERE clause composed of only the filters a request sets. A catch-all statement
 * ("$3 IS NULL OR state = $3" for every filter) gets one plan for every combination, and
 * at a million cases that plan is a full sort; composed, each combination is its own
 * prepared statement (the cache is keyed by text) with its own index.
 *
 *   struct store_where w;
 *   store_where_init(&w);
 *   store_where_add(&w, "k.state = ?", STORE_PARAMS(SP_TEXT(state)));
 *   store_where_paged(c, &w, &w, "SELECT COUNT(*) FROM cases k", COLS, "ORDER BY k.id", ...);
 *
 * Each "?" in a condition becomes the next $n and takes the next parameter; conditions are
 * joined with AND. Text must not contain "?" otherwise. Overflow of the fixed buffers is
 * remembered and reported as STORE_ERROR when the query runs: never a truncated query.
 */
#define STORE_WHERE_MAX_PARAMS 22
struct store_where {
    char sql[2048];
    size_t len;
    int nparams;
    int overflow;
    struct store_param params[STORE_WHERE_MAX_PARAMS];
};
void store_where_init(struct store_where *w);
void store_where_add(struct store_where *w, const char *cond, int nparams,
                     const struct store_param *params);
/*
 * store_paged: "<count_head> <count>" and "<list_head> <list> <order> LIMIT $a OFFSET $b"
 * (order is e.g. "ORDER BY k.id DESC", may be ""). count and list are usually the same
 * clause; they may differ in text (never in parameters) where the count wants another
 * index than the ordered page.
 */
store_err store_where_paged(struct store_conn *c, const struct store_where *count,
                            const struct store_where *list, const char *count_head,
                            const char *list_head, const char *order, const struct store_page *pg,
                            const char *types, struct store_rows **out);

/* Builds rows from backend output: used by the backends only. */
struct store_rows *store_rows_new(int ncols);
int store_rows_set_name(struct store_rows *r, int col, const char *name);
int store_rows_add(struct store_rows *r, char **vals); /* takes ownership of vals' strings */
/* Copies s[0..len) and a NUL into the rows' own storage, freed with the rows: one allocation
 * per few kilobytes of values instead of one per value. NULL when out of memory. */
char *store_rows_copy(struct store_rows *r, const char *s, size_t len);
/* Replaces a value with `owned` (malloc'd or NULL), freeing the old one if it was malloc'd. */
void store_rows_put(struct store_rows *r, int row, int col, char *owned);

/*
 * Copies a live SQLite database to `dest` with SQLite's online backup API: safe while a
 * server writes to it. Writes dest.tmp first and renames it, so `dest` is never half a
 * copy. Returns STORE_OK or an error with a one-line reason in err.
 */
store_err store_sqlite_backup(const char *src, const char *dest, char *err, size_t errlen);

/*
 * Restores a backup made by store_sqlite_backup into `dest` (created if missing): first
 * runs PRAGMA integrity_check on the backup, read-only, and refuses a damaged one; then
 * copies it page by page with the online backup API, which takes dest's locks like any
 * writer, so a stale -wal file of dest is never mixed with the restored pages.
 */
store_err store_sqlite_restore(const char *src, const char *dest, char *err, size_t errlen);

/* Milliseconds since the epoch, UTC: the one clock the store stamps rows with. */
int64_t store_now_ms(void);

/* The statement trace: after store_trace_start(path) (`jiefen serve` passes
 * JIEFEN_SQL_TRACE; NULL or "" leaves it off), store_trace_sql appends one JSON line
 * {"backend","sql"} to the file. The backends call it when they prepare a statement, i.e.
 * once per distinct text per connection: tests/plans/check.mjs explains every statement a
 * test run prepared. Returns 0, or -1 if the file cannot be opened. */
int store_trace_start(const char *path);
void store_trace_sql(const char *backend, const char *sql);

#endif

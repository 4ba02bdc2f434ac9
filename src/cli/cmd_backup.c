/*
 * cmd_backup.c - backup, restore and check (docs/operations.md).
 *
 * SQLite: backup and restore go through SQLite's online backup API (store_sqlite_backup,
 * store_sqlite_restore), both check integrity. PostgreSQL: they run pg_dump -Fc and
 * pg_restore, the tools that know every object type; jiefen adds the checks around them.
 * `check --counts` prints each table's row count and a checksum of its rows, so that a
 * restored database can be compared with its backup.
 */
#include "cli/cli.h"

#include <fcntl.h>
#include <getopt.h>
#include <sodium.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

struct bopts {
    struct cli_db db;
    const char *file; /* --to or --from */
    int force, counts;
};

/* Options shared by the three commands; `file` names the flag taking the file, or NULL.
 * Returns -1 to go on, else the exit status. */
static int parse(int argc, char **argv, struct bopts *o, const char *file, const char *usage)
{
    static const struct option opts[] = {
        {"db", required_argument, NULL, 'd'}, {"pg", required_argument, NULL, 'p'},
        {"to", required_argument, NULL, 't'}, {"from", required_argument, NULL, 'f'},
        {"force", no_argument, NULL, 'F'},    {"counts", no_argument, NULL, 'c'},
        {"help", no_argument, NULL, 'h'},     {NULL, 0, NULL, 0},
    };
    int opt;

    memset(o, 0, sizeof *o);
    cli_db_defaults(&o->db);
    optind = 1;
    while ((opt = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        if (opt == 'd' || opt == 'p') {
            o->db.kind = opt == 'd' ? STORE_SQLITE : STORE_PG;
            o->db.target = optarg;
        } else if ((opt == 't' || opt == 'f') && file && (opt == 't') == (file[2] == 't')) {
            o->file = optarg;
        } else if (opt == 'F' && file && file[2] == 'f') {
            o->force = 1;
        } else if (opt == 'c' && !file) {
            o->counts = 1;
        } else if (opt == 'h') {
            fputs(usage, stdout);
            return 0;
        } else {
            fputs(usage, stderr);
            return 2;
        }
    }
    if (optind < argc) {
        cli_error(argv[0], "unexpected argument '%s'", argv[optind]);
        return 2;
    }
    if (file && !o->file) {
        cli_error(argv[0], "%s FILE is required", file);
        return 2;
    }
    return -1;
}

/* Runs a program found on PATH with argv, stdout to /dev/null when quiet. Returns its exit
 * status, or -1 if it could not be started (error printed). */
static int run(const char *cmd, char *const av[], int quiet)
{
    posix_spawn_file_actions_t fa;
    pid_t pid;
    int status = 0, rc;

    if (posix_spawn_file_actions_init(&fa) != 0)
        return -1;
    if (quiet)
        posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
    rc = posix_spawnp(&pid, av[0], &fa, NULL, av, environ);
    posix_spawn_file_actions_destroy(&fa);
    if (rc != 0) {
        cli_error(cmd, "cannot run %s: %s", av[0], strerror(rc));
        return -1;
    }
    while (waitpid(pid, &status, 0) < 0)
        ;
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}

/* pg_dump -Fc into FILE.tmp, renamed to FILE when complete. */
static int pg_backup(const struct bopts *o)
{
    char tmp[4096], fileopt[4200], dbopt[4200];
    int rc;

    if (snprintf(tmp, sizeof tmp, "%s.tmp", o->file) >= (int)sizeof tmp ||
        snprintf(dbopt, sizeof dbopt, "--dbname=%s", o->db.target) >= (int)sizeof dbopt) {
        cli_error("backup", "path or connection string too long");
        return 2;
    }
    snprintf(fileopt, sizeof fileopt, "--file=%s", tmp);
    {
        /* One consistent snapshot (pg_dump's own transaction), owners left out so that it
         * restores under any role. */
        char *av[] = {"pg_dump", "--format=custom", "--no-owner", fileopt, dbopt, NULL};
        rc = run("backup", av, 0);
    }
    if (rc != 0 || rename(tmp, o->file) != 0) {
        remove(tmp);
        cli_error("backup", "pg_dump failed (status %d)", rc);
        return 1;
    }
    printf("backed up to %s\n", o->file);
    return 0;
}

int cmd_backup(int argc, char **argv)
{
    static const char usage[] =
        "usage: jiefen backup [--db FILE | --pg CONNINFO] --to FILE\n\n"
        "SQLite: copies the database with SQLite's online backup API, one consistent\n"
        "snapshot, safe while the server writes. PostgreSQL: runs pg_dump --format=custom\n"
        "(also one snapshot). FILE appears only when the copy is complete.\n";
    struct bopts o;
    char err[512];
    int rc = parse(argc, argv, &o, "--to", usage);

    if (rc >= 0)
        return rc;
    if (o.db.kind == STORE_PG)
        return pg_backup(&o);
    if (access(o.db.target, R_OK) != 0) {
        cli_error("backup", "cannot read %s", o.db.target);
        return 1;
    }
    if (store_sqlite_backup(o.db.target, o.file, err, sizeof err) != STORE_OK) {
        cli_error("backup", "%s", err);
        return 1;
    }
    printf("backed up %s to %s\n", o.db.target, o.file);
    return 0;
}

/* Number of tables in the target database (0 for an empty or missing one), -1 on error. */
static long target_tables(const struct cli_db *db)
{
    char err[256];
    struct store *st = store_open(db->kind, db->target, err, sizeof err);
    struct store_conn *c = st ? store_conn_get(st, err, sizeof err) : NULL;
    struct store_rows *r = NULL;
    long n = -1;

    if (c && store_exec(c,
                        store_dialect(c, "SELECT count(*) FROM sqlite_master WHERE type = 'table'",
                                      "SELECT count(*) FROM information_schema.tables"
                                      " WHERE table_schema = 'public'"),
                        0, NULL, &r) == STORE_OK)
        n = (long)store_rows_int(r, 0, 0);
    store_rows_free(r);
    if (st)
        store_close(st);
    return n;
}

static int pg_restore(const struct bopts *o)
{
    char dbopt[4200];
    int rc;

    if (snprintf(dbopt, sizeof dbopt, "--dbname=%s", o->db.target) >= (int)sizeof dbopt) {
        cli_error("restore", "connection string too long");
        return 2;
    }
    {
        /* Reading the whole table of contents checks that the archive is complete. */
        char *av[] = {"pg_restore", "--list", (char *)o->file, NULL};
        if (run("restore", av, 1) != 0) {
            cli_error("restore", "%s is not a complete pg_dump archive", o->file);
            return 1;
        }
    }
    {
        /* All or nothing: one transaction, stopping at the first error; --clean drops
         * what the archive holds first (nothing to drop in an empty database). */
        char *av[] = {"pg_restore",
                      "--no-owner",
                      "--exit-on-error",
                      "--single-transaction",
                      "--clean",
                      "--if-exists",
                      dbopt,
                      (char *)o->file,
                      NULL};
        rc = run("restore", av, 0);
    }
    if (rc != 0) {
        cli_error("restore", "pg_restore failed (status %d); the database is unchanged", rc);
        return 1;
    }
    return 0;
}

int cmd_restore(int argc, char **argv)
{
    static const char usage[] =
        "usage: jiefen restore [--db FILE | --pg CONNINFO] --from FILE [--force]\n\n"
        "Restores a backup made by `jiefen backup`. The backup is checked first (SQLite:\n"
        "PRAGMA integrity_check; PostgreSQL: its table of contents is read). A database\n"
        "that already has tables is only replaced with --force. Stop the servers on it first:\n"
        "they would go on serving from their caches and sessions.\n";
    struct bopts o;
    char err[512];
    long tables;
    int rc = parse(argc, argv, &o, "--from", usage);

    if (rc >= 0)
        return rc;
    if (access(o.file, R_OK) != 0) {
        cli_error("restore", "cannot read %s", o.file);
        return 1;
    }
    tables = o.db.kind == STORE_PG || access(o.db.target, F_OK) == 0 ? target_tables(&o.db) : 0;
    if (tables < 0) {
        cli_error("restore", "cannot open %s",
                  o.db.kind == STORE_PG ? "the database" : o.db.target);
        return 1;
    }
    if (tables > 0 && !o.force) {
        cli_error("restore", "the database is not empty; add --force to replace it");
        return 1;
    }
    rc = 0;
    if (o.db.kind == STORE_PG) {
        rc = pg_restore(&o);
    } else if (store_sqlite_restore(o.file, o.db.target, err, sizeof err) != STORE_OK) {
        cli_error("restore", "%s", err);
        rc = 1;
    }
    if (rc == 0)
        printf("restored %s\n", o.file);
    return rc;
}

/* Feeds one value into the hash: NULL and "" differ, and lengths keep values apart. */
static void hash_value(crypto_generichash_state *h, const char *v)
{
    unsigned char tag = v ? 1 : 0;
    uint64_t len = v ? strlen(v) : 0;

    crypto_generichash_update(h, &tag, 1);
    crypto_generichash_update(h, (const unsigned char *)&len, sizeof len);
    if (v)
        crypto_generichash_update(h, (const unsigned char *)v, len);
}

/* Prints "TABLE ROWS CHECKSUM": the rows ordered by every column, so the same rows give
 * the same checksum whatever their physical order. Loads the table at once: a check tool,
 * run on a copy or a quiet database. */
static store_err table_sum(struct store_conn *c, const char *table)
{
    struct store_rows *r = NULL;
    char sql[4096], hex[33];
    unsigned char out[16];
    crypto_generichash_state h;
    int ncols, n;
    store_err e;

    snprintf(sql, sizeof sql, "SELECT * FROM \"%s\" LIMIT 1", table);
    e = store_exec(c, sql, 0, NULL, &r);
    if (e != STORE_OK)
        return e;
    ncols = r->ncols;
    store_rows_free(r);
    r = NULL;
    n = snprintf(sql, sizeof sql, "SELECT * FROM \"%s\" ORDER BY 1", table);
    for (int i = 2; i <= ncols && n < (int)sizeof sql - 8; i++)
        n += snprintf(sql + n, sizeof sql - (size_t)n, ",%d", i);
    e = store_exec(c, sql, 0, NULL, &r);
    if (e != STORE_OK)
        return e;
    crypto_generichash_init(&h, NULL, 0, sizeof out);
    for (int i = 0; i < r->nrows; i++)
        for (int j = 0; j < r->ncols; j++)
            hash_value(&h, store_rows_get(r, i, j));
    crypto_generichash_final(&h, out, sizeof out);
    sodium_bin2hex(hex, sizeof hex, out, sizeof out);
    printf("%s %d %s\n", table, r->nrows, hex);
    store_rows_free(r);
    return STORE_OK;
}

/* SQLite's integrity and foreign-key checks; PostgreSQL enforces both as it writes. */
static int integrity(struct store_conn *c)
{
    struct store_rows *r = NULL;
    int ok = 0;

    if (store_conn_kind(c) == STORE_PG) {
        puts("integrity ok (PostgreSQL checks constraints on write)");
        return 0;
    }
    if (store_exec(c, "PRAGMA integrity_check", 0, NULL, &r) == STORE_OK && r->nrows == 1 &&
        strcmp(store_rows_get(r, 0, 0), "ok") == 0) {
        store_rows_free(r);
        r = NULL;
        ok = store_exec(c, "PRAGMA foreign_key_check", 0, NULL, &r) == STORE_OK && r->nrows == 0;
    }
    printf("integrity %s\n", ok ? "ok" : "FAILED");
    store_rows_free(r);
    return ok ? 0 : 1;
}

int cmd_check(int argc, char **argv)
{
    static const char usage[] =
        "usage: jiefen check [--db FILE | --pg CONNINFO] [--counts]\n\n"
        "Checks a database without changing it: SQLite's integrity and foreign-key checks.\n"
        "--counts also prints one line per table: name, rows, and a checksum of its rows\n"
        "(BLAKE2b over every value, rows in order), to compare a restored database with\n"
        "the backup it came from. Exit status 1 if a check fails.\n";
    struct bopts o;
    struct store *st;
    struct store_conn *c;
    struct store_rows *t = NULL;
    char err[512];
    int rc = parse(argc, argv, &o, NULL, usage);

    if (rc >= 0)
        return rc;
    if (o.db.kind == STORE_SQLITE && access(o.db.target, R_OK) != 0) {
        cli_error("check", "cannot read %s", o.db.target);
        return 1;
    }
    st = cli_open_store(&o.db, 0);
    if (!st)
        return 1;
    c = store_conn_get(st, err, sizeof err);
    if (!c) {
        cli_error("check", "%s", err);
        store_close(st);
        return 1;
    }
    rc = integrity(c);
    if (rc == 0 && o.counts &&
        store_exec(c,
                   store_dialect(c,
                                 "SELECT name FROM sqlite_master WHERE type = 'table'"
                                 " AND name NOT LIKE 'sqlite_%' ORDER BY name",
                                 "SELECT table_name FROM information_schema.tables"
                                 " WHERE table_schema = 'public' AND table_type = 'BASE TABLE'"
                                 " ORDER BY table_name COLLATE \"C\""),
                   0, NULL, &t) != STORE_OK)
        rc = 1;
    for (int i = 0; rc == 0 && t && i < t->nrows; i++)
        if (table_sum(c, store_rows_get(t, i, 0)) != STORE_OK)
            rc = 1;
    if (rc && (o.counts || store_conn_kind(c) == STORE_PG))
        cli_error("check", "%s", store_conn_error(c));
    store_rows_free(t);
    store_close(st);
    return rc;
}

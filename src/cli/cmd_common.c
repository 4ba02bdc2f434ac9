/*
 * cmd_common.c - what the commands share: finding and opening the database, reading
 * passwords, reporting errors.
 */
#include "cli/cli.h"
#include "store/migrate.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

void cli_error(const char *cmd, const char *fmt, ...)
{
    va_list ap;

    fprintf(stderr, "jiefen %s: ", cmd);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

void cli_db_defaults(struct cli_db *db)
{
    const char *pg = getenv("JIEFEN_PG"), *file = getenv("JIEFEN_DB");

    if (pg && *pg) {
        db->kind = STORE_PG;
        db->target = pg;
    } else {
        db->kind = STORE_SQLITE;
        db->target = file && *file ? file : "data/jiefen.db";
    }
}

int cli_db_arg(struct cli_db *db, int argc, char **argv, int *i)
{
    if ((strcmp(argv[*i], "--db") != 0 && strcmp(argv[*i], "--pg") != 0) || *i + 1 >= argc)
        return 0;
    db->kind = argv[*i][2] == 'p' ? STORE_PG : STORE_SQLITE;
    db->target = argv[++*i];
    return 1;
}

struct store *cli_open_store(const struct cli_db *db, int migrate)
{
    char err[512];
    struct store *st;
    struct store_conn *c;
    int applied = 0, version = 0;
    store_err e;

    st = store_open(db->kind, db->target, err, sizeof err);
    if (!st) {
        fprintf(stderr, "jiefen: %s\n", err);
        return NULL;
    }
    if (!migrate)
        return st;
    c = store_conn_get(st, err, sizeof err);
    e = c ? store_migrate(c, &applied, &version) : STORE_UNAVAILABLE;
    if (e != STORE_OK) {
        fprintf(stderr, "jiefen: migration failed: %s\n", c ? store_conn_error(c) : err);
        store_close(st);
        return NULL;
    }
    if (applied)
        fprintf(stderr, "jiefen: applied %d migration%s, schema version %d\n", applied,
                applied == 1 ? "" : "s", version);
    return st;
}

int cli_read_password(const char *prompt, char *out, size_t outlen)
{
    struct termios old, quiet;
    int tty = isatty(STDIN_FILENO);
    size_t n;

    if (tty) {
        fprintf(stderr, "%s", prompt);
        tcgetattr(STDIN_FILENO, &old);
        quiet = old;
        quiet.c_lflag &= ~(tcflag_t)ECHO;
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
    }
    if (!fgets(out, (int)outlen, stdin))
        out[0] = '\0';
    if (tty) {
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
        fputc('\n', stderr);
    }
    n = strlen(out);
    while (n && (out[n - 1] == '\n' || out[n - 1] == '\r'))
        out[--n] = '\0';
    if (n == 0) {
        fprintf(stderr, "jiefen: no password given (type it, or pipe it on standard input)\n");
        return -1;
    }
    return 0;
}

void cli_key_file(const struct cli_db *db, const char *given, char *out, size_t outlen)
{
    if (given && *given)
        snprintf(out, outlen, "%s", given);
    else if (db->kind == STORE_SQLITE)
        snprintf(out, outlen, "%s.key", db->target);
    else
        snprintf(out, outlen, "jiefen.key");
}

int cli_rebuild(int argc, char **argv, const char *name, const char *usage,
                store_err (*fn)(struct store_conn *), const char *done)
{
    struct cli_db db;
    struct store *st;
    struct store_conn *c;
    int rebuild = 0, rc = 0;
    char err[256];

    cli_db_defaults(&db);
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--help") == 0) {
            fputs(usage, stdout);
            return 0;
        } else if (cli_db_arg(&db, argc, argv, &i)) {
            continue;
        } else if (strcmp(argv[i], "rebuild") == 0) {
            rebuild = 1;
        } else {
            cli_error(name, "unexpected argument '%s'", argv[i]);
            fputs(usage, stderr);
            return 2;
        }
    }
    if (!rebuild) {
        fputs(usage, stderr);
        return 2;
    }
    st = cli_open_store(&db, 1);
    if (!st)
        return 1;
    c = store_conn_get(st, err, sizeof err);
    if (!c || fn(c) != STORE_OK) {
        cli_error(name, "%s", c ? store_conn_error(c) : err);
        rc = 1;
    } else {
        printf("%s\n", done);
    }
    store_close(st);
    return rc;
}

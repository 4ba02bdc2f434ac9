/*
 * cli.h - the command line: one binary, `jiefen`, is both server and tools.
 * Each command is a function taking its own argv (argv[0] is the command name) and
 * returning the process exit status; errors are printed as one line on stderr.
 */
#ifndef JIEFEN_CLI_CLI_H
#define JIEFEN_CLI_CLI_H

#include "store/store.h"

#define JIEFEN_VERSION "0.1.0"

/* Where the database is: --db FILE / --pg CONNINFO, else JIEFEN_DB / JIEFEN_PG. */
struct cli_db {
    enum store_kind kind;
    const char *target;
};

/* Fills db from the environment (JIEFEN_PG wins over JIEFEN_DB), else data/jiefen.db. */
void cli_db_defaults(struct cli_db *db);

/* Takes --db FILE or --pg CONNINFO at argv[*i] (moving *i past the value): 1 if it was one,
 * else 0 (the caller goes on with its own flags). */
int cli_db_arg(struct cli_db *db, int argc, char **argv, int *i);

/* The key file for personal data: `given` (flag or JIEFEN_KEY), else next to the SQLite
 * file (FILE.key), else jiefen.key in the current folder. */
void cli_key_file(const struct cli_db *db, const char *given, char *out, size_t outlen);

/* Opens the store, printing a one-line error on failure; migrates it when asked. */
struct store *cli_open_store(const struct cli_db *db, int migrate);

/*
 * `jiefen <name> [--db FILE | --pg CONNINFO] rebuild`: recomputes derived data with `fn` on
 * one connection (stats and trend counters). Prints `done` on success; exit code 0, 1 or 2.
 */
int cli_rebuild(int argc, char **argv, const char *name, const char *usage,
                store_err (*fn)(struct store_conn *), const char *done);

/* Reads a password: prompts without echo on a terminal, else reads one line of stdin.
 * Returns 0, or -1 with an error printed. */
int cli_read_password(const char *prompt, char *out, size_t outlen);

/* Prints "jiefen CMD: message" on stderr. */
void cli_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Generates n demo cases (see cmd_demo_cases.c). Returns 0 or 1 (error printed). */
int demo_cases(struct store_conn *c, const struct cli_db *db, long n, unsigned long seed);

int cmd_serve(int argc, char **argv);
int cmd_retention(int argc, char **argv);
int cmd_key(int argc, char **argv);
int cmd_migrate(int argc, char **argv);
int cmd_demo(int argc, char **argv);
int cmd_regions(int argc, char **argv);
int cmd_user(int argc, char **argv);
int cmd_backup(int argc, char **argv);
int cmd_restore(int argc, char **argv);
int cmd_check(int argc, char **argv);
int cmd_routes(int argc, char **argv);
int cmd_states(int argc, char **argv);
int cmd_scan(int argc, char **argv);
int cmd_trend(int argc, char **argv);
int cmd_stats(int argc, char **argv);
int cmd_case(int argc, char **argv);
int cmd_setting(int argc, char **argv);
int cmd_risk(int argc, char **argv);
int cmd_notify(int argc, char **argv);
int cmd_version(int argc, char **argv);

#endif

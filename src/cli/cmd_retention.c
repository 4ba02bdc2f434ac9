/*
 * cmd_retention.c - `jiefen retention`: personal data kept no longer than the retention
 * period (个人信息保护法 art. 19, 47; case/retention.c, docs/security-data.md).
 *
 *   jiefen retention [--db FILE | --pg CONNINFO] run [--dry-run] [--today YYYY-MM-DD]
 *                    [--files DIR]
 *       anonymises the cases archived more than `retention_years` (a setting, default 30)
 *       before today: parties, free text, attachment files (in DIR: the server's --files,
 *       default as `jiefen serve`: JIEFEN_FILES, else FILE.files for SQLite, else ./files);
 *       --dry-run prints each case's number and what would change, and changes nothing.
 *   jiefen retention [--db FILE | --pg CONNINFO] hold CASE_ID [--off]
 *       puts a case under a legal hold (never anonymised) or lifts it; audited.
 *
 * Safe while the server runs: one short transaction per case, and a rerun skips the cases
 * already anonymised.
 */
#include "case/case.h"
#include "cli/cli.h"
#include "core/timefmt.h"
#include "store/audit.h"
#include "store/retention.h"
#include "store/settings.h"
#include "text/text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void usage(void)
{
    fprintf(stderr, "usage: jiefen retention [--db FILE | --pg CONNINFO] run [--dry-run]"
                    " [--today YYYY-MM-DD] [--files DIR]\n"
                    "       jiefen retention [--db FILE | --pg CONNINFO] hold CASE_ID [--off]\n");
}

struct opts {
    struct cli_db db;
    const char *verb, *files;
    int dry_run, off;
    int64_t case_id;
    int32_t today;
};

/* 0, or 2 after printing the usage. */
static int parse(int argc, char **argv, struct opts *o)
{
    cli_db_defaults(&o->db);
    o->today = case_today();
    for (int i = 1; i < argc; i++) {
        if (cli_db_arg(&o->db, argc, argv, &i))
            continue;
        if (!o->verb && (strcmp(argv[i], "run") == 0 || strcmp(argv[i], "hold") == 0))
            o->verb = argv[i];
        else if (strcmp(argv[i], "--files") == 0 && i + 1 < argc)
            o->files = argv[++i];
        else if (strcmp(argv[i], "--dry-run") == 0)
            o->dry_run = 1;
        else if (strcmp(argv[i], "--off") == 0)
            o->off = 1;
        else if (strcmp(argv[i], "--today") == 0 && i + 1 < argc &&
                 timefmt_day_parse(argv[i + 1], &o->today) == 0)
            i++;
        else if (o->verb && strcmp(o->verb, "hold") == 0 && !o->case_id && atoll(argv[i]) > 0)
            o->case_id = atoll(argv[i]);
        else
            o->verb = NULL, i = argc;
    }
    if (!o->verb || (strcmp(o->verb, "hold") == 0 && !o->case_id)) {
        usage();
        return 2;
    }
    return 0;
}

/* The attachments folder, as `jiefen serve` picks it (cmd_serve.c). */
static void files_dir(const struct opts *o, char *out, size_t n)
{
    const char *env = getenv("JIEFEN_FILES");

    if (o->files)
        snprintf(out, n, "%s", o->files);
    else if (env && *env)
        snprintf(out, n, "%s", env);
    else if (o->db.kind == STORE_SQLITE)
        snprintf(out, n, "%s.files", o->db.target);
    else
        snprintf(out, n, "files");
}

static int run(struct store_conn *c, const struct opts *o, struct text *tx)
{
    char dir[4096];
    struct store_actor sys;
    struct case_env env = {c, &sys, NULL, NULL, tx, o->today, NULL};
    struct case_retention res = {0};
    struct case_out out = {0};
    long years = store_setting_int(c, "retention_years");

    store_actor_system(&sys);
    files_dir(o, dir, sizeof dir);
    if (store_retention_begin(c) != STORE_OK ||
        case_retention_run(&env, (int)years, dir, o->dry_run, o->dry_run ? stdout : NULL, &res,
                           &out) != CASE_OK) {
        cli_error("retention", "%s", store_conn_error(c));
        return 1;
    }
    if (!o->dry_run && store_retention_finish(c) != STORE_OK)
        cli_error("retention", "checkpoint: %s", store_conn_error(c)); /* the run itself held */
    printf("retention: %s %lld cases archived before %s (retention_years=%ld), %lld parties;"
           " %lld texts masked, %lld attachments (%lld bytes) deleted;"
           " %lld under a legal hold kept\n",
           o->dry_run ? "would anonymise" : "anonymised", (long long)res.due, res.cutoff, years,
           (long long)res.parties, (long long)res.texts, (long long)res.attachments,
           (long long)res.bytes, (long long)res.held);
    return 0;
}

static int hold(struct store_conn *c, const struct opts *o)
{
    struct store_actor sys;
    store_err e;

    store_actor_system(&sys);
    e = store_begin(c, 1);
    if (e == STORE_OK)
        e = store_retention_hold(c, o->case_id, !o->off);
    if (e == STORE_OK)
        e = store_audit_append(c, &sys, "update", "case", o->case_id, "legal_hold",
                               o->off ? "legal hold lifted" : "legal hold");
    e = store_end(c, e);
    if (e != STORE_OK) {
        cli_error("retention", "%s", store_conn_error(c));
        return 1;
    }
    printf("case %lld: legal hold %s\n", (long long)o->case_id, o->off ? "off" : "on");
    return 0;
}

int cmd_retention(int argc, char **argv)
{
    struct opts o = {0};
    struct store *st;
    struct store_conn *c;
    struct text *tx = NULL;
    char err[256];
    int rc = parse(argc, argv, &o);

    if (rc)
        return rc;
    st = cli_open_store(&o.db, 1);
    if (!st)
        return 1;
    /* Search terms are rewritten with the parties' new names: the text pipeline is needed. */
    if (strcmp(o.verb, "run") == 0 && !o.dry_run)
        tx = text_open(err, sizeof err);
    c = (tx || strcmp(o.verb, "run") != 0 || o.dry_run) ? store_conn_get(st, err, sizeof err)
                                                        : NULL;
    if (!c)
        cli_error("retention", "%s", err);
    else
        rc = strcmp(o.verb, "run") == 0 ? run(c, &o, tx) : hold(c, &o);
    rc = c ? rc : 1;
    text_close(tx);
    store_close(st);
    return rc;
}

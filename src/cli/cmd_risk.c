/*
 * cmd_risk.c - `jiefen risk explain`: grades a text read on stdin with the default risk
 * model and prints the level, the score and each reason, so that a centre can see why a
 * description grades as it does (docs/risk.md). No database: the stored weights are
 * settings (`jiefen setting`), this shows the defaults.
 *
 * `jiefen risk regrade`: regrades every case with the stored settings through the case
 * module (after the weights or thresholds change), with timeline events and alerts for the
 * cases whose level moves.
 */
#include "case/case.h"
#include "cli/cli.h"
#include "core/risk.h"
#include "core/risk_model.h"
#include "core/risk_text.h"
#include "text/text.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void usage(void)
{
    fprintf(stderr, "usage: jiefen risk explain [--people N] [--category CODE] < text\n"
                    "       jiefen risk [--db FILE | --pg CONNINFO] regrade\n");
}

static int regrade(int argc, char **argv)
{
    struct cli_db db;
    struct store *st;
    struct store_conn *c;
    struct store_actor sys;
    struct case_out out = {0};
    struct text *tx;
    int64_t moved = 0;
    char err[256];
    int rc = 1;

    cli_db_defaults(&db);
    for (int i = 1; i < argc; i++) {
        if (cli_db_arg(&db, argc, argv, &i) || strcmp(argv[i], "regrade") == 0)
            continue;
        usage();
        return 2;
    }
    st = cli_open_store(&db, 1);
    if (!st)
        return 1;
    tx = text_open(err, sizeof err);
    c = tx ? store_conn_get(st, err, sizeof err) : NULL;
    if (c) {
        struct case_env env = {c, &sys, NULL, NULL, tx, case_today(), NULL};
        store_actor_system(&sys);
        if (case_risk_regrade_all(&env, &moved, &out) == CASE_OK) {
            printf("risk regraded: %lld cases changed level\n", (long long)moved);
            rc = 0;
        } else {
            cli_error("risk", "%s", store_conn_error(c));
        }
    } else {
        cli_error("risk", "%s", err);
    }
    text_close(tx);
    store_close(st);
    return rc;
}

/* Reads stdin up to TEXT_MAX_INPUT bytes. Returns a malloc'd string or NULL. */
static char *read_stdin(void)
{
    char *buf = malloc(TEXT_MAX_INPUT + 1);
    size_t n;

    if (buf == NULL)
        return NULL;
    n = fread(buf, 1, TEXT_MAX_INPUT, stdin);
    buf[n] = '\0';
    return buf;
}

static int parse_args(int argc, char **argv, struct risk_input *in)
{
    char *end;

    for (int i = 2; i < argc; i++) {
        if (strcmp(argv[i], "--people") == 0 && i + 1 < argc) {
            errno = 0;
            in->people = strtoll(argv[++i], &end, 10);
            if (errno || *end || in->people < 0) {
                cli_error("risk", "--people must be a whole number");
                return -1;
            }
        } else if (strcmp(argv[i], "--category") == 0 && i + 1 < argc)
            in->category = argv[++i];
        else {
            usage();
            return -1;
        }
    }
    return 0;
}

static void print_result(const struct risk_input *in, const struct risk_result *r)
{
    struct risk_text_result t;

    printf("level: %s\nscore: %d\n", risk_level_code(r->level), r->score);
    for (int i = 0; i < r->nreasons; i++)
        printf("  +%-3d %-16s %s\n", r->reasons[i].points, r->reasons[i].factor,
               r->reasons[i].text);
    /* Negated hits count for nothing; shown so that a reader sees they were read. */
    risk_text_read(in->text, &t);
    for (int i = 0; i < t.nhits; i++)
        if (t.hits[i].negated)
            printf("  negated %-12s “%s”\n", risk_text_kind_code(t.hits[i].kind), t.hits[i].quote);
}

/* One row of `explain --tsv`: what scripts/risk_train.py needs to combine the patterns with
 * the model and to train on the very text the server reads. */
static void tsv_row(struct text *tx, const struct risk_weights *w, const struct risk_weights *w0,
                    const char *raw)
{
    struct risk_input in = {.category = "other", .people = -1, .amount = -1};
    struct risk_text_result t;
    struct risk_result pat, all;
    char *s = text_simplify(tx, raw);
    int danger = 0, kept = 0;

    if (s == NULL) {
        printf("error\n");
        return;
    }
    in.text = s;
    risk_assess(&in, w0, &pat);
    risk_assess(&in, w, &all);
    risk_text_read(s, &t);
    for (int i = 0; i < t.nhits; i++)
        if (!t.hits[i].negated) {
            kept++;
            danger |= t.hits[i].kind != RT_WAGE;
        }
    printf("%s\t%d\t%d\t%.0f\t%s\t%s\n", risk_level_code(pat.level), danger,
           t.nhits > 0 && kept == 0, 1000.0 * risk_model_prob(s, NULL), risk_level_code(all.level),
           s);
    free(s);
}

/* Hidden batch mode for scripts/risk_train.py: reads TSV rows (the text is the last column;
 * '#' lines and the "label" header are skipped) and prints, per row, the level from the
 * patterns alone, whether they found a dangerous kind, whether all their hits were negated,
 * the model's probability in thousandths, the combined level and the simplified text. */
static int explain_tsv(struct text *tx)
{
    struct risk_weights w, w0;
    char *line = NULL, *text;
    size_t cap = 0;

    risk_weights_default(&w);
    w0 = w;
    risk_weights_set(&w0, "risk_w_text_model", 0); /* the patterns alone */
    risk_weights_set(&w0, "risk_w_text_doubt", 0);
    while (getline(&line, &cap, stdin) >= 0) {
        line[strcspn(line, "\r\n")] = '\0';
        if (!line[0] || line[0] == '#' || strncmp(line, "label\t", 6) == 0)
            continue;
        text = strrchr(line, '\t');
        tsv_row(tx, &w, &w0, text ? text + 1 : line);
    }
    free(line);
    return 0;
}

int cmd_risk(int argc, char **argv)
{
    struct risk_input in = {.category = "other", .people = -1, .amount = -1};
    struct risk_weights w;
    struct risk_result r;
    struct text *tx = NULL;
    char err[256], *raw = NULL, *simple = NULL;
    int rc = 1, tsv;

    for (int i = 1; i < argc; i++)
        if (strcmp(argv[i], "regrade") == 0)
            return regrade(argc, argv);
    if (argc < 2 || strcmp(argv[1], "explain") != 0) {
        usage();
        return 2;
    }
    tsv = argc == 3 && strcmp(argv[2], "--tsv") == 0;
    if (!tsv && parse_args(argc, argv, &in) != 0)
        return 2;
    tx = text_open(err, sizeof err);
    if (tx == NULL) {
        cli_error("risk", "%s", err);
        goto out;
    }
    if (tsv) {
        rc = explain_tsv(tx);
        goto out;
    }
    raw = read_stdin();
    simple = raw ? text_simplify(tx, raw) : NULL;
    if (simple == NULL) {
        cli_error("risk", "cannot read the text");
        goto out;
    }
    in.text = simple;
    risk_weights_default(&w);
    risk_assess(&in, &w, &r);
    print_result(&in, &r);
    rc = 0;
out:
    free(simple);
    free(raw);
    text_close(tx);
    return rc;
}

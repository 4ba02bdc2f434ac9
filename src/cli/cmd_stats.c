/*
 * cmd_stats.c - `jiefen stats rebuild`: recomputes the statistics counters (stat_counts,
 * stat_case_keys) from the cases and their timelines, for a database whose cases were
 * loaded outside the case module. The case module keeps them in step from then on
 * (watch/stats.h, docs/metrics.md).
 *
 * `jiefen stats import-court FILE`: the court's filings per region and month (万人成讼率),
 * from a CSV or XLSX with the header 区划代码, 月份 (YYYY-MM), 收案数 and optionally 来源.
 */
#include "cli/cli.h"
#include "cli/demo_bulk.h"
#include "sheet/sheet.h"
#include "store/court.h"
#include "store/regions.h"
#include "watch/stats.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] =
    "usage: jiefen stats [--db FILE | --pg CONNINFO] rebuild [--from-keys]\n"
    "       jiefen stats [--db FILE | --pg CONNINFO] import-court FILE\n\n"
    "rebuild: recomputes the statistics counters (统计分析) from the cases and their\n"
    "timelines: per region (and every region above it), day, metric, category and channel,\n"
    "in one transaction (docs/metrics.md).\n"
    "  --from-keys  sum the counters from the keys each case already holds\n"
    "               (stat_case_keys) instead of reading every timeline: minutes where the\n"
    "               full rebuild takes hours at millions of cases; for a register whose\n"
    "               keys are whole (a generated one, or one whose counting was cut off).\n"
    "import-court: sets the court's first-instance civil filings (民商事一审收案数) per region\n"
    "and month from a CSV or XLSX with the columns 区划代码, 月份 (YYYY-MM), 收案数 and\n"
    "optionally 来源; a row for a region and month already recorded replaces it.\n";

/* The whole file in memory (at most SHEET_MAX_INPUT bytes); NULL on failure. */
static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *buf = f ? malloc(SHEET_MAX_INPUT + 1) : NULL;

    *len = buf ? fread(buf, 1, SHEET_MAX_INPUT + 1, f) : 0;
    if (f)
        fclose(f);
    if (buf && (*len > SHEET_MAX_INPUT || *len == 0)) {
        free(buf);
        buf = NULL;
    }
    return buf;
}

/* Column index of each header (code, month, filings, source); -1 when absent. */
static int header(const struct sheet_row *h, int col[4])
{
    static const char *const names[4] = {"区划代码", "月份", "收案数", "来源"};

    for (int k = 0; k < 4; k++) {
        col[k] = -1;
        for (int i = 0; i < h->ncells; i++)
            if (strcmp(sheet_cell(h, i), names[k]) == 0)
                col[k] = i;
    }
    return col[0] >= 0 && col[1] >= 0 && col[2] >= 0 ? 0 : -1;
}

/* 1 if s is YYYY-MM with a month 01..12. */
static int month_ok(const char *s)
{
    return strlen(s) == 7 && s[4] == '-' && strspn(s, "0123456789-") == 7 && atoi(s + 5) >= 1 &&
           atoi(s + 5) <= 12 && atoi(s) >= 1900;
}

/* Checks then writes every row: a bad row stops the import before anything is written. */
static int import_rows(struct store_conn *c, const struct sheet *s, const int col[4])
{
    struct store_actor a;
    int64_t *ids = calloc((size_t)s->nrows + 1, sizeof *ids);
    int rc = 0;

    store_actor_system(&a);
    for (int pass = 0; ids && pass < 2 && !rc; pass++)
        for (int i = 1; i < s->nrows && !rc; i++) {
            const struct sheet_row *r = &s->rows[i];
            const char *n = sheet_cell(r, col[2]), *m = sheet_cell(r, col[1]);
            char *end;
            long long filings = strtoll(n, &end, 10);
            if (pass == 0 && (!*n || *end || filings < 0 || !month_ok(m) ||
                              store_region_by_code(c, &a, sheet_cell(r, col[0]), &ids[i]))) {
                cli_error("stats", "row %d: needs a known 区划代码, 月份 YYYY-MM and 收案数 >= 0",
                          r->number);
                rc = 1;
            } else if (pass == 1 && store_court_filings_set(c, &a, ids[i], m, filings,
                                                            col[3] >= 0 ? sheet_cell(r, col[3])
                                                                        : "") != STORE_OK) {
                cli_error("stats", "row %d: %s", r->number, store_conn_error(c));
                rc = 1;
            }
        }
    if (!ids)
        rc = 1;
    if (!rc)
        printf("%d court filing rows imported\n", s->nrows - 1);
    free(ids);
    return rc;
}

static int import_court(struct cli_db *db, const char *path)
{
    struct sheet *s = NULL;
    struct store *st = NULL;
    struct store_conn *c;
    size_t len;
    char *buf = slurp(path, &len), err[256];
    int col[4], rc = 1;

    if (!buf) {
        cli_error("stats", "cannot read %s (missing, empty or larger than 10 MB)", path);
        return 1;
    }
    if (sheet_read(buf, len, &s, err, sizeof err) != 0) {
        cli_error("stats", "%s: %s", path, err);
        goto out;
    }
    if (s->nrows < 1 || header(&s->rows[0], col) != 0) {
        cli_error("stats", "%s: the header needs 区划代码, 月份 and 收案数", path);
        goto out;
    }
    st = cli_open_store(db, 1);
    c = st ? store_conn_get(st, err, sizeof err) : NULL;
    if (!c) {
        if (st)
            cli_error("stats", "%s", err);
        goto out;
    }
    rc = import_rows(c, s, col);
out:
    if (st)
        store_close(st);
    sheet_free(s);
    free(buf);
    return rc;
}

int cmd_stats(int argc, char **argv)
{
    struct cli_db db;

    cli_db_defaults(&db);
    for (int i = 1; i < argc; i++) {
        if (cli_db_arg(&db, argc, argv, &i))
            continue;
        if (strcmp(argv[i], "import-court") == 0) {
            if (i + 2 != argc) {
                fputs(usage, stderr);
                return 2;
            }
            return import_court(&db, argv[i + 1]);
        }
        if (strcmp(argv[i], "--from-keys") == 0) {
            /* cli_rebuild knows no such option: the rest of the line moves up one. */
            memmove(argv + i, argv + i + 1, (size_t)(argc - i) * sizeof *argv);
            return cli_rebuild(argc - 1, argv, "stats", usage, demo_bulk_recount,
                               "statistics counters summed from the cases' keys");
        }
    }
    return cli_rebuild(argc, argv, "stats", usage, stats_rebuild, "statistics counters rebuilt");
}

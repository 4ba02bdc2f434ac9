/*
 * cmd_stats.c - `jiefen stats rebuild`: recomputes the statistics counters (stat_counts,
 * stat_case_keys) from the cases and their timelines, for a database whose cases were
 * loaded outside the case module. The case module keeps them in step from then on
 * (watch/stats.h, docs/metrics.md).
 */
#include "cli/cli.h"
#include "watch/stats.h"

#include <stdio.h>
#include <string.h>

int cmd_stats(int argc, char **argv)
{
    static const char usage[] =
        "usage: jiefen stats [--db FILE | --pg CONNINFO] rebuild\n\n"
        "Recomputes the statistics counters (统计分析) from the cases and their timelines:\n"
        "per region (and every region above it), day, metric, category and channel, in one\n"
        "transaction (docs/metrics.md).\n";
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
            cli_error("stats", "unexpected argument '%s'", argv[i]);
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
    if (!c || stats_rebuild(c) != STORE_OK) {
        cli_error("stats", "%s", c ? store_conn_error(c) : err);
        rc = 1;
    } else {
        printf("statistics counters rebuilt\n");
    }
    store_close(st);
    return rc;
}

/*
 * cmd_trend.c - `jiefen trend rebuild`: recomputes the trend counters (case_day_counts)
 * from the cases, for a database whose cases were loaded or changed outside intake.
 * Intake keeps them in step from then on (watch/trend.h).
 */
#include "cli/cli.h"
#include "watch/trend.h"

#include <stdio.h>
#include <string.h>

int cmd_trend(int argc, char **argv)
{
    static const char usage[] =
        "usage: jiefen trend [--db FILE | --pg CONNINFO] rebuild\n\n"
        "Recomputes the daily case counters of trend warnings (趋势预警) from the cases:\n"
        "per region (and every region above it), category and day, in one transaction.\n";
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
            cli_error("trend", "unexpected argument '%s'", argv[i]);
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
    if (!c || trend_rebuild(c) != STORE_OK) {
        cli_error("trend", "%s", c ? store_conn_error(c) : err);
        rc = 1;
    } else {
        printf("trend counters rebuilt\n");
    }
    store_close(st);
    return rc;
}

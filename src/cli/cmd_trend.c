/*
 * cmd_trend.c - `jiefen trend rebuild`: recomputes the trend counters (case_day_counts)
 * from the cases, for a database whose cases were loaded or changed outside intake.
 * Intake keeps them in step from then on (watch/trend.h).
 */
#include "cli/cli.h"
#include "watch/trend.h"

int cmd_trend(int argc, char **argv)
{
    static const char usage[] =
        "usage: jiefen trend [--db FILE | --pg CONNINFO] rebuild\n\n"
        "Recomputes the daily case counters of trend warnings (趋势预警) from the cases:\n"
        "per region (and every region above it), category and day, in one transaction.\n";
    return cli_rebuild(argc, argv, "trend", usage, trend_rebuild, "trend counters rebuilt");
}

/*
 * cmd_stats.c - `jiefen stats rebuild`: recomputes the statistics counters (stat_counts,
 * stat_case_keys) from the cases and their timelines, for a database whose cases were
 * loaded outside the case module. The case module keeps them in step from then on
 * (watch/stats.h, docs/metrics.md).
 */
#include "cli/cli.h"
#include "watch/stats.h"

int cmd_stats(int argc, char **argv)
{
    static const char usage[] =
        "usage: jiefen stats [--db FILE | --pg CONNINFO] rebuild\n\n"
        "Recomputes the statistics counters (统计分析) from the cases and their timelines:\n"
        "per region (and every region above it), day, metric, category and channel, in one\n"
        "transaction (docs/metrics.md).\n";
    return cli_rebuild(argc, argv, "stats", usage, stats_rebuild, "statistics counters rebuilt");
}

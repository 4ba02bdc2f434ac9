/*
 * main.c - `jiefen COMMAND ...`: dispatch to the command.
 */
#include "cli/cli.h"

#include <stdio.h>
#include <string.h>

static const struct {
    const char *name;
    int (*fn)(int, char **);
    const char *help;
} commands[] = {
    {"serve", cmd_serve, "serve the web app and the API"},
    {"migrate", cmd_migrate, "create or upgrade the database schema"},
    {"demo", cmd_demo, "load demo data (regions, organizations, users)"},
    {"regions", cmd_regions, "load the division tree of a province or the nation"},
    {"user", cmd_user, "add users, set passwords, create API tokens"},
    {"backup", cmd_backup, "copy a live database safely (SQLite, or pg_dump)"},
    {"restore", cmd_restore, "restore a backup into a database (checked first)"},
    {"check", cmd_check, "check a database: integrity, row counts and checksums"},
    {"routes", cmd_routes, "list the HTTP routes the server registers"},
    {"scan", cmd_scan, "run one pass of the deadline scheduler"},
    {"trend", cmd_trend, "rebuild the trend counters from the cases"},
    {"stats", cmd_stats, "rebuild the statistics counters from the cases"},
    {"case", cmd_case, "register a case or take an action on one (JSON on stdin)"},
    {"setting", cmd_setting, "show or change the installation's settings"},
    {"risk", cmd_risk, "explain the risk grade of a text (risk explain < text)"},
    {"retention", cmd_retention, "anonymise parties of cases past the retention period"},
    {"key", cmd_key, "rotate the key that seals personal data (add, promote, rotate, retire)"},
    {"notify", cmd_notify, "deliver queued notifications (webhooks, SMS, e-mail)"},
    {"states", cmd_states, "print the case state machine as a Mermaid diagram"},
    {"version", cmd_version, "print version information"},
};

static void usage(FILE *out)
{
    fprintf(out, "usage: jiefen COMMAND [OPTIONS]\n\n"
                 "jiefen (解纷) - one-stop dispute resolution\n\ncommands:\n");
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        fprintf(out, "  %-9s %s\n", commands[i].name, commands[i].help);
    fprintf(out, "\nRun 'jiefen COMMAND --help' for a command's options.\n");
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return 2;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
        strcmp(argv[1], "help") == 0) {
        usage(stdout);
        return 0;
    }
    if (strcmp(argv[1], "--version") == 0)
        return cmd_version(argc - 1, argv + 1);
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (strcmp(argv[1], commands[i].name) == 0)
            return commands[i].fn(argc - 1, argv + 1);
    fprintf(stderr, "jiefen: unknown command '%s' (try 'jiefen --help')\n", argv[1]);
    return 2;
}

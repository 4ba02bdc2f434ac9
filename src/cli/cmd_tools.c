/*
 * cmd_tools.c - the small commands: migrate, routes, version (backup: cmd_backup.c).
 */
#include "api/api.h"
#include "cli/cli.h"
#include "core/case_fsm.h"
#include "core/timefmt.h"
#include "sched/sched.h"
#include "store/migrate.h"
#include "watch/alert.h"
#include "watch/quarterly.h"

#include <getopt.h>
#include <jansson.h>
#include <libpq-fe.h>
#include <microhttpd.h>
#include <sodium.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/*
 * Parses the options every database command shares: --db, --pg, --help. Returns -1 to
 * go on, else the exit status (0 after --help, 2 after a bad option).
 */
static int db_options(int argc, char **argv, struct cli_db *db, const char *usage)
{
    static const struct option opts[] = {
        {"db", required_argument, NULL, 'd'},
        {"pg", required_argument, NULL, 'p'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    int opt;

    cli_db_defaults(db);
    optind = 1;
    while ((opt = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (opt) {
        case 'd':
            db->kind = STORE_SQLITE;
            db->target = optarg;
            break;
        case 'p':
            db->kind = STORE_PG;
            db->target = optarg;
            break;
        case 'h':
            fputs(usage, stdout);
            return 0;
        default:
            fputs(usage, stderr);
            return 2;
        }
    }
    if (optind < argc) {
        cli_error(argv[0], "unexpected argument '%s'", argv[optind]);
        return 2;
    }
    return -1;
}

/* `migrate --to N` (for the upgrade test, tests/api/upgrade.test.mjs): applies the
 * migrations up to version N only. Not in the usage text: an installation always wants
 * the newest schema, which the server applies itself at start. */
static int migrate_to(const struct cli_db *db, long to)
{
    char err[512];
    struct store *st = cli_open_store(db, 0);
    struct store_conn *c = st ? store_conn_get(st, err, sizeof err) : NULL;
    int applied = 0, version = 0, rc = 0;

    if (!st)
        return 1;
    if (!c || store_migrate_to(c, (int)to, &applied, &version) != STORE_OK) {
        cli_error("migrate", "%s", c ? store_conn_error(c) : err);
        rc = 1;
    } else {
        printf("schema version %d\n", version);
    }
    store_close(st);
    return rc;
}

int cmd_migrate(int argc, char **argv)
{
    static const char usage[] = "usage: jiefen migrate [--db FILE | --pg CONNINFO]\n\n"
                                "Creates or upgrades the schema to this version's.\n";
    struct cli_db db;
    struct store *st;
    char *args[16];
    int n = 0, rc;
    long to = 0;

    /* Takes --to N out of argv; db_options parses the rest. */
    for (int i = 0; i < argc && n < (int)(sizeof args / sizeof args[0]) - 1; i++) {
        if (strcmp(argv[i], "--to") == 0 && i + 1 < argc) {
            char *end;
            to = strtol(argv[++i], &end, 10);
            if (*end || to < 1 || to > store_schema_version()) {
                cli_error("migrate", "--to must be a schema version from 1 to %d",
                          store_schema_version());
                return 2;
            }
        } else {
            args[n++] = argv[i];
        }
    }
    args[n] = NULL;
    rc = db_options(n, args, &db, usage);
    if (rc >= 0)
        return rc;
    if (to)
        return migrate_to(&db, to);
    st = cli_open_store(&db, 1);
    if (!st)
        return 1;
    printf("schema version %d\n", store_schema_version());
    store_close(st);
    return 0;
}

int cmd_routes(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "--help") == 0) {
        puts("usage: jiefen routes\n\nLists every route the server registers, one per line.");
        return 0;
    }
    for (size_t i = 0; i < api_nroutes; i++)
        printf("%s %s\n", api_routes[i].method, api_routes[i].pattern);
    return 0;
}

int cmd_scan(int argc, char **argv)
{
    static const char usage[] =
        "usage: jiefen scan [--db FILE | --pg CONNINFO] [--today YYYY-MM-DD] [--lead-days N]\n"
        "                   [--at YYYY-MM-DDTHH:MM:SSZ]\n\n"
        "Runs one pass of the deadline scheduler: warns about cases whose time limit is\n"
        "within N working days (default: the warning_lead_days setting, 3 unless changed)\n"
        "or reached; opens the periods' investigation reports (排查) and warns the level\n"
        "above of each report not filed by its due day; raises trend warnings (趋势预警)\n"
        "from the daily counters; escalates risk alerts not acknowledged in time (as of\n"
        "--at, default now); reminds the counties and townships that have not issued last\n"
        "quarter's summary (季度总结) from quarterly_reminder_days before its due day and on\n"
        "it. The server runs it every minute; running it again never warns, escalates or\n"
        "reminds twice.\n";
    struct cli_db db;
    struct store *st;
    struct store_conn *c;
    const char *today_s = NULL, *lead_arg = NULL, *at_s = NULL;
    int32_t today = sched_today();
    int64_t at = store_now_ms();
    int lead = SCHED_LEAD_SETTING, raised = 0, misses = 0, spikes = 0, escalated = 0, reminded = 0;
    int rc = 0;
    char err[256];

    cli_db_defaults(&db);
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--help") == 0) {
            fputs(usage, stdout);
            return 0;
        } else if (cli_db_arg(&db, argc, argv, &i)) {
            continue;
        } else if (strcmp(argv[i], "--today") == 0 && i + 1 < argc) {
            today_s = argv[++i];
        } else if (strcmp(argv[i], "--lead-days") == 0 && i + 1 < argc) {
            lead_arg = argv[++i];
        } else if (strcmp(argv[i], "--at") == 0 && i + 1 < argc) {
            at_s = argv[++i];
        } else {
            cli_error("scan", "unexpected argument '%s'", argv[i]);
            fputs(usage, stderr);
            return 2;
        }
    }
    if (today_s && timefmt_day_parse(today_s, &today) != 0) {
        cli_error("scan", "--today must be a date (YYYY-MM-DD)");
        return 2;
    }
    if (at_s && timefmt_parse(at_s, &at) != 0) {
        cli_error("scan", "--at must be a time (YYYY-MM-DDTHH:MM:SSZ)");
        return 2;
    }
    if (lead_arg) {
        char *end;
        long n = strtol(lead_arg, &end, 10);
        lead = *lead_arg && !*end && n >= 0 && n <= 30 ? (int)n : -1;
    }
    if (lead_arg && lead < 0) {
        cli_error("scan", "--lead-days must be from 0 to 30");
        return 2;
    }
    st = cli_open_store(&db, 1);
    if (!st)
        return 1;
    c = store_conn_get(st, err, sizeof err);
    if (!c || sched_scan(c, today, lead, &raised) != STORE_OK ||
        alert_scan(c, at, &escalated) != STORE_OK) {
        cli_error("scan", "%s", c ? store_conn_error(c) : err);
        rc = 1;
    } else if (sched_watch(c, today, &misses, &spikes) != STORE_OK ||
               quarterly_remind(c, today, -1, &reminded) != STORE_OK) {
        printf("%d warning%s raised\n", raised, raised == 1 ? "" : "s");
        cli_error("scan", "%s", store_conn_error(c));
        rc = 1;
    } else {
        printf("%d warning%s raised\n", raised, raised == 1 ? "" : "s");
        /* Only when there are any: the first line stays what scripts have read. */
        if (misses)
            printf("%d investigation miss%s raised\n", misses, misses == 1 ? "" : "es");
        if (spikes)
            printf("%d trend warning%s raised\n", spikes, spikes == 1 ? "" : "s");
        if (escalated)
            printf("%d alert%s escalated\n", escalated, escalated == 1 ? "" : "s");
        if (reminded)
            printf("%d quarterly reminder%s sent\n", reminded, reminded == 1 ? "" : "s");
    }
    store_close(st);
    return rc;
}

int cmd_states(int argc, char **argv)
{
    char buf[16384];

    if (argc > 1 && strcmp(argv[1], "--help") == 0) {
        puts("usage: jiefen states\n\nPrints the case state machine as a Mermaid diagram.");
        return 0;
    }
    if (case_fsm_mermaid(buf, sizeof buf) != 0) {
        cli_error("states", "the diagram does not fit its buffer");
        return 1;
    }
    fputs(buf, stdout);
    return 0;
}

int cmd_version(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "--help") == 0) {
        puts("usage: jiefen version\n\nPrints the version of jiefen and of its libraries.");
        return 0;
    }
    printf("jiefen %s (schema %d)\n", JIEFEN_VERSION, store_schema_version());
    printf("sqlite %s, libpq %d, libmicrohttpd %s, jansson %s, libsodium %s\n",
           sqlite3_libversion(), PQlibVersion(), MHD_get_version(), jansson_version_str(),
           sodium_version_string());
    return 0;
}

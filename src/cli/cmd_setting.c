/*
 * cmd_setting.c - `jiefen setting list | get KEY | set KEY VALUE`: the installation's
 * settings from the command line, checked like the API checks them and audited as the
 * system's change.
 */
#include "cli/cli.h"
#include "core/settings.h"
#include "store/settings.h"

#include <stdio.h>
#include <string.h>

static const char usage[] =
    "usage: jiefen setting [--db FILE | --pg CONNINFO] list\n"
    "       jiefen setting [--db FILE | --pg CONNINFO] get KEY\n"
    "       jiefen setting [--db FILE | --pg CONNINFO] set KEY VALUE\n\n"
    "Shows or changes the installation's settings (系统设置): case number format, the\n"
    "三三制 minimum, warning lead days, referral feedback days, the related-case window,\n"
    "the return-visit sample. 'list' shows each with its default and bounds.\n";

int cmd_setting(int argc, char **argv)
{
    struct cli_db db;
    struct store *st = NULL;
    struct store_conn *c;
    const char *words[3] = {NULL, NULL, NULL};
    const struct setting_def *d = NULL;
    int nwords = 0, rc = 1;
    char err[256], value[512], reason[96];

    cli_db_defaults(&db);
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--help") == 0) {
            fputs(usage, stdout);
            return 0;
        } else if (cli_db_arg(&db, argc, argv, &i)) {
            continue;
        } else if (nwords < 3 && argv[i][0] != '-') {
            words[nwords++] = argv[i];
        } else {
            cli_error("setting", "unexpected argument '%s'", argv[i]);
            fputs(usage, stderr);
            return 2;
        }
    }
    if (!words[0] || !((strcmp(words[0], "list") == 0 && nwords == 1) ||
                       (strcmp(words[0], "get") == 0 && nwords == 2) ||
                       (strcmp(words[0], "set") == 0 && nwords == 3))) {
        fputs(usage, stderr);
        return 2;
    }
    if (words[1] && !(d = settings_find(words[1]))) {
        cli_error("setting", "no setting '%s' (see 'jiefen setting list')", words[1]);
        return 2;
    }
    if (words[2] && settings_check(d, words[2], reason, sizeof reason) != 0) {
        cli_error("setting", "%s %s", d->key, reason);
        return 2;
    }
    st = cli_open_store(&db, 1);
    if (!st)
        return 1;
    c = store_conn_get(st, err, sizeof err);
    if (!c) {
        cli_error("setting", "%s", err);
        goto out;
    }
    if (strcmp(words[0], "list") == 0) {
        for (size_t i = 0; i < settings_count(); i++) {
            const struct setting_def *s = settings_at(i);
            store_setting(c, s->key, value, sizeof value);
            printf("%-32s %s\n    %s (default %s)\n", s->key, value, s->name, s->fallback);
        }
    } else if (strcmp(words[0], "get") == 0) {
        // NOLINTNEXTLINE(clang-analyzer-core.NullDereference): get has words[1], looked up above
        store_setting(c, d->key, value, sizeof value);
        puts(value);
    } else {
        struct store_actor sys;
        store_actor_system(&sys);
        // NOLINTNEXTLINE(clang-analyzer-core.NullDereference): set has words[1], looked up above
        if (store_setting_set(c, &sys, d->key, words[2]) != STORE_OK) {
            cli_error("setting", "%s", store_conn_error(c));
            goto out;
        }
        printf("%s = %s\n", d->key, words[2]);
    }
    rc = 0;
out:
    store_close(st);
    return rc;
}

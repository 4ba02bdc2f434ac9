/*
 * cmd_notify.c - `jiefen notify run [--once]`: delivers the outbox from the command line,
 * the same passes the server's thread makes (docs/notifications.md).
 */
#include "auth/auth.h"
#include "cli/cli.h"
#include "notify/notify.h"
#include "seal/seal.h"

#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char usage[] =
    "usage: jiefen notify [--db FILE | --pg CONNINFO] [--key FILE] run [--once]\n\n"
    "Delivers due notifications from the outbox (webhooks, SMS gateway, e-mail). With\n"
    "--once it makes passes until nothing is due and exits; without, it keeps going every\n"
    "two seconds. Safe beside running servers: each row is leased to one deliverer.\n";

/* Passes until one claims nothing (once) or forever. */
static int deliver(struct store_conn *c, const struct seal *seal, int once)
{
    struct notify_pass p;
    char owner[128];

    notify_owner(owner, sizeof owner);
    for (;;) {
        if (notify_deliver_pass(c, seal, owner, &p) != STORE_OK) {
            cli_error("notify", "%s", store_conn_error(c));
            return 1;
        }
        if (p.claimed)
            printf("%d delivered, %d failed, %d dead\n", p.delivered, p.failed, p.dead);
        if (once && !p.claimed)
            return 0;
        if (!p.claimed)
            sleep(2);
    }
}

int cmd_notify(int argc, char **argv)
{
    struct cli_db db;
    struct store *st = NULL;
    struct store_conn *c;
    struct seal *seal = NULL;
    const char *key = getenv("JIEFEN_KEY"), *verb = NULL;
    char keyfile[4096], err[512];
    int once = 0, rc = 1;

    cli_db_defaults(&db);
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--help") == 0) {
            fputs(usage, stdout);
            return 0;
        } else if (cli_db_arg(&db, argc, argv, &i)) {
            continue;
        } else if (strcmp(argv[i], "--key") == 0 && i + 1 < argc) {
            key = argv[++i];
        } else if (strcmp(argv[i], "--once") == 0) {
            once = 1;
        } else if (!verb && strcmp(argv[i], "run") == 0) {
            verb = argv[i];
        } else {
            cli_error("notify", "unexpected argument '%s'", argv[i]);
            fputs(usage, stderr);
            return 2;
        }
    }
    if (!verb) {
        fputs(usage, stderr);
        return 2;
    }
    if (auth_init(2) != 0 || curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
        cli_error("notify", "cannot initialise libsodium or libcurl");
        return 1;
    }
    st = cli_open_store(&db, 1);
    if (!st)
        goto out;
    cli_key_file(&db, key, keyfile, sizeof keyfile);
    if (seal_open(&seal, keyfile, 0, err, sizeof err) != 0) {
        cli_error("notify", "%s", err);
        goto out;
    }
    c = store_conn_get(st, err, sizeof err);
    if (!c) {
        cli_error("notify", "%s", err);
        goto out;
    }
    rc = deliver(c, seal, once);
out:
    seal_close(seal);
    store_close(st);
    curl_global_cleanup();
    return rc;
}

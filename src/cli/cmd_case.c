/*
 * cmd_case.c - `jiefen case`: registering a case or taking an action on one from the
 * command line, through the same case module the API uses (src/case/), so that scripts,
 * imports from other systems and repairs obey the same rules, write the same timeline and
 * audit rows, and fail the same way.
 */
#include "case/case.h"
#include "cli/cli.h"
#include "seal/seal.h"
#include "store/cases.h"
#include "store/users.h"
#include "text/text.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] =
    "usage: jiefen case register [--db FILE | --pg CONNINFO] [--key FILE] [--as LOGIN] < REQUEST\n"
    "       jiefen case act ID [--db FILE | --pg CONNINFO] [--as LOGIN] < REQUEST\n\n"
    "Registers a case, or takes an action on case ID, from a JSON request on standard\n"
    "input (the body of POST /api/v1/cases or POST /api/v1/cases/{id}/transitions; see\n"
    "docs/openapi.yaml). --as acts as that user, with their roles and region; without it the\n"
    "system acts, in the whole tree. Prints the case as {id, number, state} on success; on\n"
    "failure prints the problem as JSON on stderr and exits 1 (refused or invalid: 3).\n";

/* Who acts: the user with `login`, or the system. */
static int actor_of(struct store_conn *c, const char *login, struct store_actor *a,
                    struct store_principal *p)
{
    struct store_user_auth u;

    store_actor_system(a);
    snprintf(a->login, sizeof a->login, "cli");
    if (!login)
        return 0;
    if (store_user_auth_get(c, login, &u) != STORE_OK || !u.active ||
        store_principal_get(c, u.id, p) != STORE_OK) {
        cli_error("case", "no active user '%s'", login);
        return -1;
    }
    store_actor_from(a, p, "cli");
    return 0;
}

/* The outcome as one JSON line: the case on stdout, or the problem on stderr. */
static int report(struct store_conn *c, case_err rc, const struct case_out *out, int64_t id)
{
    struct store_rows *row = NULL;
    struct store_actor sys;
    json_t *j;

    if (rc == CASE_OK) {
        store_actor_system(&sys);
        if (store_case_get(c, &sys, id, &row) != STORE_OK) {
            cli_error("case", "%s", store_conn_error(c));
            return 1;
        }
        j = json_pack("{s:I, s:s, s:s}", "id", (json_int_t)id, "number",
                      store_rows_get(row, 0, store_rows_col(row, "number")), "state",
                      store_rows_get(row, 0, store_rows_col(row, "state")));
        store_rows_free(row);
        json_dumpf(j, stdout, JSON_COMPACT);
        fputc('\n', stdout);
        json_decref(j);
        return 0;
    }
    if (rc == CASE_INVALID) {
        j = json_array();
        for (int i = 0; i < out->errs.n; i++)
            json_array_append_new(j, json_pack("{s:s, s:s, s:s}", "field", out->errs.items[i].field,
                                               "code", out->errs.items[i].code, "message",
                                               out->errs.items[i].message));
        j = json_pack("{s:s, s:o}", "problem", "validation", "errors", j);
    } else if (rc == CASE_REFUSED) {
        j = json_pack("{s:s, s:s, s:O}", "problem", "transition", "reason",
                      case_refusal_name(out->refusal), "allowed", out->allowed);
    } else {
        j = json_pack("{s:s, s:s}", "problem", rc == CASE_UNAVAILABLE ? "unavailable" : "store",
                      "detail",
                      rc == CASE_UNAVAILABLE ? "no key for personal data" : store_conn_error(c));
    }
    json_dumpf(j, stderr, JSON_COMPACT);
    fputc('\n', stderr);
    json_decref(j);
    return rc == CASE_INVALID || rc == CASE_REFUSED ? 3 : 1;
}

int cmd_case(int argc, char **argv)
{
    struct cli_db db;
    struct store *st = NULL;
    struct store_conn *c;
    struct store_actor actor;
    struct store_principal who;
    struct case_env env = {0};
    struct case_out out = {0};
    struct seal *seal = NULL;
    struct text *text = NULL;
    const char *login = NULL, *key = getenv("JIEFEN_KEY"), *verb = argc > 1 ? argv[1] : "";
    int64_t id = 0;
    char err[256], keyfile[4096];
    json_error_t jerr;
    json_t *req = NULL;
    int rc = 2, i = 2;
    case_err cr;

    cli_db_defaults(&db);
    if (strcmp(verb, "--help") == 0) {
        fputs(usage, stdout);
        return 0;
    }
    if (strcmp(verb, "act") == 0 && argc > 2) {
        char *end;
        id = strtoll(argv[2], &end, 10);
        i = 3;
        if (*end || id <= 0) {
            cli_error("case", "ID must be a case id");
            return 2;
        }
    } else if (strcmp(verb, "register") != 0) {
        fputs(usage, stderr);
        return 2;
    }
    for (; i < argc; i++) {
        if (cli_db_arg(&db, argc, argv, &i))
            continue;
        if (strcmp(argv[i], "--as") == 0 && i + 1 < argc) {
            login = argv[++i];
        } else if (strcmp(argv[i], "--key") == 0 && i + 1 < argc) {
            key = argv[++i];
        } else {
            cli_error("case", "unexpected argument '%s'", argv[i]);
            fputs(usage, stderr);
            return 2;
        }
    }
    req = json_loadf(stdin, JSON_REJECT_DUPLICATES, &jerr);
    if (!json_is_object(req)) {
        cli_error("case", "the request on standard input must be a JSON object (%s)", jerr.text);
        goto out;
    }
    rc = 1;
    st = cli_open_store(&db, 1);
    if (!st)
        goto out;
    c = store_conn_get(st, err, sizeof err);
    if (!c) {
        cli_error("case", "%s", err);
        goto out;
    }
    if (actor_of(c, login, &actor, &who) != 0)
        goto out;
    if (!id) {
        cli_key_file(&db, key, keyfile, sizeof keyfile);
        if (seal_open(&seal, keyfile, 1, err, sizeof err) != 0 ||
            !(text = text_open(err, sizeof err))) {
            cli_error("case", "%s", err);
            goto out;
        }
    }
    env = (struct case_env){c, &actor, login ? &who : NULL, seal, text, case_today(), NULL};
    cr = id ? case_act(&env, id, req, &out) : case_register(&env, req, NULL, &out);
    rc = report(c, cr, &out, id ? id : out.id);
out:
    case_out_free(&out);
    json_decref(req);
    text_close(text);
    seal_close(seal);
    store_close(st);
    return rc;
}

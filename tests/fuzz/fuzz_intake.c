/*
 * fuzz_intake.c - a case intake body (POST /api/v1/cases) and a case action body
 * (POST /api/v1/cases/{id}/actions) decoded as api_body does and handed to the case
 * module (case_register, case_act), whose validation reads the references (region,
 * related case) from the store. The store is a SQLite file in a temporary directory
 * loaded by the demo loader once per process; the case acted on is registered then.
 * A body with an "action" member is an action, any other an intake. Checks that a
 * refused body names its fields and that nothing reaches the store error path.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "case/case.h"
#include "cli/cli.h"
#include "core/timefmt.h"
#include "seal/seal.h"
#include "store/migrate.h"
#include "store/store.h"
#include "store/users.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct {
    struct store *st;
    struct store_conn *c;
    struct seal *seal;
    struct store_principal clerk_p, disp_p;
    struct store_actor clerk, disp;
    int64_t case_id;
    int32_t today;
} fx;

static void die(const char *what)
{
    fprintf(stderr, "fuzz_intake: %s\n", what);
    exit(1);
}

static void login_as(const char *login, struct store_principal *p, struct store_actor *a)
{
    struct store_user_auth ua = {0};

    if (store_user_auth_get(fx.c, login, &ua) != STORE_OK ||
        store_principal_get(fx.c, ua.id, p) != STORE_OK)
        die(login);
    store_actor_from(a, p, "127.0.0.1");
}

static case_err run(json_t *req, struct case_out *out)
{
    json_t *action = json_object_get(req, "action");
    struct case_env env = {fx.c, &fx.clerk, &fx.clerk_p, fx.seal, NULL, fx.today, NULL};

    if (action) {
        env.actor = &fx.disp;
        env.who = &fx.disp_p;
        return case_act(&env, fx.case_id, req, out);
    }
    return case_register(&env, req, NULL, out);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    static char dir[] = "/tmp/jiefen-fuzz-XXXXXX";
    char file[128], key[128], err[512], *demo[] = {"demo", "--db", file, NULL};
    int applied, version;
    json_t *req;
    struct case_out out = {0};
    struct store_rows *rows = NULL;
    int64_t village;

    if (!mkdtemp(dir))
        die("mkdtemp");
    snprintf(file, sizeof file, "%s/f.db", dir);
    snprintf(key, sizeof key, "%s/f.key", dir);
    if (cmd_demo(3, demo) != 0)
        die("demo");
    if (!(fx.st = store_open(STORE_SQLITE, file, err, sizeof err)) ||
        !(fx.c = store_conn_get(fx.st, err, sizeof err)) ||
        store_migrate(fx.c, &applied, &version) != STORE_OK ||
        seal_open(&fx.seal, key, 1, err, sizeof err) != 0)
        die(err);
    login_as("fc_clerk", &fx.clerk_p, &fx.clerk);
    login_as("fc_dispatcher", &fx.disp_p, &fx.disp);
    if (timefmt_day_parse("2026-11-02", &fx.today) != 0)
        die("today");
    /* 警钟街社区, in fc_clerk's county. */
    if (store_exec(fx.c, "SELECT id FROM regions WHERE code = $1",
                   STORE_PARAMS(SP_TEXT("510703001003")), &rows) != STORE_OK ||
        rows->nrows != 1)
        die("region");
    village = store_rows_int(rows, 0, 0);
    store_rows_free(rows);
    req = json_pack("{s:s, s:s, s:s, s:s, s:I, s:[{s:s, s:s}]}", "channel", "walk_in", "category",
                    "neighbour", "complexity", "simple", "facts", "宅基地边界争议", "region_id",
                    (json_int_t)village, "parties", "role", "applicant", "name", "孙某");
    if (!req || case_register(
                    &(struct case_env){fx.c, &fx.clerk, &fx.clerk_p, fx.seal, NULL, fx.today, NULL},
                    req, NULL, &out) != CASE_OK)
        die("first case");
    fx.case_id = out.id;
    case_out_free(&out);
    json_decref(req);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    json_t *req = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES, NULL);
    struct case_out out = {0};
    case_err rc;

    if (!req)
        return 0;
    if (!json_is_object(req)) {
        json_decref(req);
        return 0;
    }
    rc = run(req, &out);
    if (rc == CASE_INVALID && out.errs.n == 0)
        abort(); /* refused without saying which field */
    /* A field may be named "": a member {"": ...} is reported as unknown by its name. */
    if (rc == CASE_STORE && out.store != STORE_NOT_FOUND && out.store != STORE_CONFLICT &&
        out.store != STORE_FORBIDDEN && out.store != STORE_INVALID)
        abort(); /* a 500: the body reached the database unchecked */
    case_out_free(&out);
    json_decref(req);
    return 0;
}

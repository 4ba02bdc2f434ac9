/*
 * test_store_alerts.c - risk alerts (预警, src/watch/alert.c) on a real store, without HTTP
 * and without the case module's risk regrade: alert_on_risk is called directly, as
 * src/case/risk.c calls it. Raised only on the way up to orange or red; told to the nearest
 * region with recipients; acknowledged once, by whom the rules allow; escalated one level
 * per pass that finds it overdue, never twice, until no level above has recipients.
 *
 * Runs on SQLite in a temporary file, or on PostgreSQL when JIEFEN_TEST_BACKEND=pg and
 * JIEFEN_TEST_PG names a fresh database (tests/run.sh: the name holds "store_"). The demo
 * loader provides the regions and users of 涪城区.
 */
#include "unit.h"

#include "case/case.h"
#include "cli/cli.h"
#include "seal/seal.h"
#include "store/alerts.h"
#include "store/migrate.h"
#include "store/users.h"
#include "watch/alert.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static struct {
    struct store *st;
    struct store_conn *c;
    struct seal *seal;
    char dir[64], file[128], key[128];
    int64_t jzj_village, cx_township, fc_county;
} fx;

struct who {
    struct store_principal p;
    struct store_actor a;
};

static int64_t one_int(const char *sql, int64_t id, const char *arg)
{
    struct store_rows *r = NULL;
    int64_t v;

    assert_int_equal(store_exec(fx.c, sql, STORE_PARAMS(SP_INT(id), SP_TEXT(arg)), &r), STORE_OK);
    assert_int_equal(r->nrows, 1);
    v = store_rows_int(r, 0, 0);
    store_rows_free(r);
    return v;
}

#define COUNT(sql, id, arg) one_int("SELECT COUNT(*) " sql " AND $1 = $1 AND $2 = $2", id, arg)

static int64_t region(const char *code)
{
    return one_int("SELECT id FROM regions WHERE code = $2 AND $1 = $1", 0, code);
}

static int64_t user(const char *login)
{
    return one_int("SELECT id FROM users WHERE login = $2 AND $1 = $1", 0, login);
}

static void login_as(const char *login, struct who *w)
{
    struct store_user_auth ua = {0};

    assert_int_equal(store_user_auth_get(fx.c, login, &ua), STORE_OK);
    assert_int_equal(store_principal_get(fx.c, ua.id, &w->p), STORE_OK);
    store_actor_from(&w->a, &w->p, "127.0.0.1");
}

/* A dispute of 警钟街社区 registered by fc_clerk; returns its id. */
static int64_t reg(void)
{
    struct who clerk;
    struct case_out out = {0};
    struct case_env env;
    json_t *req;

    login_as("fc_clerk", &clerk);
    env = (struct case_env){fx.c, &clerk.a, &clerk.p, fx.seal, NULL, 20790, NULL};
    req = json_pack("{s:s, s:s, s:s, s:s, s:I, s:[{s:s, s:s}]}", "channel", "walk_in", "category",
                    "neighbour", "complexity", "simple", "facts", "相邻通道堆放杂物", "region_id",
                    (json_int_t)fx.jzj_village, "parties", "role", "applicant", "name", "陈玉兰");
    if (case_register(&env, req, NULL, &out) != CASE_OK)
        fail_msg("register: %s", store_conn_error(fx.c));
    json_decref(req);
    case_out_free(&out);
    return out.id;
}

static void set_recipients(int64_t region_id, const char *const *logins, int n)
{
    struct store_actor sys;
    struct store_alert_recipient_in in[4];

    store_actor_system(&sys);
    for (int i = 0; i < n; i++)
        in[i] = (struct store_alert_recipient_in){user(logins[i]), "zongzhi_centre"};
    assert_int_equal(store_alert_recipients_set(fx.c, &sys, region_id, in, n), STORE_OK);
}

static int64_t last_alert(int64_t case_id)
{
    return one_int("SELECT MAX(id) FROM alerts WHERE case_id = $1 AND $2 = $2", case_id, "");
}

static int told(int64_t alert_id, const char *login)
{
    return (int)COUNT("FROM alert_notified n JOIN users u ON u.id = n.user_id"
                      " WHERE n.alert_id = $1 AND u.login = $2",
                      alert_id, login);
}

static int scan(int64_t now)
{
    int n = -1;
    assert_int_equal(alert_scan(fx.c, now, &n), STORE_OK);
    return n;
}

static int setup(void **state)
{
    const char *backend = getenv("JIEFEN_TEST_BACKEND");
    int pg = backend && strcmp(backend, "pg") == 0;
    const char *conninfo = getenv("JIEFEN_TEST_PG");
    char err[512];
    int applied, version;

    (void)state;
    snprintf(fx.dir, sizeof fx.dir, "/tmp/jiefen-alert-XXXXXX");
    if (!mkdtemp(fx.dir) || (pg && !conninfo))
        return -1;
    snprintf(fx.file, sizeof fx.file, "%s/t.db", fx.dir);
    snprintf(fx.key, sizeof fx.key, "%s/t.key", fx.dir);
    {
        char *argv[] = {"demo", pg ? "--pg" : "--db", pg ? (char *)conninfo : fx.file, NULL};
        if (cmd_demo(3, argv) != 0)
            return -1;
    }
    fx.st = store_open(pg ? STORE_PG : STORE_SQLITE, pg ? conninfo : fx.file, err, sizeof err);
    fx.c = fx.st ? store_conn_get(fx.st, err, sizeof err) : NULL;
    if (!fx.c || store_migrate(fx.c, &applied, &version) != STORE_OK)
        return -1;
    if (seal_open(&fx.seal, fx.key, 1, err, sizeof err) != 0)
        return -1;
    fx.jzj_village = region("510703001003");
    fx.cx_township = region("510703001000");
    fx.fc_county = region("510703000000");
    return 0;
}

static int teardown(void **state)
{
    char path[192];

    (void)state;
    seal_close(fx.seal);
    store_close(fx.st);
    const char *files[] = {fx.file, fx.key};
    for (int i = 0; i < 2; i++) {
        unlink(files[i]);
        snprintf(path, sizeof path, "%s-wal", files[i]);
        unlink(path);
        snprintf(path, sizeof path, "%s-shm", files[i]);
        unlink(path);
    }
    rmdir(fx.dir);
    return 0;
}

/* Only reaching orange or red, or rising to red, raises an alert. */
static void raised_only_on_the_way_up_to_orange_or_red(void **state)
{
    struct store_actor sys;
    int64_t id = reg();

    (void)state;
    store_actor_system(&sys);
    assert_int_equal(alert_on_risk(fx.c, &sys, id, RISK_BLUE, RISK_YELLOW, "x"), STORE_OK);
    assert_int_equal(alert_on_risk(fx.c, &sys, id, RISK_RED, RISK_ORANGE, "x"), STORE_OK);
    assert_int_equal(COUNT("FROM alerts WHERE case_id = $1", id, ""), 0);
    assert_int_equal(alert_on_risk(fx.c, &sys, id, RISK_YELLOW, RISK_ORANGE, "群体性"), STORE_OK);
    assert_int_equal(alert_on_risk(fx.c, &sys, id, RISK_ORANGE, RISK_RED, "扬言报复"), STORE_OK);
    assert_int_equal(COUNT("FROM alerts WHERE case_id = $1", id, ""), 2);
    assert_int_equal(COUNT("FROM alerts WHERE case_id = $1 AND level = $2", id, "red"), 1);
    assert_int_equal(COUNT("FROM case_events WHERE case_id = $1 AND action = $2", id, "alert"), 2);
}

/* The village has no recipients: its township's are told; the alert is due in the red
 * window (60 minutes by default); an overdue pass sends it to the county once. */
static void told_to_the_nearest_recipients_and_escalated_once_per_level(void **state)
{
    static const char *const township[] = {"cx_admin"};
    static const char *const county[] = {"fc_supervisor", "fc_leader"};
    struct store_actor sys;
    struct store_rows *r = NULL;
    int64_t id = reg(), a, created, due;

    (void)state;
    store_actor_system(&sys);
    set_recipients(fx.cx_township, township, 1);
    set_recipients(fx.fc_county, county, 2);
    assert_int_equal(alert_on_risk(fx.c, &sys, id, RISK_BLUE, RISK_RED, "群体性"), STORE_OK);
    a = last_alert(id);
    assert_int_equal(store_alert_row(fx.c, a, &r), STORE_OK);
    assert_int_equal(store_rows_int(r, 0, 8), fx.cx_township);
    due = store_rows_int(r, 0, 6);
    store_rows_free(r);
    created = one_int("SELECT created_at FROM alerts WHERE id = $1 AND $2 = $2", a, "");
    assert_int_equal(due - created, 60 * 60000);
    assert_int_equal(told(a, "cx_admin"), 1);
    assert_int_equal(told(a, "fc_supervisor"), 0);

    assert_int_equal(scan(due - 1), 0);
    assert_int_equal(scan(due), 1);
    assert_int_equal(scan(due), 0);
    assert_int_equal(told(a, "fc_supervisor"), 1);
    assert_int_equal(told(a, "fc_leader"), 1);
    assert_int_equal(COUNT("FROM alert_escalations WHERE alert_id = $1", a, ""), 1);
    assert_int_equal(
        COUNT("FROM alerts WHERE id = $1 AND state = $2 AND escalation_level = 1", a, "escalated"),
        1);
    /* Nobody above the county: the alert stays overdue but is not escalated again. */
    assert_int_equal(scan(due + 24 * 3600000LL), 0);
    assert_int_equal(scan(due + 48 * 3600000LL), 0);
    assert_int_equal(COUNT("FROM alert_escalations WHERE alert_id = $1", a, ""), 1);
    assert_int_equal(COUNT("FROM alerts WHERE id = $1 AND top_reached = 1", a, ""), 1);
    assert_int_equal(COUNT("FROM case_events WHERE case_id = $1 AND action = $2", id, "alert"), 2);
}

/* A recipient or an overseer of the region acknowledges, once; others may not. */
static void acknowledged_once_by_whom_the_rules_allow(void **state)
{
    struct store_actor sys;
    struct who med, other, sup;
    int64_t id = reg(), a;

    (void)state;
    store_actor_system(&sys);
    assert_int_equal(alert_on_risk(fx.c, &sys, id, RISK_YELLOW, RISK_ORANGE, NULL), STORE_OK);
    a = last_alert(id);
    login_as("jzj_mediator", &med);   /* in scope, not told, not an overseer */
    login_as("jfj_mediator", &other); /* the neighbouring village: cannot see it */
    login_as("cx_admin", &sup);       /* told (the township's recipient) */
    assert_int_equal(alert_ack(fx.c, &med.a, 0, a, "看到"), STORE_FORBIDDEN);
    assert_int_equal(alert_ack(fx.c, &other.a, 1, a, ""), STORE_NOT_FOUND);
    assert_int_equal(alert_ack(fx.c, &sup.a, 0, a, "已安排包案稳控"), STORE_OK);
    assert_int_equal(alert_ack(fx.c, &sup.a, 0, a, "again"), STORE_CONFLICT);
    assert_int_equal(
        COUNT("FROM alerts WHERE id = $1 AND state = $2 AND acked_by IS NOT NULL", a, "acked"), 1);
    /* Acknowledged alerts are never escalated. */
    assert_int_equal(scan(store_now_ms() + 30 * 24 * 3600000LL), 0);
    assert_int_equal(COUNT("FROM alert_escalations WHERE alert_id = $1", a, ""), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(raised_only_on_the_way_up_to_orange_or_red),
        cmocka_unit_test(told_to_the_nearest_recipients_and_escalated_once_per_level),
        cmocka_unit_test(acknowledged_once_by_whom_the_rules_allow),
    };
    const char *backend = getenv("JIEFEN_TEST_BACKEND");
    return cmocka_run_group_tests_name(backend && strcmp(backend, "pg") == 0 ? "alerts/postgresql"
                                                                             : "alerts/sqlite",
                                       tests, setup, teardown);
}

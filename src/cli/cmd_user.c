/*
 * cmd_user.c - `jiefen user add|passwd|token`: accounts from the command line, for the
 * first administrator and for scripts. Acts as the system (whole tree) and is audited.
 */
#include "auth/auth.h"
#include "cli/cli.h"
#include "core/role.h"
#include "core/verr.h"
#include "store/sessions.h"
#include "store/users.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char user_usage[] =
    "usage: jiefen user add --login L --name N --roles R[,R...] --org ID [--phone P]\n"
    "       jiefen user passwd --login L\n"
    "       jiefen user token --login L --name N\n"
    "  common options: [--db FILE | --pg CONNINFO]\n\n"
    "add     creates a staff user; the password is read from the terminal or stdin\n"
    "passwd  sets a user's password, read from the terminal or stdin\n"
    "token   creates an API token for the user and prints it (shown only once)\n"
    "roles: admin clerk dispatcher mediator supervisor grid_worker leader\n";

struct user_opts {
    struct cli_db db;
    const char *login, *name, *roles, *org, *phone;
};

static unsigned parse_roles(const char *list)
{
    char buf[256], *save = NULL;
    unsigned roles = 0;

    snprintf(buf, sizeof buf, "%s", list);
    for (char *t = strtok_r(buf, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
        unsigned r = role_parse(t);
        if (!r) {
            cli_error("user", "unknown role '%s'", t);
            return 0;
        }
        roles |= r;
    }
    return roles;
}

/* Prints every validation error and returns the count. */
static int report(const struct verr_list *errs)
{
    for (int i = 0; i < errs->n; i++)
        cli_error("user", "--%s %s", errs->items[i].field, errs->items[i].message);
    return errs->n;
}

/* Reads a new password and hashes it into hash. Returns 0, or the exit status. */
static int read_new_password(const char *prompt, char *hash)
{
    struct verr_list errs = {0};
    char password[256];

    if (cli_read_password(prompt, password, sizeof password) != 0)
        return 2;
    if (!verr_check_password(&errs, "password", password) && report(&errs))
        return 2;
    if (auth_password_hash(password, hash) != 0) {
        cli_error("user", "cannot hash the password");
        return 1;
    }
    return 0;
}

static int user_add(struct store_conn *c, const struct user_opts *o)
{
    struct store_actor sys;
    struct store_user_in in = {0};
    struct verr_list errs = {0};
    char hash[AUTH_HASH_MAX], *end;
    int64_t id;
    store_err e;
    int rc;

    if (!o->login || !o->name || !o->roles || !o->org) {
        cli_error("user", "add needs --login, --name, --roles and --org");
        return 2;
    }
    verr_check_login(&errs, "login", o->login);
    verr_check_text(&errs, "name", o->name, 1, 64);
    if (o->phone)
        verr_check_phone(&errs, "phone", o->phone);
    in.org_id = strtoll(o->org, &end, 10);
    if (*end || in.org_id <= 0)
        verr_add(&errs, "org", "invalid", "must be an organization id");
    if (report(&errs))
        return 2;
    in.roles = parse_roles(o->roles);
    if (!in.roles)
        return 2;
    rc = read_new_password("password: ", hash);
    if (rc)
        return rc;
    in.login = o->login;
    in.name = o->name;
    in.phone = o->phone;
    in.password_hash = hash;
    store_actor_system(&sys);
    e = store_user_create(c, &sys, &in, &id);
    if (e != STORE_OK) {
        cli_error("user", "%s", store_conn_error(c));
        return 1;
    }
    printf("created user %s (id %lld)\n", o->login, (long long)id);
    return 0;
}

static int user_passwd(struct store_conn *c, const struct user_opts *o)
{
    struct store_actor sys;
    struct store_user_auth ua;
    char hash[AUTH_HASH_MAX];
    int rc;

    if (!o->login) {
        cli_error("user", "passwd needs --login");
        return 2;
    }
    if (store_user_auth_get(c, o->login, &ua) != STORE_OK) {
        cli_error("user", "no user with login '%s'", o->login);
        return 1;
    }
    rc = read_new_password("new password: ", hash);
    if (rc)
        return rc;
    store_actor_system(&sys);
    if (store_user_set_password(c, &sys, ua.id, hash) != STORE_OK) {
        cli_error("user", "%s", store_conn_error(c));
        return 1;
    }
    printf("password of %s changed\n", o->login);
    return 0;
}

static int user_token(struct store_conn *c, const struct user_opts *o)
{
    struct store_actor sys;
    struct store_user_auth ua;
    char secret[AUTH_TOKEN_LEN], digest[AUTH_DIGEST_LEN];
    int64_t id;

    if (!o->login || !o->name) {
        cli_error("user", "token needs --login and --name");
        return 2;
    }
    if (store_user_auth_get(c, o->login, &ua) != STORE_OK) {
        cli_error("user", "no user with login '%s'", o->login);
        return 1;
    }
    auth_secret_new("jf_", secret, sizeof secret);
    auth_secret_digest(secret, digest);
    store_actor_system(&sys);
    if (store_token_create(c, &sys, ua.id, o->name, digest, &id) != STORE_OK) {
        cli_error("user", "%s", store_conn_error(c));
        return 1;
    }
    printf("%s\n", secret);
    return 0;
}

int cmd_user(int argc, char **argv)
{
    static const struct option opts[] = {
        {"db", required_argument, NULL, 'd'},    {"pg", required_argument, NULL, 'p'},
        {"login", required_argument, NULL, 'l'}, {"name", required_argument, NULL, 'n'},
        {"roles", required_argument, NULL, 'r'}, {"org", required_argument, NULL, 'o'},
        {"phone", required_argument, NULL, 'P'}, {"password-stdin", no_argument, NULL, 's'},
        {"help", no_argument, NULL, 'h'},        {NULL, 0, NULL, 0},
    };
    struct user_opts o = {0};
    struct store *st;
    struct store_conn *c;
    const char *sub;
    char err[256];
    int opt, rc;

    if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        fputs(user_usage, argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    sub = argv[1];
    if (strcmp(sub, "add") != 0 && strcmp(sub, "passwd") != 0 && strcmp(sub, "token") != 0) {
        cli_error("user", "unknown subcommand '%s' (add, passwd or token)", sub);
        return 2;
    }
    cli_db_defaults(&o.db);
    optind = 1;
    while ((opt = getopt_long(argc - 1, argv + 1, "h", opts, NULL)) != -1) {
        switch (opt) {
        case 'd':
            o.db.kind = STORE_SQLITE;
            o.db.target = optarg;
            break;
        case 'p':
            o.db.kind = STORE_PG;
            o.db.target = optarg;
            break;
        case 'l':
            o.login = optarg;
            break;
        case 'n':
            o.name = optarg;
            break;
        case 'r':
            o.roles = optarg;
            break;
        case 'o':
            o.org = optarg;
            break;
        case 'P':
            o.phone = optarg;
            break;
        case 's':
            break; /* stdin is read whenever it is not a terminal */
        case 'h':
            fputs(user_usage, stdout);
            return 0;
        default:
            fputs(user_usage, stderr);
            return 2;
        }
    }
    if (auth_init(1) != 0) {
        cli_error("user", "cannot initialise libsodium");
        return 1;
    }
    st = cli_open_store(&o.db, 1);
    if (!st)
        return 1;
    c = store_conn_get(st, err, sizeof err);
    if (!c) {
        cli_error("user", "%s", err);
        store_close(st);
        return 1;
    }
    rc = strcmp(sub, "add") == 0      ? user_add(c, &o)
         : strcmp(sub, "passwd") == 0 ? user_passwd(c, &o)
                                      : user_token(c, &o);
    store_close(st);
    return rc;
}

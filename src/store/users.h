/*
 * users.h - staff accounts in the store. A user belongs to one organization and so to
 * one region; an actor sees users whose organization's region lies in its scope.
 * Password hashes are computed by the caller (auth/), never here.
 */
#ifndef JIEFEN_STORE_USERS_H
#define JIEFEN_STORE_USERS_H

#include "store/store.h"

/* Input for create and update; for update, NULL / 0 / -1 means "leave unchanged". */
struct store_user_in {
    const char *login;
    const char *name;
    const char *phone;
    const char *password_hash;
    unsigned roles; /* bitmask of enum role */
    int64_t org_id;
    int active;        /* 1, 0; -1 unchanged */
    const char *email; /* for notifications (NULL unchanged); "" clears it on update */
};

store_err store_user_create(struct store_conn *c, const struct store_actor *a,
                            const struct store_user_in *in, int64_t *id);
store_err store_user_update(struct store_conn *c, const struct store_actor *a, int64_t id,
                            const struct store_user_in *in, const char *fields);
store_err store_user_set_password(struct store_conn *c, const struct store_actor *a, int64_t id,
                                  const char *password_hash);

/*
 * One user as a one-row result. The row holds personal data (phone), so when `audit_read`
 * is set the read itself is audited.
 */
store_err store_user_get(struct store_conn *c, const struct store_actor *a, int64_t id,
                         int audit_read, struct store_rows **out);

struct store_user_filter {
    const char *q;     /* substring of login or name */
    int64_t org_id;    /* 0: any */
    int64_t region_id; /* 0: the whole scope; else that region's subtree */
    unsigned role;     /* 0: any; else users holding this role */
};
store_err store_user_list(struct store_conn *c, const struct store_actor *a,
                          const struct store_user_filter *f, const struct store_page *pg,
                          struct store_rows **out);

/* What authentication needs to know about a login. Not scoped: used before anyone is. */
struct store_user_auth {
    int64_t id;
    int active;
    char password_hash[256];
};
store_err store_user_auth_get(struct store_conn *c, const char *login, struct store_user_auth *out);

/* Who a user is, for building their actor. Not scoped. */
struct store_principal {
    int64_t user_id;
    char login[64];
    char name[256];
    unsigned roles;
    int active;
    int64_t org_id;
    char org_name[256];
    int64_t region_id;
    char region_name[256];
    char region_level[16];
    char region_path[REGION_PATH_MAX];
    int top; /* the region is a root of the tree */
};
store_err store_principal_get(struct store_conn *c, int64_t user_id, struct store_principal *out);

/*
 * 包案领导 an actor may name: active users holding the leader role in the actor's subtree or
 * in a region above it (a township's case may be led by a county leader): id, name,
 * org_name. `id` 0 lists them all, else only that user (empty when not such a leader).
 */
store_err store_leaders(struct store_conn *c, const struct store_actor *a, int64_t id,
                        struct store_rows **out);

/* Fills an actor from a principal and the request's address. */
void store_actor_from(struct store_actor *a, const struct store_principal *p, const char *ip);

#endif

/*
 * sessions.h - login sessions, API tokens and failed-login records in the store.
 *
 * Secrets (session cookies, API tokens) are never stored: only their SHA-256, so a copy
 * of the database does not let anyone act as a user. Everything lives in the database
 * rather than in process memory so that several server processes can share the load.
 */
#ifndef JIEFEN_STORE_SESSIONS_H
#define JIEFEN_STORE_SESSIONS_H

#include "store/store.h"

/* Records a new session (and audits the login). */
store_err store_session_create(struct store_conn *c, const struct store_actor *a,
                               const char *token_hash, const char *csrf_token, int64_t expires_at);

/* Finds a live session: not ended, not expired at `now`, its user active.
 * Fills *user_id and csrf (csrf_len bytes). STORE_NOT_FOUND if there is none. */
store_err store_session_find(struct store_conn *c, const char *token_hash, int64_t now,
                             int64_t *user_id, char *csrf, size_t csrf_len);

/* Ends the session (logout) and audits it. */
store_err store_session_end(struct store_conn *c, const struct store_actor *a,
                            const char *token_hash);

/* Creates an API token for user_id (in the actor's scope); *id gets its id. */
store_err store_token_create(struct store_conn *c, const struct store_actor *a, int64_t user_id,
                             const char *name, const char *token_hash, int64_t *id);

/* Finds the user of a live (unrevoked) token. *touch_id: the token's id when its use is due to
 * be noted (last noted over a minute before `now`: store_token_touch), else 0. */
store_err store_token_find(struct store_conn *c, const char *token_hash, int64_t now,
                           int64_t *user_id, int64_t *touch_id);

/* Notes the use of token `id` at `now` (api_tokens.last_used_at). */
store_err store_token_touch(struct store_conn *c, int64_t id, int64_t now);

/* Revokes a token of a user in scope. The row is kept, with revoked_at set. */
store_err store_token_revoke(struct store_conn *c, const struct store_actor *a, int64_t id);

/* Tokens (never their hashes) of users in scope. */
store_err store_token_list(struct store_conn *c, const struct store_actor *a,
                           const struct store_page *pg, struct store_rows **out);
/* One token, in scope. */
store_err store_token_get(struct store_conn *c, const struct store_actor *a, int64_t id,
                          struct store_rows **out);

/* Failed logins since a time: of this login from this address, and from this address for
 * any login, each with the time of the latest; and whether the login has logged in from
 * this address since then (a known address, spared the address-wide back-off). */
struct store_login_tries {
    int64_t pair_n, pair_last;
    int64_t ip_n, ip_last;
    int known;
};
store_err store_login_tries(struct store_conn *c, const char *login, const char *ip, int64_t since,
                            struct store_login_tries *out);

/* Records a failed login and audits it; `user_id` 0 and `region_path` NULL if the login
 * is unknown, else the account and its region. */
store_err store_login_failed(struct store_conn *c, const char *login, const char *ip,
                             int64_t user_id, const char *region_path);

#endif

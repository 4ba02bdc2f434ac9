/*
 * auth.h - passwords, secrets and tokens.
 *
 * Passwords are hashed with Argon2id (libsodium crypto_pwhash_str). Hashing is made slow
 * and memory-hungry on purpose, so the number of hashes running at once is bounded by a
 * semaphore: a burst of logins waits its turn instead of exhausting memory.
 *
 * auth_init() must be called once before any other function (it initialises libsodium
 * and the semaphore, the module's only state).
 */
#ifndef JIEFEN_AUTH_AUTH_H
#define JIEFEN_AUTH_AUTH_H

#include <stddef.h>

#define AUTH_HASH_MAX   128 /* crypto_pwhash_STRBYTES */
#define AUTH_TOKEN_LEN  48  /* room for a 32-byte secret in base64url plus a prefix */
#define AUTH_DIGEST_LEN 65  /* SHA-256 in hex plus NUL */

/* Returns 0, or -1 if libsodium cannot start. `max_hashing` bounds concurrent hashes. */
int auth_init(unsigned max_hashing);

/* Hashes a password into out (AUTH_HASH_MAX bytes). Returns 0, or -1 (out of memory). */
int auth_password_hash(const char *password, char *out);

/* Returns 1 if password matches hash, else 0. With hash NULL it still spends the time
 * of a verification, so that unknown logins answer as slowly as wrong passwords. */
int auth_password_verify(const char *hash, const char *password);

/* A fresh random secret: `prefix` followed by 32 random bytes in base64url. */
void auth_secret_new(const char *prefix, char *out, size_t outlen);

/* SHA-256 of a secret in hex, the form secrets are stored in. */
void auth_secret_digest(const char *secret, char *out);

/* Constant-time string comparison; returns 1 if equal. */
int auth_secret_equal(const char *a, const char *b);

/*
 * Exponential back-off instead of lock-out (issue 13, defect 4): after `n` failures of
 * which the first `free` cost nothing, the next attempt waits 1 s, 2 s, 4 s ... after the
 * latest failure, never more than cap_ms. Returns that wait in milliseconds (0: none).
 * A wait, unlike a lock, ends however many failures an attacker piles up.
 */
long long auth_backoff_ms(long long n, int free, long long cap_ms);

#endif

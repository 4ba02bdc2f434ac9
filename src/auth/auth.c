#include "auth/auth.h"

#include <semaphore.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

/* The module's one piece of state: initialised once by auth_init, then only waited on. */
static sem_t hashing;
static char dummy_hash[AUTH_HASH_MAX];

int auth_init(unsigned max_hashing)
{
    if (sodium_init() < 0)
        return -1;
    if (sem_init(&hashing, 0, max_hashing ? max_hashing : 2) != 0)
        return -1;
    return auth_password_hash("jiefen dummy password for timing", dummy_hash);
}

static void acquire(void)
{
    while (sem_wait(&hashing) != 0)
        ; /* EINTR: wait again */
}

int auth_password_hash(const char *password, char *out)
{
    int rc;

    acquire();
    rc = crypto_pwhash_str(out, password, strlen(password), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                           crypto_pwhash_MEMLIMIT_INTERACTIVE);
    sem_post(&hashing);
    return rc == 0 ? 0 : -1;
}

int auth_password_verify(const char *hash, const char *password)
{
    int rc;

    acquire();
    rc = crypto_pwhash_str_verify(hash ? hash : dummy_hash, password, strlen(password));
    sem_post(&hashing);
    return hash && rc == 0;
}

void auth_secret_new(const char *prefix, char *out, size_t outlen)
{
    unsigned char raw[32];
    char b64[sodium_base64_ENCODED_LEN(32, sodium_base64_VARIANT_URLSAFE_NO_PADDING)];

    randombytes_buf(raw, sizeof raw);
    sodium_bin2base64(b64, sizeof b64, raw, sizeof raw, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    snprintf(out, outlen, "%s%s", prefix, b64);
    sodium_memzero(raw, sizeof raw);
}

void auth_secret_digest(const char *secret, char *out)
{
    unsigned char d[crypto_hash_sha256_BYTES];

    crypto_hash_sha256(d, (const unsigned char *)secret, strlen(secret));
    sodium_bin2hex(out, AUTH_DIGEST_LEN, d, sizeof d);
}

int auth_secret_equal(const char *a, const char *b)
{
    size_t n = strlen(a);
    return n == strlen(b) && sodium_memcmp(a, b, n) == 0;
}

long long auth_backoff_ms(long long n, int free, long long cap_ms)
{
    long long over = n - free, ms = 1000;

    if (over <= 0)
        return 0;
    while (--over > 0 && ms < cap_ms)
        ms *= 2;
    return ms < cap_ms ? ms : cap_ms;
}

/*
 * seal.c - sealed fields: key file, secretbox sealing, blind index, normalisers, masks.
 *
 * The handle lives in sodium_malloc'd memory (guard pages, excluded from core dumps where
 * the system allows, wiped on free) and is made read-only once the keys are in, so a stray
 * write elsewhere in the server faults instead of corrupting a key.
 */
#include "seal/seal.h"

#include <sodium.h>

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define SEAL_KEY_BYTES   32 /* crypto_kdf_KEYBYTES, crypto_secretbox_KEYBYTES */
#define SEAL_INDEX_BYTES 32 /* BLAKE2b-256 */
#define SEAL_PREFIX      "v1:"
#define SEAL_PREFIX_LEN  3
#define SEAL_HEAD        (1 + crypto_secretbox_NONCEBYTES) /* key id, nonce */
#define SEAL_MAX_RAW     (SEAL_HEAD + crypto_secretbox_MACBYTES + SEAL_MAX_PLAIN + SEAL_PAD_BLOCK)

/* Subkey contexts: exactly crypto_kdf_CONTEXTBYTES (8) characters each. */
static const char seal__ctx_box[] = "jiefenSB";
static const char seal__ctx_index[] = "jiefenBI";

struct seal_key {
    unsigned char id;
    unsigned char box[SEAL_KEY_BYTES];   /* secretbox key */
    unsigned char index[SEAL_KEY_BYTES]; /* blind index key */
};

/* The keys of one reading of the key file: guarded memory, read-only once parsed. */
struct seal_ring {
    int nkeys;
    int current; /* index into keys[] of the key that seals and indexes */
    struct seal_key keys[SEAL_MAX_KEYS];
};

/*
 * The handle every caller holds: a pointer to the ring in use, swapped atomically by
 * seal_reload, so a request that loaded the pointer keeps a consistent set of keys. A ring
 * replaced by a reload is kept (in `old`) until seal_close: a thread may still be using it,
 * and reloads are rare (an operator's SIGHUP), so the few kilobytes are not worth a
 * reference count on every call.
 */
struct seal {
    _Atomic(struct seal_ring *) ring;
    pthread_mutex_t mu; /* serialises reloads */
    int nold;
    struct seal_ring *old[SEAL_MAX_RELOADS];
};

static const struct seal_ring *seal__ring(const struct seal *s)
{
    return atomic_load_explicit(&((struct seal *)s)->ring, memory_order_acquire);
}

static void seal__err(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void seal__err(char *err, size_t errlen, const char *fmt, ...)
{
    va_list ap;

    if (err == NULL || errlen == 0)
        return;
    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
}

/* Writes all of buf to fd, retrying short writes and EINTR. Returns 0 or -1 (errno set). */
static int seal__write_all(int fd, const char *buf, size_t len)
{
    while (len > 0) {
        ssize_t w = write(fd, buf, len);

        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return -1;
        buf += w;
        len -= (size_t)w;
    }
    return 0;
}

/* fsyncs the directory holding `path`, so a newly linked key file survives a crash. */
static void seal__sync_dir(const char *path)
{
    char dir[4096];
    const char *slash = strrchr(path, '/');
    size_t len;
    int fd;

    if (slash == NULL) {
        strcpy(dir, ".");
    } else {
        len = slash == path ? 1 : (size_t)(slash - path);
        if (len >= sizeof dir)
            return;
        memcpy(dir, path, len);
        dir[len] = '\0';
    }
    fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return;
    (void)fsync(fd);
    close(fd);
}

/*
 * Creates a key file holding one new random key with id 1. The key is written to a
 * private temporary file and linked into place, so a reader never sees half a key and two
 * servers starting at once cannot both create one: the second link fails with EEXIST and
 * that server reads the first one's key. Returns 0 (also when the file appeared
 * meanwhile) or -1 with err set.
 */
static int seal__create(const char *path, char *err, size_t errlen)
{
    unsigned char master[SEAL_KEY_BYTES];
    char hex[2 * SEAL_KEY_BYTES + 1];
    char text[256];
    char tmp[4096];
    int fd = -1, rc = -1, n;

    n = snprintf(tmp, sizeof tmp, "%s.XXXXXX", path);
    if (n < 0 || (size_t)n >= sizeof tmp) {
        seal__err(err, errlen, "key file path too long");
        return -1;
    }
    crypto_kdf_keygen(master);
    sodium_bin2hex(hex, sizeof hex, master, sizeof master);
    n = snprintf(text, sizeof text,
                 "# jiefen seal key file: \"<key id> <64 hex digits>\" per line; the last line "
                 "seals.\n# Losing this file loses the sealed data: back it up.\n1 %s\n",
                 hex);
    /* mkstemp creates the file with mode 0600 (glibc, POSIX.1-2008). */
    fd = mkstemp(tmp);
    if (fd < 0) {
        seal__err(err, errlen, "cannot create key file %s: %s", path, strerror(errno));
        goto out;
    }
    if (fchmod(fd, 0600) != 0 || n < 0 || (size_t)n >= sizeof text ||
        seal__write_all(fd, text, (size_t)n) != 0 || fsync(fd) != 0) {
        seal__err(err, errlen, "cannot write key file %s: %s", path, strerror(errno));
        goto out;
    }
    if (link(tmp, path) != 0 && errno != EEXIST) {
        seal__err(err, errlen, "cannot create key file %s: %s", path, strerror(errno));
        goto out;
    }
    seal__sync_dir(path);
    rc = 0;
out:
    if (fd >= 0) {
        close(fd);
        unlink(tmp);
    }
    sodium_memzero(master, sizeof master);
    sodium_memzero(hex, sizeof hex);
    sodium_memzero(text, sizeof text);
    return rc;
}

/*
 * Reads the whole key file into buf (SEAL_MAX_KEY_FILE + 1 bytes), checking that it is a
 * regular file private to its owner. Returns the length or -1 with err set; ENOENT is
 * left in errno so the caller can offer to create the file.
 */
static long seal__read_file(const char *path, char *buf, char *err, size_t errlen)
{
    struct stat st;
    size_t len = 0;
    long rc = -1;
    int fd, saved;

    /* Symbolic links are followed on purpose: container secrets are mounted as links. */
    fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        saved = errno;
        seal__err(err, errlen, "cannot open key file %s: %s", path, strerror(saved));
        errno = saved;
        return -1;
    }
    if (fstat(fd, &st) != 0) {
        seal__err(err, errlen, "cannot stat key file %s: %s", path, strerror(errno));
        goto out;
    }
    if (!S_ISREG(st.st_mode)) {
        seal__err(err, errlen, "key file %s is not a regular file", path);
        goto out;
    }
    if ((st.st_mode & (S_IRWXG | S_IRWXO)) != 0) {
        seal__err(err, errlen,
                  "key file %s is accessible to group or others (mode %03o): run chmod 600 on it",
                  path, (unsigned)(st.st_mode & 0777));
        goto out;
    }
    while (len <= SEAL_MAX_KEY_FILE) {
        ssize_t r = read(fd, buf + len, SEAL_MAX_KEY_FILE + 1 - len);

        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            seal__err(err, errlen, "cannot read key file %s: %s", path, strerror(errno));
            goto out;
        }
        if (r == 0)
            break;
        len += (size_t)r;
    }
    if (len > SEAL_MAX_KEY_FILE) {
        seal__err(err, errlen, "key file %s is larger than %d bytes", path, SEAL_MAX_KEY_FILE);
        goto out;
    }
    rc = (long)len;
out:
    close(fd);
    errno = 0;
    return rc;
}

/* Parses "<id>" as 1..255 in decimal without sign or leading zero. Returns it or -1. */
static int seal__parse_id(const char *p, size_t len)
{
    int v = 0;

    if (len == 0 || len > 3 || p[0] == '0')
        return -1;
    for (size_t i = 0; i < len; i++) {
        if (p[i] < '0' || p[i] > '9')
            return -1;
        v = v * 10 + (p[i] - '0');
    }
    return v <= 255 ? v : -1;
}

/*
 * Parses one key line (without its line end) into s->keys[s->nkeys] and derives the
 * subkeys. Returns 1 if a key was added, 0 for a blank or comment line, -1 if malformed.
 */
static int seal__parse_line(struct seal_ring *s, const char *line, size_t len, int lineno,
                            const char *path, char *err, size_t errlen)
{
    const char *tok[3];
    size_t toklen[3];
    unsigned char master[SEAL_KEY_BYTES];
    size_t ntok = 0, i = 0, binlen = 0;
    const char *end = NULL;
    struct seal_key *k;
    int id = 1, rc = -1;

    while (i < len) {
        while (i < len && (line[i] == ' ' || line[i] == '\t' || line[i] == '\r'))
            i++;
        if (i == len)
            break;
        if (ntok == 0 && line[i] == '#')
            return 0;
        if (ntok == 3)
            goto bad;
        tok[ntok] = line + i;
        while (i < len && line[i] != ' ' && line[i] != '\t' && line[i] != '\r')
            i++;
        toklen[ntok] = (size_t)(line + i - tok[ntok]);
        ntok++;
    }
    if (ntok == 0)
        return 0;
    if (ntok > 2)
        goto bad;
    if (ntok == 2) {
        id = seal__parse_id(tok[0], toklen[0]);
        if (id < 0)
            goto bad;
    }
    if (toklen[ntok - 1] != 2 * SEAL_KEY_BYTES ||
        sodium_hex2bin(master, sizeof master, tok[ntok - 1], toklen[ntok - 1], NULL, &binlen,
                       &end) != 0 ||
        binlen != SEAL_KEY_BYTES || end != tok[ntok - 1] + toklen[ntok - 1])
        goto bad;
    for (int j = 0; j < s->nkeys; j++) {
        if (s->keys[j].id == id) {
            seal__err(err, errlen, "key file %s, line %d: key id %d appears twice", path, lineno,
                      id);
            goto out;
        }
    }
    if (s->nkeys == SEAL_MAX_KEYS) {
        seal__err(err, errlen, "key file %s: more than %d keys", path, SEAL_MAX_KEYS);
        goto out;
    }
    k = &s->keys[s->nkeys];
    k->id = (unsigned char)id;
    if (crypto_kdf_derive_from_key(k->box, sizeof k->box, 1, seal__ctx_box, master) != 0 ||
        crypto_kdf_derive_from_key(k->index, sizeof k->index, 1, seal__ctx_index, master) != 0) {
        seal__err(err, errlen, "key file %s, line %d: key derivation failed", path, lineno);
        goto out;
    }
    s->current = s->nkeys++;
    rc = 1;
    goto out;
bad:
    seal__err(err, errlen, "key file %s, line %d: expected \"<key id 1-255> <64 hex digits>\"",
              path, lineno);
out:
    sodium_memzero(master, sizeof master);
    return rc;
}

static void seal__ring_free(struct seal_ring *s)
{
    if (s == NULL)
        return;
    sodium_mprotect_readwrite(s);
    sodium_memzero(s, sizeof *s);
    sodium_free(s);
}

static int seal__load(struct seal_ring **out, const char *key_file, int create, char *err,
                      size_t errlen)
{
    char *buf = NULL;
    struct seal_ring *s = NULL;
    long len;
    size_t start = 0;
    int lineno = 0, rc = -1;

    *out = NULL;
    if (key_file == NULL || key_file[0] == '\0') {
        seal__err(err, errlen, "no key file given");
        return -1;
    }
    /* Idempotent and thread-safe; needed before randombytes and sodium_malloc. */
    if (sodium_init() < 0) {
        seal__err(err, errlen, "libsodium failed to initialise");
        return -1;
    }
    /* Guarded memory for the file text too: it holds the master keys in hex. */
    buf = sodium_malloc(SEAL_MAX_KEY_FILE + 1);
    s = sodium_malloc(sizeof *s);
    if (buf == NULL || s == NULL) {
        seal__err(err, errlen, "out of memory");
        goto out;
    }
    memset(s, 0, sizeof *s);
    len = seal__read_file(key_file, buf, err, errlen);
    if (len < 0 && errno == ENOENT && create) {
        if (seal__create(key_file, err, errlen) != 0)
            goto out;
        len = seal__read_file(key_file, buf, err, errlen);
    }
    if (len < 0)
        goto out;
    for (size_t i = 0; i <= (size_t)len; i++) {
        if (i < (size_t)len && buf[i] != '\n')
            continue;
        lineno++;
        if (seal__parse_line(s, buf + start, i - start, lineno, key_file, err, errlen) < 0)
            goto out;
        start = i + 1;
    }
    if (s->nkeys == 0) {
        seal__err(err, errlen, "key file %s holds no key", key_file);
        goto out;
    }
    sodium_mprotect_readonly(s);
    *out = s;
    s = NULL;
    rc = 0;
out:
    sodium_free(buf); /* sodium_free wipes before freeing; NULL-safe */
    sodium_free(s);
    return rc;
}

int seal_open(struct seal **out, const char *key_file, int create, char *err, size_t errlen)
{
    struct seal_ring *ring = NULL;
    struct seal *s;

    *out = NULL;
    if (seal__load(&ring, key_file, create, err, errlen) != 0)
        return -1;
    s = calloc(1, sizeof *s);
    if (s == NULL || pthread_mutex_init(&s->mu, NULL) != 0) {
        free(s);
        seal__ring_free(ring);
        seal__err(err, errlen, "out of memory");
        return -1;
    }
    atomic_init(&s->ring, ring);
    *out = s;
    return 0;
}

int seal_reload(struct seal *s, const char *key_file, char *err, size_t errlen)
{
    struct seal_ring *ring = NULL;
    int rc = -1;

    if (seal__load(&ring, key_file, 0, err, errlen) != 0)
        return -1;
    pthread_mutex_lock(&s->mu);
    if (s->nold == SEAL_MAX_RELOADS) {
        seal__err(err, errlen, "key file %s: more than %d reloads, restart the server", key_file,
                  SEAL_MAX_RELOADS);
        seal__ring_free(ring);
    } else {
        s->old[s->nold++] = atomic_exchange(&s->ring, ring);
        rc = 0;
    }
    pthread_mutex_unlock(&s->mu);
    return rc;
}

void seal_close(struct seal *s)
{
    if (s == NULL)
        return;
    for (int i = 0; i < s->nold; i++)
        seal__ring_free(s->old[i]);
    seal__ring_free(atomic_load(&s->ring));
    pthread_mutex_destroy(&s->mu);
    free(s);
}

int seal_current_key_id(const struct seal *s)
{
    const struct seal_ring *r = seal__ring(s);

    return r->keys[r->current].id;
}

int seal_key_ids(const struct seal *s, int *ids, int max)
{
    const struct seal_ring *r = seal__ring(s);
    int n = 0;

    for (int i = 0; i < r->nkeys && n < max; i++)
        ids[n++] = r->keys[i].id;
    return r->nkeys;
}

static const struct seal_key *seal__find_key(const struct seal_ring *s, int id)
{
    for (int i = 0; i < s->nkeys; i++)
        if (s->keys[i].id == id)
            return &s->keys[i];
    return NULL;
}

/*
 * Decodes the base64url after "v1:" into raw (SEAL_MAX_RAW bytes). Returns the number of
 * bytes, or -1 if the text is not sealed text of this version or has an impossible size.
 */
static long seal__decode(const char *sealed, unsigned char *raw)
{
    size_t len, rawlen = 0;
    const char *end = NULL;

    if (sealed == NULL || strncmp(sealed, SEAL_PREFIX, SEAL_PREFIX_LEN) != 0)
        return -1;
    len = strnlen(sealed, SEAL_MAX_SEALED + 1);
    if (len > SEAL_MAX_SEALED)
        return -1;
    if (sodium_base642bin(raw, SEAL_MAX_RAW, sealed + SEAL_PREFIX_LEN, len - SEAL_PREFIX_LEN, NULL,
                          &rawlen, &end, sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 ||
        end != sealed + len)
        return -1;
    if (rawlen < SEAL_HEAD + crypto_secretbox_MACBYTES + SEAL_PAD_BLOCK)
        return -1;
    return (long)rawlen;
}

int seal_key_id(const char *sealed)
{
    unsigned char *raw = malloc(SEAL_MAX_RAW);
    int id = -1;

    if (raw != NULL && seal__decode(sealed, raw) > 0)
        id = raw[0];
    free(raw);
    return id;
}

char *seal_encrypt(const struct seal *s, const char *plain)
{
    const struct seal_ring *r = seal__ring(s);
    const struct seal_key *k = &r->keys[r->current];
    unsigned char *padded = NULL, *raw = NULL;
    char *text = NULL;
    size_t len, padlen = 0, rawlen, textlen;

    if (plain == NULL)
        return NULL;
    len = strnlen(plain, SEAL_MAX_PLAIN + 1);
    if (len > SEAL_MAX_PLAIN)
        return NULL;
    padded = malloc(len + SEAL_PAD_BLOCK);
    raw = malloc(SEAL_MAX_RAW);
    if (padded == NULL || raw == NULL)
        goto out;
    memcpy(padded, plain, len);
    if (sodium_pad(&padlen, padded, len, SEAL_PAD_BLOCK, len + SEAL_PAD_BLOCK) != 0)
        goto out;
    raw[0] = k->id;
    randombytes_buf(raw + 1, crypto_secretbox_NONCEBYTES);
    if (crypto_secretbox_easy(raw + SEAL_HEAD, padded, padlen, raw + 1, k->box) != 0)
        goto out;
    rawlen = SEAL_HEAD + crypto_secretbox_MACBYTES + padlen;
    textlen = sodium_base64_ENCODED_LEN(rawlen, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    text = malloc(SEAL_PREFIX_LEN + textlen);
    if (text == NULL)
        goto out;
    memcpy(text, SEAL_PREFIX, SEAL_PREFIX_LEN);
    sodium_bin2base64(text + SEAL_PREFIX_LEN, textlen, raw, rawlen,
                      sodium_base64_VARIANT_URLSAFE_NO_PADDING);
out:
    if (padded != NULL)
        sodium_memzero(padded, len + SEAL_PAD_BLOCK);
    free(padded);
    free(raw);
    return text;
}

int seal_decrypt(const struct seal *s, const char *sealed, char **plain)
{
    const struct seal_key *k;
    unsigned char *raw = NULL, *box = NULL;
    size_t boxlen = 0, len = 0;
    long rawlen;
    int rc = SEAL_ENOMEM;

    *plain = NULL;
    raw = malloc(SEAL_MAX_RAW);
    box = malloc(SEAL_MAX_RAW);
    if (raw == NULL || box == NULL)
        goto out;
    rc = SEAL_EINVAL;
    rawlen = seal__decode(sealed, raw);
    if (rawlen < 0)
        goto out;
    k = seal__find_key(seal__ring(s), raw[0]);
    if (k == NULL)
        goto out;
    boxlen = (size_t)rawlen - SEAL_HEAD - crypto_secretbox_MACBYTES;
    if (crypto_secretbox_open_easy(box, raw + SEAL_HEAD, (size_t)rawlen - SEAL_HEAD, raw + 1,
                                   k->box) != 0)
        goto out;
    /* The MAC held, so a bad pad or a NUL means a bug, not an attacker; refuse anyway. */
    if (sodium_unpad(&len, box, boxlen, SEAL_PAD_BLOCK) != 0 || memchr(box, '\0', len) != NULL)
        goto out;
    rc = SEAL_ENOMEM;
    *plain = malloc(len + 1);
    if (*plain == NULL)
        goto out;
    memcpy(*plain, box, len);
    (*plain)[len] = '\0';
    rc = SEAL_OK;
out:
    if (box != NULL)
        sodium_memzero(box, SEAL_MAX_RAW);
    free(box);
    free(raw);
    return rc;
}

static void seal__index_with(const struct seal_key *k, const char *kind,
                             const char *normalised_value, char out[SEAL_INDEX_LEN])
{
    crypto_generichash_state st;
    unsigned char digest[SEAL_INDEX_BYTES];

    if (kind == NULL)
        kind = "";
    if (normalised_value == NULL)
        normalised_value = "";
    /* The NUL after kind ends it unambiguously: no kind is a prefix of kind+value. */
    crypto_generichash_init(&st, k->index, sizeof k->index, sizeof digest);
    crypto_generichash_update(&st, (const unsigned char *)kind, strlen(kind) + 1);
    crypto_generichash_update(&st, (const unsigned char *)normalised_value,
                              strlen(normalised_value));
    crypto_generichash_final(&st, digest, sizeof digest);
    sodium_bin2hex(out, SEAL_INDEX_LEN, digest, sizeof digest);
    sodium_memzero(&st, sizeof st);
}

void seal_index(const struct seal *s, const char *kind, const char *normalised_value,
                char out[SEAL_INDEX_LEN])
{
    const struct seal_ring *r = seal__ring(s);

    seal__index_with(&r->keys[r->current], kind, normalised_value, out);
}

void seal_index_other(const struct seal *s, const char *kind, const char *normalised_value,
                      char out[SEAL_INDEX_LEN])
{
    const struct seal_ring *r = seal__ring(s);
    /* The key line before the current (last) one; the current itself when it is alone. */
    int i = r->nkeys > 1 ? r->current - 1 : r->current;

    seal__index_with(&r->keys[i], kind, normalised_value, out);
}

void seal_index_oldest(const struct seal *s, const char *kind, const char *normalised_value,
                       char out[SEAL_INDEX_LEN])
{
    const struct seal_ring *r = seal__ring(s);
    int oldest = 0;

    for (int i = 1; i < r->nkeys; i++)
        if (r->keys[i].id < r->keys[oldest].id)
            oldest = i;
    seal__index_with(&r->keys[oldest], kind, normalised_value, out);
}

/* Empties out (when it has room) and returns -1: the failure path of the pure helpers. */
static int seal__fail(char *out, size_t n)
{
    if (out != NULL && n > 0)
        out[0] = '\0';
    return -1;
}

static int seal__is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

int seal_norm_id_number(const char *in, char *out, size_t n)
{
    /* GB 11643-1999: weights 2^(17-i) mod 11, check = (12 - sum mod 11) mod 11, 10 is X. */
    static const int weight[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
    static const char check[] = "10X98765432";
    size_t len;
    int sum = 0;
    char last;

    if (in == NULL || out == NULL || n < SEAL_ID_LEN)
        return seal__fail(out, n);
    while (seal__is_space(*in))
        in++;
    len = strnlen(in, 64);
    while (len > 0 && seal__is_space(in[len - 1]))
        len--;
    if (len != 18)
        return seal__fail(out, n);
    for (int i = 0; i < 17; i++) {
        if (in[i] < '0' || in[i] > '9')
            return seal__fail(out, n);
        sum += (in[i] - '0') * weight[i];
    }
    last = in[17] == 'x' ? 'X' : in[17];
    if (last != check[sum % 11])
        return seal__fail(out, n);
    memcpy(out, in, 17);
    out[17] = last;
    out[18] = '\0';
    return 0;
}

int seal_norm_phone(const char *in, char *out, size_t n)
{
    char d[24];
    const char *p;
    size_t nd = 0, skip = 0;
    int plus = 0, intl = 0;

    if (in == NULL || out == NULL || n < SEAL_PHONE_LEN)
        return seal__fail(out, n);
    for (p = in; *p != '\0'; p++) {
        if (*p >= '0' && *p <= '9') {
            /* Room for one trunk 0 put back below; longer is no Chinese number. */
            if (nd == sizeof d - 2)
                return seal__fail(out, n);
            d[nd++] = *p;
        } else if (*p == '+' && nd == 0 && !plus) {
            plus = 1;
        } else if (!(seal__is_space(*p) || *p == '-' || *p == '.' || *p == '(' || *p == ')')) {
            return seal__fail(out, n);
        }
    }
    d[nd] = '\0';
    if (plus) {
        if (nd < 2 || memcmp(d, "86", 2) != 0)
            return seal__fail(out, n);
        skip = 2;
        intl = 1;
    } else if (nd >= 4 && memcmp(d, "0086", 4) == 0) {
        skip = 4;
        intl = 1;
    }
    /* strncmp above matched, so skip <= nd; said again for the compiler's bounds check. */
    if (skip > nd)
        return seal__fail(out, n);
    nd -= skip;
    memmove(d, d + skip, nd);
    /* Internationally a landline drops its trunk 0: +86 28 1234 5678 is 028-12345678. */
    if (intl && nd > 0 && d[0] != '0' && d[0] != '1') {
        memmove(d + 1, d, nd);
        d[0] = '0';
        nd++;
    }
    d[nd] = '\0';
    /* mobile: 1[3-9] and nine more digits; landline: area code 0xx or 0xxx, then a 7- or
     * 8-digit local number */
    if (!(nd == 11 && d[0] == '1' && d[1] >= '3') &&
        !(nd >= 10 && nd <= 12 && d[0] == '0' && d[1] != '0'))
        return seal__fail(out, n);
    memcpy(out, d, nd + 1);
    return 0;
}

/*
 * The length of the valid UTF-8 sequence at p (1 to 4), or 0 if p does not start one
 * (overlong forms, surrogates and code points past U+10FFFF are invalid).
 */
static int seal__u8len(const unsigned char *p)
{
    if (p[0] < 0x80)
        return 1;
    if (p[0] >= 0xC2 && p[0] <= 0xDF)
        return (p[1] & 0xC0) == 0x80 ? 2 : 0;
    if (p[0] >= 0xE0 && p[0] <= 0xEF) {
        if ((p[1] & 0xC0) != 0x80 || (p[2] & 0xC0) != 0x80)
            return 0;
        if ((p[0] == 0xE0 && p[1] < 0xA0) || (p[0] == 0xED && p[1] >= 0xA0))
            return 0;
        return 3;
    }
    if (p[0] >= 0xF0 && p[0] <= 0xF4) {
        if ((p[1] & 0xC0) != 0x80 || (p[2] & 0xC0) != 0x80 || (p[3] & 0xC0) != 0x80)
            return 0;
        if ((p[0] == 0xF0 && p[1] < 0x90) || (p[0] == 0xF4 && p[1] >= 0x90))
            return 0;
        return 4;
    }
    return 0;
}

/* Appends len bytes to out[n] at *pos, always leaving room for the NUL. */
static int seal__put(char *out, size_t n, size_t *pos, const char *src, size_t len)
{
    if (len >= n - *pos)
        return -1;
    memcpy(out + *pos, src, len);
    *pos += len;
    return 0;
}

/*
 * Writes the first `head` characters of in, then `stars` '*' (at most SEAL_MASK_STARS),
 * then the last `tail` characters. Characters are UTF-8 sequences.
 */
static int seal__mask(const char *in, size_t nchars, size_t head, size_t stars, size_t tail,
                      char *out, size_t n)
{
    const unsigned char *p = (const unsigned char *)in;
    size_t pos = 0, i = 0;
    int l;

    if (stars > SEAL_MASK_STARS)
        stars = SEAL_MASK_STARS;
    for (; *p != '\0'; p += l, i++) {
        l = seal__u8len(p);
        if (i == head) {
            for (size_t s = 0; s < stars; s++)
                if (seal__put(out, n, &pos, "*", 1) != 0)
                    return seal__fail(out, n);
        }
        if ((i < head || i >= nchars - tail) && seal__put(out, n, &pos, (const char *)p, l) != 0)
            return seal__fail(out, n);
    }
    if (i == head) {
        for (size_t s = 0; s < stars; s++)
            if (seal__put(out, n, &pos, "*", 1) != 0)
                return seal__fail(out, n);
    }
    out[pos] = '\0';
    return 0;
}

/* Counts the UTF-8 characters of in, or returns -1 if it is not valid UTF-8. */
static long seal__count(const char *in)
{
    const unsigned char *p = (const unsigned char *)in;
    long count = 0;
    int l;

    for (; *p != '\0'; p += l, count++) {
        l = seal__u8len(p);
        if (l == 0)
            return -1;
    }
    return count;
}

/* Keeps head and tail characters with '*' between, or all '*' if nothing would be hidden. */
static int seal__mask_ends(const char *in, size_t head, size_t tail, char *out, size_t n)
{
    long count;

    if (out == NULL || n == 0)
        return -1;
    if (in == NULL)
        return seal__fail(out, n);
    count = seal__count(in);
    if (count < 0)
        return seal__fail(out, n);
    if ((size_t)count <= head + tail)
        return seal__mask(in, (size_t)count, 0, (size_t)count, 0, out, n);
    return seal__mask(in, (size_t)count, head, (size_t)count - head - tail, tail, out, n);
}

int seal_mask_id(const char *in, char *out, size_t n)
{
    return seal__mask_ends(in, 6, 4, out, n);
}

int seal_mask_phone(const char *in, char *out, size_t n)
{
    return seal__mask_ends(in, 3, 4, out, n);
}

int seal_mask_address(const char *in, char *out, size_t n)
{
    long count;
    size_t head;

    if (out == NULL || n == 0)
        return -1;
    if (in == NULL)
        return seal__fail(out, n);
    count = seal__count(in);
    if (count < 0)
        return seal__fail(out, n);
    head = (size_t)count / 2 < 6 ? (size_t)count / 2 : 6;
    return seal__mask(in, (size_t)count, head, 4, 0, out, n);
}

/*
 * cmd_key.c - `jiefen key`: rotating the key that seals personal data without downtime
 * (个人信息保护法 art. 51(3): encryption and other security measures; docs/security-data.md).
 *
 *   jiefen key add     [--key FILE]   a new key line BEFORE the last one: known, not current
 *   jiefen key promote [--key FILE]   the newest key moved last: it seals from now on
 *   jiefen key rotate  [--db FILE | --pg CONNINFO] [--key FILE] [--batch N]
 *                   [--batches N]     re-seals and re-indexes every value on another key,
 *                                     N rows per transaction (200); --batches stops after
 *                                     N transactions (to spread the work; rerun to go on)
 *   jiefen key retire  [--db FILE | --pg CONNINFO] [--key FILE]
 *                                     deletes every key line but the last, when nothing
 *                                     in the database is sealed with them any more
 *
 * After add and after promote every running `jiefen serve` is sent SIGHUP (it re-reads the
 * key file, src/seal seal_reload): a server must be able to open the new key's values
 * before anything is sealed with it. While two keys are listed, look-ups by number ask for
 * both keys' blind indexes (seal_index_other), so rows not yet rotated are still found.
 */
#include "cli/cli.h"
#include "seal/seal.h"

#include <sodium.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define KEY_FILE_MAX 4096

struct opts {
    struct cli_db db;
    const char *verb, *key;
    long batch, batches; /* rows per transaction; transactions before stopping (0: all) */
};

/* One sealed column, with its blind index column and kind when it has one. */
struct sealed_col {
    const char *sealed, *index, *kind;
};

struct sealed_table {
    const char *table;
    struct sealed_col cols[3];
};

/* Every sealed column in the schema (grep seal_encrypt): parties, key persons, staff-side
 * phones (migration 29), notification endpoints' secrets. */
static const struct sealed_table tables[] = {
    {"case_parties",
     {{"id_sealed", "id_index", "id"},
      {"phone_sealed", "phone_index", "phone"},
      {"address_sealed", NULL, NULL}}},
    {"key_persons",
     {{"name_sealed", NULL, NULL},
      {"id_sealed", "id_index", "id"},
      {"phone_sealed", "phone_index", "phone"}}},
    {"users", {{"phone_sealed", "phone_index", "phone"}}},
    {"mediators", {{"phone_sealed", "phone_index", "phone"}}},
    {"experts", {{"phone_sealed", "phone_index", "phone"}}},
    {"grid_workers", {{"phone_sealed", "phone_index", "phone"}}},
    {"notify_endpoints", {{"secret", NULL, NULL}}},
};
#define NTABLES (sizeof tables / sizeof tables[0])

static void usage(void)
{
    fprintf(stderr, "usage: jiefen key add|promote [--key FILE]\n"
                    "       jiefen key rotate [--db FILE | --pg CONNINFO] [--key FILE]"
                    " [--batch N] [--batches N]\n"
                    "       jiefen key retire [--db FILE | --pg CONNINFO] [--key FILE]\n");
}

static int parse(int argc, char **argv, struct opts *o)
{
    static const char *verbs[] = {"add", "promote", "rotate", "retire"};

    cli_db_defaults(&o->db);
    o->batch = 200;
    for (int i = 1; i < argc; i++) {
        if (cli_db_arg(&o->db, argc, argv, &i))
            continue;
        if (strcmp(argv[i], "--key") == 0 && i + 1 < argc)
            o->key = argv[++i];
        else if (strcmp(argv[i], "--batch") == 0 && i + 1 < argc && atol(argv[i + 1]) > 0)
            o->batch = atol(argv[++i]);
        else if (strcmp(argv[i], "--batches") == 0 && i + 1 < argc && atol(argv[i + 1]) > 0)
            o->batches = atol(argv[++i]);
        else if (!o->verb) {
            for (size_t v = 0; v < sizeof verbs / sizeof verbs[0]; v++)
                if (strcmp(argv[i], verbs[v]) == 0)
                    o->verb = verbs[v];
            if (!o->verb)
                break;
        } else {
            o->verb = NULL;
            break;
        }
    }
    if (!o->verb || o->batch > 10000) {
        usage();
        return 2;
    }
    return 0;
}

/* ---- the key file as lines ---- */

struct key_text {
    char buf[KEY_FILE_MAX + 1];
    char *line[256];
    int nlines;
};

static int is_key_line(const char *l)
{
    l += strspn(l, " \t\r");
    return *l && *l != '#';
}

/* The key id of a key line: "<id> <hex>", or a bare hex key (id 1). */
static int line_key_id(const char *l)
{
    l += strspn(l, " \t\r");
    return strchr(l, ' ') || strchr(l, '\t') ? atoi(l) : 1;
}

static int read_lines(const char *path, struct key_text *t)
{
    FILE *f = fopen(path, "r");
    size_t n;
    char *p;

    if (!f) {
        cli_error("key", "%s: %s", path, strerror(errno));
        return -1;
    }
    n = fread(t->buf, 1, KEY_FILE_MAX, f);
    fclose(f);
    t->buf[n] = '\0';
    t->nlines = 0;
    for (p = t->buf; *p && t->nlines < 256;) {
        char *nl = strchr(p, '\n');
        t->line[t->nlines++] = p;
        if (!nl)
            break;
        *nl = '\0';
        p = nl + 1;
    }
    return 0;
}

/* Writes the lines (NULL ones skipped) to path atomically: a 0600 temporary file in the
 * same folder, fsync'ed, renamed over it. A crash leaves the old file or the new one. */
static int write_lines(const char *path, char *const *lines, int n)
{
    char tmp[4200];
    FILE *f = NULL;
    int fd, rc = -1;

    snprintf(tmp, sizeof tmp, "%s.XXXXXX", path);
    fd = mkstemp(tmp); /* mode 0600 */
    if (fd < 0 || !(f = fdopen(fd, "w"))) {
        cli_error("key", "cannot write next to %s: %s", path, strerror(errno));
        if (fd >= 0)
            close(fd);
        return -1;
    }
    for (int i = 0; i < n; i++)
        if (lines[i])
            fprintf(f, "%s\n", lines[i]);
    if (fflush(f) == 0 && fsync(fileno(f)) == 0 && fclose(f) == 0) {
        f = NULL;
        rc = rename(tmp, path);
    }
    if (f)
        fclose(f);
    if (rc != 0) {
        cli_error("key", "cannot replace %s: %s", path, strerror(errno));
        unlink(tmp);
    }
    return rc;
}

/* Opens the key file (which checks its format and mode) to count its keys. */
static struct seal *open_keys(const char *path)
{
    struct seal *s = NULL;
    char err[512];

    if (seal_open(&s, path, 0, err, sizeof err) != 0)
        cli_error("key", "%s", err);
    return s;
}

static int key_add(const char *path)
{
    struct key_text *t = calloc(1, sizeof *t);
    struct seal *s = open_keys(path);
    unsigned char master[32];
    char hex[65], line[80], *lines[257];
    int ids[SEAL_MAX_KEYS], n, j = 0, last = -1, maxid = 0, rc = 1;

    if (!t || !s || read_lines(path, t) != 0)
        goto out;
    n = seal_key_ids(s, ids, SEAL_MAX_KEYS);
    if (n > 1) {
        cli_error("key",
                  "%s already holds %d keys: finish the rotation (jiefen key rotate,"
                  " retire) before adding another",
                  path, n);
        goto out;
    }
    for (int i = 0; i < n; i++)
        maxid = ids[i] > maxid ? ids[i] : maxid;
    if (maxid >= 255) {
        cli_error("key", "key id 255 is in use: no id left");
        goto out;
    }
    for (int i = 0; i < t->nlines; i++)
        last = is_key_line(t->line[i]) ? i : last;
    crypto_kdf_keygen(master);
    sodium_bin2hex(hex, sizeof hex, master, sizeof master);
    snprintf(line, sizeof line, "%d %s", maxid + 1, hex);
    /* Before the current (last) line: servers learn it before anything is sealed with it. */
    for (int i = 0; i <= t->nlines; i++) {
        if (i == last)
            lines[j++] = line;
        if (i < t->nlines)
            lines[j++] = t->line[i];
    }
    if (last < 0 || write_lines(path, lines, j) != 0) /* last < 0: no key line to go before */
        goto out;
    printf("key %d added to %s (not current yet): send SIGHUP to every jiefen serve, then run"
           " jiefen key promote\n",
           maxid + 1, path);
    rc = 0;
out:
    sodium_memzero(master, sizeof master);
    sodium_memzero(line, sizeof line);
    if (t)
        sodium_memzero(t, sizeof *t);
    free(t);
    seal_close(s);
    return rc;
}

static int key_promote(const char *path)
{
    struct key_text *t = calloc(1, sizeof *t);
    struct seal *s = open_keys(path);
    char *lines[257];
    int newest = -1, last = -1, rc = 1, j = 0;

    if (!t || !s || read_lines(path, t) != 0)
        goto out;
    for (int i = 0; i < t->nlines; i++) {
        if (!is_key_line(t->line[i]))
            continue;
        last = i;
        if (newest < 0 || line_key_id(t->line[i]) > line_key_id(t->line[newest]))
            newest = i;
    }
    if (newest == last) {
        printf("key %d is already current in %s\n", seal_current_key_id(s), path);
        rc = 0;
        goto out;
    }
    for (int i = 0; i < t->nlines; i++)
        if (i != newest)
            lines[j++] = t->line[i];
    lines[j++] = t->line[newest];
    if (write_lines(path, lines, j) != 0)
        goto out;
    printf("key %d is now current in %s: send SIGHUP to every jiefen serve, then run"
           " jiefen key rotate\n",
           line_key_id(t->line[newest]), path);
    rc = 0;
out:
    if (t)
        sodium_memzero(t, sizeof *t);
    free(t);
    seal_close(s);
    return rc;
}

/* ---- re-sealing rows ---- */

struct tally {
    long long rows, values, left, batches;
};

/* The blind index of a value already sealed normalised; NULL when it does not normalise. */
static const char *reindex(const struct seal *s, const char *kind, const char *plain,
                           char idx[SEAL_INDEX_LEN])
{
    char norm[32];
    int ok = strcmp(kind, "id") == 0 ? seal_norm_id_number(plain, norm, sizeof norm)
                                     : seal_norm_phone(plain, norm, sizeof norm);

    if (ok != 0)
        return NULL;
    seal_index(s, kind, norm, idx);
    return idx;
}

/*
 * Re-seals one value with the current key. The UPDATE names the old sealed text, so a value
 * the server rewrote meanwhile (under the current key: it was promoted before) is left.
 */
static store_err reseal_one(struct store_conn *c, const struct seal *s, const char *table,
                            const struct sealed_col *col, int64_t id, const char *old)
{
    char sql[256], idx[SEAL_INDEX_LEN], *plain = NULL, *fresh = NULL;
    const char *index = NULL;
    store_err e = STORE_ERROR;

    if (seal_decrypt(s, old, &plain) != SEAL_OK) {
        store_conn_seterr(c, "cannot open a sealed value: is every key in the key file?");
        goto out;
    }
    fresh = seal_encrypt(s, plain);
    if (!fresh) {
        store_conn_seterr(c, "out of memory");
        goto out;
    }
    if (col->index) {
        index = reindex(s, col->kind, plain, idx);
        snprintf(sql, sizeof sql, "UPDATE %s SET %s = $2, %s = $3 WHERE id = $1 AND %s = $4", table,
                 col->sealed, col->index, col->sealed);
        e = store_exec(
            c, sql, STORE_PARAMS(SP_INT(id), SP_TEXT(fresh), SP_TEXT(index), SP_TEXT(old)), NULL);
    } else {
        snprintf(sql, sizeof sql, "UPDATE %s SET %s = $2 WHERE id = $1 AND %s = $3", table,
                 col->sealed, col->sealed);
        e = store_exec(c, sql, STORE_PARAMS(SP_INT(id), SP_TEXT(fresh), SP_TEXT(old)), NULL);
    }
out:
    if (plain)
        sodium_memzero(plain, strlen(plain));
    free(plain);
    free(fresh);
    return e;
}

/* One batch of a table after id *last, in one transaction; *more is 0 at the end. When
 * `write` is 0 the values on another key are only counted (retire's check). */
static store_err batch(struct store_conn *c, const struct seal *s, const struct sealed_table *t,
                       long n, int write, int64_t *last, int *more, struct tally *ty)
{
    char sql[320];
    struct store_rows *r = NULL;
    int ncols = 0, cur = seal_current_key_id(s);
    store_err e;

    while (ncols < 3 && t->cols[ncols].sealed)
        ncols++;
    snprintf(sql, sizeof sql, "SELECT id, %s%s%s%s%s FROM %s WHERE id > $1 ORDER BY id LIMIT $2",
             t->cols[0].sealed, ncols > 1 ? ", " : "", ncols > 1 ? t->cols[1].sealed : "",
             ncols > 2 ? ", " : "", ncols > 2 ? t->cols[2].sealed : "", t->table);
    e = store_begin(c, write);
    if (e == STORE_OK)
        e = store_exec(c, sql, STORE_PARAMS(SP_INT(*last), SP_INT(n)), &r);
    for (int i = 0; e == STORE_OK && i < r->nrows; i++) {
        int64_t id = store_rows_int(r, i, 0);
        for (int k = 0; e == STORE_OK && k < ncols; k++) {
            const char *v = store_rows_get(r, i, k + 1);
            if (!v || !*v || seal_key_id(v) == cur || seal_key_id(v) < 0)
                continue;
            if (!write)
                ty->left++;
            else if ((e = reseal_one(c, s, t->table, &t->cols[k], id, v)) == STORE_OK)
                ty->values++;
        }
        *last = id;
    }
    *more = e == STORE_OK && r->nrows == n;
    ty->rows += e == STORE_OK ? r->nrows : 0;
    store_rows_free(r);
    return store_end(c, e);
}

/* Walks every sealed table in batches; prints progress on stderr when writing. */
static store_err walk(struct store_conn *c, const struct seal *s, long n, long max, int write,
                      struct tally *ty)
{
    store_err e = STORE_OK;

    for (size_t t = 0; e == STORE_OK && t < NTABLES; t++) {
        int64_t last = 0;
        int more = 1;
        while (e == STORE_OK && more && (!max || ty->batches < max)) {
            e = batch(c, s, &tables[t], n, write, &last, &more, ty);
            ty->batches++;
            if (write && e == STORE_OK)
                fprintf(stderr, "jiefen key rotate: %s up to id %lld, %lld values re-sealed\n",
                        tables[t].table, (long long)last, ty->values);
        }
    }
    return e;
}

static int key_db(const struct opts *o, const char *path)
{
    struct seal *s = open_keys(path);
    struct store *st = s ? cli_open_store(&o->db, 1) : NULL;
    struct store_conn *c = NULL;
    struct tally ty = {0};
    char err[256];
    int write = strcmp(o->verb, "rotate") == 0, rc = 1;

    if (!st)
        goto out;
    c = store_conn_get(st, err, sizeof err);
    if (!c) {
        cli_error("key", "%s", err);
        goto out;
    }
    if (walk(c, s, o->batch, write ? o->batches : 0, write, &ty) != STORE_OK) {
        cli_error("key", "%s", store_conn_error(c));
        goto out;
    }
    if (write) {
        printf("key rotate: %lld values re-sealed with key %d (%lld rows read)%s\n", ty.values,
               seal_current_key_id(s), ty.rows,
               o->batches && ty.batches >= o->batches ? "; stopped after --batches, rerun" : "");
        rc = 0;
    } else if (ty.left > 0) {
        cli_error("key",
                  "%lld values are still sealed with another key than %d: run jiefen key"
                  " rotate first",
                  ty.left, seal_current_key_id(s));
    } else {
        rc = 0;
    }
out:
    store_close(st);
    seal_close(s);
    return rc;
}

/* Keeps only the last key line (and the comments), after checking the database. */
static int key_retire(const struct opts *o, const char *path)
{
    struct key_text *t = NULL;
    int last = -1, dropped = 0, rc = key_db(o, path);

    if (rc != 0)
        return rc;
    rc = 1;
    t = calloc(1, sizeof *t);
    if (!t || read_lines(path, t) != 0)
        goto out;
    for (int i = 0; i < t->nlines; i++)
        last = is_key_line(t->line[i]) ? i : last;
    for (int i = 0; i < t->nlines; i++)
        if (i != last && is_key_line(t->line[i]))
            t->line[i] = NULL, dropped++;
    if (dropped && write_lines(path, t->line, t->nlines) != 0)
        goto out;
    printf("key retire: %d old key%s removed from %s; nothing in the database needs %s\n", dropped,
           dropped == 1 ? "" : "s", path, dropped == 1 ? "it" : "them");
    rc = 0;
out:
    if (t)
        sodium_memzero(t, sizeof *t);
    free(t);
    return rc;
}

int cmd_key(int argc, char **argv)
{
    struct opts o = {0};
    char path[4096];
    int rc = parse(argc, argv, &o);

    if (rc)
        return rc;
    if (sodium_init() < 0) {
        cli_error("key", "cannot initialise libsodium");
        return 1;
    }
    cli_key_file(&o.db, o.key, path, sizeof path);
    if (strcmp(o.verb, "add") == 0)
        return key_add(path);
    if (strcmp(o.verb, "promote") == 0)
        return key_promote(path);
    if (strcmp(o.verb, "rotate") == 0)
        return key_db(&o, path);
    return key_retire(&o, path);
}

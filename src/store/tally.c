/* tally.c - counter deltas summed per row and written at the commit (store/tally.h). */
#include "store/tally.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Outside the group writer, a transaction that moves more rows than this (a rebuild of every
 * case's counters) writes them as it goes: nothing there rolls back to a savepoint, so an
 * early write is the same as a late one, and memory stays bounded. */
#define TALLY_SPILL 16384

/* Rows per upsert: a statement of 32, 16, ..., 1 rows, so that a flush of any size runs
 * from six cached statements per table instead of one new text per row count. */
#define CHUNK_MAX 32
/* Ids per zero-row DELETE (the regions above a case: province to grid). */
#define DELETE_IDS 8

struct entry {
    const struct store_tally_table *t;
    int64_t id, delta;
    char key[STORE_TALLY_KEYS][STORE_TALLY_KEY_MAX];
};

struct store_tally {
    struct entry *v;
    size_t n, cap;
};

/* An entry in a sorted order (a struct, so that sizeof names what the arrays hold). */
struct ref {
    struct entry *e;
};

void store_tally_free(struct store_tally *t)
{
    if (!t)
        return;
    free(t->v);
    free(t);
}

size_t store_tally_mark(const struct store_tally *t)
{
    return t ? t->n : 0;
}

void store_tally_truncate(struct store_tally *t, size_t mark)
{
    if (t && mark < t->n)
        t->n = mark;
}

/* Table rank, then the primary key: the order rows are merged, written and locked in. */
static int by_key(const void *a, const void *b)
{
    const struct entry *x = ((const struct ref *)a)->e, *y = ((const struct ref *)b)->e;
    int d;

    if (x->t->rank != y->t->rank)
        return x->t->rank < y->t->rank ? -1 : 1;
    if (x->id != y->id)
        return x->id < y->id ? -1 : 1;
    for (int k = 0; k < x->t->nkeys; k++)
        if ((d = strcmp(x->key[k], y->key[k])) != 0)
            return d;
    return 0;
}

/* Table, then the text keys, then the id: the rows one zero-row DELETE can take together. */
static int by_text(const void *a, const void *b)
{
    const struct entry *x = ((const struct ref *)a)->e, *y = ((const struct ref *)b)->e;
    int d;

    if (x->t->rank != y->t->rank)
        return x->t->rank < y->t->rank ? -1 : 1;
    for (int k = 0; k < x->t->nkeys; k++)
        if ((d = strcmp(x->key[k], y->key[k])) != 0)
            return d;
    return x->id < y->id ? -1 : x->id > y->id;
}

static int same_text(const struct entry *x, const struct entry *y)
{
    if (x->t != y->t)
        return 0;
    for (int k = 0; k < x->t->nkeys; k++)
        if (strcmp(x->key[k], y->key[k]) != 0)
            return 0;
    return 1;
}

/* "INSERT INTO t (id, k..., n) VALUES (...) x rows ON CONFLICT (...) DO UPDATE". */
static void upsert_sql(const struct store_tally_table *t, int rows, char *sql, size_t cap)
{
    size_t len = 0;
    int p = 0, cols = t->nkeys + 2;

#define PUT(...) len += (size_t)snprintf(sql + len, len < cap ? cap - len : 0, __VA_ARGS__)
    PUT("INSERT INTO %s (%s", t->name, t->id_col);
    for (int k = 0; k < t->nkeys; k++)
        PUT(", %s", t->keys[k]);
    PUT(", n) VALUES ");
    for (int r = 0; r < rows; r++) {
        PUT("%s(", r ? ", " : "");
        for (int k = 0; k < cols; k++)
            PUT("%s$%d", k ? ", " : "", ++p);
        PUT(")");
    }
    PUT(" ON CONFLICT (%s", t->id_col);
    for (int k = 0; k < t->nkeys; k++)
        PUT(", %s", t->keys[k]);
    PUT(") DO UPDATE SET n = %s.n + excluded.n", t->name);
#undef PUT
}

/* "DELETE FROM t WHERE n = 0 AND k = $.. AND id IN ($.., 8 of them)". */
static void delete_sql(const struct store_tally_table *t, char *sql, size_t cap)
{
    size_t len = 0;
    int p = 0;

#define PUT(...) len += (size_t)snprintf(sql + len, len < cap ? cap - len : 0, __VA_ARGS__)
    PUT("DELETE FROM %s WHERE n = 0", t->name);
    for (int k = 0; k < t->nkeys; k++)
        PUT(" AND %s = $%d", t->keys[k], ++p);
    PUT(" AND %s IN (", t->id_col);
    for (int i = 0; i < DELETE_IDS; i++)
        PUT("%s$%d", i ? ", " : "", ++p);
    PUT(")");
#undef PUT
}

/* Upserts rows e[0..n) (one table, merged, in key order). */
static store_err upsert(struct store_conn *c, const struct ref *e, size_t n)
{
    struct store_param p[CHUNK_MAX * (STORE_TALLY_KEYS + 2)];
    char sql[CHUNK_MAX * (STORE_TALLY_KEYS + 2) * 6 + 512];
    store_err err = STORE_OK;

    while (err == STORE_OK && n > 0) {
        int rows = CHUNK_MAX, np = 0;
        while ((size_t)rows > n)
            rows /= 2;
        for (int r = 0; r < rows; r++) {
            p[np++] = SP_INT(e[r].e->id);
            for (int k = 0; k < e[r].e->t->nkeys; k++)
                p[np++] = SP_TEXT(e[r].e->key[k]);
            p[np++] = SP_INT(e[r].e->delta);
        }
        upsert_sql(e[0].e->t, rows, sql, sizeof sql);
        err = store_exec(c, sql, np, p, NULL);
        e += rows;
        n -= (size_t)rows;
    }
    return err;
}

/* Deletes the rows of neg[0..n) that reached 0 (sorted by_text): one statement per run of the
 * same text keys, up to DELETE_IDS ids each (a short run repeats its first id). */
static store_err delete_zeros(struct store_conn *c, const struct ref *neg, size_t n)
{
    struct store_param p[STORE_TALLY_KEYS + DELETE_IDS];
    char sql[512];
    store_err err = STORE_OK;

    for (size_t i = 0; err == STORE_OK && i < n;) {
        const struct store_tally_table *t = neg[i].e->t;
        size_t run = 1;
        int np = 0;

        while (i + run < n && run < DELETE_IDS && same_text(neg[i].e, neg[i + run].e))
            run++;
        for (int k = 0; k < t->nkeys; k++)
            p[np++] = SP_TEXT(neg[i].e->key[k]);
        for (size_t k = 0; k < DELETE_IDS; k++)
            p[np++] = SP_INT(neg[i + (k < run ? k : 0)].e->id);
        delete_sql(t, sql, sizeof sql);
        err = store_exec(c, sql, np, p, NULL);
        i += run;
    }
    return err;
}

store_err store_tally_write(struct store_conn *c, struct store_tally *t)
{
    struct ref *ord = NULL, *neg = NULL;
    size_t n = 0, nneg = 0;
    store_err err = STORE_OK;

    if (!t || t->n == 0)
        return STORE_OK;
    ord = malloc(t->n * sizeof *ord);
    neg = malloc(t->n * sizeof *neg);
    if (!ord || !neg) {
        err = STORE_UNAVAILABLE;
        goto out;
    }
    for (size_t i = 0; i < t->n; i++)
        ord[i].e = &t->v[i];
    qsort(ord, t->n, sizeof *ord, by_key);
    /* Merge equal rows into the first of each run; drop those that sum to 0. */
    for (size_t i = 0; i < t->n;) {
        size_t j = i + 1;
        while (j < t->n && by_key(&ord[i], &ord[j]) == 0)
            ord[i].e->delta += ord[j++].e->delta;
        if (ord[i].e->delta != 0)
            ord[n++] = ord[i];
        i = j;
    }
    /* PostgreSQL: in line with every other writer of the counters, from here to the commit. */
    err = n ? store_lock_counters(c) : STORE_OK;
    for (size_t i = 0; err == STORE_OK && i < n;) {
        size_t j = i + 1;
        while (j < n && ord[j].e->t == ord[i].e->t)
            j++;
        err = upsert(c, ord + i, j - i);
        i = j;
    }
    for (size_t i = 0; i < n; i++)
        if (ord[i].e->delta < 0)
            neg[nneg++] = ord[i];
    qsort(neg, nneg, sizeof *neg, by_text);
    if (err == STORE_OK)
        err = delete_zeros(c, neg, nneg);
out:
    t->n = 0;
    free(ord);
    free(neg);
    return err;
}

store_err store_tally_add(struct store_conn *c, const struct store_tally_table *t, int64_t id,
                          const char *const *key, int64_t delta)
{
    struct store_tally **slot = store_conn_tally(c), *b;
    struct entry *e;
    int grouped = 0, deferring = store_conn_deferring(c, &grouped);

    for (int k = 0; k < t->nkeys; k++)
        if (!key[k] || strlen(key[k]) >= STORE_TALLY_KEY_MAX)
            return STORE_INVALID;
    if (!*slot && !(*slot = calloc(1, sizeof **slot)))
        return STORE_UNAVAILABLE;
    b = *slot;
    if (b->n == b->cap) {
        size_t cap = b->cap ? b->cap * 2 : 64;
        struct entry *v = realloc(b->v, cap * sizeof *v);
        if (!v)
            return STORE_UNAVAILABLE;
        b->v = v;
        b->cap = cap;
    }
    e = &b->v[b->n++];
    e->t = t;
    e->id = id;
    e->delta = delta;
    for (int k = 0; k < t->nkeys; k++)
        memcpy(e->key[k], key[k], strlen(key[k]) + 1);
    if (!deferring || (!grouped && b->n >= TALLY_SPILL))
        return store_tally_write(c, b);
    return STORE_OK;
}

store_err store_tally_flush(struct store_conn *c)
{
    return store_tally_write(c, *store_conn_tally(c));
}

#include "store/stmtcache.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct entry {
    char *sql; /* NULL: empty slot */
    uint64_t hash;
    void *handle;
};

struct stmtcache {
    struct entry *slots;
    size_t cap; /* power of two */
    size_t n;
    void (*destroy)(void *);
};

static uint64_t fnv1a(const char *s)
{
    uint64_t h = 1469598103934665603ull;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ull;
    return h;
}

struct stmtcache *stmtcache_new(void (*destroy)(void *handle))
{
    struct stmtcache *c = calloc(1, sizeof *c);

    if (!c)
        return NULL;
    c->cap = 64;
    c->slots = calloc(c->cap, sizeof *c->slots);
    if (!c->slots) {
        free(c);
        return NULL;
    }
    c->destroy = destroy;
    return c;
}

void stmtcache_clear(struct stmtcache *c)
{
    for (size_t i = 0; i < c->cap; i++) {
        if (c->slots[i].sql) {
            if (c->destroy)
                c->destroy(c->slots[i].handle);
            free(c->slots[i].sql);
        }
    }
    memset(c->slots, 0, c->cap * sizeof *c->slots);
    c->n = 0;
}

void stmtcache_free(struct stmtcache *c)
{
    if (!c)
        return;
    stmtcache_clear(c);
    free(c->slots);
    free(c);
}

static struct entry *find(const struct stmtcache *c, const char *sql, uint64_t h)
{
    for (size_t i = h & (c->cap - 1);; i = (i + 1) & (c->cap - 1)) {
        struct entry *e = &c->slots[i];
        if (!e->sql || (e->hash == h && strcmp(e->sql, sql) == 0))
            return e;
    }
}

void *stmtcache_get(const struct stmtcache *c, const char *sql)
{
    struct entry *e = find(c, sql, fnv1a(sql));
    return e->sql ? e->handle : NULL;
}

int stmtcache_put(struct stmtcache *c, const char *sql, void *handle)
{
    struct entry *e;

    /* Keep the table at most half full so probes stay short. */
    if ((c->n + 1) * 2 > c->cap) {
        struct stmtcache bigger = {calloc(c->cap * 2, sizeof(struct entry)), c->cap * 2, 0,
                                   c->destroy};
        if (!bigger.slots)
            return -1;
        for (size_t i = 0; i < c->cap; i++)
            if (c->slots[i].sql)
                *find(&bigger, c->slots[i].sql, c->slots[i].hash) = c->slots[i];
        free(c->slots);
        c->slots = bigger.slots;
        c->cap = bigger.cap;
    }
    e = find(c, sql, fnv1a(sql));
    if (e->sql) {
        if (c->destroy)
            c->destroy(e->handle);
        e->handle = handle;
        return 0;
    }
    e->sql = strdup(sql);
    if (!e->sql)
        return -1;
    e->hash = fnv1a(sql);
    e->handle = handle;
    c->n++;
    return 0;
}

size_t stmtcache_count(const struct stmtcache *c)
{
    return c->n;
}

/*
 * stmtcache.h - prepared statements cached per connection, keyed by their SQL text.
 *
 * Both backends prepare each distinct statement once per connection and reuse it; this
 * is the map they share. Not thread-safe: a connection belongs to one thread.
 */
#ifndef JIEFEN_STORE_STMTCACHE_H
#define JIEFEN_STORE_STMTCACHE_H

#include <stddef.h>

struct stmtcache;

/* Creates an empty cache; `destroy` frees a cached handle (may be NULL). */
struct stmtcache *stmtcache_new(void (*destroy)(void *handle));

/* Frees the cache and destroys every handle in it. NULL-safe. */
void stmtcache_free(struct stmtcache *c);

/* Returns the handle cached for `sql`, or NULL. */
void *stmtcache_get(const struct stmtcache *c, const char *sql);

/* Caches `handle` for `sql` (the text is copied). Returns 0, or -1 if out of memory. */
int stmtcache_put(struct stmtcache *c, const char *sql, void *handle);

/* Number of entries; a new statement's index for naming (PostgreSQL "s<n>"). */
size_t stmtcache_count(const struct stmtcache *c);

/* Destroys every handle and empties the cache (after a reconnect). */
void stmtcache_clear(struct stmtcache *c);

#endif

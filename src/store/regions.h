/*
 * regions.h - the region tree (行政区划) in the store. All functions are scoped by the
 * actor: regions outside its subtree do not exist for it.
 */
#ifndef JIEFEN_STORE_REGIONS_H
#define JIEFEN_STORE_REGIONS_H

#include "store/store.h"

struct store_region_in {
    const char *code;
    const char *name;
    int level;               /* enum region_level */
    int64_t parent_id;       /* 0: a root (only an actor whose scope is the whole tree) */
    int64_t population;      /* -1: unknown */
    int synthetic;           /* the population is made up (demo data) */
    const char *parent_code; /* for imports: the parent by code when parent_id is 0 */
    const char *court;       /* the basic-level court (基层人民法院); NULL or "": none */
};

/* Creates a region under parent_id (which must be in scope) and audits it. */
store_err store_region_create(struct store_conn *c, const struct store_actor *a,
                              const struct store_region_in *in, int64_t *id);

/*
 * Creates many regions in one transaction (imports, demo data): all or nothing. Each
 * names its parent by id or by code; a parent may be created earlier in the same batch.
 * On failure STORE_INVALID names the field as "row N: field" (N = rows[i] number, or
 * i + 1 when rownums is NULL).
 */
store_err store_region_import(struct store_conn *c, const struct store_actor *a,
                              const struct store_region_in *in, int n, const int *rownums);

/* What store_region_load did to one batch. */
struct store_region_load_stats {
    long added;   /* new regions */
    long renamed; /* existing codes whose name changed */
    long moved;   /* existing regions re-hung under their parent (a root gaining a province) */
    long kept;    /* existing codes left as they were */
};

/*
 * Loads reference regions (the national division codes) in one transaction, by code:
 * a new code is inserted under in[i].parent_code, an existing one keeps its id and is
 * renamed if its name changed, and moved with its whole subtree when it hangs elsewhere
 * (a county tree loaded as a root before its province was). Running the same rows twice
 * changes nothing. One audit row per batch. Adds the counts to *st.
 */
store_err store_region_load(struct store_conn *c, const struct store_actor *a,
                            const struct store_region_in *in, int n,
                            struct store_region_load_stats *st);

/* Every region in scope (at most 100,000) as code, name, level, parent_code, population,
 * court. */
store_err store_region_export(struct store_conn *c, const struct store_actor *a,
                              struct store_rows **out);

/* Villages and grids within the actor's scope (id, path, level): where disputes arise. */
store_err store_region_places(struct store_conn *c, const struct store_actor *a,
                              struct store_rows **out);

/* The id of the region with `code` within the actor's scope, or STORE_NOT_FOUND. */
store_err store_region_by_code(struct store_conn *c, const struct store_actor *a, const char *code,
                               int64_t *id);

/* One region as a one-row result; STORE_NOT_FOUND if absent or out of scope. */
store_err store_region_get(struct store_conn *c, const struct store_actor *a, int64_t id,
                           struct store_rows **out);

struct store_region_filter {
    int64_t parent_id; /* children of this region; 0: the topmost regions of the scope */
    const char *q;     /* instead: regions anywhere in scope whose name contains q */
    const char *level; /* only regions of this level (with q, or alone: anywhere in scope) */
};

store_err store_region_list(struct store_conn *c, const struct store_actor *a,
                            const struct store_region_filter *f, const struct store_page *pg,
                            struct store_rows **out);

/* The ancestors of region id (root first, parent last) that lie within the actor's scope. */
store_err store_region_ancestors(struct store_conn *c, const struct store_actor *a, int64_t id,
                                 struct store_rows **out);

/* Changes a region's name, population and/or court (NULL / -1: unchanged; court "":
 * cleared); audited. */
store_err store_region_update(struct store_conn *c, const struct store_actor *a, int64_t id,
                              const char *name, int64_t population, const char *court,
                              const char *fields);

/*
 * The court of region `id`: its own, else that of its nearest ancestor with one set
 * (a village's disputes go to its county's 基层人民法院). "" when none is set. Not scoped:
 * the caller has already checked that it may read the case in that region.
 */
store_err store_region_court(struct store_conn *c, int64_t id, char *court, size_t len);

/* The region's path (for scope comparisons); STORE_NOT_FOUND outside scope. */
store_err store_region_path(struct store_conn *c, const struct store_actor *a, int64_t id,
                            char *path, size_t len, char *level, size_t levellen);

/*
 * The subtree of region `id` as a scope, if the region is within the actor's scope.
 * Used to narrow lists to a region; STORE_NOT_FOUND otherwise.
 */
store_err store_region_subtree(struct store_conn *c, const struct store_actor *a, int64_t id,
                               struct region_scope *out);

/*
 * Narrows a list to region `region_id`'s subtree: *out is the actor's scope when
 * region_id is 0, else the region's subtree if it lies in scope; otherwise STORE_INVALID
 * naming the field `region_id`.
 */
store_err store_region_narrow(struct store_conn *c, const struct store_actor *a, int64_t region_id,
                              struct region_scope *out);

#endif

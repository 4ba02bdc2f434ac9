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
    int level;          /* enum region_level */
    int64_t parent_id;  /* 0: a root (only an actor whose scope is the whole tree) */
    int64_t population; /* -1: unknown */
};

/* Creates a region under parent_id (which must be in scope) and audits it. */
store_err store_region_create(struct store_conn *c, const struct store_actor *a,
                              const struct store_region_in *in, int64_t *id);

/* One region as a one-row result; STORE_NOT_FOUND if absent or out of scope. */
store_err store_region_get(struct store_conn *c, const struct store_actor *a, int64_t id,
                           struct store_rows **out);

/* Children of parent_id, or with parent_id 0 the topmost regions of the actor's scope. */
store_err store_region_list(struct store_conn *c, const struct store_actor *a, int64_t parent_id,
                            const struct store_page *pg, struct store_rows **out);

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

/*
 * region.h - the administrative tree (行政区划) and the scope it implies.
 *
 * Every region stores its materialised path: the codes of its ancestors and itself,
 * each followed by '/', e.g. "/510700000000/510703000000/". A staff user sees their
 * region and everything below it (属地管理), which is exactly the rows whose path starts
 * with theirs. Prefix tests are turned into a half-open range [lo, hi) so that both
 * SQLite and PostgreSQL answer them from a plain B-tree index.
 *
 * Pure: no I/O.
 */
#ifndef JIEFEN_CORE_REGION_H
#define JIEFEN_CORE_REGION_H

#include <stddef.h>

enum region_level {
    REGION_PROVINCE = 1,
    REGION_CITY,
    REGION_COUNTY,
    REGION_TOWNSHIP,
    REGION_VILLAGE,
    REGION_GRID,
};

#define REGION_PATH_MAX 256
#define REGION_CODE_MAX 24

/* A subtree as a path range: rows with lo <= path < hi. */
struct region_scope {
    char lo[REGION_PATH_MAX];
    char hi[REGION_PATH_MAX];
};

/* Returns the level named `name` ("county", ...) or 0. */
int region_level_parse(const char *name);

/* Returns the wire name of `level`, or NULL if it is not a level. */
const char *region_level_name(int level);

/*
 * Checks a region code: 12 decimal digits for province to village (统计用区划代码),
 * 12 to 20 digits for grids, whose codes extend their village's. Returns 1 if valid.
 */
int region_code_valid(const char *code, int level);

/* Returns 1 if a region of level `child` may sit directly under one of level `parent`. */
int region_level_child_ok(int parent, int child);

/*
 * Writes the path of a child with `code` under a parent whose path is `parent_path`
 * (NULL or "" for a root) into out[outlen]. Returns 0, or -1 if it does not fit.
 */
int region_path_child(const char *parent_path, const char *code, char *out, size_t outlen);

/*
 * Fills `scope` with the subtree rooted at `path` ("/" means the whole tree).
 * Returns 0, or -1 if the path is malformed (must start and end with '/').
 */
int region_scope_from_path(const char *path, struct region_scope *scope);

/* Returns 1 if `path` lies within `scope`. */
int region_scope_contains(const struct region_scope *scope, const char *path);

#endif

#include "core/region.h"

#include <stdio.h>
#include <string.h>

static const char *const level_names[] = {
    NULL, "province", "city", "county", "township", "village", "grid",
};

int region_level_parse(const char *name)
{
    for (int i = REGION_PROVINCE; name && i <= REGION_GRID; i++)
        if (strcmp(name, level_names[i]) == 0)
            return i;
    return 0;
}

const char *region_level_name(int level)
{
    return (level >= REGION_PROVINCE && level <= REGION_GRID) ? level_names[level] : NULL;
}

int region_code_valid(const char *code, int level)
{
    size_t n = code ? strlen(code) : 0;
    size_t max = level == REGION_GRID ? 20 : 12;

    if (n < 12 || n > max)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (code[i] < '0' || code[i] > '9')
            return 0;
    return 1;
}

int region_level_child_ok(int parent, int child)
{
    /* The tree is strict: each level hangs directly under the one above it. */
    return region_level_name(parent) && region_level_name(child) && child == parent + 1;
}

int region_path_child(const char *parent_path, const char *code, char *out, size_t outlen)
{
    int n = snprintf(out, outlen, "%s%s%s/", parent_path && *parent_path ? parent_path : "",
                     parent_path && *parent_path ? "" : "/", code);
    return (n < 0 || (size_t)n >= outlen) ? -1 : 0;
}

int region_scope_from_path(const char *path, struct region_scope *scope)
{
    size_t n = path ? strlen(path) : 0;

    if (n == 0 || n >= REGION_PATH_MAX || path[0] != '/' || path[n - 1] != '/')
        return -1;
    memcpy(scope->lo, path, n + 1);
    memcpy(scope->hi, path, n + 1);
    /* Every path in the subtree is `path` followed by more bytes; bumping the final '/'
     * to '0' (the next byte value) gives the smallest string greater than all of them. */
    scope->hi[n - 1] = '/' + 1;
    return 0;
}

int region_scope_contains(const struct region_scope *scope, const char *path)
{
    return strcmp(path, scope->lo) >= 0 && strcmp(path, scope->hi) < 0;
}

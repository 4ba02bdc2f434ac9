/*
 * sqlite_commit.c - the ceiling for a durable write: single-row INSERTs, one transaction
 * each, with the settings jiefen's store opens SQLite with (src/store/store_sqlite.c:
 * journal_mode=WAL, synchronous=FULL, foreign_keys=ON, 64 MiB cache). Prints one line:
 *   commits/s p50_ms p99_ms
 * Usage: sqlite_commit DBFILE SECONDS
 */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *ins = NULL;
    double secs, start, *lat = NULL;
    size_t n = 0, cap = 1 << 16;
    int status = 1;

    if (argc != 3 || (secs = atof(argv[2])) <= 0) {
        fprintf(stderr, "usage: sqlite_commit DBFILE SECONDS\n");
        return 2;
    }
    lat = malloc(cap * sizeof *lat);
    if (!lat || sqlite3_open(argv[1], &db) != SQLITE_OK ||
        sqlite3_exec(db,
                     "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;"
                     " PRAGMA cache_size=-65536;"
                     " CREATE TABLE IF NOT EXISTS t (id INTEGER PRIMARY KEY, at INTEGER, body TEXT)",
                     NULL, NULL, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(db, "INSERT INTO t (at, body) VALUES (?1, ?2)", -1, &ins, NULL) !=
            SQLITE_OK) {
        fprintf(stderr, "sqlite_commit: %s\n", db ? sqlite3_errmsg(db) : "out of memory");
        goto out;
    }
    start = now_ms();
    while (now_ms() - start < secs * 1e3) {
        double t0 = now_ms();
        /* Autocommit: each step is its own transaction, fsynced before it returns. */
        sqlite3_bind_int64(ins, 1, (sqlite3_int64)t0);
        sqlite3_bind_text(ins, 2, "一行案件数据 a row of about the size of a case's main row", -1,
                          SQLITE_STATIC);
        if (sqlite3_step(ins) != SQLITE_DONE) {
            fprintf(stderr, "sqlite_commit: %s\n", sqlite3_errmsg(db));
            goto out;
        }
        sqlite3_reset(ins);
        if (n == cap) {
            double *more = realloc(lat, (cap *= 2) * sizeof *lat);
            if (!more)
                goto out;
            lat = more;
        }
        lat[n++] = now_ms() - t0;
    }
    qsort(lat, n, sizeof *lat, cmp);
    printf("%.0f %.2f %.2f\n", n / ((now_ms() - start) / 1e3), lat[n / 2], lat[n * 99 / 100]);
    status = 0;
out:
    sqlite3_finalize(ins);
    sqlite3_close(db);
    free(lat);
    return status;
}

#include "store/risk.h"

#include "core/region.h"
#include "seal/seal.h"
#include "store/audit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FACT_COLS                                                                                  \
    "SELECT category, complexity, state, due_date, risk, risk_reasons, region_path, people,"       \
    " amount, key_persons, urgent, facts, claims FROM cases WHERE id = $1"

/* Appends `s` and a newline to the growing text *buf (len, cap); 0 or -1 out of memory. */
static int text_append(char **buf, size_t *len, size_t *cap, const char *s)
{
    size_t n = s ? strlen(s) : 0;
    char *p;

    if (!n)
        return 0;
    if (*len + n + 2 > *cap) {
        size_t want = (*len + n + 2) * 2;
        p = realloc(*buf, want);
        if (!p)
            return -1;
        *buf = p;
        *cap = want;
    }
    memcpy(*buf + *len, s, n);
    *len += n;
    (*buf)[(*len)++] = '\n';
    (*buf)[*len] = '\0';
    return 0;
}

static int64_t opt_int(const struct store_rows *r, int col)
{
    return store_rows_get(r, 0, col) ? store_rows_int(r, 0, col) : -1;
}

static store_err count_of(struct store_conn *c, const char *sql, int n, const struct store_param *p,
                          int *out)
{
    struct store_rows *r = NULL;
    store_err e = store_exec(c, sql, n, p, &r);

    if (e == STORE_OK)
        *out = r->nrows && store_rows_get(r, 0, 0) ? (int)store_rows_int(r, 0, 0) : 0;
    store_rows_free(r);
    return e;
}

/* Facts, claims and every session record, in order: what the parties and mediators said.
 * *text is malloc'd (the caller frees it, also on error). */
static store_err load_text(struct store_conn *c, int64_t id, const char *facts, const char *claims,
                           char **text)
{
    struct store_rows *s = NULL;
    size_t len = 0, cap = 0;
    store_err e;

    if (text_append(text, &len, &cap, facts) || text_append(text, &len, &cap, claims))
        return STORE_ERROR;
    e = store_exec(c, "SELECT record, next_step FROM case_sessions WHERE case_id = $1 ORDER BY id",
                   STORE_PARAMS(SP_INT(id)), &s);
    for (int i = 0; e == STORE_OK && i < s->nrows; i++)
        if (text_append(text, &len, &cap, store_rows_get(s, i, 0)) ||
            text_append(text, &len, &cap, store_rows_get(s, i, 1)))
            e = STORE_ERROR;
    store_rows_free(s);
    if (e == STORE_OK && !*text)
        *text = strdup("");
    return e == STORE_OK && !*text ? STORE_ERROR : e;
}

store_err store_risk_text(struct store_conn *c, int64_t id, char **text)
{
    struct store_rows *r = NULL;
    store_err e = store_one(c, "SELECT facts, claims FROM cases WHERE id = $1",
                            STORE_PARAMS(SP_INT(id)), NULL, "case", &r);

    *text = NULL;
    if (e == STORE_OK)
        e = load_text(c, id, store_rows_get(r, 0, 0), store_rows_get(r, 0, 1), text);
    if (e != STORE_OK) {
        free(*text);
        *text = NULL;
    }
    store_rows_free(r);
    return e;
}

/*
 * Other cases of the same people in the past year, by the blind indexes of ID numbers and
 * phones (each side of the OR reads its own index).
 */
#define REPEAT_SQL                                                                                 \
    "SELECT COUNT(DISTINCT o.case_id) FROM case_parties p JOIN case_parties o"                     \
    " ON o.id_index = p.id_index JOIN cases k ON k.id = o.case_id"                                 \
    " WHERE p.case_id = $1 AND p.id_index IS NOT NULL AND o.case_id <> $1 AND k.received_at >= $2"
#define REPEAT_PHONE_SQL                                                                           \
    "SELECT COUNT(DISTINCT o.case_id) FROM case_parties p JOIN case_parties o"                     \
    " ON o.phone_index = p.phone_index JOIN cases k ON k.id = o.case_id"                           \
    " WHERE p.case_id = $1 AND p.phone_index IS NOT NULL AND o.case_id <> $1"                      \
    " AND k.received_at >= $2"

/*
 * The same count during a key rotation (two keys in the file). A party's stored index is
 * under one key and another case's under the other until `jiefen key rotate` has re-indexed
 * both, so the join above misses a repeat across keys. Here each of the case's sealed
 * numbers is opened and indexed under both keys (seal_index, seal_index_other), its stored
 * index kept as well, and other cases' parties are matched against that list: the same rule
 * as the register's search and intake's look-ups (docs/security-data.md, key rotation).
 */
static store_err repeat_rotating(struct store_conn *c, int64_t id, int64_t since, int by_id,
                                 int *out)
{
    const struct seal *s = store_conn_seal(c);
    const char *kind = by_id ? "id" : "phone";
    struct store_rows *r = NULL;
    struct store_param *p = NULL;
    char(*idx)[SEAL_INDEX_LEN] = NULL, *sql = NULL;
    size_t len = 0;
    int n = 2;
    store_err e = store_exec(c,
                             by_id ? "SELECT id_sealed, id_index FROM case_parties"
                                     " WHERE case_id = $1 AND id_index IS NOT NULL"
                                   : "SELECT phone_sealed, phone_index FROM case_parties"
                                     " WHERE case_id = $1 AND phone_index IS NOT NULL",
                             STORE_PARAMS(SP_INT(id)), &r);

    *out = 0;
    if (e != STORE_OK || r->nrows == 0)
        goto out;
    e = STORE_ERROR;
    p = calloc((size_t)r->nrows * 3 + 2, sizeof *p);
    idx = calloc((size_t)r->nrows * 2, sizeof *idx);
    sql = malloc(256 + (size_t)r->nrows * 3 * 8);
    if (!p || !idx || !sql)
        goto out;
    p[0] = SP_INT(id);
    p[1] = SP_INT(since);
    for (int i = 0; i < r->nrows; i++) {
        char *plain = NULL;
        p[n++] = SP_TEXT(store_rows_get(r, i, 1));
        if (seal_decrypt(s, store_rows_get(r, i, 0), &plain) != SEAL_OK)
            continue; /* unreadable: its stored index still counts */
        seal_index(s, kind, plain, idx[2 * i]);
        seal_index_other(s, kind, plain, idx[2 * i + 1]);
        free(plain);
        p[n++] = SP_TEXT(idx[2 * i]);
        p[n++] = SP_TEXT(idx[2 * i + 1]);
    }
    len = (size_t)sprintf(sql,
                          "SELECT COUNT(DISTINCT o.case_id) FROM case_parties o JOIN cases k"
                          " ON k.id = o.case_id WHERE o.case_id <> $1 AND k.received_at >= $2"
                          " AND o.%s IN (",
                          by_id ? "id_index" : "phone_index");
    for (int i = 3; i <= n; i++)
        len += (size_t)sprintf(sql + len, i > 3 ? ", $%d" : "$%d", i);
    strcpy(sql + len, ")");
    e = count_of(c, sql, n, p, out);
out:
    free(sql);
    free(idx);
    free(p);
    store_rows_free(r);
    return e;
}

/* The repeat count by ID number (by_id) or phone: the plain join on the stored indexes, or,
 * while the key file holds two keys (a rotation), the count under both keys. */
static store_err repeat_count(struct store_conn *c, int64_t id, int64_t since, int by_id, int *out)
{
    const struct seal *s = store_conn_seal(c);
    int ids[2];

    if (s && seal_key_ids(s, ids, 2) > 1)
        return repeat_rotating(c, id, since, by_id, out);
    return count_of(c, by_id ? REPEAT_SQL : REPEAT_PHONE_SQL,
                    STORE_PARAMS(SP_INT(id), SP_INT(since)), out);
}

/* A sensitive period in force on `today` whose regions hold the case's (or that names no
 * region and was set at or above it). The periods table is small: a handful a year. */
#define PERIOD_SQL                                                                                 \
    "SELECT COUNT(*) FROM sensitive_periods p WHERE p.start_day <= $2 AND p.end_day >= $2"         \
    " AND ((NOT EXISTS (SELECT 1 FROM sensitive_period_regions x WHERE x.period_id = p.id)"        \
    " AND $1 LIKE p.scope_path || '%') OR EXISTS (SELECT 1 FROM sensitive_period_regions x"        \
    " JOIN regions r ON r.id = x.region_id WHERE x.period_id = p.id AND $1 LIKE r.path || '%'))"

store_err store_risk_facts(struct store_conn *c, int64_t id, const char *today,
                           struct store_risk_facts *f)
{
    int64_t year_ago = store_now_ms() - 365LL * 86400 * 1000;
    int by_phone = 0;
    store_err e;

    memset(f, 0, sizeof *f);
    e = store_one(c, FACT_COLS, STORE_PARAMS(SP_INT(id)), NULL, "case", &f->rows);
    if (e != STORE_OK)
        return e;
    f->category = store_rows_get(f->rows, 0, 0);
    f->complexity = store_rows_get(f->rows, 0, 1);
    f->state = store_rows_get(f->rows, 0, 2);
    f->due_date = store_rows_get(f->rows, 0, 3);
    f->risk = store_rows_get(f->rows, 0, 4);
    f->reasons = store_rows_get(f->rows, 0, 5);
    f->region_path = store_rows_get(f->rows, 0, 6);
    f->people = opt_int(f->rows, 7);
    f->amount = opt_int(f->rows, 8);
    f->key_persons = (int)store_rows_int(f->rows, 0, 9);
    f->urgent = (int)store_rows_int(f->rows, 0, 10);
    e = load_text(c, id, store_rows_get(f->rows, 0, 11), store_rows_get(f->rows, 0, 12), &f->text);
    if (e == STORE_OK)
        e = count_of(c,
                     "SELECT COUNT(*) FROM case_events WHERE case_id = $1 AND action = 'escalate'",
                     STORE_PARAMS(SP_INT(id)), &f->escalations);
    if (e == STORE_OK)
        e = repeat_count(c, id, year_ago, 1, &f->repeat_disputes);
    if (e == STORE_OK)
        e = repeat_count(c, id, year_ago, 0, &by_phone);
    if (by_phone > f->repeat_disputes)
        f->repeat_disputes = by_phone; /* the larger: one person usually gives both */
    if (e == STORE_OK)
        e = count_of(c, PERIOD_SQL, STORE_PARAMS(SP_TEXT(f->region_path), SP_TEXT(today)),
                     &f->sensitive_period);
    if (e == STORE_OK)
        e = count_of(c, "SELECT COUNT(*) FROM control_plans WHERE case_id = $1",
                     STORE_PARAMS(SP_INT(id)), &f->control_plan);
    if (e != STORE_OK)
        store_risk_facts_free(f);
    return e;
}

void store_risk_facts_free(struct store_risk_facts *f)
{
    store_rows_free(f->rows);
    free(f->text);
    memset(f, 0, sizeof *f);
}

store_err store_risk_set(struct store_conn *c, int64_t id, const char *risk, const char *reasons)
{
    return store_exec(c, "UPDATE cases SET risk = $2, risk_reasons = $3 WHERE id = $1",
                      STORE_PARAMS(SP_INT(id), SP_TEXT(risk), SP_TEXT(reasons)), NULL);
}

store_err store_risk_newly_overdue(struct store_conn *c, const char *from, const char *to,
                                   struct store_rows **out)
{
    return store_exec(c,
                      "SELECT id FROM cases WHERE due_date >= $1 AND due_date < $2"
                      " AND state NOT IN ('rejected', 'withdrawn', 'closed', 'archived')"
                      " ORDER BY id",
                      STORE_PARAMS(SP_TEXT(from), SP_TEXT(to)), out);
}

store_err store_risk_settings(struct store_conn *c, struct store_rows **out)
{
    return store_exec(c, "SELECT key, value FROM settings WHERE key >= 'risk_' AND key < 'risk`'",
                      0, NULL, out);
}

store_err store_control_plan_put(struct store_conn *c, const struct store_actor *a, int64_t id,
                                 const struct store_control_plan_in *in)
{
    struct store_rows *u = NULL;
    store_err e;

    /* The owner answers for the plan: an active user of an organization in the actor's
     * scope (the organization's region path). */
    e = store_exec(c,
                   "SELECT u.id FROM users u JOIN organizations o ON o.id = u.org_id"
                   " JOIN regions r ON r.id = o.region_id WHERE u.id = $1 AND u.active = 1"
                   " AND r.path >= $2 AND r.path < $3",
                   STORE_PARAMS(SP_INT(in->owner_id), SP_TEXT(a->scope.lo), SP_TEXT(a->scope.hi)),
                   &u);
    if (e == STORE_OK && u->nrows == 0)
        e = store_conn_invalid(c, "owner_id", "not_found",
                               "the owner must be an active user in your scope");
    store_rows_free(u);
    if (e != STORE_OK)
        return e;
    e = store_exec(c, "DELETE FROM control_plans WHERE case_id = $1", STORE_PARAMS(SP_INT(id)),
                   NULL);
    if (e == STORE_OK)
        e = store_exec(c,
                       "INSERT INTO control_plans (case_id, owner_id, measures, review_on,"
                       " updated_at, updated_by) VALUES ($1, $2, $3, $4, $5, $6)",
                       STORE_PARAMS(SP_INT(id), SP_INT(in->owner_id), SP_TEXT(in->measures),
                                    SP_TEXT(in->review_on), SP_INT(store_now_ms()),
                                    SP_TEXT(a->login)),
                       NULL);
    if (e == STORE_OK)
        e = store_audit_append(c, a, "control_plan", "case", id, "owner_id,measures,review_on",
                               NULL);
    return e;
}

store_err store_control_plan_exists(struct store_conn *c, int64_t id, int *exists)
{
    return count_of(c, "SELECT COUNT(*) FROM control_plans WHERE case_id = $1",
                    STORE_PARAMS(SP_INT(id)), exists);
}

store_err store_control_plan_get(struct store_conn *c, int64_t id, struct store_rows **out)
{
    return store_one(c,
                     "SELECT p.owner_id, u.name AS owner_name, p.measures, p.review_on,"
                     " p.updated_at, p.updated_by FROM control_plans p"
                     " JOIN users u ON u.id = p.owner_id WHERE p.case_id = $1",
                     STORE_PARAMS(SP_INT(id)), "itttst", "control plan", out);
}

/* The region to look at: `region_id` in scope, or the root of the actor's scope. */
static store_err board_root(struct store_conn *c, const struct store_actor *a, int64_t region_id,
                            struct store_rows **root)
{
    store_err e;

    if (region_id)
        e = store_one(c, "SELECT id, path FROM regions WHERE id = $1 AND path >= $2 AND path < $3",
                      STORE_PARAMS(SP_INT(region_id), SP_TEXT(a->scope.lo), SP_TEXT(a->scope.hi)),
                      "it", "region", root);
    else
        e = store_exec(c, "SELECT id, path FROM regions WHERE path = $1",
                       STORE_PARAMS(SP_TEXT(a->scope.lo)), root);
    if (e == STORE_NOT_FOUND)
        e = store_conn_invalid(c, "region_id", "not_found", "no such region in your scope");
    return e;
}

#define BOARD_RANGE                                                                                \
    " FROM cases k WHERE k.risk IN ('red', 'orange') AND k.queue_key < '2'"                        \
    " AND k.region_path >= $1 AND k.region_path < $2"
/*
 * The page: red cases first, each level in queue order. Issue 12: ordered by a computed rank,
 * every open red and orange case of the scope was read and sorted for a page of 20
 * (PostgreSQL fetched 42,293 rows from the heap at 1 M cases: 150 ms warm, 1.7 s cold).
 * Each level is now read in the order of cases_risk_queue (risk, queue key) and stops after
 * the rows the page needs; only those are merged.
 */
#define BOARD_LEVEL(risk)                                                                          \
    "SELECT * FROM (SELECT k.id, k.number, k.category, k.risk, k.risk_reasons, k.region_id,"       \
    " k.region_path, k.state, k.due_date, k.lead_leader_id, k.queue_key FROM cases k"              \
    " WHERE k.risk = '" risk "' AND k.queue_key < '2' AND k.region_path >= $1"                     \
    " AND k.region_path < $2 ORDER BY k.queue_key, k.id"                                           \
    " LIMIT CAST($3 AS BIGINT) + CAST($4 AS BIGINT)) l_" risk
#define BOARD_CASES                                                                                \
    "SELECT b.id, b.number, b.category, b.risk, b.risk_reasons, b.region_id, b.region_path,"       \
    " b.state, b.due_date, p.review_on AS control_review_on, b.lead_leader_id"                     \
    " FROM (" BOARD_LEVEL("red") " UNION ALL " BOARD_LEVEL(                                        \
        "orange") ") b"                                                                            \
                  " LEFT JOIN control_plans p ON p.case_id = b.id"                                 \
                  " ORDER BY CASE b.risk WHEN 'red' THEN 0 ELSE 1 END, b.queue_key, b.id LIMIT "   \
                  "$3 OFFSET $4"

/* The open red and orange cases of the subtree counted per place (one row per village or
 * grid that has any): the cards' totals and the child regions' counts are sums of these. */
#define BOARD_COUNTS                                                                               \
    "SELECT k.risk, k.region_path, COUNT(*) AS n" BOARD_RANGE " GROUP BY k.risk, k.region_path"

static store_err board_counts(struct store_conn *c, const struct store_rows *root,
                              const struct store_rows *places, struct store_rows **counts,
                              int64_t *red, int64_t *orange)
{
    struct store_rows *kids = NULL;
    store_err e = root->nrows ? store_exec(c,
                                           "SELECT id, name, path FROM regions WHERE parent_id = $1"
                                           " ORDER BY code",
                                           STORE_PARAMS(SP_INT(store_rows_int(root, 0, 0))), &kids)
                              : store_exec(c,
                                           "SELECT id, name, path FROM regions WHERE parent_id IS "
                                           "NULL ORDER BY code",
                                           0, NULL, &kids);

    *red = *orange = 0;
    for (int k = 0; k < places->nrows; k++)
        *(strcmp(store_rows_get(places, k, 0), "red") == 0 ? red : orange) +=
            store_rows_int(places, k, 2);
    if (e != STORE_OK)
        return e;
    *counts = store_rows_new(4);
    if (!*counts) {
        store_rows_free(kids);
        return STORE_ERROR;
    }
    store_rows_set_name(*counts, 0, "region_id");
    store_rows_set_name(*counts, 1, "name");
    store_rows_set_name(*counts, 2, "red");
    store_rows_set_name(*counts, 3, "orange");
    (*counts)->types = "itii";
    for (int i = 0; e == STORE_OK && i < kids->nrows; i++) {
        const char *path = store_rows_get(kids, i, 2);
        int64_t n[2] = {0, 0};
        char **vals = calloc(4, sizeof *vals);
        for (int k = 0; k < places->nrows; k++)
            if (strncmp(store_rows_get(places, k, 1), path, strlen(path)) == 0)
                n[strcmp(store_rows_get(places, k, 0), "red") == 0 ? 0 : 1] +=
                    store_rows_int(places, k, 2);
        if (vals && asprintf(&vals[2], "%lld", (long long)n[0]) > 0 &&
            asprintf(&vals[3], "%lld", (long long)n[1]) > 0) {
            vals[0] = strdup(store_rows_get(kids, i, 0));
            vals[1] = strdup(store_rows_get(kids, i, 1));
        }
        if (!vals || !vals[0] || !vals[1] || store_rows_add(*counts, vals) != 0)
            e = STORE_ERROR;
        free(vals);
    }
    store_rows_free(kids);
    return e;
}

store_err store_risk_board(struct store_conn *c, const struct store_actor *a, int64_t region_id,
                           const struct store_page *pg, struct store_board *out)
{
    struct store_rows *root = NULL, *places = NULL;
    struct region_scope sc = a->scope;
    store_err e = board_root(c, a, region_id, &root);

    memset(out, 0, sizeof *out);
    if (e == STORE_OK && root->nrows)
        region_scope_from_path(store_rows_get(root, 0, 1), &sc);
    if (e == STORE_OK)
        e = store_exec(c, BOARD_CASES,
                       STORE_PARAMS(SP_TEXT(sc.lo), SP_TEXT(sc.hi), SP_INT(pg->per_page),
                                    SP_INT((pg->page - 1) * pg->per_page)),
                       &out->cases);
    if (e == STORE_OK)
        e = store_exec(c, BOARD_COUNTS, STORE_PARAMS(SP_TEXT(sc.lo), SP_TEXT(sc.hi)), &places);
    if (e == STORE_OK) {
        out->cases->types = "ittttitttti";
        e = board_counts(c, root, places, &out->regions, &out->red, &out->orange);
    }
    store_rows_free(places);
    store_rows_free(root);
    if (e != STORE_OK) {
        store_rows_free(out->cases);
        store_rows_free(out->regions);
        memset(out, 0, sizeof *out);
    }
    return e;
}

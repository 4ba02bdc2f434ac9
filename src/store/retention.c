/*
 * retention.c - archived cases past the retention period and their anonymisation
 * (个人信息保护法 art. 19, 47). See store/retention.h and case/retention.c.
 */
#include "store/retention.h"

#include "store/cases.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

store_err store_retention_due(struct store_conn *c, int64_t cutoff_ms, int64_t after,
                              struct store_rows **out)
{
    return store_exec(c,
                      "SELECT k.id, k.number, k.facts, k.claims, k.cause FROM cases k"
                      " WHERE k.state = 'archived' AND k.legal_hold = 0"
                      " AND k.anonymised_at IS NULL AND k.id > $1"
                      " AND (SELECT MAX(e.at) FROM case_events e"
                      "      WHERE e.case_id = k.id AND e.action = 'archive') < $2"
                      " ORDER BY k.id LIMIT $3",
                      STORE_PARAMS(SP_INT(after), SP_INT(cutoff_ms), SP_INT(STORE_RETENTION_BATCH)),
                      out);
}

store_err store_retention_held(struct store_conn *c, int64_t cutoff_ms, int64_t *n)
{
    struct store_rows *r = NULL;
    store_err e = store_exec(c,
                             "SELECT COUNT(*) FROM cases k"
                             " WHERE k.state = 'archived' AND k.legal_hold <> 0"
                             " AND k.anonymised_at IS NULL"
                             " AND (SELECT MAX(e.at) FROM case_events e"
                             "      WHERE e.case_id = k.id AND e.action = 'archive') < $1",
                             STORE_PARAMS(SP_INT(cutoff_ms)), &r);

    *n = e == STORE_OK ? store_rows_int(r, 0, 0) : 0;
    store_rows_free(r);
    return e;
}

store_err store_retention_anonymise(struct store_conn *c, int64_t id, const char *number,
                                    const char *text_terms, const char *(*label)(int),
                                    int *nparties)
{
    struct store_rows *p = NULL;
    store_err e = store_exec(c, "SELECT id FROM case_parties WHERE case_id = $1 ORDER BY id",
                             STORE_PARAMS(SP_INT(id)), &p);

    *nparties = 0;
    for (int i = 0; e == STORE_OK && i < p->nrows; i++) {
        e = store_exec(c,
                       "UPDATE case_parties SET name = $2, id_sealed = NULL, id_index = NULL,"
                       " phone_sealed = NULL, phone_index = NULL, address_sealed = NULL,"
                       " agent = NULL WHERE id = $1",
                       STORE_PARAMS(SP_INT(store_rows_int(p, i, 0)), SP_TEXT(label(i))), NULL);
        *nparties += e == STORE_OK;
    }
    if (e == STORE_OK)
        e = store_case_set_terms(c, id, number, text_terms);
    if (e == STORE_OK)
        e = store_exec(c, "UPDATE cases SET anonymised_at = $2 WHERE id = $1",
                       STORE_PARAMS(SP_INT(id), SP_INT(store_now_ms())), NULL);
    store_rows_free(p);
    return e;
}

/* Runs a PRAGMA on SQLite (which answers with a row); nothing on PostgreSQL. */
static store_err sqlite_pragma(struct store_conn *c, const char *sql)
{
    struct store_rows *r = NULL;
    store_err e = STORE_OK;

    if (store_conn_kind(c) == STORE_SQLITE)
        e = store_exec(c, sql, 0, NULL, &r);
    store_rows_free(r);
    return e;
}

store_err store_retention_begin(struct store_conn *c)
{
    return sqlite_pragma(c, "PRAGMA secure_delete = ON");
}

store_err store_retention_finish(struct store_conn *c)
{
    return sqlite_pragma(c, "PRAGMA wal_checkpoint(TRUNCATE)");
}

store_err store_retention_parties(struct store_conn *c, int64_t id, struct store_rows **out)
{
    return store_exec(c, "SELECT name, agent FROM case_parties WHERE case_id = $1 ORDER BY id",
                      STORE_PARAMS(SP_INT(id)), out);
}

/* A table's free-text columns of one case: the SELECT names the key column first (the row's
 * id, or case_id where the table has one row per case), then the text columns. */
struct scrub_table {
    const char *select, *table, *key;
    const char *cols[5];
    int json;
};

static const struct scrub_table scrub_tables[] = {
    {"SELECT id, facts, claims, cause, forecast FROM cases WHERE id = $1",
     "cases",
     "id",
     {"facts", "claims", "cause", "forecast"},
     0},
    {"SELECT id, place, participants, record, next_step FROM case_sessions WHERE case_id = $1",
     "case_sessions",
     "id",
     {"place", "participants", "record", "next_step"},
     0},
    {"SELECT id, data FROM case_events WHERE case_id = $1", "case_events", "id", {"data"}, 1},
    {"SELECT case_id, measures FROM control_plans WHERE case_id = $1",
     "control_plans",
     "case_id",
     {"measures"},
     0},
    {"SELECT id, content, reply FROM supervision_orders WHERE case_id = $1",
     "supervision_orders",
     "id",
     {"content", "reply"},
     0},
};

/* Writes one masked value back when it changed. */
static store_err scrub_value(struct store_conn *c, const struct scrub_table *t, int col,
                             int64_t key, const char *old, store_retention_mask_fn mask, void *ctx,
                             int64_t *changed)
{
    char sql[160], *now;
    store_err e = STORE_OK;

    if (!old)
        return STORE_OK;
    now = mask(ctx, old, t->json);
    if (!now)
        return STORE_ERROR;
    if (strcmp(now, old) != 0) {
        /* Table and column names come from scrub_tables, never from input. */
        snprintf(sql, sizeof sql, "UPDATE %s SET %s = $2 WHERE %s = $1", t->table, t->cols[col],
                 t->key);
        e = store_exec(c, sql, STORE_PARAMS(SP_INT(key), SP_TEXT(now)), NULL);
        *changed += e == STORE_OK;
    }
    free(now);
    return e;
}

static store_err scrub_table(struct store_conn *c, const struct scrub_table *t, int64_t id,
                             store_retention_mask_fn mask, void *ctx, int64_t *changed)
{
    struct store_rows *r = NULL;
    store_err e = store_exec(c, t->select, STORE_PARAMS(SP_INT(id)), &r);

    for (int i = 0; e == STORE_OK && i < r->nrows; i++)
        for (int k = 0; e == STORE_OK && k < 5 && t->cols[k]; k++)
            e = scrub_value(c, t, k, store_rows_int(r, i, 0), store_rows_get(r, i, k + 1), mask,
                            ctx, changed);
    store_rows_free(r);
    return e;
}

/* Marks the case's attachments deleted (name masked) and lists the files nothing else uses. */
static store_err scrub_attachments(struct store_conn *c, int64_t id, store_retention_mask_fn mask,
                                   void *ctx, struct store_retention_scrub *n, char ***files)
{
    struct store_rows *r = NULL;
    store_err e = store_exec(c,
                             "SELECT id, name, size FROM case_attachments"
                             " WHERE case_id = $1 AND deleted_at IS NULL",
                             STORE_PARAMS(SP_INT(id)), &r);

    for (int i = 0; e == STORE_OK && i < r->nrows; i++) {
        char *name = mask(ctx, store_rows_get(r, i, 1), 0);
        e = name
                ? store_exec(c,
                             "UPDATE case_attachments SET name = $2, deleted_at = $3 WHERE id = $1",
                             STORE_PARAMS(SP_INT(store_rows_int(r, i, 0)), SP_TEXT(name),
                                          SP_INT(store_now_ms())),
                             NULL)
                : STORE_ERROR;
        free(name);
        n->attachments++;
        n->bytes += store_rows_int(r, i, 2);
    }
    store_rows_free(r);
    r = NULL;
    /* Files are stored by content: one shared with a live attachment of another case stays. */
    if (e == STORE_OK)
        e = store_exec(c,
                       "SELECT DISTINCT a.sha256 FROM case_attachments a WHERE a.case_id = $1"
                       " AND NOT EXISTS (SELECT 1 FROM case_attachments b"
                       " WHERE b.sha256 = a.sha256 AND b.deleted_at IS NULL)",
                       STORE_PARAMS(SP_INT(id)), &r);
    if (e == STORE_OK) {
        *files = calloc((size_t)r->nrows + 1, sizeof **files);
        for (int i = 0; *files && i < r->nrows; i++)
            (*files)[i] = strdup(store_rows_get(r, i, 0));
        e = *files ? STORE_OK : STORE_ERROR;
    }
    store_rows_free(r);
    return e;
}

store_err store_retention_scrub(struct store_conn *c, int64_t id, store_retention_mask_fn mask,
                                void *ctx, struct store_retention_scrub *n, char ***files)
{
    store_err e = STORE_OK;
    size_t nt = sizeof scrub_tables / sizeof scrub_tables[0];

    *files = NULL;
    for (size_t t = 0; e == STORE_OK && t < nt; t++)
        e = scrub_table(c, &scrub_tables[t], id, mask, ctx, &n->texts);
    if (e == STORE_OK)
        e = scrub_attachments(c, id, mask, ctx, n, files);
    return e;
}

store_err store_retention_hold(struct store_conn *c, int64_t id, int hold)
{
    struct store_rows *r = NULL;
    store_err e = store_exec(c, "SELECT id FROM cases WHERE id = $1", STORE_PARAMS(SP_INT(id)), &r);

    if (e == STORE_OK && r->nrows == 0) {
        store_conn_seterr(c, "case not found");
        e = STORE_NOT_FOUND;
    }
    if (e == STORE_OK)
        e = store_exec(c, "UPDATE cases SET legal_hold = $2 WHERE id = $1",
                       STORE_PARAMS(SP_INT(id), SP_INT(hold ? 1 : 0)), NULL);
    store_rows_free(r);
    return e;
}

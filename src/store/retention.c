/*
 * retention.c - archived cases past the retention period and their anonymisation
 * (个人信息保护法 art. 19, 47). See store/retention.h and case/retention.c.
 */
#include "store/retention.h"

#include "store/cases.h"

#include <stdio.h>

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

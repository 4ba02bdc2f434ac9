#include "store/staffseal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

store_err store_staff_phone(struct store_conn *c, const char *phone, struct staff_phone *p)
{
    struct seal *s = store_conn_seal(c);
    char norm[SEAL_PHONE_LEN];

    memset(p, 0, sizeof *p);
    if (!phone)
        return STORE_OK;
    if (!s) {
        p->plain = phone;
        return STORE_OK;
    }
    p->sealed = seal_encrypt(s, phone);
    if (!p->sealed) {
        store_conn_seterr(c, "out of memory sealing a phone");
        return STORE_ERROR;
    }
    /* The index is of the normalised number, so "138-0000-0001" finds "13800000001"; an
     * empty phone (cleared) has none. */
    if (seal_norm_phone(phone, norm, sizeof norm) == 0) {
        seal_index(s, "phone", norm, p->idx);
        p->index = p->idx;
    }
    return STORE_OK;
}

void store_staff_phone_free(struct staff_phone *p)
{
    free(p->sealed);
    p->sealed = NULL;
}

store_err store_staff_phone_update(struct store_conn *c, const char *table, int64_t id,
                                   const struct staff_phone *p)
{
    char sql[160];

    if (!p->plain && !p->sealed)
        return STORE_OK;
    snprintf(sql, sizeof sql,
             "UPDATE %s SET phone = $2, phone_sealed = $3, phone_index = $4 WHERE id = $1", table);
    return store_exec(
        c, sql, STORE_PARAMS(SP_INT(id), SP_TEXT(p->plain), SP_TEXT(p->sealed), SP_TEXT(p->index)),
        NULL);
}

store_err store_rows_open_phones(struct store_conn *c, struct store_rows *r)
{
    struct seal *s = store_conn_seal(c);
    int col = r ? store_rows_col(r, "phone") : -1;

    if (col < 0)
        return STORE_OK;
    for (int i = 0; i < r->nrows; i++) {
        const char *v = store_rows_get(r, i, col);
        char *plain = NULL;
        if (!v || strncmp(v, "v1:", 3) != 0)
            continue; /* plain: not sealed yet (see the header) */
        if (s && seal_decrypt(s, v, &plain) == SEAL_ENOMEM) {
            store_conn_seterr(c, "out of memory opening a phone");
            return STORE_ERROR;
        }
        store_rows_put(r, i, col, plain); /* NULL when there is no key or it does not open */
    }
    return STORE_OK;
}

store_err store_opened(struct store_conn *c, store_err e, struct store_rows **out)
{
    if (e == STORE_OK)
        e = store_rows_open_phones(c, *out);
    if (e != STORE_OK) {
        store_rows_free(*out);
        *out = NULL;
    }
    return e;
}

store_err store_staff_phone_put(struct store_conn *c, const char *table, int64_t id,
                                const char *phone)
{
    struct staff_phone p;
    store_err e = store_staff_phone(c, phone, &p);

    if (e == STORE_OK)
        e = store_staff_phone_update(c, table, id, &p);
    store_staff_phone_free(&p);
    return e;
}

/* Seals up to 200 plain phones of one table; *n counts them (0: the table is done). */
static store_err seal_batch(struct store_conn *c, const char *table, int64_t *n)
{
    char sel[128], upd[160];
    struct store_rows *r = NULL;
    store_err e;

    snprintf(sel, sizeof sel, "SELECT id, phone FROM %s WHERE phone IS NOT NULL LIMIT 200", table);
    snprintf(upd, sizeof upd,
             "UPDATE %s SET phone_sealed = $2, phone_index = $3, phone = NULL WHERE id = $1",
             table);
    *n = 0;
    e = store_begin(c, 1);
    if (e != STORE_OK)
        return e;
    e = store_exec(c, sel, 0, NULL, &r);
    for (int i = 0; e == STORE_OK && i < r->nrows; i++) {
        struct staff_phone p;
        e = store_staff_phone(c, store_rows_get(r, i, 1), &p);
        if (e == STORE_OK)
            e = store_exec(
                c, upd,
                STORE_PARAMS(SP_INT(store_rows_int(r, i, 0)), SP_TEXT(p.sealed), SP_TEXT(p.index)),
                NULL);
        store_staff_phone_free(&p);
        (*n)++;
    }
    store_rows_free(r);
    return store_end(c, e);
}

store_err store_staff_phones_seal(struct store_conn *c, int64_t *sealed)
{
    static const char *const tables[] = {"users", "mediators", "experts", "grid_workers"};
    store_err e = STORE_OK;

    *sealed = 0;
    if (!store_conn_seal(c)) {
        store_conn_seterr(c, "no key to seal phones with");
        return STORE_ERROR;
    }
    for (size_t t = 0; e == STORE_OK && t < sizeof tables / sizeof tables[0]; t++) {
        int64_t n = 1;
        while (e == STORE_OK && n > 0) {
            e = seal_batch(c, tables[t], &n);
            *sealed += n;
        }
    }
    return e;
}

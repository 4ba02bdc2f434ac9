/*
 * personexport.c - GET /api/v1/people/export?id_number=&reason=: one person's data on request.
 *
 * 个人信息保护法 art. 45: a person may consult and copy their personal information, and the
 * handler provides it promptly. The person is found by the blind index of the resident ID
 * number (case_parties.id_index, src/seal; the store never sees the number): every case in
 * the administrator's scope where that number is a party, with that person's own data in
 * full and the case's registration elements — never the other parties' data (art. 45 gives
 * the right to one's own information only). Administrators only: they answer such requests
 * at the centre, with the stated reason audited (art. 51: a record of who handled what).
 */
#include "api/api.h"
#include "core/verr.h"
#include "seal/seal.h"
#include "store/audit.h"
#include "store/cases.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* At most this many cases answered; one person is a party to few. */
#define EXPORT_MAX 500

static const char PARTY_SQL[] =
    "SELECT id, case_id, role, kind, name, id_sealed, phone_sealed, address_sealed, agent"
    " FROM case_parties WHERE id_index IN ($1, $2) ORDER BY case_id, id LIMIT 500";

/* The registration elements of a case (人民调解 registration: number, when, how received,
 * what kind, where, facts and claims) and its state. */
static json_t *case_elements(const struct store_rows *k)
{
    static const char *const keys[] = {"number",      "state", "channel", "category", "region_name",
                                       "occurred_on", "facts", "claims",  NULL};
    json_t *o = json_object();

    json_object_set_new(o, "id", json_integer(store_rows_int(k, 0, store_rows_col(k, "id"))));
    json_object_set_new(o, "received_at",
                        json_integer(store_rows_int(k, 0, store_rows_col(k, "received_at"))));
    for (int i = 0; keys[i]; i++) {
        const char *v = store_rows_get(k, 0, store_rows_col(k, keys[i]));
        json_object_set_new(o, keys[i], v ? json_string(v) : json_null());
    }
    return o;
}

/* The party row r with its sealed fields opened: the person's own data in full. */
static json_t *party_full(struct api_ctx *ctx, const struct store_rows *p, int r)
{
    static const char *const sealed[] = {"id_sealed", "phone_sealed", "address_sealed"};
    static const char *const keys[] = {"id_number", "phone", "address"};
    json_t *o =
        json_pack("{s:I, s:s?, s:s?, s:s?, s:s?}", "id", (json_int_t)store_rows_int(p, r, 0),
                  "role", store_rows_get(p, r, 2), "kind", store_rows_get(p, r, 3), "name",
                  store_rows_get(p, r, 4), "agent", store_rows_get(p, r, 8));

    for (int k = 0; k < 3; k++) {
        const char *v = store_rows_get(p, r, store_rows_col(p, sealed[k]));
        char *plain = NULL;
        if (v && seal_decrypt(ctx->app->seal, v, &plain) == SEAL_OK)
            json_object_set_new(o, keys[k], json_string(plain));
        else
            json_object_set_new(o, keys[k], json_null());
        free(plain);
    }
    return o;
}

/* The cases in the caller's scope where the party rows `p` stand; ids appended to `ids`. */
static store_err gather(struct api_ctx *ctx, const struct store_rows *p, json_t *items, char *ids,
                        size_t idsz)
{
    store_err e = STORE_OK;

    for (int r = 0; r < p->nrows && e == STORE_OK; r++) {
        struct store_rows *k = NULL;
        int64_t cid = store_rows_int(p, r, 1);
        size_t used = strlen(ids);
        e = store_case_get(ctx->conn, &ctx->actor, cid, &k);
        if (e == STORE_NOT_FOUND) { /* out of the administrator's scope */
            e = STORE_OK;
            continue;
        }
        if (e == STORE_OK) {
            json_t *one =
                json_pack("{s:o, s:o}", "case", case_elements(k), "party", party_full(ctx, p, r));
            json_array_append_new(items, one);
            if (used + 24 < idsz)
                snprintf(ids + used, idsz - used, "%s%lld", used > 6 ? "," : "", (long long)cid);
        }
        store_rows_free(k);
    }
    return e;
}

void api_people_export(struct http_req *req, struct http_res *res)
{
    struct api_ctx *ctx = api_ctx(req);
    const char *id_number = http_query(req, "id_number"), *reason = http_query(req, "reason");
    char norm[SEAL_ID_LEN], idx[SEAL_INDEX_LEN], other[SEAL_INDEX_LEN], ids[512] = "cases:";
    struct verr_list errs = {0};
    struct store_rows *p = NULL;
    json_t *items = json_array();
    store_err e;

    if (!id_number || !*id_number)
        verr_add(&errs, "id_number", "required", "the person's resident ID number");
    else if (seal_norm_id_number(id_number, norm, sizeof norm) != 0)
        verr_add(&errs, "id_number", "invalid", "is not a valid resident ID number");
    if (errs.n) {
        api_validation(res, &errs);
        goto out;
    }
    if (api_reveal_reason(res, reason) != 0)
        goto out;
    if (!ctx->app->seal) {
        http_problem(res, 503, "unavailable", "Service Unavailable", "no key to open sealed data",
                     NULL);
        goto out;
    }
    /* Both keys of a rotation: rows not yet re-indexed are this person's too. */
    seal_index(ctx->app->seal, "id", norm, idx);
    seal_index_other(ctx->app->seal, "id", norm, other);
    e = store_exec(ctx->conn, PARTY_SQL, STORE_PARAMS(SP_TEXT(idx), SP_TEXT(other)), &p);
    if (e == STORE_OK)
        e = gather(ctx, p, items, ids, sizeof ids);
    /* Art. 45 with art. 51: who copied whose data, and why (the number itself is not logged). */
    if (e == STORE_OK)
        e = store_audit_append(ctx->conn, &ctx->actor, "export", "party", 0, ids, reason);
    if (e != STORE_OK) {
        api_store_error(res, ctx->conn, e);
        goto out;
    }
    http_res_json(
        res, 200,
        json_pack("{s:O, s:I}", "items", items, "total", (json_int_t)json_array_size(items)));
    http_res_header(res, "Cache-Control", "no-store");
out:
    store_rows_free(p);
    json_decref(items);
}

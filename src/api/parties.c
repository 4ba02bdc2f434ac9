/*
 * parties.c - looking a party up by ID number or phone while a case is being registered
 * (the intake form's 当事人查询): who they are and which cases they had, so that the clerk
 * fills in a known party at once and sees a repeated report before saving it.
 *
 * The look-up goes through the blind indexes (src/seal): the store never sees the number.
 * The name comes back in clear, the phone and address masked (the clerk confirms them with
 * the person at the counter), and a look-up that finds someone is an audited read.
 */
#include "api/api.h"
#include "seal/seal.h"
#include "store/audit.h"
#include "store/cases.h"

#include <stdlib.h>
#include <string.h>

/* The first non-NULL sealed value of `col` among the rows, opened and masked, or null. */
static json_t *masked_first(struct api_ctx *ctx, const struct store_rows *rows, const char *col,
                            int (*mask)(const char *, char *, size_t))
{
    int c = store_rows_col(rows, col);
    json_t *out = json_null();

    for (int r = 0; r < rows->nrows && json_is_null(out); r++) {
        const char *v = store_rows_get(rows, r, c);
        char *plain = NULL, masked[SEAL_MASK_LEN];
        if (v && seal_decrypt(ctx->app->seal, v, &plain) == SEAL_OK &&
            mask(plain, masked, sizeof masked) == 0) {
            json_decref(out);
            out = json_string(masked);
        }
        if (plain) {
            memset(plain, 0, strlen(plain));
            free(plain);
        }
    }
    return out;
}

/* The blind index of an ID number (field "id_number") or a phone (field "phone") into idx;
 * 1, or 0 with the field named invalid in errs. */
static int blind_index(struct api_ctx *ctx, struct verr_list *errs, const char *field,
                       const char *value, char idx[SEAL_INDEX_LEN], char other[SEAL_INDEX_LEN])
{
    int is_id = strcmp(field, "id_number") == 0;
    char norm[64];

    if ((is_id ? seal_norm_id_number(value, norm, sizeof norm)
               : seal_norm_phone(value, norm, sizeof norm)) != 0) {
        verr_add(errs, field, "invalid",
                 is_id ? "is not a valid resident ID number" : "is not a valid phone number");
        return 0;
    }
    seal_index(ctx->app->seal, is_id ? "id" : "phone", norm, idx);
    seal_index_other(ctx->app->seal, is_id ? "id" : "phone", norm, other);
    return 1;
}

void api_parties_lookup(struct http_req *req, struct http_res *res)
{
    struct api_ctx *ctx = api_ctx(req);
    json_t *body = api_body(req, res), *reply, *cases;
    const char *id_number = NULL, *phone = NULL;
    char id_idx[SEAL_INDEX_LEN], phone_idx[SEAL_INDEX_LEN];
    char id_other[SEAL_INDEX_LEN], phone_other[SEAL_INDEX_LEN];
    struct verr_list errs = {0};
    struct store_rows *rows = NULL;
    int has_id = 0, has_phone = 0;
    store_err e;

    if (!body)
        return;
    api_fields(body,
               (struct api_field[]){{"id_number", 's', 0, &id_number}, {"phone", 's', 0, &phone}},
               2, &errs, NULL, 0);
    has_id = id_number && *id_number &&
             blind_index(ctx, &errs, "id_number", id_number, id_idx, id_other);
    has_phone = phone && *phone && blind_index(ctx, &errs, "phone", phone, phone_idx, phone_other);
    if (!errs.n && !has_id && !has_phone)
        verr_add(&errs, "id_number", "required", "give an ID number or a phone number");
    if (errs.n) {
        api_validation(res, &errs);
        json_decref(body);
        return;
    }
    e = store_party_lookup(ctx->conn, &ctx->actor, has_id ? id_idx : NULL,
                           has_phone ? phone_idx : NULL, has_id ? id_other : NULL,
                           has_phone ? phone_other : NULL, &rows);
    if (e == STORE_OK && rows->nrows > 0)
        e = store_audit_read(ctx->conn, &ctx->actor, "party", store_rows_int(rows, 0, 5),
                             "name,phone,address");
    if (e != STORE_OK) {
        store_rows_free(rows);
        json_decref(body);
        api_store_error(res, ctx->conn, e);
        return;
    }
    cases = json_array();
    for (int r = 0; r < rows->nrows; r++) {
        /* One person may be two parties of a case (found by ID number in one, by phone in
         * the other): the case is listed once. */
        int64_t id = store_rows_int(rows, r, 5);
        if (r > 0 && store_rows_int(rows, r - 1, 5) == id)
            continue;
        json_t *row = api_row(rows, r);
        json_array_append_new(cases, json_pack("{s:O, s:O, s:O, s:O, s:O, s:O}", "id",
                                               json_object_get(row, "case_id"), "number",
                                               json_object_get(row, "number"), "state",
                                               json_object_get(row, "state"), "category",
                                               json_object_get(row, "category"), "role",
                                               json_object_get(row, "role"), "received_at",
                                               json_object_get(row, "received_at")));
        json_decref(row);
    }
    reply = json_pack("{s:b, s:s?, s:s?, s:o, s:o, s:o}", "found", rows->nrows > 0, "name",
                      rows->nrows ? store_rows_get(rows, 0, 0) : NULL, "kind",
                      rows->nrows ? store_rows_get(rows, 0, 1) : NULL, "phone",
                      masked_first(ctx, rows, "phone_sealed", seal_mask_phone), "address",
                      masked_first(ctx, rows, "address_sealed", seal_mask_address), "cases", cases);
    store_rows_free(rows);
    json_decref(body);
    http_res_json(res, 200, reply);
}

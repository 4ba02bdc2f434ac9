/*
 * reveal.c - who may see a party's full ID number, phone and address, and the reveal itself.
 *
 * An ID number is sensitive personal information (个人信息保护法 art. 28); handling it
 * needs a specific purpose and strict protection (art. 28 para. 2, art. 29), and access
 * is limited to the staff who need it (art. 51 item 3: 合理确定个人信息处理的操作权限).
 * So the case view and printed documents show parties' numbers masked, and the full values
 * are shown only to a role that may, on a stated reason, each time audited with the reason:
 *   - a supervisor (协调督办岗) or a leader (包案领导) whose scope holds the case;
 *   - a mediator who handles the case: the responsible user or one of its mediators.
 * Clerks, dispatchers, grid workers and administrators see masked values only.
 */
#include "api/api.h"
#include "core/role.h"
#include "core/verr.h"
#include "seal/seal.h"
#include "store/audit.h"
#include "store/cases.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Whether the signed-in mediator is the case's responsible user or one of its mediators. */
static int handles_case(struct api_ctx *ctx, const struct store_rows *kase)
{
    const char *resp = store_rows_get(kase, 0, store_rows_col(kase, "resp_user_id"));
    json_t *ids;
    struct store_rows *m = NULL;
    int yes = 0;

    if (resp && strtoll(resp, NULL, 10) == ctx->actor.user_id)
        return 1;
    ids = json_loads(store_rows_get(kase, 0, store_rows_col(kase, "mediator_ids")), 0, NULL);
    if (json_array_size(ids) > 0 &&
        store_exec(ctx->conn, "SELECT id FROM mediators WHERE user_id = $1",
                   STORE_PARAMS(SP_INT(ctx->actor.user_id)), &m) == STORE_OK) {
        json_t *v;
        size_t i;
        json_array_foreach(ids, i, v) for (int r = 0; r < m->nrows;
                                           r++) if (json_integer_value(v) ==
                                                    store_rows_int(m, r, 0)) yes = 1;
    }
    store_rows_free(m);
    json_decref(ids);
    return yes;
}

int api_may_reveal(struct http_req *req, const struct store_rows *kase)
{
    if (api_has_role(req, ROLE_SUPERVISOR | ROLE_LEADER))
        return 1;
    return api_has_role(req, ROLE_MEDIATOR) && handles_case(api_ctx(req), kase);
}

int api_reveal_reason(struct http_res *res, const char *reason)
{
    struct verr_list errs = {0};

    if (!reason || !*reason)
        verr_add(&errs, "reason", "required", "say why the full numbers are needed");
    else
        verr_check_text(&errs, "reason", reason, 2, 200);
    if (errs.n == 0)
        return 0;
    api_validation(res, &errs);
    return -1;
}

void api_forbid_reveal(struct http_res *res)
{
    http_problem(res, 403, "forbidden", "Forbidden",
                 "your role may not see parties' full ID numbers and phones", NULL);
}

/* The party `pid` of the case with its sealed fields opened, or NULL if it is not there. */
static json_t *party_opened(struct api_ctx *ctx, int64_t case_id, int64_t pid)
{
    static const char *const sealed[] = {"id_sealed", "phone_sealed", "address_sealed"};
    static const char *const keys[] = {"id_number", "phone", "address"};
    struct store_rows *p = NULL;
    json_t *o = NULL;

    if (store_case_parties(ctx->conn, case_id, &p) != STORE_OK)
        return NULL;
    for (int i = 0; i < p->nrows && !o; i++) {
        if (store_rows_int(p, i, 0) != pid)
            continue;
        o = json_pack("{s:I, s:s?}", "id", (json_int_t)pid, "name", store_rows_get(p, i, 3));
        for (int k = 0; k < 3; k++) {
            const char *v = store_rows_get(p, i, store_rows_col(p, sealed[k]));
            char *plain = NULL;
            if (v && ctx->app->seal && seal_decrypt(ctx->app->seal, v, &plain) == SEAL_OK)
                json_object_set_new(o, keys[k], json_string(plain));
            else
                json_object_set_new(o, keys[k], json_null());
            free(plain);
        }
    }
    store_rows_free(p);
    return o;
}

/* POST /api/v1/cases/{id}/parties/{pid}/reveal {reason}: one party's full numbers. */
void api_cases_party_reveal(struct http_req *req, struct http_res *res)
{
    struct api_ctx *ctx = api_ctx(req);
    int64_t id = api_path_id(req, res, 0), pid = id ? api_path_id(req, res, 1) : 0;
    struct verr_list errs = {0};
    struct store_rows *kase = NULL;
    const char *reason = NULL;
    char fields[64];
    json_t *body = NULL, *party = NULL;
    store_err e;

    if (!pid)
        return;
    body = api_body(req, res);
    if (!body)
        return;
    api_fields(body, (struct api_field[]){{"reason", 's', 1, &reason}}, 1, &errs, NULL, 0);
    if (errs.n) {
        api_validation(res, &errs);
        goto out;
    }
    if (api_reveal_reason(res, reason) != 0)
        goto out;
    e = store_case_get(ctx->conn, &ctx->actor, id, &kase);
    if (e != STORE_OK) {
        api_store_error(res, ctx->conn, e);
        goto out;
    }
    if (!api_may_reveal(req, kase)) {
        api_forbid_reveal(res);
        goto out;
    }
    party = party_opened(ctx, id, pid);
    if (!party) {
        http_problem(res, 404, "not-found", "Not Found", "no such party in this case", NULL);
        goto out;
    }
    /* Art. 28/29: the purpose is recorded with every reveal, and whose numbers they were. */
    snprintf(fields, sizeof fields, "party:%lld,id_number,phone,address", (long long)pid);
    e = store_audit_append(ctx->conn, &ctx->actor, "reveal", "case", id, fields, reason);
    if (e != STORE_OK) {
        api_store_error(res, ctx->conn, e);
        goto out;
    }
    http_res_json(res, 200, json_incref(party));
    http_res_header(res, "Cache-Control", "no-store");
out:
    json_decref(party);
    json_decref(body);
    store_rows_free(kase);
}

/*
 * partner.c - partner agencies (court, police, petition office) in the closed loop: a user
 * holding only the partner role, in the agency's organization, uses an API token to list
 * the cases referred to that organization, read their referral summaries and answer with
 * feedback. The dispatcher refuses a partner every other route (dispatch.c); here the
 * organization is the scope: a case referred elsewhere is "not found".
 */
#include "api/api.h"
#include "case/case.h"
#include "notify/admin.h"

#include <string.h>

void api_partner_referrals(struct http_req *req, struct http_res *res)
{
    struct api_ctx *ctx = api_ctx(req);
    struct verr_list errs = {0};
    struct store_page pg;
    struct store_rows *rows = NULL;
    store_err e;

    api_query_page(req, &pg, &errs);
    if (errs.n) {
        api_validation(res, &errs);
        return;
    }
    e = notify_partner_referrals(ctx->conn, ctx->who.org_id, &pg, &rows);
    api_reply_page(res, ctx->conn, e, rows, &pg);
}

void api_partner_referral(struct http_req *req, struct http_res *res)
{
    struct api_ctx *ctx = api_ctx(req);
    struct store_rows *rows = NULL;
    int64_t id = api_path_id(req, res, 0);
    store_err e;

    if (!id)
        return;
    e = notify_partner_referral(ctx->conn, ctx->who.org_id, id, &rows);
    api_reply_row(res, ctx->conn, e, rows, 200);
}

/*
 * The agency's answer is the case's `feedback` action, taken through the case module so
 * that the timeline and the audit log record it under the partner's login. The partner's
 * own region need not cover the case (a county court answers for a village's case): the
 * organization check above is the scope, and the action is fixed to feedback.
 */
void api_partner_feedback(struct http_req *req, struct http_res *res)
{
    static const char *const fields[] = {"feedback", NULL};
    struct api_ctx *ctx = api_ctx(req);
    struct verr_list errs = {0};
    struct store_rows *rows = NULL;
    struct case_out out = {0};
    struct store_actor actor;
    struct case_env env;
    int64_t id = api_path_id(req, res, 0);
    json_t *body = id ? api_body(req, res) : NULL, *act = NULL;
    store_err e;

    if (!body)
        return;
    api_only_fields(body, fields, &errs);
    if (errs.n) {
        api_validation(res, &errs);
        goto out;
    }
    e = notify_partner_referral(ctx->conn, ctx->who.org_id, id, &rows);
    if (e != STORE_OK) {
        api_store_error(res, ctx->conn, e);
        goto out;
    }
    store_rows_free(rows);
    rows = NULL;
    store_actor_system(&actor);
    actor.user_id = ctx->actor.user_id;
    memcpy(actor.login, ctx->actor.login, sizeof actor.login);
    memcpy(actor.ip, ctx->actor.ip, sizeof actor.ip);
    api_case_env(req, &env);
    env.actor = &actor;
    env.who = NULL; /* the state machine's guard still applies: only a referred case */
    act = json_deep_copy(body);
    json_object_set_new(act, "action", json_string("feedback"));
    if (api_case_done(req, res, case_act(&env, id, act, &out), &out)) {
        e = notify_partner_referral(ctx->conn, ctx->who.org_id, id, &rows);
        api_reply_row(res, ctx->conn, e, rows, 200);
    }
out:
    case_out_free(&out);
    json_decref(act);
    json_decref(body);
}

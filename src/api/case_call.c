/*
 * case_call.c - calling the case module from a handler: its environment from the request,
 * and its outcome as an HTTP answer.
 */
#include "api/api.h"
#include "case/case.h"
#include "store/group.h"

#include <stdio.h>

void api_case_env(struct http_req *req, struct case_env *env)
{
    struct api_ctx *ctx = api_ctx(req);

    env->conn = ctx->conn;
    env->actor = &ctx->actor;
    env->who = &ctx->who;
    env->seal = ctx->app->seal;
    env->text = ctx->app->text;
    env->today = case_today();
    env->text_read = NULL;
}

/* 409 with the reason and what the caller may do instead, so the UI can offer it. */
static void refused(struct http_res *res, struct case_out *out)
{
    char detail[160];

    snprintf(detail, sizeof detail, "the action is not possible now (%s) in state %s",
             case_refusal_name(out->refusal), case_state_name(out->state));
    http_res_json(res, 409,
                  json_pack("{s:s, s:s, s:i, s:s, s:s, s:O}", "type",
                            "urn:jiefen:problem:transition", "title", "Action Not Allowed",
                            "status", 409, "detail", detail, "reason",
                            case_refusal_name(out->refusal), "allowed", out->allowed));
    res->content_type = "application/problem+json";
}

int api_case_done(struct http_req *req, struct http_res *res, int rc, struct case_out *out)
{
    struct api_ctx *ctx = api_ctx(req);

    switch ((case_err)rc) {
    case CASE_OK:
        return 1;
    case CASE_INVALID:
        api_validation(res, &out->errs);
        break;
    case CASE_REFUSED:
        refused(res, out);
        break;
    case CASE_UNAVAILABLE:
        http_problem(res, 503, "unavailable", "Service Unavailable",
                     "the key for personal data is not loaded", NULL);
        break;
    case CASE_STORE:
        api_store_error(res, ctx->conn, out->store);
        break;
    }
    return 0;
}

/* A change for the group writer: fn with env on the writer's connection. */
struct grouped {
    struct case_env env; /* the caller's; its connection is where errors are reported */
    int (*fn)(struct case_env *env, void *arg);
    void *arg;
    int rc;
};

static void grouped_run(struct store_conn *c, void *p)
{
    struct grouped *g = p;
    struct case_env env = g->env;

    env.conn = c;
    g->rc = g->fn(&env, g->arg);
    if (g->rc != CASE_OK)
        store_conn_error_copy(g->env.conn, c);
}

int api_case_write(struct http_req *req, struct http_res *res, const struct case_env *env,
                   int (*fn)(struct case_env *env, void *arg), void *arg, int *rc)
{
    struct api_ctx *ctx = api_ctx(req);
    struct grouped g = {.env = *env, .fn = fn, .arg = arg};

    if (!ctx->app->group) {
        *rc = fn(&g.env, arg);
        return 1;
    }
    if (store_group_run(ctx->app->group, grouped_run, &g) != STORE_OK) {
        http_problem(res, 503, "unavailable", "Service Unavailable",
                     "the change could not be saved; nothing was changed, try again", NULL);
        return 0;
    }
    *rc = g.rc;
    return 1;
}

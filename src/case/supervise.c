/*
 * supervise.c - supervision orders (督办 and 挂牌督办) on a case: a supervisor or leader puts
 * a case under supervision with a content and a deadline; those who answer for it reply.
 * An order is filed under the unit that holds the case now, so it follows an escalation.
 */
#include "case/case_impl.h"
#include "core/jfield.h"
#include "core/timefmt.h"

#include <string.h>

case_err case_order_issue(const struct case_env *env, int64_t id, json_t *req, int64_t *order_id,
                          struct case_out *out)
{
    struct store_rows *kase = NULL;
    const char *level = NULL, *content = NULL, *deadline = NULL, *state;
    int32_t d;
    store_err e;

    jfield_read(req,
                (struct jfield[]){{"level", 's', 0, &level},
                                  {"content", 's', 1, &content},
                                  {"deadline", 's', 1, &deadline}},
                3, &out->errs, NULL, 0);
    level = level ? level : "supervise";
    if (strcmp(level, "supervise") != 0 && strcmp(level, "listed") != 0)
        verr_add(&out->errs, "level", "invalid", "must be supervise (督办) or listed (挂牌督办)");
    if (content)
        verr_check_text(&out->errs, "content", content, 1, 2000);
    if (deadline && timefmt_day_parse(deadline, &d) != 0)
        verr_add(&out->errs, "deadline", "invalid", "must be a date (YYYY-MM-DD)");
    else if (deadline && d < env->today)
        verr_add(&out->errs, "deadline", "invalid", "must not be in the past");
    if (out->errs.n)
        return CASE_INVALID;
    e = store_begin(env->conn, 1);
    if (e == STORE_OK)
        e = store_case_get(env->conn, env->actor, id, &kase);
    if (e == STORE_OK) {
        state = store_rows_get(kase, 0, store_rows_col(kase, "state"));
        if (strcmp(state, "closed") == 0 || strcmp(state, "archived") == 0) {
            store_conn_seterr(env->conn, "the case is closed");
            e = STORE_CONFLICT;
        }
    }
    if (e == STORE_OK)
        e = store_order_issue(env->conn, env->actor, id, level, content, deadline, order_id);
    out->store = store_end(env->conn, e);
    store_rows_free(kase);
    return out->store == STORE_OK ? CASE_OK : CASE_STORE;
}

case_err case_order_reply(const struct case_env *env, int64_t order_id, json_t *req,
                          struct case_out *out)
{
    const char *text = NULL;

    jfield_read(req, (struct jfield[]){{"reply", 's', 1, &text}}, 1, &out->errs, NULL, 0);
    if (text)
        verr_check_text(&out->errs, "reply", text, 1, 2000);
    if (out->errs.n)
        return CASE_INVALID;
    out->store = store_order_reply(env->conn, env->actor, order_id, text);
    return out->store == STORE_OK ? CASE_OK : CASE_STORE;
}

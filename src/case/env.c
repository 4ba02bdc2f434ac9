/*
 * env.c - what the case module's steps look up: the working-day calendar, the end of a
 * period as the law counts it, and references to other records in the actor's scope.
 */
#include "case/case_impl.h"
#include "store/orgs.h"
#include "store/people.h"
#include "store/regions.h"
#include "store/rules.h"
#include "store/users.h"

#include <stdlib.h>
#include <string.h>

store_err case_calendar(const struct case_env *env, struct calendar_day **days, size_t *n)
{
    return store_calendar_load(env->conn, days, n);
}

store_err case_period_end(const struct case_env *env, int32_t day, int32_t *end)
{
    struct calendar_day *days = NULL;
    size_t n = 0;
    store_err e = case_calendar(env, &days, &n);

    if (e == STORE_OK) {
        struct calendar cal = {days, n};
        *end = calendar_period_end(&cal, day); /* 民法典 art. 203 */
    }
    free(days);
    return e;
}

void case_check_ref(const struct case_env *env, struct verr_list *errs, const char *field,
                    const char *kind, int64_t id)
{
    struct store_rows *rows = NULL;
    store_err e;

    if (id <= 0 || verr_has(errs, field))
        return;
    if (strcmp(kind, "organization") == 0)
        e = store_org_get(env->conn, env->actor, id, &rows);
    else if (strcmp(kind, "region") == 0)
        e = store_region_get(env->conn, env->actor, id, &rows);
    else if (strcmp(kind, "mediator") == 0)
        e = store_mediator_get(env->conn, env->actor, id, 0, &rows);
    else if (strcmp(kind, "expert") == 0)
        e = store_expert_get(env->conn, env->actor, id, 0, &rows);
    else if (strcmp(kind, "case") == 0)
        e = store_case_get(env->conn, env->actor, id, &rows);
    else
        e = store_user_get(env->conn, env->actor, id, 0, &rows);
    store_rows_free(rows);
    if (e == STORE_NOT_FOUND)
        verr_add(errs, field, "not_found", "%s does not exist or is outside your scope", kind);
}

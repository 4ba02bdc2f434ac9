/*
 * audit.c - reading the audit log (administrators only; the log is never changed).
 */
#include "api/api.h"
#include "store/group.h"
#include "core/case_fsm.h"
#include "core/timefmt.h"
#include "store/audit.h"

#include <string.h>

/* What the store records; a filter naming anything else is a mistake, not an empty list.
 * Besides these, each action taken on a case is recorded under its own name (case_fsm). */
static const char *const actions[] = {
    "create", "update", "delete",   "read",           "login",     "login_failed",
    "logout", "revoke", "password", "citizen_rating", "merged_in", "reissue_access_code",
    "replay", "view",   "reveal",   "anonymise",      NULL};
static const char *const object_types[] = {"user",
                                           "region",
                                           "organization",
                                           "token",
                                           "mediator",
                                           "expert",
                                           "grid_worker",
                                           "routing_rule",
                                           "catalogue_item",
                                           "calendar_day",
                                           "sensitive_period",
                                           "case",
                                           "party",
                                           "setting",
                                           "supervision_order",
                                           "attachment",
                                           "instalment",
                                           "investigation_report",
                                           "investigation_schedule",
                                           "notify_endpoint",
                                           "outbox",
                                           NULL};

/* The key-person registry's (api/keypersons.c): its own lists, so that the tables above keep
 * their shape while others add to them. */
static const char *const kp_actions[] = {"reveal", "review", "link", NULL};
static const char *const kp_object_types[] = {"key_person", NULL};
/* The ledger and the register's export (api/ledger.c), on object "case". */
static const char *const export_actions[] = {"export", NULL};
/* The reports (api/reports.c): drafted (create), edited (update) and issued. */
static const char *const report_actions[] = {"issue", NULL};
static const char *const report_object_types[] = {"report", NULL};

static int one_of(const char *v, const char *const *list)
{
    for (; *list; list++)
        if (strcmp(v, *list) == 0)
            return 1;
    return 0;
}

static void query_time(struct http_req *req, const char *name, int64_t *out, struct verr_list *errs)
{
    const char *v = http_query(req, name);

    *out = 0;
    if (v && *v && timefmt_parse(v, out) != 0)
        verr_add(errs, name, "invalid", "must be a date (YYYY-MM-DD) or UTC timestamp");
}

void api_audit_list(struct http_req *req, struct http_res *res)
{
    struct api_ctx *ctx = api_ctx(req);
    struct verr_list errs = {0};
    struct store_audit_filter f = {0};
    struct store_page pg;
    struct store_rows *rows = NULL;
    store_err e;

    api_query_id(req, "actor_id", &f.actor_id, &errs);
    api_query_id(req, "object_id", &f.object_id, &errs);
    query_time(req, "since", &f.since, &errs);
    query_time(req, "until", &f.until, &errs);
    api_query_page(req, &pg, &errs);
    api_query_id(req, "after", &f.before_id, &errs);
    if (f.before_id && pg.page > 1)
        verr_add(&errs, "page", "invalid", "give either page or after, not both");
    f.object_type = http_query(req, "object_type");
    f.action = http_query(req, "action");
    if (f.object_type && !*f.object_type)
        f.object_type = NULL;
    if (f.action && !*f.action)
        f.action = NULL;
    if (f.action && !one_of(f.action, actions) && !one_of(f.action, kp_actions) &&
        !one_of(f.action, export_actions) && !one_of(f.action, report_actions) &&
        !case_action_parse(f.action))
        verr_add(&errs, "action", "invalid", "unknown action");
    if (f.object_type && !one_of(f.object_type, object_types) &&
        !one_of(f.object_type, kp_object_types) && !one_of(f.object_type, report_object_types))
        verr_add(&errs, "object_type", "invalid", "unknown object type");
    if (errs.n) {
        api_validation(res, &errs);
        return;
    }
    /* Rows posted to the group writer (a case's "view") are listed once committed. */
    e = store_group_sync(ctx->app->group);
    if (e == STORE_OK)
        e = store_audit_list(ctx->conn, &ctx->actor, &f, &pg, &rows);
    api_reply_page_after(res, ctx->conn, e, rows, &pg);
}

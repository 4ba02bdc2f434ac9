/*
 * routes.c - every route of the server and its handler, in one table.
 * docs/openapi.yaml describes exactly these; tests/api/routes.test.mjs holds them equal.
 */
#include "api/api.h"
#include "core/role.h"

#define ADMIN     ROLE_ADMIN
#define OVERSEERS (ROLE_ADMIN | ROLE_SUPERVISOR | ROLE_LEADER)
/* Who registers disputes: the front desk, triage, and grid workers reporting from patrol. */
/* Who adds evidence and records to a case file. */
#define HANDLING                                                                                   \
    (ROLE_CLERK | ROLE_DISPATCHER | ROLE_MEDIATOR | ROLE_SUPERVISOR | ROLE_GRID_WORKER | ROLE_ADMIN)
#define INTAKE (ROLE_CLERK | ROLE_DISPATCHER | ROLE_GRID_WORKER | ROLE_ADMIN)

/* API_REPLICA: lists and figures, where an answer a second or two old is harmless and the
 * handler only reads (a replica refuses writes); docs/postgresql.md names them. Never the
 * case page: opening a case writes its "view" audit row, and a clerk expects it current. */
const struct http_route api_routes[] = {
    /* method  pattern                          handler              flags       roles */
    {"GET", "/healthz", api_health, API_PUBLIC, 0, 0},
    {"GET", "/metrics", api_metrics, API_PUBLIC, 0, 0},

    {"POST", "/api/v1/session", api_session_create, API_PUBLIC, 0, 0},
    {"GET", "/api/v1/session", api_session_get, API_AUTH, 0, 0},
    {"DELETE", "/api/v1/session", api_session_delete, API_AUTH, 0, 0},

    {"GET", "/api/v1/users", api_users_list, API_AUTH, OVERSEERS, 0},
    {"GET", "/api/v1/leaders", api_leaders_list, API_AUTH, 0, 0},
    {"POST", "/api/v1/users", api_users_create, API_AUTH, ADMIN, 0},
    {"GET", "/api/v1/users/{id}", api_users_get, API_AUTH, 0, 0}, /* overseers or self */
    {"PATCH", "/api/v1/users/{id}", api_users_update, API_AUTH, ADMIN, 0},
    {"POST", "/api/v1/users/{id}/password", api_users_password, API_AUTH, 0, 0}, /* admin/self */

    {"GET", "/api/v1/regions", api_regions_list, API_AUTH, 0, 0},
    {"POST", "/api/v1/regions", api_regions_create, API_AUTH, ADMIN, 0},
    {"GET", "/api/v1/regions/{id}", api_regions_get, API_AUTH, 0, 0},
    {"PATCH", "/api/v1/regions/{id}", api_regions_update, API_AUTH, ADMIN, 0},
    {"GET", "/api/v1/regions/{id}/ancestors", api_regions_ancestors, API_AUTH, 0, 0},
    /* Who is told of a risk alert in the region (预警接收人): its administrators and leaders. */
    {"GET", "/api/v1/regions/{id}/alert-recipients", api_alert_recipients_get, API_AUTH, OVERSEERS,
     0},
    {"PUT", "/api/v1/regions/{id}/alert-recipients", api_alert_recipients_put, API_AUTH,
     ADMIN | ROLE_LEADER, 0},
    /* The court's filings per month (万人成讼率, docs/metrics.md): entered by admins and leaders.
     */
    {"GET", "/api/v1/regions/{id}/court-filings", api_court_filings_list, API_AUTH, OVERSEERS, 0},
    {"PUT", "/api/v1/regions/{id}/court-filings/{month}", api_court_filings_put, API_AUTH,
     ADMIN | ROLE_LEADER, 0},
    {"DELETE", "/api/v1/regions/{id}/court-filings/{month}", api_court_filings_delete, API_AUTH,
     ADMIN | ROLE_LEADER, 0},

    {"GET", "/api/v1/organizations", api_orgs_list, API_AUTH, 0, 0},
    {"POST", "/api/v1/organizations", api_orgs_create, API_AUTH, ADMIN, 0},
    {"GET", "/api/v1/organizations/{id}", api_orgs_get, API_AUTH, 0, 0},
    {"PATCH", "/api/v1/organizations/{id}", api_orgs_update, API_AUTH, ADMIN, 0},

    {"GET", "/api/v1/mediators", api_mediators_list, API_AUTH, 0, 0},
    {"POST", "/api/v1/mediators", api_mediators_create, API_AUTH, ADMIN, 0},
    {"GET", "/api/v1/mediators/{id}", api_mediators_get, API_AUTH, 0, 0},
    {"PATCH", "/api/v1/mediators/{id}", api_mediators_update, API_AUTH, ADMIN, 0},
    {"GET", "/api/v1/experts", api_experts_list, API_AUTH, 0, 0},
    {"POST", "/api/v1/experts", api_experts_create, API_AUTH, ADMIN, 0},
    {"GET", "/api/v1/experts/{id}", api_experts_get, API_AUTH, 0, 0},
    {"PATCH", "/api/v1/experts/{id}", api_experts_update, API_AUTH, ADMIN, 0},
    {"GET", "/api/v1/grid-workers", api_grid_workers_list, API_AUTH, 0, 0},
    {"POST", "/api/v1/grid-workers", api_grid_workers_create, API_AUTH, ADMIN, 0},
    {"PATCH", "/api/v1/grid-workers/{id}", api_grid_workers_update, API_AUTH, ADMIN, 0},

    {"GET", "/api/v1/routing/rules", api_rules_list, API_AUTH, 0, 0},
    {"POST", "/api/v1/routing/rules", api_rules_create, API_AUTH, ADMIN, 0},
    {"GET", "/api/v1/routing/rules/{id}", api_rules_get, API_AUTH, 0, 0},
    {"PATCH", "/api/v1/routing/rules/{id}", api_rules_update, API_AUTH, ADMIN, 0},
    {"DELETE", "/api/v1/routing/rules/{id}", api_rules_delete, API_AUTH, ADMIN, 0},
    {"POST", "/api/v1/routing/preview", api_routing_preview, API_AUTH, 0, 0},

    {"GET", "/api/v1/catalogue", api_catalogue_list, API_AUTH, 0, 0},
    {"POST", "/api/v1/catalogue", api_catalogue_create, API_AUTH, ADMIN, 0},
    {"GET", "/api/v1/catalogue/{id}", api_catalogue_get, API_AUTH, 0, 0},
    {"PATCH", "/api/v1/catalogue/{id}", api_catalogue_update, API_AUTH, ADMIN, 0},
    {"DELETE", "/api/v1/catalogue/{id}", api_catalogue_delete, API_AUTH, ADMIN, 0},

    {"GET", "/api/v1/settings", api_settings_list, API_AUTH, ADMIN, 0},
    {"PUT", "/api/v1/settings/{key}", api_settings_set, API_AUTH, ADMIN, 0},

    {"GET", "/api/v1/calendar", api_calendar_year, API_AUTH, 0, 0},
    {"GET", "/api/v1/calendar/add", api_calendar_add, API_AUTH, 0, 0},
    {"PUT", "/api/v1/calendar/{date}", api_calendar_set, API_AUTH, ADMIN, 0},
    {"DELETE", "/api/v1/calendar/{date}", api_calendar_unset, API_AUTH, ADMIN, 0},
    {"GET", "/api/v1/sensitive-periods", api_periods_list, API_AUTH, 0, 0},
    {"POST", "/api/v1/sensitive-periods", api_periods_create, API_AUTH, ADMIN, 0},
    {"PATCH", "/api/v1/sensitive-periods/{id}", api_periods_update, API_AUTH, ADMIN, 0},
    {"DELETE", "/api/v1/sensitive-periods/{id}", api_periods_delete, API_AUTH, ADMIN, 0},

    {"POST", "/api/v1/imports/{kind}/preview", api_import_preview, API_AUTH, ADMIN, 10u << 20},
    {"POST", "/api/v1/imports/{kind}", api_import_commit, API_AUTH, ADMIN, 10u << 20},
    {"GET", "/api/v1/exports/{file}", api_export, API_AUTH, ADMIN, 0},

    /* The case register and lifecycle (core/case_fsm.c decides what may happen). */
    {"GET", "/api/v1/cases", api_cases_list, API_AUTH | API_REPLICA, 0, 0},
    /* Groups its own write: its checks and sealing run before it waits for the writer. */
    {"POST", "/api/v1/cases", api_cases_create, API_AUTH, INTAKE, 0},
    {"POST", "/api/v1/parties/lookup", api_parties_lookup, API_AUTH, INTAKE, 0},
    /* The register's export and the ledger: whoever reads the register (ledger.c). */
    {"GET", "/api/v1/cases/export", api_cases_export, API_AUTH, 0, 0},
    {"GET", "/api/v1/ledger", api_ledger, API_AUTH, 0, 0},
    {"GET", "/api/v1/cases/{id}", api_cases_get, API_AUTH, 0, 0},
    {"POST", "/api/v1/cases/{id}/parties/{pid}/reveal", api_cases_party_reveal, API_AUTH,
     ROLE_MEDIATOR | ROLE_SUPERVISOR | ROLE_LEADER, 0},
    {"GET", "/api/v1/people/export", api_people_export, API_AUTH, ADMIN, 0},
    {"GET", "/api/v1/cases/{id}/transitions", api_cases_actions, API_AUTH, 0, 0},
    {"POST", "/api/v1/cases/{id}/transitions", api_cases_transition, API_AUTH, 0, 0},
    {"GET", "/api/v1/cases/{id}/timeline", api_cases_timeline, API_AUTH, 0, 0},
    {"GET", "/api/v1/cases/{id}/fulfilment", api_cases_fulfilment, API_AUTH, 0, 0},
    {"PATCH", "/api/v1/cases/{id}/instalments/{iid}", api_cases_instalment, API_AUTH, HANDLING, 0},
    {"PUT", "/api/v1/cases/{id}/confirmation", api_cases_confirmation, API_AUTH, HANDLING, 0},
    {"GET", "/api/v1/cases/{id}/attachments", api_attachments_list, API_AUTH, 0, 0},
    {"POST", "/api/v1/cases/{id}/attachments", api_attachments_upload, API_AUTH, HANDLING,
     50u << 20},
    {"GET", "/api/v1/cases/{id}/attachments/{aid}", api_attachments_download, API_AUTH, 0, 0},
    {"GET", "/api/v1/cases/{id}/documents", api_cases_documents, API_AUTH, 0, 0},
    {"GET", "/api/v1/cases/{id}/dossier", api_cases_dossier, API_AUTH, 0, 0},
    {"GET", "/api/v1/cases/{id}/documents/{kind}", api_cases_document, API_AUTH, 0, 0},
    {"POST", "/api/v1/cases/{id}/supervision", api_supervision_issue, API_AUTH,
     ROLE_SUPERVISOR | ROLE_LEADER, 0},
    {"GET", "/api/v1/supervision", api_supervision_list, API_AUTH, 0, 0},
    {"POST", "/api/v1/supervision/{id}/reply", api_supervision_reply, API_AUTH, HANDLING, 0},
    {"GET", "/api/v1/warnings", api_warnings_list, API_AUTH, OVERSEERS | ROLE_DISPATCHER, 0},
    /* Risk alerts: anyone sees those of their scope and those sent to them; the store
     * decides who may acknowledge (a recipient, or an overseer of the region). */
    {"GET", "/api/v1/alerts", api_alerts_list, API_AUTH, 0, 0},
    {"POST", "/api/v1/alerts/{id}/ack", api_alerts_ack, API_AUTH, 0, 0},
    {"GET", "/api/v1/workbench", api_workbench, API_AUTH, 0, 0},

    /* 排查预警 (docs/risk.md): the risk board and the control plans of red cases. */
    {"GET", "/api/v1/risk/board", api_risk_board, API_AUTH | API_REPLICA, 0, 0},
    {"GET", "/api/v1/cases/{id}/control-plan", api_control_plan_get, API_AUTH, 0, 0},
    {"PUT", "/api/v1/cases/{id}/control-plan", api_control_plan_put, API_AUTH, 0, 0},

    /* 定期排查 and 趋势预警 (issue 10; docs/risk.md). Filing checks the unit itself. */
    {"GET", "/api/v1/investigation/reports", api_investigation_list, API_AUTH, 0, 0},
    {"POST", "/api/v1/investigation/reports", api_investigation_file, API_AUTH, 0, 0},
    {"GET", "/api/v1/investigation/reports/{id}", api_investigation_get, API_AUTH, 0, 0},
    {"GET", "/api/v1/investigation/schedules", api_investigation_schedules, API_AUTH, 0, 0},
    {"PUT", "/api/v1/investigation/schedules", api_investigation_schedule_set, API_AUTH, ADMIN, 0},
    {"GET", "/api/v1/investigation/completion", api_investigation_completion, API_AUTH, 0, 0},
    {"GET", "/api/v1/trends", api_trends_list, API_AUTH, OVERSEERS | ROLE_DISPATCHER, 0},
    {"GET", "/api/v1/trends/counts", api_trends_counts, API_AUTH | API_REPLICA,
     OVERSEERS | ROLE_DISPATCHER, 0},
    {"GET", "/api/v1/stats/summary", api_stats_summary, API_AUTH | API_REPLICA, 0, 0},
    {"GET", "/api/v1/stats/breakdown", api_stats_breakdown, API_AUTH | API_REPLICA, 0, 0},
    /* 研判预警专报 (reports.c): drafted, edited and issued by the overseers of a region. */
    {"GET", "/api/v1/reports", api_reports_list, API_AUTH | API_REPLICA, OVERSEERS, 0},
    {"POST", "/api/v1/reports", api_reports_create, API_AUTH, OVERSEERS, 0},
    {"GET", "/api/v1/reports/quarterly", api_reports_quarterly, API_AUTH, OVERSEERS, 0},
    {"GET", "/api/v1/reports/{id}", api_reports_get, API_AUTH, OVERSEERS, 0},
    {"GET", "/api/v1/reports/{id}/export", api_reports_export, API_AUTH, OVERSEERS, 0},
    {"PATCH", "/api/v1/reports/{id}", api_reports_update, API_AUTH, OVERSEERS, 0},
    {"POST", "/api/v1/reports/{id}/issue", api_reports_issue, API_AUTH, OVERSEERS, 0},
    {"POST", "/api/v1/reports/{id}/revise", api_reports_revise, API_AUTH, OVERSEERS, 0},
    {"GET", "/api/v1/assessment", api_assessment, API_AUTH | API_REPLICA, OVERSEERS, 0},

    /* 重点人员: the handlers and the store narrow access further (overseers of the region,
     * or the person's responsible user); docs/key-persons.md. */
    {"GET", "/api/v1/key-persons", api_kp_list, API_AUTH, OVERSEERS, 0},
    {"POST", "/api/v1/key-persons", api_kp_create, API_AUTH, OVERSEERS, 0},
    {"GET", "/api/v1/key-persons/{id}", api_kp_get, API_AUTH, 0, 0},
    {"PATCH", "/api/v1/key-persons/{id}", api_kp_update, API_AUTH, OVERSEERS, 0},
    {"POST", "/api/v1/key-persons/{id}/reviews", api_kp_review, API_AUTH, 0, 0},
    {"POST", "/api/v1/key-persons/{id}/reveal", api_kp_reveal, API_AUTH, 0, 0},
    {"POST", "/api/v1/key-persons/{id}/cases", api_kp_link, API_AUTH, 0, 0},

    /* Published to everyone (名册向社会公布, 服务清单): no login. */
    {"GET", "/api/v1/public/roster", api_public_roster, API_PUBLIC, 0, 0},
    {"GET", "/api/v1/public/regions", api_public_regions, API_PUBLIC, 0, 0},
    {"GET", "/api/v1/public/catalogue", api_public_catalogue, API_PUBLIC, 0, 0},
    {"POST", "/api/v1/public/applications", api_public_apply, API_PUBLIC, 0, 0},
    {"GET", "/api/v1/public/cases/{number}", api_public_track, API_PUBLIC, 0, 0},
    {"POST", "/api/v1/public/cases/{number}/rating", api_public_rate, API_PUBLIC, 0, 0},
    {"POST", "/api/v1/public/cases/{number}/access-code", api_public_recover, API_PUBLIC, 0, 0},

    {"GET", "/api/v1/tokens", api_tokens_list, API_AUTH, ADMIN, 0},
    {"POST", "/api/v1/tokens", api_tokens_create, API_AUTH, ADMIN, 0},
    {"DELETE", "/api/v1/tokens/{id}", api_tokens_revoke, API_AUTH, ADMIN, 0},

    {"GET", "/api/v1/audit", api_audit_list, API_AUTH, ADMIN, 0},

    /* Notifications (docs/notifications.md): my inbox (the bell); endpoints and the outbox's
     * dead letters for administrators; partner agencies' referrals and feedback. */
    {"GET", "/api/v1/notifications", api_notifications_list, API_AUTH, 0, 0},
    {"POST", "/api/v1/notifications/read-all", api_notifications_read_all, API_AUTH, 0, 0},
    {"POST", "/api/v1/notifications/{id}/read", api_notifications_read, API_AUTH, 0, 0},
    {"GET", "/api/v1/notify/endpoints", api_endpoints_list, API_AUTH, ADMIN, 0},
    {"POST", "/api/v1/notify/endpoints", api_endpoints_create, API_AUTH, ADMIN, 0},
    {"GET", "/api/v1/notify/endpoints/{id}", api_endpoints_get, API_AUTH, ADMIN, 0},
    {"PATCH", "/api/v1/notify/endpoints/{id}", api_endpoints_update, API_AUTH, ADMIN, 0},
    {"DELETE", "/api/v1/notify/endpoints/{id}", api_endpoints_delete, API_AUTH, ADMIN, 0},
    {"POST", "/api/v1/notify/endpoints/{id}/test", api_endpoints_test, API_AUTH, ADMIN, 0},
    {"GET", "/api/v1/outbox", api_outbox_list, API_AUTH, ADMIN, 0},
    {"POST", "/api/v1/outbox/{id}/replay", api_outbox_replay, API_AUTH, ADMIN, 0},
    {"GET", "/api/v1/partner/referrals", api_partner_referrals, API_AUTH | API_PARTNER,
     ROLE_PARTNER, 0},
    {"GET", "/api/v1/partner/referrals/{id}", api_partner_referral, API_AUTH | API_PARTNER,
     ROLE_PARTNER, 0},
    {"POST", "/api/v1/partner/referrals/{id}/feedback", api_partner_feedback,
     API_AUTH | API_PARTNER, ROLE_PARTNER, 0},
};

const size_t api_nroutes = sizeof api_routes / sizeof api_routes[0];

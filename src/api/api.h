/*
 * api.h - the JSON API: the route table, the dispatcher that authenticates and
 * authorises each request, and helpers shared by the handlers.
 *
 * Handlers are thin: decode and validate the request, call the store (which enforces
 * region scope and writes the audit row), encode the result. Every route and its handler
 * stand in one table in routes.c.
 */
#ifndef JIEFEN_API_API_H
#define JIEFEN_API_API_H

#include "core/jfield.h"
#include "core/verr.h"
#include "core/vocab.h"
#include "http/http.h"
#include "store/rows_json.h"
#include "store/cases.h"
#include "store/store.h"
#include "store/users.h"

/* Route flags. */
#define API_PUBLIC  0u        /* no credentials needed */
#define API_AUTH    (1u << 0) /* a logged-in staff user or an API token */
#define API_PARTNER (1u << 1) /* open to the partner role (api/partner.c); no other route is */
/* (1u << 2) was API_GROUP: a handler run whole by the group writer. The two writes that
 * share commits send only their change to it (api_cases_create, api_cases_transition). */
#define API_REPLICA (1u << 3) /* a read that may come from a replica (api/replica.c) */

#define API_SESSION_COOKIE "jiefen_session"
#define API_SESSION_HOURS  12

/* Process-wide application state, shared read-only by all worker threads. */
struct seal;
struct text;

struct api_app {
    struct store *store;
    struct seal *seal; /* the key for personal data (parties' ID numbers, phones, addresses) */
    struct text *text; /* search terms for Chinese text (Traditional → Simplified, bigrams) */
    int cookie_secure; /* always add Secure to the cookie (else only when the request came
                        * over TLS through a trusted proxy) */
    const char *metrics_token;  /* /metrics wants "Authorization: Bearer <it>"; NULL: /metrics
                                 * answers loopback clients only */
    const char *templates_dir;  /* document templates (templates/documents/KIND.html) */
    const char *files_dir;      /* attachments, stored by SHA-256 of their content */
    struct store_group *group;  /* SQLite's group commit writer, or NULL (store/group.h) */
    struct store *replica;      /* a PostgreSQL streaming replica for API_REPLICA reads, or NULL */
    int64_t replica_max_lag_ms; /* the replica is left aside while it lags more than this */
};

/* Per-request context, set by the dispatcher in req->user. */
struct api_ctx {
    struct api_app *app;
    struct store_conn *conn;
    int authenticated;
    int via_cookie;
    struct store_principal who;
    struct store_actor actor;
    char session_digest[72];
    char csrf[64];
};

extern const struct http_route api_routes[];
extern const size_t api_nroutes;

/* Runs a route's handler when a replica is configured (api/replica.c): an API_REPLICA read
 * on the replica unless the caller wrote within api_replica_window_ms, other reads on the
 * primary (each answer says which in X-Jiefen-Read), and a write marks its caller with the
 * jiefen_wrote cookie. */
void api_replica_run(const struct http_route *route, struct http_req *req, struct http_res *res,
                     struct api_ctx *ctx);
int64_t api_replica_window_ms(const struct api_app *app);

/* The http_dispatch for api_routes. */
void api_dispatch(const struct http_route *route, struct http_req *req, struct http_res *res);

/* ---- helpers for handlers (api/json.c) ---- */

/* The request's context (never NULL inside a handler). */
struct api_ctx *api_ctx(const struct http_req *req);

/*
 * Parses the JSON object body. On failure answers 415 / 400 and returns NULL.
 * The caller owns the returned reference.
 */
json_t *api_body(struct http_req *req, struct http_res *res);

/*
 * Request bodies are read with the core's field readers (core/jfield.h), which the case
 * module shares; the handlers know them by these names.
 */
#define api_field       jfield
#define api_fields      jfield_read
#define api_only_fields jfield_only
#define api_vocab       jfield_vocab
#define api_vocab_array jfield_vocab_array
#define api_id_array    jfield_ids

/*
 * During validation, checks that the object `id` of `kind` ("organization", "region",
 * "user") exists within the caller's scope, so that a dangling reference is reported
 * together with every other bad field. The store checks again when it writes.
 */
void api_check_ref(struct http_req *req, struct verr_list *errs, const char *field,
                   const char *kind, int64_t id);

/* Masks the "phone" of every item of a page: lists never show whole phone numbers of
 * people; reading one record in full is an audited read. */
void api_mask_phones(json_t *page);

/* Answers 200 with a page of rows, phones masked (lists of people). Frees rows. */
void api_reply_people(struct http_res *res, struct store_conn *c, store_err e,
                      struct store_rows *rows, const struct store_page *pg);

/* Answers 400 with the validation errors. */
void api_validation(struct http_res *res, const struct verr_list *errs);

/* Answers with the problem that matches a store error. */
void api_store_error(struct http_res *res, struct store_conn *c, store_err e);

/* Parses path parameter i as a positive id; answers 404 and returns 0 if it is not one. */
int64_t api_path_id(struct http_req *req, struct http_res *res, int i);

/* Parses an optional positive integer query parameter into *out (0 when absent). */
void api_query_id(struct http_req *req, const char *name, int64_t *out, struct verr_list *errs);

/* Reads page / per_page from the query. */
void api_query_page(struct http_req *req, struct store_page *pg, struct verr_list *errs);

/* Encodes row r of rows as an object, by the rows' column types. */
#define api_row store_rows_json /* store/rows_json.h */

/* Every row of rows as a JSON array of objects (caller owns it). */
json_t *api_rows(const struct store_rows *rows);

/* Answers 200 {items: [...]} with the rows, or the store's error; frees rows. */
void api_reply_items(struct http_res *res, struct store_conn *c, store_err e,
                     struct store_rows *rows);

/* Encodes a page of rows as {items, total, page, per_page}. */
json_t *api_page(const struct store_rows *rows, const struct store_page *pg);

/* Answers with row 0 of `rows` (status 200 or 201) or, if e is not STORE_OK, with the
 * store's problem. Frees rows. */
void api_reply_row(struct http_res *res, struct store_conn *c, store_err e, struct store_rows *rows,
                   int status);

/* Answers 200 with a page of rows or, if e is not STORE_OK, the store's problem. Frees rows. */
void api_reply_page(struct http_res *res, struct store_conn *c, store_err e,
                    struct store_rows *rows, const struct store_page *pg);

/* api_reply_page for a list in descending id order that pages by keyset: adds next_cursor,
 * the id of the page's last row as a string when the page is full (pass it back as
 * `after`), else null; and total_capped, for a total counted up to the count cap
 * (store_case_count_cap): past it, total is the cap and total_capped true. */
void api_reply_page_after(struct http_res *res, struct store_conn *c, store_err e,
                          struct store_rows *rows, const struct store_page *pg);

/* Returns 1 if the caller holds any of `roles`. */
int api_has_role(const struct http_req *req, unsigned roles);

/*
 * The case module's environment for this request: its connection, actor, principal, keys
 * and today's Beijing date. Everything in it is borrowed from the request.
 */
struct case_env;
struct case_out;
void api_case_env(struct http_req *req, struct case_env *env);

/*
 * Answers a case module call that did not succeed (400 with the fields, 409 with the
 * refusal and the actions allowed, 503, or the store's error) and returns 0; returns 1
 * when rc is CASE_OK and the caller answers.
 */
int api_case_done(struct http_req *req, struct http_res *res, int rc, struct case_out *out);

/*
 * Runs one change of the case module, fn(env, arg), where changes are made: on the group
 * writer's connection when the server has one (SQLite, store/group.h), so that it commits
 * with the others waiting, else on env's own. Reads that need no lock (checking and sealing
 * the request, the text's reading) belong before it, and the answer's read-back after it,
 * on the request's worker: the one writer's time per change bounds the server's writes.
 * Returns 1 with *rc set to what fn returned (its errors are copied to env's connection), or
 * 0 when the group's commit failed and a 503 is answered: nothing of the change is on disk.
 */
int api_case_write(struct http_req *req, struct http_res *res, const struct case_env *env,
                   int (*fn)(struct case_env *env, void *arg), void *arg, int *rc);

/* The body of GET /api/v1/stats/summary for region_id (in the actor's scope) over the days
 * [from, to] (YYYY-MM-DD), and the items of /stats/breakdown by "region" or "category"
 * (stats.c): the reports (reports.c) print exactly what the statistics service answers. */
store_err api_stats_summary_of(struct store_conn *c, const struct store_actor *a, int64_t region_id,
                               const char *from, const char *to, json_t **out);
store_err api_stats_breakdown_of(struct store_conn *c, const struct store_actor *a,
                                 int64_t region_id, const char *from, const char *to,
                                 const char *by, json_t **items);

/* Handlers, grouped by resource. */
void api_health(struct http_req *req, struct http_res *res);
void api_metrics(struct http_req *req, struct http_res *res);
void api_risk_board(struct http_req *req, struct http_res *res);
void api_reports_list(struct http_req *req, struct http_res *res);
void api_reports_create(struct http_req *req, struct http_res *res);
void api_reports_get(struct http_req *req, struct http_res *res);
void api_reports_update(struct http_req *req, struct http_res *res);
void api_reports_issue(struct http_req *req, struct http_res *res);
void api_reports_revise(struct http_req *req, struct http_res *res);
void api_reports_quarterly(struct http_req *req, struct http_res *res);
void api_reports_export(struct http_req *req, struct http_res *res);
void api_control_plan_get(struct http_req *req, struct http_res *res);
void api_control_plan_put(struct http_req *req, struct http_res *res);
void api_notifications_list(struct http_req *req, struct http_res *res);
void api_notifications_read(struct http_req *req, struct http_res *res);
void api_notifications_read_all(struct http_req *req, struct http_res *res);
void api_endpoints_list(struct http_req *req, struct http_res *res);
void api_endpoints_get(struct http_req *req, struct http_res *res);
void api_endpoints_create(struct http_req *req, struct http_res *res);
void api_endpoints_update(struct http_req *req, struct http_res *res);
void api_endpoints_delete(struct http_req *req, struct http_res *res);
void api_endpoints_test(struct http_req *req, struct http_res *res);
void api_outbox_list(struct http_req *req, struct http_res *res);
void api_outbox_replay(struct http_req *req, struct http_res *res);
void api_partner_referrals(struct http_req *req, struct http_res *res);
void api_partner_referral(struct http_req *req, struct http_res *res);
void api_partner_feedback(struct http_req *req, struct http_res *res);
void api_session_create(struct http_req *req, struct http_res *res);
void api_session_get(struct http_req *req, struct http_res *res);
void api_session_delete(struct http_req *req, struct http_res *res);
void api_users_list(struct http_req *req, struct http_res *res);
void api_leaders_list(struct http_req *req, struct http_res *res);
void api_users_create(struct http_req *req, struct http_res *res);
void api_users_get(struct http_req *req, struct http_res *res);
void api_users_update(struct http_req *req, struct http_res *res);
void api_users_password(struct http_req *req, struct http_res *res);
void api_regions_list(struct http_req *req, struct http_res *res);
void api_regions_create(struct http_req *req, struct http_res *res);
void api_regions_get(struct http_req *req, struct http_res *res);
void api_regions_ancestors(struct http_req *req, struct http_res *res);
void api_regions_update(struct http_req *req, struct http_res *res);
void api_mediators_list(struct http_req *req, struct http_res *res);
void api_mediators_create(struct http_req *req, struct http_res *res);
void api_mediators_get(struct http_req *req, struct http_res *res);
void api_mediators_update(struct http_req *req, struct http_res *res);
void api_experts_list(struct http_req *req, struct http_res *res);
void api_experts_create(struct http_req *req, struct http_res *res);
void api_experts_get(struct http_req *req, struct http_res *res);
void api_experts_update(struct http_req *req, struct http_res *res);
void api_grid_workers_list(struct http_req *req, struct http_res *res);
void api_grid_workers_create(struct http_req *req, struct http_res *res);
void api_grid_workers_update(struct http_req *req, struct http_res *res);
void api_public_roster(struct http_req *req, struct http_res *res);
void api_public_regions(struct http_req *req, struct http_res *res);
void api_public_catalogue(struct http_req *req, struct http_res *res);
void api_rules_list(struct http_req *req, struct http_res *res);
void api_rules_create(struct http_req *req, struct http_res *res);
void api_rules_get(struct http_req *req, struct http_res *res);
void api_rules_update(struct http_req *req, struct http_res *res);
void api_rules_delete(struct http_req *req, struct http_res *res);
void api_routing_preview(struct http_req *req, struct http_res *res);
void api_catalogue_list(struct http_req *req, struct http_res *res);
void api_catalogue_create(struct http_req *req, struct http_res *res);
void api_catalogue_get(struct http_req *req, struct http_res *res);
void api_catalogue_update(struct http_req *req, struct http_res *res);
void api_catalogue_delete(struct http_req *req, struct http_res *res);
void api_calendar_year(struct http_req *req, struct http_res *res);
void api_calendar_set(struct http_req *req, struct http_res *res);
void api_calendar_unset(struct http_req *req, struct http_res *res);
void api_calendar_add(struct http_req *req, struct http_res *res);
void api_periods_list(struct http_req *req, struct http_res *res);
void api_periods_create(struct http_req *req, struct http_res *res);
void api_periods_update(struct http_req *req, struct http_res *res);
void api_periods_delete(struct http_req *req, struct http_res *res);
void api_investigation_list(struct http_req *req, struct http_res *res);
void api_investigation_get(struct http_req *req, struct http_res *res);
void api_investigation_file(struct http_req *req, struct http_res *res);
void api_investigation_completion(struct http_req *req, struct http_res *res);
void api_investigation_schedules(struct http_req *req, struct http_res *res);
void api_investigation_schedule_set(struct http_req *req, struct http_res *res);
void api_trends_list(struct http_req *req, struct http_res *res);
void api_trends_counts(struct http_req *req, struct http_res *res);
void api_stats_summary(struct http_req *req, struct http_res *res);
void api_stats_breakdown(struct http_req *req, struct http_res *res);
/* Assessment (考核): child regions ranked by weighted indicators (stats.c). */
void api_assessment(struct http_req *req, struct http_res *res);
void api_alerts_list(struct http_req *req, struct http_res *res);
void api_alerts_ack(struct http_req *req, struct http_res *res);
void api_alert_recipients_get(struct http_req *req, struct http_res *res);
void api_alert_recipients_put(struct http_req *req, struct http_res *res);
void api_court_filings_list(struct http_req *req, struct http_res *res);
void api_court_filings_put(struct http_req *req, struct http_res *res);
void api_court_filings_delete(struct http_req *req, struct http_res *res);
void api_cases_create(struct http_req *req, struct http_res *res);
void api_parties_lookup(struct http_req *req, struct http_res *res);
void api_settings_list(struct http_req *req, struct http_res *res);
void api_settings_set(struct http_req *req, struct http_res *res);
void api_cases_list(struct http_req *req, struct http_res *res);
/* The ledger (台账) and the register's export as CSV or XLSX (ledger.c). */
void api_ledger(struct http_req *req, struct http_res *res);
void api_cases_export(struct http_req *req, struct http_res *res);
void api_cases_get(struct http_req *req, struct http_res *res);
void api_cases_actions(struct http_req *req, struct http_res *res);
void api_cases_transition(struct http_req *req, struct http_res *res);
void api_cases_timeline(struct http_req *req, struct http_res *res);
void api_attachments_upload(struct http_req *req, struct http_res *res);
void api_attachments_list(struct http_req *req, struct http_res *res);
void api_attachments_download(struct http_req *req, struct http_res *res);
/* The Chinese title of a document kind, or NULL if there is no such kind. */
const char *api_document_title(const char *kind);
/* Renders a case's document (audited read): malloc'd HTML, or NULL with the problem set. */
char *api_document_render(struct http_req *req, struct http_res *res, int64_t id, const char *kind);
void api_cases_dossier(struct http_req *req, struct http_res *res);
void api_cases_documents(struct http_req *req, struct http_res *res);

/* reveal.c: parties' full numbers only to roles that may, with a reason, audited
 * (个人信息保护法 art. 28, 29, 51). api_may_reveal: whether the caller may for this case
 * (one row of store_case_get). api_reveal_reason: 0 if the reason is acceptable, else
 * answers 400 naming "reason" and returns -1. */
int api_may_reveal(struct http_req *req, const struct store_rows *kase);
int api_reveal_reason(struct http_res *res, const char *reason);
void api_forbid_reveal(struct http_res *res);
void api_cases_party_reveal(struct http_req *req, struct http_res *res);
/* GET /api/v1/people/export: one person's own data on request (个人信息保护法 art. 45). */
void api_people_export(struct http_req *req, struct http_res *res);
void api_cases_document(struct http_req *req, struct http_res *res);
void api_cases_fulfilment(struct http_req *req, struct http_res *res);
void api_cases_instalment(struct http_req *req, struct http_res *res);
void api_cases_confirmation(struct http_req *req, struct http_res *res);
void api_supervision_issue(struct http_req *req, struct http_res *res);
void api_supervision_reply(struct http_req *req, struct http_res *res);
void api_supervision_list(struct http_req *req, struct http_res *res);
void api_warnings_list(struct http_req *req, struct http_res *res);
void api_workbench(struct http_req *req, struct http_res *res);
void api_public_apply(struct http_req *req, struct http_res *res);
void api_public_track(struct http_req *req, struct http_res *res);
void api_public_rate(struct http_req *req, struct http_res *res);
void api_public_recover(struct http_req *req, struct http_res *res);

/* The video meeting link of a case (setting meeting_url_template with the case's room),
 * or JSON null when online mediation is not configured. */
json_t *api_meeting_url(struct api_ctx *ctx, int64_t case_id);
void api_import_preview(struct http_req *req, struct http_res *res);
void api_import_commit(struct http_req *req, struct http_res *res);
void api_export(struct http_req *req, struct http_res *res);
void api_orgs_list(struct http_req *req, struct http_res *res);
void api_orgs_create(struct http_req *req, struct http_res *res);
void api_orgs_get(struct http_req *req, struct http_res *res);
void api_orgs_update(struct http_req *req, struct http_res *res);
void api_tokens_list(struct http_req *req, struct http_res *res);
void api_tokens_create(struct http_req *req, struct http_res *res);
void api_tokens_revoke(struct http_req *req, struct http_res *res);
void api_audit_list(struct http_req *req, struct http_res *res);
void api_kp_list(struct http_req *req, struct http_res *res);
void api_kp_create(struct http_req *req, struct http_res *res);
void api_kp_get(struct http_req *req, struct http_res *res);
void api_kp_update(struct http_req *req, struct http_res *res);
void api_kp_review(struct http_req *req, struct http_res *res);
void api_kp_reveal(struct http_req *req, struct http_res *res);
void api_kp_link(struct http_req *req, struct http_res *res);

/*
 * The register's filter as GET /api/v1/cases reads it from the query (region_id, state,
 * category, channel, risk, q, from, to, overdue, resp_org_id, mediator_id, mine, todo),
 * shared with its export (cases.c). Problems go to errs; free with api_case_query_free
 * whatever happened.
 */
struct api_case_query {
    struct store_case_filter f; /* points into this struct and the request */
    char *terms;
    char party_idx[2 * 65]; /* SEAL_INDEX_LEN: the current key's index, the other key's */
    char today[16];
    char after_key[64]; /* the cursor's queue key (f.after_key points here) */
};
void api_case_query_parse(struct http_req *req, struct api_case_query *cq, struct verr_list *errs);
void api_case_query_free(struct api_case_query *cq);

#endif

/*
 * documents.c - printable A4 documents of a case (文书): the registration form, the notice
 * of rights and duties, mediation records, the one-time notice, the agreement, the
 * application for judicial confirmation, the return-visit record and the notice that
 * mediation ended (调解终结告知书).
 *
 * The wording is in templates/documents/KIND.html (rendered by src/doc); this file only
 * gathers the case's facts into the template's context. Parties' ID numbers, phones and
 * addresses print masked; a role that may see them (reveal.c) prints them in full by giving
 * a `reason`, recorded in the audit row (个人信息保护法 art. 28, 29, 51). Producing a
 * document is an audited read either way.
 */
#include "api/api.h"
#include "core/timefmt.h"
#include "doc/doc.h"
#include "seal/seal.h"
#include "store/audit.h"
#include "store/cases.h"
#include "store/regions.h"
#include "store/users.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct {
    const char *kind, *title;
} kinds[] = {
    {"registration", "受理登记表"},  {"rights_notice", "当事人权利义务告知书"},
    {"session_record", "调解笔录"},  {"one_time_notice", "一次性告知书"},
    {"agreement", "人民调解协议书"}, {"confirmation_application", "司法确认申请书"},
    {"return_visit", "回访记录"},    {"mediation_ended", "调解终结告知书"},
};

#define NKINDS (sizeof kinds / sizeof kinds[0])

/* The parties with their personal data opened for printing: in full, or masked. */
static store_err parties_json(struct api_ctx *ctx, int64_t case_id, int full, json_t **out)
{
    static const char *const sealed[] = {"id_sealed", "phone_sealed", "address_sealed"};
    static const char *const keys[] = {"id_number", "phone", "address"};
    int (*const mask[])(const char *, char *, size_t) = {seal_mask_id, seal_mask_phone,
                                                         seal_mask_address};
    struct store_rows *p = NULL;
    store_err e = store_case_parties(ctx->conn, case_id, &p);

    *out = json_array();
    if (e != STORE_OK)
        return e;
    for (int i = 0; i < p->nrows; i++) {
        json_t *o = json_pack("{s:s?, s:s?, s:s?, s:s?}", "role", store_rows_get(p, i, 1), "kind",
                              store_rows_get(p, i, 2), "name", store_rows_get(p, i, 3), "agent",
                              store_rows_get(p, i, 7));
        for (int k = 0; k < 3; k++) {
            const char *v = store_rows_get(p, i, store_rows_col(p, sealed[k]));
            char *plain = NULL, masked[SEAL_MASK_LEN];
            if (v && ctx->app->seal && seal_decrypt(ctx->app->seal, v, &plain) == SEAL_OK)
                json_object_set_new(o, keys[k],
                                    json_string(full || mask[k](plain, masked, sizeof masked) != 0
                                                    ? plain
                                                    : masked));
            free(plain);
        }
        json_array_append_new(*out, o);
    }
    store_rows_free(p);
    return STORE_OK;
}

/* The data of the latest timeline event of `action` with its time as "at", or NULL. */
static json_t *last_event(const struct store_rows *ev, const char *action)
{
    for (int r = ev->nrows - 1; r >= 0; r--) {
        if (strcmp(store_rows_get(ev, r, 4), action) == 0) {
            json_t *row = api_row(ev, r), *data = json_object_get(row, "data");
            data = json_is_object(data) ? json_incref(data) : json_object();
            json_object_set(data, "at", json_object_get(row, "at"));
            json_decref(row);
            return data;
        }
    }
    return NULL;
}

static int has_event(const struct store_rows *ev, const char *action)
{
    for (int r = 0; r < ev->nrows; r++)
        if (strcmp(store_rows_get(ev, r, 4), action) == 0)
            return 1;
    return 0;
}

/* Whether the case can have document `kind`: the 调解终结告知书 exists once mediation has
 * failed (it says so, and why); every other document prints at any time. */
static int document_applies(const char *kind, const struct store_rows *ev)
{
    return strcmp(kind, "mediation_ended") != 0 || has_event(ev, "fail");
}

/*
 * Whether the occasion of document `kind` has come: the 调解笔录 once a session is recorded,
 * the 协议书 and the 司法确认申请书 once there is an agreement, the 回访记录 once a visit is
 * made. Those that are not ready still print, blank, to be filled in by hand.
 */
static int document_ready(const char *kind, const struct store_rows *ev)
{
    if (strcmp(kind, "session_record") == 0)
        return has_event(ev, "record_session");
    if (strcmp(kind, "agreement") == 0 || strcmp(kind, "confirmation_application") == 0)
        return has_event(ev, "agree");
    if (strcmp(kind, "return_visit") == 0)
        return has_event(ev, "return_visit");
    return 1;
}

void api_cases_documents(struct http_req *req, struct http_res *res)
{
    json_t *list = json_array();
    int64_t id = api_path_id(req, res, 0);
    struct api_ctx *ctx = api_ctx(req);
    struct store_rows *row = NULL, *ev = NULL;
    store_err e;

    if (!id) {
        json_decref(list);
        return;
    }
    e = store_case_get(ctx->conn, &ctx->actor, id, &row);
    if (e == STORE_OK)
        e = store_case_events(ctx->conn, id, 0, &ev);
    store_rows_free(row);
    if (e != STORE_OK) {
        json_decref(list);
        api_store_error(res, ctx->conn, e);
        return;
    }
    for (size_t i = 0; i < NKINDS; i++)
        if (document_applies(kinds[i].kind, ev))
            json_array_append_new(list, json_pack("{s:s, s:s, s:b}", "kind", kinds[i].kind, "title",
                                                  kinds[i].title, "ready",
                                                  document_ready(kinds[i].kind, ev)));
    store_rows_free(ev);
    http_res_json(res, 200, json_pack("{s:o}", "items", list));
}

const char *api_document_title(const char *kind)
{
    for (size_t i = 0; i < NKINDS; i++)
        if (strcmp(kinds[i].kind, kind) == 0)
            return kinds[i].title;
    return NULL;
}

/* The template, read on each request so that a centre can adjust its wording; NULL after
 * answering 500. */
static char *read_template(struct api_ctx *ctx, struct http_res *res, const char *kind)
{
    char path[4096], *tpl = NULL;
    FILE *f;
    long size;

    snprintf(path, sizeof path, "%s/documents/%s.html", ctx->app->templates_dir, kind);
    f = fopen(path, "rb");
    if (!f || fseek(f, 0, SEEK_END) != 0 || (size = ftell(f)) < 0 || size > (1 << 20) ||
        fseek(f, 0, SEEK_SET) != 0 || !(tpl = calloc((size_t)size + 1, 1)) ||
        fread(tpl, 1, (size_t)size, f) != (size_t)size) {
        fprintf(stderr, "{\"msg\":\"document template unreadable\",\"path\":\"%s\"}\n", path);
        http_problem(res, 500, "internal", "Internal Server Error",
                     "the document template cannot be read", NULL);
        free(tpl);
        tpl = NULL;
    }
    if (f)
        fclose(f);
    return tpl;
}

/*
 * The facts of the case the documents print (see doc_context): the case, its parties,
 * sessions, instalments, the latest agreement / failure / visit, the one-time notice's
 * items, the court of its county and the unit that registered it.
 */
static store_err gather_facts(struct api_ctx *ctx, int64_t id, const struct store_rows *row,
                              const struct store_rows *ev, int full, json_t *facts)
{
    struct store_rows *sessions = NULL, *plan = NULL;
    struct store_principal clerk;
    json_t *kase = api_row(row, 0), *parties = NULL;
    int64_t clerk_id = json_integer_value(json_object_get(kase, "clerk_id"));
    char court[256];
    store_err e;

    json_object_set_new(facts, "case", kase);
    e = parties_json(ctx, id, full, &parties);
    json_object_set_new(facts, "parties", parties);
    if (e == STORE_OK)
        e = store_case_sessions(ctx->conn, id, &sessions);
    if (e == STORE_OK)
        e = store_instalments(ctx->conn, id, &plan);
    /* The 司法确认申请书 is addressed to the court of the case's county (the nearest region
     * upwards with a court set in the registry). */
    if (e == STORE_OK)
        e = store_region_court(ctx->conn, json_integer_value(json_object_get(kase, "region_id")),
                               court, sizeof court);
    if (e == STORE_OK && clerk_id && store_principal_get(ctx->conn, clerk_id, &clerk) == STORE_OK)
        json_object_set_new(facts, "registered_by", json_string(clerk.org_name));
    if (e != STORE_OK)
        goto out;
    json_object_set_new(facts, "court", json_string(court));
    json_object_set_new(facts, "sessions", api_rows(sessions));
    json_object_set_new(facts, "instalments", api_rows(plan));
    json_object_set_new(facts, "agreement", last_event(ev, "agree"));
    json_object_set_new(facts, "failure", last_event(ev, "fail"));
    json_object_set_new(facts, "visit", last_event(ev, "return_visit"));
    /* The one-time notice lists what the routing decision named. */
    json_object_set(facts, "notices", json_object_get(json_object_get(kase, "routing"), "notices"));
    json_object_set_new(facts, "now_ms", json_integer(store_now_ms()));
out:
    store_rows_free(sessions);
    store_rows_free(plan);
    return e;
}

char *api_document_render(struct http_req *req, struct http_res *res, int64_t id, const char *kind)
{
    struct api_ctx *ctx = api_ctx(req);
    struct store_rows *row = NULL, *ev = NULL;
    const char *title = api_document_title(kind), *reason = http_query(req, "reason");
    char err[256], *tpl = NULL, *html = NULL;
    json_t *facts = json_object();
    store_err e;

    if (!title) {
        http_problem(res, 404, "not-found", "Not Found", "no such document", NULL);
        goto out;
    }
    if (reason && api_reveal_reason(res, reason) != 0)
        goto out;
    e = store_case_get(ctx->conn, &ctx->actor, id, &row);
    if (e == STORE_OK)
        e = store_case_events(ctx->conn, id, 0, &ev);
    if (e == STORE_OK && !document_applies(kind, ev)) {
        http_problem(res, 409, "conflict", "Conflict",
                     "the notice that mediation ended is printed once mediation has failed", NULL);
        goto out;
    }
    if (e == STORE_OK && reason && !api_may_reveal(req, row)) {
        api_forbid_reveal(res);
        goto out;
    }
    if (e == STORE_OK)
        e = gather_facts(ctx, id, row, ev, reason != NULL, facts);
    /* With a reason the print holds full numbers: audited as a reveal with its reason. */
    if (e == STORE_OK)
        e = reason ? store_audit_append(ctx->conn, &ctx->actor, "reveal", "case", id, "document",
                                        reason)
                   : store_audit_read(ctx->conn, &ctx->actor, "case", id, "document");
    if (e != STORE_OK) {
        api_store_error(res, ctx->conn, e);
        goto out;
    }
    tpl = read_template(ctx, res, kind);
    if (!tpl)
        goto out;
    json_object_set_new(facts, "title", json_string(title));
    html = doc_render(tpl, doc_context(facts), err, sizeof err);
    if (!html)
        http_problem(res, 500, "internal", "Internal Server Error", err, NULL);
out:
    free(tpl);
    json_decref(facts);
    store_rows_free(row);
    store_rows_free(ev);
    return html;
}

void api_cases_document(struct http_req *req, struct http_res *res)
{
    int64_t id = api_path_id(req, res, 0);
    char *html;

    if (!id)
        return;
    html = api_document_render(req, res, id, req->nparams > 1 ? req->params[1] : "");
    if (!html)
        return;
    http_res_bytes(res, 200, "text/html; charset=utf-8", html, strlen(html));
    http_res_header(res, "Cache-Control", "no-store");
}

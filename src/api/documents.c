/*
 * documents.c - printable A4 documents of a case (文书): the registration form, the notice
 * of rights and duties, mediation records, the one-time notice, the agreement, the
 * application for judicial confirmation and the return-visit record.
 *
 * The wording is in templates/documents/KIND.html (rendered by src/doc); this file only
 * gathers the case's facts into the template's context. Printing shows parties' full ID
 * numbers, phones and addresses, so producing a document is an audited read.
 */
#include "api/api.h"
#include "core/timefmt.h"
#include "doc/doc.h"
#include "seal/seal.h"
#include "store/audit.h"
#include "store/cases.h"
#include "store/rules.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct {
    const char *kind, *title;
} kinds[] = {
    {"registration", "受理登记表"},  {"rights_notice", "当事人权利义务告知书"},
    {"session_record", "调解笔录"},  {"one_time_notice", "一次性告知书"},
    {"agreement", "人民调解协议书"}, {"confirmation_application", "司法确认申请书"},
    {"return_visit", "回访记录"},
};

#define NKINDS (sizeof kinds / sizeof kinds[0])

/* "2026年11月23日" */
static void chinese_date(const char *iso, char *out, size_t n)
{
    int y = 0, m = 0, d = 0;
    if (iso && sscanf(iso, "%d-%d-%d", &y, &m, &d) == 3)
        snprintf(out, n, "%d年%d月%d日", y, m, d);
    else
        snprintf(out, n, "%s", iso ? iso : "");
}

/* The parties with their personal data opened for printing. */
static json_t *parties_json(struct api_ctx *ctx, int64_t case_id)
{
    struct store_rows *p = NULL;
    json_t *list = json_array();

    if (store_case_parties(ctx->conn, case_id, &p) != STORE_OK)
        return list;
    for (int i = 0; i < p->nrows; i++) {
        static const char *const sealed[] = {"id_sealed", "phone_sealed", "address_sealed"};
        static const char *const keys[] = {"id_number", "phone", "address"};
        json_t *o = json_pack("{s:s, s:s, s:s, s:s?}", "role", store_rows_get(p, i, 1), "kind",
                              store_rows_get(p, i, 2), "name", store_rows_get(p, i, 3), "agent",
                              store_rows_get(p, i, 7));
        const char *role = store_rows_get(p, i, 1);
        json_object_set_new(o, "role_name",
                            json_string(vocab_zh(&vocab_party_role, role)
                                            ? vocab_zh(&vocab_party_role, role)
                                            : role));
        for (int k = 0; k < 3; k++) {
            const char *v = store_rows_get(p, i, store_rows_col(p, sealed[k]));
            char *plain = NULL;
            if (v && ctx->app->seal && seal_decrypt(ctx->app->seal, v, &plain) == SEAL_OK)
                json_object_set_new(o, keys[k], json_string(plain));
            free(plain);
        }
        json_array_append_new(list, o);
    }
    store_rows_free(p);
    return list;
}

/* The data of the latest timeline event of `action`, or NULL. */
static json_t *last_event(const struct store_rows *ev, const char *action)
{
    for (int r = ev->nrows - 1; r >= 0; r--)
        if (strcmp(store_rows_get(ev, r, 4), action) == 0)
            return json_loads(store_rows_get(ev, r, 7), 0, NULL);
    return NULL;
}

void api_cases_documents(struct http_req *req, struct http_res *res)
{
    json_t *list = json_array();
    int64_t id = api_path_id(req, res, 0);
    struct api_ctx *ctx = api_ctx(req);
    struct store_rows *row = NULL;
    store_err e;

    if (!id) {
        json_decref(list);
        return;
    }
    e = store_case_get(ctx->conn, &ctx->actor, id, &row);
    store_rows_free(row);
    if (e != STORE_OK) {
        json_decref(list);
        api_store_error(res, ctx->conn, e);
        return;
    }
    for (size_t i = 0; i < NKINDS; i++)
        json_array_append_new(
            list, json_pack("{s:s, s:s}", "kind", kinds[i].kind, "title", kinds[i].title));
    http_res_json(res, 200, json_pack("{s:o}", "items", list));
}

const char *api_document_title(const char *kind)
{
    for (size_t i = 0; i < NKINDS; i++)
        if (strcmp(kinds[i].kind, kind) == 0)
            return kinds[i].title;
    return NULL;
}

char *api_document_render(struct http_req *req, struct http_res *res, int64_t id, const char *kind)
{
    struct api_ctx *ctx = api_ctx(req);
    struct store_rows *row = NULL, *ev = NULL, *sessions = NULL, *notices = NULL;
    const char *title = api_document_title(kind);
    char path[4096], err[256], today[16], date[64], *tpl = NULL, *html = NULL;
    json_t *ctxj = NULL, *kase, *items;
    FILE *f = NULL;
    long size;
    store_err e;

    if (!title) {
        http_problem(res, 404, "not-found", "Not Found", "no such document", NULL);
        return NULL;
    }
    e = store_case_get(ctx->conn, &ctx->actor, id, &row);
    if (e == STORE_OK)
        e = store_case_events(ctx->conn, id, 0, &ev);
    if (e == STORE_OK)
        e = store_case_sessions(ctx->conn, id, &sessions);
    if (e == STORE_OK)
        e = store_audit_read(ctx->conn, &ctx->actor, "case", id, "document");
    if (e != STORE_OK) {
        api_store_error(res, ctx->conn, e);
        goto out;
    }
    /* The template, read on each request so that a centre can adjust its wording. */
    snprintf(path, sizeof path, "%s/documents/%s.html", ctx->app->templates_dir, kind);
    f = fopen(path, "rb");
    if (!f || fseek(f, 0, SEEK_END) != 0 || (size = ftell(f)) < 0 || size > (1 << 20) ||
        fseek(f, 0, SEEK_SET) != 0 || !(tpl = calloc((size_t)size + 1, 1)) ||
        fread(tpl, 1, (size_t)size, f) != (size_t)size) {
        fprintf(stderr, "{\"msg\":\"document template unreadable\",\"path\":\"%s\"}\n", path);
        http_problem(res, 500, "internal", "Internal Server Error",
                     "the document template cannot be read", NULL);
        goto out;
    }
    kase = api_row(row, 0);
    {
        /* Enumerations as the document prints them. */
        static const struct {
            const char *key;
            const struct vocab *v;
        } names[] = {{"category", &vocab_category},
                     {"channel", &vocab_channel},
                     {"complexity", &vocab_complexity},
                     {"method", &vocab_method},
                     {"level", &vocab_mgmt_level}};
        for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
            const char *code = json_string_value(json_object_get(kase, names[i].key));
            char key[48];
            snprintf(key, sizeof key, "%s_name", names[i].key);
            json_object_set_new(kase, key,
                                json_string(code && vocab_zh(names[i].v, code)
                                                ? vocab_zh(names[i].v, code)
                                                : (code ? code : "")));
        }
        chinese_date(json_string_value(json_object_get(kase, "received_at")), date, sizeof date);
        json_object_set_new(kase, "received_date", json_string(date));
    }
    items = json_array();
    for (int r = 0; r < sessions->nrows; r++) {
        json_t *s = api_row(sessions, r);
        json_object_set_new(s, "n", json_integer(r + 1));
        json_array_append_new(items, s);
    }
    timefmt_day((int32_t)((store_now_ms() + 8LL * 3600 * 1000) / 86400000), today, sizeof today);
    chinese_date(today, date, sizeof date);
    ctxj = json_pack("{s:s, s:o, s:o, s:o, s:s}", "title", title, "case", kase, "parties",
                     parties_json(ctx, id), "sessions", items, "today", date);
    json_object_set_new(ctxj, "agreement", last_event(ev, "agree"));
    json_object_set_new(ctxj, "failure", last_event(ev, "fail"));
    json_object_set_new(ctxj, "visit", last_event(ev, "return_visit"));
    {
        /* The one-time notice lists what the routing decision named. */
        json_t *routing = json_object_get(kase, "routing");
        json_t *nl = json_object_get(routing, "notices");
        json_object_set(ctxj, "notices", nl ? nl : json_array());
        (void)notices;
    }
    html = doc_render(tpl, ctxj, err, sizeof err);
    if (!html)
        http_problem(res, 500, "internal", "Internal Server Error", err, NULL);
out:
    if (f)
        fclose(f);
    free(tpl);
    json_decref(ctxj);
    store_rows_free(row);
    store_rows_free(ev);
    store_rows_free(sessions);
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

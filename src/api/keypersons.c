/*
 * keypersons.c - the key-person registry (重点人员) over HTTP: list, create, read, change,
 * reviews, manual links to cases, and revealing the full numbers. docs/key-persons.md.
 *
 * A key person's name, ID number and phone are sensitive personal information (个人信息
 * 保护法 art. 28): they are sealed at rest (src/seal), lists and the detail show them masked
 * (张*, 5101**********1234, 138****5678), and the full values come only from /reveal with
 * a stated reason. Every answer that shows a key person, masked or not, writes an audit
 * row first (art. 51: access control and a record of access); no audit row, no answer.
 */
#include "api/api.h"
#include "case/case.h"
#include "core/role.h"
#include "core/timefmt.h"
#include "seal/seal.h"
#include "store/keypersons.h"
#include "watch/keyperson.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Who sees the whole register of their region; anyone else only the people they are
 * responsible for (the store applies it). */
#define KP_OVERSEERS (ROLE_SUPERVISOR | ROLE_LEADER | ROLE_ADMIN)
#define KP_FIELDS    "name,id_number,phone"

static int overseer(const struct http_req *req)
{
    return api_has_role(req, KP_OVERSEERS);
}

static void forbidden(struct http_res *res)
{
    http_problem(res, 403, "forbidden", "Forbidden",
                 "key persons are open to supervisors, leaders and administrators", NULL);
}

/* A name masked to its first character: 张三 → 张*, 欧阳小明 → 欧***. */
static void mask_name(const char *in, char *out, size_t n)
{
    size_t first = 1, o = 0;

    while (in[first] && ((unsigned char)in[first] & 0xC0) == 0x80)
        first++;
    if (first + 1 >= n)
        first = 0;
    memcpy(out, in, first);
    o = first;
    for (const char *p = in + first; *p && o + 2 < n; p++)
        if (((unsigned char)*p & 0xC0) != 0x80)
            out[o++] = '*';
    if (o == first && o + 1 < n)
        out[o++] = '*'; /* a one-character name still shows a star */
    out[o] = '\0';
}

/* Opens a sealed column; masked with `mask` unless full. JSON null when absent. */
static json_t *opened(struct api_ctx *ctx, const char *sealed, int full,
                      int (*mask)(const char *, char *, size_t))
{
    char *plain = NULL, masked[SEAL_MASK_LEN];
    json_t *v = json_null();

    if (!sealed || seal_decrypt(ctx->app->seal, sealed, &plain) != SEAL_OK)
        return v;
    json_decref(v);
    if (full)
        v = json_string(plain);
    else if (mask) {
        v = mask(plain, masked, sizeof masked) == 0 ? json_string(masked) : json_null();
    } else {
        mask_name(plain, masked, sizeof masked);
        v = json_string(masked);
    }
    memset(plain, 0, strlen(plain));
    free(plain);
    return v;
}

/* Row r of a key-person query as JSON: sealed columns replaced by masked (or full) values,
 * with `due` when an active person's review day has come. */
static json_t *person(struct api_ctx *ctx, const struct store_rows *rows, int r, int full)
{
    json_t *o = api_row(rows, r);
    const char *next = store_rows_get(rows, r, store_rows_col(rows, "next_review_day"));
    const char *status = store_rows_get(rows, r, store_rows_col(rows, "status"));
    char today[16];

    timefmt_day(case_today(), today, sizeof today);
    json_object_set_new(
        o, "name",
        opened(ctx, store_rows_get(rows, r, store_rows_col(rows, "name_sealed")), full, NULL));
    json_object_set_new(o, "id_number",
                        opened(ctx, store_rows_get(rows, r, store_rows_col(rows, "id_sealed")),
                               full, seal_mask_id));
    json_object_set_new(o, "phone",
                        opened(ctx, store_rows_get(rows, r, store_rows_col(rows, "phone_sealed")),
                               full, seal_mask_phone));
    json_object_del(o, "name_sealed");
    json_object_del(o, "id_sealed");
    json_object_del(o, "phone_sealed");
    json_object_set_new(
        o, "due",
        json_boolean(status && strcmp(status, "active") == 0 && next && strcmp(next, today) <= 0));
    return o;
}

/* ---- input ---- */

/* Sealed values of one request, freed together. */
struct kp_sealed {
    char *name, *id, *phone;
    char id_idx[SEAL_INDEX_LEN], phone_idx[SEAL_INDEX_LEN];
};

static void kp_sealed_free(struct kp_sealed *s)
{
    free(s->name);
    free(s->id);
    free(s->phone);
}

/* Normalises, seals and indexes an ID number or phone; the field is named when invalid. */
static void seal_number(struct api_ctx *ctx, struct verr_list *errs, int is_id, const char *value,
                        char **sealed, char idx[SEAL_INDEX_LEN])
{
    char norm[32];

    /* The same check a case's parties get (GB 11643 check digit), so that a key person
     * and a party of one number have one blind index. */
    if ((is_id ? seal_norm_id_number(value, norm, sizeof norm)
               : seal_norm_phone(value, norm, sizeof norm)) != 0) {
        verr_add(errs, is_id ? "id_number" : "phone", "invalid",
                 is_id ? "is not a valid resident ID number" : "is not a valid phone number");
        return;
    }
    seal_index(ctx->app->seal, is_id ? "id" : "phone", norm, idx);
    *sealed = seal_encrypt(ctx->app->seal, norm);
}

struct kp_raw {
    const char *name, *id_number, *phone, *gender, *reason, *note, *next, *status;
    json_int_t age, region_id, resp, every;
};

/* Checks the plain fields of a create or update into `in`. */
static void check_fields(struct http_req *req, const struct kp_raw *w, struct store_kp_in *in,
                         struct verr_list *errs)
{
    int32_t d;

    if (w->name)
        verr_check_text(errs, "name", w->name, 1, 50);
    in->gender = api_vocab(errs, "gender", &vocab_gender, w->gender);
    in->reason = api_vocab(errs, "reason", &vocab_kp_reason, w->reason);
    in->status = api_vocab(errs, "status", &vocab_kp_status, w->status);
    if (w->note && verr_check_text(errs, "reason_note", w->note, 0, 500) != 0)
        in->reason_note = w->note;
    if (w->age != -1 && (w->age < 0 || w->age > 150) && !verr_has(errs, "age"))
        verr_add(errs, "age", "invalid", "must be between 0 and 150");
    in->has_age = w->age >= 0 && w->age <= 150;
    in->age = w->age;
    if (w->every != -1 && (w->every < 1 || w->every > 366) && !verr_has(errs, "review_every_days"))
        verr_add(errs, "review_every_days", "invalid", "must be between 1 and 366 days");
    in->review_every_days = w->every > 0 ? w->every : 0;
    if (w->next && timefmt_day_parse(w->next, &d) != 0)
        verr_add(errs, "next_review_day", "invalid", "must be a date (YYYY-MM-DD)");
    in->next_review_day = w->next;
    if (w->region_id != -1 && w->region_id <= 0 && !verr_has(errs, "region_id"))
        verr_add(errs, "region_id", "invalid", "must be a positive integer");
    else if (w->region_id > 0)
        api_check_ref(req, errs, "region_id", "region", w->region_id);
    in->region_id = w->region_id > 0 ? w->region_id : 0;
    if (w->resp != -1 && w->resp <= 0 && !verr_has(errs, "responsible_user_id"))
        verr_add(errs, "responsible_user_id", "invalid", "must be a positive integer");
    in->responsible_user_id = w->resp > 0 ? w->resp : 0;
}

/* Reads a create (creating) or update body into in and s; `present` lists the fields. */
static void read_input(struct http_req *req, json_t *body, int creating, struct store_kp_in *in,
                       struct kp_sealed *s, struct verr_list *errs, char *present, size_t plen)
{
    struct api_ctx *ctx = api_ctx(req);
    struct kp_raw w = {.age = -1, .region_id = -1, .resp = -1, .every = -1};

    api_fields(body,
               (struct api_field[]){{"name", 's', creating, &w.name},
                                    {"id_number", 's', 0, &w.id_number},
                                    {"phone", 's', 0, &w.phone},
                                    {"gender", 's', 0, &w.gender},
                                    {"age", 'I', 0, &w.age},
                                    {"reason", 's', creating, &w.reason},
                                    {"reason_note", 's', 0, &w.note},
                                    {"region_id", 'I', creating, &w.region_id},
                                    {"responsible_user_id", 'I', 0, &w.resp},
                                    {"review_every_days", 'I', 0, &w.every},
                                    {"next_review_day", 's', 0, &w.next},
                                    {"status", 's', 0, &w.status}},
               creating ? 11 : 12, errs, present, plen);
    check_fields(req, &w, in, errs);
    if (w.id_number && *w.id_number)
        seal_number(ctx, errs, 1, w.id_number, &s->id, s->id_idx);
    if (w.phone && *w.phone)
        seal_number(ctx, errs, 0, w.phone, &s->phone, s->phone_idx);
    if (w.name && !verr_has(errs, "name"))
        s->name = seal_encrypt(ctx->app->seal, w.name);
    in->name_sealed = s->name;
    in->id_sealed = s->id;
    in->id_index = s->id ? s->id_idx : NULL;
    in->phone_sealed = s->phone;
    in->phone_index = s->phone ? s->phone_idx : NULL;
}

/* A stated reason or note must say something: text of spaces is refused as missing. */
static void check_said(struct verr_list *errs, const char *field, const char *s, long min, long max)
{
    const char *p = s;

    while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
        p++;
    if (!*p && !verr_has(errs, field))
        verr_add(errs, field, "required", "must not be blank");
    else
        verr_check_text(errs, field, s, min, max);
}

/* ---- handlers ---- */

/* Answers with key person `id` (masked), its linked cases and reviews, after the audit
 * row of this view. */
static void reply_detail(struct http_req *req, struct http_res *res, int64_t id, int status)
{
    struct api_ctx *ctx = api_ctx(req);
    struct store_rows *row = NULL, *cases = NULL, *reviews = NULL;
    store_err e = store_kp_get(ctx->conn, &ctx->actor, overseer(req), id, &row);
    json_t *o;

    if (e == STORE_OK)
        e = store_kp_cases(ctx->conn, id, &cases);
    if (e == STORE_OK)
        e = store_kp_reviews(ctx->conn, id, &reviews);
    if (e == STORE_OK)
        e = store_kp_audit(ctx->conn, &ctx->actor, "read", id, KP_FIELDS, "masked");
    if (e != STORE_OK) {
        api_store_error(res, ctx->conn, e);
        goto out;
    }
    o = person(ctx, row, 0, 0);
    json_object_set_new(o, "linked_cases", api_rows(cases));
    json_object_set_new(o, "reviews", api_rows(reviews));
    http_res_json(res, status, o);
out:
    store_rows_free(row);
    store_rows_free(cases);
    store_rows_free(reviews);
}

/* The list's filters from the query. */
static void list_filter(struct http_req *req, struct store_kp_filter *f, char *today,
                        struct verr_list *errs)
{
    const char *due = http_query(req, "due");

    api_query_id(req, "region_id", &f->region_id, errs);
    f->reason = api_vocab(errs, "reason", &vocab_kp_reason, http_query(req, "reason"));
    f->status = api_vocab(errs, "status", &vocab_kp_status, http_query(req, "status"));
    timefmt_day(case_today(), today, 16);
    if (due && (strcmp(due, "true") == 0 || strcmp(due, "1") == 0))
        f->due_by = today;
    else if (due && *due && strcmp(due, "false") != 0 && strcmp(due, "0") != 0)
        verr_add(errs, "due", "invalid", "must be true or false");
}

/* The audit detail of a list page: which people it showed. */
static void listed_ids(const struct store_rows *rows, char *out, size_t n)
{
    size_t o = (size_t)snprintf(out, n, "listed:");

    for (int r = 0; r < rows->nrows && o + 24 < n; r++)
        o += (size_t)snprintf(out + o, n - o, "%s%lld", r ? "," : "",
                              (long long)store_rows_int(rows, r, 0));
}

void api_kp_list(struct http_req *req, struct http_res *res)
{
    struct api_ctx *ctx = api_ctx(req);
    struct store_kp_filter f = {0};
    struct verr_list errs = {0};
    struct store_page pg;
    struct store_rows *rows = NULL;
    char today[16], detail[1024];
    json_t *page, *items;
    store_err e;

    if (!overseer(req)) {
        forbidden(res);
        return;
    }
    list_filter(req, &f, today, &errs);
    api_query_page(req, &pg, &errs);
    if (errs.n) {
        api_validation(res, &errs);
        return;
    }
    e = store_kp_list(ctx->conn, &ctx->actor, &f, &pg, &rows);
    if (e == STORE_OK) {
        listed_ids(rows, detail, sizeof detail);
        e = store_kp_audit(ctx->conn, &ctx->actor, "read", 0, KP_FIELDS, detail);
    }
    if (e != STORE_OK) {
        store_rows_free(rows);
        api_store_error(res, ctx->conn, e);
        return;
    }
    page = api_page(rows, &pg);
    items = json_array();
    for (int r = 0; r < rows->nrows; r++)
        json_array_append_new(items, person(ctx, rows, r, 0));
    json_object_set_new(page, "items", items);
    store_rows_free(rows);
    http_res_json(res, 200, page);
}

void api_kp_create(struct http_req *req, struct http_res *res)
{
    struct api_ctx *ctx = api_ctx(req);
    json_t *body;
    struct store_kp_in in = {0};
    struct kp_sealed s = {0};
    struct verr_list errs = {0};
    char next[16];
    int64_t id = 0;
    store_err e;

    if (!overseer(req)) {
        forbidden(res);
        return;
    }
    body = api_body(req, res);
    if (!body)
        return;
    read_input(req, body, 1, &in, &s, &errs, NULL, 0);
    if (in.status && !verr_has(&errs, "status"))
        verr_add(&errs, "status", "unknown", "a new key person is active");
    if (errs.n) {
        api_validation(res, &errs);
        goto out;
    }
    if (!in.review_every_days)
        in.review_every_days = 30; /* monthly unless stated: common local practice */
    if (!in.next_review_day) {
        timefmt_day(case_today() + (int32_t)in.review_every_days, next, sizeof next);
        in.next_review_day = next;
    }
    e = store_kp_create(ctx->conn, &ctx->actor, &in, &id);
    if (e != STORE_OK)
        api_store_error(res, ctx->conn, e);
    else
        reply_detail(req, res, id, 201);
out:
    kp_sealed_free(&s);
    json_decref(body);
}

void api_kp_get(struct http_req *req, struct http_res *res)
{
    int64_t id = api_path_id(req, res, 0);

    if (id)
        reply_detail(req, res, id, 200);
}

void api_kp_update(struct http_req *req, struct http_res *res)
{
    struct api_ctx *ctx = api_ctx(req);
    int64_t id = api_path_id(req, res, 0);
    json_t *body;
    struct store_kp_in in = {0};
    struct kp_sealed s = {0};
    struct verr_list errs = {0};
    char present[256] = "";
    store_err e;

    if (!id)
        return;
    if (!overseer(req)) {
        forbidden(res);
        return;
    }
    body = api_body(req, res);
    if (!body)
        return;
    read_input(req, body, 0, &in, &s, &errs, present, sizeof present);
    if (errs.n) {
        api_validation(res, &errs);
        goto out;
    }
    e = store_kp_update(ctx->conn, &ctx->actor, 1, id, &in, present);
    if (e != STORE_OK)
        api_store_error(res, ctx->conn, e);
    else
        reply_detail(req, res, id, 200);
out:
    kp_sealed_free(&s);
    json_decref(body);
}

void api_kp_review(struct http_req *req, struct http_res *res)
{
    struct api_ctx *ctx = api_ctx(req);
    int64_t id = api_path_id(req, res, 0);
    struct store_rows *row = NULL;
    struct verr_list errs = {0};
    const char *note = NULL;
    char day[16], next[16];
    json_t *body;
    store_err e;

    if (!id || !(body = api_body(req, res)))
        return;
    api_fields(body, (struct api_field[]){{"note", 's', 1, &note}}, 1, &errs, NULL, 0);
    if (note)
        check_said(&errs, "note", note, 1, 2000);
    if (errs.n) {
        api_validation(res, &errs);
        goto out;
    }
    /* The next review counts from today, the day this one was done. */
    e = store_kp_get(ctx->conn, &ctx->actor, overseer(req), id, &row);
    if (e == STORE_OK) {
        int32_t today = case_today();
        timefmt_day(today, day, sizeof day);
        timefmt_day(today +
                        (int32_t)store_rows_int(row, 0, store_rows_col(row, "review_every_days")),
                    next, sizeof next);
        e = store_kp_review_add(ctx->conn, &ctx->actor, overseer(req), id, day, note, next);
    }
    if (e != STORE_OK)
        api_store_error(res, ctx->conn, e);
    else
        reply_detail(req, res, id, 201);
out:
    store_rows_free(row);
    json_decref(body);
}

void api_kp_reveal(struct http_req *req, struct http_res *res)
{
    struct api_ctx *ctx = api_ctx(req);
    int64_t id = api_path_id(req, res, 0);
    struct store_rows *row = NULL;
    struct verr_list errs = {0};
    const char *reason = NULL;
    json_t *body, *o, *out;
    store_err e;

    if (!id || !(body = api_body(req, res)))
        return;
    /* The stated purpose is what makes the access necessary (PIPL art. 6, 28): required. */
    api_fields(body, (struct api_field[]){{"reason", 's', 1, &reason}}, 1, &errs, NULL, 0);
    if (reason)
        check_said(&errs, "reason", reason, 2, 200);
    if (errs.n) {
        api_validation(res, &errs);
        goto out;
    }
    e = store_kp_get(ctx->conn, &ctx->actor, overseer(req), id, &row);
    if (e == STORE_OK)
        e = store_kp_audit(ctx->conn, &ctx->actor, "reveal", id, KP_FIELDS, reason);
    if (e != STORE_OK) {
        api_store_error(res, ctx->conn, e);
        goto out;
    }
    o = person(ctx, row, 0, 1);
    out = json_pack("{s:O, s:O, s:O, s:O}", "id", json_object_get(o, "id"), "name",
                    json_object_get(o, "name"), "id_number", json_object_get(o, "id_number"),
                    "phone", json_object_get(o, "phone"));
    json_decref(o);
    http_res_json(res, 200, out);
out:
    store_rows_free(row);
    json_decref(body);
}

void api_kp_link(struct http_req *req, struct http_res *res)
{
    struct api_ctx *ctx = api_ctx(req);
    int64_t id = api_path_id(req, res, 0);
    struct verr_list errs = {0};
    json_int_t case_id = 0;
    int linked = 0;
    json_t *body;
    store_err e;

    if (!id || !(body = api_body(req, res)))
        return;
    api_fields(body, (struct api_field[]){{"case_id", 'I', 1, &case_id}}, 1, &errs, NULL, 0);
    if (json_object_get(body, "case_id") && case_id <= 0 && !verr_has(&errs, "case_id"))
        verr_add(&errs, "case_id", "invalid", "must be a positive integer");
    if (errs.n) {
        api_validation(res, &errs);
        goto out;
    }
    e = store_kp_link(ctx->conn, &ctx->actor, overseer(req), id, case_id, &linked);
    if (e != STORE_OK)
        api_store_error(res, ctx->conn, e);
    else
        reply_detail(req, res, id, linked ? 201 : 200);
out:
    json_decref(body);
}

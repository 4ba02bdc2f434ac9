/*
 * citizens.c - what citizens do without an account (互联网+人民调解): file a dispute
 * online, track it with the access code they were given, and rate the service after it
 * closes. Public endpoints are rate-limited per address and per phone number, and show
 * a citizen-facing timeline only: no internal notes, no other party's personal data.
 */
#include "api/api.h"
#include "case/case.h"
#include "auth/auth.h"
#include "core/case_fsm.h"
#include "core/casenum.h"
#include "core/timefmt.h"
#include "seal/seal.h"
#include "store/cases.h"

#include <qrencode.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define HOUR_MS             (3600LL * 1000)
#define APPLY_PER_IP_HOUR   10
#define APPLY_PER_PHONE_DAY 3
/* Wrong case numbers or codes from one address: the first ten are free, then each waits
 * 1 s, 2 s, 4 s ... at most a minute after the latest (a back-off, not the old hour-long
 * block, which let an attacker behind a shared address lock every citizen out of their own
 * case; issue 13, defect 4). A code is 8 of 32 characters: 2^40 guesses, hopeless at this
 * pace. */
#define TRACK_FREE_MISSES 10
#define TRACK_CAP_MISS_MS (60 * 1000)
/* Recovering a code proves who one is with a phone and an ID number: few tries, so that
 * nobody can try a village's phone numbers against a case number. */
#define RECOVER_PER_IP_HOUR   20
#define RECOVER_PER_PHONE_DAY 5

/* Codes avoid characters that are easy to misread (0/O, 1/I/l). */
static void access_code(char out[9])
{
    static const char alphabet[] = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ";
    unsigned char raw[8];

    randombytes_buf(raw, sizeof raw);
    for (int i = 0; i < 8; i++)
        out[i] = alphabet[raw[i] % 32];
    out[8] = '\0';
}

/* The QR code of `text` as an SVG image (malloc'd), or NULL. */
static char *qr_svg(const char *text)
{
    QRcode *q = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
    size_t cap, n = 0;
    char *svg;
    int w;

    if (!q)
        return NULL;
    w = q->width;
    cap = 256 + (size_t)w * (size_t)w * 48;
    svg = malloc(cap);
    if (svg) {
        n += (size_t)snprintf(svg + n, cap - n,
                              "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\""
                              " shape-rendering=\"crispEdges\"><rect width=\"%d\" height=\"%d\""
                              " fill=\"#fff\"/><path fill=\"#000\" d=\"",
                              w + 8, w + 8, w + 8, w + 8);
        for (int y = 0; y < w; y++)
            for (int x = 0; x < w; x++)
                if (q->data[y * w + x] & 1)
                    n += (size_t)snprintf(svg + n, cap - n, "M%d %dh1v1h-1z", x + 4, y + 4);
        snprintf(svg + n, cap - n, "\"/></svg>");
    }
    QRcode_free(q);
    return svg;
}

/* Citizens act as nobody in particular, over the whole tree; the audit log shows
 * "citizen" and their address. */
static void act_as_citizen(struct http_req *req)
{
    struct api_ctx *ctx = api_ctx(req);

    store_actor_system(&ctx->actor);
    ctx->actor.top = 0;
    snprintf(ctx->actor.login, sizeof ctx->actor.login, "citizen");
    snprintf(ctx->actor.ip, sizeof ctx->actor.ip, "%s", req->ip);
}

/* The tracking link for a case number and access code (for the QR code and the page). */
static void track_url(const char *host, const char *number, const char *code, char *url,
                      size_t urllen)
{
    char enc[3 * 128];
    size_t k = 0;

    for (const unsigned char *p = (const unsigned char *)number; *p && k + 4 < sizeof enc; p++)
        k += (size_t)snprintf(enc + k, sizeof enc - k, (*p < 0x80 && *p > 0x20) ? "%c" : "%%%02X",
                              *p);
    snprintf(url, urllen, "http://%s/#/public/track?number=%s&code=%s", host ? host : "localhost",
             enc, code);
}

static void too_many(struct http_res *res, const char *detail)
{
    http_res_header(res, "Retry-After", "3600");
    http_problem(res, 429, "rate-limited", "Too Many Requests", detail, NULL);
}

void api_public_apply(struct http_req *req, struct http_res *res)
{
    struct api_ctx *ctx = api_ctx(req);
    struct verr_list errs = {0};
    json_t *body = api_body(req, res), *applicant = NULL, *respondent = NULL, *intake = NULL;
    json_t *related = NULL, *parties;
    const char *phone = NULL, *host = http_header(req, "Host");
    char norm[SEAL_PHONE_LEN] = "", index[SEAL_INDEX_LEN] = "", other[SEAL_INDEX_LEN] = "";
    char code[9];
    char digest[AUTH_DIGEST_LEN], number[128], url[512], *svg = NULL;
    int64_t by_ip = 0, by_phone = 0;
    store_err e;

    if (!body)
        return;
    act_as_citizen(req);
    /* A citizen says what happened and who is involved; how the case is handled (urgency,
     * key persons, links to other cases, ...) is the centre's to decide at triage. */
    api_only_fields(body,
                    (const char *const[]){"category", "region_id", "facts", "claims", "complexity",
                                          "occurred_on", "applicant", "respondent", NULL},
                    &errs);
    applicant = json_object_get(body, "applicant");
    respondent = json_object_get(body, "respondent");
    if (!json_is_object(applicant))
        verr_add(&errs, "applicant", "required", "tell us who applies (name and phone)");
    else
        phone = json_string_value(json_object_get(applicant, "phone"));
    if (json_is_object(applicant) && (!phone || seal_norm_phone(phone, norm, sizeof norm) != 0))
        verr_add(&errs, "applicant.phone", phone ? "invalid" : "required",
                 "a phone number we can reach you at is required");
    if (respondent && !json_is_object(respondent))
        verr_add(&errs, "respondent", "type", "must be an object");
    /* Without a usable phone the application stops here; say what else is wrong too. */
    if (errs.n) {
        const char *name = json_is_object(applicant)
                               ? json_string_value(json_object_get(applicant, "name"))
                               : NULL;
        if (json_is_object(applicant) && (!name || !*name))
            verr_add(&errs, "applicant.name", "required", "is required");
        const char *category = json_string_value(json_object_get(body, "category"));
        const char *facts = json_string_value(json_object_get(body, "facts"));
        if (!category)
            verr_add(&errs, "category", "required", "is required");
        else
            (void)api_vocab(&errs, "category", &vocab_category, category);
        if (!facts)
            verr_add(&errs, "facts", "required", "is required");
        else
            verr_check_text(&errs, "facts", facts, 1, 5000);
    }
    if (errs.n) {
        api_validation(res, &errs);
        goto out;
    }
    seal_index(ctx->app->seal, "phone", norm, index);
    /* Requests recorded under the other key of a rotation count too (docs/security-data.md). */
    seal_index_other(ctx->app->seal, "phone", norm, other);
    e = store_public_count(ctx->conn, "apply", req->ip, index, other, store_now_ms() - 24 * HOUR_MS,
                           &by_ip, &by_phone);
    if (e != STORE_OK) {
        api_store_error(res, ctx->conn, e);
        goto out;
    }
    if (by_ip >= APPLY_PER_IP_HOUR * 24 || by_phone >= APPLY_PER_PHONE_DAY) {
        too_many(res, "too many applications from this address or phone number today");
        goto out;
    }
    /* The online form says less than the clerk's: the rest is settled at triage. */
    parties = json_pack("[O]", applicant);
    json_object_set_new(json_array_get(parties, 0), "role", json_string("applicant"));
    if (respondent) {
        json_array_append_new(parties, json_deep_copy(respondent));
        json_object_set_new(json_array_get(parties, 1), "role", json_string("respondent"));
    }
    intake = json_deep_copy(body);
    json_object_del(intake, "applicant");
    json_object_del(intake, "respondent");
    json_object_set_new(intake, "parties", parties);
    json_object_set_new(intake, "channel", json_string("online"));
    if (!json_object_get(intake, "complexity"))
        json_object_set_new(intake, "complexity", json_string("ordinary"));
    access_code(code);
    auth_secret_digest(code, digest);
    {
        struct case_env env;
        struct case_out cout = {0};
        int ok;
        api_case_env(req, &env);
        ok = api_case_done(req, res, case_register(&env, intake, digest, &cout), &cout);
        snprintf(number, sizeof number, "%s", cout.number);
        case_out_free(&cout);
        if (!ok)
            goto out;
    }
    e = store_public_request(ctx->conn, "apply", req->ip, index);
    if (e != STORE_OK) {
        api_store_error(res, ctx->conn, e);
        goto out;
    }
    track_url(host, number, code, url, sizeof url);
    svg = qr_svg(url);
    http_res_json(res, 201,
                  json_pack("{s:s, s:s, s:s, s:s?}", "number", number, "access_code", code,
                            "track_url", url, "qr_svg", svg));
out:
    free(svg);
    json_decref(related);
    json_decref(intake);
    json_decref(body);
}

/* Finds the case a citizen names; answers 404 (or 429 after many misses) itself. */
static int find_public(struct http_req *req, struct http_res *res, const char *code,
                       struct store_rows **row)
{
    struct api_ctx *ctx = api_ctx(req);
    char digest[AUTH_DIGEST_LEN], v[CASENUM_VARIANTS][CASENUM_MAX];
    const char *numbers[CASENUM_VARIANTS] = {v[0], v[1], v[2], v[3], v[4]};
    int64_t misses = 0, last = 0, now = store_now_ms(), wait;
    store_err e;

    e = store_public_tries(ctx->conn, "track_miss", req->ip, now - HOUR_MS, &misses, &last);
    wait = last + auth_backoff_ms(misses, TRACK_FREE_MISSES, TRACK_CAP_MISS_MS) - now;
    if (e == STORE_OK && wait > 0) {
        char retry[24];
        snprintf(retry, sizeof retry, "%lld", (long long)((wait + 999) / 1000));
        http_res_header(res, "Retry-After", retry);
        http_problem(res, 429, "rate-limited", "Too Many Requests",
                     "too many wrong case numbers or codes from this address; wait Retry-After "
                     "seconds",
                     NULL);
        return -1;
    }
    auth_secret_digest(code ? code : "", digest);
    /* The number as typed: any brackets, spaces around (see casenum_variants). */
    if (e == STORE_OK && casenum_variants(req->params[0], v) != 0)
        e = STORE_NOT_FOUND;
    else if (e == STORE_OK)
        e = store_case_public(ctx->conn, numbers, digest, row);
    if (e == STORE_NOT_FOUND) {
        (void)store_public_request(ctx->conn, "track_miss", req->ip, NULL);
        http_problem(res, 404, "not-found", "Not Found", "no case with this number and access code",
                     NULL);
        return -1;
    }
    if (e != STORE_OK) {
        api_store_error(res, ctx->conn, e);
        return -1;
    }
    return 0;
}

/* Assigned to mediators or being mediated: when a video session can take place. */
static int in_mediation(const char *state)
{
    return strcmp(state, "assigned") == 0 || strcmp(state, "mediating") == 0;
}

void api_public_track(struct http_req *req, struct http_res *res)
{
    struct api_ctx *ctx = api_ctx(req);
    struct store_rows *row = NULL, *ev = NULL;
    json_t *out, *timeline;
    store_err e;

    if (find_public(req, res, http_query(req, "code"), &row) != 0)
        return;
    e = store_case_events(ctx->conn, store_rows_int(row, 0, 0), 1, &ev);
    if (e != STORE_OK) {
        api_store_error(res, ctx->conn, e);
        goto out;
    }
    /* The citizen sees what happened and when, not who or what was said. */
    timeline = json_array();
    for (int r = 0; r < ev->nrows; r++) {
        char at[TIMEFMT_ISO_LEN];
        timefmt_iso(store_rows_int(ev, r, 1), at, sizeof at);
        json_array_append_new(timeline, json_pack("{s:s, s:s, s:s}", "at", at, "action",
                                                  store_rows_get(ev, r, 4), "state",
                                                  store_rows_get(ev, r, 6)));
    }
    out = api_row(row, 0);
    json_object_del(out, "id");
    json_object_set_new(out, "timeline", timeline);
    /* The parties join the video session from here while the case is being mediated. */
    json_object_set_new(out, "meeting_url",
                        in_mediation(store_rows_get(row, 0, 2))
                            ? api_meeting_url(ctx, store_rows_int(row, 0, 0))
                            : json_null());
    http_res_json(res, 200, out);
out:
    store_rows_free(row);
    store_rows_free(ev);
}

void api_public_rate(struct http_req *req, struct http_res *res)
{
    struct api_ctx *ctx = api_ctx(req);
    struct verr_list errs = {0};
    struct store_rows *row = NULL, *ev = NULL;
    const char *code = NULL, *comment = NULL, *state;
    json_int_t satisfaction = 0;
    char *data = NULL;
    store_err e;
    json_t *body = api_body(req, res);

    if (!body)
        return;
    act_as_citizen(req);
    api_fields(body,
               (struct api_field[]){{"code", 's', 1, &code},
                                    {"satisfaction", 'I', 1, &satisfaction},
                                    {"comment", 's', 0, &comment}},
               3, &errs, NULL, 0);
    if (json_object_get(body, "satisfaction") && (satisfaction < 1 || satisfaction > 5) &&
        !verr_has(&errs, "satisfaction"))
        verr_add(&errs, "satisfaction", "invalid", "must be 1 (very unsatisfied) to 5");
    if (comment)
        verr_check_text(&errs, "comment", comment, 0, 500);
    if (errs.n) {
        api_validation(res, &errs);
        goto out;
    }
    if (find_public(req, res, code, &row) != 0)
        goto out;
    state = store_rows_get(row, 0, 2);
    e = store_case_events(ctx->conn, store_rows_int(row, 0, 0), 1, &ev);
    for (int r = 0; e == STORE_OK && r < ev->nrows; r++)
        if (strcmp(store_rows_get(ev, r, 4), "citizen_rating") == 0) {
            http_problem(res, 409, "conflict", "Conflict", "this case has been rated already",
                         NULL);
            goto out;
        }
    if (strcmp(state, "closed") != 0 && strcmp(state, "archived") != 0) {
        http_problem(res, 409, "conflict", "Conflict", "a case can be rated once it is closed",
                     NULL);
        goto out;
    }
    {
        json_t *d = json_pack("{s:I, s:s?}", "satisfaction", satisfaction, "comment", comment);
        data = json_dumps(d, JSON_COMPACT);
        json_decref(d);
    }
    if (e != STORE_OK) {
        api_store_error(res, ctx->conn, e);
        goto out;
    }
    {
        struct case_env env;
        struct case_out cout = {0};
        api_case_env(req, &env);
        if (api_case_done(
                req, res,
                case_note(&env, store_rows_int(row, 0, 0), "citizen_rating", data, 1, &cout),
                &cout))
            http_res_empty(res, 204);
        case_out_free(&cout);
    }
out:
    free(data);
    store_rows_free(row);
    store_rows_free(ev);
    json_decref(body);
}

/* Reads the recovery body's phone and ID number, normalised; names what is wrong. */
static void recover_input(json_t *body, char phone[SEAL_PHONE_LEN], char id[SEAL_ID_LEN],
                          struct verr_list *errs)
{
    const char *p = NULL, *i = NULL;

    api_fields(body, (struct api_field[]){{"phone", 's', 1, &p}, {"id_number", 's', 1, &i}}, 2,
               errs, NULL, 0);
    if (p && seal_norm_phone(p, phone, SEAL_PHONE_LEN) != 0)
        verr_add(errs, "phone", "invalid", "is not a valid phone number");
    if (i && seal_norm_id_number(i, id, SEAL_ID_LEN) != 0)
        verr_add(errs, "id_number", "invalid", "is not a valid resident ID number");
}

/* Counts a recovery attempt unless the phone's day or the address's hour is used up:
 * STORE_CONFLICT when it is (answered 429 here). */
static store_err recover_allowed(struct http_req *req, struct http_res *res,
                                 const char *const phone_idx[2])
{
    struct api_ctx *ctx = api_ctx(req);
    int64_t by_ip = 0, by_phone = 0, ignored = 0;
    store_err e = store_public_count(ctx->conn, "recover", req->ip, phone_idx[0], phone_idx[1],
                                     store_now_ms() - 24 * HOUR_MS, &ignored, &by_phone);

    if (e == STORE_OK)
        e = store_public_count(ctx->conn, "recover", req->ip, NULL, NULL, store_now_ms() - HOUR_MS,
                               &by_ip, &ignored);
    if (e == STORE_OK && (by_phone >= RECOVER_PER_PHONE_DAY || by_ip >= RECOVER_PER_IP_HOUR)) {
        too_many(res, by_phone >= RECOVER_PER_PHONE_DAY
                          ? "too many attempts for this phone number today"
                          : "too many attempts from this address; try again later");
        return STORE_CONFLICT;
    }
    return e == STORE_OK ? store_public_request(ctx->conn, "recover", req->ip, phone_idx[0]) : e;
}

/*
 * 找回查询码: a citizen who lost the access code names the case number and the applicant's
 * phone and ID number. Both must be the same applicant's, through the blind indexes. The
 * old code cannot be recovered (only its digest is stored), so a new one is issued and
 * shown once, and the old one stops working. A wrong number, phone or ID number is the
 * same 404; every attempt counts toward the limits, per address and per phone.
 */
void api_public_recover(struct http_req *req, struct http_res *res)
{
    struct api_ctx *ctx = api_ctx(req);
    struct verr_list errs = {0};
    char phone[SEAL_PHONE_LEN] = "", id[SEAL_ID_LEN] = "", idx[4][SEAL_INDEX_LEN];
    char v[CASENUM_VARIANTS][CASENUM_MAX], code[9];
    /* {current key, other key of a rotation}: an applicant not yet re-indexed is found. */
    const char *const phone_idx[2] = {idx[0], idx[1]}, *const id_idx[2] = {idx[2], idx[3]};
    char digest[AUTH_DIGEST_LEN], number[CASENUM_MAX], url[512], *svg = NULL;
    const char *numbers[CASENUM_VARIANTS] = {v[0], v[1], v[2], v[3], v[4]};
    json_t *body = api_body(req, res);
    store_err e;

    if (!body)
        return;
    act_as_citizen(req);
    recover_input(body, phone, id, &errs);
    if (errs.n) {
        api_validation(res, &errs);
        goto out;
    }
    if (!ctx->app->seal) {
        http_problem(res, 503, "unavailable", "Service Unavailable",
                     "the key for personal data is not loaded", NULL);
        goto out;
    }
    seal_index(ctx->app->seal, "phone", phone, idx[0]);
    seal_index_other(ctx->app->seal, "phone", phone, idx[1]);
    seal_index(ctx->app->seal, "id", id, idx[2]);
    seal_index_other(ctx->app->seal, "id", id, idx[3]);
    e = recover_allowed(req, res, phone_idx);
    if (e == STORE_CONFLICT)
        goto out; /* answered 429 */
    access_code(code);
    auth_secret_digest(code, digest);
    if (e == STORE_OK && casenum_variants(req->params[0], v) != 0)
        e = STORE_NOT_FOUND;
    else if (e == STORE_OK) {
        struct case_env env;
        struct case_out cout = {0};
        api_case_env(req, &env);
        if (case_reissue_code(&env, numbers, phone_idx, id_idx, digest, &cout) != CASE_OK)
            e = cout.store;
        snprintf(number, sizeof number, "%s", cout.number);
        case_out_free(&cout);
    }
    if (e == STORE_NOT_FOUND) {
        http_problem(res, 404, "not-found", "Not Found",
                     "no case with this number whose applicant has this phone and ID number", NULL);
        goto out;
    }
    if (e != STORE_OK) {
        api_store_error(res, ctx->conn, e);
        goto out;
    }
    track_url(http_header(req, "Host"), number, code, url, sizeof url);
    svg = qr_svg(url);
    http_res_json(res, 200,
                  json_pack("{s:s, s:s, s:s, s:s?}", "number", number, "access_code", code,
                            "track_url", url, "qr_svg", svg));
out:
    sodium_memzero(id, sizeof id);
    sodium_memzero(phone, sizeof phone);
    free(svg);
    json_decref(body);
}

/*
 * cases.c - the case register and the case lifecycle over HTTP: intake from every channel,
 * the actions a caller may take now, taking one, and the timeline.
 *
 * Whether an action is possible, and for whom, is decided by the state machine in
 * core/case_fsm.c; this file only reads the action's details, asks the core, and hands the
 * resulting change to store_case_apply.
 */
#include "api/api.h"
#include "core/case_fsm.h"
#include "core/casenum.h"
#include "core/deadline.h"
#include "core/region.h"
#include "core/routing.h"
#include "core/timefmt.h"
#include "seal/seal.h"
#include "text/text.h"
#include "store/cases.h"
#include "store/regions.h"
#include "store/rules.h"
#include "store/settings.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Today in China (UTC+8), as days since the epoch. */
static int32_t beijing_day(void)
{
    return (int32_t)((store_now_ms() + 8LL * 3600 * 1000) / 86400000);
}

#define RETURN_VISIT_DAYS 15 /* calendar days after closing that a return visit is due */

/* ---- reading a case ---- */

/* The case as the API shows it: the row, its parties with personal data masked. */
static json_t *case_json(struct api_ctx *ctx, const struct store_rows *row)
{
    struct store_rows *parties = NULL, *links = NULL;
    json_t *out = api_row(row, 0), *list = json_array();

    if (store_case_parties(ctx->conn, store_rows_int(row, 0, 0), &parties) == STORE_OK) {
        for (int i = 0; i < parties->nrows; i++) {
            static const char *const sealed[] = {"id_sealed", "phone_sealed", "address_sealed"};
            static const char *const keys[] = {"id_number", "phone", "address"};
            int (*const mask[])(const char *, char *, size_t) = {seal_mask_id, seal_mask_phone,
                                                                 seal_mask_address};
            json_t *p = json_pack(
                "{s:I, s:s, s:s, s:s, s:s?}", "id", (json_int_t)store_rows_int(parties, i, 0),
                "role", store_rows_get(parties, i, 1), "kind", store_rows_get(parties, i, 2),
                "name", store_rows_get(parties, i, 3), "agent", store_rows_get(parties, i, 7));
            for (int k = 0; k < 3; k++) {
                const char *v = store_rows_get(parties, i, store_rows_col(parties, sealed[k]));
                char *plain = NULL, masked[SEAL_MASK_LEN];
                if (v && ctx->app->seal && seal_decrypt(ctx->app->seal, v, &plain) == SEAL_OK &&
                    mask[k](plain, masked, sizeof masked) == 0)
                    json_object_set_new(p, keys[k], json_string(masked));
                else
                    json_object_set_new(p, keys[k], json_null());
                if (plain) {
                    memset(plain, 0, strlen(plain));
                    free(plain);
                }
            }
            json_array_append_new(list, p);
        }
    }
    store_rows_free(parties);
    json_object_set_new(out, "parties", list);
    /* 关联案件: the case this one repeats or was merged into, and those that point here. */
    list = json_array();
    if (store_case_links(ctx->conn, &ctx->actor, store_rows_int(row, 0, 0), &links) == STORE_OK)
        for (int i = 0; i < links->nrows; i++)
            json_array_append_new(list, api_row(links, i));
    store_rows_free(links);
    json_object_set_new(out, "links", list);
    json_object_set_new(out, "meeting_url", api_meeting_url(ctx, store_rows_int(row, 0, 0)));
    return out;
}

static void reply_case(struct http_req *req, struct http_res *res, int64_t id, int status,
                       json_t *extra)
{
    struct api_ctx *ctx = api_ctx(req);
    struct store_rows *rows = NULL;
    store_err e = store_case_get(ctx->conn, &ctx->actor, id, &rows);
    json_t *out;

    if (e != STORE_OK) {
        json_decref(extra);
        api_store_error(res, ctx->conn, e);
        return;
    }
    out = case_json(ctx, rows);
    if (extra)
        json_object_update(out, extra);
    json_decref(extra);
    http_res_json(res, status, out);
    store_rows_free(rows);
}

/* ---- intake ---- */

/* Reads parties[i]; seals its personal data into p (strings kept in `owned`). */
static void party_input(struct api_ctx *ctx, json_t *o, int i, struct store_party_in *p,
                        char **owned, int *nowned, char (*idx)[2][SEAL_INDEX_LEN],
                        struct verr_list *errs)
{
    const char *id_number = NULL, *phone = NULL, *address = NULL;
    char field[48], norm[32];
    struct verr_list one = {0};

    api_fields(o,
               (struct api_field[]){{"role", 's', 1, &p->role},
                                    {"kind", 's', 0, &p->kind},
                                    {"name", 's', 1, &p->name},
                                    {"id_number", 's', 0, &id_number},
                                    {"phone", 's', 0, &phone},
                                    {"address", 's', 0, &address},
                                    {"agent", 's', 0, &p->agent}},
               7, &one, NULL, 0);
    p->role = api_vocab(&one, "role", &vocab_party_role, p->role);
    p->kind = p->kind ? api_vocab(&one, "kind", &vocab_party_kind, p->kind) : "person";
    if (p->name)
        verr_check_text(&one, "name", p->name, 1, 100);
    if (p->agent)
        verr_check_text(&one, "agent", p->agent, 0, 100);
    if (address)
        verr_check_text(&one, "address", address, 0, 200);
    if (id_number && *id_number) {
        if (seal_norm_id_number(id_number, norm, sizeof norm) != 0)
            verr_add(&one, "id_number", "invalid", "is not a valid resident ID number");
        else if (!one.n) {
            seal_index(ctx->app->seal, "id", norm, idx[i][0]);
            p->id_index = idx[i][0];
            p->id_sealed = owned[(*nowned)++] = seal_encrypt(ctx->app->seal, norm);
        }
    }
    if (phone && *phone) {
        if (seal_norm_phone(phone, norm, sizeof norm) != 0)
            verr_add(&one, "phone", "invalid", "is not a valid phone number");
        else if (!one.n) {
            seal_index(ctx->app->seal, "phone", norm, idx[i][1]);
            p->phone_index = idx[i][1];
            p->phone_sealed = owned[(*nowned)++] = seal_encrypt(ctx->app->seal, norm);
        }
    }
    if (address && *address && !one.n)
        p->address_sealed = owned[(*nowned)++] = seal_encrypt(ctx->app->seal, address);
    /* Name the field inside the list, so the form can point at it. */
    for (int k = 0; k < one.n; k++) {
        snprintf(field, sizeof field, "parties[%d].%s", i, one.items[k].field);
        verr_add(errs, field, one.items[k].code, "%s", one.items[k].message);
    }
}

/* What search finds a case by: the names of the parties, the facts, the claims and the
 * cause, as bigram tokens (src/text). Returns malloc'd tokens or NULL. */
static char *case_terms(struct api_ctx *ctx, const struct store_case_in *in)
{
    const char *parts[3 + STORE_MAX_PARTIES] = {in->facts, in->claims, in->cause};
    size_t len = 1;
    char *joined, *norm, *terms = NULL;
    int n = 3;

    if (!ctx->app->text)
        return NULL;
    for (int p = 0; p < in->nparties; p++)
        parts[n++] = in->parties[p].name;
    for (int i = 0; i < n; i++)
        len += (parts[i] ? strlen(parts[i]) : 0) + 1;
    joined = calloc(len, 1);
    if (!joined)
        return NULL;
    for (int i = 0; i < n; i++) {
        if (parts[i]) {
            strcat(joined, parts[i]);
            strcat(joined, " ");
        }
    }
    norm = text_normalise(ctx->app->text, joined);
    if (norm)
        terms = text_bigrams(norm);
    free(norm);
    free(joined);
    return terms;
}

int api_case_register(struct http_req *req, struct http_res *res, json_t *body,
                      const char *access_digest, int64_t *id_out, char *number_out,
                      size_t numberlen, json_t **related_out)
{
    struct api_ctx *ctx = api_ctx(req);
    struct verr_list errs = {0};
    struct store_case_in in = {0};
    json_int_t region_id = 0, people = -1, amount = -1, related = 0;
    int key_persons = 0, urgent = 0, applicants = 0;
    long window_days;
    json_t *parties = NULL, *item, *related_json = NULL;
    char *owned[STORE_MAX_PARTIES * 3] = {0}, number[128], format[256];
    char idx[STORE_MAX_PARTIES][2][SEAL_INDEX_LEN];
    int nowned = 0;
    char *search = NULL;
    int64_t id = 0;
    size_t i;
    int32_t today;
    char day[16];
    int rc = -1;
    store_err e;

    if (!ctx->app->seal) {
        http_problem(res, 503, "unavailable", "Service Unavailable",
                     "the key for personal data is not loaded", NULL);
        goto out;
    }
    api_fields(body,
               (struct api_field[]){{"channel", 's', 1, &in.channel},
                                    {"category", 's', 1, &in.category},
                                    {"complexity", 's', 1, &in.complexity},
                                    {"facts", 's', 1, &in.facts},
                                    {"claims", 's', 0, &in.claims},
                                    {"cause", 's', 0, &in.cause},
                                    {"region_id", 'I', 1, &region_id},
                                    {"occurred_on", 's', 0, &in.occurred_on},
                                    {"people", 'I', 0, &people},
                                    {"amount", 'I', 0, &amount},
                                    {"key_persons", 'b', 0, &key_persons},
                                    {"forecast", 's', 0, &in.forecast},
                                    {"urgent", 'b', 0, &urgent},
                                    {"related_to", 'I', 0, &related},
                                    {"parties", 'a', 1, &parties}},
               15, &errs, NULL, 0);
    in.channel = api_vocab(&errs, "channel", &vocab_channel, in.channel);
    in.category = api_vocab(&errs, "category", &vocab_category, in.category);
    in.complexity = api_vocab(&errs, "complexity", &vocab_complexity, in.complexity);
    if (in.facts)
        verr_check_text(&errs, "facts", in.facts, 1, 5000);
    if (in.claims)
        verr_check_text(&errs, "claims", in.claims, 0, 2000);
    if (in.cause)
        verr_check_text(&errs, "cause", in.cause, 0, 500);
    if (in.forecast)
        verr_check_text(&errs, "forecast", in.forecast, 0, 500);
    if (in.occurred_on) {
        int32_t d;
        if (timefmt_day_parse(in.occurred_on, &d) != 0)
            verr_add(&errs, "occurred_on", "invalid", "must be a date (YYYY-MM-DD)");
    }
    if (json_object_get(body, "people") && people < 0 && !verr_has(&errs, "people"))
        verr_add(&errs, "people", "invalid", "must not be negative");
    if (json_object_get(body, "amount") && amount < 0 && !verr_has(&errs, "amount"))
        verr_add(&errs, "amount", "invalid", "must not be negative");
    if (json_object_get(body, "region_id") && region_id <= 0 && !verr_has(&errs, "region_id"))
        verr_add(&errs, "region_id", "invalid", "must be a positive integer");
    api_check_ref(req, &errs, "region_id", "region", region_id);
    if (json_object_get(body, "related_to") && related <= 0 && !verr_has(&errs, "related_to"))
        verr_add(&errs, "related_to", "invalid", "must be a positive integer");
    api_check_ref(req, &errs, "related_to", "case", related);
    if (parties && json_array_size(parties) > STORE_MAX_PARTIES)
        verr_add(&errs, "parties", "invalid", "at most %d parties", STORE_MAX_PARTIES);
    else if (parties) {
        json_array_foreach(parties, i, item)
        {
            if (!json_is_object(item)) {
                verr_add(&errs, "parties", "type", "item %zu must be an object", i + 1);
                continue;
            }
            party_input(ctx, item, (int)i, &in.parties[i], owned, &nowned, idx, &errs);
            applicants += in.parties[i].role && strcmp(in.parties[i].role, "applicant") == 0;
        }
        in.nparties = (int)json_array_size(parties);
        if (applicants == 0 && !verr_has(&errs, "parties"))
            verr_add(&errs, "parties", "required", "name at least one applicant (申请人)");
    }
    if (errs.n) {
        api_validation(res, &errs);
        goto out;
    }
    in.region_id = region_id;
    in.has_people = people >= 0;
    in.people = people;
    in.has_amount = amount >= 0;
    in.amount = amount;
    in.key_persons = key_persons;
    in.urgent = urgent;
    in.related_to = related;
    store_setting(ctx->conn, "case_number_format", format, sizeof format);
    in.search_terms = search = case_terms(ctx, &in);
    in.access_digest = access_digest;
    today = (int32_t)((store_now_ms() + 8LL * 3600 * 1000) / 86400000);
    timefmt_day(today, day, sizeof day);
    e = store_case_create(ctx->conn, &ctx->actor, &in, format, atoi(day), &id, number,
                          sizeof number);
    if (e != STORE_OK) {
        api_store_error(res, ctx->conn, e);
        goto out;
    }
    /* Repeated reports of one matter are linked, not duplicated: offer the open cases of
     * the same parties (by blind index) and category, within the configured window. */
    window_days = store_setting_int(ctx->conn, "related_window_days");
    related_json = json_array();
    for (int p = 0; p < in.nparties; p++) {
        struct store_rows *rel = NULL;
        if (!in.parties[p].id_index && !in.parties[p].phone_index)
            continue;
        if (store_case_related(ctx->conn, &ctx->actor, in.parties[p].id_index,
                               in.parties[p].phone_index, in.category,
                               store_now_ms() - window_days * 86400000LL, &rel) == STORE_OK) {
            for (int r = 0; r < rel->nrows; r++)
                if (store_rows_int(rel, r, 0) != id)
                    json_array_append_new(related_json, api_row(rel, r));
        }
        store_rows_free(rel);
    }
    *id_out = id;
    snprintf(number_out, numberlen, "%s", number);
    *related_out = related_json;
    rc = 0;
out:
    for (int k = 0; k < nowned; k++)
        free(owned[k]);
    free(search);
    return rc;
}

void api_cases_create(struct http_req *req, struct http_res *res)
{
    json_t *body = api_body(req, res), *related = NULL;
    char number[128];
    int64_t id = 0;

    if (!body)
        return;
    if (api_case_register(req, res, body, NULL, &id, number, sizeof number, &related) == 0)
        reply_case(req, res, id, 201, json_pack("{s:o}", "related", related));
    json_decref(body);
}

void api_cases_get(struct http_req *req, struct http_res *res)
{
    int64_t id = api_path_id(req, res, 0);
    if (id)
        reply_case(req, res, id, 200, NULL);
}

void api_cases_list(struct http_req *req, struct http_res *res)
{
    struct api_ctx *ctx = api_ctx(req);
    struct verr_list errs = {0};
    struct store_case_filter f = {0};
    struct store_page pg;
    struct store_rows *rows = NULL;
    const char *state = http_query(req, "state"), *overdue = http_query(req, "overdue"), *q;
    char today[16], *terms = NULL;
    store_err e;

    api_query_id(req, "region_id", &f.region_id, &errs);
    api_query_id(req, "resp_org_id", &f.resp_org_id, &errs);
    api_query_id(req, "mediator_id", &f.mediator_id, &errs);
    api_query_page(req, &pg, &errs);
    {
        const char *mine = http_query(req, "mine");
        if (mine && (strcmp(mine, "true") == 0 || strcmp(mine, "1") == 0))
            f.mine = ctx->actor.user_id;
        else if (mine && *mine && strcmp(mine, "false") != 0 && strcmp(mine, "0") != 0)
            verr_add(&errs, "mine", "invalid", "must be true or false");
    }
    {
        /* Received between two days (Beijing), both included. */
        const char *from = http_query(req, "from"), *to = http_query(req, "to");
        int32_t d;
        if (from && *from) {
            if (timefmt_day_parse(from, &d) != 0)
                verr_add(&errs, "from", "invalid", "must be a date (YYYY-MM-DD)");
            else
                f.since = (int64_t)d * 86400000 - 8LL * 3600 * 1000;
        }
        if (to && *to) {
            if (timefmt_day_parse(to, &d) != 0)
                verr_add(&errs, "to", "invalid", "must be a date (YYYY-MM-DD)");
            else
                f.until = (int64_t)(d + 1) * 86400000 - 8LL * 3600 * 1000;
        }
    }
    if (state && *state && !case_state_parse(state))
        verr_add(&errs, "state", "invalid", "unknown case state");
    f.state = state && *state ? state : NULL;
    f.category = api_vocab(&errs, "category", &vocab_category, http_query(req, "category"));
    f.channel = api_vocab(&errs, "channel", &vocab_channel, http_query(req, "channel"));
    f.risk = api_vocab(&errs, "risk", &vocab_risk, http_query(req, "risk"));
    q = http_query(req, "q");
    if (q && *q) {
        int rc = ctx->app->text ? text_query(ctx->app->text, q, &terms) : TEXT_ECONVERT;
        if (rc == TEXT_ESHORT)
            verr_add(&errs, "q", "too_short", "give at least two Chinese characters or a word");
        else if (rc == TEXT_ELONG)
            verr_add(&errs, "q", "too_long", "the search text is too long");
        else if (rc != TEXT_OK)
            verr_add(&errs, "q", "invalid", "the search text cannot be read");
        f.terms = terms;
    }
    if (overdue && (strcmp(overdue, "true") == 0 || strcmp(overdue, "1") == 0)) {
        timefmt_day((int32_t)((store_now_ms() + 8LL * 3600 * 1000) / 86400000), today,
                    sizeof today);
        f.overdue_on = today;
    }
    if (errs.n) {
        free(terms);
        api_validation(res, &errs);
        return;
    }
    e = store_case_list(ctx->conn, &ctx->actor, &f, &pg, &rows);
    free(terms);
    api_reply_page(res, ctx->conn, e, rows, &pg);
}

/* 三三制: attempts at a level before it may hand a case upward (core/settings.c). */
static int min_sessions(struct store_conn *c)
{
    return (int)store_setting_int(c, "min_sessions_before_escalation");
}

/* The case's facts for the state machine; min_sessions is the 三三制 setting. */
static void facts_of(const struct store_rows *row, int min_sessions, struct case_facts *f)
{
    memset(f, 0, sizeof *f);
    f->state = case_state_parse(store_rows_get(row, 0, store_rows_col(row, "state")));
    f->resume_state = case_state_parse(store_rows_get(row, 0, store_rows_col(row, "resume_state")));
    f->sessions_at_level = (int)store_rows_int(row, 0, store_rows_col(row, "sessions_at_level"));
    f->min_sessions = min_sessions;
    f->urgent = (int)store_rows_int(row, 0, store_rows_col(row, "urgent"));
    f->level = region_level_parse(store_rows_get(row, 0, store_rows_col(row, "level")));
    f->failure_reviewed = (int)store_rows_int(row, 0, store_rows_col(row, "failure_reviewed"));
    f->feedback_recorded = (int)store_rows_int(row, 0, store_rows_col(row, "feedback_recorded"));
    f->extended = (int)store_rows_int(row, 0, store_rows_col(row, "extended"));
}

static json_t *actions_json(const struct case_facts *f, unsigned roles)
{
    enum case_action acts[CASE_ACTIONS];
    int n = case_actions(f, roles, acts, CASE_ACTIONS);
    json_t *a = json_array();

    for (int i = 0; i < n; i++)
        json_array_append_new(a, json_string(case_action_name(acts[i])));
    return a;
}

void api_cases_actions(struct http_req *req, struct http_res *res)
{
    struct api_ctx *ctx = api_ctx(req);
    struct store_rows *row = NULL;
    struct case_facts f;
    int64_t id = api_path_id(req, res, 0);
    store_err e;

    if (!id)
        return;
    e = store_case_get(ctx->conn, &ctx->actor, id, &row);
    if (e != STORE_OK) {
        api_store_error(res, ctx->conn, e);
        return;
    }
    facts_of(row, min_sessions(ctx->conn), &f);
    http_res_json(res, 200,
                  json_pack("{s:s, s:o}", "state", case_state_name(f.state), "actions",
                            actions_json(&f, ctx->who.roles)));
    store_rows_free(row);
}

void api_cases_timeline(struct http_req *req, struct http_res *res)
{
    struct api_ctx *ctx = api_ctx(req);
    struct store_rows *row = NULL, *ev = NULL;
    int64_t id = api_path_id(req, res, 0);
    json_t *items;
    store_err e;

    if (!id)
        return;
    e = store_case_get(ctx->conn, &ctx->actor, id, &row);
    if (e == STORE_OK)
        e = store_case_events(ctx->conn, id, 0, &ev);
    if (e != STORE_OK) {
        api_store_error(res, ctx->conn, e);
        goto out;
    }
    items = json_array();
    for (int r = 0; r < ev->nrows; r++)
        json_array_append_new(items, api_row(ev, r));
    http_res_json(res, 200, json_pack("{s:o}", "items", items));
out:
    store_rows_free(row);
    store_rows_free(ev);
}

/* ---- transitions ---- */

/* The level above: village → township → county → city. */
static const char *level_up(const char *level)
{
    int l = region_level_parse(level);
    return region_level_name(l > REGION_CITY ? l - 1 : l);
}

/* Reads the text fields an action needs into data (the timeline event), checking them. */
static int action_text(json_t *body, const char *const *required, const char *const *optional,
                       json_t *data, struct verr_list *errs)
{
    for (const char *const *k = required; k && *k; k++) {
        json_t *v = json_object_get(body, *k);
        if (!json_is_string(v) || utf8_len(json_string_value(v)) < 1)
            verr_add(errs, *k, "required", "is required");
        else if (verr_check_text(errs, *k, json_string_value(v), 1, 5000))
            json_object_set(data, *k, v);
    }
    for (const char *const *k = optional; k && *k; k++) {
        json_t *v = json_object_get(body, *k);
        if (v && !json_is_null(v)) {
            if (!json_is_string(v))
                verr_add(errs, *k, "type", "must be a string");
            else if (verr_check_text(errs, *k, json_string_value(v), 0, 5000))
                json_object_set(data, *k, v);
        }
    }
    return errs->n;
}

void api_cases_transition(struct http_req *req, struct http_res *res)
{
    struct api_ctx *ctx = api_ctx(req);
    struct verr_list errs = {0};
    struct store_rows *row = NULL;
    struct store_case_change ch;
    struct store_session_in session = {0};
    struct case_facts f;
    enum case_action action;
    enum case_refusal why;
    json_t *body, *data = json_object(), *routing = NULL;
    char *data_text = NULL, *routing_text = NULL, *ids_text = NULL;
    const char *name;
    char lvl[16], method[32], kind[16], due[16];
    struct store_instalment_in plan_in[60];
    char visit[16];
    int64_t id = api_path_id(req, res, 0);
    store_err e;

    if (!id) {
        json_decref(data);
        return;
    }
    body = api_body(req, res);
    if (!body) {
        json_decref(data);
        return;
    }
    e = store_case_get(ctx->conn, &ctx->actor, id, &row);
    if (e != STORE_OK) {
        api_store_error(res, ctx->conn, e);
        goto out;
    }
    facts_of(row, min_sessions(ctx->conn), &f);
    name = json_string_value(json_object_get(body, "action"));
    action = name ? case_action_parse(name) : 0;
    if (!action) {
        verr_add(&errs, "action", name ? "invalid" : "required", "name one of the case actions");
        api_validation(res, &errs);
        goto out;
    }
    why = case_may(&f, ctx->who.roles, action);
    if (why != CR_OK) {
        char detail[160];
        snprintf(detail, sizeof detail, "'%s' is not possible now (%s) in state %s", name,
                 case_refusal_name(why), case_state_name(f.state));
        http_res_json(res, 409,
                      json_pack("{s:s, s:s, s:i, s:s, s:s, s:o}", "type",
                                "urn:jiefen:problem:transition", "title", "Action Not Allowed",
                                "status", 409, "detail", detail, "reason", case_refusal_name(why),
                                "allowed", actions_json(&f, ctx->who.roles)));
        res->content_type = "application/problem+json";
        goto out;
    }
    memset(&ch, 0, sizeof ch);
    ch.action = name;
    ch.from_state = case_state_name(f.state);
    ch.to_state = case_state_name(case_next(&f, action));
    ch.sessions = ch.failure_reviewed = ch.feedback_recorded = ch.urgent = -1;
    ch.public_event = 1;
    switch (action) {
    case CA_ACCEPT: {
        /* Accepting runs the routing rules and keeps the decision and its explanation. */
        struct routing_case k = {0};
        struct api_route_result r;
        char path[REGION_PATH_MAX], level[16];
        int64_t region_id = store_rows_int(row, 0, store_rows_col(row, "region_id"));
        action_text(body, NULL, (const char *const[]){"note", NULL}, data, &errs);
        if (errs.n)
            break;
        k.category = store_rows_get(row, 0, store_rows_col(row, "category"));
        k.complexity = store_rows_get(row, 0, store_rows_col(row, "complexity"));
        k.has_people = store_rows_get(row, 0, store_rows_col(row, "people")) != NULL;
        k.people = store_rows_int(row, 0, store_rows_col(row, "people"));
        k.has_amount = store_rows_get(row, 0, store_rows_col(row, "amount")) != NULL;
        k.amount = store_rows_int(row, 0, store_rows_col(row, "amount"));
        e = store_region_path(ctx->conn, &ctx->actor, region_id, path, sizeof path, level,
                              sizeof level);
        if (e != STORE_OK) {
            api_store_error(res, ctx->conn, e);
            goto out;
        }
        k.region_level = region_level_parse(level);
        if (api_routing_evaluate(req, res, &k, path, level, &routing, &r) != 0)
            goto out;
        if (r.found) {
            snprintf(lvl, sizeof lvl, "%s", r.level);
            snprintf(method, sizeof method, "%s", r.method);
            snprintf(kind, sizeof kind, "%s", r.time_limit_kind);
            snprintf(due, sizeof due, "%s", r.due_date);
            ch.level = strcmp(lvl, "grid") == 0 ? "village" : lvl;
            ch.method = method;
            ch.time_limit_kind = kind;
            ch.time_limit_days = r.time_limit_days;
            ch.due_date = due;
            /* A court-entrusted mediation has 30 days, a petition-related matter 60, whatever
             * the routing rule says for the category (seed 002, 诉调对接 and 访调对接). */
            {
                const char *channel = store_rows_get(row, 0, store_rows_col(row, "channel"));
                int fixed = strcmp(channel, "court_delegation") == 0    ? 30
                            : strcmp(channel, "petition_transfer") == 0 ? 60
                                                                        : 0;
                if (fixed) {
                    snprintf(kind, sizeof kind, "calendar");
                    ch.time_limit_days = fixed;
                    timefmt_day(beijing_day() + fixed, due, sizeof due);
                }
            }
            json_object_set_new(data, "level", json_string(ch.level));
            json_object_set_new(data, "method", json_string(method));
            json_object_set_new(data, "due_date", json_string(due));
        }
        routing_text = json_dumps(routing, JSON_COMPACT);
        ch.routing = routing_text;
        break;
    }
    case CA_REJECT:
        action_text(body, (const char *const[]){"reason", NULL},
                    (const char *const[]){"notice", NULL}, data, &errs);
        break;
    case CA_REFER: {
        /* The receiving body owes feedback by a due date; the scheduler warns the
         * supervisor when it passes without feedback (闭环). Default: 15 working days. */
        const char *fd = json_string_value(json_object_get(body, "feedback_due"));
        int32_t d;
        action_text(body, (const char *const[]){"to_body", "sent", NULL},
                    (const char *const[]){"feedback_due", NULL}, data, &errs);
        if (fd && timefmt_day_parse(fd, &d) != 0 && !verr_has(&errs, "feedback_due"))
            verr_add(&errs, "feedback_due", "invalid", "must be a date (YYYY-MM-DD)");
        if (fd) {
            snprintf(due, sizeof due, "%s", fd);
        } else {
            struct calendar_day *days = NULL;
            size_t ndays = 0;
            if (store_calendar_load(ctx->conn, &days, &ndays) == STORE_OK) {
                struct calendar cal = {days, ndays};
                timefmt_day(
                    calendar_add(&cal, beijing_day(),
                                 (int)store_setting_int(ctx->conn, "referral_feedback_days"), 1),
                    due, sizeof due);
            }
            free(days);
        }
        ch.due_date = due;
        json_object_set_new(data, "feedback_due", json_string(due));
        break;
    }
    case CA_FEEDBACK:
        action_text(body, (const char *const[]){"feedback", NULL}, NULL, data, &errs);
        ch.feedback_recorded = 1;
        break;
    case CA_ASSIGN: {
        json_t *meds = json_object_get(body, "mediator_ids");
        int64_t ids[16];
        json_int_t org = 0, user = 0;
        action_text(body, (const char *const[]){"lead_leader", NULL}, NULL, data, &errs);
        if (json_unpack(body, "{s:I}", "resp_org_id", &org) != 0 || org <= 0)
            verr_add(&errs, "resp_org_id", "required", "name the responsible unit");
        else
            api_check_ref(req, &errs, "resp_org_id", "organization", org);
        if (json_object_get(body, "resp_user_id") &&
            (json_unpack(body, "{s:I}", "resp_user_id", &user) != 0 || user <= 0))
            verr_add(&errs, "resp_user_id", "invalid", "must be a user id");
        else if (user)
            api_check_ref(req, &errs, "resp_user_id", "user", user);
        if (!json_is_array(meds))
            verr_add(&errs, "mediator_ids", "required", "name at least one mediator");
        else {
            int n = api_id_array(&errs, "mediator_ids", meds, ids, 16, 1);
            for (int m = 0; m < n; m++)
                api_check_ref(req, &errs, "mediator_ids", "mediator", ids[m]);
            if (n > 0 && !verr_has(&errs, "mediator_ids"))
                ids_text = json_dumps(meds, JSON_COMPACT);
        }
        ch.lead_leader = json_string_value(json_object_get(body, "lead_leader"));
        ch.resp_org_id = org;
        ch.resp_user_id = user;
        ch.mediator_ids = ids_text;
        json_object_set(data, "resp_org_id", json_object_get(body, "resp_org_id"));
        json_object_set(data, "mediator_ids", meds);
        break;
    }
    case CA_RECORD_SESSION:
        action_text(body, (const char *const[]){"held_at", "record", NULL},
                    (const char *const[]){"place", "participants", "next_step", NULL}, data, &errs);
        session.held_at = json_string_value(json_object_get(body, "held_at"));
        session.record = json_string_value(json_object_get(body, "record"));
        session.place = json_string_value(json_object_get(body, "place"));
        session.participants = json_string_value(json_object_get(body, "participants"));
        session.next_step = json_string_value(json_object_get(body, "next_step"));
        ch.session = &session;
        ch.sessions = -2;
        /* What was said in a session is internal; the citizen sees that one took place. */
        break;
    case CA_CHANGE_METHOD: {
        const char *m = json_string_value(json_object_get(body, "method"));
        action_text(body, (const char *const[]){"reason", NULL}, NULL, data, &errs);
        ch.method = api_vocab(&errs, "method", &vocab_method, m);
        if (!m)
            verr_add(&errs, "method", "required", "name the new handling method");
        json_object_set_new(data, "method", json_string(ch.method ? ch.method : ""));
        break;
    }
    case CA_ESCALATE:
        action_text(body, (const char *const[]){"reason", NULL}, NULL, data, &errs);
        ch.level = level_up(store_rows_get(row, 0, store_rows_col(row, "level")));
        ch.sessions = 0;
        json_object_set_new(data, "level", json_string(ch.level));
        break;
    case CA_SUSPEND:
        action_text(body, (const char *const[]){"reason", NULL}, NULL, data, &errs);
        ch.resume_state = ch.from_state;
        break;
    case CA_RESUME: {
        /* The clock was paused while suspended: the time limit moves by the days it lasted. */
        struct store_rows *ev = NULL;
        const char *old_due = store_rows_get(row, 0, store_rows_col(row, "due_date"));
        int32_t since = 0, d;
        ch.resume_state = "";
        if (store_case_events(ctx->conn, id, 0, &ev) == STORE_OK)
            for (int r = 0; r < ev->nrows; r++)
                if (strcmp(store_rows_get(ev, r, 4), "suspend") == 0)
                    since = (int32_t)((store_rows_int(ev, r, 1) + 8LL * 3600 * 1000) / 86400000);
        store_rows_free(ev);
        if (since && old_due && timefmt_day_parse(old_due, &d) == 0) {
            int32_t moved = deadline_after_pause(d, since, beijing_day());
            int paused = (int)(moved - d);
            timefmt_day(moved, due, sizeof due);
            ch.due_date = due;
            json_object_set_new(data, "paused_days", json_integer(paused));
            json_object_set_new(data, "due_date", json_string(due));
        }
        break;
    }
    case CA_AGREE: {
        const char *form = json_string_value(json_object_get(body, "form"));
        json_t *plan = json_object_get(body, "instalments"), *item;
        size_t k;
        if (plan && (!json_is_array(plan) || json_array_size(plan) > 60))
            verr_add(&errs, "instalments", "invalid", "must be a list of at most 60 instalments");
        else if (plan) {
            json_array_foreach(plan, k, item)
            {
                const char *pay_on = json_string_value(json_object_get(item, "due_date"));
                json_t *amt = json_object_get(item, "amount");
                int32_t d;
                if (!pay_on || timefmt_day_parse(pay_on, &d) != 0 || !json_is_integer(amt) ||
                    json_integer_value(amt) <= 0) {
                    verr_add(&errs, "instalments", "invalid",
                             "instalment %zu needs a due_date (YYYY-MM-DD) and a positive amount",
                             k + 1);
                    break;
                }
                plan_in[k].due_date = pay_on;
                plan_in[k].amount = json_integer_value(amt);
            }
            ch.instalments = plan_in;
            ch.ninstalments = (int)json_array_size(plan);
            json_object_set(data, "instalments", plan);
        }
        action_text(body, (const char *const[]){"terms", NULL}, NULL, data, &errs);
        form = api_vocab(&errs, "form", &vocab_agreement_form, form ? form : "written");
        json_object_set_new(data, "form", json_string(form ? form : ""));
        if (json_object_get(body, "amount"))
            json_object_set(data, "amount", json_object_get(body, "amount"));
        break;
    }
    case CA_FAIL: {
        const char *g = json_string_value(json_object_get(body, "guidance"));
        action_text(body, (const char *const[]){"reason", NULL}, NULL, data, &errs);
        if (!g)
            verr_add(&errs, "guidance", "required", "record the guidance given to the parties");
        g = api_vocab(&errs, "guidance", &vocab_guidance, g);
        json_object_set_new(data, "guidance", json_string(g ? g : ""));
        break;
    }
    case CA_REVIEW_FAILURE:
        action_text(body, (const char *const[]){"opinion", NULL}, NULL, data, &errs);
        ch.failure_reviewed = 1;
        ch.public_event = 0;
        break;
    case CA_WITHDRAW:
        action_text(body, (const char *const[]){"by", "reason", NULL}, NULL, data, &errs);
        break;
    case CA_CLOSE: {
        /* A court's delegated case is closed only once its result is reported back. */
        if (strcmp(store_rows_get(row, 0, store_rows_col(row, "channel")), "court_delegation") == 0)
            action_text(body, (const char *const[]){"court_report", NULL}, NULL, data, &errs);
        /* Complex and major cases must be visited; a sample of the others too (回访). */
        const char *complexity = store_rows_get(row, 0, store_rows_col(row, "complexity"));
        int32_t today = (int32_t)((store_now_ms() + 8LL * 3600 * 1000) / 86400000);
        action_text(body, NULL, (const char *const[]){"summary", NULL}, data, &errs);
        if (strcmp(complexity, "difficult") == 0 || strcmp(complexity, "major") == 0 ||
            (uint64_t)id * 2654435761u % 100 <
                (uint64_t)store_setting_int(ctx->conn, "return_visit_sample_percent")) {
            timefmt_day(today + RETURN_VISIT_DAYS, visit, sizeof visit);
            ch.visit_due = visit;
            json_object_set_new(data, "visit_due", json_string(visit));
        }
        break;
    }
    case CA_RETURN_VISIT: {
        json_int_t satisfaction = 0;
        action_text(body, (const char *const[]){"visitor", "method", NULL},
                    (const char *const[]){"note", "recurrence_risk", NULL}, data, &errs);
        if (json_unpack(body, "{s:I}", "satisfaction", &satisfaction) != 0 || satisfaction < 1 ||
            satisfaction > 5)
            verr_add(&errs, "satisfaction", "invalid", "must be 1 (very unsatisfied) to 5");
        else
            json_object_set_new(data, "satisfaction", json_integer(satisfaction));
        if (json_is_boolean(json_object_get(body, "fulfilled")))
            json_object_set(data, "fulfilled", json_object_get(body, "fulfilled"));
        if (json_is_true(json_object_get(body, "recurrence")))
            json_object_set_new(data, "recurrence", json_true());
        ch.visit_due = "";
        break;
    }
    case CA_REOPEN:
        action_text(body, (const char *const[]){"reason", NULL}, NULL, data, &errs);
        ch.sessions = 0;
        ch.failure_reviewed = 0;
        break;
    case CA_ARCHIVE:
        break;
    case CA_MERGE: {
        /* Repeated reports are linked, never silently duplicated: this one closes into the
         * case that goes on, and each keeps its own history. */
        json_t *into = json_object_get(body, "into");
        struct store_rows *other = NULL;
        action_text(body, NULL, (const char *const[]){"reason", NULL}, data, &errs);
        if (!json_is_integer(into) || json_integer_value(into) <= 0)
            verr_add(&errs, "into", "required", "name the case this report repeats");
        else if (json_integer_value(into) == id)
            verr_add(&errs, "into", "invalid", "a case cannot be merged into itself");
        else if (store_case_get(ctx->conn, &ctx->actor, json_integer_value(into), &other) !=
                 STORE_OK)
            verr_add(&errs, "into", "not_found", "no such case in your area");
        else {
            const char *st = store_rows_get(other, 0, store_rows_col(other, "state"));
            if (strcmp(st, "closed") == 0 || strcmp(st, "archived") == 0)
                verr_add(&errs, "into", "invalid", "the case to merge into is closed");
            ch.related_to = json_integer_value(into);
            json_object_set_new(data, "merged_into", json_integer(ch.related_to));
            json_object_set_new(
                data, "merged_into_number",
                json_string(store_rows_get(other, 0, store_rows_col(other, "number"))));
        }
        store_rows_free(other);
        break;
    }
    case CA_EXTEND: {
        /* Court-entrusted mediation: 30 days more with the court's consent; petition-related
         * matters: 30 days more (seed 002; 人民法院 / 信访 rules); others by the supervisor's
         * decision, at most 30 days. Once per case. */
        const char *channel = store_rows_get(row, 0, store_rows_col(row, "channel"));
        const char *old_due = store_rows_get(row, 0, store_rows_col(row, "due_date"));
        json_t *days_j = json_object_get(body, "days");
        json_int_t days = json_is_integer(days_j) ? json_integer_value(days_j) : 30;
        int32_t d;
        action_text(body, (const char *const[]){"reason", NULL},
                    strcmp(channel, "court_delegation") == 0
                        ? NULL
                        : (const char *const[]){"consent", NULL},
                    data, &errs);
        if (strcmp(channel, "court_delegation") == 0)
            action_text(body, (const char *const[]){"consent", NULL}, NULL, data, &errs);
        if (days_j && (!json_is_integer(days_j) || days < 1 || days > 30))
            verr_add(&errs, "days", "invalid", "an extension is 1 to 30 days");
        if (!old_due || timefmt_day_parse(old_due, &d) != 0) {
            verr_add(&errs, "action", "invalid", "the case has no time limit to extend");
            break;
        }
        timefmt_day(d + (int32_t)days, due, sizeof due);
        ch.due_date = due;
        ch.extended = 1;
        json_object_set_new(data, "days", json_integer(days));
        json_object_set_new(data, "due_date", json_string(due));
        break;
    }
    }
    /* Unknown fields are mistakes the clerk should hear about. */
    {
        const char *key;
        json_t *v;
        json_object_foreach(body, key, v)
        {
            if (strcmp(key, "action") != 0 && !json_object_get(data, key) &&
                !verr_has(&errs, key) &&
                !(action == CA_ASSIGN && (strcmp(key, "resp_user_id") == 0)) &&
                !(action == CA_EXTEND && strcmp(key, "days") == 0) &&
                !(action == CA_MERGE && strcmp(key, "into") == 0) &&
                !(action == CA_AGREE &&
                  (strcmp(key, "amount") == 0 || strcmp(key, "instalments") == 0)) &&
                !(action == CA_RETURN_VISIT &&
                  (strcmp(key, "fulfilled") == 0 || strcmp(key, "recurrence") == 0)))
                verr_add(&errs, key, "unknown", "is not a field of the action %s", name);
        }
    }
    if (errs.n) {
        api_validation(res, &errs);
        goto out;
    }
    data_text = json_dumps(data, JSON_COMPACT);
    ch.event_data = data_text;
    e = store_case_apply(ctx->conn, &ctx->actor, id, &ch);
    /* A recurrence found on a return visit reopens the matter at once. */
    if (e == STORE_OK && action == CA_RETURN_VISIT &&
        json_is_true(json_object_get(data, "recurrence"))) {
        struct store_case_change re;
        memset(&re, 0, sizeof re);
        re.action = "reopen";
        re.from_state = "closed";
        re.to_state = "accepted";
        re.event_data = "{\"reason\":\"recurrence found on a return visit\"}";
        re.public_event = 1;
        re.sessions = 0;
        re.failure_reviewed = 0;
        re.feedback_recorded = re.urgent = -1;
        e = store_case_apply(ctx->conn, &ctx->actor, id, &re);
    }
    /* The case that goes on records what was merged into it. */
    if (e == STORE_OK && action == CA_MERGE) {
        char note[160];
        snprintf(note, sizeof note, "{\"case_id\":%lld,\"number\":\"%s\"}", (long long)id,
                 store_rows_get(row, 0, store_rows_col(row, "number")));
        e = store_case_note(ctx->conn, &ctx->actor, ch.related_to, "merged_in", note, 0);
    }
    if (e != STORE_OK) {
        api_store_error(res, ctx->conn, e);
        goto out;
    }
    reply_case(req, res, id, 200, NULL);
out:
    free(data_text);
    free(routing_text);
    free(ids_text);
    json_decref(routing);
    json_decref(data);
    json_decref(body);
    store_rows_free(row);
}

void api_warnings_list(struct http_req *req, struct http_res *res)
{
    struct api_ctx *ctx = api_ctx(req);
    struct verr_list errs = {0};
    struct store_page pg;
    struct store_rows *rows = NULL;
    const char *kind = http_query(req, "kind");
    store_err e;

    api_query_page(req, &pg, &errs);
    if (kind && *kind && strcmp(kind, "approaching") != 0 && strcmp(kind, "due") != 0 &&
        strcmp(kind, "visit") != 0)
        verr_add(&errs, "kind", "invalid", "must be approaching, due or visit");
    if (errs.n) {
        api_validation(res, &errs);
        return;
    }
    e = store_warning_list(ctx->conn, &ctx->actor, kind && *kind ? kind : NULL, &pg, &rows);
    api_reply_page(res, ctx->conn, e, rows, &pg);
}

/* ---- fulfilment and judicial confirmation ---- */

/* The day (Beijing) the agreement was reached, or 0 if there is none. */
static int32_t agreement_day(struct store_conn *c, int64_t id)
{
    struct store_rows *ev = NULL;
    int32_t day = 0;

    if (store_case_events(c, id, 0, &ev) == STORE_OK)
        for (int r = 0; r < ev->nrows; r++)
            if (strcmp(store_rows_get(ev, r, 4), "agree") == 0)
                day = (int32_t)((store_rows_int(ev, r, 1) + 8LL * 3600 * 1000) / 86400000);
    store_rows_free(ev);
    return day;
}

void api_cases_fulfilment(struct http_req *req, struct http_res *res)
{
    struct api_ctx *ctx = api_ctx(req);
    struct store_rows *row = NULL, *inst = NULL, *conf = NULL;
    int64_t id = api_path_id(req, res, 0), paid = 0, total = 0, amount = 0, paid_amount = 0;
    int32_t agreed;
    char deadline[16];
    json_t *items, *out;
    store_err e;

    if (!id)
        return;
    e = store_case_get(ctx->conn, &ctx->actor, id, &row);
    if (e == STORE_OK)
        e = store_instalments(ctx->conn, id, &inst);
    if (e == STORE_OK)
        e = store_confirmation_get(ctx->conn, id, &conf);
    if (e != STORE_OK) {
        api_store_error(res, ctx->conn, e);
        goto out;
    }
    items = json_array();
    for (int r = 0; r < inst->nrows; r++) {
        json_array_append_new(items, api_row(inst, r));
        total++;
        amount += store_rows_int(inst, r, 3);
        if (strcmp(store_rows_get(inst, r, 4), "paid") == 0) {
            paid++;
            paid_amount += store_rows_int(inst, r, 3);
        }
    }
    agreed = agreement_day(ctx->conn, id);
    out = json_pack("{s:o, s:I, s:I, s:I, s:I}", "instalments", items, "count", (json_int_t)total,
                    "paid", (json_int_t)paid, "amount", (json_int_t)amount, "paid_amount",
                    (json_int_t)paid_amount);
    /* 履行率: the share of instalments paid (null while there is no payment plan). */
    json_object_set_new(out, "fulfilment_rate",
                        total ? json_real((double)paid / (double)total) : json_null());
    json_object_set_new(out, "confirmation", conf->nrows ? api_row(conf, 0) : json_null());
    if (agreed) {
        /* 人民调解法 art. 33: the parties may apply jointly within 30 days of the agreement
         * taking effect. */
        timefmt_day(agreed + 30, deadline, sizeof deadline);
        json_object_set_new(out, "confirmation_deadline", json_string(deadline));
    } else {
        json_object_set_new(out, "confirmation_deadline", json_null());
    }
    http_res_json(res, 200, out);
out:
    store_rows_free(row);
    store_rows_free(inst);
    store_rows_free(conf);
}

void api_cases_instalment(struct http_req *req, struct http_res *res)
{
    struct api_ctx *ctx = api_ctx(req);
    struct verr_list errs = {0};
    struct store_rows *row = NULL;
    const char *status = NULL, *paid_on = NULL, *note = NULL;
    int64_t id = api_path_id(req, res, 0), iid = id ? api_path_id(req, res, 1) : 0;
    int32_t d;
    store_err e;
    json_t *body;

    if (!iid)
        return;
    body = api_body(req, res);
    if (!body)
        return;
    api_fields(body,
               (struct api_field[]){{"status", 's', 1, &status},
                                    {"paid_on", 's', 0, &paid_on},
                                    {"note", 's', 0, &note}},
               3, &errs, NULL, 0);
    if (status && strcmp(status, "pending") != 0 && strcmp(status, "paid") != 0 &&
        strcmp(status, "late") != 0 && strcmp(status, "defaulted") != 0)
        verr_add(&errs, "status", "invalid", "must be pending, paid, late or defaulted");
    if (status && strcmp(status, "paid") == 0 && !paid_on)
        verr_add(&errs, "paid_on", "required", "give the day it was paid");
    if (paid_on && timefmt_day_parse(paid_on, &d) != 0)
        verr_add(&errs, "paid_on", "invalid", "must be a date (YYYY-MM-DD)");
    if (note)
        verr_check_text(&errs, "note", note, 0, 500);
    if (errs.n) {
        api_validation(res, &errs);
        goto out;
    }
    e = store_case_get(ctx->conn, &ctx->actor, id, &row);
    if (e == STORE_OK)
        e = store_instalment_set(ctx->conn, &ctx->actor, id, iid, status, paid_on, note);
    if (e != STORE_OK) {
        api_store_error(res, ctx->conn, e);
        goto out;
    }
    api_cases_fulfilment(req, res);
out:
    store_rows_free(row);
    json_decref(body);
}

void api_cases_confirmation(struct http_req *req, struct http_res *res)
{
    struct api_ctx *ctx = api_ctx(req);
    struct verr_list errs = {0};
    struct store_rows *row = NULL;
    const char *applied = NULL, *court = NULL, *result = NULL, *decided = NULL;
    int64_t id = api_path_id(req, res, 0);
    int32_t a = 0, d = 0, agreed;
    store_err e;
    json_t *body;

    if (!id)
        return;
    body = api_body(req, res);
    if (!body)
        return;
    api_fields(body,
               (struct api_field[]){{"applied_on", 's', 1, &applied},
                                    {"court", 's', 1, &court},
                                    {"result", 's', 0, &result},
                                    {"decided_on", 's', 0, &decided}},
               4, &errs, NULL, 0);
    result = result ? result : "pending";
    if (strcmp(result, "pending") != 0 && strcmp(result, "confirmed") != 0 &&
        strcmp(result, "rejected") != 0)
        verr_add(&errs, "result", "invalid", "must be pending, confirmed or rejected");
    if (court)
        verr_check_text(&errs, "court", court, 1, 100);
    if (applied && timefmt_day_parse(applied, &a) != 0)
        verr_add(&errs, "applied_on", "invalid", "must be a date (YYYY-MM-DD)");
    if (decided && timefmt_day_parse(decided, &d) != 0)
        verr_add(&errs, "decided_on", "invalid", "must be a date (YYYY-MM-DD)");
    e = store_case_get(ctx->conn, &ctx->actor, id, &row);
    if (e != STORE_OK) {
        api_store_error(res, ctx->conn, e);
        goto out;
    }
    agreed = agreement_day(ctx->conn, id);
    if (!agreed) {
        http_problem(res, 409, "conflict", "Conflict",
                     "judicial confirmation needs an agreement reached by mediation", NULL);
        goto out;
    }
    /* 人民调解法 art. 33: within 30 days of the agreement taking effect. */
    if (a && !verr_has(&errs, "applied_on") && (a < agreed || a > agreed + 30))
        verr_add(&errs, "applied_on", "invalid",
                 "must be within 30 days after the agreement (人民调解法 art. 33)");
    if (errs.n) {
        api_validation(res, &errs);
        goto out;
    }
    e = store_confirmation_set(ctx->conn, &ctx->actor, id, applied, court, result, decided);
    if (e != STORE_OK) {
        api_store_error(res, ctx->conn, e);
        goto out;
    }
    api_cases_fulfilment(req, res);
out:
    store_rows_free(row);
    json_decref(body);
}

/*
 * cases.c - the case register and the case lifecycle over HTTP: intake from every channel,
 * the actions a caller may take now, taking one, the timeline, fulfilment.
 *
 * Thin: each handler decodes the request, calls the case module (src/case/), which does the
 * whole change in one transaction, and encodes the result.
 */
#include "api/api.h"
#include "case/case.h"
#include "core/timefmt.h"
#include "seal/seal.h"
#include "text/text.h"
#include "store/audit.h"
#include "store/cases.h"
#include "store/group.h"
#include "store/people.h"
#include "store/workbench.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- reading a case ---- */

/* Every routing decision of the case, oldest first (accept, escalate, reroute). */
static json_t *routings_json(struct api_ctx *ctx, int64_t id)
{
    struct store_rows *r = NULL;
    json_t *list = store_case_routings(ctx->conn, id, &r) == STORE_OK ? api_rows(r) : json_array();

    store_rows_free(r);
    return list;
}

/*
 * The people a JSON list of ids names (the case's mediators, its invited experts), by name.
 * Whoever reads the case reads who works on it: a county's experts serve its villages and a
 * township's mediators take over a village's case, so looking them up in the reader's own
 * scope would drop them from a village mediator's view.
 */
static json_t *names_json(struct api_ctx *ctx, const struct store_rows *row, const char *column,
                          enum store_person_kind kind)
{
    json_t *ids = json_loads(store_rows_get(row, 0, store_rows_col(row, column)), 0, NULL);
    json_t *list = json_array(), *v;
    size_t i;

    json_array_foreach(ids, i, v)
    {
        struct store_rows *x = NULL;
        if (store_person_name(ctx->conn, kind, json_integer_value(v), &x) == STORE_OK)
            json_array_append_new(list, json_pack("{s:I, s:s}", "id", json_integer_value(v), "name",
                                                  store_rows_get(x, 0, 1)));
        store_rows_free(x);
    }
    json_decref(ids);
    return list;
}

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
    json_object_set_new(out, "routings", routings_json(ctx, store_rows_int(row, 0, 0)));
    json_object_set_new(out, "experts", names_json(ctx, row, "expert_ids", STORE_PERSON_EXPERT));
    json_object_set_new(out, "mediators",
                        names_json(ctx, row, "mediator_ids", STORE_PERSON_MEDIATOR));
    json_object_set_new(out, "meeting_url", api_meeting_url(ctx, store_rows_int(row, 0, 0)));
    return out;
}

/* A "view" audit row waiting for the group writer. */
struct view_row {
    struct store_actor actor;
    int64_t id;
};

static void view_fn(struct store_conn *c, void *arg)
{
    struct view_row *v = arg;

    (void)store_audit_append(c, &v->actor, "view", "case", v->id, "parties", NULL);
}

/*
 * The "view" row of opening a case. Written in the request's own transaction it made every
 * GET a durable commit: reads queued behind SQLite's one writer and the disk (GET of a case
 * ran at the single-commit rate, bench/results/2026-12-06-requests.md). With the group
 * writer (SQLite) it is posted instead: committed with the next group commit, after the
 * answer. A crash can lose the view rows of the last group commit at most (bounded,
 * store/group.h); the audit list syncs with the writer first, so it always shows them.
 */
static store_err audit_view_row(struct api_ctx *ctx, int64_t id)
{
    struct view_row *v;
    store_err e;

    if (!ctx->app->group && store_conn_kind(ctx->conn) == STORE_PG) {
        /* PostgreSQL's equivalent: the row commits without waiting for its WAL flush
         * (synchronous_commit off for this transaction only). A crash of the database
         * server can lose the last ~3 × wal_writer_delay (600 ms by default) of view rows;
         * never a half-written one, and every other write keeps waiting for its flush. */
        e = store_begin(ctx->conn, 1);
        if (e != STORE_OK)
            return e;
        e = store_exec(ctx->conn, "SET LOCAL synchronous_commit TO OFF", 0, NULL, NULL);
        if (e == STORE_OK)
            e = store_audit_append(ctx->conn, &ctx->actor, "view", "case", id, "parties", NULL);
        return store_end(ctx->conn, e);
    }
    if (!ctx->app->group)
        return store_audit_append(ctx->conn, &ctx->actor, "view", "case", id, "parties", NULL);
    v = malloc(sizeof *v);
    if (!v)
        return STORE_UNAVAILABLE;
    v->actor = ctx->actor;
    v->id = id;
    return store_group_post(ctx->app->group, view_fn, v);
}

static void reply_case_audited(struct http_req *req, struct http_res *res, int64_t id, int status,
                               json_t *extra, int audit_view)
{
    struct api_ctx *ctx = api_ctx(req);
    struct store_rows *rows = NULL;
    store_err e = store_case_get(ctx->conn, &ctx->actor, id, &rows);
    json_t *out;

    if (e == STORE_OK && audit_view)
        e = audit_view_row(ctx, id);
    if (e != STORE_OK) {
        json_decref(extra);
        store_rows_free(rows);
        api_store_error(res, ctx->conn, e);
        return;
    }
    out = case_json(ctx, rows);
    /* Whether the reader may ask for the parties' full numbers (art. 51 item 3): the page
     * offers its 查看完整信息 button only then; the reveal itself checks again. */
    json_object_set_new(out, "may_reveal", json_boolean(api_may_reveal(req, rows)));
    if (extra)
        json_object_update(out, extra);
    json_decref(extra);
    http_res_json(res, status, out);
    store_rows_free(rows);
}

static void reply_case(struct http_req *req, struct http_res *res, int64_t id, int status,
                       json_t *extra)
{
    reply_case_audited(req, res, id, status, extra, 0);
}

/* The write of an intake (api_case_write). */
struct intake_args {
    struct case_intake *ci;
    struct case_out *out;
};

static int intake_write(struct case_env *env, void *arg)
{
    struct intake_args *a = arg;

    return case_intake_write(env, a->ci, a->out);
}

/*
 * Registers a case. Only the write waits for the group writer (SQLite, store/group.h):
 * reading, checking and sealing the request, its search terms and the reading of its text
 * are done here first, on this worker, and the answer is read back here after the commit.
 * The one writer's time per registration bounds how many a second the server takes
 * (docs/performance.md), so it does only what must be inside the transaction.
 */
void api_cases_create(struct http_req *req, struct http_res *res)
{
    struct case_intake *ci = NULL;
    struct case_out out = {0};
    struct intake_args args = {.out = &out};
    struct case_env env;
    json_t *body = api_body(req, res);
    int rc;

    if (!body)
        return;
    api_case_env(req, &env);
    rc = case_intake_read(&env, body, NULL, &ci, &out);
    args.ci = ci;
    if (rc == CASE_OK && !api_case_write(req, res, &env, intake_write, &args, &rc))
        goto out;
    if (api_case_done(req, res, rc, &out)) {
        out.related = case_intake_hints(&env, ci, out.id);
        reply_case(req, res, out.id, 201, json_pack("{s:O}", "related", out.related));
    }
out:
    case_intake_free(ci);
    case_out_free(&out);
    json_decref(body);
}

/* Opening a case shows its parties (masked) and facts: one audit row "view" per opening
 * (个人信息保护法 art. 51: a record of who handled personal data), written only when the
 * case is in the reader's scope. */
void api_cases_get(struct http_req *req, struct http_res *res)
{
    int64_t id = api_path_id(req, res, 0);

    struct api_ctx *ctx = api_ctx(req);
    int grouped = ctx->app->group != NULL;

    if (!id)
        return;
    /* One read transaction for the page's ten-odd statements, instead of one each (SQLite
     * begins and ends a read transaction per statement otherwise: a fifth of the request's
     * time). Only where the view row is posted to the group writer: a write inside a WAL
     * read transaction could fail with SQLITE_BUSY_SNAPSHOT rather than wait. */
    if (grouped && store_begin(ctx->conn, 0) != STORE_OK)
        grouped = 0;
    reply_case_audited(req, res, id, 200, NULL, 1);
    if (grouped)
        (void)store_end(ctx->conn, STORE_OK);
}

/*
 * A whole case number typed into the search box (any bracket pair, spaces) is looked up
 * by the unique index of numbers: the number's digit runs ("2026", "02") are terms of
 * every case of the year, so finding it through the search terms read a large part of the
 * register (issue 12: 183 ms at 10,000 cases). Returns 1 with f->case_id set when the
 * number is a case in the caller's scope; else 0 and the search goes on by terms (a part
 * of a number still matches). A store error also goes on by terms: the list that follows
 * on the same connection reports it.
 */
static int case_number_exact(struct api_ctx *ctx, const char *q, struct store_case_filter *f)
{
    char v[CASENUM_VARIANTS][CASENUM_MAX];
    int64_t id = 0;

    if (!strpbrk(q, "0123456789") || casenum_variants(q, v) != 0 ||
        store_case_by_number(ctx->conn, &ctx->actor, v, &id) != STORE_OK || id == 0)
        return 0;
    f->case_id = id;
    return 1;
}

/*
 * The register's search box (q). A party's resident ID number or phone is found exactly,
 * through the blind index (src/seal: the store never sees the number); anything else as
 * words of the case number, the parties' names and the facts (src/text: the number's
 * tokens, digit runs included, are written with the case). At least two characters: a
 * single one matches too large a part of the register to be a search.
 */
static void case_query(struct api_ctx *ctx, const char *q, struct store_case_filter *f,
                       char **terms, char idx[2 * SEAL_INDEX_LEN], struct verr_list *errs)
{
    char norm[64], *folded;
    size_t chars = 0;
    int rc;

    if (ctx->app->seal && (seal_norm_id_number(q, norm, sizeof norm) == 0 ||
                           seal_norm_phone(q, norm, sizeof norm) == 0)) {
        int id = strlen(norm) == SEAL_ID_LEN - 1;
        seal_index(ctx->app->seal, id ? "id" : "phone", norm, idx);
        seal_index_other(ctx->app->seal, id ? "id" : "phone", norm, idx + SEAL_INDEX_LEN);
        *(id ? &f->party_id_index : &f->party_phone_index) = idx;
        f->party_index_other = idx + SEAL_INDEX_LEN;
        return;
    }
    if (case_number_exact(ctx, q, f))
        return;
    folded = ctx->app->text ? text_normalise(ctx->app->text, q) : NULL;
    for (const char *p = folded; p && *p; p++)
        chars += (*p & 0xC0) != 0x80 && *p != ' ';
    free(folded);
    if (ctx->app->text && chars < 2) {
        verr_add(errs, "q", "too_short",
                 "give at least two characters: one character matches too many cases");
        return;
    }
    rc = ctx->app->text ? text_query(ctx->app->text, q, terms) : TEXT_ECONVERT;
    if (rc == TEXT_ESHORT)
        verr_add(errs, "q", "too_short", "give at least two Chinese characters or a word");
    else if (rc == TEXT_ELONG)
        verr_add(errs, "q", "too_long", "the search text is too long");
    else if (rc != TEXT_OK)
        verr_add(errs, "q", "invalid", "the search text cannot be read");
    f->terms = *terms;
}

void api_case_query_parse(struct http_req *req, struct api_case_query *cq, struct verr_list *errs)
{
    struct api_ctx *ctx = api_ctx(req);
    struct store_case_filter *f = &cq->f;
    const char *state = http_query(req, "state"), *overdue = http_query(req, "overdue"), *q;

    memset(cq, 0, sizeof *cq);
    api_query_id(req, "region_id", &f->region_id, errs);
    api_query_id(req, "resp_org_id", &f->resp_org_id, errs);
    api_query_id(req, "mediator_id", &f->mediator_id, errs);
    {
        const char *mine = http_query(req, "mine");
        if (mine && (strcmp(mine, "true") == 0 || strcmp(mine, "1") == 0))
            f->mine = ctx->actor.user_id;
        else if (mine && *mine && strcmp(mine, "false") != 0 && strcmp(mine, "0") != 0)
            verr_add(errs, "mine", "invalid", "must be true or false");
    }
    {
        /* Received between two days (Beijing), both included. */
        const char *from = http_query(req, "from"), *to = http_query(req, "to");
        int32_t d;
        if (from && *from) {
            if (timefmt_day_parse(from, &d) != 0)
                verr_add(errs, "from", "invalid", "must be a date (YYYY-MM-DD)");
            else
                f->since = (int64_t)d * 86400000 - 8LL * 3600 * 1000;
        }
        if (to && *to) {
            if (timefmt_day_parse(to, &d) != 0)
                verr_add(errs, "to", "invalid", "must be a date (YYYY-MM-DD)");
            else
                f->until = (int64_t)(d + 1) * 86400000 - 8LL * 3600 * 1000;
        }
    }
    if (state && *state && !case_state_parse(state))
        verr_add(errs, "state", "invalid", "unknown case state");
    f->state = state && *state ? state : NULL;
    f->category = api_vocab(errs, "category", &vocab_category, http_query(req, "category"));
    f->channel = api_vocab(errs, "channel", &vocab_channel, http_query(req, "channel"));
    f->risk = api_vocab(errs, "risk", &vocab_risk, http_query(req, "risk"));
    q = http_query(req, "q");
    if (q && *q)
        case_query(ctx, q, f, &cq->terms, cq->party_idx, errs);
    timefmt_day(case_today(), cq->today, sizeof cq->today);
    if (overdue && (strcmp(overdue, "true") == 0 || strcmp(overdue, "1") == 0))
        f->overdue_on = cq->today;
    f->todo = http_query(req, "todo");
    f->today = cq->today;
    if (f->todo && !*f->todo)
        f->todo = NULL;
    else if (f->todo && !store_todo_valid(f->todo))
        verr_add(errs, "todo", "invalid",
                 "must be orders_open, visit_due, instalments_late or awaiting_feedback");
}

void api_case_query_free(struct api_case_query *cq)
{
    free(cq->terms);
    cq->terms = NULL;
}

/* Deepest row a `page` may start at: OFFSET reads and drops every row before the page, so
 * deeper pages follow next_cursor (after=) instead (issue 12, docs/performance.md). */
#define CASES_MAX_OFFSET 10000

/* The register's cursor: hex of "<queue_key>.<id>", opaque to clients. Hex keeps it safe
 * in a URL and says nothing a client should build on. */
static void cursor_encode(const char *key, int64_t id, char *out, size_t outlen)
{
    char plain[96];
    size_t n = 0;
    int len = snprintf(plain, sizeof plain, "%s.%lld", key, (long long)id);

    for (int i = 0; i < len && n + 3 <= outlen; i++, n += 2)
        snprintf(out + n, 3, "%02x", (unsigned char)plain[i]);
    out[n] = '\0';
}

/* Reads after= into cq (key and id); a cursor not made by cursor_encode is a 400. */
static void cursor_parse(struct http_req *req, struct api_case_query *cq, struct verr_list *errs)
{
    const char *hex = http_query(req, "after");
    char plain[96], *dot, *end;
    size_t n = hex ? strlen(hex) : 0;
    long long id;

    if (!hex || !*hex)
        return;
    if (n % 2 || n / 2 >= sizeof plain)
        goto bad;
    for (size_t i = 0; i < n / 2; i++) {
        unsigned v;
        if (sscanf(hex + 2 * i, "%2x", &v) != 1 || !strchr("0123456789abcdef", hex[2 * i]) ||
            !strchr("0123456789abcdef", hex[2 * i + 1]))
            goto bad;
        plain[i] = (char)v;
    }
    plain[n / 2] = '\0';
    dot = strrchr(plain, '.');
    if (!dot || dot == plain || (size_t)(dot - plain) >= sizeof cq->after_key ||
        strspn(plain, "0123456789-") != (size_t)(dot - plain))
        goto bad;
    id = strtoll(dot + 1, &end, 10);
    if (*end || id <= 0 || !dot[1])
        goto bad;
    memcpy(cq->after_key, plain, (size_t)(dot - plain)); /* shorter than after_key: above */
    cq->after_key[dot - plain] = '\0';
    cq->f.after_key = cq->after_key;
    cq->f.after_id = id;
    return;
bad:
    verr_add(errs, "after", "invalid", "must be a next_cursor of this list");
}

/* The page as api_page shapes it, with next_cursor: the cursor of its last case when the
 * page is full (there may be more), else null. */
static void reply_cases(struct http_res *res, struct store_conn *c, store_err e,
                        struct store_rows *rows, const struct store_page *pg)
{
    char key[64], cursor[256];
    json_t *out;
    int64_t last;

    if (e != STORE_OK) {
        api_store_error(res, c, e);
        store_rows_free(rows);
        return;
    }
    /* The store counts to the cap + 1 at most: say "more than the cap". */
    out = api_page(rows, pg);
    json_object_set_new(out, "total_capped", json_boolean(rows->total > store_case_count_cap()));
    if (rows->total > store_case_count_cap())
        json_object_set_new(out, "total", json_integer(store_case_count_cap()));
    if (rows->nrows > 0 && rows->nrows >= pg->per_page) {
        last = store_rows_int(rows, rows->nrows - 1, 0);
        e = store_case_queue_key(c, last, key);
        if (e != STORE_OK) {
            json_decref(out);
            api_store_error(res, c, e);
            store_rows_free(rows);
            return;
        }
        cursor_encode(key, last, cursor, sizeof cursor);
        json_object_set_new(out, "next_cursor", json_string(cursor));
    } else {
        json_object_set_new(out, "next_cursor", json_null());
    }
    http_res_json(res, 200, out);
    store_rows_free(rows);
}

void api_cases_list(struct http_req *req, struct http_res *res)
{
    struct api_ctx *ctx = api_ctx(req);
    struct verr_list errs = {0};
    struct api_case_query cq;
    struct store_page pg;
    struct store_rows *rows = NULL;
    store_err e;

    api_case_query_parse(req, &cq, &errs);
    api_query_page(req, &pg, &errs);
    cursor_parse(req, &cq, &errs);
    if (cq.f.after_id && pg.page > 1)
        verr_add(&errs, "page", "invalid", "give either page or after, not both");
    else if ((pg.page - 1) * pg.per_page > CASES_MAX_OFFSET)
        verr_add(&errs, "page", "too_deep",
                 "pages start at most 10000 cases in: follow next_cursor (after=) instead");
    if (errs.n) {
        api_case_query_free(&cq);
        api_validation(res, &errs);
        return;
    }
    e = store_case_list(ctx->conn, &ctx->actor, &cq.f, &pg, &rows);
    api_case_query_free(&cq);
    reply_cases(res, ctx->conn, e, rows, &pg);
}

void api_cases_actions(struct http_req *req, struct http_res *res)
{
    struct case_env env;
    struct case_out out = {0};
    json_t *actions = NULL;
    int64_t id = api_path_id(req, res, 0);

    if (!id)
        return;
    api_case_env(req, &env);
    if (api_case_done(req, res, case_allowed(&env, id, &actions, &out), &out))
        http_res_json(
            res, 200,
            json_pack("{s:s, s:o}", "state", case_state_name(out.state), "actions", actions));
    case_out_free(&out);
}

void api_cases_timeline(struct http_req *req, struct http_res *res)
{
    struct api_ctx *ctx = api_ctx(req);
    struct store_rows *row = NULL, *ev = NULL;
    int64_t id = api_path_id(req, res, 0);
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
    http_res_json(res, 200, json_pack("{s:o}", "items", api_rows(ev)));
out:
    store_rows_free(row);
    store_rows_free(ev);
}

/* ---- taking an action ---- */

/* The change of an action (api_case_write). */
struct act_args {
    int64_t id;
    json_t *body;
    struct case_out *out;
};

static int act_write(struct case_env *env, void *arg)
{
    struct act_args *a = arg;

    return case_act(env, a->id, a->body, a->out);
}

/*
 * Takes an action. As with a registration, only the change itself waits for the group
 * writer (SQLite): the case is read back for the answer here, after the commit, on this
 * worker's connection. Run whole inside the writer (the route flag API_GROUP, until
 * 2026-12-07), reading the case and encoding its page took a sixth of the one writer's time
 * per transition.
 */
void api_cases_transition(struct http_req *req, struct http_res *res)
{
    struct api_ctx *ctx = api_ctx(req);
    struct case_out out = {0};
    int64_t id = api_path_id(req, res, 0);
    json_t *body = id ? api_body(req, res) : NULL;
    struct act_args args = {.id = id, .body = body, .out = &out};
    struct case_text_read *text = NULL;
    struct case_env env;
    int rc;

    if (!body)
        return;
    api_case_env(req, &env);
    /* The text's reading for the regrade, here rather than on the writer (case.h). */
    if (ctx->app->group)
        env.text_read = text = case_text_read_case(&env, id);
    if (!api_case_write(req, res, &env, act_write, &args, &rc))
        goto out;
    if (api_case_done(req, res, rc, &out))
        reply_case(req, res, id, 200, NULL);
out:
    case_text_read_drop(text);
    case_out_free(&out);
    json_decref(body);
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
        strcmp(kind, "visit") != 0 && strcmp(kind, "instalment_due") != 0 &&
        strcmp(kind, "instalment_late") != 0)
        verr_add(&errs, "kind", "invalid",
                 "must be approaching, due, visit, instalment_due or instalment_late");
    if (errs.n) {
        api_validation(res, &errs);
        return;
    }
    e = store_warning_list(ctx->conn, &ctx->actor, kind && *kind ? kind : NULL, &pg, &rows);
    api_reply_page(res, ctx->conn, e, rows, &pg);
}

/* ---- fulfilment and judicial confirmation ---- */

static void reply_fulfilment(struct http_req *req, struct http_res *res, int64_t id)
{
    struct case_env env;
    struct case_out out = {0};
    json_t *result = NULL;

    api_case_env(req, &env);
    if (api_case_done(req, res, case_fulfilment(&env, id, &result, &out), &out))
        http_res_json(res, 200, result);
    case_out_free(&out);
}

void api_cases_fulfilment(struct http_req *req, struct http_res *res)
{
    int64_t id = api_path_id(req, res, 0);

    if (id)
        reply_fulfilment(req, res, id);
}

void api_cases_instalment(struct http_req *req, struct http_res *res)
{
    struct case_env env;
    struct case_out out = {0};
    int64_t id = api_path_id(req, res, 0), iid = id ? api_path_id(req, res, 1) : 0;
    json_t *body = iid ? api_body(req, res) : NULL;

    if (!body)
        return;
    api_case_env(req, &env);
    if (api_case_done(req, res, case_instalment(&env, id, iid, body, &out), &out))
        reply_fulfilment(req, res, id);
    case_out_free(&out);
    json_decref(body);
}

void api_cases_confirmation(struct http_req *req, struct http_res *res)
{
    struct case_env env;
    struct case_out out = {0};
    int64_t id = api_path_id(req, res, 0);
    json_t *body = id ? api_body(req, res) : NULL;

    if (!body)
        return;
    api_case_env(req, &env);
    if (api_case_done(req, res, case_confirmation(&env, id, body, &out), &out))
        reply_fulfilment(req, res, id);
    case_out_free(&out);
    json_decref(body);
}

/*
 * ledger.c - the ledger (台账) and the register's export, as CSV or XLSX (issue 11 part 4).
 *
 * GET /api/v1/ledger: one row per case received in [from, to] (Beijing days) in a region's
 * subtree; GET /api/v1/cases/export: the register's current filter. Both read the same
 * filter (api_case_query_parse) and write the same columns.
 *
 * Bounded memory at any size: cases are read by keyset pages of PAGE rows (store:
 * store_case_ledger_page) and each page is written at once to a temporary file through
 * the streamed sheet writer (src/sheet/stream.c: CSV through stdio, XLSX through
 * libxlsxwriter's constant_memory mode). The finished file is handed to libmicrohttpd as a
 * descriptor (http_res_fd). Why a file rather than a callback response that reads the
 * database while sending: the request's store connection belongs to the handler's thread
 * and is returned to the pool when the handler ends, while libmicrohttpd calls a content
 * callback later; a file keeps the database work inside the handler, lets the audit row
 * record the exact row count before anything is sent, and an error half way is still a
 * clean problem response instead of a cut-off download.
 *
 * Personal data: names of parties are shown as on the register (staff see them there);
 * phone numbers are masked for every role, as the case view masks them (cases.c,
 * case_json: seal_mask_phone); ID numbers and addresses are not exported. Each export is
 * audited (action export, object case, detail: the filter and the row count), as a read
 * of personal data is (audit.h); masking is one of the de-identification measures of
 * 个人信息保护法 art. 51(3), and the export stays within the caller's permissions (51(4)).
 */
#include "api/api.h"
#include "case/case.h"
#include "core/case_fsm.h"
#include "core/timefmt.h"
#include "seal/seal.h"
#include "sheet/sheet.h"
#include "store/audit.h"
#include "store/cases.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define PAGE       1000 /* cases per keyset page */
#define TEXT_MAX   500  /* characters of facts and claims shown: a ledger is an overview */
#define CELL_BYTES 4096 /* any cell this file builds, NUL included */
#define BEIJING_MS (8LL * 3600 * 1000)
#define MS_PER_DAY 86400000LL
#define XLSX_MIME  "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
#define CSV_MIME   "text/csv; charset=utf-8"
#define SHEET_NAME "台账"
#define DETAIL_MAX 900

enum col {
    C_NUMBER,
    C_RECEIVED,
    C_CHANNEL,
    C_CATEGORY,
    C_COMPLEXITY,
    C_REGION,
    C_OCCURRED,
    C_PEOPLE,
    C_AMOUNT,
    C_APPLICANTS,
    C_PHONES,
    C_RESPONDENTS,
    C_FACTS,
    C_CLAIMS,
    C_STATE,
    C_OUTCOME,
    C_METHOD,
    C_LEVEL,
    C_DUE,
    C_CLOSED,
    C_ORG,
    C_MEDIATORS,
    C_RISK,
    NCOLS
};

/* The headers (Chinese, as the register's paper ledger names them) and XLSX widths. */
static const struct {
    const char *zh;
    int width;
} columns[NCOLS] = {
    [C_NUMBER] = {"案件编号", 24},       [C_RECEIVED] = {"受理日期", 12},
    [C_CHANNEL] = {"来源渠道", 12},      [C_CATEGORY] = {"纠纷类型", 16},
    [C_COMPLEXITY] = {"复杂程度", 10},   [C_REGION] = {"发生地", 16},
    [C_OCCURRED] = {"发生日期", 12},     [C_PEOPLE] = {"涉及人数", 10},
    [C_AMOUNT] = {"涉及金额（元）", 14}, [C_APPLICANTS] = {"申请人", 16},
    [C_PHONES] = {"申请人电话", 16},     [C_RESPONDENTS] = {"被申请人", 16},
    [C_FACTS] = {"纠纷简要情况", 50},    [C_CLAIMS] = {"当事人诉求", 30},
    [C_STATE] = {"办理状态", 10},        [C_OUTCOME] = {"化解结果", 10},
    [C_METHOD] = {"化解方式", 12},       [C_LEVEL] = {"办理层级", 10},
    [C_DUE] = {"办结期限", 12},          [C_CLOSED] = {"结案日期", 12},
    [C_ORG] = {"责任单位", 24},          [C_MEDIATORS] = {"调解员", 16},
    [C_RISK] = {"风险等级", 10},
};

/* The states' names as the register shows them (web/messages/zh-CN.js caseStates). */
static const char *const state_zh[CASE_STATES + 1] = {
    [CS_REGISTERED] = "已登记", [CS_ACCEPTED] = "已受理", [CS_REJECTED] = "不予受理",
    [CS_REFERRED] = "已移交",   [CS_ASSIGNED] = "已指派", [CS_MEDIATING] = "调解中",
    [CS_SUSPENDED] = "已中止",  [CS_AGREED] = "调解成功", [CS_FAILED] = "调解不成",
    [CS_WITHDRAWN] = "已撤回",  [CS_CLOSED] = "已结案",   [CS_ARCHIVED] = "已归档",
};

/* The outcome an event records; a reopening forgets it (store_case_ledger_events). */
static const struct {
    const char *action, *zh;
} outcomes[] = {{"agree", "调解成功"},
                {"fail", "调解不成"},
                {"withdraw", "撤回"},
                {"reject", "不予受理"},
                {"refer", "移交办理"}};

/* What one page adds to its cases: the rows of the side queries, walked in case order. */
struct side {
    struct store_rows *rows;
    int at;
};

/* A Beijing day from epoch ms, "" when 0. */
static void day_of(int64_t ms, char *out, size_t n)
{
    int64_t b = ms + BEIJING_MS;
    out[0] = '\0';
    if (ms > 0)
        timefmt_day((int32_t)((b - (b % MS_PER_DAY + MS_PER_DAY) % MS_PER_DAY) / MS_PER_DAY), out,
                    n);
}

/* At most TEXT_MAX characters of s, an ellipsis marking a cut; always valid UTF-8. */
static void clip(const char *s, char *out, size_t n)
{
    size_t i = 0, chars = 0;

    for (; s[i] && chars < TEXT_MAX; chars++)
        do
            i++;
        while ((s[i] & 0xC0) == 0x80);
    if (i + 4 > n)
        i = 0; /* cannot happen with CELL_BYTES; keep the cell empty rather than cut a char */
    memcpy(out, s, i);
    strcpy(out + i, s[i] ? "…" : "");
}

/* Appends s to a "、"-separated list in out, dropping what does not fit. */
static void append(char *out, size_t n, const char *s)
{
    size_t len = strlen(out);
    if (len + strlen(s) + 4 >= n)
        return;
    snprintf(out + len, n - len, "%s%s", len ? "、" : "", s);
}

/* Advances a side query to the rows of case id (they are ordered by case id). */
static int side_next(struct side *sd, int64_t id)
{
    while (sd->rows && sd->at < sd->rows->nrows && store_rows_int(sd->rows, sd->at, 0) < id)
        sd->at++;
    return sd->rows && sd->at < sd->rows->nrows && store_rows_int(sd->rows, sd->at, 0) == id;
}

static void parties_cells(struct api_ctx *ctx, struct side *sd, int64_t id,
                          char cells[][CELL_BYTES])
{
    for (; side_next(sd, id); sd->at++) {
        const char *role = store_rows_get(sd->rows, sd->at, 1);
        const char *sealed = store_rows_get(sd->rows, sd->at, 3);
        char *plain = NULL, masked[SEAL_MASK_LEN];

        if (strcmp(role, "applicant") != 0) {
            if (strcmp(role, "respondent") == 0)
                append(cells[C_RESPONDENTS], CELL_BYTES, store_rows_get(sd->rows, sd->at, 2));
            continue;
        }
        append(cells[C_APPLICANTS], CELL_BYTES, store_rows_get(sd->rows, sd->at, 2));
        if (sealed && *sealed && ctx->app->seal &&
            seal_decrypt(ctx->app->seal, sealed, &plain) == SEAL_OK &&
            seal_mask_phone(plain, masked, sizeof masked) == 0)
            append(cells[C_PHONES], CELL_BYTES, masked);
        if (plain) {
            memset(plain, 0, strlen(plain));
            free(plain);
        }
    }
}

static void events_cells(struct side *sd, int64_t id, char cells[][CELL_BYTES])
{
    for (; side_next(sd, id); sd->at++) {
        const char *action = store_rows_get(sd->rows, sd->at, 1);

        if (strcmp(action, "reopen") == 0) {
            cells[C_OUTCOME][0] = cells[C_CLOSED][0] = '\0';
        } else if (strcmp(action, "close") == 0) {
            day_of(store_rows_int(sd->rows, sd->at, 2), cells[C_CLOSED], CELL_BYTES);
        } else {
            for (size_t k = 0; k < sizeof outcomes / sizeof outcomes[0]; k++)
                if (strcmp(action, outcomes[k].action) == 0)
                    snprintf(cells[C_OUTCOME], CELL_BYTES, "%s", outcomes[k].zh);
        }
    }
}

static const char *zh_or_code(const struct vocab *v, const char *code)
{
    const char *zh = code && *code ? vocab_zh(v, code) : NULL;
    return zh ? zh : code ? code : "";
}

/* The case's own columns (row i of the page). */
static void case_cells(const struct store_rows *k, int i, char cells[][CELL_BYTES])
{
#define GET(name) store_rows_get(k, i, store_rows_col(k, name))
    const char *v;
    enum case_state st = case_state_parse(GET("state"));

    snprintf(cells[C_NUMBER], CELL_BYTES, "%s", GET("number"));
    day_of(store_rows_int(k, i, store_rows_col(k, "received_at")), cells[C_RECEIVED], CELL_BYTES);
    snprintf(cells[C_CHANNEL], CELL_BYTES, "%s", zh_or_code(&vocab_channel, GET("channel")));
    snprintf(cells[C_CATEGORY], CELL_BYTES, "%s", zh_or_code(&vocab_category, GET("category")));
    snprintf(cells[C_COMPLEXITY], CELL_BYTES, "%s",
             zh_or_code(&vocab_complexity, GET("complexity")));
    snprintf(cells[C_REGION], CELL_BYTES, "%s", GET("region_name"));
    snprintf(cells[C_OCCURRED], CELL_BYTES, "%s", (v = GET("occurred_on")) ? v : "");
    snprintf(cells[C_PEOPLE], CELL_BYTES, "%s", (v = GET("people")) ? v : "");
    snprintf(cells[C_AMOUNT], CELL_BYTES, "%s", (v = GET("amount")) ? v : "");
    clip(GET("facts") ? GET("facts") : "", cells[C_FACTS], CELL_BYTES);
    clip(GET("claims") ? GET("claims") : "", cells[C_CLAIMS], CELL_BYTES);
    snprintf(cells[C_STATE], CELL_BYTES, "%s", st ? state_zh[st] : GET("state"));
    snprintf(cells[C_METHOD], CELL_BYTES, "%s", zh_or_code(&vocab_method, GET("method")));
    snprintf(cells[C_LEVEL], CELL_BYTES, "%s", zh_or_code(&vocab_region_level, GET("level")));
    snprintf(cells[C_DUE], CELL_BYTES, "%s", (v = GET("due_date")) ? v : "");
    snprintf(cells[C_ORG], CELL_BYTES, "%s", (v = GET("resp_org_name")) ? v : "");
    snprintf(cells[C_RISK], CELL_BYTES, "%s", zh_or_code(&vocab_risk, GET("risk")));
#undef GET
}

/* The side queries of a page whose cases have ids in (lo, hi]. */
static store_err page_sides(struct api_ctx *ctx, int64_t lo, int64_t hi, struct side sd[3])
{
    store_err e = store_case_ledger_parties(ctx->conn, lo, hi, &sd[0].rows);
    if (e == STORE_OK)
        e = store_case_ledger_mediators(ctx->conn, lo, hi, &sd[1].rows);
    if (e == STORE_OK)
        e = store_case_ledger_events(ctx->conn, lo, hi, &sd[2].rows);
    return e;
}

/* Writes one page of cases; `cells` is NCOLS × CELL_BYTES of scratch (heap: too large for
 * a worker thread's stack). */
static int write_page(struct api_ctx *ctx, struct sheet_stream *out, const struct store_rows *k,
                      struct side sd[3], char (*cells)[CELL_BYTES], char *err, size_t errlen)
{
    const char *ptrs[NCOLS];

    for (int c = 0; c < NCOLS; c++)
        ptrs[c] = cells[c];
    for (int i = 0; i < k->nrows; i++) {
        int64_t id = store_rows_int(k, i, 0);

        for (int c = 0; c < NCOLS; c++)
            cells[c][0] = '\0';
        case_cells(k, i, cells);
        parties_cells(ctx, &sd[0], id, cells);
        for (; side_next(&sd[1], id); sd[1].at++)
            append(cells[C_MEDIATORS], CELL_BYTES, store_rows_get(sd[1].rows, sd[1].at, 1));
        events_cells(&sd[2], id, cells);
        if (sheet_stream_row(out, ptrs, err, errlen) != 0)
            return -1;
    }
    return 0;
}

/* Reads the filter page by page into the writer; *rows counts the cases written. */
static store_err write_all(struct api_ctx *ctx, const struct store_case_filter *f,
                           struct sheet_stream *out, int64_t *rows, char *err, size_t errlen)
{
    char(*cells)[CELL_BYTES] = malloc(NCOLS * CELL_BYTES);
    int64_t after = 0;
    store_err e = STORE_OK;

    *rows = 0;
    if (!cells) {
        snprintf(err, errlen, "out of memory");
        return STORE_ERROR;
    }
    for (;;) {
        struct store_rows *k = NULL;
        struct side sd[3] = {{0}};
        int64_t last;

        e = store_case_ledger_page(ctx->conn, &ctx->actor, f, after, PAGE, &k);
        if (e == STORE_OK && k->nrows > 0) {
            last = store_rows_int(k, k->nrows - 1, 0);
            e = page_sides(ctx, after, last, sd);
            if (e == STORE_OK && write_page(ctx, out, k, sd, cells, err, errlen) != 0)
                e = STORE_ERROR;
            *rows += k->nrows;
            after = last;
        }
        int done = e != STORE_OK || k->nrows < PAGE;
        store_rows_free(k);
        for (int s = 0; s < 3; s++)
            store_rows_free(sd[s].rows);
        if (done)
            break;
    }
    free(cells);
    return e;
}

/* The filter as the audit row records it: the query parameters the export honoured. */
static void audit_detail(struct http_req *req, const char *what, int64_t rows, char *out, size_t n)
{
    static const char *const names[] = {"region_id",   "from", "to",   "state",   "category",
                                        "channel",     "risk", "q",    "overdue", "resp_org_id",
                                        "mediator_id", "mine", "todo", "format",  NULL};
    size_t len = (size_t)snprintf(out, n, "%s rows=%lld", what, (long long)rows);

    for (int i = 0; names[i] && len < n; i++) {
        const char *v = http_query(req, names[i]);
        if (v && *v)
            len += (size_t)snprintf(out + len, n - len, " %s=%.100s", names[i], v);
    }
}

/* RFC 6266 / RFC 5987: an ASCII fallback name and the Chinese one, percent-encoded. */
static void disposition(char *out, size_t n, const char *ascii, const char *name)
{
    char enc[400];
    size_t k = 0;

    enc[0] = '\0';
    for (const unsigned char *p = (const unsigned char *)name; *p && k + 4 < sizeof enc; p++)
        k += (size_t)snprintf(enc + k, sizeof enc - k,
                              (*p < 0x80 && (isalnum(*p) || strchr(".-_", *p))) ? "%c" : "%%%02X",
                              *p);
    snprintf(out, n, "attachment; filename=\"%s\"; filename*=UTF-8''%s", ascii, enc);
}

/* Validates what the ledger adds to the register's filter: both days, in order. */
static void ledger_dates(struct http_req *req, const struct store_case_filter *f,
                         struct verr_list *errs)
{
    const char *from = http_query(req, "from"), *to = http_query(req, "to");

    if (!from || !*from)
        verr_add(errs, "from", "required", "give the first day of the period (YYYY-MM-DD)");
    if (!to || !*to)
        verr_add(errs, "to", "required", "give the last day of the period (YYYY-MM-DD)");
    if (f->since && f->until && f->until <= f->since)
        verr_add(errs, "to", "invalid", "must not be before from");
}

static void export_run(struct http_req *req, struct http_res *res, int ledger)
{
    struct api_ctx *ctx = api_ctx(req);
    struct verr_list errs = {0};
    struct api_case_query cq;
    struct sheet_stream *out = NULL;
    const char *format = http_query(req, "format");
    const char *headers[NCOLS];
    char err[256], detail[DETAIL_MAX], name[160], disp[600], today[16];
    int xlsx = format && strcmp(format, "xlsx") == 0, fd = -1;
    unsigned long long size = 0;
    int64_t rows = 0;
    store_err e;

    api_case_query_parse(req, &cq, &errs);
    if (format && *format && !xlsx && strcmp(format, "csv") != 0)
        verr_add(&errs, "format", "invalid", "must be csv or xlsx");
    if (ledger)
        ledger_dates(req, &cq.f, &errs);
    if (errs.n) {
        api_validation(res, &errs);
        goto out;
    }
    for (int c = 0; c < NCOLS; c++)
        headers[c] = columns[c].zh;
    {
        int widths[NCOLS];
        for (int c = 0; c < NCOLS; c++)
            widths[c] = columns[c].width;
        out = sheet_stream_open(xlsx, SHEET_NAME, NCOLS, headers, widths, err, sizeof err);
    }
    if (!out) {
        http_problem(res, 500, "internal", "Internal Server Error", err, NULL);
        goto out;
    }
    err[0] = '\0';
    e = write_all(ctx, &cq.f, out, &rows, err, sizeof err);
    if (e != STORE_OK && err[0]) {
        http_problem(res, 500, "internal", "Internal Server Error", err, NULL);
        goto out;
    }
    if (e != STORE_OK) {
        api_store_error(res, ctx->conn, e);
        goto out;
    }
    e = sheet_stream_finish(out, &fd, &size, err, sizeof err) == 0 ? STORE_OK : STORE_ERROR;
    out = NULL;
    if (e != STORE_OK) {
        http_problem(res, 500, "internal", "Internal Server Error", err, NULL);
        goto out;
    }
    /* Audited before anything is sent: an export that cannot be recorded is not made. */
    audit_detail(req, ledger ? "ledger" : "register", rows, detail, sizeof detail);
    e = store_begin(ctx->conn, 1);
    if (e == STORE_OK)
        e = store_end(ctx->conn, store_audit_append(ctx->conn, &ctx->actor, "export", "case", 0,
                                                    NULL, detail));
    if (e != STORE_OK) {
        api_store_error(res, ctx->conn, e);
        goto out;
    }
    timefmt_day(case_today(), today, sizeof today);
    if (ledger)
        snprintf(name, sizeof name, "纠纷台账_%.10s至%.10s.%s", http_query(req, "from"),
                 http_query(req, "to"), xlsx ? "xlsx" : "csv");
    else
        snprintf(name, sizeof name, "案件登记_%s.%s", today, xlsx ? "xlsx" : "csv");
    disposition(
        disp, sizeof disp,
        ledger ? (xlsx ? "ledger.xlsx" : "ledger.csv") : (xlsx ? "cases.xlsx" : "cases.csv"), name);
    http_res_fd(res, 200, xlsx ? XLSX_MIME : CSV_MIME, fd, size);
    fd = -1;
    http_res_header(res, "Content-Disposition", disp);
    http_res_header(res, "Cache-Control", "private, no-store");
out:
    if (fd >= 0)
        close(fd);
    sheet_stream_free(out);
    api_case_query_free(&cq);
}

void api_ledger(struct http_req *req, struct http_res *res)
{
    export_run(req, res, 1);
}

void api_cases_export(struct http_req *req, struct http_res *res)
{
    export_run(req, res, 0);
}

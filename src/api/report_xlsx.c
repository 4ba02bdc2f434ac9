/*
 * report_xlsx.c - GET /api/v1/reports/{id}/export?format=xlsx: one version of a report
 * (monthly 研判预警专报 or quarterly 季度总结, draft or issued) as an XLSX workbook
 * (docs/reports.md).
 *
 * One worksheet holding the report's sections as blocks, in the order of the printed
 * report. The figures are the version's stored `generated` (what was issued, not today's
 * counters), written as numbers; rates as fractions in percentage cells, so Excel shows
 * 66.7% and sums and charts on them work. Each overview row carries the figure's code
 * (total, success_rate, ...) in column C, so a reader can match it with
 * GET /api/v1/stats/summary. Written through libxlsxwriter to a temporary file handed to
 * libmicrohttpd, like the ledger (ledger.c). The export is audited (action export, object
 * report) before anything is sent.
 */
#include "api/api.h"
#include "store/audit.h"
#include "store/reports.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xlsxwriter.h>

#define XLSX_MIME "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

/* Chinese names of the rates of the statistics service (docs/metrics.md); a rate the
 * service adds later is exported under its code until it is named here. */
static const struct {
    const char *key, *zh;
} rate_names[] = {
    {"mediation_rate", "调解率"},     {"success_rate", "调解成功率"},
    {"resolution_rate", "化解率"},    {"fulfilment_rate", "协议履行率"},
    {"satisfaction_rate", "满意率"},  {"local_resolution_rate", "就地化解率"},
    {"escalation_rate", "上报率"},    {"visit_rate", "回访率"},
    {"visit_coverage", "回访覆盖率"},
};

static const char *rate_zh(const char *key)
{
    for (size_t i = 0; i < sizeof rate_names / sizeof rate_names[0]; i++)
        if (strcmp(rate_names[i].key, key) == 0)
            return rate_names[i].zh;
    return key;
}

struct book {
    lxw_workbook *wb;
    lxw_worksheet *ws;
    lxw_format *title, *head, *pct, *wrap;
    const json_t *rates; /* the overview's: which rates, in the service's order */
    lxw_row_t row;
    lxw_error err; /* the first error; later writes are skipped */
};

static void text(struct book *b, int col, const char *s, lxw_format *f)
{
    if (b->err == LXW_NO_ERROR && s && *s)
        b->err = worksheet_write_string(b->ws, b->row, (lxw_col_t)col, s, f);
}

/* A JSON number as a number cell (a percentage cell with b->pct); null stays empty: a rate
 * whose denominator is zero is not a figure (docs/metrics.md). */
static void number(struct book *b, int col, const json_t *v, lxw_format *f)
{
    if (b->err == LXW_NO_ERROR && json_is_number(v))
        b->err = worksheet_write_number(b->ws, b->row, (lxw_col_t)col, json_number_value(v), f);
}

/* A heading row, then the next row. */
static void heading(struct book *b, const char *s)
{
    b->row++;
    text(b, 0, s, b->head);
    b->row++;
}

/* A header row of a table: first column's name, 受理总数, the rates. */
static void table_head(struct book *b, const char *first)
{
    text(b, 0, first, b->head);
    const char *key;
    const json_t *v;
    int col = 2;

    text(b, 1, "受理总数", b->head);
    json_object_foreach((json_t *)b->rates, key, v)
    {
        text(b, col++, rate_zh(key), b->head);
    }
    b->row++;
}

/* One row of {name, total, rates}. */
static void table_row(struct book *b, const char *name, const json_t *o)
{
    const json_t *rs = json_object_get(o, "rates"), *v;
    const char *key;
    int col = 2;

    text(b, 0, name, NULL);
    number(b, 1, json_object_get(o, "total"), NULL);
    json_object_foreach((json_t *)b->rates, key, v)
    {
        number(b, col++, json_object_get(rs, key), b->pct);
    }
    b->row++;
}

/* The report's title and identity (rows 1..6); the title row is frozen. */
static void meta(struct book *b, const struct store_rows *r)
{
    const char *kind = store_rows_get(r, 0, store_rows_col(r, "kind"));
    const char *issued = store_rows_get(r, 0, store_rows_col(r, "issued_by_name"));
    char v[32];
    static const char *labels[] = {"地区", "期间", "版本", "状态", "签发人"};
    const char *values[5];

    snprintf(v, sizeof v, "第%s版", store_rows_get(r, 0, store_rows_col(r, "version")));
    values[0] = store_rows_get(r, 0, store_rows_col(r, "region_name"));
    values[1] = store_rows_get(r, 0, store_rows_col(r, "period"));
    values[2] = v;
    values[3] =
        strcmp(store_rows_get(r, 0, store_rows_col(r, "state")), "issued") == 0 ? "已签发" : "草稿";
    values[4] = issued ? issued : "";
    text(b, 0, strcmp(kind, "quarterly") == 0 ? "人民调解工作季度总结" : "人民调解研判预警专报",
         b->title);
    for (int i = 0; i < 5; i++) {
        b->row++;
        text(b, 0, labels[i], b->head);
        text(b, 1, values[i], NULL);
    }
    b->row++;
}

/* 一、总体情况: total, each rate, incidence; column C names the figure. */
static void overview(struct book *b, const json_t *g)
{
    const json_t *o = json_object_get(g, "overview"), *v;
    const char *key;

    heading(b, "一、总体情况");
    text(b, 0, "指标", b->head);
    text(b, 1, "数值", b->head);
    text(b, 2, "代码", b->head);
    b->row++;
    text(b, 0, "受理总数", NULL);
    number(b, 1, json_object_get(o, "total"), NULL);
    text(b, 2, "total", NULL);
    json_object_foreach((json_t *)b->rates, key, v)
    {
        b->row++;
        text(b, 0, rate_zh(key), NULL);
        number(b, 1, v, b->pct);
        text(b, 2, key, NULL);
    }
    b->row++;
    text(b, 0, "万人发生率", NULL);
    number(b, 1, json_object_get(o, "incidence_per_10k"), NULL);
    text(b, 2, "incidence_per_10k", NULL);
    b->row++;
}

/* 二、对比: this period, the previous one, the same one a year earlier. */
static void comparison(struct book *b, const json_t *g)
{
    const json_t *c = json_object_get(g, "comparison");
    int quarterly = json_object_get(c, "previous_quarter") != NULL;
    const json_t *prev = json_object_get(c, quarterly ? "previous_quarter" : "previous_month");
    const json_t *last =
        json_object_get(c, quarterly ? "same_quarter_last_year" : "same_month_last_year");
    char name[64];

    heading(b, "二、同比环比");
    table_head(b, "期间");
    snprintf(name, sizeof name, "本期 %s", json_string_value(json_object_get(g, "period")));
    table_row(b, name, json_object_get(g, "overview"));
    snprintf(name, sizeof name, "%s %s", quarterly ? "上季度" : "上月",
             json_string_value(json_object_get(prev, "period")));
    table_row(b, name, prev);
    snprintf(name, sizeof name, "去年同期 %s", json_string_value(json_object_get(last, "period")));
    table_row(b, name, last);
}

/* A breakdown section: one row per item {name, total, rates}. */
static void breakdown(struct book *b, const char *title, const char *first, const json_t *items)
{
    size_t i;
    const json_t *it;

    heading(b, title);
    table_head(b, first);
    json_array_foreach(items, i, it)
    {
        table_row(b, json_string_value(json_object_get(it, "name")), it);
    }
}

/* A label and a number cell on one row. */
static void pair(struct book *b, const char *label, const json_t *v, lxw_format *f)
{
    text(b, 0, label, NULL);
    number(b, 1, v, f);
    b->row++;
}

/* 高风险 (monthly only), 逾期, 移交待反馈, then the analyst's section. */
static void backlog(struct book *b, const json_t *g, const char *analysis)
{
    const json_t *risk = json_object_get(g, "high_risk"), *od = json_object_get(g, "overdue");

    if (risk) {
        heading(b, "高风险案件");
        pair(b, "红色", json_object_get(risk, "red"), NULL);
        pair(b, "橙色", json_object_get(risk, "orange"), NULL);
    }
    heading(b, "逾期与移交待反馈（生成当日）");
    pair(b, "逾期未办结", json_object_get(od, "count"), NULL);
    pair(b, "有期限的在办案件", json_object_get(od, "open_with_due"), NULL);
    pair(b, "逾期率", json_object_get(od, "rate"), b->pct);
    pair(b, "移交待反馈", json_object_get(g, "awaiting_feedback"), NULL);
    heading(b, "分析研判");
    if (b->err == LXW_NO_ERROR && analysis && *analysis)
        b->err = worksheet_merge_range(b->ws, b->row, 0, b->row, 9, analysis, b->wrap);
}

/* Formats and column widths; the title row frozen. */
static int book_start(struct book *b, const char *path)
{
    lxw_workbook_options opt = {0};
    const char *t = getenv("TMPDIR");

    opt.tmpdir = (char *)(t && *t ? t : "/tmp");
    b->wb = workbook_new_opt(path, &opt);
    b->ws = b->wb ? workbook_add_worksheet(b->wb, "专报") : NULL;
    b->title = b->wb ? workbook_add_format(b->wb) : NULL;
    b->head = b->wb ? workbook_add_format(b->wb) : NULL;
    b->pct = b->wb ? workbook_add_format(b->wb) : NULL;
    b->wrap = b->wb ? workbook_add_format(b->wb) : NULL;
    if (!b->ws || !b->title || !b->head || !b->pct || !b->wrap)
        return -1;
    format_set_bold(b->title);
    format_set_font_size(b->title, 16);
    format_set_bold(b->head);
    format_set_num_format(b->pct, "0.0%");
    format_set_text_wrap(b->wrap);
    format_set_align(b->wrap, LXW_ALIGN_VERTICAL_TOP);
    worksheet_set_column(b->ws, 0, 0, 26, NULL);
    worksheet_set_column(b->ws, 1, 12, 12, NULL);
    worksheet_freeze_panes(b->ws, 1, 0);
    return 0;
}

/* Writes report row 0 of r into a new temporary file; *fd and *size get it. */
static int write_book(const struct store_rows *r, int *fd, unsigned long long *size)
{
    struct book b = {0};
    char path[512];
    const char *t = getenv("TMPDIR");
    json_t *g = json_loads(store_rows_get(r, 0, store_rows_col(r, "generated")), 0, NULL);
    struct stat st;
    int rc = -1;

    *fd = -1;
    snprintf(path, sizeof path, "%s/jiefen-report-XXXXXX", t && *t ? t : "/tmp");
    if (!g || (*fd = mkstemp(path)) < 0)
        goto out;
    if (book_start(&b, path) != 0)
        goto out;
    b.rates = json_object_get(json_object_get(g, "overview"), "rates");
    meta(&b, r);
    overview(&b, g);
    comparison(&b, g);
    breakdown(&b, "三、类别分布", "类别", json_object_get(g, "categories"));
    breakdown(&b, "四、地区分布（热点）", "地区", json_object_get(g, "hot_spots"));
    backlog(&b, g, store_rows_get(r, 0, store_rows_col(r, "analysis")));
    if (b.err == LXW_NO_ERROR && workbook_close(b.wb) == LXW_NO_ERROR && fstat(*fd, &st) == 0 &&
        lseek(*fd, 0, SEEK_SET) == 0) {
        *size = (unsigned long long)st.st_size;
        rc = 0;
    }
    b.wb = NULL;
out:
    if (b.wb)
        lxw_workbook_free(b.wb);
    if (*fd >= 0)
        unlink(path);
    if (rc != 0 && *fd >= 0) {
        close(*fd);
        *fd = -1;
    }
    json_decref(g);
    return rc;
}

/* Records the export of report `id` (who, when, which version) before it is sent. */
static store_err audit_export(struct api_ctx *ctx, const struct store_rows *r, int64_t id)
{
    char detail[160];
    store_err e = store_begin(ctx->conn, 1);

    snprintf(detail, sizeof detail, "format=xlsx kind=%s period=%s version=%s",
             store_rows_get(r, 0, store_rows_col(r, "kind")),
             store_rows_get(r, 0, store_rows_col(r, "period")),
             store_rows_get(r, 0, store_rows_col(r, "version")));
    if (e == STORE_OK)
        e = store_end(ctx->conn, store_audit_append(ctx->conn, &ctx->actor, "export", "report", id,
                                                    NULL, detail));
    return e;
}

void api_reports_export(struct http_req *req, struct http_res *res)
{
    struct api_ctx *ctx = api_ctx(req);
    struct verr_list errs = {0};
    struct store_rows *r = NULL;
    const char *format = http_query(req, "format");
    int64_t id = api_path_id(req, res, 0);
    unsigned long long size = 0;
    char disp[200];
    int fd = -1;
    store_err e;

    if (!id)
        return;
    if (format && *format && strcmp(format, "xlsx") != 0)
        verr_add(&errs, "format", "invalid", "must be xlsx");
    if (errs.n) {
        api_validation(res, &errs);
        return;
    }
    e = store_report_get(ctx->conn, &ctx->actor, id, &r);
    if (e != STORE_OK) {
        api_store_error(res, ctx->conn, e);
        goto out;
    }
    if (write_book(r, &fd, &size) != 0) {
        http_problem(res, 500, "internal", "Internal Server Error", "cannot write the workbook",
                     NULL);
        goto out;
    }
    e = audit_export(ctx, r, id);
    if (e != STORE_OK) {
        api_store_error(res, ctx->conn, e);
        goto out;
    }
    snprintf(disp, sizeof disp, "attachment; filename=\"report-%s-%s-v%s.xlsx\"",
             store_rows_get(r, 0, store_rows_col(r, "kind")),
             store_rows_get(r, 0, store_rows_col(r, "period")),
             store_rows_get(r, 0, store_rows_col(r, "version")));
    http_res_fd(res, 200, XLSX_MIME, fd, size);
    fd = -1;
    http_res_header(res, "Content-Disposition", disp);
    http_res_header(res, "Cache-Control", "private, no-store");
out:
    if (fd >= 0)
        close(fd);
    store_rows_free(r);
}

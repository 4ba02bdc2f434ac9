/*
 * transfer.c - importing and exporting regions, organizations and mediators as CSV or
 * XLSX (数据导入导出).
 *
 * An import is checked in full before anything is written: the preview lists every bad
 * row with its row number, column and reason; the commit writes all rows in one
 * transaction or none. Column headers and enumerated values may be written in Chinese
 * (as exports write them) or as API codes.
 */
#include "api/api.h"
#include "core/region.h"
#include "sheet/sheet.h"
#include "store/orgs.h"
#include "store/people.h"
#include "store/regions.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum kind { K_REGIONS, K_ORGS, K_MEDIATORS, K_NONE };

struct column {
    const char *key, *zh;
    int required;
    const struct vocab *vocab; /* values are vocabulary codes or names */
    int list;                  /* several values separated by , ， 、 ; */
};

static const struct column region_cols[] = {
    {"code", "区划代码", 1, NULL, 0},
    {"name", "名称", 1, NULL, 0},
    {"level", "层级", 1, &vocab_region_level, 0},
    {"parent_code", "上级代码", 1, NULL, 0},
    {"population", "人口", 0, NULL, 0},
    {"court", "基层人民法院", 0, NULL, 0},
    {NULL, NULL, 0, NULL, 0},
};
static const struct column org_cols[] = {
    {"name", "名称", 1, NULL, 0},
    {"type", "类型", 1, &vocab_org_type, 0},
    {"region_code", "区划代码", 1, NULL, 0},
    {"industry", "行业", 0, &vocab_industry, 0},
    {"address", "地址", 0, NULL, 0},
    {"phone", "电话", 0, NULL, 0},
    {"categories", "受理类别", 0, &vocab_category, 1},
    {"status", "状态", 0, &vocab_org_status, 0},
    {NULL, NULL, 0, NULL, 0},
};
static const struct column mediator_cols[] = {
    {"name", "姓名", 1, NULL, 0},
    {"gender", "性别", 0, &vocab_gender, 0},
    {"phone", "手机号", 0, NULL, 0},
    {"mediator_type", "类型", 1, &vocab_mediator_type, 0},
    {"grade", "等级", 1, &vocab_grade, 0},
    {"specialties", "专长", 0, &vocab_category, 1},
    {"org_names", "所属组织", 1, NULL, 1},
    {"status", "状态", 0, &vocab_person_status, 0},
    {NULL, NULL, 0, NULL, 0},
};

static const struct column *columns_of(enum kind k)
{
    return k == K_REGIONS ? region_cols : k == K_ORGS ? org_cols : mediator_cols;
}

#define MAX_COLS   12
#define MAX_ERRORS 500

/* One import being checked: the parsed sheet, where each column is, what is wrong. */
struct job {
    enum kind kind;
    struct http_req *req;
    struct sheet *sheet;
    int col[MAX_COLS]; /* column index in the sheet, -1 if absent */
    json_t *errors;    /* [{row, column, message, code}] */
    json_t *preview;   /* the first rows as parsed */
    int bad_rows;
    /* parsed rows, ready for the store */
    struct store_region_in *regions;
    struct store_org_in *orgs;
    struct store_mediator_in *mediators;
    int *rownums;
    int xlsx, csv; /* the declared type; neither: guess from the content */
    char **owned;  /* strings allocated while parsing, freed with the job */
    int nowned, capowned;
    int n;
};

static void job_error(struct job *j, int row, const char *column, const char *code, const char *fmt,
                      ...) __attribute__((format(printf, 5, 6)));

static void job_error(struct job *j, int row, const char *column, const char *code, const char *fmt,
                      ...)
{
    char msg[256];
    va_list ap;

    if (json_array_size(j->errors) >= MAX_ERRORS)
        return;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    json_array_append_new(j->errors, json_pack("{s:i, s:s, s:s, s:s}", "row", row, "column", column,
                                               "message", msg, "code", code));
}

/* Keeps a malloc'd string alive for the job's lifetime; returns it (NULL if out of memory). */
static char *own(struct job *j, char *s)
{
    if (!s)
        return NULL;
    if (j->nowned == j->capowned) {
        int cap = j->capowned ? j->capowned * 2 : 64;
        char **o = realloc(j->owned, (size_t)cap * sizeof *o);
        if (!o) {
            free(s);
            return NULL;
        }
        j->owned = o;
        j->capowned = cap;
    }
    j->owned[j->nowned++] = s;
    return s;
}

static void job_free(struct job *j)
{
    for (int i = 0; i < j->nowned; i++)
        free(j->owned[i]);
    free(j->owned);
    free(j->regions);
    free(j->orgs);
    free(j->mediators);
    free(j->rownums);
    json_decref(j->errors);
    json_decref(j->preview);
    sheet_free(j->sheet);
}

/* Trimmed copy of a cell (spaces, full-width spaces and tabs removed at both ends). */
static char *cell(struct job *j, const struct sheet_row *row, int c)
{
    const char *s = c >= 0 ? sheet_cell(row, c) : "";
    size_t n;

    for (;;) {
        if (*s == ' ' || *s == '\t')
            s++;
        else if (strncmp(s, "\u3000", 3) == 0)
            s += 3;
        else
            break;
    }
    n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        n--;
    while (n >= 3 && strncmp(s + n - 3, "\u3000", 3) == 0)
        n -= 3;
    return own(j, strndup(s, n));
}

/* Splits a list cell on , ， 、 ; ； into vocabulary codes; JSON array text or NULL. */
static char *vocab_list(struct job *j, int row, const struct column *col, const char *text)
{
    json_t *arr = json_array();
    char *copy = strdup(text), *p = copy, *out;

    while (p && *p) {
        size_t len = strcspn(p, ",;");
        /* Chinese separators are 3 bytes each; find the earliest of them. */
        const char *seps[] = {"，", "、", "；"};
        for (size_t s = 0; s < 3; s++) {
            char *q = strstr(p, seps[s]);
            if (q && (size_t)(q - p) < len)
                len = (size_t)(q - p);
        }
        char item[128];
        snprintf(item, sizeof item, "%.*s", (int)len, p);
        if (*item) {
            const char *code = col->vocab ? vocab_code(col->vocab, item) : item;
            if (!code) {
                job_error(j, row, col->zh, "invalid", "unknown %s '%s'", col->vocab->name, item);
                json_decref(arr);
                free(copy);
                return NULL;
            }
            json_array_append_new(arr, json_string(code));
        }
        p += len;
        if (*p == ',' || *p == ';')
            p++;
        else if (*p)
            p += 3;
    }
    free(copy);
    out = json_dumps(arr, JSON_COMPACT);
    json_decref(arr);
    return own(j, out);
}

/* Reads the header row into j->col; reports missing required columns. */
static int map_header(struct job *j)
{
    const struct column *cols = columns_of(j->kind);
    const struct sheet_row *head = &j->sheet->rows[0];
    int missing = 0;

    for (int c = 0; cols[c].key; c++) {
        j->col[c] = -1;
        for (int k = 0; k < head->ncells; k++) {
            const char *h = sheet_cell(head, k);
            if (strcmp(h, cols[c].key) == 0 || strcmp(h, cols[c].zh) == 0)
                j->col[c] = k;
        }
        if (j->col[c] < 0 && cols[c].required) {
            job_error(j, head->number, cols[c].zh, "required", "the column %s (%s) is missing",
                      cols[c].zh, cols[c].key);
            missing++;
        }
    }
    return missing;
}

/* Reads the values of one row by column; reports required and vocabulary errors. */
static int read_row(struct job *j, const struct sheet_row *row, char **v)
{
    const struct column *cols = columns_of(j->kind);
    int before = (int)json_array_size(j->errors);

    for (int c = 0; cols[c].key; c++) {
        v[c] = cell(j, row, j->col[c]);
        if (!v[c])
            return -1;
        if (!*v[c]) {
            if (cols[c].required)
                job_error(j, row->number, cols[c].zh, "required", "%s is empty", cols[c].zh);
            v[c] = NULL;
        } else if (cols[c].list) {
            v[c] = vocab_list(j, row->number, &cols[c], v[c]);
        } else if (cols[c].vocab) {
            const char *code = vocab_code(cols[c].vocab, v[c]);
            if (!code)
                job_error(j, row->number, cols[c].zh, "invalid", "unknown %s '%.40s'",
                          cols[c].vocab->name, v[c]);
            v[c] = (char *)code;
        } else if (utf8_len(v[c]) < 0 || utf8_len(v[c]) > 200) {
            job_error(j, row->number, cols[c].zh, "invalid",
                      "must be text of at most 200 characters");
        }
    }
    return (int)json_array_size(j->errors) > before;
}

static void check_phone(struct job *j, int row, const char *column, const char *phone)
{
    struct verr_list e = {0};
    if (phone && !verr_check_phone(&e, column, phone))
        job_error(j, row, column, "invalid", "%s", e.items[0].message);
}

static void parse_region(struct job *j, const struct sheet_row *row, char **v, int bad)
{
    struct api_ctx *ctx = api_ctx(j->req);
    struct store_actor everyone;
    struct store_region_in *in = &j->regions[j->n];
    int level = v[2] ? region_level_parse(v[2]) : 0;
    int64_t id, population = -1;
    char path[REGION_PATH_MAX], plevel[16];

    if (v[0] && level && !region_code_valid(v[0], level))
        job_error(j, row->number, "区划代码", "invalid",
                  "must be a 12-digit division code (grids: 12 to 20 digits)");
    if (v[5]) {
        struct verr_list e = {0};
        if (!verr_check_text(&e, "基层人民法院", v[5], 2, 64))
            job_error(j, row->number, "基层人民法院", e.items[0].code, "%s", e.items[0].message);
    }
    if (v[4]) {
        char *end;
        population = strtoll(v[4], &end, 10);
        if (*end || population < 0)
            job_error(j, row->number, "人口", "invalid", "must be a whole number");
    }
    store_actor_system(&everyone);
    if (v[0] && store_region_by_code(ctx->conn, &everyone, v[0], &id) == STORE_OK)
        job_error(j, row->number, "区划代码", "conflict", "the region %s already exists", v[0]);
    for (int i = 0; v[0] && i < j->n; i++)
        if (j->regions[i].code && strcmp(j->regions[i].code, v[0]) == 0)
            job_error(j, row->number, "区划代码", "conflict", "the code appears twice in the file");
    /* The parent is in the database (within scope) or earlier in this file. */
    if (v[3] && level) {
        int found = 0, plev = 0;
        for (int i = 0; i < j->n && !found; i++)
            if (j->regions[i].code && strcmp(j->regions[i].code, v[3]) == 0) {
                found = 1;
                plev = j->regions[i].level;
            }
        if (!found && store_region_by_code(ctx->conn, &ctx->actor, v[3], &id) == STORE_OK &&
            store_region_path(ctx->conn, &ctx->actor, id, path, sizeof path, plevel,
                              sizeof plevel) == STORE_OK) {
            found = 1;
            plev = region_level_parse(plevel);
        }
        if (!found)
            job_error(j, row->number, "上级代码", "not_found",
                      "no region %s in your area or earlier in the file", v[3]);
        else if (!region_level_child_ok(plev, level))
            job_error(j, row->number, "层级", "invalid", "a %s cannot be directly under a %s", v[2],
                      region_level_name(plev));
    }
    if (bad || !v[0] || !v[1] || !level)
        return;
    *in = (struct store_region_in){.code = v[0],
                                   .name = v[1],
                                   .level = level,
                                   .parent_code = v[3],
                                   .population = population,
                                   .court = v[5]};
}

static void parse_org(struct job *j, const struct sheet_row *row, char **v)
{
    struct api_ctx *ctx = api_ctx(j->req);
    struct store_org_in *in = &j->orgs[j->n];
    int64_t region_id = 0;

    check_phone(j, row->number, "电话", v[5]);
    if (v[2] && store_region_by_code(ctx->conn, &ctx->actor, v[2], &region_id) != STORE_OK)
        job_error(j, row->number, "区划代码", "not_found", "no region %s in your area", v[2]);
    for (int i = 0; v[0] && i < j->n; i++)
        if (j->orgs[i].name && strcmp(j->orgs[i].name, v[0]) == 0 &&
            j->orgs[i].region_id == region_id)
            job_error(j, row->number, "名称", "conflict",
                      "the organization appears twice in the file");
    *in = (struct store_org_in){.name = v[0],
                                .type = v[1],
                                .region_id = region_id,
                                .industry = v[3],
                                .address = v[4],
                                .phone = v[5],
                                .categories = v[6],
                                .status = v[7]};
}

static void parse_mediator(struct job *j, const struct sheet_row *row, char **v)
{
    struct api_ctx *ctx = api_ctx(j->req);
    struct store_mediator_in *in = &j->mediators[j->n];
    json_t *names = v[6] ? json_loads(v[6], 0, NULL) : NULL, *name;
    size_t i;

    check_phone(j, row->number, "手机号", v[2]);
    *in = (struct store_mediator_in){.name = v[0],
                                     .gender = v[1],
                                     .phone = v[2],
                                     .mediator_type = v[3],
                                     .grade = v[4],
                                     .specialties = v[5],
                                     .status = v[7]};
    json_array_foreach(names, i, name)
    {
        struct store_rows *r = NULL;
        const char *org = json_string_value(name);
        store_err e = store_org_by_name(ctx->conn, &ctx->actor, org, &r);
        if (e != STORE_OK || r->nrows == 0)
            job_error(j, row->number, "所属组织", "not_found",
                      "no organization named %s in your area", org);
        else if (r->nrows > 1)
            job_error(j, row->number, "所属组织", "invalid",
                      "several organizations are named %s; export them to see which", org);
        else if (in->norgs < STORE_MAX_ORGS)
            in->org_ids[in->norgs++] = store_rows_int(r, 0, 0);
        store_rows_free(r);
    }
    json_decref(names);
}

/* Parses and checks every row. Returns 0, or -1 when the file itself is unreadable
 * (the response is then already set). */
static int job_run(struct job *j, struct http_res *res)
{
    const struct column *cols = columns_of(j->kind);
    char err[256];
    int rows;

    /* Trust the declared type when there is one, so that a broken workbook is reported as
     * a broken workbook rather than as text that is not UTF-8. */
    if ((j->xlsx  ? sheet_read_xlsx(j->req->body, j->req->body_len, &j->sheet, err, sizeof err)
         : j->csv ? sheet_read_csv(j->req->body, j->req->body_len, &j->sheet, err, sizeof err)
                  : sheet_read(j->req->body, j->req->body_len, &j->sheet, err, sizeof err)) != 0) {
        http_problem(res, 400, "invalid-file", "Invalid File", err, NULL);
        return -1;
    }
    if (j->sheet->nrows < 1) {
        http_problem(res, 400, "invalid-file", "Invalid File", "the file is empty", NULL);
        return -1;
    }
    rows = j->sheet->nrows - 1;
    j->regions = calloc((size_t)rows + 1, sizeof *j->regions);
    j->orgs = calloc((size_t)rows + 1, sizeof *j->orgs);
    j->mediators = calloc((size_t)rows + 1, sizeof *j->mediators);
    j->rownums = calloc((size_t)rows + 1, sizeof *j->rownums);
    if (!j->regions || !j->orgs || !j->mediators || !j->rownums) {
        http_problem(res, 500, "internal", "Internal Server Error", "out of memory", NULL);
        return -1;
    }
    if (map_header(j))
        return 0;
    for (int r = 1; r <= rows; r++) {
        const struct sheet_row *row = &j->sheet->rows[r];
        char *v[MAX_COLS] = {0};
        int bad = read_row(j, row, v);

        if (bad < 0) {
            http_problem(res, 500, "internal", "Internal Server Error", "out of memory", NULL);
            return -1;
        }
        if (j->kind == K_REGIONS)
            parse_region(j, row, v, bad);
        else if (j->kind == K_ORGS)
            parse_org(j, row, v);
        else
            parse_mediator(j, row, v);
        if (json_array_size(j->preview) < 20) {
            json_t *o = json_pack("{s:i}", "row", row->number);
            for (int c = 0; cols[c].key; c++)
                json_object_set_new(o, cols[c].key,
                                    !v[c]          ? json_null()
                                    : cols[c].list ? json_loads(v[c], 0, NULL)
                                                   : json_string(v[c]));
            json_array_append_new(j->preview, o);
        }
        j->rownums[j->n] = row->number;
        j->n++;
    }
    /* Count distinct rows with errors. */
    {
        int last = -1;
        json_t *e;
        size_t i;
        json_array_foreach(j->errors, i, e)
        {
            int r = (int)json_integer_value(json_object_get(e, "row"));
            if (r != last)
                j->bad_rows++;
            last = r;
        }
    }
    return 0;
}

static enum kind kind_of(const char *s, size_t len)
{
    if (len == 7 && strncmp(s, "regions", 7) == 0)
        return K_REGIONS;
    if (len == 13 && strncmp(s, "organizations", 13) == 0)
        return K_ORGS;
    if (len == 9 && strncmp(s, "mediators", 9) == 0)
        return K_MEDIATORS;
    return K_NONE;
}

/* Sets up a job from /imports/{kind}...; answers 404 / 415 and returns -1 on a bad request. */
static int job_start(struct job *j, struct http_req *req, struct http_res *res)
{
    const char *ct = http_header(req, "Content-Type");

    memset(j, 0, sizeof *j);
    j->req = req;
    j->kind = kind_of(req->params[0], strlen(req->params[0]));
    j->errors = json_array();
    j->preview = json_array();
    if (j->kind == K_NONE) {
        http_problem(res, 404, "not-found", "Not Found",
                     "import regions, organizations or mediators", NULL);
        return -1;
    }
    if (!ct || (strncasecmp(ct, "text/csv", 8) != 0 &&
                strncasecmp(ct, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                            65) != 0 &&
                strncasecmp(ct, "application/octet-stream", 24) != 0)) {
        http_problem(res, 415, "unsupported-media-type", "Unsupported Media Type",
                     "send the file as text/csv or as an .xlsx spreadsheet", NULL);
        return -1;
    }
    j->csv = strncasecmp(ct, "text/csv", 8) == 0;
    j->xlsx = strncasecmp(ct, "application/vnd.openxmlformats", 30) == 0;
    return 0;
}

void api_import_preview(struct http_req *req, struct http_res *res)
{
    struct job j;

    if (job_start(&j, req, res) == 0 && job_run(&j, res) == 0)
        http_res_json(res, 200,
                      json_pack("{s:i, s:i, s:O, s:O}", "rows", j.sheet->nrows - 1, "valid",
                                j.sheet->nrows - 1 - j.bad_rows, "errors", j.errors, "preview",
                                j.preview));
    job_free(&j);
}

void api_import_commit(struct http_req *req, struct http_res *res)
{
    struct api_ctx *ctx = api_ctx(req);
    struct job j;
    store_err e;

    if (job_start(&j, req, res) != 0 || job_run(&j, res) != 0)
        goto out;
    if (json_array_size(j.errors) > 0 || j.n == 0) {
        json_t *errs = json_array(), *item;
        size_t i;
        char field[160], detail[96];
        if (j.n == 0 && json_array_size(j.errors) == 0)
            job_error(&j, 1, "", "required", "the file has no data rows");
        json_array_foreach(j.errors, i, item)
        {
            snprintf(field, sizeof field, "row %lld: %s",
                     (long long)json_integer_value(json_object_get(item, "row")),
                     json_string_value(json_object_get(item, "column")));
            json_array_append_new(errs, json_pack("{s:s, s:O, s:O}", "field", field, "code",
                                                  json_object_get(item, "code"), "message",
                                                  json_object_get(item, "message")));
        }
        snprintf(detail, sizeof detail, "%d row%s cannot be imported; nothing was written",
                 j.bad_rows ? j.bad_rows : 1, j.bad_rows == 1 ? "" : "s");
        /* A validation problem; `rows` lets a client show the same table as the preview. */
        http_res_json(res, 400,
                      json_pack("{s:s, s:s, s:i, s:s, s:o, s:O}", "type",
                                "urn:jiefen:problem:validation", "title", "Validation Failed",
                                "status", 400, "detail", detail, "errors", errs, "rows", j.errors));
        res->content_type = "application/problem+json";
        goto out;
    }
    if (j.kind == K_REGIONS)
        e = store_region_import(ctx->conn, &ctx->actor, j.regions, j.n, j.rownums);
    else if (j.kind == K_ORGS)
        e = store_org_import(ctx->conn, &ctx->actor, j.orgs, j.n, j.rownums);
    else
        e = store_mediator_import(ctx->conn, &ctx->actor, j.mediators, j.n, j.rownums);
    if (e != STORE_OK) {
        api_store_error(res, ctx->conn, e);
        goto out;
    }
    http_res_json(res, 201, json_pack("{s:i}", "created", j.n));
out:
    job_free(&j);
}

/* ---- export ---- */

/* The text of an exported value: vocabulary codes become their Chinese names. */
static const char *export_value(const struct column *col, const char *v, char *buf, size_t n)
{
    json_t *arr, *item;
    size_t i, len = 0;

    if (!v)
        return "";
    if (!col->list)
        return col->vocab && vocab_zh(col->vocab, v) ? vocab_zh(col->vocab, v) : v;
    arr = json_loads(v, 0, NULL);
    buf[0] = '\0';
    json_array_foreach(arr, i, item)
    {
        const char *s = json_is_string(item) ? json_string_value(item)
                                             : json_string_value(json_object_get(item, "name"));
        const char *zh = s && col->vocab ? vocab_zh(col->vocab, s) : s;
        if (zh && len < n)
            len += (size_t)snprintf(buf + len, n - len, "%s%s", i ? "、" : "", zh);
    }
    json_decref(arr);
    return buf;
}

void api_export(struct http_req *req, struct http_res *res)
{
    struct api_ctx *ctx = api_ctx(req);
    const char *file = req->params[0], *dot = strrchr(file, '.');
    enum kind k = dot ? kind_of(file, (size_t)(dot - file)) : K_NONE;
    int xlsx = dot && strcmp(dot, ".xlsx") == 0, csv = dot && strcmp(dot, ".csv") == 0;
    const struct column *cols;
    struct store_rows *rows = NULL;
    struct sheet *s = NULL;
    char *buf = NULL, err[256], disposition[128];
    const char *cells[MAX_COLS];
    size_t len = 0;
    int ncols = 0;
    store_err e;

    if (k == K_NONE || (!xlsx && !csv)) {
        http_problem(res, 404, "not-found", "Not Found",
                     "export regions, organizations or mediators as .xlsx or .csv", NULL);
        return;
    }
    cols = columns_of(k);
    e = k == K_REGIONS ? store_region_export(ctx->conn, &ctx->actor, &rows)
        : k == K_ORGS  ? store_org_export(ctx->conn, &ctx->actor, &rows)
                       : store_mediator_export(ctx->conn, &ctx->actor, &rows);
    if (e != STORE_OK) {
        api_store_error(res, ctx->conn, e);
        return;
    }
    s = sheet_new();
    for (ncols = 0; cols[ncols].key; ncols++)
        cells[ncols] = cols[ncols].zh;
    if (!s || sheet_add_row(s, ncols, cells) != 0)
        goto oom;
    for (int r = 0; r < rows->nrows; r++) {
        char bufs[MAX_COLS][512];
        for (int c = 0; c < ncols; c++)
            cells[c] = export_value(&cols[c], store_rows_get(rows, r, c), bufs[c], sizeof bufs[c]);
        if (sheet_add_row(s, ncols, cells) != 0)
            goto oom;
    }
    if ((xlsx ? sheet_write_xlsx(s, "jiefen", &buf, &len, err, sizeof err)
              : sheet_write_csv(s, &buf, &len, err, sizeof err)) != 0) {
        http_problem(res, 500, "internal", "Internal Server Error", err, NULL);
        goto out;
    }
    snprintf(disposition, sizeof disposition, "attachment; filename=\"%s\"", file);
    http_res_bytes(res, 200,
                   xlsx ? "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
                        : "text/csv; charset=utf-8",
                   buf, len);
    http_res_header(res, "Content-Disposition", disposition);
    goto out;
oom:
    http_problem(res, 500, "internal", "Internal Server Error", "out of memory", NULL);
out:
    sheet_free(s);
    store_rows_free(rows);
}

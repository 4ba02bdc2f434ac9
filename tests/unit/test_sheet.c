/* test_sheet.c - CSV and XLSX import/export: parsing, limits, round trips, hostile files. */
#include "unit.h"

#include "sheet/sheet.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zip.h>

/* ---- helpers ---- */

struct entry {
    const char *name;
    const char *data;
    size_t len; /* 0: strlen(data) */
};

/* Builds a zip in memory with libzip; the caller frees the result. */
static char *build_zip(const struct entry *e, int n, size_t *len)
{
    zip_error_t ze;
    zip_source_t *src;
    zip_t *za;
    zip_stat_t st;
    char *buf;

    zip_error_init(&ze);
    src = zip_source_buffer_create(NULL, 0, 0, &ze);
    assert_non_null(src);
    zip_source_keep(src);
    za = zip_open_from_source(src, ZIP_TRUNCATE, &ze);
    assert_non_null(za);
    for (int i = 0; i < n; i++) {
        size_t l = e[i].len ? e[i].len : strlen(e[i].data);
        zip_source_t *s = zip_source_buffer(za, e[i].data, l, 0);

        assert_non_null(s);
        assert_true(zip_file_add(za, e[i].name, s, ZIP_FL_ENC_UTF_8) >= 0);
    }
    assert_int_equal(zip_close(za), 0);
    assert_int_equal(zip_source_stat(src, &st), 0);
    assert_int_equal(zip_source_open(src), 0);
    buf = malloc(st.size);
    assert_non_null(buf);
    assert_int_equal(zip_source_read(src, buf, st.size), (zip_int64_t)st.size);
    zip_source_close(src);
    zip_source_free(src);
    zip_error_fini(&ze);
    *len = st.size;
    return buf;
}

/* Reads one entry of a zip held in memory into a NUL-terminated string; caller frees. */
static char *unzip_entry(const char *zipbuf, size_t len, const char *name)
{
    zip_source_t *src = zip_source_buffer_create(zipbuf, len, 0, NULL);
    zip_t *za = zip_open_from_source(src, ZIP_RDONLY, NULL);
    zip_stat_t st;
    zip_file_t *zf;
    char *out;

    assert_non_null(za);
    assert_int_equal(zip_stat(za, name, 0, &st), 0);
    out = calloc(1, st.size + 1);
    zf = zip_fopen(za, name, 0);
    assert_non_null(zf);
    assert_int_equal(zip_fread(zf, out, st.size), (zip_int64_t)st.size);
    zip_fclose(zf);
    zip_discard(za);
    return out;
}

static const char *WORKBOOK =
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
    "<workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" "
    "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">"
    "<sheets><sheet name=\"S\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>";
static const char *RELS =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
    "<Relationship Id=\"rId1\" "
    "Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" "
    "Target=\"worksheets/sheet1.xml\"/></Relationships>";
#define NS "xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\""

/* A minimal xlsx: workbook, rels, optional shared strings, and sheet1. Caller frees. */
static char *make_xlsx(const char *sheet_xml, const char *sst_xml, size_t *len)
{
    struct entry e[4] = {
        {"xl/workbook.xml", WORKBOOK, 0},
        {"xl/_rels/workbook.xml.rels", RELS, 0},
        {"xl/worksheets/sheet1.xml", sheet_xml, 0},
        {"xl/sharedStrings.xml", sst_xml, 0},
    };

    return build_zip(e, sst_xml ? 4 : 3, len);
}

/* Reads an xlsx made of this worksheet XML (and shared strings); asserts the outcome. */
static struct sheet *read_sheet_xml(const char *sheet_xml, const char *sst_xml, int want_rc,
                                    char *err, size_t errlen)
{
    size_t len;
    char *zip = make_xlsx(sheet_xml, sst_xml, &len);
    struct sheet *s = NULL;

    assert_int_equal(sheet_read_xlsx(zip, len, &s, err, errlen), want_rc);
    free(zip);
    if (want_rc < 0)
        assert_null(s);
    return s;
}

static void assert_row(const struct sheet *s, int i, int number, int ncells,
                       const char *const *cells)
{
    assert_true(i < s->nrows);
    assert_int_equal(s->rows[i].number, number);
    assert_int_equal(s->rows[i].ncells, ncells);
    for (int c = 0; c < ncells; c++)
        assert_string_equal(s->rows[i].cells[c], cells[c]);
}

static void assert_same_cells(const struct sheet *a, const struct sheet *b)
{
    assert_int_equal(a->nrows, b->nrows);
    for (int r = 0; r < a->nrows; r++) {
        assert_int_equal(a->rows[r].ncells, b->rows[r].ncells);
        for (int c = 0; c < a->rows[r].ncells; c++)
            assert_string_equal(a->rows[r].cells[c], b->rows[r].cells[c]);
    }
}

/* The table both round trips use: Chinese text, empty cells inside rows, numbers kept
 * as written (leading zeros, 12-digit codes), and characters CSV must quote. */
static struct sheet *sample_sheet(void)
{
    static const char *const rows[][5] = {
        {"编码", "名称", "上级编码", "电话", "备注"},
        {"510703001003", "塘汛镇东街村人民调解委员会", "", "0816-2222348", "3"},
        {"510703001008", "西街村", "510703001", "", "2.5"},
        {"1", "含,逗号", "含\"引号\"", "多行\r\n第二行", "-0.125"},
        {"", "", "只有中间", "", "_x0041_ 字面"},
    };
    struct sheet *s = sheet_new();

    assert_non_null(s);
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
        assert_int_equal(sheet_add_row(s, 5, rows[i]), 0);
    return s;
}

/* ---- CSV ---- */

static void csv_reads_quotes_doubled_quotes_and_embedded_newlines(void **state)
{
    const char in[] = "name,note\n\"Wang, Li\",\"said \"\"hi\"\"\"\n\"two\nlines\",\"\"\n";
    static const char *const r1[] = {"name", "note"};
    static const char *const r2[] = {"Wang, Li", "said \"hi\""};
    static const char *const r3[] = {"two\nlines"};
    struct sheet *s = NULL;
    char err[256];

    assert_int_equal(sheet_read_csv(in, strlen(in), &s, err, sizeof err), 0);
    assert_int_equal(s->nrows, 3);
    assert_row(s, 0, 1, 2, r1);
    assert_row(s, 1, 2, 2, r2);
    /* The quoted "" at the end is an empty trailing cell: dropped. */
    assert_row(s, 2, 3, 1, r3);
    assert_string_equal(sheet_cell(&s->rows[2], 1), "");
    assert_string_equal(sheet_cell(&s->rows[2], 99), "");
    sheet_free(s);
}

static void csv_skips_bom_and_accepts_crlf_lf_and_cr(void **state)
{
    const char in[] = "\xef\xbb\xbf"
                      "编码,名称\r\n"
                      "1,甲\n"
                      "2,乙\r"
                      "3,丙";
    static const char *const r1[] = {"编码", "名称"};
    static const char *const r4[] = {"3", "丙"};
    struct sheet *s = NULL;
    char err[256];

    assert_int_equal(sheet_read_csv(in, strlen(in), &s, err, sizeof err), 0);
    assert_int_equal(s->nrows, 4);
    assert_row(s, 0, 1, 2, r1); /* the BOM is not part of A1 */
    assert_string_equal(s->rows[1].cells[1], "甲");
    assert_string_equal(s->rows[2].cells[1], "乙");
    assert_row(s, 3, 4, 2, r4); /* no line break after the last record */
    sheet_free(s);

    assert_int_equal(sheet_read_csv("", 0, &s, err, sizeof err), 0);
    assert_int_equal(s->nrows, 0);
    sheet_free(s);
}

static void csv_skips_blank_rows_keeping_row_numbers(void **state)
{
    const char in[] = "a,b,,\r\n\r\n,,\r\nc\r\n";
    static const char *const r1[] = {"a", "b"};
    static const char *const r4[] = {"c"};
    struct sheet *s = NULL;
    char err[256];

    assert_int_equal(sheet_read_csv(in, strlen(in), &s, err, sizeof err), 0);
    assert_int_equal(s->nrows, 2);
    assert_row(s, 0, 1, 2, r1);
    assert_row(s, 1, 4, 1, r4);
    sheet_free(s);
}

static void csv_rejects_invalid_utf8_naming_the_row(void **state)
{
    /* "中文" in GBK, as a CSV saved by Excel's plain "CSV" on a Chinese Windows. */
    const char in[] = "name\nok\n\"multi\nline\"\n\xd6\xd0\xce\xc4\n";
    struct sheet *s = (struct sheet *)1;
    char err[256];

    assert_int_equal(sheet_read_csv(in, strlen(in), &s, err, sizeof err), -1);
    assert_null(s);
    assert_non_null(strstr(err, "row 4:"));
    assert_non_null(strstr(err, "UTF-8"));
    /* Overlong, surrogate and NUL bytes are refused too. */
    assert_int_equal(sheet_read_csv("\xc0\xaf", 2, &s, err, sizeof err), -1);
    assert_int_equal(sheet_read_csv("\xed\xa0\x80", 3, &s, err, sizeof err), -1);
    assert_int_equal(sheet_read_csv("a\0b", 3, &s, err, sizeof err), -1);
    assert_non_null(strstr(err, "row 1:"));
}

static void csv_rejects_too_many_columns(void **state)
{
    char *in = malloc(4 * 300 + 16), *p = in; /* two rows of at most 257 cells */
    struct sheet *s = NULL;
    char err[256];

    /* 256 values are fine, and empty fields past them are dropped... */
    for (int i = 0; i < SHEET_MAX_COLS; i++)
        p += sprintf(p, "%sx", i ? "," : "");
    p += sprintf(p, ",,,,\n");
    assert_int_equal(sheet_read_csv(in, (size_t)(p - in), &s, err, sizeof err), 0);
    assert_int_equal(s->rows[0].ncells, SHEET_MAX_COLS);
    sheet_free(s);
    /* ...but a 257th value is refused, naming the row. */
    for (int i = 0; i <= SHEET_MAX_COLS; i++)
        p += sprintf(p, "%sy", i ? "," : "");
    assert_int_equal(sheet_read_csv(in, (size_t)(p - in), &s, err, sizeof err), -1);
    assert_null(s);
    assert_non_null(strstr(err, "row 2: more than 256 columns"));
    free(in);
}

static void csv_rejects_unclosed_quote_naming_its_row(void **state)
{
    const char in[] = "a\nb\n\"open,\nc\nd\n";
    struct sheet *s = NULL;
    char err[256];

    assert_int_equal(sheet_read_csv(in, strlen(in), &s, err, sizeof err), -1);
    assert_non_null(strstr(err, "row 3:"));
}

static void csv_rejects_oversized_cells_rows_and_input(void **state)
{
    size_t n = SHEET_MAX_CELL + 1;
    char *in = malloc(2 * SHEET_MAX_ROWS + 16);
    struct sheet *s = NULL;
    char err[256];

    memset(in, 'x', n);
    assert_int_equal(sheet_read_csv(in, n, &s, err, sizeof err), -1);
    assert_non_null(strstr(err, "longer than"));
    assert_int_equal(sheet_read_csv(in, n - 1, &s, err, sizeof err), 0);
    sheet_free(s);

    for (int i = 0; i <= SHEET_MAX_ROWS; i++)
        memcpy(in + 2 * i, "x\n", 2);
    assert_int_equal(sheet_read_csv(in, 2 * SHEET_MAX_ROWS, &s, err, sizeof err), 0);
    assert_int_equal(s->nrows, SHEET_MAX_ROWS);
    sheet_free(s);
    assert_int_equal(sheet_read_csv(in, 2 * (SHEET_MAX_ROWS + 1), &s, err, sizeof err), -1);
    assert_non_null(strstr(err, "row 100001: more than 100000 rows"));
    free(in);

    /* The length alone is refused before anything is read. */
    assert_int_equal(sheet_read_csv("", (size_t)SHEET_MAX_INPUT + 1, &s, err, sizeof err), -1);
    assert_int_equal(sheet_read_xlsx("", (size_t)SHEET_MAX_INPUT + 1, &s, err, sizeof err), -1);
}

static void csv_writer_adds_bom_crlf_and_quotes_only_when_needed(void **state)
{
    static const char *const r1[] = {"a", "b,c", "say \"hi\"", ""};
    static const char *const r2[] = {"多\n行", "x"};
    const char want[] = "\xef\xbb\xbf"
                        "a,\"b,c\",\"say \"\"hi\"\"\",\r\n"
                        "\"多\n行\",x\r\n";
    struct sheet *s = sheet_new();
    char *buf, err[256];
    size_t len;

    assert_int_equal(sheet_add_row(s, 4, r1), 0);
    assert_int_equal(sheet_add_row(s, 2, r2), 0);
    assert_int_equal(sheet_write_csv(s, &buf, &len, err, sizeof err), 0);
    assert_int_equal(len, strlen(want));
    assert_memory_equal(buf, want, len);
    free(buf);
    sheet_free(s);
}

static void csv_round_trip_keeps_every_cell(void **state)
{
    struct sheet *s = sample_sheet(), *back = NULL;
    char *buf, err[256];
    size_t len;

    assert_int_equal(sheet_write_csv(s, &buf, &len, err, sizeof err), 0);
    assert_int_equal(sheet_read(buf, len, &back, err, sizeof err), 0);
    assert_same_cells(s, back);
    free(buf);
    sheet_free(back);
    sheet_free(s);
}

/* ---- streamed writer ---- */

/* Reads a finished stream's file back into memory (the test's, not the writer's). */
static char *slurp(int fd, unsigned long long size)
{
    char *buf = malloc(size ? size : 1);
    size_t got = 0;

    assert_non_null(buf);
    while (got < size) {
        ssize_t n = read(fd, buf + got, size - got);
        assert_true(n > 0);
        got += (size_t)n;
    }
    close(fd);
    return buf;
}

/* Writes the sample sheet's rows plus `extra` generated ones through a stream, reads the
 * file back with the reader and compares every cell. */
static void stream_round_trip(int xlsx, int extra)
{
    struct sheet *s = sample_sheet(), *back = NULL;
    struct sheet_stream *w;
    char err[256], *buf, cell[3][32];
    const char *cells[3] = {cell[0], cell[1], cell[2]};
    unsigned long long size;
    int fd, ncols = s->rows[0].ncells;

    assert_true(ncols >= 3);
    w = sheet_stream_open(xlsx, "台账", 3, (const char *const *)s->rows[0].cells, NULL, err,
                          sizeof err);
    assert_non_null(w);
    for (int r = 1; r < s->nrows; r++) {
        const char *row[3] = {sheet_cell(&s->rows[r], 0), sheet_cell(&s->rows[r], 1),
                              sheet_cell(&s->rows[r], 2)};
        assert_int_equal(sheet_stream_row(w, row, err, sizeof err), 0);
    }
    for (int i = 0; i < extra; i++) {
        snprintf(cell[0], sizeof cell[0], "%05d", i);
        snprintf(cell[1], sizeof cell[1], "第%d行,\"引号\"", i);
        snprintf(cell[2], sizeof cell[2], "x");
        assert_int_equal(sheet_stream_row(w, cells, err, sizeof err), 0);
    }
    assert_int_equal(sheet_stream_finish(w, &fd, &size, err, sizeof err), 0);
    buf = slurp(fd, size);
    if (!xlsx)
        assert_memory_equal(buf, "\xef\xbb\xbf", 3);
    assert_int_equal(sheet_read(buf, size, &back, err, sizeof err), 0);
    assert_int_equal(back->nrows, s->nrows + extra);
    for (int r = 0; r < s->nrows; r++)
        for (int c = 0; c < 3; c++)
            assert_string_equal(sheet_cell(&back->rows[r], c), sheet_cell(&s->rows[r], c));
    assert_string_equal(sheet_cell(&back->rows[s->nrows + extra - 1], 0), "04999");
    assert_string_equal(sheet_cell(&back->rows[s->nrows + 7], 1), "第7行,\"引号\"");
    if (xlsx) {
        char *xml = unzip_entry(buf, size, "xl/worksheets/sheet1.xml");
        assert_non_null(strstr(xml, "<pane ySplit=\"1\""));
        assert_non_null(strstr(xml, "<autoFilter ref=\"A1:C"));
        free(xml);
    }
    free(buf);
    sheet_free(back);
    sheet_free(s);
}

static void stream_csv_round_trip(void **state)
{
    (void)state;
    stream_round_trip(0, 5000);
}

static void stream_xlsx_round_trip(void **state)
{
    (void)state;
    stream_round_trip(1, 5000);
}

static void stream_refuses_invalid_utf8(void **state)
{
    const char *head[] = {"a"}, *bad[] = {"\xff"};
    char err[256];
    struct sheet_stream *w = sheet_stream_open(0, NULL, 1, head, NULL, err, sizeof err);

    (void)state;
    assert_non_null(w);
    assert_int_equal(sheet_stream_row(w, bad, err, sizeof err), -1);
    assert_non_null(strstr(err, "UTF-8"));
    sheet_stream_free(w);
}

/* ---- XLSX ---- */

static void xlsx_round_trip_keeps_every_cell(void **state)
{
    struct sheet *s = sample_sheet(), *back = NULL;
    char *buf, err[256];
    size_t len;

    assert_int_equal(sheet_write_xlsx(s, "调解组织", &buf, &len, err, sizeof err), 0);
    assert_true(len > 4 && memcmp(buf, "PK\x03\x04", 4) == 0);
    assert_int_equal(sheet_read(buf, len, &back, err, sizeof err), 0);
    assert_same_cells(s, back);
    free(buf);
    sheet_free(back);
    sheet_free(s);
}

/* Width of column `col` (1-based) as written in the worksheet's <cols>. */
static double col_width(const char *xml, int col)
{
    char key[64];
    const char *p;

    snprintf(key, sizeof key, "<col min=\"%d\" max=\"%d\" width=\"", col, col);
    p = strstr(xml, key);
    assert_non_null(p);
    return strtod(p + strlen(key), NULL);
}

static void xlsx_writer_bolds_header_and_fits_columns(void **state)
{
    static const char *const head[] = {"name", "名称", "x"};
    static const char *const row[] = {"abcdefghijkl", "调解委员会调解委员会", ""};
    struct sheet *s = sheet_new();
    char *buf, *xml, *styles, *wb, err[256];
    size_t len;

    assert_int_equal(sheet_add_row(s, 3, head), 0);
    assert_int_equal(sheet_add_row(s, 3, row), 0);
    assert_int_equal(sheet_write_xlsx(s, "调解员", &buf, &len, err, sizeof err), 0);
    xml = unzip_entry(buf, len, "xl/worksheets/sheet1.xml");
    styles = unzip_entry(buf, len, "xl/styles.xml");
    wb = unzip_entry(buf, len, "xl/workbook.xml");
    assert_non_null(strstr(wb, "name=\"调解员\""));
    assert_non_null(strstr(styles, "<b/>"));
    /* Header cells carry the bold style (index 1); data cells the default. */
    assert_non_null(strstr(xml, "<c r=\"A1\" s=\"1\""));
    assert_null(strstr(xml, "<c r=\"A2\" s="));
    assert_non_null(strstr(xml, "<pane ySplit=\"1\""));
    /* 12 Latin characters vs 10 CJK ones: the CJK column is wider; short ones get 8. */
    assert_true(col_width(xml, 1) >= 14 && col_width(xml, 1) < 15);
    assert_true(col_width(xml, 2) >= 22 && col_width(xml, 2) < 23);
    assert_true(col_width(xml, 3) >= 8 && col_width(xml, 3) < 9);
    free(xml);
    free(styles);
    free(wb);
    free(buf);

    assert_int_equal(sheet_write_xlsx(s, "bad/name", &buf, &len, err, sizeof err), -1);
    assert_null(buf);
    assert_non_null(strstr(err, "worksheet name"));
    sheet_free(s);
}

static void xlsx_reads_shared_inline_sparse_numbers_and_rich_text(void **state)
{
    const char *sst = "<sst " NS " count=\"4\" uniqueCount=\"3\">"
                      "<si><t>编码</t></si>"
                      "<si><r><rPr><b/></rPr><t>塘汛</t></r><r><t xml:space=\"preserve\">镇 "
                      "</t></r><rPh sb=\"0\" eb=\"1\"><t>tang</t></rPh></si>"
                      "<si><t>a &amp; b</t></si>"
                      "</sst>";
    const char *xml = "<worksheet " NS "><dimension ref=\"A1:C7\"/><sheetData>"
                      "<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c>"
                      "<c r=\"C1\" t=\"inlineStr\"><is><t>行内</t></is></c></row>"
                      "<row r=\"3\"><c r=\"A3\"><v>3</v></c><c r=\"B3\"><v>2.5</v></c>"
                      "<c r=\"C3\" t=\"s\"><v>1</v></c></row>"
                      "<row r=\"4\"><c r=\"B4\" t=\"b\"><v>1</v></c>"
                      "<c r=\"C4\" t=\"str\"><f>A1&amp;\"\"</f><v>公式</v></c>"
                      "<c r=\"D4\" t=\"s\"><v>2</v></c><c r=\"E4\" t=\"e\"><v>#N/A</v></c></row>"
                      "<row r=\"5\"><c r=\"A5\" s=\"3\"/><c r=\"Z5\" s=\"3\"/></row>"
                      "<row r=\"7\"><c r=\"A7\"><v>510703001003</v></c>"
                      "<c r=\"B7\"><v>1E-3</v></c><c r=\"C7\"><v>0.30000000000000004</v></c>"
                      "<c r=\"D7\"><v>3.0</v></c><c r=\"E7\"><v>-0</v></c>"
                      "<c r=\"F7\"><v>1e20</v></c><c r=\"G7\" t=\"inlineStr\"><is>"
                      "<r><t>富</t></r><r><rPr><i/></rPr><t>文本</t></r></is></c></row>"
                      "<row><c><v>8</v></c><c t=\"b\"><v>0</v></c></row>"
                      "</sheetData></worksheet>";
    static const char *const r1[] = {"编码", "", "行内"};
    static const char *const r3[] = {"3", "2.5", "塘汛镇 "};
    static const char *const r4[] = {"", "TRUE", "公式", "a & b", "#N/A"};
    static const char *const r7[] = {"510703001003", "0.001", "0.30000000000000004", "3", "0",
                                     "1e+20",        "富文本"};
    static const char *const r8[] = {"8", "FALSE"};
    char err[256];
    struct sheet *s = read_sheet_xml(xml, sst, 0, err, sizeof err);

    assert_int_equal(s->nrows, 5); /* row 5 holds only blank styled cells: skipped */
    assert_row(s, 0, 1, 3, r1);
    assert_row(s, 1, 3, 3, r3);
    assert_row(s, 2, 4, 5, r4);
    assert_row(s, 3, 7, 7, r7);
    assert_row(s, 4, 8, 2, r8); /* no r: after the previous row and cell */
    sheet_free(s);
}

static void xlsx_finds_first_worksheet_through_rels(void **state)
{
    /* The first tab is a chart; the first worksheet lives at a non-default name. */
    const char *wb = "<workbook " NS " xmlns:r=\"http://schemas.openxmlformats.org/"
                     "officeDocument/2006/relationships\"><sheets>"
                     "<sheet name=\"图\" sheetId=\"3\" r:id=\"rId7\"/>"
                     "<sheet name=\"数据\" sheetId=\"1\" r:id=\"rId2\"/>"
                     "<sheet name=\"其他\" sheetId=\"2\" r:id=\"rId1\"/></sheets></workbook>";
    const char *rels =
        "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
        "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/"
        "2006/relationships/worksheet\" Target=\"worksheets/sheet1.xml\"/>"
        "<Relationship Id=\"rId7\" Type=\"http://schemas.openxmlformats.org/officeDocument/"
        "2006/relationships/chartsheet\" Target=\"chartsheets/sheet1.xml\"/>"
        "<Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/officeDocument/"
        "2006/relationships/worksheet\" Target=\"/xl/worksheets/data.xml\"/>"
        "</Relationships>";
    const char *first = "<worksheet " NS "><sheetData><row r=\"2\"><c r=\"B2\" "
                        "t=\"inlineStr\"><is><t>first</t></is></c></row></sheetData></worksheet>";
    const char *other = "<worksheet " NS "><sheetData><row r=\"1\"><c r=\"A1\" "
                        "t=\"inlineStr\"><is><t>other</t></is></c></row></sheetData></worksheet>";
    struct entry e[] = {
        {"xl/workbook.xml", wb, 0},
        {"xl/_rels/workbook.xml.rels", rels, 0},
        {"xl/worksheets/sheet1.xml", other, 0},
        {"xl/worksheets/data.xml", first, 0},
    };
    struct sheet *s = NULL;
    char *zip, err[256];
    size_t len;

    zip = build_zip(e, 4, &len);
    assert_int_equal(sheet_read_xlsx(zip, len, &s, err, sizeof err), 0);
    assert_int_equal(s->nrows, 1);
    assert_int_equal(s->rows[0].number, 2);
    assert_string_equal(sheet_cell(&s->rows[0], 1), "first");
    sheet_free(s);
    free(zip);

    /* Without a workbook part, xl/worksheets/sheet1.xml is read. */
    zip = build_zip(e + 2, 2, &len);
    assert_int_equal(sheet_read_xlsx(zip, len, &s, err, sizeof err), 0);
    assert_string_equal(sheet_cell(&s->rows[0], 0), "other");
    sheet_free(s);
    free(zip);

    /* A zip with no worksheet at all (a .docx, say) is refused. */
    zip = build_zip(e, 2, &len);
    assert_int_equal(sheet_read_xlsx(zip, len, &s, err, sizeof err), -1);
    assert_non_null(strstr(err, "no worksheet"));
    free(zip);
}

static void xlsx_decodes_escaped_characters(void **state)
{
    /* Excel writes CR as _x000D_ and a literal "_x0041_" as "_x005F_x0041_". */
    const char *xml = "<worksheet " NS "><sheetData><row r=\"1\">"
                      "<c r=\"A1\" t=\"inlineStr\"><is><t>a_x000D_&#10;b</t></is></c>"
                      "<c r=\"B1\" t=\"inlineStr\"><is><t>_x005F_x0041_ _x0000_ _xzz12_"
                      "</t></is></c></row></sheetData></worksheet>";
    static const char *const r1[] = {"a\r\nb", "_x0041_ _x0000_ _xzz12_"};
    char err[256];
    struct sheet *s = read_sheet_xml(xml, NULL, 0, err, sizeof err);

    assert_row(s, 0, 1, 2, r1);
    sheet_free(s);
}

static void xlsx_writer_output_survives_control_characters(void **state)
{
    static const char *const r1[] = {"tab\there", "bell\a", "cr\rlf"};
    struct sheet *s = sheet_new(), *back = NULL;
    char *buf, err[256];
    size_t len;

    assert_int_equal(sheet_add_row(s, 3, r1), 0);
    assert_int_equal(sheet_write_xlsx(s, NULL, &buf, &len, err, sizeof err), 0);
    assert_int_equal(sheet_read_xlsx(buf, len, &back, err, sizeof err), 0);
    assert_same_cells(s, back);
    free(buf);
    sheet_free(back);
    sheet_free(s);
}

static void xlsx_rejects_truncated_and_garbage_files(void **state)
{
    struct sheet *s = sample_sheet(), *back = NULL;
    char *buf, err[256];
    size_t len;

    assert_int_equal(sheet_write_xlsx(s, "S", &buf, &len, err, sizeof err), 0);
    /* Cut anywhere: refused cleanly, never a crash or a partial sheet. */
    for (size_t cut = 0; cut < len; cut += len / 97 + 1) {
        assert_int_equal(sheet_read_xlsx(buf, cut, &back, err, sizeof err), -1);
        assert_null(back);
    }
    /* Flipped bytes in the compressed data fail the CRC or the XML. */
    for (size_t i = 100; i < len - 100; i += len / 31) {
        buf[i] ^= 0x55;
        if (sheet_read_xlsx(buf, len, &back, err, sizeof err) == 0)
            sheet_free(back);
        buf[i] ^= 0x55;
    }
    free(buf);
    assert_int_equal(sheet_read_xlsx("PK\x03\x04garbage", 11, &back, err, sizeof err), -1);
    assert_non_null(strstr(err, "not a readable .xlsx"));
    assert_int_equal(sheet_read("PK\x03\x04", 4, &back, err, sizeof err), -1);
    sheet_free(s);

    /* Not well-formed XML inside a sound zip. */
    read_sheet_xml("<worksheet><sheetData><row>", NULL, -1, err, sizeof err);
    assert_non_null(strstr(err, "xl/worksheets/sheet1.xml: XML error"));
}

/* Overwrites the little-endian 32-bit field at p. */
static void put32(char *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (char)(v >> (8 * i));
}

static void xlsx_rejects_entry_claiming_huge_size(void **state)
{
    struct entry e = {"xl/worksheets/sheet1.xml", "<worksheet/>", 0};
    struct sheet *s = NULL;
    char *zip, *cd, err[256];
    size_t len;

    zip = build_zip(&e, 1, &len);
    /* Uncompressed size: offset 22 of the local header, 24 of the central entry. */
    cd = memmem(zip, len, "PK\x01\x02", 4);
    assert_non_null(cd);
    put32(zip + 22, 0x7ffffff0);
    put32(cd + 24, 0x7ffffff0);
    assert_int_equal(sheet_read_xlsx(zip, len, &s, err, sizeof err), -1);
    assert_null(s);
    assert_non_null(strstr(err, "over the 67108864-byte limit"));
    free(zip);
}

static void xlsx_stops_entry_inflating_past_limit(void **state)
{
    /* A real bomb: 65 MiB of blanks deflate to about 64 KiB. */
    size_t n = SHEET_MAX_ZIP_ENTRY + 1024 * 1024;
    char *big = malloc(n), *zip, *cd, err[256];
    struct entry e = {"xl/worksheets/sheet1.xml", big, n};
    struct sheet *s = NULL;
    size_t len;

    memcpy(big, "<worksheet>", 11);
    memset(big + 11, ' ', n - 11);
    zip = build_zip(&e, 1, &len);
    free(big);
    assert_true(len < 1024 * 1024);
    assert_int_equal(sheet_read_xlsx(zip, len, &s, err, sizeof err), -1);
    assert_non_null(strstr(err, "limit"));
    /* The same bomb lying about its size: whatever libzip makes of the lie, it is
     * refused, and at most the limit is inflated. */
    cd = memmem(zip, len, "PK\x01\x02", 4);
    put32(zip + 22, 1000);
    put32(cd + 24, 1000);
    assert_int_equal(sheet_read_xlsx(zip, len, &s, err, sizeof err), -1);
    assert_null(s);
    free(zip);
}

static void xlsx_rejects_bad_shared_string_index(void **state)
{
    const char *sst = "<sst " NS "><si><t>only</t></si></sst>";
    char err[256];

    read_sheet_xml("<worksheet " NS "><sheetData><row r=\"2\"><c r=\"A2\" t=\"s\"><v>1</v>"
                   "</c></row></sheetData></worksheet>",
                   sst, -1, err, sizeof err);
    assert_non_null(strstr(err, "row 2: shared string index \"1\" out of range"));
    read_sheet_xml("<worksheet " NS "><sheetData><row r=\"2\"><c r=\"A2\" t=\"s\"><v>-1</v>"
                   "</c></row></sheetData></worksheet>",
                   sst, -1, err, sizeof err);
    read_sheet_xml("<worksheet " NS "><sheetData><row r=\"2\"><c r=\"A2\" t=\"s\">"
                   "<v>99999999999999999999999</v></c></row></sheetData></worksheet>",
                   NULL, -1, err, sizeof err);
}

static void xlsx_rejects_doctype_and_deep_nesting(void **state)
{
    const char *laughs = "<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\">"
                         "<!ENTITY lol2 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">]>"
                         "<worksheet><sheetData><row><c t=\"inlineStr\"><is><t>&lol2;</t>"
                         "</is></c></row></sheetData></worksheet>";
    char deep[64 * 7 + 64], err[256];
    char *p = deep;

    read_sheet_xml(laughs, NULL, -1, err, sizeof err);
    assert_non_null(strstr(err, "DOCTYPE is not allowed"));

    for (int i = 0; i <= SHEET_MAX_XML_DEPTH; i++)
        p += sprintf(p, "<a>");
    read_sheet_xml(deep, NULL, -1, err, sizeof err);
    assert_non_null(strstr(err, "nested deeper than 64"));
}

static void xlsx_refuses_values_past_256_columns_but_not_blanks(void **state)
{
    char err[256];
    struct sheet *s;

    s = read_sheet_xml("<worksheet " NS "><sheetData><row r=\"1\"><c r=\"A1\"><v>1</v></c>"
                       "<c r=\"XFD1\" s=\"2\"/></row></sheetData></worksheet>",
                       NULL, 0, err, sizeof err);
    assert_int_equal(s->rows[0].ncells, 1);
    sheet_free(s);
    read_sheet_xml("<worksheet " NS "><sheetData><row r=\"9\"><c r=\"IW9\"><v>1</v></c>"
                   "</row></sheetData></worksheet>",
                   NULL, -1, err, sizeof err);
    assert_non_null(strstr(err, "row 9: more than 256 columns"));
    read_sheet_xml("<worksheet " NS "><sheetData><row r=\"9\"><c r=\"XFE9\"><v>1</v></c>"
                   "</row></sheetData></worksheet>",
                   NULL, -1, err, sizeof err);
    assert_non_null(strstr(err, "row 9: bad cell reference"));
    read_sheet_xml("<worksheet " NS "><sheetData><row r=\"1048577\"/></sheetData></worksheet>",
                   NULL, -1, err, sizeof err);
    assert_non_null(strstr(err, "bad row number"));
}

static void xlsx_refuses_oversized_cell(void **state)
{
    size_t n = SHEET_MAX_CELL + 1;
    char *xml = malloc(n + 256), *p = xml, err[256];

    p += sprintf(p, "<worksheet><sheetData><row r=\"5\"><c t=\"inlineStr\"><is><t>");
    memset(p, 'x', n);
    p += n;
    sprintf(p, "</t></is></c></row></sheetData></worksheet>");
    read_sheet_xml(xml, NULL, -1, err, sizeof err);
    assert_non_null(strstr(err, "row 5: cell longer than 32768 bytes"));
    free(xml);
}

/* 1 if s is valid UTF-8 without control characters (an independent check). */
static int clean_utf8(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;

    while (*p) {
        int n = *p < 0x80 ? 0 : (*p & 0xe0) == 0xc0 ? 1 : (*p & 0xf0) == 0xe0 ? 2 : 3;

        if (*p < 0x20 || (*p >= 0x80 && *p < 0xc2) || *p > 0xf4)
            return 0;
        for (p++; n > 0; n--, p++)
            if ((*p & 0xc0) != 0x80)
                return 0;
    }
    return 1;
}

static void xlsx_errors_stay_valid_utf8_when_cut_short(void **state)
{
    /* The first worksheet has a long Chinese name and broken XML: the error quotes it. */
    const char *rels =
        "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
        "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/"
        "2006/relationships/worksheet\" Target=\"worksheets/调解组织名册调解组织名册调解组织"
        "名册调解组织名册.xml\"/></Relationships>";
    struct entry e[] = {
        {"xl/workbook.xml", WORKBOOK, 0},
        {"xl/_rels/workbook.xml.rels", rels, 0},
        {"xl/worksheets/调解组织名册调解组织名册调解组织名册调解组织名册.xml", "<worksheet>", 0},
    };
    struct sheet *s = NULL;
    char *zip, err[160];
    size_t len;

    zip = build_zip(e, 3, &len);
    assert_int_equal(sheet_read_xlsx(zip, len, &s, err, sizeof err), -1);
    assert_non_null(strstr(err, "名册.xml: XML error"));
    for (size_t n = 1; n <= sizeof err; n++) {
        memset(err, 'z', sizeof err);
        assert_int_equal(sheet_read_xlsx(zip, len, &s, err, n), -1);
        assert_true(strlen(err) < n);
        assert_true(clean_utf8(err));
    }
    free(zip);
}

/* ---- both ---- */

static void sheet_read_guesses_format_by_content(void **state)
{
    struct sheet *in = sample_sheet(), *s = NULL;
    char *buf, err[256];
    size_t len;

    assert_int_equal(sheet_write_xlsx(in, "S", &buf, &len, err, sizeof err), 0);
    assert_int_equal(sheet_read(buf, len, &s, err, sizeof err), 0);
    assert_int_equal(s->nrows, in->nrows);
    sheet_free(s);
    free(buf);
    sheet_free(in);

    assert_int_equal(sheet_read("PK,x\n", 5, &s, err, sizeof err), 0);
    assert_string_equal(s->rows[0].cells[0], "PK");
    sheet_free(s);
    assert_int_equal(sheet_read("\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1....", 12, &s, err, sizeof err),
                     -1);
    assert_non_null(strstr(err, ".xls"));
    assert_int_equal(sheet_read("\xff\xfe"
                                "a\0",
                                4, &s, err, sizeof err),
                     -1);
    assert_non_null(strstr(err, "UTF-16"));
}

static void sheet_add_row_copies_and_enforces_limits(void **state)
{
    char cell[] = "abc";
    const char *cells[SHEET_MAX_COLS + 1] = {cell, NULL};
    struct sheet *s = sheet_new();
    char *big = malloc(SHEET_MAX_CELL + 2);

    assert_int_equal(sheet_add_row(s, 2, cells), 0);
    cell[0] = 'X';
    assert_string_equal(s->rows[0].cells[0], "abc");
    assert_string_equal(s->rows[0].cells[1], "");
    assert_int_equal(s->rows[0].number, 1);
    assert_int_equal(sheet_add_row(s, 0, NULL), 0);
    assert_int_equal(s->rows[1].number, 2);
    assert_int_equal(sheet_add_row(s, SHEET_MAX_COLS + 1, cells), -1);
    memset(big, 'y', SHEET_MAX_CELL + 1);
    big[SHEET_MAX_CELL + 1] = '\0';
    cells[0] = big;
    assert_int_equal(sheet_add_row(s, 1, cells), -1);
    big[SHEET_MAX_CELL] = '\0';
    assert_int_equal(sheet_add_row(s, 1, cells), 0);
    assert_int_equal(strlen(s->rows[2].cells[0]), SHEET_MAX_CELL);
    assert_int_equal(sheet_add_row(NULL, 1, cells), -1);
    free(big);
    sheet_free(s);
    sheet_free(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(csv_reads_quotes_doubled_quotes_and_embedded_newlines),
        cmocka_unit_test(csv_skips_bom_and_accepts_crlf_lf_and_cr),
        cmocka_unit_test(csv_skips_blank_rows_keeping_row_numbers),
        cmocka_unit_test(csv_rejects_invalid_utf8_naming_the_row),
        cmocka_unit_test(csv_rejects_too_many_columns),
        cmocka_unit_test(csv_rejects_unclosed_quote_naming_its_row),
        cmocka_unit_test(csv_rejects_oversized_cells_rows_and_input),
        cmocka_unit_test(csv_writer_adds_bom_crlf_and_quotes_only_when_needed),
        cmocka_unit_test(csv_round_trip_keeps_every_cell),
        cmocka_unit_test(xlsx_round_trip_keeps_every_cell),
        cmocka_unit_test(xlsx_writer_bolds_header_and_fits_columns),
        cmocka_unit_test(xlsx_reads_shared_inline_sparse_numbers_and_rich_text),
        cmocka_unit_test(xlsx_finds_first_worksheet_through_rels),
        cmocka_unit_test(xlsx_decodes_escaped_characters),
        cmocka_unit_test(xlsx_writer_output_survives_control_characters),
        cmocka_unit_test(xlsx_rejects_truncated_and_garbage_files),
        cmocka_unit_test(xlsx_rejects_entry_claiming_huge_size),
        cmocka_unit_test(xlsx_stops_entry_inflating_past_limit),
        cmocka_unit_test(xlsx_rejects_bad_shared_string_index),
        cmocka_unit_test(xlsx_rejects_doctype_and_deep_nesting),
        cmocka_unit_test(xlsx_refuses_values_past_256_columns_but_not_blanks),
        cmocka_unit_test(xlsx_refuses_oversized_cell),
        cmocka_unit_test(xlsx_errors_stay_valid_utf8_when_cut_short),
        cmocka_unit_test(sheet_read_guesses_format_by_content),
        cmocka_unit_test(sheet_add_row_copies_and_enforces_limits),
        cmocka_unit_test(stream_csv_round_trip),
        cmocka_unit_test(stream_xlsx_round_trip),
        cmocka_unit_test(stream_refuses_invalid_utf8),
    };
    return cmocka_run_group_tests_name("sheet", tests, NULL, NULL);
}

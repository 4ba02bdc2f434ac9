/*
 * csv.c - CSV reading and writing (RFC 4180, as Excel and WPS save it).
 *
 * Reading is lenient where Excel is and strict where silence would lose data: text after
 * a closing quote is kept (as Python's csv module does), a quote inside an unquoted cell
 * is an ordinary character, a lone CR ends a record like CRLF and LF; but a quote left
 * open at the end of the file is an error, since it would swallow every later row.
 */
#include "sheet/sheet_int.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* The state of one CSV read: the sheet being built and the record being assembled. */
struct csv_reader {
    struct sheet__impl *s;
    char *field; /* SHEET_MAX_CELL bytes: the cell being read, quotes undone */
    size_t nfield;
    char *cells[SHEET_MAX_COLS];
    int col;   /* fields seen in this record, kept or not */
    int ncols; /* 1 + the last column holding a value */
    int row;   /* record number, 1-based */
    char *err;
    size_t errlen;
};

static int csv_putc(struct csv_reader *r, char c)
{
    if (r->nfield >= SHEET_MAX_CELL) {
        sheet__err(r->err, r->errlen, "row %d, column %d: cell longer than %d bytes", r->row,
                   r->col + 1, SHEET_MAX_CELL);
        return -1;
    }
    r->field[r->nfield++] = c;
    return 0;
}

/* Ends the current field: validates it and keeps it if it has a value. */
static int csv_end_field(struct csv_reader *r)
{
    int col = r->col++;

    if (!sheet__utf8_valid(r->field, r->nfield)) {
        sheet__err(r->err, r->errlen,
                   "row %d: not valid UTF-8 text (GBK/GB18030 is not supported: save as "
                   "\"CSV UTF-8\")",
                   r->row);
        return -1;
    }
    if (r->nfield == 0)
        goto out;
    /* Empty fields past the limit cost nothing and are dropped; values are refused. */
    if (col >= SHEET_MAX_COLS) {
        sheet__err(r->err, r->errlen, "row %d: more than %d columns", r->row, SHEET_MAX_COLS);
        return -1;
    }
    /* Fill the gap left by empty fields since the last value. */
    for (int i = r->ncols; i < col; i++)
        r->cells[i] = r->s->empty;
    r->cells[col] = sheet__strndup(r->s, r->field, r->nfield);
    if (r->cells[col] == NULL) {
        sheet__err(r->err, r->errlen, "row %d: out of memory", r->row);
        return -1;
    }
    r->ncols = col + 1;
out:
    r->nfield = 0;
    return 0;
}

/* Ends the current record: keeps it unless every cell was empty. */
static int csv_end_record(struct csv_reader *r)
{
    int rc = 0;

    if (r->ncols > 0)
        rc = sheet__push_row(r->s, r->row, r->ncols, r->cells, r->err, r->errlen);
    r->row++;
    r->col = 0;
    r->ncols = 0;
    return rc;
}

/* On success *out belongs to the caller (sheet_free); on failure it is NULL. */
int sheet_read_csv(const char *buf, size_t len, struct sheet **out, char *err, size_t errlen)
{
    struct csv_reader r = {.row = 1, .err = err, .errlen = errlen};
    size_t i = 0;
    int pending = 0; /* the current record has begun */
    int rc = -1;

    *out = NULL;
    if (len > SHEET_MAX_INPUT) {
        sheet__err(err, errlen, "file larger than %d bytes", SHEET_MAX_INPUT);
        goto out;
    }
    r.s = sheet__new();
    r.field = malloc(SHEET_MAX_CELL);
    if (r.s == NULL || r.field == NULL) {
        sheet__err(err, errlen, "out of memory");
        goto out;
    }
    /* Excel's "CSV UTF-8" starts with a byte order mark; it is not part of cell A1. */
    if (len >= 3 && memcmp(buf, "\xef\xbb\xbf", 3) == 0)
        i = 3;
    while (i < len) {
        char c = buf[i];

        pending = 1;
        if (c == '"' && r.nfield == 0) {
            int start = r.row;

            /* A quoted run: "" is a quote; commas and line breaks are text. */
            for (i++;; i++) {
                if (i >= len) {
                    sheet__err(err, errlen, "row %d: quoted cell is not closed", start);
                    goto out;
                }
                if (buf[i] == '"') {
                    if (i + 1 < len && buf[i + 1] == '"') {
                        i++;
                    } else {
                        i++;
                        break;
                    }
                }
                if (csv_putc(&r, buf[i]) < 0)
                    goto out;
            }
            continue;
        }
        if (c == ',') {
            if (csv_end_field(&r) < 0)
                goto out;
        } else if (c == '\r' || c == '\n') {
            if (csv_end_field(&r) < 0 || csv_end_record(&r) < 0)
                goto out;
            if (c == '\r' && i + 1 < len && buf[i + 1] == '\n')
                i++;
            pending = 0;
        } else if (csv_putc(&r, c) < 0) {
            goto out;
        }
        i++;
    }
    /* The last record need not end with a line break. */
    if (pending && (csv_end_field(&r) < 0 || csv_end_record(&r) < 0))
        goto out;
    *out = &r.s->pub;
    r.s = NULL;
    rc = 0;
out:
    free(r.field);
    if (r.s != NULL)
        sheet_free(&r.s->pub);
    return rc;
}

/* A growable output buffer; `p` is malloc'd. */
struct csv_buf {
    char *p;
    size_t n, cap;
    int failed;
};

static void buf_add(struct csv_buf *b, const char *s, size_t n)
{
    if (b->failed)
        return;
    if (n > SIZE_MAX - b->n) {
        b->failed = 1;
        return;
    }
    if (b->n + n > b->cap) {
        size_t cap = b->cap ? b->cap : 4096;
        char *p;

        while (cap < b->n + n) {
            if (cap > SIZE_MAX / 2) {
                b->failed = 1;
                return;
            }
            cap *= 2;
        }
        p = realloc(b->p, cap);
        if (p == NULL) {
            b->failed = 1;
            return;
        }
        b->p = p;
        b->cap = cap;
    }
    memcpy(b->p + b->n, s, n);
    b->n += n;
}

/* Writes one cell, quoted only when it must be (RFC 4180 section 2, rules 5-7). */
static void csv_put_cell(struct csv_buf *b, const char *cell)
{
    const char *q;

    if (cell == NULL)
        return;
    if (strpbrk(cell, ",\"\r\n") == NULL) {
        buf_add(b, cell, strlen(cell));
        return;
    }
    buf_add(b, "\"", 1);
    while ((q = strchr(cell, '"')) != NULL) {
        buf_add(b, cell, (size_t)(q - cell) + 1);
        buf_add(b, "\"", 1);
        cell = q + 1;
    }
    buf_add(b, cell, strlen(cell));
    buf_add(b, "\"", 1);
}

/* On success *buf is malloc'd and belongs to the caller. */
int sheet_write_csv(const struct sheet *s, char **buf, size_t *len, char *err, size_t errlen)
{
    struct csv_buf b = {0};

    *buf = NULL;
    *len = 0;
    /* The BOM is what makes Excel in a Chinese locale read UTF-8 instead of GBK. */
    buf_add(&b, "\xef\xbb\xbf", 3);
    for (int r = 0; s != NULL && r < s->nrows; r++) {
        const struct sheet_row *row = &s->rows[r];

        for (int c = 0; c < row->ncells; c++) {
            if (c > 0)
                buf_add(&b, ",", 1);
            csv_put_cell(&b, row->cells[c]);
        }
        buf_add(&b, "\r\n", 2);
    }
    if (b.failed) {
        free(b.p);
        sheet__err(err, errlen, "out of memory");
        return -1;
    }
    *buf = b.p;
    *len = b.n;
    return 0;
}

/* The same quoting as csv_put_cell, to a stream (the streamed writer, stream.c). */
int sheet__csv_put_file(FILE *f, const char *cell)
{
    const char *q;

    if (cell == NULL || *cell == '\0')
        return 0;
    if (strpbrk(cell, ",\"\r\n") == NULL)
        return fputs(cell, f) < 0 ? -1 : 0;
    if (fputc('"', f) == EOF)
        return -1;
    while ((q = strchr(cell, '"')) != NULL) {
        if (fwrite(cell, 1, (size_t)(q - cell) + 1, f) != (size_t)(q - cell) + 1 ||
            fputc('"', f) == EOF)
            return -1;
        cell = q + 1;
    }
    return fputs(cell, f) < 0 || fputc('"', f) == EOF ? -1 : 0;
}

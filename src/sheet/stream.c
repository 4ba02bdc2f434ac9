/*
 * stream.c - a sheet written row by row to a temporary file (sheet.h, sheet_stream_*).
 *
 * The file is made with mkstemp in $TMPDIR (or /tmp), mode 0600. A CSV's name is unlinked
 * at once and the rows go through a stdio buffer on a duplicate of the descriptor. An
 * XLSX's name must live until libxlsxwriter has closed the workbook (it only writes to a
 * path), so it is unlinked in finish or free; its constant_memory mode keeps one row in
 * memory and flushes the others to its own scratch file in the same directory.
 */
#include "sheet/sheet_int.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xlsxwriter.h>

#define XLSX_MAX_ROWS 1048576 /* Excel's limit, the header included */

struct sheet_stream {
    int fd;         /* the file handed over by finish */
    char path[512]; /* XLSX only, until unlinked: "" once it is */
    int ncols;
    long rows; /* written so far, the header included */
    FILE *csv; /* CSV: a stream on a dup of fd */
    lxw_workbook *wb;
    lxw_worksheet *ws;
    lxw_format *bold; /* the header's */
};

static const char *tmp_dir(void)
{
    const char *t = getenv("TMPDIR");
    return t && *t ? t : "/tmp";
}

void sheet_stream_free(struct sheet_stream *s)
{
    if (s == NULL)
        return;
    if (s->csv)
        fclose(s->csv);
    if (s->wb)
        lxw_workbook_free(s->wb);
    if (s->path[0])
        unlink(s->path);
    if (s->fd >= 0)
        close(s->fd);
    free(s);
}

static int open_xlsx(struct sheet_stream *s, const char *name, const int *widths, char *err,
                     size_t errlen)
{
    lxw_workbook_options opt = {0};

    opt.constant_memory = LXW_TRUE;
    opt.tmpdir = (char *)tmp_dir();
    s->wb = workbook_new_opt(s->path, &opt);
    if (s->wb == NULL) {
        sheet__err(err, errlen, "cannot start the workbook");
        return -1;
    }
    if (workbook_validate_sheet_name(s->wb, name) != LXW_NO_ERROR) {
        sheet__err(err, errlen, "invalid worksheet name");
        return -1;
    }
    s->ws = workbook_add_worksheet(s->wb, name);
    s->bold = workbook_add_format(s->wb);
    if (s->ws == NULL || s->bold == NULL) {
        sheet__err(err, errlen, "out of memory");
        return -1;
    }
    for (int c = 0; widths && c < s->ncols; c++)
        worksheet_set_column(s->ws, (lxw_col_t)c, (lxw_col_t)c, widths[c], NULL);
    format_set_bold(s->bold);
    worksheet_freeze_panes(s->ws, 1, 0);
    return 0;
}

static int open_csv(struct sheet_stream *s, char *err, size_t errlen)
{
    int dupfd;

    unlink(s->path);
    s->path[0] = '\0';
    dupfd = dup(s->fd);
    s->csv = dupfd < 0 ? NULL : fdopen(dupfd, "w");
    if (s->csv == NULL) {
        if (dupfd >= 0)
            close(dupfd);
        sheet__err(err, errlen, "cannot open the temporary file");
        return -1;
    }
    /* The BOM is what makes Excel in a Chinese locale read UTF-8 instead of GBK. */
    if (fputs("\xef\xbb\xbf", s->csv) < 0) {
        sheet__err(err, errlen, "cannot write the temporary file");
        return -1;
    }
    return 0;
}

struct sheet_stream *sheet_stream_open(int xlsx, const char *name, int ncols,
                                       const char *const *header, const int *widths, char *err,
                                       size_t errlen)
{
    struct sheet_stream *s = calloc(1, sizeof *s);

    if (s == NULL) {
        sheet__err(err, errlen, "out of memory");
        return NULL;
    }
    s->fd = -1;
    s->ncols = ncols;
    if (ncols <= 0 || ncols > SHEET_MAX_COLS) {
        sheet__err(err, errlen, "between 1 and %d columns", SHEET_MAX_COLS);
        goto fail;
    }
    if (snprintf(s->path, sizeof s->path, "%s/jiefen-export-XXXXXX", tmp_dir()) >=
        (int)sizeof s->path) {
        sheet__err(err, errlen, "TMPDIR path too long");
        goto fail;
    }
    s->fd = mkstemp(s->path);
    if (s->fd < 0) {
        s->path[0] = '\0';
        sheet__err(err, errlen, "cannot create a temporary file in %s", tmp_dir());
        goto fail;
    }
    if ((xlsx ? open_xlsx(s, name ? name : "Sheet1", widths, err, errlen)
              : open_csv(s, err, errlen)) != 0 ||
        sheet_stream_row(s, header, err, errlen) != 0)
        goto fail;
    return s;
fail:
    sheet_stream_free(s);
    return NULL;
}

/* One XLSX cell: text (codes keep their leading zeros), the header bold. */
static int xlsx_cell(struct sheet_stream *s, int c, const char *v, char *err, size_t errlen)
{
    char *tmp;
    const char *esc = sheet__escape_xstring(v, &tmp);
    lxw_error e;

    if (esc == NULL) {
        sheet__err(err, errlen, "out of memory");
        return -1;
    }
    e = *esc ? worksheet_write_string(s->ws, (lxw_row_t)s->rows, (lxw_col_t)c, esc,
                                      s->rows == 0 ? s->bold : NULL)
             : LXW_NO_ERROR;
    free(tmp);
    if (e != LXW_NO_ERROR) {
        sheet__err(err, errlen, "row %ld, column %d: %s", s->rows + 1, c + 1, lxw_strerror(e));
        return -1;
    }
    return 0;
}

int sheet_stream_row(struct sheet_stream *s, const char *const *cells, char *err, size_t errlen)
{
    if (s->ws && s->rows >= XLSX_MAX_ROWS) {
        sheet__err(err, errlen, "more than %d rows: Excel cannot open them", XLSX_MAX_ROWS);
        return -1;
    }
    for (int c = 0; c < s->ncols; c++) {
        const char *v = cells[c] ? cells[c] : "";
        size_t n = strlen(v);

        /* A cell that is not UTF-8 would make the whole file unreadable to Excel. */
        if (n > SHEET_MAX_CELL || !sheet__utf8_valid(v, n)) {
            sheet__err(err, errlen, "row %ld, column %d: too long or not UTF-8", s->rows + 1,
                       c + 1);
            return -1;
        }
        if (s->ws ? xlsx_cell(s, c, v, err, errlen) != 0
                  : (c > 0 && fputc(',', s->csv) == EOF) || sheet__csv_put_file(s->csv, v) != 0) {
            if (!s->ws)
                sheet__err(err, errlen, "cannot write the temporary file");
            return -1;
        }
    }
    if (s->csv && fputs("\r\n", s->csv) < 0) {
        sheet__err(err, errlen, "cannot write the temporary file");
        return -1;
    }
    s->rows++;
    return 0;
}

/* Closes what writes the file: the stdio stream or the workbook. */
static int close_writer(struct sheet_stream *s, char *err, size_t errlen)
{
    if (s->csv) {
        int rc = fclose(s->csv);
        s->csv = NULL;
        if (rc != 0) {
            sheet__err(err, errlen, "cannot write the temporary file");
            return -1;
        }
        return 0;
    }
    if (s->rows > 1)
        worksheet_autofilter(s->ws, 0, 0, (lxw_row_t)(s->rows - 1), (lxw_col_t)(s->ncols - 1));
    lxw_error e = workbook_close(s->wb);
    s->wb = NULL;
    if (e != LXW_NO_ERROR) {
        sheet__err(err, errlen, "cannot write workbook: %s", lxw_strerror(e));
        return -1;
    }
    return 0;
}

int sheet_stream_finish(struct sheet_stream *s, int *fd, unsigned long long *size, char *err,
                        size_t errlen)
{
    struct stat st;
    int rc = -1;

    *fd = -1;
    *size = 0;
    if (close_writer(s, err, errlen) != 0)
        goto out;
    if (fstat(s->fd, &st) != 0 || lseek(s->fd, 0, SEEK_SET) != 0) {
        sheet__err(err, errlen, "cannot read back the temporary file");
        goto out;
    }
    *fd = s->fd;
    *size = (unsigned long long)st.st_size;
    s->fd = -1;
    rc = 0;
out:
    sheet_stream_free(s);
    return rc;
}

/*
 * xlsx_write.c - writing a sheet as an .xlsx with libxlsxwriter.
 *
 * libxlsxwriter 1.1.4 (Debian 12) can only write to a file, so the workbook goes to a
 * private temporary file (mkstemp, mode 0600) that is read back through the descriptor
 * already open, so the name is never reopened, and unlinked before returning.
 */
#include "sheet/sheet_int.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xlsxwriter.h>

/* Column widths in Excel's units (about one Latin character); wider text wraps the view. */
#define WIDTH_MIN 8
#define WIDTH_MAX 60

/*
 * Whether a code point is shown double width: the East Asian Wide and Fullwidth ranges
 * of Unicode UAX #11 that Chinese text uses (CJK ideographs and punctuation, Hangul,
 * fullwidth forms, the supplementary ideograph planes).
 */
static int is_wide(unsigned cp)
{
    return (cp >= 0x1100 && cp <= 0x115f) || (cp >= 0x2e80 && cp <= 0x303e) ||
           (cp >= 0x3041 && cp <= 0xa4cf) || (cp >= 0xac00 && cp <= 0xd7a3) ||
           (cp >= 0xf900 && cp <= 0xfaff) || (cp >= 0xfe30 && cp <= 0xfe4f) ||
           (cp >= 0xff00 && cp <= 0xff60) || (cp >= 0xffe0 && cp <= 0xffe6) ||
           (cp >= 0x20000 && cp <= 0x3fffd);
}

/* The display width of the cell's longest line, in Latin characters. */
int sheet__display_width(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    int w = 0, best = 0;

    while (*p) {
        unsigned cp = *p;
        int extra = 0;

        if (cp == '\n') {
            w = 0;
            p++;
            continue;
        }
        if (cp >= 0xf0) {
            extra = 3;
            cp &= 0x07;
        } else if (cp >= 0xe0) {
            extra = 2;
            cp &= 0x0f;
        } else if (cp >= 0xc0) {
            extra = 1;
            cp &= 0x1f;
        }
        p++;
        for (; extra > 0 && (*p & 0xc0) == 0x80; extra--, p++)
            cp = (cp << 6) | (*p & 0x3f);
        w += is_wide(cp) ? 2 : 1;
        if (w > best)
            best = w;
        if (best >= WIDTH_MAX)
            break;
    }
    return best;
}

static int is_xescape(const char *p)
{
    if (p[0] != '_' || p[1] != 'x')
        return 0;
    for (int i = 2; i < 6; i++)
        if (!((p[i] >= '0' && p[i] <= '9') || (p[i] >= 'a' && p[i] <= 'f') ||
              (p[i] >= 'A' && p[i] <= 'F')))
            return 0;
    return p[6] == '_';
}

/*
 * Excel reads "_xHHHH_" in a string as an escaped character (ECMA-376 part 1, 22.9.2.19)
 * and libxlsxwriter 1.1.4 writes such text unchanged, so "_x0041_" typed by a user would
 * come back as "A". Escaping its underscore as "_x005F_" keeps the text literal, as Excel
 * itself does. Returns v when nothing needs escaping, else a malloc'd copy in *tmp (NULL
 * if out of memory).
 */
const char *sheet__escape_xstring(const char *v, char **tmp)
{
    size_t n = 0, len = strlen(v);
    char *o;

    *tmp = NULL;
    for (const char *p = strstr(v, "_x"); p != NULL; p = strstr(p + 1, "_x"))
        n += is_xescape(p);
    if (n == 0)
        return v;
    if (n > (SIZE_MAX - len - 1) / 6)
        return NULL;
    *tmp = o = malloc(len + 6 * n + 1);
    if (o == NULL)
        return NULL;
    for (const char *p = v; *p; p++) {
        if (is_xescape(p)) {
            memcpy(o, "_x005F", 6);
            o += 6;
        }
        *o++ = *p;
    }
    *o = '\0';
    return *tmp;
}

/* Reads the whole file behind fd into a malloc'd buffer the caller frees. */
static int read_back(int fd, char **buf, size_t *len)
{
    struct stat st;
    char *p;
    size_t got = 0;

    if (fstat(fd, &st) < 0 || st.st_size <= 0 || (uint64_t)st.st_size > SIZE_MAX)
        return -1;
    p = malloc((size_t)st.st_size);
    if (p == NULL)
        return -1;
    while (got < (size_t)st.st_size) {
        ssize_t n = pread(fd, p + got, (size_t)st.st_size - got, (off_t)got);

        if (n <= 0) {
            free(p);
            return -1;
        }
        got += (size_t)n;
    }
    *buf = p;
    *len = got;
    return 0;
}

/* On success *buf is malloc'd and belongs to the caller. The sheet is only read. */
int sheet_write_xlsx(const struct sheet *s, const char *name, char **buf, size_t *len, char *err,
                     size_t errlen)
{
    const char *tmpdir = getenv("TMPDIR");
    lxw_workbook_options opt = {0};
    lxw_workbook *wb = NULL;
    lxw_worksheet *ws;
    lxw_format *bold;
    lxw_error e;
    char path[4096];
    int widths[SHEET_MAX_COLS] = {0};
    int ncols = 0, fd = -1, rc = -1;

    *buf = NULL;
    *len = 0;
    if (name == NULL)
        name = "Sheet1";
    if (tmpdir == NULL || *tmpdir == '\0')
        tmpdir = "/tmp";
    if (snprintf(path, sizeof path, "%s/jiefen-sheet-XXXXXX", tmpdir) >= (int)sizeof path) {
        sheet__err(err, errlen, "TMPDIR path too long");
        return -1;
    }
    fd = mkstemp(path);
    if (fd < 0) {
        sheet__err(err, errlen, "cannot create a temporary file in %s", tmpdir);
        return -1;
    }
    /* libxlsxwriter's own scratch files go to the same place. */
    opt.tmpdir = (char *)tmpdir;
    wb = workbook_new_opt(path, &opt);
    if (wb == NULL) {
        sheet__err(err, errlen, "out of memory");
        goto out;
    }
    e = workbook_validate_sheet_name(wb, name);
    if (e != LXW_NO_ERROR) {
        sheet__err(err, errlen, "worksheet name: %s", lxw_strerror(e));
        goto out;
    }
    ws = workbook_add_worksheet(wb, name);
    bold = workbook_add_format(wb);
    if (ws == NULL || bold == NULL) {
        sheet__err(err, errlen, "out of memory");
        goto out;
    }
    format_set_bold(bold);
    for (int r = 0; s != NULL && r < s->nrows; r++) {
        const struct sheet_row *row = &s->rows[r];

        if (row->ncells > SHEET_MAX_COLS) {
            sheet__err(err, errlen, "row %d: more than %d columns", r + 1, SHEET_MAX_COLS);
            goto out;
        }
        for (int c = 0; c < row->ncells; c++) {
            const char *v = row->cells[c] ? row->cells[c] : "", *esc;
            char *tmp;
            int w;

            /* A cell that is not UTF-8 would make the whole file unreadable to Excel. */
            if (!sheet__utf8_valid(v, strlen(v))) {
                sheet__err(err, errlen, "row %d, column %d: not valid UTF-8", r + 1, c + 1);
                goto out;
            }
            esc = sheet__escape_xstring(v, &tmp);
            if (esc == NULL) {
                sheet__err(err, errlen, "out of memory");
                goto out;
            }
            /* Text, never numbers: "0816" and 12-digit region codes must survive. */
            e = worksheet_write_string(ws, (lxw_row_t)r, (lxw_col_t)c, esc, r == 0 ? bold : NULL);
            free(tmp);
            if (e != LXW_NO_ERROR) {
                sheet__err(err, errlen, "row %d, column %d: %s", r + 1, c + 1, lxw_strerror(e));
                goto out;
            }
            w = sheet__display_width(v);
            if (w > widths[c])
                widths[c] = w;
            if (c + 1 > ncols)
                ncols = c + 1;
        }
    }
    for (int c = 0; c < ncols; c++) {
        /* Two characters of margin, as Excel's own autofit leaves. */
        int w = widths[c] + 2;

        w = w < WIDTH_MIN ? WIDTH_MIN : w > WIDTH_MAX ? WIDTH_MAX : w;
        worksheet_set_column(ws, (lxw_col_t)c, (lxw_col_t)c, w, NULL);
    }
    if (s != NULL && s->nrows > 1)
        worksheet_freeze_panes(ws, 1, 0);
    e = workbook_close(wb);
    wb = NULL;
    if (e != LXW_NO_ERROR) {
        sheet__err(err, errlen, "cannot write workbook: %s", lxw_strerror(e));
        goto out;
    }
    if (read_back(fd, buf, len) < 0) {
        sheet__err(err, errlen, "cannot read back the written workbook");
        goto out;
    }
    rc = 0;
out:
    if (wb != NULL)
        lxw_workbook_free(wb);
    unlink(path);
    close(fd);
    return rc;
}

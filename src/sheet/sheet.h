/*
 * sheet.h - simple tables read from and written to CSV and XLSX (first worksheet only).
 *
 * Used to import and export regions, organizations and mediators. Uploads are untrusted,
 * so every reader is bounded (input size, rows, columns, cell length, zip entry size, XML
 * depth) and reports the first problem as a one-line English reason naming the row.
 *
 * What a reader returns is normalised the same way for both formats, so an importer does
 * not care which one a clerk uploaded:
 *   - cells are UTF-8 strings, never NULL; an empty cell is "";
 *   - trailing empty cells are dropped, so rows may be shorter than the header: read cells
 *     with sheet_cell(), which returns "" past the end;
 *   - rows whose cells are all empty are skipped (Excel saves formatted but empty rows);
 *     `number` keeps each row's position in the source for error messages.
 *
 * Errors: every fallible function returns 0 or -1 with a one-line reason in err.
 * No global state: functions may be called from several threads at once.
 */
#ifndef JIEFEN_SHEET_SHEET_H
#define JIEFEN_SHEET_SHEET_H

#include <stddef.h>

/* Limits on what a reader accepts (and sheet_add_row builds). */
#define SHEET_MAX_INPUT     (10 * 1024 * 1024) /* bytes of CSV or XLSX */
#define SHEET_MAX_ROWS      100000             /* non-empty rows */
#define SHEET_MAX_COLS      256                /* columns holding a value */
#define SHEET_MAX_CELL      (32 * 1024)        /* bytes in one cell */
#define SHEET_MAX_CELLS     4000000            /* cells in all rows: caps pointer memory */
#define SHEET_MAX_ZIP_ENTRY (64 * 1024 * 1024) /* uncompressed bytes of one XLSX part */
#define SHEET_MAX_XML_DEPTH 64                 /* element nesting in an XLSX part */

struct sheet_row {
    int number; /* 1-based row number in the source file (for error messages) */
    int ncells;
    char **cells; /* UTF-8, never NULL: empty cells are "" */
};

struct sheet {
    int nrows;
    struct sheet_row *rows;
};

/*
 * Parses a CSV (RFC 4180: quotes, doubled quotes, CRLF/LF, embedded newlines in quotes;
 * a UTF-8 BOM is skipped). GB18030/GBK input is not supported: invalid UTF-8 is rejected
 * with an error naming the row. Row numbers count records, as Excel numbers its rows.
 * On success *out is a new sheet the caller frees with sheet_free(); on failure *out is
 * NULL. `buf` is borrowed and need not be NUL-terminated.
 */
int sheet_read_csv(const char *buf, size_t len, struct sheet **out, char *err, size_t errlen);

/*
 * Parses the first worksheet of an .xlsx held in memory: shared strings (rich text runs
 * concatenated), inline strings, numbers (integers without ".0", others as the shortest
 * text that reads back as the same double), booleans (TRUE/FALSE), formula results; cell
 * references place cells in their column, rows are numbered by their r attribute. Dates
 * come back as Excel serial numbers: styles are not read. Ownership as sheet_read_csv.
 */
int sheet_read_xlsx(const void *buf, size_t len, struct sheet **out, char *err, size_t errlen);

/* Guesses the format by content ("PK\x03\x04" is XLSX, anything else CSV) and parses it.
 * Legacy .xls and UTF-16 text are refused with a reason saying what to save as instead. */
int sheet_read(const void *buf, size_t len, struct sheet **out, char *err, size_t errlen);

/* Frees a sheet made by this module (a reader or sheet_new) and all its cells. NULL-safe. */
void sheet_free(struct sheet *s);

/* The cell at 0-based column `col` of `row`, or "" when the row is shorter. Borrowed. */
const char *sheet_cell(const struct sheet_row *row, int col);

/*
 * Writes CSV: UTF-8 with a BOM (so Excel in China opens it as UTF-8), CRLF line ends,
 * cells quoted when they hold a comma, quote or line break. On success *buf is a
 * malloc'd buffer of *len bytes (not NUL-terminated) the caller frees.
 */
int sheet_write_csv(const struct sheet *s, char **buf, size_t *len, char *err, size_t errlen);

/*
 * Writes an XLSX with one worksheet named `name` (NULL: "Sheet1"; Excel allows 31
 * characters and none of []:*?/\). The first row is bold and frozen as a header; column
 * widths fit the content roughly, CJK characters counting double. Every cell is written
 * as text, so codes and phone numbers keep their leading zeros. Needs a writable
 * directory ($TMPDIR or /tmp): libxlsxwriter only writes files. Ownership as
 * sheet_write_csv.
 */
int sheet_write_xlsx(const struct sheet *s, const char *name, char **buf, size_t *len, char *err,
                     size_t errlen);

/* A new empty sheet to fill with sheet_add_row(); free with sheet_free(). NULL if out of
 * memory. */
struct sheet *sheet_new(void);

/*
 * Appends a row numbered after the last one; the strings are copied (NULL cells become
 * ""). Only sheets from sheet_new() or a reader may grow. Returns -1 if out of memory or
 * past a limit (SHEET_MAX_ROWS, SHEET_MAX_COLS, SHEET_MAX_CELL, SHEET_MAX_CELLS).
 */
int sheet_add_row(struct sheet *s, int ncells, const char *const *cells);

/*
 * A table written row by row to an anonymous temporary file, for exports too large to
 * hold in memory (the ledger: 100,000 rows and more). CSV is written as sheet_write_csv
 * does (BOM, CRLF, RFC 4180 quoting) through a stdio buffer; XLSX through libxlsxwriter
 * in its constant_memory mode, which flushes each row to disk once the next one starts.
 * Either way memory stays bounded whatever the number of rows. The header row is bold
 * and frozen and carries an autofilter in XLSX; `widths` (may be NULL) are the XLSX
 * column widths in Excel's units, since a streamed sheet cannot fit them to the content.
 * Every cell is text. Not thread-safe per writer; writers are independent.
 */
struct sheet_stream;

/* Starts a CSV (xlsx 0) or XLSX (xlsx 1) whose first row is `header` (ncols cells,
 * at most SHEET_MAX_COLS). NULL with a reason in err on failure. */
struct sheet_stream *sheet_stream_open(int xlsx, const char *name, int ncols,
                                       const char *const *header, const int *widths, char *err,
                                       size_t errlen);

/* Appends a row of the header's ncols cells (NULL cells are ""); invalid UTF-8 and cells
 * longer than SHEET_MAX_CELL are refused. XLSX holds at most 1,048,576 rows. */
int sheet_stream_row(struct sheet_stream *s, const char *const *cells, char *err, size_t errlen);

/* Finishes the file and hands it over: *fd is open for reading at offset 0 (the name is
 * already unlinked) and the caller closes it; *size is its length. The writer is freed
 * whether or not this succeeds. */
int sheet_stream_finish(struct sheet_stream *s, int *fd, unsigned long long *size, char *err,
                        size_t errlen);

/* Abandons a writer and its file. NULL-safe. */
void sheet_stream_free(struct sheet_stream *s);

#endif

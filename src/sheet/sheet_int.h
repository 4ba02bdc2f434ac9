/*
 * sheet_int.h - what the sheet_*.c files share; not for callers outside src/sheet/.
 *
 * A sheet owns one arena: every cell string and every row's cell array is carved from
 * it, so a reader that fails half way, or a sheet of a million cells, is freed in one
 * walk over a few chunks. Cells that are empty all point to one "" in the arena.
 */
#ifndef JIEFEN_SHEET_SHEET_INT_H
#define JIEFEN_SHEET_SHEET_INT_H

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>

#include "sheet/sheet.h"

struct sheet__chunk;

struct sheet__impl {
    struct sheet pub; /* first, so a struct sheet * made here converts back */
    int cap;          /* rows allocated */
    long ncells;      /* cells in all rows, against SHEET_MAX_CELLS */
    struct sheet__chunk *chunks;
    char *empty; /* the shared "" */
};

/* A new sheet with an empty arena, or NULL if out of memory. */
struct sheet__impl *sheet__new(void);

/* `n` bytes from the sheet's arena, aligned for pointers; freed with the sheet. */
void *sheet__alloc(struct sheet__impl *s, size_t n);

/* Copies n bytes of p into the arena and NUL-terminates them; "" (shared) when n is 0. */
char *sheet__strndup(struct sheet__impl *s, const char *p, size_t n);

/*
 * Appends a row of `ncells` cells whose strings already live in the arena (NULL entries
 * become ""); the pointer array is copied. Fails past SHEET_MAX_ROWS or SHEET_MAX_CELLS
 * with a reason naming `number` in err.
 */
int sheet__push_row(struct sheet__impl *s, int number, int ncells, char *const *cells, char *err,
                    size_t errlen);

/* Returns 1 if p[0..n) is valid UTF-8 (no overlongs, surrogates or NUL bytes), else 0. */
int sheet__utf8_valid(const char *p, size_t n);

/* printf into err (NULL-safe, truncating): always one line of valid UTF-8, even when
 * the message quotes untrusted text or is cut short. */
void sheet__err(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void sheet__verr(char *err, size_t errlen, const char *fmt, va_list ap)
    __attribute__((format(printf, 3, 0)));

/* The display width of a cell's longest line in Latin characters, CJK counting double
 * (capped near the widest column worth showing); xlsx_write.c. */
int sheet__display_width(const char *s);

/* Excel's "_xHHHH_" escapes made literal (xlsx_write.c): returns v, or a malloc'd copy in
 * *tmp the caller frees; NULL if out of memory. */
const char *sheet__escape_xstring(const char *v, char **tmp);

/* The CSV form of one cell (csv.c), quoted only when it must be, to a stdio stream.
 * Returns 0, or -1 on a write error. */
int sheet__csv_put_file(FILE *f, const char *cell);

#endif

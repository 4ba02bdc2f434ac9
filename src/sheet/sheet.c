/*
 * sheet.c - the sheet itself: its arena, building rows and freeing.
 */
#include "sheet/sheet_int.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Chunks are this big unless one string needs more; big enough that a 100,000-row
 * import makes a few hundred allocations, not millions. */
#define CHUNK_SIZE  (64 * 1024)
#define ARENA_ALIGN sizeof(void *)

struct sheet__chunk {
    struct sheet__chunk *next;
    size_t used, cap;
    /* Pointer-aligned payload: the cell arrays of rows live here too. */
    void *data[];
};

/*
 * Messages may quote untrusted text (a part name from the upload) and snprintf may cut
 * them inside a character, yet they end up in JSON responses, which must be valid UTF-8
 * (jansson refuses anything else), and in one-line logs. So the text is cut at the first
 * byte that is not valid UTF-8, and control characters become spaces.
 */
static void err_clean(char *err)
{
    size_t n = strlen(err), i = 0;

    while (i < n) {
        unsigned char c = (unsigned char)err[i];
        size_t l = c < 0x80 ? 1 : c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 0;

        if (l == 0 || l > n - i || !sheet__utf8_valid(err + i, l)) {
            err[i] = '\0';
            return;
        }
        if (c < 0x20 || c == 0x7f)
            err[i] = ' ';
        i += l;
    }
}

void sheet__verr(char *err, size_t errlen, const char *fmt, va_list ap)
{
    if (err == NULL || errlen == 0)
        return;
    vsnprintf(err, errlen, fmt, ap);
    err_clean(err);
}

void sheet__err(char *err, size_t errlen, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    sheet__verr(err, errlen, fmt, ap);
    va_end(ap);
}

/* Caller owns the result: free it with sheet_free(&s->pub). */
struct sheet__impl *sheet__new(void)
{
    struct sheet__impl *s = calloc(1, sizeof *s);

    if (s == NULL)
        return NULL;
    s->empty = sheet__alloc(s, 1);
    if (s->empty == NULL) {
        free(s);
        return NULL;
    }
    s->empty[0] = '\0';
    return s;
}

/* The memory belongs to the sheet until sheet_free(). */
void *sheet__alloc(struct sheet__impl *s, size_t n)
{
    struct sheet__chunk *c = s->chunks;
    size_t need, cap;
    void *p;

    if (n > SIZE_MAX - ARENA_ALIGN)
        return NULL;
    need = (n + ARENA_ALIGN - 1) & ~(ARENA_ALIGN - 1);
    if (need == 0)
        need = ARENA_ALIGN;
    if (c == NULL || c->cap - c->used < need) {
        cap = need > CHUNK_SIZE / 4 ? need : CHUNK_SIZE;
        if (cap > SIZE_MAX - sizeof *c)
            return NULL;
        c = malloc(sizeof *c + cap);
        if (c == NULL)
            return NULL;
        c->used = 0;
        c->cap = cap;
        if (cap == need && s->chunks != NULL) {
            /* A big one-off block goes behind the current chunk, whose free space
             * stays in use for the small strings that follow. */
            c->next = s->chunks->next;
            s->chunks->next = c;
        } else {
            c->next = s->chunks;
            s->chunks = c;
        }
    }
    p = (char *)c->data + c->used;
    c->used += need;
    return p;
}

/* The copy belongs to the sheet. */
char *sheet__strndup(struct sheet__impl *s, const char *p, size_t n)
{
    char *d;

    if (n == 0)
        return s->empty;
    if (n == SIZE_MAX)
        return NULL;
    d = sheet__alloc(s, n + 1);
    if (d == NULL)
        return NULL;
    memcpy(d, p, n);
    d[n] = '\0';
    return d;
}

/* Copies the pointer array into the arena; the strings must already be there. */
int sheet__push_row(struct sheet__impl *s, int number, int ncells, char *const *cells, char *err,
                    size_t errlen)
{
    struct sheet_row *row;
    char **copy;

    if (ncells < 0 || ncells > SHEET_MAX_COLS) {
        sheet__err(err, errlen, "row %d: more than %d columns", number, SHEET_MAX_COLS);
        return -1;
    }
    if (s->pub.nrows >= SHEET_MAX_ROWS) {
        sheet__err(err, errlen, "row %d: more than %d rows", number, SHEET_MAX_ROWS);
        return -1;
    }
    if (s->ncells + ncells > SHEET_MAX_CELLS) {
        sheet__err(err, errlen, "row %d: more than %d cells in all", number, SHEET_MAX_CELLS);
        return -1;
    }
    if (s->pub.nrows == s->cap) {
        int cap = s->cap ? s->cap * 2 : 64;
        struct sheet_row *rows;

        if (cap > SHEET_MAX_ROWS)
            cap = SHEET_MAX_ROWS;
        rows = realloc(s->pub.rows, (size_t)cap * sizeof *rows);
        if (rows == NULL)
            goto oom;
        s->pub.rows = rows;
        s->cap = cap;
    }
    copy = sheet__alloc(s, (size_t)ncells * sizeof *copy);
    if (copy == NULL)
        goto oom;
    for (int i = 0; i < ncells; i++)
        copy[i] = cells[i] ? cells[i] : s->empty;
    row = &s->pub.rows[s->pub.nrows++];
    row->number = number;
    row->ncells = ncells;
    row->cells = copy;
    s->ncells += ncells;
    return 0;
oom:
    sheet__err(err, errlen, "row %d: out of memory", number);
    return -1;
}

int sheet__utf8_valid(const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s, *end = p + n;

    while (p < end) {
        unsigned cp;
        int extra;

        if (*p == 0)
            return 0;
        if (*p < 0x80) {
            p++;
            continue;
        } else if ((*p & 0xe0) == 0xc0) {
            extra = 1;
            cp = *p & 0x1f;
        } else if ((*p & 0xf0) == 0xe0) {
            extra = 2;
            cp = *p & 0x0f;
        } else if ((*p & 0xf8) == 0xf0) {
            extra = 3;
            cp = *p & 0x07;
        } else {
            return 0;
        }
        if (end - p <= extra)
            return 0;
        p++;
        for (int i = 0; i < extra; i++, p++) {
            if ((*p & 0xc0) != 0x80)
                return 0;
            cp = (cp << 6) | (*p & 0x3f);
        }
        /* Overlong forms, UTF-16 surrogates and values past U+10FFFF are not UTF-8
         * (RFC 3629 section 3). */
        if ((extra == 1 && cp < 0x80) || (extra == 2 && cp < 0x800) ||
            (extra == 3 && (cp < 0x10000 || cp > 0x10ffff)) || (cp >= 0xd800 && cp <= 0xdfff))
            return 0;
    }
    return 1;
}

/* Frees the arena chunks, the row array and the sheet. */
void sheet_free(struct sheet *pub)
{
    struct sheet__impl *s = (struct sheet__impl *)pub;
    struct sheet__chunk *c, *next;

    if (s == NULL)
        return;
    for (c = s->chunks; c != NULL; c = next) {
        next = c->next;
        free(c);
    }
    free(s->pub.rows);
    free(s);
}

const char *sheet_cell(const struct sheet_row *row, int col)
{
    if (row == NULL || col < 0 || col >= row->ncells || row->cells[col] == NULL)
        return "";
    return row->cells[col];
}

/* Caller owns the result: free it with sheet_free(). */
struct sheet *sheet_new(void)
{
    struct sheet__impl *s = sheet__new();

    return s ? &s->pub : NULL;
}

/* Copies the cells; the caller keeps its strings. */
int sheet_add_row(struct sheet *pub, int ncells, const char *const *cells)
{
    struct sheet__impl *s = (struct sheet__impl *)pub;
    char *copy[SHEET_MAX_COLS];

    if (s == NULL || ncells < 0 || ncells > SHEET_MAX_COLS || (ncells > 0 && cells == NULL))
        return -1;
    for (int i = 0; i < ncells; i++) {
        size_t n = cells[i] ? strlen(cells[i]) : 0;

        if (n > SHEET_MAX_CELL)
            return -1;
        copy[i] = sheet__strndup(s, cells[i], n);
        if (copy[i] == NULL)
            return -1;
    }
    return sheet__push_row(s, s->pub.nrows + 1, ncells, copy, NULL, 0);
}

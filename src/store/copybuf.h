/*
 * copybuf.h - rows in PostgreSQL's COPY text format, built in memory for store_copy.
 *
 * Each field is followed by a tab, store_copybuf_row turns the last tab into the row's
 * newline. A failed allocation sticks (failed = 1) and the caller checks once at the end.
 */
#ifndef JIEFEN_STORE_COPYBUF_H
#define JIEFEN_STORE_COPYBUF_H

#include <stddef.h>
#include <stdint.h>

struct store_copybuf {
    char *data;
    size_t len, cap;
    int failed;
};

/* A text field, escaped as COPY reads it (backslash, tab, newline, CR); NULL is \N. */
void store_copybuf_text(struct store_copybuf *b, const char *s);
void store_copybuf_int(struct store_copybuf *b, int64_t v);
/* Ends the row. */
void store_copybuf_row(struct store_copybuf *b);
/* Empties the buffer, keeping its memory. */
void store_copybuf_clear(struct store_copybuf *b);
void store_copybuf_free(struct store_copybuf *b);

#endif

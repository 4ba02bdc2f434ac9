/*
 * copybuf.c - rows in PostgreSQL's COPY text format (copybuf.h).
 */
#include "store/copybuf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Room for n more bytes; doubling keeps a million rows at a few dozen reallocations. */
static int room(struct store_copybuf *b, size_t n)
{
    char *p;
    size_t cap;

    if (b->failed)
        return 0;
    if (b->len + n <= b->cap)
        return 1;
    cap = b->cap ? b->cap : 65536;
    while (cap < b->len + n)
        cap *= 2;
    if (!(p = realloc(b->data, cap))) {
        b->failed = 1;
        return 0;
    }
    b->data = p;
    b->cap = cap;
    return 1;
}

void store_copybuf_text(struct store_copybuf *b, const char *s)
{
    if (!s) {
        if (room(b, 3)) {
            memcpy(b->data + b->len, "\\N\t", 3);
            b->len += 3;
        }
        return;
    }
    /* At most two bytes per byte, and the tab. */
    if (!room(b, strlen(s) * 2 + 1))
        return;
    for (; *s; s++) {
        char esc = *s == '\\' ? '\\' : *s == '\t' ? 't' : *s == '\n' ? 'n' : *s == '\r' ? 'r' : 0;
        if (esc) {
            b->data[b->len++] = '\\';
            b->data[b->len++] = esc;
        } else {
            b->data[b->len++] = *s;
        }
    }
    b->data[b->len++] = '\t';
}

void store_copybuf_int(struct store_copybuf *b, int64_t v)
{
    char n[24];

    snprintf(n, sizeof n, "%lld", (long long)v);
    store_copybuf_text(b, n);
}

void store_copybuf_row(struct store_copybuf *b)
{
    if (!b->failed && b->len > 0 && b->data[b->len - 1] == '\t')
        b->data[b->len - 1] = '\n';
}

void store_copybuf_clear(struct store_copybuf *b)
{
    b->len = 0;
}

void store_copybuf_free(struct store_copybuf *b)
{
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
    b->failed = 0;
}

/*
 * jsonout.c - compact JSON text from a jansson tree (see jsonout.h for why).
 *
 * The output is byte for byte what jansson 2.14's dump.c gives with JSON_COMPACT |
 * JSON_ENCODE_ANY: object members in insertion order, "," and ":" without spaces, integers
 * as %lld, reals as %.17g with ".0" added when neither a '.' nor an 'e' is in it and the
 * exponent without '+' or leading zeros, strings escaped as \" \\ \b \f \n \r \t and other
 * control characters as \u00XX (upper-case hex), everything else as it is (UTF-8).
 */
#include "http/jsonout.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* As deep as jansson's parser reads; a cycle (a tree that holds itself) ends here too. */
#define JSONOUT_MAX_DEPTH 2048

struct buf {
    char *p;
    size_t len, cap;
    int failed;
};

static int reserve(struct buf *b, size_t more)
{
    size_t cap = b->cap ? b->cap : 4096;
    char *p;

    if (b->failed)
        return -1;
    if (b->len + more + 1 <= b->cap)
        return 0;
    while (cap < b->len + more + 1)
        cap *= 2;
    p = realloc(b->p, cap);
    if (!p) {
        b->failed = 1;
        return -1;
    }
    b->p = p;
    b->cap = cap;
    return 0;
}

static void put(struct buf *b, const char *s, size_t n)
{
    if (reserve(b, n) == 0) {
        memcpy(b->p + b->len, s, n);
        b->len += n;
    }
}

static void put_string(struct buf *b, const char *s, size_t n)
{
    /* The characters with a two-character escape, each followed by its letter. */
    static const char shorts[] = "\"\"\\\\\bb\ff\nn\rr\tt", hex[] = "0123456789ABCDEF";
    size_t run = 0;

    put(b, "\"", 1);
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)s[i];

        if (ch >= 0x20 && ch != '"' && ch != '\\')
            continue;
        char esc[6] = {'\\', 'u', '0', '0', hex[ch >> 4], hex[ch & 15]};
        /* First found at an even place: '"' and '\\' are letters of their own escapes too. */
        const char *short_esc = ch ? memchr(shorts, ch, sizeof shorts - 1) : NULL;

        put(b, s + run, i - run);
        run = i + 1;
        if (short_esc) {
            esc[1] = short_esc[1];
            put(b, esc, 2);
        } else {
            put(b, esc, 6); /* \u00XX */
        }
    }
    put(b, s + run, n - run);
    put(b, "\"", 1);
}

/* jansson's jsonp_dtostr at precision 17. */
static void put_real(struct buf *b, double v)
{
    char s[64], *e;
    int n = snprintf(s, sizeof s - 3, "%.17g", v);

    if (n < 0 || n >= (int)sizeof s - 3) {
        b->failed = 1;
        return;
    }
    if (!strchr(s, '.') && !strchr(s, 'e')) {
        memcpy(s + n, ".0", 3);
        n += 2;
    }
    e = strchr(s, 'e');
    if (e) { /* e+05 -> e5, e-05 -> e-5 */
        char *start = e + 1, *end = e + 2;
        if (*start == '-')
            start++;
        while (*end == '0')
            end++;
        if (end != start) {
            memmove(start, end, (size_t)(s + n - end) + 1);
            n -= (int)(end - start);
        }
    }
    put(b, s, (size_t)n);
}

static void put_value(struct buf *b, const json_t *j, int depth)
{
    char num[32];
    const char *key;
    json_t *v;
    size_t i;
    int n;

    if (depth > JSONOUT_MAX_DEPTH) {
        b->failed = 1;
        return;
    }
    switch (json_typeof(j)) {
    case JSON_NULL:
        put(b, "null", 4);
        break;
    case JSON_TRUE:
        put(b, "true", 4);
        break;
    case JSON_FALSE:
        put(b, "false", 5);
        break;
    case JSON_INTEGER: /* %lld without printf's machinery: ids and counts are most numbers */
        n = (int)sizeof num;
        {
            json_int_t x = json_integer_value(j);
            unsigned long long u = x < 0 ? 0ULL - (unsigned long long)x : (unsigned long long)x;
            do {
                num[--n] = (char)('0' + u % 10);
                u /= 10;
            } while (u);
            if (x < 0)
                num[--n] = '-';
        }
        put(b, num + n, sizeof num - (size_t)n);
        break;
    case JSON_REAL:
        put_real(b, json_real_value(j));
        break;
    case JSON_STRING:
        put_string(b, json_string_value(j), json_string_length(j));
        break;
    case JSON_ARRAY:
        put(b, "[", 1);
        json_array_foreach(j, i, v)
        {
            if (i)
                put(b, ",", 1);
            put_value(b, v, depth + 1);
        }
        put(b, "]", 1);
        break;
    case JSON_OBJECT:
        put(b, "{", 1);
        i = 0;
        json_object_foreach((json_t *)j, key, v)
        {
            if (i++)
                put(b, ",", 1);
            put_string(b, key, strlen(key));
            put(b, ":", 1);
            put_value(b, v, depth + 1);
        }
        put(b, "}", 1);
        break;
    }
}

char *jsonout_dump(const json_t *j, size_t *len)
{
    struct buf b = {0};

    if (!j)
        return NULL;
    put_value(&b, j, 0);
    if (b.failed || reserve(&b, 0) != 0) {
        free(b.p);
        return NULL;
    }
    b.p[b.len] = '\0';
    if (len)
        *len = b.len;
    return b.p;
}

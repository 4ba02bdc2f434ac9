#include "doc/doc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DOC_MAX_DEPTH 8

struct buf {
    char *s;
    size_t len, cap;
    int failed;
};

static void put(struct buf *b, const char *s, size_t n)
{
    if (b->failed)
        return;
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 4096;
        while (cap < b->len + n + 1)
            cap *= 2;
        char *p = realloc(b->s, cap);
        if (!p) {
            b->failed = 1;
            return;
        }
        b->s = p;
        b->cap = cap;
    }
    memcpy(b->s + b->len, s, n);
    b->len += n;
    b->s[b->len] = '\0';
}

static void put_escaped(struct buf *b, const char *s)
{
    for (; *s; s++) {
        switch (*s) {
        case '<':
            put(b, "&lt;", 4);
            break;
        case '>':
            put(b, "&gt;", 4);
            break;
        case '&':
            put(b, "&amp;", 5);
            break;
        case '"':
            put(b, "&quot;", 6);
            break;
        case '\'':
            put(b, "&#39;", 5);
            break;
        default:
            put(b, s, 1);
        }
    }
}

/* Looks a dotted path up in the context stack, innermost first. */
static const json_t *lookup(const json_t *const *stack, int depth, const char *key, size_t n)
{
    char path[128];

    if (n == 1 && key[0] == '.')
        return stack[depth];
    if (n >= sizeof path)
        return NULL;
    memcpy(path, key, n);
    path[n] = '\0';
    for (int d = depth; d >= 0; d--) {
        const json_t *v = stack[d];
        char *save = NULL, copy[128];
        memcpy(copy, path, n + 1);
        for (char *part = strtok_r(copy, ".", &save); part && v; part = strtok_r(NULL, ".", &save))
            v = json_is_object(v) ? json_object_get(v, part) : NULL;
        if (v)
            return v;
    }
    return NULL;
}

static int truthy(const json_t *v)
{
    if (!v || json_is_null(v) || json_is_false(v))
        return 0;
    if (json_is_string(v))
        return json_string_length(v) > 0;
    if (json_is_array(v))
        return json_array_size(v) > 0;
    return 1;
}

/* Finds the {{/key}} closing a section opened just before `from`, allowing nesting. */
static const char *section_end(const char *from, const char *key, size_t n, const char **after)
{
    int level = 1;
    for (const char *p = strstr(from, "{{"); p; p = strstr(p + 2, "{{")) {
        const char *close = strstr(p, "}}");
        if (!close)
            return NULL;
        if ((p[2] == '#' || p[2] == '^') && (size_t)(close - p - 3) == n &&
            strncmp(p + 3, key, n) == 0)
            level++;
        else if (p[2] == '/' && (size_t)(close - p - 3) == n && strncmp(p + 3, key, n) == 0 &&
                 --level == 0) {
            *after = close + 2;
            return p;
        }
    }
    return NULL;
}

static int render(struct buf *b, const char *tpl, const char *end, const json_t **stack, int depth,
                  int strict, char *err, size_t errlen)
{
    const char *p = tpl;

    while (p < end) {
        const char *open = strstr(p, "{{"), *close, *key, *body_end, *after;
        size_t n;

        if (!open || open >= end) {
            put(b, p, (size_t)(end - p));
            break;
        }
        put(b, p, (size_t)(open - p));
        close = strstr(open, "}}");
        if (!close || close > end) {
            snprintf(err, errlen, "unclosed tag");
            return -1;
        }
        key = open + 2;
        n = (size_t)(close - key);
        if (*key == '#' || *key == '^') {
            int invert = *key == '^';
            const json_t *v = lookup(stack, depth, key + 1, n - 1);
            body_end = section_end(close + 2, key + 1, n - 1, &after);
            if (!body_end || body_end > end) {
                snprintf(err, errlen, "section %.*s is not closed", (int)(n - 1), key + 1);
                return -1;
            }
            if (depth + 1 >= DOC_MAX_DEPTH) {
                snprintf(err, errlen, "sections nested too deep");
                return -1;
            }
            if (invert) {
                if (!truthy(v) && render(b, close + 2, body_end, stack, depth, strict, err, errlen))
                    return -1;
            } else if (json_is_array(v)) {
                size_t i;
                const json_t *item;
                json_array_foreach(v, i, item)
                {
                    stack[depth + 1] = item;
                    if (render(b, close + 2, body_end, stack, depth + 1, strict, err, errlen))
                        return -1;
                }
            } else if (truthy(v)) {
                stack[depth + 1] = json_is_object(v) ? v : stack[depth];
                if (render(b, close + 2, body_end, stack, depth + 1, strict, err, errlen))
                    return -1;
            }
            p = after;
            continue;
        }
        {
            const json_t *v = lookup(stack, depth, key, n);
            char num[64];
            if (strict &&
                (!v || json_is_null(v) || (json_is_string(v) && !json_string_length(v)))) {
                snprintf(err, errlen, "{{%.*s}} prints nothing", (int)n, key);
                return -1;
            }
            if (json_is_string(v))
                put_escaped(b, json_string_value(v));
            else if (json_is_integer(v)) {
                snprintf(num, sizeof num, "%lld", (long long)json_integer_value(v));
                put(b, num, strlen(num));
            } else if (json_is_real(v)) {
                snprintf(num, sizeof num, "%g", json_real_value(v));
                put(b, num, strlen(num));
            }
        }
        p = close + 2;
    }
    return 0;
}

static char *render_all(const char *tpl, const json_t *ctx, int strict, char *err, size_t errlen)
{
    struct buf b = {0};
    const json_t *stack[DOC_MAX_DEPTH] = {ctx};

    put(&b, "", 0);
    if (render(&b, tpl, tpl + strlen(tpl), stack, 0, strict, err, errlen) != 0 || b.failed) {
        if (b.failed)
            snprintf(err, errlen, "out of memory");
        free(b.s);
        return NULL;
    }
    return b.s;
}

char *doc_render(const char *tpl, const json_t *ctx, char *err, size_t errlen)
{
    return render_all(tpl, ctx, 0, err, errlen);
}

char *doc_render_strict(const char *tpl, const json_t *ctx, char *err, size_t errlen)
{
    return render_all(tpl, ctx, 1, err, errlen);
}

/*
 * text.c - normalisation (OpenCC t2s and folding) and bigram tokens for search.
 *
 * Only text_normalise touches OpenCC; the tokenizer below is pure, so the index tokens of
 * stored text can be recomputed from the normalised text alone.
 */
#include "text/text.h"

#include <opencc.h>

#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct text {
    opencc_t cc;
    /*
     * Held by pointer so that the const handle callers share can still be locked: the
     * lock is the handle's only mutable state and guards the OpenCC converter.
     */
    pthread_mutex_t *lock;
};

/* Where Debian (libopencc-data), a source install and Homebrew put the configs. */
static const char *const text__config_dirs[] = {
    "/usr/share/opencc",
    "/usr/local/share/opencc",
    "/opt/homebrew/share/opencc",
};

static void text__err(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void text__err(char *err, size_t errlen, const char *fmt, ...)
{
    va_list ap;

    if (err == NULL || errlen == 0)
        return;
    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
}

/*
 * Decodes the UTF-8 sequence at p into *cp and returns its length (1 to 4), or returns 0
 * if p does not start a valid sequence (overlong forms, surrogates and code points past
 * U+10FFFF are invalid). p must be NUL-terminated: a NUL stops every check below.
 */
static int text__decode(const unsigned char *p, unsigned long *cp)
{
    if (p[0] < 0x80) {
        *cp = p[0];
        return 1;
    }
    if (p[0] >= 0xC2 && p[0] <= 0xDF) {
        if ((p[1] & 0xC0) != 0x80)
            return 0;
        *cp = ((p[0] & 0x1FUL) << 6) | (p[1] & 0x3FUL);
        return 2;
    }
    if (p[0] >= 0xE0 && p[0] <= 0xEF) {
        if ((p[1] & 0xC0) != 0x80 || (p[2] & 0xC0) != 0x80)
            return 0;
        if ((p[0] == 0xE0 && p[1] < 0xA0) || (p[0] == 0xED && p[1] >= 0xA0))
            return 0;
        *cp = ((p[0] & 0x0FUL) << 12) | ((p[1] & 0x3FUL) << 6) | (p[2] & 0x3FUL);
        return 3;
    }
    if (p[0] >= 0xF0 && p[0] <= 0xF4) {
        if ((p[1] & 0xC0) != 0x80 || (p[2] & 0xC0) != 0x80 || (p[3] & 0xC0) != 0x80)
            return 0;
        if ((p[0] == 0xF0 && p[1] < 0x90) || (p[0] == 0xF4 && p[1] >= 0x90))
            return 0;
        *cp = ((p[0] & 0x07UL) << 18) | ((p[1] & 0x3FUL) << 12) | ((p[2] & 0x3FUL) << 6) |
              (p[3] & 0x3FUL);
        return 4;
    }
    return 0;
}

/*
 * CJK ideographs: the Unified blocks (basic, extensions A to H), the compatibility blocks,
 * and 〇 (U+3007), which is written as a numeral in dates and addresses.
 */
static int text__is_han(unsigned long cp)
{
    return (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3400 && cp <= 0x4DBF) ||
           (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0x20000 && cp <= 0x2FA1F) ||
           (cp >= 0x30000 && cp <= 0x323AF) || cp == 0x3007;
}

static int text__is_alnum(unsigned long cp)
{
    return (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9');
}

/* Cuts s at TEXT_MAX_INPUT bytes on a character boundary and replaces invalid UTF-8 and
 * control characters with spaces, so OpenCC only ever sees valid text. Returns a malloc'd
 * copy or NULL if out of memory. */
static char *text__clean(const char *s, int keep_newlines)
{
    size_t len = strnlen(s, TEXT_MAX_INPUT + 1), i = 0;
    unsigned long cp;
    char *out;
    int l;

    if (len > TEXT_MAX_INPUT) {
        len = TEXT_MAX_INPUT;
        while (len > 0 && ((unsigned char)s[len] & 0xC0) == 0x80)
            len--;
    }
    out = malloc(len + 1);
    if (out == NULL)
        return NULL;
    memcpy(out, s, len);
    out[len] = '\0';
    while (i < len) {
        l = text__decode((const unsigned char *)out + i, &cp);
        /* A sequence the cut split in two decodes as invalid: it meets the NUL. An invalid
         * byte leaves cp as it was, so it is blanked before cp is looked at (fuzz_text
         * found "\n\xa5" kept whole: the stale newline let the byte through to OpenCC). */
        if (l == 0) {
            out[i++] = ' ';
            continue;
        }
        if (keep_newlines && cp == '\n') {
            i++;
            continue;
        }
        if (cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp < 0xA0)) {
            out[i++] = ' ';
            continue;
        }
        i += (size_t)l;
    }
    return out;
}

/*
 * Folds converted text: full-width forms to ASCII, ASCII letters to lower case, keeps
 * ideographs, turns everything else into single spaces, trims. Writes in place: no step
 * makes text longer.
 */
static void text__fold(char *s)
{
    unsigned char *p = (unsigned char *)s;
    size_t r = 0, w = 0;
    unsigned long cp;
    int l, sep = 1; /* 1 at the start: leading separators are dropped */

    while (p[r] != '\0') {
        l = text__decode(p + r, &cp);
        if (l == 0) {
            cp = ' ';
            l = 1;
        }
        /* Full-width ASCII (U+FF01-FF5E) is ASCII shifted by 0xFEE0; U+3000 is a space. */
        if (cp >= 0xFF01 && cp <= 0xFF5E)
            cp -= 0xFEE0;
        if (text__is_alnum(cp)) {
            p[w++] = (unsigned char)(cp >= 'A' && cp <= 'Z' ? cp + ('a' - 'A') : cp);
            sep = 0;
        } else if (text__is_han(cp)) {
            memmove(p + w, p + r, (size_t)l);
            w += (size_t)l;
            sep = 0;
        } else if (!sep) {
            p[w++] = ' ';
            sep = 1;
        }
        r += (size_t)l;
    }
    if (w > 0 && sep)
        w--;
    p[w] = '\0';
}

/* Converts with OpenCC under the handle's lock. Returns a malloc'd string or NULL. */
static char *text__convert(const struct text *t, const char *s)
{
    char *conv, *out = NULL;

    pthread_mutex_lock(t->lock);
    conv = opencc_convert_utf8(t->cc, s, strlen(s));
    pthread_mutex_unlock(t->lock);
    if (conv == NULL)
        return NULL;
    /* Copied so callers free with free(): OpenCC's buffer needs its own free function. */
    out = strdup(conv);
    opencc_convert_utf8_free(conv);
    return out;
}

/* text_normalise with a reason: TEXT_OK, TEXT_ENOMEM or TEXT_ECONVERT. */
static int text__normalise(const struct text *t, const char *utf8, char **out)
{
    char *clean = NULL;
    int rc = TEXT_ENOMEM;

    *out = NULL;
    clean = text__clean(utf8, 0);
    if (clean == NULL)
        goto out;
    *out = text__convert(t, clean);
    if (*out == NULL) {
        rc = TEXT_ECONVERT;
        goto out;
    }
    text__fold(*out);
    rc = TEXT_OK;
out:
    free(clean);
    return rc;
}

struct text *text_open(char *err, size_t errlen)
{
    char path[4096];
    const char *env = getenv(TEXT_OPENCC_ENV);
    struct text *t = NULL;
    char *probe = NULL;
    int found = 0, n;

    if (env != NULL && env[0] != '\0') {
        if (access(env, R_OK) != 0) {
            text__err(err, errlen, "OpenCC config %s (from $%s) cannot be read", env,
                      TEXT_OPENCC_ENV);
            return NULL;
        }
        n = snprintf(path, sizeof path, "%s", env);
        found = n > 0 && (size_t)n < sizeof path;
    } else {
        for (size_t i = 0; i < sizeof text__config_dirs / sizeof text__config_dirs[0]; i++) {
            n = snprintf(path, sizeof path, "%s/t2s.json", text__config_dirs[i]);
            if (n > 0 && (size_t)n < sizeof path && access(path, R_OK) == 0) {
                found = 1;
                break;
            }
        }
    }
    if (!found) {
        text__err(err, errlen,
                  "OpenCC config t2s.json not found in /usr/share/opencc, /usr/local/share/opencc "
                  "or /opt/homebrew/share/opencc: install the Debian package libopencc-data or "
                  "set $%s",
                  TEXT_OPENCC_ENV);
        return NULL;
    }
    t = calloc(1, sizeof *t);
    if (t == NULL)
        goto nomem;
    t->cc = (opencc_t)-1;
    /* Allocating a pthread_mutex_t is what fio38 allows; it is never copied after init. */
    t->lock = malloc(sizeof *t->lock); // NOLINT(cert-fio38-c)
    if (t->lock == NULL)
        goto nomem;
    if (pthread_mutex_init(t->lock, NULL) != 0) {
        free(t->lock);
        t->lock = NULL;
        goto nomem;
    }
    t->cc = opencc_open(path);
    if (t->cc == (opencc_t)-1) {
        text__err(err, errlen, "OpenCC cannot load %s: %s", path, opencc_error());
        goto fail;
    }
    /* A config that is not t2s (say s2t) would load fine and silently break search. */
    probe = text__convert(t, "鄰里糾紛");
    if (probe == NULL || strcmp(probe, "邻里纠纷") != 0) {
        text__err(err, errlen, "OpenCC config %s does not convert Traditional to Simplified", path);
        goto fail;
    }
    free(probe);
    return t;
nomem:
    text__err(err, errlen, "out of memory");
fail:
    free(probe);
    text_close(t);
    return NULL;
}

void text_close(struct text *t)
{
    if (t == NULL)
        return;
    if (t->cc != (opencc_t)-1 && t->cc != NULL)
        opencc_close(t->cc);
    if (t->lock != NULL) {
        pthread_mutex_destroy(t->lock);
        free(t->lock);
    }
    free(t);
}

char *text_normalise(const struct text *t, const char *utf8)
{
    char *out = NULL;

    if (utf8 == NULL)
        return NULL;
    text__normalise(t, utf8, &out);
    return out;
}

/* Full-width ASCII to half-width and the ideographic space to a space, in place (the
 * UTF-8 of each replacement is shorter than the original). */
static void text__halfwidth(char *s)
{
    unsigned char *p = (unsigned char *)s;
    size_t r = 0, w = 0;
    unsigned long cp;
    int l;

    while (p[r] != '\0') {
        l = text__decode(p + r, &cp);
        if (l == 0) { /* text__clean left none; copy the byte as it is */
            l = 1;
            cp = p[r];
        }
        if (cp >= 0xFF01 && cp <= 0xFF5E)
            p[w++] = (unsigned char)(cp - 0xFEE0);
        else if (cp == 0x3000)
            p[w++] = ' ';
        else {
            memmove(p + w, p + r, (size_t)l);
            w += (size_t)l;
        }
        r += (size_t)l;
    }
    p[w] = '\0';
}

char *text_simplify(const struct text *t, const char *utf8)
{
    char *clean, *out;

    if (utf8 == NULL)
        return NULL;
    clean = text__clean(utf8, 1);
    if (clean == NULL)
        return NULL;
    out = text__convert(t, clean);
    free(clean);
    if (out != NULL)
        text__halfwidth(out);
    return out;
}

/* A growing string of hex tokens. */
struct text_toks {
    char *s;
    size_t len, cap;
    int n;      /* tokens written */
    int max;    /* tokens allowed */
    int unique; /* 1: skip a token already written (queries) */
    int over;   /* 1: a token was dropped because max was reached */
    int han;    /* ideographs seen */
    int words;  /* ASCII words seen */
};

/* 1 if the hex token tok (hlen characters) is already in the list. */
static int text__has(const struct text_toks *tt, const char *tok, size_t hlen)
{
    const char *p = tt->s, *end;

    if (p == NULL) /* nothing written yet: NULL + 0 is undefined (found by fuzz_text) */
        return 0;
    end = p + tt->len;
    while (p < end) {
        const char *sp = memchr(p, ' ', (size_t)(end - p));
        size_t l = (size_t)((sp != NULL ? sp : end) - p);

        if (l == hlen && memcmp(p, tok, hlen) == 0)
            return 1;
        p += l + 1;
    }
    return 0;
}

/*
 * Appends the hex of len bytes (a, then b; b may be NULL), ASCII lower-cased, as one
 * token. Returns 0, or -1 if out of memory. A token past max is dropped and noted.
 */
static int text__emit(struct text_toks *tt, const unsigned char *a, size_t alen,
                      const unsigned char *b, size_t blen)
{
    static const char hex[] = "0123456789abcdef";
    char tok[2 * (TEXT_MAX_WORD + 8)];
    size_t hlen = 0;

    for (int part = 0; part < 2; part++) {
        const unsigned char *p = part == 0 ? a : b;
        size_t len = part == 0 ? alen : blen;

        for (size_t i = 0; p != NULL && i < len && hlen + 2 <= sizeof tok; i++) {
            unsigned char c = p[i] >= 'A' && p[i] <= 'Z' ? p[i] + ('a' - 'A') : p[i];

            tok[hlen++] = hex[c >> 4];
            tok[hlen++] = hex[c & 15];
        }
    }
    if (tt->unique && text__has(tt, tok, hlen))
        return 0;
    if (tt->n >= tt->max) {
        tt->over = 1;
        return 0;
    }
    if (tt->cap - tt->len < hlen + 2) {
        /* Doubling from 256 cannot overflow: TEXT_MAX_TOKENS tokens fit in a few MiB. */
        size_t cap = tt->cap ? 2 * tt->cap : 256;
        char *s;

        while (cap - tt->len < hlen + 2)
            cap *= 2;
        s = realloc(tt->s, cap);
        if (s == NULL)
            return -1;
        tt->s = s;
        tt->cap = cap;
    }
    if (tt->n > 0)
        tt->s[tt->len++] = ' ';
    memcpy(tt->s + tt->len, tok, hlen);
    tt->len += hlen;
    tt->s[tt->len] = '\0';
    tt->n++;
    return 0;
}

/*
 * Cuts text into tokens: adjacent pairs within runs of ideographs (a lone ideograph on its
 * own), whole words within runs of ASCII letters and digits. Returns 0 or -1 (out of
 * memory). Stops early once max tokens are written.
 */
static int text__tokenize(const char *text, struct text_toks *tt)
{
    const unsigned char *p = (const unsigned char *)text;
    const unsigned char *prev = NULL, *word = NULL; /* last ideograph of a run; word start */
    size_t r = 0;
    int prevlen = 0, run = 0;
    unsigned long cp = 0;

    for (;;) {
        int l = p[r] == '\0' ? 1 : text__decode(p + r, &cp);
        int han, alnum;

        if (l == 0) {
            cp = ' ';
            l = 1;
        }
        han = p[r] != '\0' && text__is_han(cp);
        alnum = p[r] != '\0' && text__is_alnum(cp);
        if (!han && run > 0) {
            if (run == 1 && text__emit(tt, prev, (size_t)prevlen, NULL, 0) != 0)
                return -1;
            run = 0;
        }
        if (!alnum && word != NULL) {
            size_t wlen = (size_t)(p + r - word);

            if (text__emit(tt, word, wlen < TEXT_MAX_WORD ? wlen : TEXT_MAX_WORD, NULL, 0) != 0)
                return -1;
            tt->words++;
            word = NULL;
        }
        if (han) {
            if (run > 0 && text__emit(tt, prev, (size_t)prevlen, p + r, (size_t)l) != 0)
                return -1;
            prev = p + r;
            prevlen = l;
            run++;
            tt->han++;
        } else if (alnum && word == NULL) {
            word = p + r;
        }
        if (p[r] == '\0' || tt->over)
            break;
        r += (size_t)l;
    }
    return 0;
}

char *text_bigrams(const char *normalised)
{
    struct text_toks tt = {.max = TEXT_MAX_TOKENS};

    if (normalised == NULL)
        return NULL;
    if (text__tokenize(normalised, &tt) != 0) {
        free(tt.s);
        return NULL;
    }
    if (tt.s == NULL)
        return strdup("");
    return tt.s;
}

int text_query(const struct text *t, const char *user_query, char **tokens)
{
    struct text_toks tt = {.max = TEXT_MAX_QUERY_TOKENS, .unique = 1};
    char *norm = NULL;
    int rc;

    *tokens = NULL;
    if (user_query == NULL)
        return TEXT_ESHORT;
    if (strnlen(user_query, TEXT_MAX_QUERY + 1) > TEXT_MAX_QUERY)
        return TEXT_ELONG;
    rc = text__normalise(t, user_query, &norm);
    if (rc != TEXT_OK)
        goto out;
    rc = TEXT_ENOMEM;
    if (text__tokenize(norm, &tt) != 0)
        goto out;
    rc = TEXT_ESHORT;
    if (tt.han < 2 && tt.words == 0)
        goto out;
    rc = TEXT_ELONG;
    if (tt.over)
        goto out;
    *tokens = tt.s;
    tt.s = NULL;
    rc = TEXT_OK;
out:
    free(tt.s);
    free(norm);
    return rc;
}

char *text_number_terms(const char *number)
{
    struct text_toks tt = {.max = TEXT_MAX_TOKENS, .unique = 1};
    const unsigned char *p = (const unsigned char *)number;

    if (number == NULL)
        return NULL;
    if (text__tokenize(number, &tt) != 0)
        goto nomem;
    /* Every digit substring of two or more digits: a 16-digit run gives 120 of them. */
    for (size_t i = 0; p[i] != '\0';) {
        size_t run = 0;

        while (p[i + run] >= '0' && p[i + run] <= '9')
            run++;
        if (run > TEXT_MAX_NUMBER_DIGITS)
            run = TEXT_MAX_NUMBER_DIGITS;
        for (size_t a = 0; a < run; a++)
            for (size_t len = 2; a + len <= run; len++)
                if (text__emit(&tt, p + i + a, len, NULL, 0) != 0)
                    goto nomem;
        if (run == 0) {
            i++;
            continue;
        }
        for (i += run; p[i] >= '0' && p[i] <= '9';) /* the part of an overlong run not read */
            i++;
    }
    if (tt.s == NULL)
        return strdup("");
    return tt.s;
nomem:
    free(tt.s);
    return NULL;
}

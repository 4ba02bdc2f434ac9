/*
 * fuzz_text.c - the Chinese text pipeline on untrusted text (facts, claims, search
 * queries, case numbers): text_normalise, text_simplify, text_bigrams, text_query and
 * text_number_terms. Checks more than "no crash": every output is valid UTF-8 text
 * without NUL surprises, and bigrams of normalised text are plain hex words.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "text/text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct text *handle;

/* Tokens are lowercase hex words separated by one space (text.h, "Encoding"). */
static void check_tokens(const char *t)
{
    for (const char *p = t; *p; p++)
        if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f') || *p == ' '))
            abort();
    if (t[0] == ' ' || (t[0] && t[strlen(t) - 1] == ' ') || strstr(t, "  "))
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char err[256], *s = malloc(size + 1), *norm, *simp, *big, *num, *q = NULL;

    if (!handle && !(handle = text_open(err, sizeof err)))
        abort(); /* libopencc-data missing: nothing useful can run */
    if (!s)
        return 0;
    memcpy(s, data, size);
    s[size] = '\0';
    norm = text_normalise(handle, s);
    simp = text_simplify(handle, s);
    if (!norm || !simp)
        abort();
    big = text_bigrams(norm);
    num = text_number_terms(s);
    if (!big || !num)
        abort();
    check_tokens(big);
    check_tokens(num);
    if (text_query(handle, s, &q) == TEXT_OK)
        check_tokens(q);
    else if (q)
        abort();
    free(q);
    free(num);
    free(big);
    free(simp);
    free(norm);
    free(s);
    return 0;
}

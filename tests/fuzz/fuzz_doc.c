/*
 * fuzz_doc.c - the document template renderer (doc_render, doc_render_strict) and the
 * context builder (doc_context). Input: a template, a NUL byte, then a JSON context (the
 * facts of a case: parties' names and what they wrote are untrusted). Checks that every
 * string of the context comes out escaped: no '<' from the context reaches the page.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "doc/doc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const uint8_t *nul = memchr(data, '\0', size);
    size_t tlen = nul ? (size_t)(nul - data) : size;
    char *tpl = malloc(tlen + 1), *out, err[256];
    json_t *ctx = NULL;

    if (!tpl)
        return 0;
    memcpy(tpl, data, tlen);
    tpl[tlen] = '\0';
    if (nul)
        ctx = json_loadb((const char *)nul + 1, size - tlen - 1, JSON_DECODE_ANY, NULL);
    if (!ctx)
        ctx = json_object();
    out = doc_render(tpl, ctx, err, sizeof err);
    /* A template without '<' rendered over any context has none in its output. */
    if (out && !strchr(tpl, '<') && strchr(out, '<'))
        abort();
    free(out);
    free(doc_render_strict(tpl, ctx, err, sizeof err));
    if (json_is_object(ctx)) {
        json_t *facts = doc_context(json_deep_copy(ctx));
        free(doc_render(tpl, facts, err, sizeof err));
        json_decref(facts);
    }
    json_decref(ctx);
    free(tpl);
    return 0;
}

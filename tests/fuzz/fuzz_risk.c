/*
 * fuzz_risk.c - the risk reader on what parties and mediators wrote: the pattern reader
 * (risk_text_read), the statistical second reading (risk_model_prob) and the grade with
 * its reason sentences (risk_assess, risk_reasons_text), as the case module calls them.
 * The first two input bytes choose the numbers of the case; the rest is its text.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/risk.h"
#include "core/risk_model.h"
#include "core/risk_text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_hits(const struct risk_text_result *r)
{
    if (r->nhits < 0 || r->nhits > RISK_TEXT_MAX_HITS)
        abort();
    for (int i = 0; i < r->nhits; i++)
        if ((unsigned)r->hits[i].kind >= RT_NKINDS ||
            memchr(r->hits[i].quote, '\0', sizeof r->hits[i].quote) == NULL ||
            memchr(r->hits[i].phrase, '\0', sizeof r->hits[i].phrase) == NULL)
            abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct risk_text_result hits;
    static struct risk_result grade;
    struct risk_model_why why;
    struct risk_weights w;
    struct risk_input in = {0};
    char *text, reasons[2048];
    double p;

    if (size < 2)
        return 0;
    if (!(text = malloc(size - 1)))
        return 0;
    memcpy(text, data + 2, size - 2);
    text[size - 2] = '\0';

    risk_text_read(text, &hits);
    check_hits(&hits);
    (void)risk_text_has_literal(text);
    p = risk_model_prob(text, &why);
    if (!(p >= 0.0 && p <= 1.0) || why.n < 0 || why.n > RISK_MODEL_WHY)
        abort();

    risk_weights_default(&w);
    in.category = (data[0] & 1) ? "neighbour" : "wage";
    in.complexity = (data[0] & 2) ? "simple" : "major";
    in.people = (data[0] & 4) ? -1 : (int64_t)data[1] * 7;
    in.amount = (data[0] & 8) ? -1 : (int64_t)data[1] * 100003;
    in.key_persons = data[0] >> 6;
    in.urgent = (data[0] >> 4) & 1;
    in.repeat_disputes = data[1] & 3;
    in.escalations = (data[1] >> 2) & 3;
    in.sensitive_period = (data[0] >> 5) & 1;
    in.text = text;
    risk_assess(&in, &w, &grade);
    if (grade.nreasons < 0 || grade.nreasons > RISK_MAX_REASONS)
        abort();
    risk_reasons_text(&grade, reasons, sizeof reasons);
    if (memchr(reasons, '\0', sizeof reasons) == NULL)
        abort();
    free(text);
    return 0;
}

/*
 * risk_model.h - a statistical second reading of a case's text (docs/risk.md, "A statistical
 * second reading"): a logistic regression over character 1-3-grams, trained offline by
 * scripts/risk_train.py on the labelled sets in tests/data/ and shipped as a table
 * (risk_model_data.c, generated). It reads what the patterns of risk_text.c have no rule
 * for; risk.c adds its points only when the patterns found no dangerous kind.
 *
 * Pure: no I/O, no allocation; bounded stack. Input is Simplified text (text_simplify).
 *
 * The text is normalised exactly as the trainer does: ASCII letters lower-cased, digits
 * made '0', quotation marks made '"', other punctuation and spaces one ' ', the whole
 * bracketed by ' '. Each n-gram present (once) adds its weight / sqrt(characters). A text longer
 * than RISK_MODEL_WINDOW characters is read in windows of that size overlapping by half, and the
 * most alarming window counts, so that a long record does not dilute one worrying sentence.
 */
#ifndef JIEFEN_CORE_RISK_MODEL_H
#define JIEFEN_CORE_RISK_MODEL_H

/* Characters per window (after normalisation): every training text fits in one. */
#define RISK_MODEL_WINDOW 64
#define RISK_MODEL_WHY    3 /* n-grams named in the reason */

struct risk_model_why {
    int n;
    char gram[RISK_MODEL_WHY][16]; /* UTF-8, at most 3 characters */
};

/* The probability (0..1) that the text reads as dangerous; `why` (may be NULL) gets the
 * n-grams of two or three characters that pushed it up most in the window that counted. */
double risk_model_prob(const char *simplified_text, struct risk_model_why *why);

/* The generated table (risk_model_data.c): n-grams sorted by strcmp, weights in
 * thousandths, and the bias. */
struct risk_model_gram {
    const char *g;
    short w;
};

extern const struct risk_model_gram risk_model_grams[];
extern const int risk_model_ngrams;
extern const double risk_model_bias;

#endif

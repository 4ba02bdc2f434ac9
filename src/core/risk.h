/*
 * risk.h - the risk grade of a dispute (风险等级): red 重大, orange 较大, yellow 一般,
 * blue 低. Pure: no I/O. The case module (src/case/risk.c) gathers the facts of a case
 * (people, category, what the parties said, key persons, repeat disputes, escalations,
 * a sensitive period, an overdue time limit) and calls risk_assess on every change of the
 * case, in the same transaction; docs/risk.md explains the model and its evidence.
 *
 * Each factor adds points and one Chinese sentence saying why; the level is read from the
 * total against thresholds. Weights and thresholds are settings (core/settings.h keys
 * "risk_*"), applied with risk_weights_set.
 */
#ifndef JIEFEN_CORE_RISK_H
#define JIEFEN_CORE_RISK_H

#include "core/risk_text.h"

#include <stddef.h>
#include <stdint.h>

enum risk_level { RISK_BLUE = 0, RISK_YELLOW = 1, RISK_ORANGE = 2, RISK_RED = 3 };

/* A dispute of this many people or more is a group dispute (群体性, local practice). */
#define RISK_GROUP_PEOPLE 10

/* What the case module knows about a case. Strings are borrowed, may be NULL. */
struct risk_input {
    const char *category;   /* vocab_category code */
    const char *complexity; /* vocab_complexity code */
    int64_t people;         /* people involved; < 0 unknown */
    int64_t amount;         /* amount in dispute, yuan; < 0 unknown */
    int key_persons;        /* parties who are key persons (重点人员), or flagged at intake */
    int urgent;
    int repeat_disputes;  /* other disputes of the same parties in the past 12 months */
    int escalations;      /* times the case was escalated (上报) */
    int sensitive_period; /* a sensitive period is in force for the case's region */
    int overdue;          /* its time limit has passed while it is open */
    /* What the parties and mediators wrote: facts, claims, session records, joined by
     * newlines. Simplified script (the caller folds Traditional with OpenCC first). */
    const char *text;
    /* risk_text_read(text) done beforehand, or NULL to read it here: intake reads the text
     * before it waits for the one writer (case_intake_read), so the writer does not. */
    const struct risk_text_result *text_read;
};

#define RISK_MAX_REASONS 24

struct risk_reason {
    char factor[24]; /* stable code: "group", "threat", "self_harm", "petition", ... */
    int points;
    char text[200]; /* one Chinese sentence: "文本提到扬言报复：“扬言要同归于尽”" */
};

struct risk_result {
    enum risk_level level;
    int score;
    int nreasons;
    struct risk_reason reasons[RISK_MAX_REASONS];
};

/* Points per factor and the thresholds of each level. */
struct risk_weights {
    int w[32];     /* indexed by factor; see risk.c */
    int yellow_at; /* score at which a case is yellow */
    int orange_at; /* ... orange */
    int red_at;    /* ... red */
    /* The probability in percent from which the statistical reading adds its points
     * (risk_text_model_threshold, 50..99). */
    int text_model_threshold;
    /* Below this probability in percent a text the patterns graded loses text_doubt points
     * (risk_text_model_doubt, 0..49; 0 off). */
    int text_model_doubt;
    int64_t amount_large; /* yuan from which the amount adds points (risk_amount_large) */
    int64_t amount_huge;  /* ... more points (risk_amount_huge) */
    /* Days within which a case of each level must be responded to (0: the same day),
     * indexed by enum risk_level; settings risk_response_days_<level>. */
    int response_days[4];
};

/* Default of risk_text_model_threshold (percent); docs/risk.md says how it was chosen. */
#define RISK_TEXT_MODEL_THRESHOLD 68
/* Default of risk_text_model_doubt (percent). */
#define RISK_TEXT_MODEL_DOUBT 20

void risk_weights_default(struct risk_weights *w);

/* Applies setting `key` ("risk_w_threat", "risk_orange_at", "risk_amount_large",
 * "risk_response_days_red", ...): 0, or -1 if unknown. Every "risk_*" key of
 * core/settings.c is accepted. */
int risk_weights_set(struct risk_weights *w, const char *key, long value);

void risk_assess(const struct risk_input *in, const struct risk_weights *w,
                 struct risk_result *out);

/* The reasons as one phrase list ("群体性（30人）；扬言报复"), always terminated. */
void risk_reasons_text(const struct risk_result *r, char *buf, size_t len);

/* "blue" / "yellow" / "orange" / "red" (wire codes; vocab_risk has the Chinese names). */
const char *risk_level_code(enum risk_level l);

/* The level for a wire code, or -1. */
int risk_level_parse(const char *code);

#endif

/*
 * risk.h - the risk level a dispute carries when it is registered (风险等级), from what
 * intake records: people involved (群体性), key persons (重点人员), urgency, complexity
 * and the sensitive fields DOMAIN.md names (land requisition and demolition, wage
 * arrears, medical, finance, ...). Pure: no I/O.
 *
 * This is the intake estimate that orders the workbench and filters the register. The
 * risk-assessment capability (排查预警) will record fuller assessments later; they
 * overwrite the case's level, they do not replace this rule.
 */
#ifndef JIEFEN_CORE_RISK_H
#define JIEFEN_CORE_RISK_H

#include <stddef.h>
#include <stdint.h>

enum risk_level { RISK_LOW = 0, RISK_MEDIUM = 1, RISK_HIGH = 2 };

/* A dispute of this many people or more is a group dispute (群体性). */
#define RISK_GROUP_PEOPLE 10

struct risk_input {
    const char *category;   /* vocab_category code */
    const char *complexity; /* vocab_complexity code */
    int64_t people;         /* people involved; < 0 unknown */
    int key_persons;        /* a key person (重点人员) is a party */
    int urgent;
};

/*
 * The level, with the reasons that raised it written to `why` as a Chinese phrase list
 * ("涉及重点人员；群体性（12人）") when why is not NULL (whylen bytes, always terminated).
 */
enum risk_level risk_assess_intake(const struct risk_input *in, char *why, size_t whylen);

/* "low" / "medium" / "high" (the wire codes; vocab_risk has the Chinese names). */
const char *risk_level_code(enum risk_level l);

/* The level for a wire code, or -1. */
int risk_level_parse(const char *code);

#endif

/*
 * vocab.h - the closed vocabularies of the domain (DOMAIN.md): dispute categories,
 * complexity, handling methods, organization types, levels, ... Each entry has its wire
 * code and its Chinese name. The Chinese names live here, in one table, because imports
 * accept them and exports show them; the web front end has its own message file for
 * everything it displays. Pure: no I/O.
 */
#ifndef JIEFEN_CORE_VOCAB_H
#define JIEFEN_CORE_VOCAB_H

#include <stddef.h>

struct vocab_entry {
    const char *code;
    const char *zh;
};

struct vocab {
    const char *name; /* for messages: "category" */
    const struct vocab_entry *entries;
    size_t n;
};

extern const struct vocab vocab_category;      /* 纠纷类型 */
extern const struct vocab vocab_complexity;    /* 简易 一般 疑难复杂 重大 */
extern const struct vocab vocab_method;        /* 化解方式 */
extern const struct vocab vocab_mgmt_level;    /* 管理层级 (local, village ... city) */
extern const struct vocab vocab_industry;      /* 行业 */
extern const struct vocab vocab_org_type;      /* 组织机构类型 */
extern const struct vocab vocab_region_level;  /* 区划层级 */
extern const struct vocab vocab_org_status;    /* active / suspended */
extern const struct vocab vocab_person_status; /* active / inactive */
extern const struct vocab vocab_mediator_type; /* 专职 兼职 */
extern const struct vocab vocab_grade;         /* 首席 高级 中级 初级 */
extern const struct vocab vocab_specialty;     /* 专家专长 */
extern const struct vocab vocab_availability;
extern const struct vocab vocab_time_kind; /* 工作日 自然日 */
extern const struct vocab vocab_gender;
extern const struct vocab vocab_day_kind;       /* 法定节假日 调休上班日 */
extern const struct vocab vocab_channel;        /* 来源渠道 */
extern const struct vocab vocab_party_role;     /* 申请人 被申请人 第三人 */
extern const struct vocab vocab_party_kind;     /* 自然人 法人或组织 */
extern const struct vocab vocab_guidance;       /* 调解不成时的引导 */
extern const struct vocab vocab_agreement_form; /* 口头 书面 */
extern const struct vocab vocab_risk;           /* 风险等级: 低 中 高 */

/* Returns 1 if `code` is one of v's codes. */
int vocab_valid(const struct vocab *v, const char *code);

/* Returns v's code for `text`, which may be a code or a Chinese name; NULL if neither.
 * The result points into the static table. */
const char *vocab_code(const struct vocab *v, const char *text);

/* Returns the Chinese name of `code`, or NULL. */
const char *vocab_zh(const struct vocab *v, const char *code);

#endif

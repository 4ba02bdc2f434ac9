/*
 * routing.h - routing rules (研判分流) as data: which rule decides where a dispute goes.
 *
 * A rule constrains some of a dispute's facts (category, the level of the region where it
 * arises, complexity, amount, people involved) and names the outcome. The most specific
 * matching rule wins. Specificity weighs the facts by how strongly they say who owns a
 * dispute: the category most (谁主管谁负责), then complexity, then scale (amount,
 * people), then the region level:
 *
 *     specificity = 8·category + 4·complexity + 2·amount + 2·people + 1·region_level
 *
 * A rule owned by a region beats every default rule, and a deeper region's rule beats a
 * shallower one's (属地管理: the county's own rules refine the defaults). Two rules of one
 * owner with equal specificity whose conditions overlap could both win for some dispute:
 * that tie is refused when the rule is saved (routing_tie), never met at intake.
 *
 * Pure: no I/O.
 */
#ifndef JIEFEN_CORE_ROUTING_H
#define JIEFEN_CORE_ROUTING_H

#include <stdint.h>

/* A condition: NULL / 0 / has_* = 0 means "any". Ranges are inclusive. */
struct routing_cond {
    const char *category;
    int region_level; /* enum region_level, 0 = any */
    const char *complexity;
    int has_amount_min, has_amount_max;
    int64_t amount_min, amount_max;
    int has_people_min, has_people_max;
    int64_t people_min, people_max;
};

struct routing_rule {
    int64_t id;
    int owner_depth; /* 0 for default rules, else the owning region's depth (city 1 ...) */
    int enabled;
    struct routing_cond cond;
};

/* The facts of a dispute. */
struct routing_case {
    const char *category;
    int region_level;
    const char *complexity;
    int has_amount, has_people;
    int64_t amount, people;
};

enum routing_dim {
    ROUTING_CATEGORY = 1,
    ROUTING_REGION_LEVEL,
    ROUTING_COMPLEXITY,
    ROUTING_AMOUNT,
    ROUTING_PEOPLE,
};

enum routing_outcome { ROUTING_NO_MATCH = 0, ROUTING_BEATEN, ROUTING_WINNER, ROUTING_DISABLED };

#define ROUTING_MAX_MISMATCH 5

/* Returns the dimension's wire name ("category", ...). */
const char *routing_dim_name(enum routing_dim d);

int routing_specificity(const struct routing_cond *c);

/* Returns 1 if some dispute satisfies both conditions. */
int routing_overlap(const struct routing_cond *a, const struct routing_cond *b);

/*
 * Matches a rule's condition against a case. Returns the number of mismatched
 * dimensions (0 = match) and lists them in out (at most ROUTING_MAX_MISMATCH).
 * A range the case gives no figure for does not match: the rule cannot be shown to apply.
 */
int routing_match(const struct routing_cond *c, const struct routing_case *k,
                  enum routing_dim out[ROUTING_MAX_MISMATCH]);

/* Returns 1 if rule a outranks rule b (owner depth first, then specificity). */
int routing_outranks(const struct routing_rule *a, const struct routing_rule *b);

/*
 * Decides: fills outcome[i] for each rule and returns the winner's index, or -1 when no
 * enabled rule matches. If two matching rules rank equal (a tie that saving should have
 * prevented) the earlier one wins and *tie is set to the other's index, else -1.
 */
int routing_decide(const struct routing_rule *rules, int n, const struct routing_case *k,
                   enum routing_outcome *outcome, int *tie);

/*
 * Finds a rule among `rules` that ties with `r` (same owner depth and owner, same
 * specificity, overlapping conditions, both enabled). `same_owner[i]` says whether rule i
 * has r's owner. Returns its index or -1.
 */
int routing_tie(const struct routing_rule *r, const struct routing_rule *rules,
                const int *same_owner, int n);

/* What a rule decides. Strings are wire codes (see vocab.h). */
struct routing_decision {
    const char *management_level;
    const char *department; /* organization type */
    const char
        *department_field; /* for departments: which field, e.g. 人力资源和社会保障; or NULL */
    const char *method;
    int time_limit_days;
    const char *time_limit_kind; /* business | calendar */
    int lead_leader;
};

/* The rules every installation starts with (seed 002's 工作程序; see routing_defaults.c). */
struct routing_default {
    const char *name;
    struct routing_cond cond;
    struct routing_decision decision;
    const char *notices[4]; /* names of service catalogue items, NULL-terminated */
};

extern const struct routing_default routing_defaults[];
extern const int routing_ndefaults;

#endif

/*
 * rules.h - routing rules (研判分流), the service catalogue (服务清单), the working-day
 * calendar and sensitive periods (敏感时期) in the store.
 *
 * Default rules (no region) and the catalogue and calendar are edited only by top-level
 * administrators; a region's own rules by the administrators whose scope holds it.
 */
#ifndef JIEFEN_STORE_RULES_H
#define JIEFEN_STORE_RULES_H

#include "core/calendar.h"
#include "core/routing.h"
#include "store/store.h"

/* A rule as written; for update, fields not in `fields` are ignored. */
struct store_rule_in {
    const char *name;
    int64_t region_id; /* 0: a default rule */
    struct routing_cond cond;
    struct routing_decision decision;
    const char *notice_ids; /* JSON array */
    int enabled;
};

store_err store_rule_create(struct store_conn *c, const struct store_actor *a,
                            const struct store_rule_in *in, int64_t *id);
/* Replaces the rule's content (the API merges a PATCH onto the stored rule first). */
store_err store_rule_update(struct store_conn *c, const struct store_actor *a, int64_t id,
                            const struct store_rule_in *in, const char *fields);
store_err store_rule_delete(struct store_conn *c, const struct store_actor *a, int64_t id);
store_err store_rule_get(struct store_conn *c, const struct store_actor *a, int64_t id,
                         struct store_rows **out);
store_err store_rule_list(struct store_conn *c, const struct store_actor *a, int64_t region_id,
                          const char *category, const struct store_page *pg,
                          struct store_rows **out);
/* Every rule (enabled or not) that applies in the region with path `path`: the defaults
 * and those of the region and its ancestors. */
store_err store_rules_for(struct store_conn *c, const char *path, struct store_rows **out);

/*
 * Reads row r of a rule result into core form. Strings point into rows: keep rows alive.
 * The owner depth counts the owning region's path segments (0 for defaults).
 */
void store_rule_from_row(const struct store_rows *rows, int r, struct routing_rule *rule,
                         struct routing_decision *decision);

/* ---- service catalogue ---- */
struct store_catalogue_in {
    const char *name, *legal_basis, *level, *handling_body, *conditions, *procedure;
    const char *documents; /* JSON array of text */
    const char *time_limit;
};
store_err store_catalogue_create(struct store_conn *c, const struct store_actor *a,
                                 const struct store_catalogue_in *in, int64_t *id);
store_err store_catalogue_update(struct store_conn *c, const struct store_actor *a, int64_t id,
                                 const struct store_catalogue_in *in, const char *fields);
store_err store_catalogue_delete(struct store_conn *c, const struct store_actor *a, int64_t id);
store_err store_catalogue_get(struct store_conn *c, int64_t id, struct store_rows **out);
store_err store_catalogue_list(struct store_conn *c, const char *q, const struct store_page *pg,
                               struct store_rows **out);
/* The items whose ids are in the JSON array `ids`, in that order of id. */
store_err store_catalogue_items(struct store_conn *c, const char *ids, struct store_rows **out);

/* ---- calendar ---- */
/* The exceptions of one year ("2026"), by date. */
store_err store_calendar_year(struct store_conn *c, int year, struct store_rows **out);
store_err store_calendar_set(struct store_conn *c, const struct store_actor *a, const char *day,
                             const char *kind, const char *name);
store_err store_calendar_unset(struct store_conn *c, const struct store_actor *a, const char *day);
/* Loads every exception for deadline arithmetic; *days is malloc'd (caller frees). */
store_err store_calendar_load(struct store_conn *c, struct calendar_day **days, size_t *n);

/* ---- sensitive periods ---- */
struct store_period_in {
    const char *name, *start, *end, *note;
    const char *region_ids;   /* JSON array */
    const char *region_names; /* JSON array, resolved by the caller */
    const char *scope_path;   /* who may change it: "/" for the whole tree */
    const int64_t *ids;       /* the same regions as ids; set_regions says they were given */
    int nids, set_regions;
};
store_err store_period_create(struct store_conn *c, const struct store_actor *a,
                              const struct store_period_in *in, int64_t *id);
store_err store_period_update(struct store_conn *c, const struct store_actor *a, int64_t id,
                              const struct store_period_in *in, const char *fields);
store_err store_period_delete(struct store_conn *c, const struct store_actor *a, int64_t id);
store_err store_period_get(struct store_conn *c, int64_t id, struct store_rows **out);
/* The periods that concern the actor: those for the whole tree, for a region in its scope,
 * or for a region above it (a county's period applies to its villages). */
store_err store_period_list(struct store_conn *c, const struct store_actor *a,
                            const char *active_on, const struct store_page *pg,
                            struct store_rows **out);

#endif

/*
 * people.h - mediators (调解员), the expert library (专家库) and grid workers (网格员).
 *
 * Their phone numbers are personal data: lists show them masked (the API does that) and
 * reading one person's record is audited here. A mediator belongs to one or more
 * organizations and is in an actor's scope when any of them is.
 */
#ifndef JIEFEN_STORE_PEOPLE_H
#define JIEFEN_STORE_PEOPLE_H

#include "store/store.h"

#define STORE_MAX_ORGS 16

/* For update, NULL / 0 / norgs -1 means "leave unchanged". */
struct store_mediator_in {
    const char *name;
    const char *gender;
    const char *phone;
    const char *mediator_type;
    const char *grade;
    const char *specialties; /* JSON array of category codes */
    int64_t org_ids[STORE_MAX_ORGS];
    int norgs;
    int64_t user_id;
    const char *status;
};

store_err store_mediator_create(struct store_conn *c, const struct store_actor *a,
                                const struct store_mediator_in *in, int64_t *id);
/* Creates many mediators in one transaction (imports): all or nothing. */
store_err store_mediator_import(struct store_conn *c, const struct store_actor *a,
                                const struct store_mediator_in *in, int n, const int *rownums);
store_err store_mediator_update(struct store_conn *c, const struct store_actor *a, int64_t id,
                                const struct store_mediator_in *in, const char *fields);
store_err store_mediator_get(struct store_conn *c, const struct store_actor *a, int64_t id,
                             int audit_read, struct store_rows **out);

struct store_mediator_filter {
    const char *q;
    int64_t org_id, region_id;
    const char *specialty, *mediator_type, *status;
};
store_err store_mediator_list(struct store_conn *c, const struct store_actor *a,
                              const struct store_mediator_filter *f, const struct store_page *pg,
                              struct store_rows **out);

/* Every mediator in scope (at most 100,000) for export: name, gender, phone,
 * mediator_type, grade, specialties, orgs (JSON [{id,name}]), status. Audited as a read. */
store_err store_mediator_export(struct store_conn *c, const struct store_actor *a,
                                struct store_rows **out);

/* Checks that every organization id lies in scope; names `field` when one does not. */
store_err store_orgs_in_scope(struct store_conn *c, const struct store_actor *a, const int64_t *ids,
                              int n, const char *field);

struct store_expert_in {
    const char *name, *specialty, *industry, *title, *phone, *availability, *note;
    int64_t region_id;
};
store_err store_expert_create(struct store_conn *c, const struct store_actor *a,
                              const struct store_expert_in *in, int64_t *id);
store_err store_expert_update(struct store_conn *c, const struct store_actor *a, int64_t id,
                              const struct store_expert_in *in, const char *fields);
/* Whose name a case shows (its mediators, its invited experts). */
enum store_person_kind { STORE_PERSON_MEDIATOR, STORE_PERSON_EXPERT };

/* The id and name of one mediator or expert, whatever the reader's scope: whoever reads a
 * case reads who works on it. One indexed row and nothing else, since every case page asks
 * for it (store_mediator_get also assembles organisations and the region for the registry
 * and cost a quarter of GET /api/v1/cases/{id}). STORE_NOT_FOUND if there is no such one. */
store_err store_person_name(struct store_conn *c, enum store_person_kind kind, int64_t id,
                            struct store_rows **out);
store_err store_expert_get(struct store_conn *c, const struct store_actor *a, int64_t id,
                           int audit_read, struct store_rows **out);
struct store_expert_filter {
    const char *q, *specialty, *availability;
    int64_t region_id;
};
store_err store_expert_list(struct store_conn *c, const struct store_actor *a,
                            const struct store_expert_filter *f, const struct store_page *pg,
                            struct store_rows **out);

struct store_grid_worker_in {
    const char *name, *phone, *status;
    int64_t grid_id, user_id;
};
store_err store_grid_worker_create(struct store_conn *c, const struct store_actor *a,
                                   const struct store_grid_worker_in *in, int64_t *id);
store_err store_grid_worker_update(struct store_conn *c, const struct store_actor *a, int64_t id,
                                   const struct store_grid_worker_in *in, const char *fields);
store_err store_grid_worker_get(struct store_conn *c, const struct store_actor *a, int64_t id,
                                struct store_rows **out);
store_err store_grid_worker_list(struct store_conn *c, const struct store_actor *a,
                                 int64_t region_id, const char *q, const struct store_page *pg,
                                 struct store_rows **out);

#endif

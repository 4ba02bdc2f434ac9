/*
 * keypersons.h - the key-person registry (重点人员) in the store: people who need attention
 * (repeat disputants, people released from prison or under community correction, severe
 * mental illness, people in crisis), who looks after them, when they are next reviewed,
 * and the cases they appear in. docs/key-persons.md.
 *
 * Name, ID number and phone arrive sealed (src/seal) with the blind indexes of the numbers:
 * the store never sees them in clear. Access is narrower than a case's (个人信息保护法
 * art. 28 sensitive personal information, art. 51 access control): within the actor's
 * region scope, and only for an overseer (supervisor, leader, admin) or the person's
 * responsible user. `overseer` says which the caller is; the store applies it so that no
 * handler can forget it. Every read is audited by the caller (api/keypersons.c), every
 * write here, in its transaction.
 */
#ifndef JIEFEN_STORE_KEYPERSONS_H
#define JIEFEN_STORE_KEYPERSONS_H

#include "store/store.h"

/* A key person's fields; NULL (or has_* 0) leaves a field unchanged on update. */
struct store_kp_in {
    const char *name_sealed;
    const char *id_sealed, *id_index;
    const char *phone_sealed, *phone_index;
    const char *gender;
    int has_age;
    int64_t age;
    const char *reason, *reason_note;
    int64_t region_id;           /* 0: unchanged */
    int64_t responsible_user_id; /* 0: unchanged (create: none) */
    int64_t review_every_days;   /* 0: unchanged */
    const char *next_review_day; /* YYYY-MM-DD */
    const char *status;          /* active | closed */
};

struct store_kp_filter {
    int64_t region_id;  /* 0: the actor's scope */
    const char *reason; /* NULL: any */
    const char *status; /* NULL: any */
    const char *due_by; /* YYYY-MM-DD: active and next review on or before it; NULL: any */
};

/* Creates a key person (region and responsible user in scope), audited. */
store_err store_kp_create(struct store_conn *c, const struct store_actor *a,
                          const struct store_kp_in *in, int64_t *id);

/* Changes the fields given; STORE_NOT_FOUND out of scope, STORE_FORBIDDEN for a
 * non-overseer. Audited with the changed field names. */
store_err store_kp_update(struct store_conn *c, const struct store_actor *a, int overseer,
                          int64_t id, const struct store_kp_in *in, const char *fields);

/* One key person with its sealed columns. STORE_NOT_FOUND outside scope; STORE_FORBIDDEN
 * when the caller is no overseer and not its responsible user (whatever the id). */
store_err store_kp_get(struct store_conn *c, const struct store_actor *a, int overseer, int64_t id,
                       struct store_rows **out);

/* A page of key persons in scope (sealed columns included, for masking by the caller). */
store_err store_kp_list(struct store_conn *c, const struct store_actor *a,
                        const struct store_kp_filter *f, const struct store_page *pg,
                        struct store_rows **out);

/* The cases linked to a key person (number, category, state, risk, how, linked_at). */
store_err store_kp_cases(struct store_conn *c, int64_t id, struct store_rows **out);

/* The reviews of a key person, newest first. */
store_err store_kp_reviews(struct store_conn *c, int64_t id, struct store_rows **out);

/* Records a review on `day` and moves the next review to `next_day`; audited. */
store_err store_kp_review_add(struct store_conn *c, const struct store_actor *a, int overseer,
                              int64_t id, const char *day, const char *note, const char *next_day);

/* Links a case (in the actor's scope) to a key person by hand; audited. *linked is 0 when
 * the link existed already. */
store_err store_kp_link(struct store_conn *c, const struct store_actor *a, int overseer, int64_t id,
                        int64_t case_id, int *linked);

/* Appends an audit row for a read of key persons in a transaction of its own: action
 * "read" (masked) or "reveal" (full numbers, with the stated reason in detail). */
store_err store_kp_audit(struct store_conn *c, const struct store_actor *a, const char *action,
                         int64_t id, const char *fields, const char *detail);

#endif

/*
 * audit.h - the append-only audit log (issue 2, section 5).
 *
 * Every write and every read of a record holding personal data stores who, when, what
 * and from where. Rows are only ever inserted (the schema has triggers refusing UPDATE
 * and DELETE); store functions append them inside the same transaction as the change,
 * so a change and its audit row commit or vanish together.
 */
#ifndef JIEFEN_STORE_AUDIT_H
#define JIEFEN_STORE_AUDIT_H

#include "store/store.h"

/*
 * Appends one row inside the caller's transaction. `fields` is a comma-separated list of
 * changed field names ("name,phone") or NULL; object_id 0 means none; detail may be NULL.
 */
store_err store_audit_append(struct store_conn *c, const struct store_actor *a, const char *action,
                             const char *object_type, int64_t object_id, const char *fields,
                             const char *detail);

/* Audits a read of personal data in a transaction of its own. */
store_err store_audit_read(struct store_conn *c, const struct store_actor *a,
                           const char *object_type, int64_t object_id, const char *fields);

struct store_audit_filter {
    int64_t actor_id;        /* 0: any */
    const char *object_type; /* NULL: any */
    int64_t object_id;       /* 0: any */
    const char *action;      /* NULL: any */
    int64_t since, until;    /* epoch ms, 0: open */
    int64_t before_id;       /* keyset paging: only entries older than this one; 0: open */
};

/* Entries whose actor acted from within the caller's scope, newest first. Caller frees. */
store_err store_audit_list(struct store_conn *c, const struct store_actor *a,
                           const struct store_audit_filter *f, const struct store_page *pg,
                           struct store_rows **out);

#endif

/*
 * migrate.h - versioned schema migrations, identical on both backends.
 *
 * Each migration has a version and one DDL text written once with a few tokens for the
 * places where SQLite and PostgreSQL really differ (identity keys, STRICT, collation);
 * applied versions are recorded in `schema_migrations`.
 */
#ifndef JIEFEN_STORE_MIGRATE_H
#define JIEFEN_STORE_MIGRATE_H

#include "store/store.h"

/* Applies every migration not yet applied, in order, in one transaction; concurrent
 * callers (several processes starting at once) serialise. *applied gets the number
 * applied now, *version the schema version afterwards. */
store_err store_migrate(struct store_conn *c, int *applied, int *version);

/* The same, stopping after version `target`: builds an old schema for the upgrade test
 * (tests/data/fixtures, `jiefen migrate --to N`). A database is never taken backwards. */
store_err store_migrate_to(struct store_conn *c, int target, int *applied, int *version);

/* The newest schema version this binary knows. */
int store_schema_version(void);

#endif

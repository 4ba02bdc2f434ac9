/*
 * seed.h - reference data every installation starts with, inserted by the migration that
 * creates its tables: the service catalogue (服务清单), the default routing rules and the
 * working-day calendar. Administrators edit all of it afterwards.
 */
#ifndef JIEFEN_STORE_SEED_H
#define JIEFEN_STORE_SEED_H

#include "store/store.h"

/* Runs inside the migration's transaction. */
store_err store_seed_registry(struct store_conn *c);

#endif

/*
 * rows_json.h - store rows as JSON (jansson).
 */
#ifndef JIEFEN_STORE_ROWS_JSON_H
#define JIEFEN_STORE_ROWS_JSON_H

#include "store/store.h"

#include <jansson.h>

/*
 * Row r of rows as an object keyed by column name; values by the rows' type letters:
 * i integer, b boolean, s epoch ms as ISO 8601, r role bits as names, j JSON text,
 * anything else a string; NULL as null. The caller owns the result.
 */
json_t *store_rows_json(const struct store_rows *rows, int r);

#endif

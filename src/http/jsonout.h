/*
 * jsonout.h - a jansson value written as compact JSON text, fast.
 *
 * Every API answer is a jansson tree dumped once. jansson's json_dumps walks each string a
 * code point at a time through a callback and copies the result once more at the end: about
 * 20 µs for a case's 1.5 KB, a tenth of what serving GET /api/v1/cases/{id} costs
 * (bench/results/2026-12-07-get.md). This writer gives the very same bytes as
 * json_dumps(j, JSON_COMPACT | JSON_ENCODE_ANY), which the unit test holds it to, copying
 * runs of plain bytes at once: jansson has already checked that every string it holds is
 * valid UTF-8 (json_string, json_object_set), so only '"', '\\' and control characters need
 * looking at.
 */
#ifndef JIEFEN_HTTP_JSONOUT_H
#define JIEFEN_HTTP_JSONOUT_H

#include <jansson.h>
#include <stddef.h>

/* j as compact JSON text, NUL-terminated, its length in *len (may be NULL). The caller frees
 * it. NULL when out of memory or nested deeper than JSON_MAX_DEPTH (as jansson refuses). */
char *jsonout_dump(const json_t *j, size_t *len);

#endif

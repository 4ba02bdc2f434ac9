/*
 * jfield.h - reading a decoded JSON request (jansson) into C values, reporting every bad
 * field at once in a verr_list, so that a form is fixed in one pass. Pure: no I/O.
 */
#ifndef JIEFEN_CORE_JFIELD_H
#define JIEFEN_CORE_JFIELD_H

#include "core/verr.h"
#include "core/vocab.h"

#include <jansson.h>
#include <stdint.h>

/* One member of a request: name, wire type and where to put it. */
struct jfield {
    const char *name;
    char type; /* 's' const char **, 'I' json_int_t *, 'b' int *, 'a' json_t ** (array) */
    int required;
    void *out; /* left untouched when the field is absent or null */
};

/*
 * Unpacks fields with json_unpack_ex, one at a time so that every bad field is reported,
 * and reports members the request does not know. Returns the number of errors added.
 * `present` (may be NULL) receives a comma-separated list of fields that were given.
 * Strings put into `out` belong to `obj`.
 */
int jfield_read(json_t *obj, const struct jfield *fields, size_t n, struct verr_list *errs,
                char *present, size_t presentlen);

/* Reports every member of `obj` not among `names` (NULL-terminated) as "unknown": for
 * bodies whose members jfield_read cannot describe (objects, numbers or text alike). */
void jfield_only(json_t *obj, const char *const *names, struct verr_list *errs);

/*
 * Checks an optional vocabulary value (code or Chinese name); returns the code, or NULL
 * (adding an error naming `field` if the value was given but is unknown).
 */
const char *jfield_vocab(struct verr_list *errs, const char *field, const struct vocab *v,
                         const char *value);

/*
 * Converts a JSON array of vocabulary values into a JSON array text of codes (malloc'd,
 * caller frees) or NULL with an error naming `field`. `min` is the least number of items.
 */
char *jfield_vocab_array(struct verr_list *errs, const char *field, const struct vocab *v,
                         json_t *arr, size_t min);

/* Reads a JSON array of positive ids (at most max) into ids; returns the count or -1. */
int jfield_ids(struct verr_list *errs, const char *field, json_t *arr, int64_t *ids, int max,
               int min);

#endif

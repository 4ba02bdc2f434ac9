/*
 * jfield.c - reading the members of a decoded JSON request into C values, every bad field
 * reported at once (verr.h). Shared by the HTTP handlers and the case module, which both
 * take requests as decoded JSON objects. Pure: no I/O.
 */
#include "core/jfield.h"

#include <stdio.h>
#include <string.h>

int jfield_read(json_t *obj, const struct jfield *fields, size_t n, struct verr_list *errs,
                char *present, size_t presentlen)
{
    static const struct {
        char type;
        const char *fmt;
        const char *what;
    } kinds[] = {
        {'s', "{s:s}", "a string"},
        {'I', "{s:I}", "an integer"},
        {'b', "{s:b}", "true or false"},
        {'a', "{s:o}", "an array"},
    };
    int before = errs->n + errs->dropped;
    size_t plen = 0;
    const char *key;
    json_t *v;

    if (present && presentlen)
        present[0] = '\0';
    for (size_t i = 0; i < n; i++) {
        const struct jfield *f = &fields[i];
        const char *fmt = NULL, *what = NULL;
        json_error_t jerr;

        for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++)
            if (kinds[k].type == f->type) {
                fmt = kinds[k].fmt;
                what = kinds[k].what;
            }
        v = json_object_get(obj, f->name);
        if (!v || json_is_null(v)) {
            if (f->required)
                verr_add(errs, f->name, "required", "is required");
            continue;
        }
        if (f->type == 'a' && !json_is_array(v)) {
            verr_add(errs, f->name, "type", "must be %s", what);
            continue;
        }
        if (!fmt || json_unpack_ex(obj, &jerr, 0, fmt, f->name, f->out) != 0) {
            verr_add(errs, f->name, "type", "must be %s", what ? what : "valid");
            continue;
        }
        if (present && plen < presentlen) {
            int w = snprintf(present + plen, presentlen - plen, "%s%s", plen ? "," : "", f->name);
            if (w > 0)
                plen += (size_t)w;
        }
    }
    json_object_foreach(obj, key, v)
    {
        size_t i;
        for (i = 0; i < n; i++)
            if (strcmp(key, fields[i].name) == 0)
                break;
        if (i == n)
            verr_add(errs, key, "unknown", "is not a field of this request");
    }
    return errs->n + errs->dropped - before;
}

void jfield_only(json_t *obj, const char *const *names, struct verr_list *errs)
{
    const char *key;
    json_t *v;

    json_object_foreach(obj, key, v)
    {
        size_t i;
        for (i = 0; names[i]; i++)
            if (strcmp(key, names[i]) == 0)
                break;
        if (!names[i])
            verr_add(errs, key, "unknown", "is not a field of this request");
    }
}

const char *jfield_vocab(struct verr_list *errs, const char *field, const struct vocab *v,
                         const char *value)
{
    const char *code;

    if (!value)
        return NULL;
    code = vocab_code(v, value);
    if (!code && !verr_has(errs, field))
        verr_add(errs, field, "invalid", "unknown %s '%.40s'", v->name, value);
    return code;
}

char *jfield_vocab_array(struct verr_list *errs, const char *field, const struct vocab *v,
                         json_t *arr, size_t min)
{
    json_t *out;
    json_t *item;
    size_t i;
    char *text;

    if (!arr)
        return NULL;
    if (json_array_size(arr) < min) {
        verr_add(errs, field, "required", "give at least %zu", min);
        return NULL;
    }
    out = json_array();
    json_array_foreach(arr, i, item)
    {
        const char *code = json_is_string(item) ? vocab_code(v, json_string_value(item)) : NULL;
        if (!code) {
            verr_add(errs, field, "invalid", "item %zu is not a known %s", i + 1, v->name);
            json_decref(out);
            return NULL;
        }
        json_array_append_new(out, json_string(code));
    }
    text = json_dumps(out, JSON_COMPACT);
    json_decref(out);
    return text;
}

int jfield_ids(struct verr_list *errs, const char *field, json_t *arr, int64_t *ids, int max,
               int min)
{
    json_t *item;
    size_t i;

    if ((int)json_array_size(arr) < min) {
        verr_add(errs, field, "required", "give at least %d", min);
        return -1;
    }
    if ((int)json_array_size(arr) > max) {
        verr_add(errs, field, "invalid", "give at most %d", max);
        return -1;
    }
    json_array_foreach(arr, i, item)
    {
        if (!json_is_integer(item) || json_integer_value(item) <= 0) {
            verr_add(errs, field, "invalid", "item %zu is not a positive id", i + 1);
            return -1;
        }
        ids[i] = json_integer_value(item);
    }
    return (int)json_array_size(arr);
}

/*
 * rows_json.c - a row of a store result as a JSON object, each column by its type letter
 * (store.h): the one encoding of stored values that the API and the case module share.
 */
#include "core/role.h"
#include "core/timefmt.h"
#include "store/rows_json.h"

#include <stdlib.h>
#include <string.h>

static json_t *roles_json(unsigned roles)
{
    json_t *a = json_array();
    for (int i = 0; a && i < ROLE_COUNT; i++)
        if (roles & role_at(i))
            json_array_append_new(a, json_string(role_name(role_at(i))));
    return a;
}

json_t *store_rows_json(const struct store_rows *rows, int r)
{
    json_t *o = json_object();

    for (int c = 0; o && c < rows->ncols; c++) {
        const char *v = store_rows_get(rows, r, c);
        char type = rows->types && c < (int)strlen(rows->types) ? rows->types[c] : 't';
        json_t *j;
        char iso[TIMEFMT_ISO_LEN];

        if (!v) {
            j = json_null();
        } else {
            switch (type) {
            case 'i':
                j = json_integer(strtoll(v, NULL, 10));
                break;
            case 'b':
                j = json_boolean(strtoll(v, NULL, 10) != 0 || strcmp(v, "t") == 0);
                break;
            case 's':
                timefmt_iso(strtoll(v, NULL, 10), iso, sizeof iso);
                j = json_string(iso);
                break;
            case 'r':
                j = roles_json((unsigned)strtoul(v, NULL, 10));
                break;
            case 'j':
                j = json_loads(v, JSON_DECODE_ANY, NULL);
                if (!j)
                    j = json_null();
                break;
            default:
                j = json_string(v);
                break;
            }
        }
        json_object_set_new(o, rows->names[c], j);
    }
    return o;
}

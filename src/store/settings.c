#include "store/settings.h"

#include "core/settings.h"
#include "store/audit.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>

void store_setting(struct store_conn *c, const char *key, char *out, size_t outlen)
{
    const struct setting_def *d = settings_find(key);
    struct store_rows *r = NULL;
    const char *stored = NULL;

    assert(d);
    if (!d) {
        snprintf(out, outlen, "%s", "");
        return;
    }
    if (store_exec(c, "SELECT value FROM settings WHERE key = $1", STORE_PARAMS(SP_TEXT(key)),
                   &r) == STORE_OK &&
        r->nrows > 0)
        stored = store_rows_get(r, 0, 0);
    snprintf(out, outlen, "%s", settings_effective(d, stored));
    store_rows_free(r);
}

long store_setting_int(struct store_conn *c, const char *key)
{
    char v[64];

    store_setting(c, key, v, sizeof v);
    return strtol(v, NULL, 10);
}

store_err store_settings_stored(struct store_conn *c, struct store_rows **out)
{
    store_err e = store_exec(
        c, "SELECT key, value, updated_at, updated_by FROM settings ORDER BY key", 0, NULL, out);
    if (e == STORE_OK)
        (*out)->types = "ttst";
    return e;
}

store_err store_setting_set(struct store_conn *c, const struct store_actor *a, const char *key,
                            const char *value)
{
    store_err e;

    /* Settings hold for the whole installation: they belong to the top of the tree. */
    if (!a->top) {
        store_conn_seterr(c, "only a top-level administrator changes settings");
        return STORE_FORBIDDEN;
    }
    e = store_begin(c, 1);
    if (e != STORE_OK)
        return e;
    e = store_exec(
        c,
        "INSERT INTO settings (key, value, updated_at, updated_by) VALUES ($1, $2, $3, $4)"
        " ON CONFLICT (key) DO UPDATE SET value = excluded.value,"
        " updated_at = excluded.updated_at, updated_by = excluded.updated_by",
        STORE_PARAMS(SP_TEXT(key), SP_TEXT(value), SP_INT(store_now_ms()),
                     SP_TEXT(a->login[0] ? a->login : NULL)),
        NULL);
    if (e == STORE_OK)
        e = store_audit_append(c, a, "update", "setting", 0, key, value);
    return store_end(c, e);
}

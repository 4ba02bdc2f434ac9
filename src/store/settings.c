#include "store/settings.h"

#include "core/settings.h"
#include "store/audit.h"

#include <assert.h>
#include <stdio.h>

void store_setting(struct store_conn *c, const char *key, const char *fallback, char *out,
                   size_t outlen)
{
    struct store_rows *r = NULL;

    snprintf(out, outlen, "%s", fallback);
    if (store_exec(c, "SELECT value FROM settings WHERE key = $1", STORE_PARAMS(SP_TEXT(key)),
                   &r) == STORE_OK &&
        r->nrows > 0)
        snprintf(out, outlen, "%s", store_rows_get(r, 0, 0));
    store_rows_free(r);
}

long store_setting_int(struct store_conn *c, const char *key)
{
    const struct setting_def *d = settings_find(key);
    char v[64];

    assert(d && d->kind == SETTING_INT);
    if (!d)
        return 0;
    store_setting(c, key, d->fallback, v, sizeof v);
    return settings_int(d, v);
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

/*
 * settings.h - the installation's settings (系统设置) in the store: read by the code that
 * needs them, written by a top-level administrator (audited). Which keys exist, their
 * defaults and bounds are core/settings.h's.
 */
#ifndef JIEFEN_STORE_SETTINGS_H
#define JIEFEN_STORE_SETTINGS_H

#include "store/store.h"

/*
 * The value in effect of a known setting (core/settings.h) into out (outlen bytes): the
 * stored one when it passes the setting's check, else the default (a value edited into
 * the database by hand never takes effect out of bounds). An unknown key is a programming
 * error: it aborts in debug builds and gives "".
 */
void store_setting(struct store_conn *c, const char *key, char *out, size_t outlen);

/* store_setting of an integer setting, as a number. */
long store_setting_int(struct store_conn *c, const char *key);

/* Every stored setting: key, value, updated_at, updated_by (login). */
store_err store_settings_stored(struct store_conn *c, struct store_rows **out);

/* Sets a setting (the caller has validated the value) and audits it, in one transaction.
 * Only a top-level actor may (STORE_FORBIDDEN otherwise). */
store_err store_setting_set(struct store_conn *c, const struct store_actor *a, const char *key,
                            const char *value);

#endif

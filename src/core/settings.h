/*
 * settings.h - what an installation may configure (系统设置), with the defaults the seeds
 * and the law give and the bounds a value must keep. Pure: the values themselves live in
 * the store's settings table; this is the list of keys, their Chinese names and their
 * checks, so that the API, the CLI and the screen validate alike and a reader finds every
 * knob in one place.
 */
#ifndef JIEFEN_CORE_SETTINGS_H
#define JIEFEN_CORE_SETTINGS_H

#include <stddef.h>

enum setting_kind { SETTING_INT = 1, SETTING_TEXT };

struct setting_def {
    const char *key;
    const char *name; /* 中文名 */
    const char *help; /* 中文说明: what it governs and where the default comes from */
    enum setting_kind kind;
    long min, max;        /* SETTING_INT bounds; SETTING_TEXT length in bytes */
    const char *fallback; /* the default, as text */
};

/* The known settings, in the order a screen shows them. */
size_t settings_count(void);
const struct setting_def *settings_at(size_t i);

/* The definition for `key`, or NULL. */
const struct setting_def *settings_find(const char *key);

/*
 * Checks `value` against its definition: 0, or -1 with the reason in English for the API's
 * problem body ("must be a whole number from 1 to 90") in reason (reasonlen bytes).
 */
int settings_check(const struct setting_def *d, const char *value, char *reason, size_t reasonlen);

/*
 * The value in effect for a stored one (NULL: not stored): the stored value when it passes
 * the check, otherwise the default (a value edited into the database by hand never takes
 * effect out of bounds). Returns `stored` or d->fallback.
 */
const char *settings_effective(const struct setting_def *d, const char *stored);

#endif

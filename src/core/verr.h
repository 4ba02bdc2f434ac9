/*
 * verr.h - a list of validation errors, one per bad field.
 *
 * Validation reports every bad field at once (a clerk fixes a form in one pass), so
 * checks append here instead of returning at the first failure. Caller-allocated,
 * fixed capacity: errors beyond it are counted but not kept. Pure: no I/O.
 */
#ifndef JIEFEN_CORE_VERR_H
#define JIEFEN_CORE_VERR_H

#define VERR_MAX 32

struct verr {
    char field[64];
    char code[24];     /* required, type, too_long, too_short, invalid, unknown, not_found */
    char message[160]; /* English, for API users; the UI translates by code */
};

struct verr_list {
    int n;       /* errors kept */
    int dropped; /* errors beyond VERR_MAX */
    struct verr items[VERR_MAX];
};

/* Appends an error; printf-style message. */
void verr_add(struct verr_list *l, const char *field, const char *code, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Returns 1 if `field` already has an error (so later checks do not pile onto it). */
int verr_has(const struct verr_list *l, const char *field);

/* Number of UTF-8 code points in s; -1 if s is not valid UTF-8. */
long utf8_len(const char *s);

/*
 * Checks a required/optional text field: valid UTF-8, no control characters, length in
 * code points within [min, max]. Appends an error and returns 0 if it fails.
 */
int verr_check_text(struct verr_list *l, const char *field, const char *s, long min, long max);

/* Login names: 2-32 of [a-z0-9_.-], starting with a letter. */
int verr_check_login(struct verr_list *l, const char *field, const char *s);

/* Phone numbers: mainland mobile (11 digits from 1) or landline digits with '-' (7-20). */
int verr_check_phone(struct verr_list *l, const char *field, const char *s);

/* Passwords: 8 to 128 bytes. */
int verr_check_password(struct verr_list *l, const char *field, const char *s);

#endif

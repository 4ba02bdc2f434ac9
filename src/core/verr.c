#include "core/verr.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void verr_add(struct verr_list *l, const char *field, const char *code, const char *fmt, ...)
{
    va_list ap;
    struct verr *e;

    if (l->n >= VERR_MAX) {
        l->dropped++;
        return;
    }
    e = &l->items[l->n++];
    snprintf(e->field, sizeof e->field, "%s", field);
    snprintf(e->code, sizeof e->code, "%s", code);
    va_start(ap, fmt);
    vsnprintf(e->message, sizeof e->message, fmt, ap);
    va_end(ap);
}

int verr_has(const struct verr_list *l, const char *field)
{
    for (int i = 0; i < l->n; i++)
        if (strcmp(l->items[i].field, field) == 0)
            return 1;
    return 0;
}

long utf8_len(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    long n = 0;

    while (*p) {
        int extra;
        unsigned cp;

        if (*p < 0x80) {
            extra = 0;
            cp = *p;
        } else if ((*p & 0xe0) == 0xc0) {
            extra = 1;
            cp = *p & 0x1f;
        } else if ((*p & 0xf0) == 0xe0) {
            extra = 2;
            cp = *p & 0x0f;
        } else if ((*p & 0xf8) == 0xf0) {
            extra = 3;
            cp = *p & 0x07;
        } else {
            return -1;
        }
        p++;
        for (int i = 0; i < extra; i++, p++) {
            if ((*p & 0xc0) != 0x80)
                return -1;
            cp = (cp << 6) | (*p & 0x3f);
        }
        /* Reject overlong forms, surrogates and values past U+10FFFF. */
        if ((extra == 1 && cp < 0x80) || (extra == 2 && cp < 0x800) ||
            (extra == 3 && (cp < 0x10000 || cp > 0x10ffff)) || (cp >= 0xd800 && cp <= 0xdfff))
            return -1;
        n++;
    }
    return n;
}

int verr_check_text(struct verr_list *l, const char *field, const char *s, long min, long max)
{
    long n = utf8_len(s);

    if (n < 0) {
        verr_add(l, field, "invalid", "must be valid UTF-8");
        return 0;
    }
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p < 0x20 || *p == 0x7f) {
            verr_add(l, field, "invalid", "must not contain control characters");
            return 0;
        }
    }
    if (n < min) {
        verr_add(l, field, min == 1 ? "required" : "too_short",
                 min == 1 ? "must not be empty" : "must be at least %ld characters", min);
        return 0;
    }
    if (n > max) {
        verr_add(l, field, "too_long", "must be at most %ld characters", max);
        return 0;
    }
    return 1;
}

int verr_check_login(struct verr_list *l, const char *field, const char *s)
{
    size_t n = strlen(s);

    if (n == 0) {
        verr_add(l, field, "required", "must not be empty");
        return 0;
    }
    if (n < 2 || n > 32 || !(s[0] >= 'a' && s[0] <= 'z'))
        goto bad;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-'))
            goto bad;
    }
    return 1;
bad:
    verr_add(l, field, "invalid",
             "must be 2-32 lowercase letters, digits, '_', '.' or '-', starting with a letter");
    return 0;
}

int verr_check_phone(struct verr_list *l, const char *field, const char *s)
{
    size_t n = strlen(s), digits = 0;

    for (size_t i = 0; i < n; i++) {
        if (s[i] >= '0' && s[i] <= '9')
            digits++;
        else if (s[i] != '-' || i == 0 || i == n - 1)
            goto bad;
    }
    /* Numbers starting with 1 are mobiles: exactly 11 digits. */
    if (s[0] == '1' && digits != 11)
        goto bad;
    if (digits >= 7 && digits <= 20)
        return 1;
bad:
    verr_add(l, field, "invalid", "must be a phone number (digits, optionally with '-')");
    return 0;
}

int verr_check_password(struct verr_list *l, const char *field, const char *s)
{
    size_t n = strlen(s);

    if (n < 8) {
        verr_add(l, field, "too_short", "must be at least 8 characters");
        return 0;
    }
    if (n > 128) {
        verr_add(l, field, "too_long", "must be at most 128 characters");
        return 0;
    }
    return 1;
}

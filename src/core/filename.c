#include "core/filename.h"

#include <stdio.h>
#include <string.h>

/* Decodes one UTF-8 sequence at s; returns its length (1-4) and the code point in *cp, or 0
 * when the bytes are not valid UTF-8 (overlong, surrogate, out of range, cut short). */
static size_t utf8_next(const unsigned char *s, unsigned *cp)
{
    size_t n = s[0] < 0x80             ? 1
               : (s[0] & 0xe0) == 0xc0 ? 2
               : (s[0] & 0xf0) == 0xe0 ? 3
               : (s[0] & 0xf8) == 0xf0 ? 4
                                       : 0;
    static const unsigned min[5] = {0, 0, 0x80, 0x800, 0x10000};
    unsigned c;

    if (n == 0)
        return 0;
    c = n == 1 ? s[0] : s[0] & (0x7f >> n);
    for (size_t i = 1; i < n; i++) {
        if ((s[i] & 0xc0) != 0x80)
            return 0;
        c = (c << 6) | (s[i] & 0x3f);
    }
    if (c < min[n] || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
        return 0;
    *cp = c;
    return n;
}

/* Characters that are dropped: controls, and formatting that reorders or hides text. */
static int dropped(unsigned c)
{
    return c < 0x20 || c == 0x7f || (c >= 0x80 && c <= 0x9f) || c == 0x061c ||
           (c >= 0x200b && c <= 0x200f) || (c >= 0x202a && c <= 0x202e) ||
           (c >= 0x2060 && c <= 0x2069) || c == 0xfeff;
}

/* Removes leading and trailing dots and spaces in place. */
static void trim(char *s)
{
    size_t start = strspn(s, ". "), n;

    memmove(s, s + start, strlen(s + start) + 1);
    n = strlen(s);
    while (n > 0 && (s[n - 1] == '.' || s[n - 1] == ' '))
        s[--n] = '\0';
}

/* Cuts s to max code points, keeping a short extension (".pdf") at the end. */
static void bound(char *s, size_t max)
{
    size_t chars = 0, cut = 0, i;
    const char *dot = strrchr(s, '.');
    size_t ext = dot && strlen(dot) <= 10 ? strlen(dot) : 0;

    for (i = 0; s[i]; i++)
        chars += ((unsigned char)s[i] & 0xc0) != 0x80;
    if (chars <= max)
        return;
    chars = 0;
    for (i = 0; s[i]; i++) {
        if (((unsigned char)s[i] & 0xc0) != 0x80 && ++chars > max - ext) {
            cut = i;
            break;
        }
    }
    memmove(s + cut, s + strlen(s) - ext, ext + 1);
}

int filename_safe(const char *name, const char *fallback, char *out)
{
    const unsigned char *p = (const unsigned char *)(name ? name : "");
    const unsigned char *base = p;
    char tmp[4096]; /* room for any sane name; a longer one may lose its extension */
    size_t k = 0;

    for (const unsigned char *q = p; *q; q++)
        if (*q == '/' || *q == '\\')
            base = q + 1;
    for (p = base; *p && k + 5 < sizeof tmp;) {
        unsigned c;
        size_t n = utf8_next(p, &c);
        if (n == 0) {
            tmp[k++] = '_';
            p++;
            continue;
        }
        if (!dropped(c)) {
            if (c < 0x80 && strchr("<>:\"|?*", (int)c))
                tmp[k++] = '_';
            else {
                memcpy(tmp + k, p, n);
                k += n;
            }
        }
        p += n;
    }
    tmp[k] = '\0';
    trim(tmp);
    bound(tmp, FILENAME_MAX_CHARS);
    trim(tmp);
    /* bound() left at most FILENAME_MAX_CHARS code points: they fit FILENAME_BUF. */
    k = strlen(tmp);
    memcpy(out, tmp, k < FILENAME_BUF ? k + 1 : 1);
    if (k >= FILENAME_BUF || !out[0])
        snprintf(out, FILENAME_BUF, "%s", fallback);
    return strcmp(out, name ? name : "") != 0;
}

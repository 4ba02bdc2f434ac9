#include "core/casenum.h"

#include <stdio.h>
#include <string.h>

void casenum_county_short(const char *county, char *out, size_t outlen)
{
    static const char *const suffixes[] = {"自治县", "区", "县", "市", "旗"};
    size_t n = strlen(county);

    snprintf(out, outlen, "%s", county);
    for (size_t i = 0; i < sizeof suffixes / sizeof suffixes[0]; i++) {
        size_t sl = strlen(suffixes[i]);
        /* Keep names that would become a single character (e.g. 和县 stays 和县). */
        if (n > sl + 3 && strcmp(county + n - sl, suffixes[i]) == 0) {
            snprintf(out, outlen, "%.*s", (int)(n - sl), county);
            return;
        }
    }
}

int casenum_format(const char *fmt, int year, const char *county_short, long seq, char *out,
                   size_t outlen)
{
    size_t n = 0;
    int has_seq = 0;

    for (const char *p = fmt; *p;) {
        char piece[64];
        const char *text = NULL;
        size_t len;

        if (strncmp(p, "{year}", 6) == 0) {
            snprintf(piece, sizeof piece, "%d", year);
            text = piece;
            p += 6;
        } else if (strncmp(p, "{county}", 8) == 0) {
            text = county_short;
            p += 8;
        } else if (strncmp(p, "{seq}", 5) == 0) {
            snprintf(piece, sizeof piece, "%04ld", seq);
            text = piece;
            has_seq = 1;
            p += 5;
        }
        if (text) {
            len = strlen(text);
        } else {
            text = p;
            len = 1;
            p++;
        }
        if (n + len + 1 > outlen)
            return -1;
        memcpy(out + n, text, len);
        n += len;
    }
    out[n] = '\0';
    return has_seq ? 0 : -1;
}

#define IDEOGRAPHIC_SPACE "\xe3\x80\x80" /* U+3000, the full-width space */

/* The bracket characters a citizen may type: opening ones first, then closing ones. */
static const char *const open_brackets[] = {"（", "〔", "(", "[", "【", "［", "〖"};
static const char *const close_brackets[] = {"）", "〕", ")", "]", "】", "］", "〗"};
#define NBRACKETS (sizeof open_brackets / sizeof open_brackets[0])

/* The length of the bracket at p (0 if none); *opening says which kind. */
static size_t bracket_at(const char *p, int *opening)
{
    for (size_t i = 0; i < NBRACKETS; i++) {
        size_t ol = strlen(open_brackets[i]), cl = strlen(close_brackets[i]);
        if (strncmp(p, open_brackets[i], ol) == 0) {
            *opening = 1;
            return ol;
        }
        if (strncmp(p, close_brackets[i], cl) == 0) {
            *opening = 0;
            return cl;
        }
    }
    return 0;
}

/* The length of the whitespace at p: ASCII blanks and the ideographic space U+3000. */
static size_t space_at(const char *p)
{
    if (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')
        return 1;
    return strncmp(p, IDEOGRAPHIC_SPACE, 3) == 0 ? 3 : 0;
}

/* Appends len bytes of s to out (n used of CASENUM_MAX); -1 if it does not fit. */
static int put(char *out, size_t *n, const char *s, size_t len)
{
    if (*n + len + 1 > CASENUM_MAX)
        return -1;
    memcpy(out + *n, s, len);
    *n += len;
    out[*n] = '\0';
    return 0;
}

int casenum_variants(const char *in, char out[CASENUM_VARIANTS][CASENUM_MAX])
{
    const char *end;
    size_t sp;

    while (*in && (sp = space_at(in)) > 0)
        in += sp;
    end = in + strlen(in);
    /* Trailing whitespace: step back over ASCII blanks and U+3000 (E3 80 80). */
    for (;;) {
        if (end > in && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\r' || end[-1] == '\n'))
            end--;
        else if (end - in >= 3 && strncmp(end - 3, IDEOGRAPHIC_SPACE, 3) == 0)
            end -= 3;
        else
            break;
    }
    if (end == in || (size_t)(end - in) >= CASENUM_MAX)
        return -1;
    memcpy(out[0], in, (size_t)(end - in));
    out[0][end - in] = '\0';
    for (int v = 1; v < CASENUM_VARIANTS; v++) {
        size_t n = 0, len;
        int opening = 0;
        out[v][0] = '\0';
        for (const char *p = in; p < end; p += len) {
            if ((len = space_at(p)) > 0)
                continue;
            if ((len = bracket_at(p, &opening)) > 0) {
                const char *b = opening ? open_brackets[v - 1] : close_brackets[v - 1];
                if (put(out[v], &n, b, strlen(b)) != 0)
                    return -1;
                continue;
            }
            len = 1;
            if (put(out[v], &n, p, 1) != 0)
                return -1;
        }
    }
    return 0;
}

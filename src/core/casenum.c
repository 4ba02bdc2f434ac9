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

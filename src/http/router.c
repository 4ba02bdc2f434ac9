/*
 * router.c - matching a request path against the route table.
 *
 * Patterns are literal segments and {name} segments; a {name} segment matches one
 * non-empty path segment. The table is small (tens of routes) so a linear scan is fine
 * and keeps every route visible in one place.
 */
#include "http/http.h"

#include <stdio.h>
#include <string.h>

/* Matches pattern against path; on success copies parameter values into buf. */
static int match(const char *pattern, const char *path, const char **params, int *nparams,
                 char *buf, size_t buflen)
{
    const char *p = pattern, *s = path;
    size_t used = 0;
    int n = 0;

    while (*p && *s) {
        if (*p != '/' || *s != '/')
            return 0;
        p++;
        s++;
        size_t plen = strcspn(p, "/"), slen = strcspn(s, "/");
        if (p[0] == '{') {
            if (slen == 0 || n >= HTTP_MAX_PARAMS || used + slen + 1 > buflen)
                return 0;
            memcpy(buf + used, s, slen);
            buf[used + slen] = '\0';
            params[n++] = buf + used;
            used += slen + 1;
        } else if (plen != slen || strncmp(p, s, plen) != 0) {
            return 0;
        }
        p += plen;
        s += slen;
    }
    if (*p || *s)
        return 0;
    *nparams = n;
    return 1;
}

const struct http_route *http_route_match(const struct http_route *routes, size_t n,
                                          const char *method, const char *path, const char **params,
                                          int *nparams, char *buf, size_t buflen, char *allow,
                                          size_t allowlen)
{
    size_t alen = 0;

    if (allowlen)
        allow[0] = '\0';
    for (size_t i = 0; i < n; i++) {
        if (!match(routes[i].pattern, path, params, nparams, buf, buflen))
            continue;
        if (strcmp(routes[i].method, method) == 0 ||
            (strcmp(method, "HEAD") == 0 && strcmp(routes[i].method, "GET") == 0))
            return &routes[i];
        if (alen < allowlen) {
            int w =
                snprintf(allow + alen, allowlen - alen, "%s%s", alen ? ", " : "", routes[i].method);
            if (w > 0)
                alen += (size_t)w;
        }
    }
    return NULL;
}

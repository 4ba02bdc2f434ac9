/*
 * fuzz_route.c - the request path: matching a method and path against the API's route
 * table (http_route_match over api_routes) and reading its {param} segments as ids
 * (api_path_id), as the server does before any handler runs. The first input byte picks
 * the method; the rest is the path. Checks that a match yields exactly the route's
 * parameters, each a non-empty segment without '/', and that a refused id answers 404.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "http/http.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int count_params(const char *pattern)
{
    int n = 0;
    for (const char *p = pattern; (p = strchr(p, '{')) != NULL; p++)
        n++;
    return n;
}

static void check_params(const struct http_route *r, const char **params, int n)
{
    struct http_req req = {0};
    struct http_res res = {0};

    if (n != count_params(r->pattern) || n > HTTP_MAX_PARAMS)
        abort();
    req.nparams = n;
    for (int i = 0; i < n; i++) {
        if (!params[i] || !params[i][0] || strchr(params[i], '/'))
            abort();
        req.params[i] = params[i];
        memset(&res, 0, sizeof res);
        if (api_path_id(&req, &res, i) <= 0 && res.status != 404)
            abort();
        free(res.body);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const methods[] = {"GET", "POST", "PATCH", "PUT", "DELETE", "HEAD"};
    const char *params[HTTP_MAX_PARAMS] = {0};
    char *path, buf[1024], allow[128];
    int n = 0;
    const struct http_route *r;

    if (size < 1)
        return 0;
    if (!(path = malloc(size)))
        return 0;
    memcpy(path, data + 1, size - 1);
    path[size - 1] = '\0';
    r = http_route_match(api_routes, api_nroutes, methods[data[0] % 6], path, params, &n, buf,
                         sizeof buf, allow, sizeof allow);
    if (r)
        check_params(r, params, n);
    else if (!memchr(allow, '\0', sizeof allow))
        abort();
    free(path);
    return 0;
}

#include "core/role.h"

#include <string.h>

static const char *const role_names[ROLE_COUNT] = {
    "admin", "clerk", "dispatcher", "mediator", "supervisor", "grid_worker", "leader", "partner",
};

unsigned role_parse(const char *name)
{
    for (int i = 0; name && i < ROLE_COUNT; i++)
        if (strcmp(name, role_names[i]) == 0)
            return 1u << i;
    return 0;
}

const char *role_name(unsigned role)
{
    for (int i = 0; i < ROLE_COUNT; i++)
        if (role == 1u << i)
            return role_names[i];
    return NULL;
}

unsigned role_at(int i)
{
    return (i >= 0 && i < ROLE_COUNT) ? 1u << i : 0;
}

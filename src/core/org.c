#include "core/org.h"
#include "core/vocab.h"

int org_type_valid(const char *type)
{
    return vocab_valid(&vocab_org_type, type);
}

int org_status_valid(const char *status)
{
    return vocab_valid(&vocab_org_status, status);
}

/*
 * org.h - kinds of organizations (组织机构, DOMAIN.md "Who resolves").
 * Pure: no I/O.
 */
#ifndef JIEFEN_CORE_ORG_H
#define JIEFEN_CORE_ORG_H

/* Returns 1 if `type` is a known organization type ("center", "court", ...). */
int org_type_valid(const char *type);

/* Returns 1 if `status` is "active" or "suspended". */
int org_status_valid(const char *status);

#endif

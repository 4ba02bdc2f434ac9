/*
 * role.h - staff roles (DOMAIN.md "Who uses it").
 *
 * A user holds a set of roles, kept as a bitmask so that permission checks are one AND.
 * Pure: no I/O.
 */
#ifndef JIEFEN_CORE_ROLE_H
#define JIEFEN_CORE_ROLE_H

enum role {
    ROLE_ADMIN = 1u << 0,       /* 系统管理员 */
    ROLE_CLERK = 1u << 1,       /* 受理登记员 */
    ROLE_DISPATCHER = 1u << 2,  /* 引导分流 / 研判分流岗 */
    ROLE_MEDIATOR = 1u << 3,    /* 调解员 */
    ROLE_SUPERVISOR = 1u << 4,  /* 协调督办岗 */
    ROLE_GRID_WORKER = 1u << 5, /* 网格员 */
    ROLE_LEADER = 1u << 6,      /* 包案领导 */
    /* 合作单位: a partner agency's integration (court, police, petition office). Held alone;
     * it may only read the referrals sent to its organization and answer them
     * (api/partner.c), whatever else a route allows. */
    ROLE_PARTNER = 1u << 7,
};

/* Every staff role (the system actor's); the partner role is not staff. */
#define ROLE_ALL   0x7fu
#define ROLE_COUNT 8

/* Returns the role named `name` ("admin", "clerk", ...) or 0 if there is none. */
unsigned role_parse(const char *name);

/* Returns the wire name of a single role bit, or NULL for anything else. */
const char *role_name(unsigned role);

/* Returns the i-th role bit (0 <= i < ROLE_COUNT), in declaration order. */
unsigned role_at(int i);

#endif

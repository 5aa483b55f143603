/* The five roles of SPEC §1, the two duty roles of the separation of duties (三员分立,
 * issue 14), and the person acting in a request or command. */
#ifndef HZ_ROLE_H
#define HZ_ROLE_H
#include <stdint.h>

typedef enum {
  ROLE_ADMIN = 1 << 0,
  ROLE_OFFICE = 1 << 1,
  ROLE_LEADER = 1 << 2,
  ROLE_UNIT_HEAD = 1 << 3,
  ROLE_UNIT_STAFF = 1 << 4,
  ROLE_SECURITY_ADMIN = 1 << 5, /* users, roles, API tokens, the security policy */
  ROLE_AUDITOR = 1 << 6,        /* reads the audit and login logs, nothing else */
} Role;

#define ROLES_ALL (ROLE_ADMIN | ROLE_OFFICE | ROLE_LEADER | ROLE_UNIT_HEAD | ROLE_UNIT_STAFF)
#define ROLES_UNIT (ROLE_UNIT_HEAD | ROLE_UNIT_STAFF)
#define ROLES_CENTRAL (ROLE_ADMIN | ROLE_OFFICE)     /* write anything in their remit */
#define ROLES_READ_ALL (ROLE_ADMIN | ROLE_OFFICE | ROLE_LEADER)
#define ROLES_DUTY (ROLE_SECURITY_ADMIN | ROLE_AUDITOR)
/* Not a role: marks a set of roles (a route's, a resource's) whose business roles drop
 * out when the installation separates duties, leaving only the duty roles in it. */
#define ROLES_SEPARABLE (1u << 15)

typedef struct {
  int64_t id;      /* 0 = the system itself (CLI, demo) */
  Role role;
  int64_t unit_id; /* 0 unless a unit role */
  char login[64];
  char name[128];
  int separated;   /* the installation separates duties (security policy) */
  int must_change; /* session only: the password must be changed first (1 first login, 2 expired) */
} Actor;

/* huizhan itself (scheduled jobs): admin rights, user id 0. */
extern const Actor actor_system;
/* "admin" -> ROLE_ADMIN; 0 when unknown. */
Role role_parse(const char *s);
const char *role_name(Role r);
/* Whether roles (a route's or resource's set, maybe ROLES_SEPARABLE) admit the actor. */
int actor_may(const Actor *a, unsigned roles);
/* True when the actor only sees its own unit's records. */
int actor_is_unit(const Actor *a);

#endif

#include "domain/role.h"
#include <string.h>

static const struct { Role role; const char *name; } roles[] = {
  {ROLE_ADMIN, "admin"}, {ROLE_OFFICE, "office"}, {ROLE_LEADER, "leader"},
  {ROLE_UNIT_HEAD, "unit_head"}, {ROLE_UNIT_STAFF, "unit_staff"}, {ROLE_SECURITY_ADMIN, "security_admin"},
  {ROLE_AUDITOR, "auditor"},
};

const Actor actor_system = {.id = 0, .role = ROLE_ADMIN, .unit_id = 0, .login = "system", .name = "系统"};

Role role_parse(const char *s) {
  for (size_t i = 0; s && i < sizeof roles / sizeof roles[0]; i++)
    if (strcmp(roles[i].name, s) == 0) return roles[i].role;
  return 0;
}

const char *role_name(Role r) {
  for (size_t i = 0; i < sizeof roles / sizeof roles[0]; i++)
    if (roles[i].role == r) return roles[i].name;
  return "unknown";
}

int actor_is_unit(const Actor *a) { return (a->role & ROLES_UNIT) != 0; }

int actor_may(const Actor *a, unsigned admitted) {
  if ((admitted & ROLES_SEPARABLE) && a->separated) admitted &= ROLES_DUTY;
  return (admitted & (unsigned)a->role) != 0;
}

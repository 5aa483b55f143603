/* The route table, readable by the rest of http/: the router matches requests against
 * it, /api/v1/me derives each person's capabilities from it and the OpenAPI document
 * lists its paths. Matching needs no MHD connection, so it can be tested and fuzzed. */
#ifndef HZ_ROUTER_H
#define HZ_ROUTER_H
#include "http/http.h"

enum {
  R_PUBLIC = 1 << 0,   /* no login needed */
  R_RESOURCE = 1 << 1, /* {name} is a collection of domain/resources.c: its roles and ops apply too */
  R_NOCAP = 1 << 2,    /* not a capability (session, me) */
  R_JSON = 1 << 3,     /* takes a JSON object body */
  R_BINARY = 1 << 4,   /* takes the raw bytes of a file */
  R_PWCHANGE = 1 << 5, /* open while the password must be changed (me, the change, logout) */
};

typedef struct {
  const char *method;
  /* Segments: a literal, {name} (any segment, or one of names), or {…} any other
   * placeholder: a positive 64-bit integer id ({id}, {unit_id}). */
  const char *pattern;
  Handler handler;
  unsigned flags;
  unsigned roles;           /* roles admitted (ROLES_SEPARABLE: duties may narrow them); 0 = the
                               campaign's roles (R_RESOURCE: and the duty roles the resource admits;
                               R_NOCAP: anyone logged in) */
  size_t body_max;          /* largest request body, bytes */
  const char *const *names; /* the values the first {name} may take, NULL-terminated; NULL = any */
  const char *cap;          /* "collection verb" when the derived capability is wrong; "" = none;
                               on an R_RESOURCE GET route, the verb alone (e.g. "export") */
  const char *summary;      /* zh-CN, for the OpenAPI document */
} Route;

#define ROUTE_NAME_MAX 64

typedef struct {
  const Route *route;           /* the route to run; NULL when none */
  int path_found;               /* a route has this path under another method */
  int64_t ids[2];               /* integer placeholders, in order */
  char names[2][ROUTE_NAME_MAX]; /* {name} segments, in order */
} RouteMatch;

/* The routes, in matching order (the first that fits wins); *n gets their count. */
const Route *router_routes(size_t *n);
/* Finds the route for method + path (no query string). HZ_OK with m->route set,
 * HZ_EMETHOD when only another method fits, HZ_ENOTFOUND otherwise. HEAD runs GET.
 * Empty segments ("//", a trailing "/") are skipped. Pure: no I/O, no allocation. */
int router_match(const char *method, const char *path, RouteMatch *m);
/* What a role may do, {collection: [verb, …]} with sorted verbs, derived from the
 * route table and the resources' roles and operations; new reference. */
json_t *router_capabilities(unsigned role, int separated);

#endif

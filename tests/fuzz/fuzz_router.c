/* libFuzzer harness for route matching (http/router.c router_match): the input is a
 * method byte and a path. Built like fuzz_json_body (see there). */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "http/router.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static const char *const methods[] = {"GET", "POST", "PATCH", "DELETE", "HEAD", "PUT"};
  if (!size) return 0;
  char *path = malloc(size);
  memcpy(path, data + 1, size - 1);
  path[size - 1] = 0;
  RouteMatch m;
  int rc = router_match(methods[data[0] % 6], path, &m);
  if (!rc && (!m.route || m.ids[0] < 0 || m.ids[1] < 0)) __builtin_trap();
  if (rc && m.route) __builtin_trap();
  if (!rc) (void)router_body_limit(m.route->method, path);
  free(path);
  return 0;
}

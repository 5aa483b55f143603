/* libFuzzer harness for the validation of a collection's request body (domain/resource.c
 * resource_validate), as the API runs it on POST (create) and PATCH (update) before any
 * database work: the first byte picks the collection (low 7 bits) and the operation (high
 * bit: update), the rest is the body, parsed by http/json_body.c like a request's. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include "domain/resource.h"
#include "http/json_body.h"
#include "util/text.h"

static size_t ncollections(void) {
  static size_t n;
  while (resources[n]) n++;
  return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (!size) return 0;
  const Resource *r = resources[(data[0] & 0x7f) % ncollections()];
  int op = data[0] & 0x80 ? OP_UPDATE : OP_CREATE;
  json_t *body = NULL, *values = NULL, *extra = NULL;
  HzErr e = {0};
  if (json_body_parse((const char *)data + 1, size - 1, "application/json", &body, &e)) goto done;
  int rc = resource_validate(r, body, op, &values, &extra, &e);
  if (!rc) {
    /* What passes is only known, writable fields, each once more in values or extra. */
    if (!json_is_object(values) || !json_is_object(extra)) __builtin_trap();
    const char *key;
    json_t *v;
    json_object_foreach(values, key, v) {
      const Field *f = resource_field(r, key);
      if (!f || (f->flags & (FF_READONLY | FF_VIRTUAL))) __builtin_trap();
      if (op == OP_UPDATE && (f->flags & FF_CREATE_ONLY)) __builtin_trap();
      if (field_check(f, v, NULL)) __builtin_trap();
    }
    if (json_object_size(values) + json_object_size(extra) + (op == OP_UPDATE) != json_object_size(body))
      __builtin_trap();
  } else {
    /* A refusal says why in valid UTF-8 and leaves nothing to free. */
    if (rc != HZ_EINVAL || values || extra || !e.message[0]) __builtin_trap();
    if (!utf8_valid(e.message, strlen(e.message))) __builtin_trap();
  }
done:
  json_decref(body);
  json_decref(values);
  json_decref(extra);
  hz_err_clear(&e);
  return 0;
}

/* libFuzzer harness for the JSON request body parser (http/json_body.c). Build with
 * CC=clang cmake -S . -B build-fuzz -DHZ_FUZZ=ON &&
 * cmake --build build-fuzz --target fuzz_json_body,
 * then run build-fuzz/tests/fuzz_json_body. The first byte picks the Content-Type. */
#include <stddef.h>
#include <stdint.h>
#include "http/json_body.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static const char *const types[] = {"application/json", "application/json; charset=utf-8", "text/plain", NULL};
  if (!size) return 0;
  const char *ct = types[data[0] % 4];
  json_t *out = NULL;
  HzErr e = {0};
  int rc = json_body_parse((const char *)data + 1, size - 1, ct, &out, &e);
  if (!rc && !json_is_object(out)) __builtin_trap(); /* success means an object */
  if (rc && out) __builtin_trap();                    /* failure leaves nothing to free */
  json_decref(out);
  hz_err_clear(&e);
  return 0;
}

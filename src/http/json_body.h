/* Request bodies as JSON: a pure function of the bytes and the Content-Type, with no
 * connection behind it, so the API's one parser can be unit-tested and fuzzed. */
#ifndef HZ_JSON_BODY_H
#define HZ_JSON_BODY_H
#include <jansson.h>
#include <stddef.h>
#include "util/err.h"

#define JSON_BODY_DEPTH_MAX 32 /* request bodies are flat records; deeper is an attack or a mistake */

/* Parses data[0..len) (need not be NUL-terminated) as a JSON object. content_type may be
 * NULL. On success *out is a new reference the caller frees; otherwise *out is NULL and
 * e names the field: HZ_EMEDIA (not application/json), HZ_EMALFORMED (empty, invalid
 * UTF-8, bad JSON, too deep, not an object, duplicate keys), HZ_EINVAL (a number beyond
 * 64 bits, a string holding NUL). */
int json_body_parse(const char *data, size_t len, const char *content_type, json_t **out, HzErr *e);

#endif

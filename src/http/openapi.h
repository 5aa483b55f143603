/* The OpenAPI 3 description of the JSON API. */
#ifndef HZ_OPENAPI_H
#define HZ_OPENAPI_H
#include <jansson.h>

/* A new JSON document; the caller owns it. */
json_t *openapi_document(void);

#endif

/* A code of an enumeration with its zh-CN label: the one place imports, exports, error
 * messages, the OpenAPI document, GET /api/v1/enums and the UI read labels from. */
#ifndef HZ_CHOICE_H
#define HZ_CHOICE_H
#include <stddef.h>
#include <string.h>

typedef struct {
  const char *code;  /* what the API and the database carry, e.g. "signed" */
  const char *label; /* zh-CN, e.g. "签约" */
} Choice;

/* The choice with this code in a table ending with {0}, or NULL. */
static inline const Choice *choice_find(const Choice *t, const char *code) {
  for (; t && code && t->code; t++)
    if (strcmp(t->code, code) == 0) return t;
  return NULL;
}

/* The choice whose label is label (an import cell saying 签约 rather than signed), or NULL. */
static inline const Choice *choice_find_label(const Choice *t, const char *label) {
  for (; t && label && t->code; t++)
    if (strcmp(t->label, label) == 0) return t;
  return NULL;
}

/* The label of code in t; the code itself when t does not know it. */
static inline const char *choice_label(const Choice *t, const char *code) {
  const Choice *c = choice_find(t, code);
  return c ? c->label : code;
}

#endif

#include "util/buf.h"
#include "util/err.h"
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void buf_init(Buf *b, size_t max) {
  b->data = NULL;
  b->len = b->cap = 0;
  b->max = max;
}

static int buf_reserve(Buf *b, size_t extra) {
  if (b->max && b->len + extra > b->max) return HZ_ETOOBIG;
  size_t need = b->len + extra + 1;
  if (need <= b->cap) return HZ_OK;
  size_t cap = b->cap ? b->cap : 256;
  while (cap < need) cap *= 2;
  char *p = realloc(b->data, cap);
  if (!p) return HZ_ENOMEM;
  b->data = p;
  b->cap = cap;
  return HZ_OK;
}

int buf_append(Buf *b, const void *p, size_t n) {
  int rc = buf_reserve(b, n);
  if (rc) return rc;
  if (n) memcpy(b->data + b->len, p, n);
  b->len += n;
  b->data[b->len] = 0;
  return HZ_OK;
}

int buf_puts(Buf *b, const char *s) { return buf_append(b, s, strlen(s)); }

int buf_printf(Buf *b, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(NULL, 0, fmt, ap);
  va_end(ap);
  if (n < 0) return HZ_EINVAL;
  int rc = buf_reserve(b, (size_t)n);
  if (rc) return rc;
  va_start(ap, fmt);
  vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
  va_end(ap);
  b->len += (size_t)n;
  return HZ_OK;
}

void buf_reset(Buf *b) {
  b->len = 0;
  if (b->data) b->data[0] = 0;
}

void buf_free(Buf *b) {
  free(b->data);
  b->data = NULL;
  b->len = b->cap = 0;
}

char *buf_take(Buf *b) {
  char *p = b->data;
  if (!p) p = calloc(1, 1);
  b->data = NULL;
  b->len = b->cap = 0;
  return p;
}

/* Growable byte buffer with a hard cap, always NUL-terminated. */
#ifndef HZ_BUF_H
#define HZ_BUF_H
#include <stddef.h>

typedef struct Buf {
  char *data;   /* owned; freed by buf_free */
  size_t len;
  size_t cap;
  size_t max;   /* 0 = no limit */
} Buf;

void buf_init(Buf *b, size_t max);
/* Appends; returns HZ_ETOOBIG past the cap (buffer unchanged), HZ_ENOMEM on allocation failure. */
int buf_append(Buf *b, const void *p, size_t n);
int buf_puts(Buf *b, const char *s);
int buf_printf(Buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void buf_reset(Buf *b);
void buf_free(Buf *b);
/* Hands the data to the caller (free() it); the buffer is left empty. */
char *buf_take(Buf *b);

#endif

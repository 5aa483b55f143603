#include "util/text.h"
#include "util/buf.h"
#include "util/err.h"
#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* Length of the well-formed sequence at s[0..n), or 0 when it is ill-formed. */
static size_t utf8_seq(const unsigned char *s, size_t n) {
  unsigned c = s[0];
  size_t len;
  uint32_t cp;
  if (c < 0x80) return 1;
  if ((c & 0xE0) == 0xC0) { len = 2; cp = c & 0x1F; }
  else if ((c & 0xF0) == 0xE0) { len = 3; cp = c & 0x0F; }
  else if ((c & 0xF8) == 0xF0) { len = 4; cp = c & 0x07; }
  else return 0;
  if (len > n) return 0;
  for (size_t k = 1; k < len; k++) {
    if ((s[k] & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (s[k] & 0x3F);
  }
  if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000)) return 0;
  if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
  return len;
}

void utf8_sanitize(const char *str, size_t n, Buf *out) {
  const unsigned char *s = (const unsigned char *)str;
  for (size_t i = 0; i < n;) {
    size_t len = utf8_seq(s + i, n - i);
    if (len) buf_append(out, s + i, len);
    else buf_puts(out, "\xEF\xBF\xBD");
    i += len ? len : 1;
  }
}

int utf8_valid(const char *str, size_t n) {
  const unsigned char *s = (const unsigned char *)str;
  for (size_t i = 0; i < n;) {
    size_t len = utf8_seq(s + i, n - i);
    if (!len) return 0;
    i += len;
  }
  return 1;
}

size_t utf8_length(const char *s) {
  size_t n = 0;
  for (; *s; s++)
    if (((unsigned char)*s & 0xC0) != 0x80) n++;
  return n;
}

char *utf8_trim_partial(char *s) {
  size_t n = strlen(s), i = n, back = 0;
  while (i > 0 && back < 4 && ((unsigned char)s[i - 1] & 0xC0) == 0x80) i--, back++;
  if (i == 0) return s;
  unsigned char lead = (unsigned char)s[i - 1];
  size_t need = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
  if (need > 1 && back + 1 < need) s[i - 1] = 0;
  return s;
}

int parse_int64(const char *s, int64_t *out) {
  if (!s || !*s) return HZ_EINVAL;
  const char *p = s;
  if (*p == '-') p++;
  if (!*p) return HZ_EINVAL;
  for (const char *q = p; *q; q++)
    if (*q < '0' || *q > '9') return HZ_EINVAL;
  errno = 0;
  char *end;
  long long v = strtoll(s, &end, 10);
  if (errno || *end) return HZ_EINVAL;
  *out = v;
  return HZ_OK;
}

int str_eq(const char *a, const char *b) {
  if (!a || !b) return a == b;
  return strcmp(a, b) == 0;
}

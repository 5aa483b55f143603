#include "util/json_text.h"
#include "util/buf.h"
#include "util/err.h"
#include "util/text.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The text so far and the first failure (HZ_ENOMEM), after which nothing is added. */
typedef struct {
  Buf b;
  int rc;
  int sorted;    /* keys in strcmp order (json_dumps' JSON_SORT_KEYS) */
  int precision; /* of reals: 12, or 17 (json_dumps' default) */
} Out;

/* The common case, room left, is a bare copy; the NUL goes on at the end. */
static inline void out(Out *o, const void *p, size_t n) {
  if (o->b.len + n < o->b.cap) {
    memcpy(o->b.data + o->b.len, p, n);
    o->b.len += n;
  } else if (!o->rc)
    o->rc = buf_append(&o->b, p, n);
}
static void outs(Out *o, const char *s) { out(o, s, strlen(s)); }

static void put_string(Out *b, const char *s, size_t n) {
  static const char hex[] = "0123456789ABCDEF";
  out(b, "\"", 1);
  size_t run = 0; /* bytes copied as they are, flushed before each escape */
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    out(b, s + run, i - run);
    run = i + 1;
    char esc[7] = {'\\', 0};
    size_t len = 2;
    switch (c) {
    case '"': esc[1] = '"'; break;
    case '\\': esc[1] = '\\'; break;
    case '\b': esc[1] = 'b'; break;
    case '\f': esc[1] = 'f'; break;
    case '\n': esc[1] = 'n'; break;
    case '\r': esc[1] = 'r'; break;
    case '\t': esc[1] = 't'; break;
    default:
      memcpy(esc + 1, "u00", 3);
      esc[4] = hex[c >> 4];
      esc[5] = hex[c & 15];
      len = 6;
    }
    out(b, esc, len);
  }
  out(b, s + run, n - run);
  out(b, "\"", 1);
}

static void put_real(Out *b, double x) {
  char t[40];
  int n = snprintf(t, sizeof t, "%.*g", b->precision, x);
  /* Like jansson: a real always reads back as a real. */
  if (n > 0 && strspn(t, "0123456789-") == (size_t)n) memcpy(t + n, ".0", 3);
  /* and its exponent has no '+' and no leading zeros: 1e21, 1e-6 */
  char *ex = strchr(t, 'e');
  if (ex) {
    char *digits = ex + 1 + (ex[1] == '-'), *from = ex + 1;
    if (*from == '+' || *from == '-') from++;
    while (*from == '0' && from[1]) from++;
    memmove(digits, from, strlen(from) + 1);
  }
  outs(b, t);
}

static void put(Out *b, const json_t *j);

/* An object's members in key order (strcmp, as jansson sorts them); a record has a few
 * dozen keys, sorted on the stack by insertion (no qsort call per comparison). */
static void put_sorted(Out *b, const json_t *j) {
  typedef struct {
    const char *key;
    const json_t *v;
  } Member;
  Member small[64], *m = small;
  size_t n = json_object_size(j), k = 0;
  if (n > 64 && !(m = malloc(n * sizeof *m))) {
    if (!b->rc) b->rc = HZ_ENOMEM;
    return;
  }
  const char *key;
  json_t *v;
  json_object_foreach((json_t *)j, key, v) {
    size_t i = k++;
    /* the first bytes settle most comparisons without a call */
    for (; i > 0 && (m[i - 1].key[0] != key[0] ? (unsigned char)m[i - 1].key[0] > (unsigned char)key[0]
                                                : strcmp(m[i - 1].key, key) > 0);
         i--)
      m[i] = m[i - 1];
    m[i] = (Member){key, v};
  }
  out(b, "{", 1);
  for (size_t i = 0; i < n; i++) {
    if (i) out(b, ",", 1);
    put_string(b, m[i].key, strlen(m[i].key));
    out(b, ":", 1);
    put(b, m[i].v);
  }
  out(b, "}", 1);
  if (m != small) free(m);
}

/* An integer in decimal, as "%" JSON_INTEGER_FORMAT prints it. */
static void put_int(Out *b, json_int_t x) {
  char t[24], *p = t + sizeof t;
  unsigned long long u = x < 0 ? 0ULL - (unsigned long long)x : (unsigned long long)x;
  do *--p = (char)('0' + u % 10);
  while (u /= 10);
  if (x < 0) *--p = '-';
  out(b, p, (size_t)(t + sizeof t - p));
}

static void put(Out *b, const json_t *j) {
  switch (json_typeof(j)) {
  case JSON_OBJECT: {
    if (b->sorted) {
      put_sorted(b, j);
      break;
    }
    const char *key;
    json_t *v;
    int first = 1;
    out(b, "{", 1);
    json_object_foreach((json_t *)j, key, v) {
      if (!first) out(b, ",", 1);
      first = 0;
      put_string(b, key, strlen(key));
      out(b, ":", 1);
      put(b, v);
    }
    out(b, "}", 1);
    break;
  }
  case JSON_ARRAY: {
    out(b, "[", 1);
    for (size_t i = 0, n = json_array_size(j); i < n; i++) {
      if (i) out(b, ",", 1);
      put(b, json_array_get(j, i));
    }
    out(b, "]", 1);
    break;
  }
  case JSON_STRING: put_string(b, json_string_value(j), json_string_length(j)); break;
  case JSON_INTEGER: put_int(b, json_integer_value(j)); break;
  case JSON_REAL: put_real(b, json_real_value(j)); break;
  case JSON_TRUE: outs(b, "true"); break;
  case JSON_FALSE: outs(b, "false"); break;
  case JSON_NULL: outs(b, "null"); break;
  }
}

/* Runs put-like writers on the caller's buffer. */
int json_text_append(Buf *b, const json_t *j) {
  Out o = {.b = *b, .rc = 0, .precision = 12};
  put(&o, j);
  if (!o.rc) o.rc = buf_append(&o.b, "", 0); /* the fast path leaves the NUL out */
  *b = o.b;
  return o.rc;
}

int json_text_string(Buf *b, const char *s, size_t n) {
  Out o = {.b = *b, .rc = 0, .precision = 12};
  put_string(&o, s, n);
  if (!o.rc) o.rc = buf_append(&o.b, "", 0);
  *b = o.b;
  return o.rc;
}

int json_text_db_string(Buf *b, const char *s) {
  size_t n = s ? strlen(s) : 0;
  if (!s || !utf8_valid(s, n)) return buf_append(b, "null", 4);
  return json_text_string(b, s, n);
}

static char *text_of(const json_t *j, size_t *len, int sorted, int precision) {
  Out o = {.rc = 0, .sorted = sorted, .precision = precision};
  buf_init(&o.b, 0);
  put(&o, j);
  if (!o.rc) o.rc = buf_append(&o.b, "", 0); /* the NUL */
  if (o.rc) {
    buf_free(&o.b);
    return NULL;
  }
  if (len) *len = o.b.len;
  return buf_take(&o.b);
}

char *json_text(const json_t *j, size_t *len) { return text_of(j, len, 0, 12); }

char *json_text_sorted(const json_t *j, size_t *len) { return text_of(j, len, 1, 17); }

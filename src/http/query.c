#include "http/query.h"
#include "util/text.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int hexval(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

/* Decodes s[0..n) of a query string ('+' is a space, %HH a byte) into a new string in
 * *out. 0, or QUERY_BAD_ESCAPE for a '%' without two hex digits, QUERY_BAD_NUL for %00
 * (it would cut the text short wherever it is used as a C string). */
static int query_unescape(const char *s, size_t n, char **out) {
  char *d = malloc(n + 1);
  size_t j = 0;
  int bad = 0;
  for (size_t i = 0; d && i < n; i++) {
    if (s[i] == '+') d[j++] = ' ';
    else if (s[i] != '%') d[j++] = s[i];
    else if (i + 2 >= n || hexval(s[i + 1]) < 0 || hexval(s[i + 2]) < 0) {
      bad = bad ? bad : QUERY_BAD_ESCAPE;
      break;
    } else {
      char c = (char)(hexval(s[i + 1]) * 16 + hexval(s[i + 2]));
      if (!c) bad = bad ? bad : QUERY_BAD_NUL;
      d[j++] = c;
      i += 2;
    }
  }
  if (d) d[j] = 0;
  *out = d;
  return bad;
}

/* Names the first unusable parameter; one without a usable name ("=%zz", "=\xff") is
 * named "query", as an empty name would tell the user nothing. */
static int query_refuse(int bad, int why, const char *name, char *bad_name, size_t size) {
  if (bad) return bad;
  snprintf(bad_name, size, "%s", name[0] && utf8_valid(name, strlen(name)) ? name : "query");
  utf8_trim_partial(bad_name);
  return why;
}

/* Adds one parameter; a name given again turns its value into an array of the values. */
static void query_add(json_t *query, const char *key, const char *value) {
  json_t *old = json_object_get(query, key);
  if (!old) json_object_set_new(query, key, json_string(value));
  else if (json_is_array(old)) json_array_append_new(old, json_string(value));
  else json_object_set_new(query, key, json_pack("[O s]", old, value));
}

/* MHD's own parsing would cut a value at %00 and keep a broken escape as it is. */
int query_parse(const char *raw, json_t *query, char *bad_name, size_t size) {
  const char *p = raw ? raw : "";
  int bad = 0;
  while (*p) {
    size_t n = strcspn(p, "&");
    const char *eq = memchr(p, '=', n);
    size_t kn = eq ? (size_t)(eq - p) : n;
    if (n) {
      char *key = NULL, *value = NULL;
      int kbad = query_unescape(p, kn, &key);
      int vbad = eq ? query_unescape(eq + 1, n - kn - 1, &value) : (value = strdup(""), 0);
      if (!key || !value) bad = query_refuse(bad, QUERY_BAD_ESCAPE, "query", bad_name, size);
      else if (kbad) {
        char raw_name[64];
        snprintf(raw_name, sizeof raw_name, "%.*s", (int)(kn < sizeof raw_name ? kn : sizeof raw_name - 1), p);
        bad = query_refuse(bad, kbad, raw_name, bad_name, size);
      } else if (vbad) bad = query_refuse(bad, vbad, key, bad_name, size);
      else if (!utf8_valid(key, strlen(key))) bad = query_refuse(bad, QUERY_BAD_UTF8, "query", bad_name, size);
      else if (!utf8_valid(value, strlen(value))) bad = query_refuse(bad, QUERY_BAD_UTF8, key, bad_name, size);
      else query_add(query, key, value);
      free(key);
      free(value);
    }
    p += n;
    if (*p == '&') p++;
  }
  return bad;
}

/* The JSON request body parser (see json_body.h): strict UTF-8, no duplicate keys, no
 * NUL inside strings, integers within 64 bits, bounded nesting, an object at the top. */
#include "http/json_body.h"
#include "util/buf.h"
#include "util/text.h"
#include <math.h>
#include <string.h>
#include <strings.h>

/* Names the field whose text holds the ill-formed bytes: parse a copy with them replaced
 * by U+FFFD and find the key (or the string value) that now carries one. */
static int invalid_utf8(const char *data, size_t len, HzErr *e) {
  Buf clean;
  buf_init(&clean, 0);
  utf8_sanitize(data, len, &clean);
  json_t *j = json_loadb(clean.data ? clean.data : "", clean.len, 0, NULL);
  const char *field = "body", *key;
  json_t *v;
  json_object_foreach(j, key, v) {
    if (strstr(key, "\xEF\xBF\xBD") || (json_is_string(v) && strstr(json_string_value(v), "\xEF\xBF\xBD"))) {
      field = key;
      break;
    }
  }
  hz_fail(e, HZ_EMALFORMED, field, "“%s”不是合法的 UTF-8 文本", field);
  json_decref(j);
  buf_free(&clean);
  return HZ_EMALFORMED;
}

/* True when a string anywhere in v holds a NUL character ("\u0000"). */
static int has_nul(json_t *v) {
  const char *key;
  json_t *x;
  size_t i;
  if (json_is_string(v)) return strlen(json_string_value(v)) != json_string_length(v);
  json_object_foreach(v, key, x) if (has_nul(x)) return 1;
  json_array_foreach(v, i, x) if (has_nul(x)) return 1;
  return 0;
}

/* Names the field whose number does not fit in 64 bits: parse again with integers read
 * as reals and find the one out of range. */
static int too_big_number(const char *data, size_t len, HzErr *e) {
  json_t *j = json_loadb(data, len, JSON_DECODE_INT_AS_REAL | JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL, NULL);
  if (!json_is_object(j)) {
    json_decref(j);
    return hz_fail(e, HZ_EMALFORMED, "body", "请求体中的数值超出范围");
  }
  const char *key, *field = "body";
  json_t *v;
  json_object_foreach(j, key, v) if (json_is_real(v) && fabs(json_real_value(v)) >= 9223372036854775808.0) {
    field = key;
    break;
  }
  int rc = hz_fail(e, HZ_EINVAL, field, "“%s”的数值超出范围", field);
  json_decref(j);
  return rc;
}

/* Deepest nesting of arrays and objects, brackets inside strings not counted; stops
 * counting past limit so a megabyte of "[" costs one pass. */
static int depth(const char *s, size_t n, int limit) {
  int d = 0, max = 0, in_string = 0;
  for (size_t i = 0; i < n && max <= limit; i++) {
    char c = s[i];
    if (in_string) {
      if (c == '\\') i++;
      else if (c == '"') in_string = 0;
    } else if (c == '"') {
      in_string = 1;
    } else if (c == '[' || c == '{') {
      if (++d > max) max = d;
    } else if ((c == ']' || c == '}') && d > 0) {
      d--;
    }
  }
  return max;
}

int json_body_parse(const char *data, size_t len, const char *ct, json_t **out, HzErr *e) {
  *out = NULL;
  if (!ct || strncasecmp(ct, "application/json", 16) != 0 || (ct[16] && ct[16] != ';' && ct[16] != ' '))
    return hz_fail(e, HZ_EMEDIA, "Content-Type", "请求体须为 JSON（Content-Type: application/json）");
  if (!data || !len) return hz_fail(e, HZ_EMALFORMED, "body", "缺少请求体");
  if (!utf8_valid(data, len)) return invalid_utf8(data, len, e);
  if (depth(data, len, JSON_BODY_DEPTH_MAX) > JSON_BODY_DEPTH_MAX)
    return hz_fail(e, HZ_EMALFORMED, "body", "请求体嵌套过深（最多 %d 层）", JSON_BODY_DEPTH_MAX);
  json_error_t jerr;
  /* NUL is accepted by the parser only to name the field that holds it. */
  json_t *j = json_loadb(data, len, JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL, &jerr);
  if (!j && json_error_code(&jerr) == json_error_numeric_overflow) return too_big_number(data, len, e);
  if (!j) return hz_fail(e, HZ_EMALFORMED, "body", "请求体不是合法的 JSON（第 %d 行第 %d 列：%s）", jerr.line, jerr.column, jerr.text);
  if (!json_is_object(j)) {
    json_decref(j);
    return hz_fail(e, HZ_EMALFORMED, "body", "请求体应为 JSON 对象");
  }
  const char *key;
  json_t *v;
  json_object_foreach(j, key, v) if (has_nul(v)) {
    hz_fail(e, HZ_EINVAL, key, "“%s”不能包含 NUL 字符", key);
    json_decref(j);
    return HZ_EINVAL;
  }
  *out = j;
  return HZ_OK;
}

/* notify/: the group-robot payloads, DingTalk's request signature, masking of secrets,
 * reading a robot's answer; and the retry backoff of domain/webhooks.c. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <jansson.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include "domain/webhooks.h"
#include "notify/notify.h"

/* The vector was computed independently with openssl:
 *   printf '1700000000000\nSEC0123456789abcdef' | openssl dgst -sha256 -hmac 'SEC0123456789abcdef' -binary | base64
 *   -> TSZbRFUuvaSQaRKUpF970OPCb2/LcQAP3wOvwZIzBZk=
 * then '/' -> %2F and '=' -> %3D for the query string. */
static void sign_known_vector(void **state) {
  (void)state;
  char s[NOTIFY_SIGN_LEN];
  notify_dingtalk_sign("SEC0123456789abcdef", INT64_C(1700000000000), s);
  assert_string_equal(s, "TSZbRFUuvaSQaRKUpF970OPCb2%2FLcQAP3wOvwZIzBZk%3D");
  /* Another timestamp gives another signature. */
  notify_dingtalk_sign("SEC0123456789abcdef", INT64_C(1700000000001), s);
  assert_string_not_equal(s, "TSZbRFUuvaSQaRKUpF970OPCb2%2FLcQAP3wOvwZIzBZk%3D");
}

static void signed_url(void **state) {
  (void)state;
  char *u = notify_signed_url(NOTIFY_DINGTALK, "https://oapi.dingtalk.com/robot/send?access_token=abc",
                              "SEC0123456789abcdef", INT64_C(1700000000000));
  assert_string_equal(u, "https://oapi.dingtalk.com/robot/send?access_token=abc&timestamp=1700000000000"
                         "&sign=TSZbRFUuvaSQaRKUpF970OPCb2%2FLcQAP3wOvwZIzBZk%3D");
  free(u);
  u = notify_signed_url(NOTIFY_DINGTALK, "http://127.0.0.1:9/hook", "SEC0123456789abcdef", INT64_C(1700000000000));
  assert_string_equal(u, "http://127.0.0.1:9/hook?timestamp=1700000000000&sign=TSZbRFUuvaSQaRKUpF970OPCb2%2FLcQAP3wOvwZIzBZk%3D");
  free(u);
  /* No secret, or WeCom: the URL as configured. */
  u = notify_signed_url(NOTIFY_DINGTALK, "https://x/y?access_token=abc", NULL, 1);
  assert_string_equal(u, "https://x/y?access_token=abc");
  free(u);
  u = notify_signed_url(NOTIFY_WECOM, "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k", "SECx", 1);
  assert_string_equal(u, "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k");
  free(u);
}

static void payloads(void **state) {
  (void)state;
  char *s = notify_payload(NOTIFY_WECOM, "标题", "### 会战\n内容");
  json_t *j = json_loads(s, 0, NULL);
  free(s);
  assert_non_null(j);
  assert_string_equal(json_string_value(json_object_get(j, "msgtype")), "markdown");
  json_t *m = json_object_get(j, "markdown");
  assert_int_equal(json_object_size(m), 1);
  assert_string_equal(json_string_value(json_object_get(m, "content")), "### 会战\n内容");
  json_decref(j);
  s = notify_payload(NOTIFY_DINGTALK, "标题", "### 会战\n内容");
  j = json_loads(s, 0, NULL);
  free(s);
  m = json_object_get(j, "markdown");
  assert_string_equal(json_string_value(json_object_get(j, "msgtype")), "markdown");
  assert_int_equal(json_object_size(m), 2);
  assert_string_equal(json_string_value(json_object_get(m, "title")), "标题");
  assert_string_equal(json_string_value(json_object_get(m, "text")), "### 会战\n内容");
  json_decref(j);
}

static void masking(void **state) {
  (void)state;
  char m[NOTIFY_MASK_LEN];
  notify_mask("SEC0123456789abcdefa1b2", m);
  assert_string_equal(m, "SEC…a1b2");
  notify_mask("short", m);
  assert_string_equal(m, "****");
  notify_mask(NULL, m);
  assert_string_equal(m, "****");
  char *u = notify_mask_url("https://oapi.dingtalk.com/robot/send?access_token=0123456789abcdef9f8e");
  assert_string_equal(u, "https://oapi.dingtalk.com/robot/send?access_token=012…9f8e");
  free(u);
  u = notify_mask_url("https://h/p?a=1&key=abcdefghijklmnop&x");
  assert_string_equal(u, "https://h/p?a=****&key=abc…mnop&x");
  free(u);
  u = notify_mask_url("https://h/p");
  assert_string_equal(u, "https://h/p");
  free(u);
}

static void urls(void **state) {
  (void)state;
  assert_true(notify_url_ok("https://oapi.dingtalk.com/robot/send?access_token=a"));
  assert_true(notify_url_ok("http://127.0.0.1:8080/x"));
  assert_true(notify_url_ok("HTTPS://h"));
  assert_false(notify_url_ok("ftp://h/x"));
  assert_false(notify_url_ok("file:///etc/passwd"));
  assert_false(notify_url_ok("gopher://h"));
  assert_false(notify_url_ok("https://"));
  assert_false(notify_url_ok("https:///x"));
  assert_false(notify_url_ok("https://h/a b"));
  assert_false(notify_url_ok("https://h/\n"));
  assert_false(notify_url_ok(""));
  assert_false(notify_url_ok(NULL));
}

static void answers(void **state) {
  (void)state;
  NotifyResult r = {.http_status = 200};
  const char *ok = "{\"errcode\":0,\"errmsg\":\"ok\"}";
  notify_parse_answer(ok, strlen(ok), &r);
  assert_true(r.ok);
  assert_int_equal(r.errcode, 0);
  assert_string_equal(r.errmsg, "ok");
  /* HTTP 200 with a robot error is a failure. */
  const char *bad = "{\"errcode\":310000,\"errmsg\":\"sign not match\"}";
  r = (NotifyResult){.http_status = 200};
  notify_parse_answer(bad, strlen(bad), &r);
  assert_false(r.ok);
  assert_int_equal(r.errcode, 310000);
  assert_string_equal(r.errmsg, "sign not match");
  r = (NotifyResult){.http_status = 200};
  notify_parse_answer("<html>", 6, &r);
  assert_false(r.ok);
  assert_int_equal(r.errcode, -1);
  r = (NotifyResult){.http_status = 500};
  notify_parse_answer(ok, strlen(ok), &r);
  assert_false(r.ok);
}

static void backoff(void **state) {
  (void)state;
  unsetenv("HUIZHAN_WEBHOOK_BACKOFF_MS");
  assert_int_equal(webhook_backoff_ms(1), 30000);
  assert_int_equal(webhook_backoff_ms(2), 120000);
  assert_int_equal(webhook_backoff_ms(3), 600000);
  assert_int_equal(webhook_backoff_ms(4), 3600000);
  setenv("HUIZHAN_WEBHOOK_BACKOFF_MS", "100", 1);
  assert_int_equal(webhook_backoff_ms(1), 100);
  assert_int_equal(webhook_backoff_ms(2), 400);
  setenv("HUIZHAN_WEBHOOK_BACKOFF_MS", "junk", 1);
  assert_int_equal(webhook_backoff_ms(1), 30000);
  unsetenv("HUIZHAN_WEBHOOK_BACKOFF_MS");
}

int main(void) {
  if (sodium_init() < 0) return 1;
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(sign_known_vector), cmocka_unit_test(signed_url), cmocka_unit_test(payloads),
      cmocka_unit_test(masking),           cmocka_unit_test(urls),       cmocka_unit_test(answers),
      cmocka_unit_test(backoff),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}

/* http/cache.c: answers kept per (key, revision), shared by reference, with a gzip form
 * made on first need, a byte budget, and keys that do not evict each other by chance. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>
#include "http/cache.h"

static char *dup_text(const char *s) {
  char *p = malloc(strlen(s) + 1);
  memcpy(p, s, strlen(s) + 1);
  return p;
}

static void put(const char *key, int64_t rev, const char *text) {
  cache_release(cache_put_take(key, rev, dup_text(text), strlen(text)));
}

/* The plain bytes kept for (key, rev), or NULL. */
static int holds(const char *key, int64_t rev, const char *want) {
  CacheBody *b = cache_get(key, rev);
  if (!b) return 0;
  size_t len;
  int gz;
  const char *bytes = cache_bytes(b, 0, &len, &gz);
  int same = !gz && len == strlen(want) && !memcmp(bytes, want, len);
  cache_release(b);
  return same;
}

static void test_revision_and_key(void **state) {
  (void)state;
  put("/a|1", 10, "{\"x\":1}");
  assert_true(holds("/a|1", 10, "{\"x\":1}"));
  assert_null(cache_get("/a|1", 11)); /* a write since: never served */
  assert_null(cache_get("/a|2", 10));
  put("/a|1", 11, "{\"x\":2}"); /* the new answer replaces the old one */
  assert_true(holds("/a|1", 11, "{\"x\":2}"));
  assert_null(cache_get("/a|1", 10));
}

static void test_many_keys_all_kept(void **state) {
  (void)state;
  /* 600 people's lists at one revision: every one is still there afterwards. */
  char key[64], text[64];
  for (int i = 0; i < 600; i++) {
    snprintf(key, sizeof key, "/api/v1/projects|%d|2026-10-15|sort=-planned_investment&", i);
    snprintf(text, sizeof text, "{\"person\":%d}", i);
    put(key, 20, text);
  }
  int kept = 0;
  for (int i = 0; i < 600; i++) {
    snprintf(key, sizeof key, "/api/v1/projects|%d|2026-10-15|sort=-planned_investment&", i);
    snprintf(text, sizeof text, "{\"person\":%d}", i);
    kept += holds(key, 20, text);
  }
  assert_int_equal(kept, 600);
}

static void test_shared_body_outlives_replacement(void **state) {
  (void)state;
  put("/b", 1, "first");
  CacheBody *held = cache_get("/b", 1);
  assert_non_null(held);
  put("/b", 2, "second"); /* the slot lets go; the reader still has its bytes */
  size_t len;
  int gz;
  const char *bytes = cache_bytes(held, 0, &len, &gz);
  assert_int_equal(len, 5);
  assert_memory_equal(bytes, "first", 5);
  cache_release(held);
}

static void test_gzip_on_first_need(void **state) {
  (void)state;
  char big[4096];
  for (size_t i = 0; i < sizeof big - 1; i++) big[i] = "招商引资"[i % 12];
  big[sizeof big - 1] = 0;
  put("/big", 3, big);
  put("/small", 3, "{}");
  CacheBody *b = cache_get("/big", 3);
  size_t len, plain_len;
  int gz;
  const char *z = cache_bytes(b, 1, &len, &gz);
  assert_true(gz);
  assert_true(len < strlen(big) / 4);
  /* it is gzip of the very bytes */
  unsigned char out[8192];
  z_stream s = {0};
  assert_int_equal(inflateInit2(&s, 15 + 16), Z_OK);
  s.next_in = (Bytef *)z;
  s.avail_in = (uInt)len;
  s.next_out = out;
  s.avail_out = sizeof out;
  assert_int_equal(inflate(&s, Z_FINISH), Z_STREAM_END);
  assert_int_equal(s.total_out, strlen(big));
  assert_memory_equal(out, big, strlen(big));
  inflateEnd(&s);
  const char *plain = cache_bytes(b, 0, &plain_len, &gz);
  assert_false(gz);
  assert_int_equal(plain_len, strlen(big));
  assert_memory_equal(plain, big, plain_len);
  cache_release(b);
  /* too small to be worth it: the plain bytes, also when gzip is asked for */
  b = cache_get("/small", 3);
  cache_bytes(b, 1, &len, &gz);
  assert_false(gz);
  assert_int_equal(len, 2);
  cache_release(b);
}

/* A write that leaves an answer's bytes as they were: the new revision gets the same body,
 * whose gzip form was made once; other bytes get a body of their own. */
static void test_same_bytes_keep_their_gzip(void **state) {
  (void)state;
  char big[4096];
  for (size_t i = 0; i < sizeof big - 1; i++) big[i] = "排名"[i % 6];
  big[sizeof big - 1] = 0;
  put("/rank", 7, big);
  CacheBody *old = cache_get("/rank", 7);
  size_t len, len2;
  int gz;
  const char *z = cache_bytes(old, 1, &len, &gz);
  assert_true(gz);
  CacheBody *now = cache_put_take("/rank", 8, dup_text(big), strlen(big));
  assert_ptr_equal(now, old);
  assert_ptr_equal(cache_bytes(now, 1, &len2, &gz), z); /* not compressed again */
  assert_int_equal(len2, len);
  assert_true(holds("/rank", 8, big));
  assert_false(holds("/rank", 7, big)); /* the slot moved on to the new revision */
  cache_release(now);
  big[100] = 'x'; /* one byte differs: a body of its own */
  now = cache_put_take("/rank", 9, dup_text(big), strlen(big));
  assert_ptr_not_equal(now, old);
  assert_true(holds("/rank", 9, big));
  cache_release(now);
  cache_release(old);
}

static void test_budget_drops_older_revisions(void **state) {
  (void)state;
  /* 40 answers of 1 MiB at revision 30, then 20 more at revision 31: past the 48 MiB
   * budget the revision-30 ones go (they can never be served again) and all of 31 stay. */
  size_t mib = 1u << 20;
  char key[32];
  for (int rev = 30; rev <= 31; rev++)
    for (int i = 0; i < (rev == 30 ? 40 : 20); i++) {
      char *data = malloc(mib);
      memset(data, 'a' + i % 26, mib);
      snprintf(key, sizeof key, "/mib/%d/%d", rev, i);
      cache_release(cache_put_take(key, rev, data, mib));
    }
  int old = 0, now = 0;
  for (int i = 0; i < 40; i++) {
    snprintf(key, sizeof key, "/mib/30/%d", i);
    CacheBody *b = cache_get(key, 30);
    old += b != NULL;
    cache_release(b);
  }
  for (int i = 0; i < 20; i++) {
    snprintf(key, sizeof key, "/mib/31/%d", i);
    CacheBody *b = cache_get(key, 31);
    now += b != NULL;
    cache_release(b);
  }
  assert_int_equal(now, 20);
  assert_true(old < 40);
}

static void test_etag(void **state) {
  (void)state;
  char a[64], b[64], c[64];
  cache_etag("/x", 7, a);
  cache_etag("/x", 8, b);
  cache_etag("/y", 7, c);
  assert_string_not_equal(a, b);
  assert_string_not_equal(a, c);
  assert_int_equal(a[0], '"');
  assert_int_equal(a[strlen(a) - 1], '"');
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_revision_and_key),      cmocka_unit_test(test_many_keys_all_kept),
    cmocka_unit_test(test_shared_body_outlives_replacement), cmocka_unit_test(test_gzip_on_first_need),
    cmocka_unit_test(test_same_bytes_keep_their_gzip),
    cmocka_unit_test(test_budget_drops_older_revisions),     cmocka_unit_test(test_etag),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}

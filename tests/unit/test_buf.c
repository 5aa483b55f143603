/* util/buf.c: the growable buffer with a hard cap. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>
#include "util/buf.h"
#include "util/err.h"

static void test_append_and_grow(void **state) {
  (void)state;
  Buf b;
  buf_init(&b, 0);
  assert_null(b.data);
  assert_int_equal(buf_puts(&b, "招商"), HZ_OK);
  assert_int_equal(b.len, 6);
  assert_string_equal(b.data, "招商");
  /* grow well past the first allocation, one byte at a time */
  for (int i = 0; i < 10000; i++) assert_int_equal(buf_append(&b, "x", 1), HZ_OK);
  assert_int_equal(b.len, 10006);
  assert_int_equal(b.data[b.len], 0);
  assert_true(b.cap > b.len);
  assert_int_equal(buf_append(&b, "", 0), HZ_OK);
  assert_int_equal(b.len, 10006);
  buf_free(&b);
  assert_null(b.data);
  assert_int_equal(b.len, 0);
}

static void test_printf(void **state) {
  (void)state;
  Buf b;
  buf_init(&b, 0);
  assert_int_equal(buf_printf(&b, "%d|%s|", 42, "会战"), HZ_OK);
  assert_int_equal(buf_printf(&b, "%05d", 7), HZ_OK);
  assert_string_equal(b.data, "42|会战|00007");
  assert_int_equal(b.len, strlen("42|会战|00007"));
  /* longer than the first allocation in one go */
  char big[1000];
  memset(big, 'y', sizeof big - 1);
  big[sizeof big - 1] = 0;
  assert_int_equal(buf_printf(&b, "[%s]", big), HZ_OK);
  assert_int_equal(b.len, strlen("42|会战|00007") + 1001);
  assert_int_equal(b.data[b.len - 1], ']');
  buf_free(&b);
}

static void test_cap(void **state) {
  (void)state;
  Buf b;
  buf_init(&b, 10);
  assert_int_equal(buf_puts(&b, "0123456789"), HZ_OK); /* exactly the cap */
  assert_int_equal(buf_puts(&b, "a"), HZ_ETOOBIG);
  assert_int_equal(buf_printf(&b, "%d", 1), HZ_ETOOBIG);
  /* a refused append leaves the buffer as it was */
  assert_int_equal(b.len, 10);
  assert_string_equal(b.data, "0123456789");
  buf_reset(&b);
  assert_int_equal(b.len, 0);
  assert_string_equal(b.data, "");
  assert_int_equal(buf_puts(&b, "0123456789a"), HZ_ETOOBIG);
  assert_int_equal(b.len, 0);
  buf_free(&b);
}

static void test_take(void **state) {
  (void)state;
  Buf b;
  buf_init(&b, 0);
  buf_puts(&b, "hello");
  char *p = buf_take(&b);
  assert_string_equal(p, "hello");
  assert_null(b.data);
  assert_int_equal(b.len, 0);
  free(p);
  /* taking an empty buffer gives an empty string the caller frees */
  p = buf_take(&b);
  assert_non_null(p);
  assert_string_equal(p, "");
  free(p);
  buf_reset(&b); /* reset of an unallocated buffer is harmless */
  buf_free(&b);
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_append_and_grow), cmocka_unit_test(test_printf), cmocka_unit_test(test_cap),
    cmocka_unit_test(test_take),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}

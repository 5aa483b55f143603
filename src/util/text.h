/* Small text helpers. */
#ifndef HZ_TEXT_H
#define HZ_TEXT_H
#include <stddef.h>
#include <stdint.h>

/* 1 when s[0..n) is well-formed UTF-8 (no overlongs, no surrogates, <= U+10FFFF). */
int utf8_valid(const char *s, size_t n);
/* Copies s[0..n) into out with every ill-formed sequence replaced by U+FFFD. */
struct Buf;
void utf8_sanitize(const char *s, size_t n, struct Buf *out);
/* Number of code points in a valid UTF-8 string. */
size_t utf8_length(const char *s);
/* Cuts a trailing incomplete UTF-8 sequence, as left when snprintf truncates valid text
 * into a fixed buffer, so the rest stays well-formed. Returns s. */
char *utf8_trim_partial(char *s);
/* Strict decimal int64 (optional leading '-'); HZ_OK or HZ_EINVAL. Replaces atoi. */
int parse_int64(const char *s, int64_t *out);
/* Case-sensitive equality that tolerates NULL. */
int str_eq(const char *a, const char *b);

#endif

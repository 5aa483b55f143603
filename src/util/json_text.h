/* Compact JSON text of a jansson value, for answers sent over HTTP.
 *
 * jansson's json_dumps guards every object and array against cycles with a hash table
 * of printed addresses; on a page of records that bookkeeping costs more than the
 * text itself. Answers are trees built by this program, never cyclic, so this writer
 * walks them directly. Its output is what json_dumps gives with JSON_COMPACT |
 * JSON_REAL_PRECISION(12) (keys in insertion order). */
#ifndef HZ_JSON_TEXT_H
#define HZ_JSON_TEXT_H
#include <jansson.h>
#include <stddef.h>

/* A malloc'd, NUL-terminated text (caller frees) and its length in *len, or NULL when
 * out of memory. */
char *json_text(const json_t *j, size_t *len);

/* The same as json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS) gives, byte for byte (keys in
 * strcmp order at every level, reals to 17 digits): the audit entries' text, which is
 * hashed. A few times cheaper than jansson's (no cycle guard, keys sorted on the stack).
 * Caller frees; NULL when out of memory. */
char *json_text_sorted(const json_t *j, size_t *len);

struct Buf;
/* The same text appended to b: of a value (json_text_append), or of the string s[0..n)
 * as a JSON string (json_text_string: quotes, backslash and control characters escaped,
 * UTF-8 kept as it is). The one escaper of every answer, so text written straight from
 * the database (store/record_store.c) reads as what jansson would have written. HZ_OK or
 * HZ_ENOMEM. */
int json_text_append(struct Buf *b, const json_t *j);
int json_text_string(struct Buf *b, const char *s, size_t n);
/* A database text as the answer gives it: its escaped string when it is well-formed
 * UTF-8 (up to its first NUL), else null — as json_string() would refuse it. */
int json_text_db_string(struct Buf *b, const char *s);

#endif

/* Compact JSON text of a jansson value, for answers sent over HTTP.
 *
 * jansson's json_dumps guards every object and array against cycles with a hash table
 * of printed addresses; on a page of records that bookkeeping costs more than the
 * text itself. Answers are trees built by this program, never cyclic, so this writer
 * walks them directly. Its output is what json_dumps gives with JSON_COMPACT |
 * JSON_REAL_PRECISION(12) (keys in insertion order). Audit entries, whose bytes are
 * hashed, keep using json_dumps. */
#ifndef HZ_JSON_TEXT_H
#define HZ_JSON_TEXT_H
#include <jansson.h>
#include <stddef.h>

/* A malloc'd, NUL-terminated text (caller frees) and its length in *len, or NULL when
 * out of memory. */
char *json_text(const json_t *j, size_t *len);

#endif

/* The query string of a request as JSON: a pure function of the bytes, with no connection
 * behind it, so the API's one reader of query strings can be unit-tested and fuzzed. */
#ifndef HZ_QUERY_H
#define HZ_QUERY_H
#include <jansson.h>
#include <stddef.h>

enum { QUERY_BAD_UTF8 = 1, QUERY_BAD_NUL, QUERY_BAD_ESCAPE };

/* Reads raw (the text after '?', as sent) strictly into query (an object the caller owns):
 * a parameter given once is a string, given several times an array of strings. A broken
 * escape, %00 or text that is not UTF-8 in a name or a value makes the answer QUERY_BAD_*
 * (the first one found), with the parameter's name (valid UTF-8, cut to fit) in
 * bad_name[0..n); the parameters before and after it are still read. 0 when all is well. */
int query_parse(const char *raw, json_t *query, char *bad_name, size_t n);

#endif

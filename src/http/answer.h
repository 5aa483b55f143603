/* Answers of read-only routes kept per (key, data revision) in http/cache.c: rendered
 * once, then shared, with an ETag (304 when the client's copy is current) and a gzip
 * form for clients that take it. The key must hold everything the answer depends on
 * besides the data: path, parameters, who asks (or the unit they see), the day. */
#ifndef HZ_ANSWER_H
#define HZ_ANSWER_H
#include "http/http.h"

/* Builds the answer: a new JSON value in *out, or an error in e. */
typedef int (*AnswerRender)(Request *rq, void *arg, json_t **out, HzErr *e);

/* Answers rq from the cache, or by calling render(rq, arg) and caching what it gives.
 * trim: hand freed memory back to the system after rendering (large answers). */
int answer_cached(Request *rq, Response *rs, const char *key, AnswerRender render, void *arg, int trim, HzErr *e);
/* The same for an answer rendered straight as JSON text: *text malloc'd (taken over). */
typedef int (*AnswerRenderText)(Request *rq, void *arg, char **text, size_t *len, HzErr *e);
int answer_cached_text(Request *rq, Response *rs, const char *key, AnswerRenderText render, void *arg, HzErr *e);

#endif

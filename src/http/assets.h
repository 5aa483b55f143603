/* The web UI compiled into the binary (util/embed.h, hz_embedded_web), served from memory. */
#ifndef HZ_ASSETS_H
#define HZ_ASSETS_H
#include "http/http.h"

/* Answers a GET for a non-API path: a file under /assets/ (gzip when the client takes it,
 * cached for a year: the names are hashed), a top-level file of the build, or else
 * index.html (no-cache) so every route of the app loads from a deep link. An unknown
 * /assets/ file is a 404. The bodies are static: nothing to free. */
int assets_serve(Request *rq, Response *rs, HzErr *e);

#endif

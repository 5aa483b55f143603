/* Files compiled into the binary by cmake/embed.cmake. */
#ifndef HZ_EMBED_H
#define HZ_EMBED_H
#include <stddef.h>

typedef struct {
  const char *name;           /* file name (web: path below the build's web/), NULL ends a table */
  const unsigned char *data;  /* NUL-terminated for convenience */
  size_t size;
} HzEmbedded;

extern const HzEmbedded hz_embedded_migrations[];
/* The PostgreSQL migrations (src/db/migrations/pg/): a baseline, then one per later version. */
extern const HzEmbedded hz_embedded_pg_migrations[];
/* The built web UI: index.html, favicon.svg, assets/<hashed> and assets/<hashed>.gz. */
extern const HzEmbedded hz_embedded_web[];

#endif

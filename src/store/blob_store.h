/* File contents stored once by SHA-256, inside the database so that a backup, a
 * transaction and a restore always carry files and records together. */
#ifndef HZ_BLOB_STORE_H
#define HZ_BLOB_STORE_H
#include <stddef.h>
#include "db/db.h"

int blob_store_put(Db *db, const char *sha256, const void *data, size_t n, HzErr *e);
/* *data is malloc'd; the caller frees it. */
int blob_store_get(Db *db, const char *sha256, void **data, size_t *n, HzErr *e);

#endif

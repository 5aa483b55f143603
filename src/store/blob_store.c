#include "store/blob_store.h"
#include <stdlib.h>
#include <string.h>

int blob_store_put(Db *db, const char *sha256, const void *data, size_t n, HzErr *e) {
  DbStmt *st = db_prepare(db, "INSERT INTO blobs (sha256, size, data) VALUES (?, ?, ?) ON CONFLICT (sha256) DO NOTHING", e);
  if (!st) return e->rc;
  db_bind_text(st, 1, sha256);
  db_bind_int(st, 2, (int64_t)n);
  db_bind_blob(st, 3, data, n);
  return db_run(db, st, e);
}

int blob_store_get(Db *db, const char *sha256, void **data, size_t *n, HzErr *e) {
  *data = NULL;
  *n = 0;
  DbStmt *st = db_prepare(db, "SELECT data FROM blobs WHERE sha256 = ?", e);
  if (!st) return e->rc;
  db_bind_text(st, 1, sha256);
  int r = db_step(db, st, e);
  if (r < 0) return -r;
  if (r == DB_DONE) return hz_fail(e, HZ_ENOTFOUND, NULL, "附件内容不存在");
  const void *p = db_col_blob(st, 0, n);
  *data = malloc(*n ? *n : 1);
  if (*data && *n) memcpy(*data, p, *n);
  db_reset(st);
  return *data ? HZ_OK : hz_fail(e, HZ_ENOMEM, NULL, "内存不足");
}

/* Key/value rows of the meta table (see meta_store.h). */
#include "store/meta_store.h"
#include <stdio.h>

int meta_store_put(Db *db, const char *key, const char *value, HzErr *e) {
  DbStmt *st = db_prepare(db, "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value", e);
  if (!st) return e->rc;
  db_bind_text(st, 1, key);
  db_bind_text(st, 2, value);
  return db_run(db, st, e);
}

int meta_store_get(Db *db, const char *key, char *out, size_t n, HzErr *e) {
  int rc = HZ_OK;
  if (n) out[0] = 0;
  DbStmt *st = db_prepare(db, "SELECT value FROM meta WHERE key = ?", e);
  if (!st) return e->rc;
  db_bind_text(st, 1, key);
  int r = db_step(db, st, e);
  if (r < 0) {
    rc = -r;
    goto done;
  }
  if (r == DB_ROW && n) snprintf(out, n, "%s", db_col_text(st, 0) ? db_col_text(st, 0) : "");
done:
  db_reset(st);
  return rc;
}

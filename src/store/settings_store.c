#include "store/settings_store.h"
#include "util/timeutil.h"
#include <stdlib.h>

int settings_store_get(Db *db, int64_t campaign_id, json_t **settings, int64_t *version, HzErr *e) {
  *settings = NULL;
  *version = 0;
  DbStmt *st = db_prepare(db, "SELECT settings, version FROM campaign_settings WHERE campaign_id = ?", e);
  if (!st) return e->rc;
  db_bind_int(st, 1, campaign_id);
  int r = db_step(db, st, e);
  if (r < 0) return -r;
  if (r == DB_ROW) {
    *settings = json_loads(db_col_text(st, 0), 0, NULL);
    *version = db_col_int(st, 1);
  }
  db_reset(st);
  return HZ_OK;
}

int settings_store_put(Db *db, int64_t campaign_id, json_t *settings, int64_t version, HzErr *e) {
  char now[TIMESTAMP_LEN];
  time_now_iso(now);
  char *text = json_dumps(settings, JSON_COMPACT | JSON_SORT_KEYS);
  DbStmt *st = version == 0
                   ? db_prepare(db, "INSERT INTO campaign_settings (campaign_id, version, updated_at, settings)"
                                    " VALUES (?1, 1, ?2, ?3) ON CONFLICT (campaign_id) DO NOTHING", e)
                   : db_prepare(db, "UPDATE campaign_settings SET version = version + 1, updated_at = ?2, settings = ?3"
                                    " WHERE campaign_id = ?1 AND version = ?4", e);
  int rc = HZ_OK;
  if (!st) rc = e->rc;
  else {
    db_bind_int(st, 1, campaign_id);
    db_bind_text(st, 2, now);
    db_bind_text(st, 3, text);
    if (version) db_bind_int(st, 4, version);
    rc = db_run(db, st, e);
    if (!rc && db_changes(db) == 0) rc = hz_fail(e, HZ_ECONFLICT, "version", "考核设置已被他人修改，请刷新后重试");
  }
  free(text);
  return rc;
}

#include "domain/notice.h"
#include "store/notice_store.h"
#include "util/timeutil.h"
#include <string.h>

int notice_seen_get(Db *db, const Actor *a, int64_t *last, HzErr *e) {
  return notice_store_seen_get(db, a->id, last, e);
}

int notice_seen_set(Db *db, const Actor *a, json_t *body, json_t **out, HzErr *e) {
  *out = NULL;
  const char *key;
  json_t *v;
  json_object_foreach(body, key, v) {
    if (strcmp(key, "up_to")) return hz_fail(e, HZ_EINVAL, key, "未知字段 %s", key);
  }
  json_t *up = json_object_get(body, "up_to");
  if (!up) return hz_fail(e, HZ_EINVAL, "up_to", "必填");
  if (!json_is_integer(up) || json_integer_value(up) < 0)
    return hz_fail(e, HZ_EINVAL, "up_to", "须为提醒编号（非负整数）");
  int64_t max = 0, stored = 0;
  int rc = notice_store_max_id(db, &max, e);
  if (rc) return rc;
  if (json_integer_value(up) > max) return hz_fail(e, HZ_EINVAL, "up_to", "没有编号为 %lld 的提醒", (long long)json_integer_value(up));
  char now[TIMESTAMP_LEN];
  time_now_iso(now);
  rc = notice_store_seen_set(db, a->id, json_integer_value(up), now, &stored, e);
  if (!rc) *out = json_pack("{s:I}", "up_to", (json_int_t)stored);
  return rc;
}

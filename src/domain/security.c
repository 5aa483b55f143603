/* The security policy (security.h): validation, storage in the meta table, password rules. */
#include "domain/security.h"
#include "store/audit_store.h"
#include "store/auth_store.h"
#include "store/meta_store.h"
#include "util/crypto.h"
#include "util/text.h"
#include "util/timeutil.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define POLICY_KEY "security_policy"

/* Each number of the policy: its JSON key, place, and bounds. */
static const struct {
  const char *key;
  size_t off;
  int min, max;
  const char *what;
} numbers[] = {
  {"session_idle_minutes", offsetof(SecurityPolicy, session_idle_minutes), 1, 24 * 60, "会话空闲超时（分钟）"},
  {"session_max_hours", offsetof(SecurityPolicy, session_max_hours), 1, 24 * 30, "会话最长有效期（小时）"},
  {"password_min_length", offsetof(SecurityPolicy, password_min_length), 8, 128, "密码最短长度"},
  {"password_min_classes", offsetof(SecurityPolicy, password_min_classes), 1, 4, "密码至少包含的字符类别数"},
  {"password_history", offsetof(SecurityPolicy, password_history), 0, 24, "不得重复使用的历史密码个数"},
  {"password_max_days", offsetof(SecurityPolicy, password_max_days), 0, 3650, "密码有效期（天，0 为不过期）"},
};
#define NNUMBERS (sizeof numbers / sizeof numbers[0])

static int *num(SecurityPolicy *p, size_t i) { return (int *)(void *)((char *)p + numbers[i].off); }
static int num_get(const SecurityPolicy *p, size_t i) { return *(const int *)(const void *)((const char *)p + numbers[i].off); }

void security_policy_default(SecurityPolicy *p) {
  *p = (SecurityPolicy){.session_idle_minutes = 30, .session_max_hours = 12, .password_min_length = 8,
                        .password_min_classes = 2, .password_history = 5, .password_max_days = 90};
}

json_t *security_policy_json(const SecurityPolicy *p) {
  json_t *j = json_object();
  for (size_t i = 0; i < NNUMBERS; i++) json_object_set_new(j, numbers[i].key, json_integer(num_get(p, i)));
  json_object_set_new(j, "separation_of_duties", json_boolean(p->separation_of_duties));
  json_object_set_new(j, "version", json_integer(p->version));
  return j;
}

int security_policy_apply(SecurityPolicy *p, json_t *patch, HzErr *e) {
  const char *key;
  json_t *v;
  int rc = HZ_OK;
  json_object_foreach(patch, key, v) {
    if (!strcmp(key, "version")) continue;
    if (!strcmp(key, "separation_of_duties")) {
      if (!json_is_boolean(v)) rc = hz_fail_more(e, HZ_EINVAL, key, "应为 true 或 false");
      else p->separation_of_duties = json_is_true(v);
      continue;
    }
    size_t i = 0;
    while (i < NNUMBERS && strcmp(numbers[i].key, key)) i++;
    if (i == NNUMBERS) {
      rc = hz_fail_more(e, HZ_EINVAL, key, "未知的安全策略项");
      continue;
    }
    if (!json_is_integer(v) || json_integer_value(v) < numbers[i].min || json_integer_value(v) > numbers[i].max) {
      char msg[160];
      snprintf(msg, sizeof msg, "%s应为 %d 到 %d 之间的整数", numbers[i].what, numbers[i].min, numbers[i].max);
      rc = hz_fail_more(e, HZ_EINVAL, key, "%s", msg);
      continue;
    }
    *num(p, i) = (int)json_integer_value(v);
  }
  if (rc) snprintf(e->message, sizeof e->message, "安全策略有误，请检查标出的项");
  return rc;
}

int security_policy_load(Db *db, SecurityPolicy *p, HzErr *e) {
  char text[1024];
  security_policy_default(p);
  int rc = meta_store_get(db, POLICY_KEY, text, sizeof text, e);
  if (!rc) security_policy_parse(text, p);
  return rc;
}

void security_policy_parse(const char *text, SecurityPolicy *p) {
  security_policy_default(p);
  if (!text || !text[0]) return;
  json_t *j = json_loads(text, 0, NULL);
  HzErr ignore = {0};
  /* Written only by security_policy_update, so it is valid; a key this version does not
   * know (a newer binary's) is left alone rather than failing every request. */
  if (j) {
    json_t *known = json_object();
    const char *key;
    json_t *v;
    json_object_foreach(j, key, v) {
      for (size_t i = 0; i < NNUMBERS; i++)
        if (!strcmp(numbers[i].key, key)) json_object_set(known, key, v);
      if (!strcmp(key, "separation_of_duties")) json_object_set(known, key, v);
    }
    security_policy_apply(p, known, &ignore);
    p->version = json_integer_value(json_object_get(j, "version"));
    json_decref(known);
  }
  hz_err_clear(&ignore);
  json_decref(j);
}

int security_policy_update(Db *db, const Actor *a, json_t *body, json_t **out, HzErr *e) {
  SecurityPolicy p;
  json_t *before = NULL, *after = NULL;
  *out = NULL;
  json_t *v = json_object_get(body, "version");
  if (!json_is_integer(v) || json_integer_value(v) < 0)
    return hz_fail(e, HZ_EINVAL, "version", "须带读取到的版本（version，非负整数）");
  int rc = db_begin(db, e);
  if (rc) return rc;
  if ((rc = security_policy_load(db, &p, e))) goto done;
  if (json_integer_value(v) != p.version) {
    rc = hz_fail(e, HZ_ECONFLICT, "version", "安全策略已被他人修改（当前版本 %lld），请刷新后重试", (long long)p.version);
    goto done;
  }
  before = security_policy_json(&p);
  if ((rc = security_policy_apply(&p, body, e))) goto done;
  if (p.separation_of_duties) {
    /* Separating duties with nobody to take them would leave accounts and logs unmanaged. */
    int64_t sec = 0, aud = 0;
    if ((rc = auth_store_count_role(db, "security_admin", &sec, e)) || (rc = auth_store_count_role(db, "auditor", &aud, e)))
      goto done;
    if (!sec || !aud) {
      rc = hz_fail(e, HZ_ERULE, "separation_of_duties", "启用三员分立前须先建立启用状态的安全管理员（security_admin）和安全审计员（auditor）账号");
      goto done;
    }
  }
  p.version++;
  after = security_policy_json(&p);
  char *text = json_dumps(after, JSON_COMPACT);
  rc = text ? meta_store_put(db, POLICY_KEY, text, e) : hz_fail(e, HZ_ENOMEM, NULL, "内存不足");
  free(text);
  if (!rc) rc = audit_store_append(db, a, "update", "security_policy", 0, before, after, e);
  if (!rc) rc = db_commit(db, e);
done:
  if (rc) db_rollback(db);
  json_decref(before);
  if (rc) json_decref(after);
  else *out = after;
  return rc;
}

/* Lower case, upper case, digits, anything else (a Chinese character counts as other). */
static int char_classes(const char *s) {
  int lower = 0, upper = 0, digit = 0, other = 0;
  for (const unsigned char *c = (const unsigned char *)s; *c; c++) {
    if (*c >= 'a' && *c <= 'z') lower = 1;
    else if (*c >= 'A' && *c <= 'Z') upper = 1;
    else if (*c >= '0' && *c <= '9') digit = 1;
    else other = 1;
  }
  return lower + upper + digit + other;
}

int security_password_check(Db *db, const SecurityPolicy *p, int64_t user_id, const char *password,
                            const char *field, HzErr *e) {
  if (!password) return hz_fail(e, HZ_EINVAL, field, "密码应为文本");
  if (utf8_length(password) < (size_t)p->password_min_length)
    return hz_fail(e, HZ_EINVAL, field, "密码至少 %d 个字符", p->password_min_length);
  if (char_classes(password) < p->password_min_classes)
    return hz_fail(e, HZ_EINVAL, field, "密码须至少包含小写字母、大写字母、数字、其他字符中的 %d 类",
                   p->password_min_classes);
  if (!user_id) return HZ_OK;
  json_t *hashes = NULL;
  int rc = auth_store_password_recent(db, user_id, p->password_history > 0 ? p->password_history : 1, &hashes, e);
  size_t i;
  json_t *h;
  json_array_foreach(hashes, i, h) {
    if (rc) break;
    if (!password_verify(json_string_value(h), password)) continue;
    if (p->password_history) rc = hz_fail(e, HZ_EINVAL, field, "不能使用最近 %d 次用过的密码（含当前密码）", p->password_history);
    else rc = hz_fail(e, HZ_EINVAL, field, "不能使用当前密码");
  }
  json_decref(hashes);
  return rc;
}

int security_password_stored(Db *db, const SecurityPolicy *p, int64_t user_id, const char *hash, HzErr *e) {
  return auth_store_password_recorded(db, user_id, hash, time_real_unix(), p->password_history, e);
}

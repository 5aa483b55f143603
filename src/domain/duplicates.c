#include "domain/duplicates.h"
#include "domain/figures.h"
#include "domain/record.h"
#include "store/progress_store.h"
#include "store/record_store.h"
#include <stdlib.h>
#include <string.h>

/* Decodes UTF-8 into code points, keeping letters and CJK only and dropping 项目. */
static size_t normalise(const char *s, uint32_t *out, size_t max) {
  size_t n = 0;
  const unsigned char *p = (const unsigned char *)s;
  while (*p && n < max) {
    uint32_t cp = *p;
    int len = 1;
    if (cp >= 0xF0) { cp &= 0x07; len = 4; }
    else if (cp >= 0xE0) { cp &= 0x0F; len = 3; }
    else if (cp >= 0xC0) { cp &= 0x1F; len = 2; }
    int k = 1;
    for (; k < len && p[k]; k++) cp = (cp << 6) | (p[k] & 0x3F);
    p += k; /* never past the terminating NUL, even on a cut-off sequence */
    int keep = (cp >= '0' && cp <= '9') || (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || cp >= 0x3400;
    if (cp >= 0xFF00 && cp <= 0xFF0F) keep = 0; /* full-width punctuation */
    if (cp >= 0x3000 && cp < 0x3040) keep = 0;  /* CJK punctuation */
    if (keep) out[n++] = cp;
  }
  for (size_t i = 0; i + 1 < n; i++)
    if (out[i] == 0x9879 && out[i + 1] == 0x76EE) { /* 项目 */
      memmove(&out[i], &out[i + 2], (n - i - 2) * sizeof *out);
      n -= 2;
      i--;
    }
  return n;
}

double duplicates_name_similarity(const char *a, const char *b) {
  uint32_t x[256], y[256];
  size_t nx = normalise(a, x, 256), ny = normalise(b, y, 256);
  if (nx < 2 || ny < 2) return nx == ny && nx && x[0] == y[0] ? 1.0 : 0.0;
  int used[256] = {0};
  size_t common = 0;
  for (size_t i = 0; i + 1 < nx; i++)
    for (size_t j = 0; j + 1 < ny; j++)
      if (!used[j] && x[i] == y[j] && x[i + 1] == y[j + 1]) {
        used[j] = 1;
        common++;
        break;
      }
  return 2.0 * (double)common / (double)((nx - 1) + (ny - 1));
}

int duplicates_candidates(Db *db, int64_t campaign_id, json_t **out, HzErr *e) {
  *out = NULL;
  json_t *pairs = NULL, *items = json_array();
  int rc = progress_store_same_investor(db, campaign_id, &pairs, e);
  size_t i;
  json_t *p;
  json_array_foreach(pairs, i, p) {
    double s = duplicates_name_similarity(json_string_value(json_object_get(json_object_get(p, "a"), "name")),
                                          json_string_value(json_object_get(json_object_get(p, "b"), "name")));
    if (s < DUPLICATE_SIMILARITY) continue;
    json_object_set_new(p, "similarity", json_real((double)(int)(s * 100 + 0.5) / 100.0));
    json_array_append(items, p);
  }
  json_decref(pairs);
  if (rc) json_decref(items);
  else *out = json_pack("{s:o}", "items", items);
  return rc;
}

static int settle_tx(Db *db, const Actor *a, json_t *project, json_t *other, int duplicate, json_t **out, HzErr *e) {
  const Resource *r = resource_find("projects");
  int64_t id = json_integer_value(json_object_get(project, "id")), other_id = json_integer_value(json_object_get(other, "id"));
  int rc;
  if (duplicate) {
    json_t *change = json_pack("{s:I}", "duplicate_of", (json_int_t)other_id);
    rc = record_store_update(db, r, id, json_integer_value(json_object_get(project, "version")), change, e);
    json_decref(change);
    if (!rc) rc = figures_refresh_project(db, id, e);
  } else {
    rc = progress_store_dismiss(db, id, other_id, e);
  }
  if (!rc) rc = record_store_get(db, r, id, 0, out, e);
  if (!rc) rc = record_audit(db, a, duplicate ? "settle_duplicate" : "dismiss_duplicate", r, id, project, *out, e);
  return rc;
}

int duplicates_settle(Db *db, const Actor *a, int64_t project_id, json_t *body, json_t **out, HzErr *e) {
  *out = NULL;
  if (!(a->role & ROLES_CENTRAL)) return hz_fail(e, HZ_EFORBIDDEN, NULL, "只有会战办公室可以认定重复项目");
  json_t *dup = json_object_get(body, "duplicate_of"), *not_dup = json_object_get(body, "not_duplicate_of");
  const char *field = dup ? "duplicate_of" : "not_duplicate_of";
  json_t *ref = dup ? dup : not_dup;
  if (json_object_size(body) != 1 || !ref)
    return hz_fail(e, HZ_EINVAL, "duplicate_of", "请求体应为 {\"duplicate_of\": 编号} 或 {\"not_duplicate_of\": 编号}");
  if (!json_is_integer(ref) || json_integer_value(ref) <= 0) return hz_fail(e, HZ_EINVAL, field, "应为项目编号");
  if (json_integer_value(ref) == project_id) return hz_fail(e, HZ_EINVAL, field, "不能与自身比较");
  const Resource *r = resource_find("projects");
  json_t *project = NULL, *other = NULL;
  int rc = record_store_get(db, r, project_id, 0, &project, e);
  if (!rc && record_store_get(db, r, json_integer_value(ref), 0, &other, e)) {
    hz_err_clear(e);
    rc = hz_fail(e, HZ_EINVAL, field, "引用的项目不存在");
  }
  if (!rc && dup && !json_is_null(json_object_get(other, "duplicate_of")))
    rc = hz_fail(e, HZ_ERULE, field, "对方项目本身已被认定为重复项目");
  if (!rc && dup && !json_is_null(json_object_get(project, "duplicate_of")))
    rc = hz_fail(e, HZ_ERULE, "duplicate_of", "该项目已被认定为重复项目");
  if (!rc && (rc = db_begin(db, e)) == HZ_OK) {
    rc = settle_tx(db, a, project, other, dup != NULL, out, e);
    if (!rc) rc = db_commit(db, e);
    if (rc) db_rollback(db);
  }
  if (rc) {
    json_decref(*out);
    *out = NULL;
  }
  json_decref(project);
  json_decref(other);
  return rc;
}

#include "domain/list_query.h"
#include "util/text.h"
#include "util/timeutil.h"
#include <string.h>

static const ListParam *spec_param(const ListSpec *spec, const char *name) {
  for (const ListParam *lp = spec ? spec->params : NULL; lp && lp->name; lp++)
    if (!strcmp(lp->name, name)) return lp;
  return NULL;
}

static int check_typed(const ListParam *lp, const char *s, HzErr *e) {
  int64_t n;
  switch (lp->type) {
  case LQ_ID:
    if (parse_int64(s, &n) || n < 1) return hz_fail(e, HZ_EINVAL, lp->name, "参数 %s 应为正整数编号", lp->name);
    break;
  case LQ_INT:
    if (parse_int64(s, &n)) return hz_fail(e, HZ_EINVAL, lp->name, "参数 %s 应为整数", lp->name);
    break;
  case LQ_DATE:
    if (date_parse(s, NULL)) return hz_fail(e, HZ_EINVAL, lp->name, "参数 %s 应为 YYYY-MM-DD 格式的真实日期", lp->name);
    break;
  case LQ_BOOL:
    if (strcmp(s, "true") && strcmp(s, "false")) return hz_fail(e, HZ_EINVAL, lp->name, "参数 %s 应为 true 或 false", lp->name);
    break;
  default:
    break;
  }
  return HZ_OK;
}

static int read_int(json_t *query, const char *name, int64_t min, int64_t max, int64_t dflt, int64_t *out, HzErr *e) {
  const char *s = json_string_value(json_object_get(query, name));
  *out = dflt;
  if (s && (parse_int64(s, out) || *out < min || *out > max))
    return hz_fail(e, HZ_EINVAL, name, "参数 %s 应为 %lld 到 %lld 之间的整数", name, (long long)min, (long long)max);
  return HZ_OK;
}

int list_query_read(json_t *query, const ListSpec *spec, ListPage *p, HzErr *e) {
  memset(p, 0, sizeof *p);
  const char *key;
  json_t *v;
  json_object_foreach(query, key, v) {
    int repeat = 0, known = (!strcmp(key, "limit") || !strcmp(key, "offset")) && !(spec && spec->unpaged);
    const ListParam *lp = spec_param(spec, key);
    known |= (!strcmp(key, "sort") && spec && (spec->sorts || spec->sortable)) || lp;
    if (!known && spec && spec->accepts) known = spec->accepts(spec->ctx, key, &repeat);
    if (!known) return hz_fail(e, HZ_EINVAL, key, "不支持的查询参数“%s”", key);
    if (json_is_array(v) && !repeat) return hz_fail(e, HZ_EINVAL, key, "查询参数“%s”只能给一次", key);
    if (lp && json_is_string(v)) {
      int rc = check_typed(lp, json_string_value(v), e);
      if (rc) return rc;
    }
  }
  int rc = read_int(query, "limit", 1, LIST_LIMIT_MAX, LIST_LIMIT_DEFAULT, &p->limit, e);
  if (!rc) rc = read_int(query, "offset", 0, LIST_OFFSET_MAX, 0, &p->offset, e);
  if (rc) return rc;
  const char *s = json_string_value(json_object_get(query, "sort"));
  if (s) {
    p->desc = s[0] == '-';
    p->sort = s + p->desc;
    int ok = spec->sortable && spec->sortable(spec->ctx, p->sort);
    for (int i = 0; spec->sorts && spec->sorts[i]; i++) ok |= !strcmp(spec->sorts[i], p->sort);
    if (!ok) rc = hz_fail(e, HZ_EINVAL, "sort", "不能按“%s”排序", p->sort);
  }
  return rc;
}

const char *list_query_text(json_t *query, const char *name) { return json_string_value(json_object_get(query, name)); }

int list_query_int(json_t *query, const char *name, int64_t *out) {
  const char *s = list_query_text(query, name);
  return s && !parse_int64(s, out);
}

json_t *list_query_answer(json_t *items, int64_t total, const ListPage *p) {
  return json_pack("{s:o s:I s:I s:I}", "items", items, "total", (json_int_t)total, "limit", (json_int_t)p->limit,
                   "offset", (json_int_t)p->offset);
}

json_t *list_query_slice(json_t *all, const ListPage *p) {
  int64_t total = (int64_t)json_array_size(all);
  json_t *items = json_array();
  for (int64_t i = p->offset; i < total && i < p->offset + p->limit; i++) json_array_append(items, json_array_get(all, (size_t)i));
  json_decref(all);
  return list_query_answer(items, total, p);
}

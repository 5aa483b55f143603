#include "domain/resource.h"
#include "domain/list_query.h"
#include "util/money.h"
#include "util/text.h"
#include "util/timeutil.h"
#include <string.h>

#define TEXT_MAX_DEFAULT 500

const Resource *resource_find(const char *name) {
  for (int i = 0; name && resources[i]; i++)
    if (strcmp(resources[i]->name, name) == 0) return resources[i];
  return NULL;
}

const Field *resource_field(const Resource *r, const char *name) {
  for (const Field *f = r->fields; f->name; f++)
    if (strcmp(f->name, name) == 0) return f;
  return NULL;
}

const Choice *resource_choices(const char *collection, const char *field) {
  const Resource *r = resource_find(collection);
  const Field *f = r && field ? resource_field(r, field) : NULL;
  return f && f->type == FT_ENUM ? f->choices : NULL;
}

static int bad(HzErr *e, const Field *f, const char *msg) {
  hz_err_field(e, f->name, msg);
  if (e && !e->message[0]) hz_fail(e, HZ_EINVAL, NULL, "字段“%s”（%s）：%s", f->label, f->name, msg);
  if (e) e->rc = HZ_EINVAL;
  return HZ_EINVAL;
}

/* What an enumerated field allows, as the UI shows it: 应为以下之一：信息(lead)、洽谈(negotiating)… */
static const char *allowed_text(const Field *f, char *msg, size_t size) {
  size_t n = (size_t)snprintf(msg, size, "应为以下之一：");
  for (const Choice *c = f->choices; c->code && n < size; c++)
    n += (size_t)snprintf(msg + n, size - n, "%s%s(%s)", c == f->choices ? "" : "、", c->label, c->code);
  utf8_trim_partial(msg);
  return msg;
}

int field_check(const Field *f, json_t *v, HzErr *e) {
  if (json_is_null(v)) return (f->flags & FF_NULLABLE) ? HZ_OK : bad(e, f, "不能为空");
  switch (f->type) {
  case FT_INT:
    if (!json_is_integer(v)) return bad(e, f, "应为整数");
    if (json_integer_value(v) < f->min || (f->max && json_integer_value(v) > f->max)) return bad(e, f, "超出允许范围");
    return HZ_OK;
  case FT_MONEY:
    if (!json_is_integer(v)) return bad(e, f, "金额应为整数（单位：元）");
    if (json_integer_value(v) < 0) return bad(e, f, "金额不能为负数");
    if (json_integer_value(v) > MONEY_MAX) return bad(e, f, "金额超出允许范围");
    return HZ_OK;
  case FT_REF:
    if (!json_is_integer(v) || json_integer_value(v) <= 0) return bad(e, f, "应为记录编号（正整数）");
    return HZ_OK;
  case FT_BOOL:
    return json_is_boolean(v) ? HZ_OK : bad(e, f, "应为 true 或 false");
  case FT_DATE:
    if (!json_is_string(v) || date_parse(json_string_value(v), NULL))
      return bad(e, f, "日期应为 YYYY-MM-DD 格式的真实日期");
    return HZ_OK;
  case FT_ENUM: {
    if (json_is_string(v) && choice_find(f->choices, json_string_value(v))) return HZ_OK;
    char msg[400];
    return bad(e, f, allowed_text(f, msg, sizeof msg));
  }
  case FT_TEXT: {
    if (!json_is_string(v)) return bad(e, f, "应为文本");
    const char *s = json_string_value(v);
    if (strlen(s) != json_string_length(v)) return bad(e, f, "文本不能包含 NUL 字符");
    size_t max = f->max ? (size_t)f->max : TEXT_MAX_DEFAULT;
    if (utf8_length(s) > max) return bad(e, f, "文本过长");
    if ((f->flags & FF_REQUIRED) && s[strspn(s, " \t\r\n")] == 0) return bad(e, f, "不能为空");
    return HZ_OK;
  }
  case FT_LINKS: {
    if (!json_is_array(v)) return bad(e, f, "应为编号数组");
    if (json_array_size(v) > 200) return bad(e, f, "数量过多");
    size_t i, j;
    json_t *x, *y;
    json_array_foreach(v, i, x) {
      if (!json_is_integer(x) || json_integer_value(x) <= 0) return bad(e, f, "应为编号数组（正整数）");
      json_array_foreach(v, j, y) if (j < i && json_integer_value(x) == json_integer_value(y))
          return bad(e, f, "编号重复");
    }
    return HZ_OK;
  }
  case FT_TIMESTAMP:
    return bad(e, f, "只读字段");
  case FT_JSON:
    return json_is_object(v) || json_is_array(v) ? HZ_OK : bad(e, f, "应为 JSON 对象或数组");
  }
  return bad(e, f, "无法识别");
}

int resource_validate(const Resource *r, json_t *body, int op, json_t **values, json_t **extra, HzErr *e) {
  *values = NULL;
  *extra = NULL;
  if (!json_is_object(body)) return hz_fail(e, HZ_EINVAL, "body", "请求体应为 JSON 对象");
  json_t *out = json_object(), *virt = json_object();
  const char *key;
  json_t *v;
  json_object_foreach(body, key, v) {
    if (op == OP_UPDATE && strcmp(key, "version") == 0) continue;
    const Field *f = resource_field(r, key);
    if (!f) {
      hz_err_field(e, key, "未知字段");
      continue;
    }
    if (f->flags & FF_READONLY) {
      hz_err_field(e, key, "只读字段，由系统维护");
      continue;
    }
    if (op == OP_UPDATE && (f->flags & FF_CREATE_ONLY)) {
      hz_err_field(e, key, "创建后不能修改");
      continue;
    }
    if (field_check(f, v, e) == HZ_OK) json_object_set(f->flags & FF_VIRTUAL ? virt : out, key, v);
  }
  if (op == OP_CREATE)
    for (const Field *f = r->fields; f->name; f++)
      if ((f->flags & FF_REQUIRED) && !json_object_get(body, f->name)) hz_err_field(e, f->name, "必填");
  if (op == OP_UPDATE) {
    json_t *ver = json_object_get(body, "version");
    if (!ver) hz_err_field(e, "version", "修改时必须提供读取到的 version");
    else if (!json_is_integer(ver) || json_integer_value(ver) < 1) hz_err_field(e, "version", "应为正整数");
  }
  if (e && e->fields && json_object_size(e->fields)) {
    json_decref(out);
    json_decref(virt);
    if (!e->message[0] || e->rc != HZ_EINVAL) {
      const char *first = NULL;
      json_t *msg;
      json_object_foreach(e->fields, key, msg) { if (!first) first = key; }
      const Field *f = resource_field(r, first);
      hz_fail(e, HZ_EINVAL, NULL, "字段“%s”（%s）：%s", f ? f->label : first, first,
              json_string_value(json_object_get(e->fields, first)));
    }
    resource_errors_summarize(r, e);
    return HZ_EINVAL;
  }
  *values = out;
  *extra = virt;
  return HZ_OK;
}

void resource_errors_summarize(const Resource *r, HzErr *e) {
  size_t n = e && e->fields ? json_object_size(e->fields) : 0;
  if (n < 2) return;
  char msg[sizeof e->message];
  /* Each field with its message while they fit; else each field's label only (the
   * messages are in e->fields), so no field is cut from the list. */
  for (int brief = 0; brief < 2; brief++) {
    size_t len = (size_t)snprintf(msg, sizeof msg, brief ? "有 %zu 处输入有误，请逐项修改：" : "有 %zu 处输入有误：", n);
    const char *key;
    json_t *v;
    int i = 0;
    json_object_foreach(e->fields, key, v) {
      const Field *f = resource_field(r, key);
      const char *label = f ? f->label : !strcmp(key, "version") ? "版本" : key;
      if (len < sizeof msg)
        len += (size_t)snprintf(msg + len, sizeof msg - len, "%s%s（%s）%s%s", i ? (brief ? "、" : "；") : "", label,
                                key, brief ? "" : "：", brief ? "" : json_string_value(v));
      i++;
    }
    if (len < sizeof msg) break;
  }
  utf8_trim_partial(msg);
  snprintf(e->message, sizeof e->message, "%s", msg);
}

/* Parses a query-string value as a filter on field f. */
static json_t *filter_value(const Field *f, const char *s) {
  int64_t n;
  switch (f->type) {
  case FT_INT:
  case FT_MONEY:
  case FT_REF:
  case FT_LINKS:
    return parse_int64(s, &n) == HZ_OK ? json_integer(n) : NULL;
  case FT_BOOL:
    if (strcmp(s, "true") == 0 || strcmp(s, "1") == 0) return json_integer(1);
    if (strcmp(s, "false") == 0 || strcmp(s, "0") == 0) return json_integer(0);
    return NULL;
  case FT_DATE:
    return date_parse(s, NULL) == HZ_OK ? json_string(s) : NULL;
  case FT_ENUM:
    return choice_find(f->choices, s) ? json_string(s) : NULL;
  default:
    return json_string(s);
  }
}

/* The field a filter parameter names: "name", or "name_from" / "name_to" on a date
 * (*op then ">=" / "<="). NULL when the resource has no such filter. */
static const Field *filter_field(const Resource *r, const char *key, const char **op) {
  char name[64];
  size_t len = strlen(key);
  *op = "=";
  if (len >= sizeof name) return NULL;
  snprintf(name, sizeof name, "%s", key);
  if (len > 5 && !strcmp(key + len - 5, "_from")) {
    name[len - 5] = 0;
    *op = ">=";
  } else if (len > 3 && !strcmp(key + len - 3, "_to")) {
    name[len - 3] = 0;
    *op = "<=";
  }
  const Field *f = resource_field(r, name);
  if (!f || !(f->flags & FF_FILTER) || ((*op)[0] != '=' && f->type != FT_DATE)) return NULL;
  return f;
}

/* A filter on an enum, reference or integer field may be given several times: any of them. */
static int accepts_filter(const void *ctx, const char *key, int *repeat) {
  const char *op;
  if (!strcmp(key, "q")) return 1;
  const Field *f = filter_field(ctx, key, &op);
  *repeat = f && op[0] == '=' && (f->type == FT_ENUM || f->type == FT_REF || f->type == FT_INT);
  return f != NULL;
}

static int sortable(const void *ctx, const char *key) {
  const Field *f = resource_field(ctx, key);
  return !strcmp(key, "id") || (f && (f->flags & FF_SORT));
}

int resource_filter_repeatable(const Resource *r, const char *key) {
  int repeat = 0;
  return accepts_filter(r, key, &repeat) && repeat;
}

int resource_list_params(const Resource *r, json_t *query, ListParams *p, HzErr *e) {
  memset(p, 0, sizeof *p);
  p->filters = json_array();
  ListSpec spec = {.accepts = accepts_filter, .sortable = sortable, .ctx = r};
  ListPage page;
  int rc = list_query_read(query, &spec, &page, e);
  if (rc) return rc;
  p->limit = page.limit;
  p->offset = page.offset;
  p->desc = page.desc;
  if (page.sort && strcmp(page.sort, "id")) p->sort = resource_field(r, page.sort);
  p->q = list_query_text(query, "q");
  const char *key;
  json_t *v;
  json_object_foreach(query, key, v) {
    const char *op;
    const Field *f = filter_field(r, key, &op);
    if (!f) continue; /* limit, offset, sort, q */
    if (json_array_size(v) > LIST_ANY_OF_MAX)
      return hz_fail(e, HZ_EINVAL, key, "查询参数“%s”最多给 %d 次", key, LIST_ANY_OF_MAX);
    /* Several values: [field, "in", [values]], bound one by one. */
    json_t *vals = json_is_array(v) ? json_incref(v) : json_pack("[O]", v), *parsed = json_array(), *s;
    size_t i;
    json_array_foreach(vals, i, s) {
      json_t *fv = filter_value(f, json_string_value(s));
      if (!fv) {
        json_decref(vals);
        json_decref(parsed);
        char allowed[400];
        if (f->type == FT_ENUM)
          return hz_fail(e, HZ_EINVAL, key, "查询参数“%s”（%s）%s", key, f->label, allowed_text(f, allowed, sizeof allowed));
        return hz_fail(e, HZ_EINVAL, key, "查询参数“%s”的值无效", key);
      }
      json_array_append_new(parsed, fv);
    }
    json_decref(vals);
    if (json_is_array(v)) json_array_append_new(p->filters, json_pack("[s s o]", f->name, "in", parsed));
    else {
      json_array_append_new(p->filters, json_pack("[s s O]", f->name, op, json_array_get(parsed, 0)));
      json_decref(parsed);
    }
  }
  return HZ_OK;
}

void list_params_free(ListParams *p) {
  json_decref(p->filters);
  p->filters = NULL;
}

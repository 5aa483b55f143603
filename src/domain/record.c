#include "domain/record.h"
#include "domain/figures.h"
#include "domain/figures_batch.h"
#include "store/audit_store.h"
#include "store/record_store.h"
#include "util/buf.h"
#include <stdlib.h>
#include <string.h>

/* The batch open on this thread (record_batch_begin), for one Db. */
static _Thread_local struct {
  Db *db;
  int check_only;
  int64_t *projects; /* whose figures are refreshed at the end; repeats allowed */
  size_t n, cap;
} batch;

static int batched(Db *db) { return batch.db && batch.db == db; }

/* The list is the thread's own and the thread may end after this batch (an import job):
 * it is freed with every batch rather than kept for the next. */
static void batch_close(void) {
  batch.db = NULL;
  free(batch.projects);
  batch.projects = NULL;
  batch.n = batch.cap = 0;
}

static int defer_project(int64_t id, HzErr *e) {
  if (batch.n == batch.cap) {
    size_t cap = batch.cap ? batch.cap * 2 : 1024;
    int64_t *p = realloc(batch.projects, cap * sizeof *p);
    if (!p) return hz_fail(e, HZ_ENOMEM, NULL, "内存不足");
    batch.projects = p;
    batch.cap = cap;
  }
  batch.projects[batch.n++] = id;
  return HZ_OK;
}

int record_batch_begin(Db *db, int check_only, HzErr *e) {
  if (batch.db) return hz_fail(e, HZ_EDB, NULL, "数据库错误：批量写入已在进行");
  if (db_depth(db) < 1) return hz_fail(e, HZ_EDB, NULL, "数据库错误：批量写入须在事务中");
  if (!check_only) {
    int rc = audit_store_batch_begin(db, e);
    if (rc) return rc;
  }
  batch.db = db;
  batch.check_only = check_only;
  batch.n = 0;
  return HZ_OK;
}

int record_batch_end(Db *db, HzErr *e) {
  if (!batched(db)) return hz_fail(e, HZ_EDB, NULL, "数据库错误：没有进行中的批量写入");
  int rc = HZ_OK;
  if (!batch.check_only) {
    batch.db = NULL; /* the refresh below is no write of the batch */
    rc = figures_batch_refresh(db, batch.projects, batch.n, e);
    if (!rc) rc = audit_store_batch_end(db, e);
    else audit_store_batch_abort(db);
  }
  batch_close();
  return rc;
}

void record_batch_abort(Db *db) {
  if (!batched(db)) return;
  if (!batch.check_only) audit_store_batch_abort(db);
  batch_close();
}

int64_t record_scope_unit(const Actor *a) { return actor_is_unit(a) ? a->unit_id : 0; }

static int may(const Actor *a, unsigned roles, const Resource *r, const char *verb, HzErr *e) {
  if (actor_may(a, roles)) return HZ_OK;
  return hz_fail(e, HZ_EFORBIDDEN, NULL, "角色“%s”无权%s%s", role_name(a->role), verb, r->label);
}

int record_audit(Db *db, const Actor *a, const char *action, const Resource *r, int64_t id, json_t *before,
                 json_t *after, HzErr *e) {
  return audit_store_append(db, a, action, r->name, id, before, after, e);
}

/* The parent must exist and be visible; a unit user reaches only its own. */
static int check_parent(Db *db, const Actor *a, const Resource *r, int64_t parent_id, HzErr *e) {
  if (!parent_id) return HZ_OK;
  const Resource *pr = resource_find(r->parent);
  json_t *parent = NULL;
  int rc = record_store_get(db, pr, parent_id, record_scope_unit(a), &parent, e);
  json_decref(parent);
  return rc;
}

int record_list(Db *db, const Actor *a, const Resource *r, int64_t parent_id, json_t *query, json_t **out,
                HzErr *e) {
  *out = NULL;
  int rc = may(a, r->read_roles, r, "查看", e);
  if (rc) return rc;
  if ((rc = check_parent(db, a, r, parent_id, e))) return rc;
  ListParams p;
  rc = resource_list_params(r, query, &p, e);
  p.writer = actor_may(a, r->write_roles);
  json_t *items = NULL;
  int64_t total = 0;
  if (!rc) rc = record_store_list(db, r, &p, parent_id, record_scope_unit(a), &items, &total, e);
  if (!rc)
    *out = json_pack("{s:o s:I s:I s:I}", "items", items, "total", (json_int_t)total, "limit", (json_int_t)p.limit,
                     "offset", (json_int_t)p.offset);
  else json_decref(items);
  list_params_free(&p);
  return rc;
}

int record_list_text(Db *db, const Actor *a, const Resource *r, int64_t parent_id, json_t *query, char **text,
                     size_t *len, HzErr *e) {
  *text = NULL;
  int rc = may(a, r->read_roles, r, "查看", e);
  if (rc) return rc;
  if ((rc = check_parent(db, a, r, parent_id, e))) return rc;
  ListParams p;
  rc = resource_list_params(r, query, &p, e);
  p.writer = actor_may(a, r->write_roles);
  Buf b;
  buf_init(&b, 0);
  int64_t total = 0;
  if (!rc && buf_puts(&b, "{\"items\":")) rc = hz_fail(e, HZ_ENOMEM, NULL, "内存不足");
  if (!rc) rc = record_store_list_text(db, r, &p, parent_id, record_scope_unit(a), &b, &total, e);
  /* the keys and their order of record_list's json_pack */
  if (!rc && buf_printf(&b, ",\"total\":%lld,\"limit\":%lld,\"offset\":%lld}", (long long)total, (long long)p.limit,
                        (long long)p.offset))
    rc = hz_fail(e, HZ_ENOMEM, NULL, "内存不足");
  if (!rc) {
    *len = b.len;
    *text = buf_take(&b);
  }
  buf_free(&b);
  list_params_free(&p);
  return rc;
}

int record_list_all(Db *db, const Actor *a, const Resource *r, int64_t parent_id, json_t *filters, json_t **items,
                    HzErr *e) {
  *items = NULL;
  int rc = may(a, r->read_roles, r, "查看", e);
  if (!rc) rc = check_parent(db, a, r, parent_id, e);
  if (rc) return rc;
  /* One page as long as the table: internal callers must see every row, not the first 500. */
  ListParams p = {.limit = INT64_MAX, .filters = filters ? json_incref(filters) : json_array(),
                  .writer = actor_may(a, r->write_roles)};
  int64_t total = 0;
  rc = record_store_list(db, r, &p, parent_id, record_scope_unit(a), items, &total, e);
  if (rc) {
    json_decref(*items);
    *items = NULL;
  }
  list_params_free(&p);
  return rc;
}

int record_each(Db *db, const Actor *a, const Resource *r, int64_t parent_id, json_t *query, RecordEachFn fn,
                void *ctx, HzErr *e) {
  int rc = may(a, r->read_roles, r, "查看", e);
  if (!rc) rc = check_parent(db, a, r, parent_id, e);
  if (rc) return rc;
  static const char *const paging[] = {"limit", "offset"};
  for (size_t i = 0; i < 2; i++)
    if (json_object_get(query, paging[i]))
      return hz_fail(e, HZ_EINVAL, paging[i], "导出包含全部记录，不分页：请去掉查询参数“%s”", paging[i]);
  ListParams p;
  rc = resource_list_params(r, query, &p, e);
  if (!rc) rc = record_store_each(db, r, &p, parent_id, record_scope_unit(a), fn, ctx, e);
  list_params_free(&p);
  return rc;
}

/* A record as read adds its derived fields (resource.h): the writes and their audit
 * entries hold only what is written. */
static int with_derived(Db *db, const Actor *a, const Resource *r, json_t *record, HzErr *e) {
  json_t *one = json_pack("[O]", record);
  int rc = record_store_derived(db, r, one, actor_may(a, r->write_roles), e);
  json_decref(one);
  return rc;
}

int record_read(Db *db, const Actor *a, const Resource *r, int64_t id, json_t **out, HzErr *e) {
  *out = NULL;
  int rc = may(a, r->read_roles, r, "查看", e);
  if (!rc) rc = record_store_get(db, r, id, record_scope_unit(a), out, e);
  if (!rc) rc = with_derived(db, a, r, *out, e);
  if (rc) {
    json_decref(*out);
    *out = NULL;
  }
  return rc;
}

/* Every referenced record must exist and be one the actor may read: a unit user cannot
 * attach another unit's investor (or people) by guessing its id. One message for both,
 * so the answer does not tell a hidden record from a missing one. A reference an update
 * leaves as it was is not checked again: a co-owning unit editing a joint project keeps
 * the lead unit's investor and responsible person it cannot read itself. */
static int check_refs(Db *db, const Actor *a, const Resource *r, json_t *values, json_t *before, HzErr *e) {
  for (const Field *f = r->fields; f->name; f++) {
    json_t *v = json_object_get(values, f->name);
    if (!v || !f->ref || (before && json_equal(v, json_object_get(before, f->name)))) continue;
    const Resource *target = resource_find(f->ref);
    /* Lists of people (follow-up participants, team members) may reach past the unit: a
     * joint visit takes the co-owning unit's or the city's people along. Their own
     * prepare hook says whose people may be listed. */
    int64_t scope = f->type == FT_LINKS && !strcmp(f->ref, "users") ? 0 : record_scope_unit(a);
    if (f->type == FT_REF && json_is_integer(v) && !record_store_exists(db, target, json_integer_value(v), scope))
      hz_err_field(e, f->name, "引用的记录不存在或无权查看");
    if (f->type == FT_LINKS) {
      size_t i;
      json_t *x;
      json_array_foreach(v, i, x) if (!record_store_exists(db, target, json_integer_value(x), scope)) {
        hz_err_field(e, f->name, "引用的记录不存在或无权查看");
        break;
      }
    }
  }
  if (e->fields && json_object_size(e->fields)) {
    const char *key = NULL;
    json_t *msg;
    json_object_foreach(e->fields, key, msg) break;
    const Field *f = resource_field(r, key);
    return hz_fail(e, HZ_EINVAL, NULL, "字段“%s”（%s）引用的记录不存在或无权查看", f ? f->label : key, key);
  }
  return HZ_OK;
}

/* A unit user writes only inside its own unit: the record as it will be must stay visible. */
static int check_unit_write(Db *db, const Actor *a, RecordCtx *c, HzErr *e) {
  if (!actor_is_unit(a)) return HZ_OK;
  const Resource *r = c->res;
  json_t *rec = c->merged ? c->merged : c->before;
  switch (r->scope) {
  case SCOPE_PUBLIC:
    return HZ_OK;
  case SCOPE_UNIT:
  case SCOPE_UNIT_OR_ALL:
    if (json_integer_value(json_object_get(rec, r->unit_field)) != a->unit_id)
      return hz_fail(e, HZ_EFORBIDDEN, r->unit_field, "只能维护本单位的%s", r->label);
    return HZ_OK;
  case SCOPE_PROJECT: {
    /* Listing itself as a co-owner does not let a unit open a project led by another one. */
    if (c->op == OP_CREATE && json_integer_value(json_object_get(rec, "lead_unit_id")) != a->unit_id)
      return hz_fail(e, HZ_EFORBIDDEN, "lead_unit_id", "只能新建本单位牵头的项目");
    if (json_integer_value(json_object_get(rec, "lead_unit_id")) == a->unit_id) return HZ_OK;
    json_t *co = json_object_get(rec, "co_unit_ids");
    size_t i;
    json_t *x;
    json_array_foreach(co, i, x) if (json_integer_value(x) == a->unit_id) return HZ_OK;
    return hz_fail(e, HZ_EFORBIDDEN, "lead_unit_id", "只能维护本单位牵头或参与的项目");
  }
  case SCOPE_VIA_PROJECT: {
    json_t *project = NULL;
    int rc = record_store_get(db, resource_find("projects"), json_integer_value(json_object_get(rec, "project_id")),
                              a->unit_id, &project, e);
    json_decref(project);
    return rc;
  }
  }
  return HZ_OK;
}

/* Runs prepare, the write, after, the running totals and the audit entry, in the
 * transaction the caller holds. */
static int write_record(RecordCtx *c, int64_t version, json_t **out) {
  HzErr *e = c->err;
  const Resource *r = c->res;
  int rc = HZ_OK;
  if (c->op != OP_DELETE) {
    c->merged = c->before ? json_deep_copy(c->before) : json_object();
    json_object_update(c->merged, c->values);
  }
  if (r->prepare && (rc = r->prepare(c))) goto done;
  if (c->op != OP_DELETE) json_object_update(c->merged, c->values);
  if ((rc = check_unit_write(c->db, c->actor, c, e))) goto done;
  if (c->op != OP_DELETE && (rc = check_refs(c->db, c->actor, r, c->values, c->before, e))) goto done;
  /* A check-only batch is rolled back whole, so a new record is not inserted: every rule
   * the insert could break was checked above (resource_validate and the prepare hooks hold
   * the schema's constraints in C; references exist; a natural key found is an update). */
  if (c->op == OP_CREATE && batched(c->db) && batch.check_only) goto done;
  if (c->op == OP_CREATE) rc = record_store_insert(c->db, r, c->values, &c->id, e);
  else if (c->op == OP_UPDATE) rc = record_store_update(c->db, r, c->id, version, c->values, e);
  else rc = record_store_delete(c->db, r, c->id, e);
  if (rc) goto done;
  if (r->after && (rc = r->after(c))) goto done;
  /* A check-only batch is rolled back whole: what follows cannot refuse the row. */
  if (batched(c->db) && batch.check_only) goto done;
  if (r->figures_project) {
    json_t *rec = c->merged ? c->merged : c->before;
    int64_t project_id = strcmp(r->figures_project, "id") ? json_integer_value(json_object_get(rec, r->figures_project)) : c->id;
    /* In a batch the refresh waits for its end, unless the record audited below is the
     * project itself and its lead date (behind last_activity_date, which it shows) changed. */
    int now = !batched(c->db) ||
              (!strcmp(r->figures_project, "id") && c->op == OP_UPDATE && json_object_get(c->values, "lead_date"));
    if ((rc = now ? figures_refresh_project(c->db, project_id, e) : defer_project(project_id, e))) goto done;
  }
  json_t *after = NULL;
  if (c->op != OP_DELETE && (rc = record_store_get(c->db, r, c->id, 0, &after, e))) goto done;
  static const char *const actions[] = {[OP_CREATE] = "create", [OP_UPDATE] = "update", [OP_DELETE] = "delete"};
  rc = record_audit(c->db, c->actor, actions[c->op], r, c->id, c->before, after, e);
  if (!rc && out) *out = after;
  else json_decref(after);
done:
  return rc;
}

/* Two link lists hold the same ids (the store reads them back sorted). */
static int same_set(json_t *a, json_t *b) {
  if (json_array_size(a) != json_array_size(b)) return 0;
  size_t i, j;
  json_t *x, *y;
  json_array_foreach(a, i, x) {
    int found = 0;
    json_array_foreach(b, j, y) found |= json_integer_value(x) == json_integer_value(y);
    if (!found) return 0;
  }
  return 1;
}

/* An update that would leave every column as stored (and sets no virtual input such as a
 * password) changes nothing: it is answered without a write, a new version or an audit entry. */
static int changes_nothing(const Resource *r, json_t *values, json_t *extra, json_t *before) {
  if (json_object_size(extra)) return 0;
  const char *key;
  json_t *v;
  json_object_foreach(values, key, v) {
    const Field *f = resource_field(r, key);
    json_t *was = json_object_get(before, key);
    if (!f || !was) return 0;
    if (f->type == FT_LINKS ? !same_set(v, was) : !json_equal(v, was)) return 0;
  }
  return 1;
}

/* The version a delete or update was read at: a positive integer. */
static int read_version(const Resource *r, int op, json_t *body, int64_t *version, HzErr *e) {
  json_t *v = json_object_get(body, "version");
  if (!v && op == OP_DELETE)
    return hz_fail(e, HZ_EPRECOND, "version", "删除%s时必须提供读取到的版本（?version=N 或 If-Match 请求头）", r->label);
  if (!json_is_integer(v) || json_integer_value(v) < 1)
    return hz_fail(e, HZ_EINVAL, "version", "版本（version）应为正整数");
  *version = json_integer_value(v);
  return HZ_OK;
}

int record_write(Db *db, const Actor *a, const Resource *r, int op, int64_t id, int64_t parent_id, json_t *body,
                 json_t **out, HzErr *e) {
  static const char *const verbs[] = {[OP_CREATE] = "新建", [OP_UPDATE] = "修改", [OP_DELETE] = "删除"};
  if (out) *out = NULL;
  if (op != OP_CREATE && op != OP_UPDATE && op != OP_DELETE) return hz_fail(e, HZ_EINVAL, NULL, "未知的写操作");
  json_t *before = NULL, *values = NULL, *extra = NULL;
  int64_t version = 0;
  RecordCtx c = {.db = db, .actor = a, .res = r, .op = op, .id = id, .err = e};
  int rc = may(a, r->write_roles, r, verbs[op], e);
  if (rc) goto done;
  if (op == OP_CREATE) {
    if (!(r->ops & OP_CREATE)) {
      rc = hz_fail(e, HZ_EMETHOD, NULL, "%s不能通过此接口新建", r->label);
      goto done;
    }
    if (r->parent && !parent_id) {
      rc = hz_fail(e, HZ_EMETHOD, NULL, "%s须在上级记录下新建：POST /api/v1/%s/{id}/%s", r->label, r->parent, r->name);
      goto done;
    }
    if ((rc = check_parent(db, a, r, parent_id, e))) goto done;
    c.id = 0;
  } else {
    /* Read inside the caller's transaction: the version compared is the one written over. */
    if ((rc = record_store_get(db, r, id, record_scope_unit(a), &before, e))) goto done;
    if (!(r->ops & op)) {
      rc = hz_fail(e, HZ_EMETHOD, NULL, "%s一经记录不能%s", r->label, verbs[op]);
      goto done;
    }
  }
  if (op != OP_DELETE) {
    if ((rc = resource_validate(r, body, op, &values, &extra, e))) goto done;
    if (op == OP_CREATE && r->parent_field && parent_id)
      json_object_set_new(values, r->parent_field, json_integer(parent_id));
  }
  if (op != OP_CREATE) {
    if ((rc = read_version(r, op, body, &version, e))) goto done;
    int64_t stored = json_integer_value(json_object_get(before, "version"));
    if (version != stored) {
      rc = hz_fail(e, HZ_ECONFLICT, "version", "%s已被他人修改（当前版本 %lld），请刷新后重试", r->label,
                   (long long)stored);
      goto done;
    }
  }
  c.before = before;
  c.values = values;
  c.extra = extra;
  if (op == OP_UPDATE && changes_nothing(r, values, extra, before)) {
    /* Still only what the actor may write: a unit user's no-op on a broadcast it only reads is refused. */
    c.merged = json_incref(before);
    rc = check_unit_write(db, a, &c, e);
    if (!rc && out) *out = json_incref(before);
    goto done;
  }
  rc = write_record(&c, version, out);
done:
  if (rc && out) {
    json_decref(*out);
    *out = NULL;
  }
  if (rc && e) resource_errors_summarize(r, e);
  json_decref(c.merged);
  json_decref(before);
  json_decref(values);
  json_decref(extra);
  return rc;
}

/* One write in its own transaction: the HTTP API, the CLI and the demo. */
static int in_transaction(Db *db, const Actor *a, const Resource *r, int op, int64_t id, int64_t parent_id,
                          json_t *body, json_t **out, HzErr *e) {
  int rc = db_begin(db, e);
  if (rc) return rc;
  rc = record_write(db, a, r, op, id, parent_id, body, out, e);
  if (!rc) rc = db_commit(db, e);
  if (!rc && out && *out) {
    /* The write stands: a failed read of the derived fields leaves them out of the answer
     * rather than report a write that happened as failed. */
    HzErr ignored = {0};
    with_derived(db, a, r, *out, &ignored);
    hz_err_clear(&ignored);
  }
  if (rc) {
    db_rollback(db);
    if (out) {
      json_decref(*out);
      *out = NULL;
    }
  }
  return rc;
}

int record_create(Db *db, const Actor *a, const Resource *r, int64_t parent_id, json_t *body, json_t **out,
                  HzErr *e) {
  *out = NULL;
  return in_transaction(db, a, r, OP_CREATE, 0, parent_id, body, out, e);
}

int record_update(Db *db, const Actor *a, const Resource *r, int64_t id, json_t *body, json_t **out, HzErr *e) {
  *out = NULL;
  return in_transaction(db, a, r, OP_UPDATE, id, 0, body, out, e);
}

int record_delete(Db *db, const Actor *a, const Resource *r, int64_t id, int64_t version, HzErr *e) {
  json_t *body = version ? json_pack("{s:I}", "version", (json_int_t)version) : json_object();
  int rc = in_transaction(db, a, r, OP_DELETE, id, 0, body, NULL, e);
  json_decref(body);
  return rc;
}

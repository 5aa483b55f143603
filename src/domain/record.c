#include "domain/record.h"
#include "domain/figures.h"
#include "store/audit_store.h"
#include "store/record_store.h"
#include <string.h>

int64_t record_scope_unit(const Actor *a) { return actor_is_unit(a) ? a->unit_id : 0; }

static int may(const Actor *a, unsigned roles, const Resource *r, const char *verb, HzErr *e) {
  if (a->role & roles) return HZ_OK;
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

int record_list_all(Db *db, const Actor *a, const Resource *r, int64_t parent_id, json_t *filters, json_t **items,
                    HzErr *e) {
  *items = NULL;
  int rc = may(a, r->read_roles, r, "查看", e);
  if (!rc) rc = check_parent(db, a, r, parent_id, e);
  if (rc) return rc;
  /* One page as long as the table: internal callers must see every row, not the first 500. */
  ListParams p = {.limit = INT64_MAX, .filters = filters ? json_incref(filters) : json_array()};
  int64_t total = 0;
  rc = record_store_list(db, r, &p, parent_id, record_scope_unit(a), items, &total, e);
  if (rc) {
    json_decref(*items);
    *items = NULL;
  }
  list_params_free(&p);
  return rc;
}

int record_read(Db *db, const Actor *a, const Resource *r, int64_t id, json_t **out, HzErr *e) {
  *out = NULL;
  int rc = may(a, r->read_roles, r, "查看", e);
  if (rc) return rc;
  return record_store_get(db, r, id, record_scope_unit(a), out, e);
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
    return hz_fail(e, HZ_EINVAL, NULL, "字段“%s”引用的记录不存在或无权查看", key);
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

/* Runs prepare, the write, after and the audit entry in one transaction. */
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
  if (c->op == OP_CREATE) rc = record_store_insert(c->db, r, c->values, &c->id, e);
  else if (c->op == OP_UPDATE) rc = record_store_update(c->db, r, c->id, version, c->values, e);
  else rc = record_store_delete(c->db, r, c->id, e);
  if (rc) goto done;
  if (r->after && (rc = r->after(c))) goto done;
  if (r->figures_project) {
    json_t *rec = c->merged ? c->merged : c->before;
    int64_t project_id = strcmp(r->figures_project, "id") ? json_integer_value(json_object_get(rec, r->figures_project)) : c->id;
    if ((rc = figures_refresh_project(c->db, project_id, e))) goto done;
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

static int in_transaction(RecordCtx *c, int64_t version, json_t **out) {
  int rc = db_begin(c->db, c->err);
  if (rc) return rc;
  rc = write_record(c, version, out);
  if (!rc) rc = db_commit(c->db, c->err);
  if (rc) {
    db_rollback(c->db);
    if (out) {
      json_decref(*out);
      *out = NULL;
    }
  }
  json_decref(c->merged);
  return rc;
}

int record_create(Db *db, const Actor *a, const Resource *r, int64_t parent_id, json_t *body, json_t **out,
                  HzErr *e) {
  *out = NULL;
  int rc = may(a, r->write_roles, r, "新建", e);
  if (rc) return rc;
  if (!(r->ops & OP_CREATE)) return hz_fail(e, HZ_EMETHOD, NULL, "%s不能通过此接口新建", r->label);
  if (r->parent && !parent_id)
    return hz_fail(e, HZ_EMETHOD, NULL, "%s须在上级记录下新建：POST /api/v1/%s/{id}/%s", r->label, r->parent, r->name);
  if ((rc = check_parent(db, a, r, parent_id, e))) return rc;
  json_t *values = NULL, *extra = NULL;
  if ((rc = resource_validate(r, body, OP_CREATE, &values, &extra, e))) return rc;
  if (r->parent_field && parent_id) json_object_set_new(values, r->parent_field, json_integer(parent_id));
  RecordCtx c = {.db = db, .actor = a, .res = r, .op = OP_CREATE, .values = values, .extra = extra, .err = e};
  rc = in_transaction(&c, 0, out);
  json_decref(values);
  json_decref(extra);
  return rc;
}

int record_update(Db *db, const Actor *a, const Resource *r, int64_t id, json_t *body, json_t **out, HzErr *e) {
  *out = NULL;
  int rc = may(a, r->write_roles, r, "修改", e);
  if (rc) return rc;
  json_t *before = NULL, *values = NULL, *extra = NULL;
  if ((rc = record_store_get(db, r, id, record_scope_unit(a), &before, e))) return rc;
  if (!(r->ops & OP_UPDATE)) {
    rc = hz_fail(e, HZ_EMETHOD, NULL, "%s一经记录不能修改", r->label);
    goto done;
  }
  if ((rc = resource_validate(r, body, OP_UPDATE, &values, &extra, e))) goto done;
  int64_t version = json_integer_value(json_object_get(body, "version"));
  if (version != json_integer_value(json_object_get(before, "version"))) {
    rc = hz_fail(e, HZ_ECONFLICT, "version", "%s已被他人修改（当前版本 %lld），请刷新后重试", r->label,
                 (long long)json_integer_value(json_object_get(before, "version")));
    goto done;
  }
  RecordCtx c = {.db = db, .actor = a, .res = r, .op = OP_UPDATE, .id = id, .before = before, .values = values,
                 .extra = extra, .err = e};
  rc = in_transaction(&c, version, out);
done:
  json_decref(before);
  json_decref(values);
  json_decref(extra);
  return rc;
}

int record_delete(Db *db, const Actor *a, const Resource *r, int64_t id, HzErr *e) {
  int rc = may(a, r->write_roles, r, "删除", e);
  if (rc) return rc;
  json_t *before = NULL;
  if ((rc = record_store_get(db, r, id, record_scope_unit(a), &before, e))) return rc;
  if (!(r->ops & OP_DELETE)) rc = hz_fail(e, HZ_EMETHOD, NULL, "%s一经记录不能删除", r->label);
  else {
    RecordCtx c = {.db = db, .actor = a, .res = r, .op = OP_DELETE, .id = id, .before = before, .err = e};
    rc = in_transaction(&c, 0, NULL);
  }
  json_decref(before);
  return rc;
}

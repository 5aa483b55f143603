#include "store/record_store.h"
#include "domain/list_query.h"
#include "store/auth_store.h"
#include "util/buf.h"
#include "util/json_text.h"
#include "util/text.h"
#include "util/timeutil.h"
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

static int is_column(const Field *f) { return !(f->flags & FF_VIRTUAL) && f->type != FT_LINKS; }

/* Derived fields (resource.h): read from other tables with each page of records. */
static int is_derived(const Field *f) {
  return (f->flags & (FF_VIRTUAL | FF_READONLY | FF_SECRET)) == (FF_VIRTUAL | FF_READONLY);
}
/* Whether a reader sees derived field f: writer, the reader may write the collection. */
static int derived_shown(const Field *f, int writer) { return is_derived(f) && (writer || !(f->flags & FF_WRITERS)); }

/* The SQL of each collection's derived fields. */
static const struct {
  const char *table;
  /* SELECT the record's id, then one column per derived field in field order, for the
   * records whose ids fill the IN list this head opens (a record with no row: nulls) */
  const char *in_head;
  const char *sort_field, *sort_expr; /* the one a list sorts by, as SQL of the table's row */
} derived_sources[] = {
    {"users", AUTH_STORE_LAST_LOGINS_IN, "last_login_at", AUTH_STORE_LAST_LOGIN("at", "users.id")},
};

/* The index of r's entry in derived_sources, or -1 when r derives nothing. */
static int derived_source(const Resource *r) {
  for (size_t i = 0; i < sizeof derived_sources / sizeof derived_sources[0]; i++)
    if (!strcmp(derived_sources[i].table, r->table)) return (int)i;
  return -1;
}

/* What a list orders by for sort field f: its column, or a derived field's expression. */
static const char *sort_key(const Resource *r, const Field *f) {
  if (!is_derived(f)) return f->name;
  int i = derived_source(r);
  return i >= 0 && !strcmp(derived_sources[i].sort_field, f->name) ? derived_sources[i].sort_expr : "id";
}

static void bind_all(DbStmt *st, json_t *binds) {
  size_t i;
  json_t *v;
  json_array_foreach(binds, i, v) {
    int idx = (int)i + 1;
    if (json_is_integer(v)) db_bind_int(st, idx, json_integer_value(v));
    else if (json_is_true(v)) db_bind_int(st, idx, 1);
    else if (json_is_false(v)) db_bind_int(st, idx, 0);
    else if (json_is_string(v)) db_bind_text(st, idx, json_string_value(v));
    else db_bind_null(st, idx);
  }
}

/* Statement texts depend only on a resource's static description and on which of its
 * fields a write sets: each is built once and kept for the life of the process (a loader
 * otherwise spends a tenth of its time formatting the same SQL again for every row).
 * Found by (resource, kind, fields); the table is shared by every thread, under a lock,
 * and only grows (its texts stay reachable, so they are no leak). */
/* kind: one of these, or SQL_LINKS + a link field's index (fields: the IN list's length) */
enum { SQL_GET, SQL_GET_SCOPED, SQL_EXISTS, SQL_EXISTS_SCOPED, SQL_INSERT, SQL_UPDATE, SQL_DERIVED, SQL_LINKS };
#define SQL_SLOTS 1024
static struct {
  const Resource *r;
  int kind;
  uint64_t fields;
  char *sql;
} sql_slots[SQL_SLOTS];
static pthread_mutex_t sql_lock = PTHREAD_MUTEX_INITIALIZER;

static unsigned sql_home(const Resource *r, int kind, uint64_t fields) {
  uint64_t h = ((uintptr_t)r >> 4) * 0x9e3779b97f4a7c15ull ^ fields * 0xbf58476d1ce4e5b9ull ^ (uint64_t)kind;
  return (unsigned)((h ^ h >> 29) % SQL_SLOTS);
}

/* The kept text, or NULL when it was never built. */
static const char *sql_find(const Resource *r, int kind, uint64_t fields) {
  const char *sql = NULL;
  pthread_mutex_lock(&sql_lock);
  for (unsigned i = sql_home(r, kind, fields), n = 0; n < SQL_SLOTS && sql_slots[i].sql; i = (i + 1) % SQL_SLOTS, n++)
    if (sql_slots[i].r == r && sql_slots[i].kind == kind && sql_slots[i].fields == fields) {
      sql = sql_slots[i].sql;
      break;
    }
  pthread_mutex_unlock(&sql_lock);
  return sql;
}

/* Keeps b's text (b is emptied) and returns it; when the table is full (it never is with
 * the resources there are) b keeps it and the caller's buf_free frees it. */
static const char *sql_keep(const Resource *r, int kind, uint64_t fields, Buf *b) {
  const char *sql = b->data;
  pthread_mutex_lock(&sql_lock);
  unsigned i = sql_home(r, kind, fields), n = 0;
  for (; n < SQL_SLOTS && sql_slots[i].sql; i = (i + 1) % SQL_SLOTS, n++)
    if (sql_slots[i].r == r && sql_slots[i].kind == kind && sql_slots[i].fields == fields) break;
  if (n < SQL_SLOTS && sql_slots[i].sql) sql = sql_slots[i].sql; /* another thread built it meanwhile */
  else if (n < SQL_SLOTS - SQL_SLOTS / 4) { /* a quarter kept free: probes stay short */
    sql_slots[i].r = r, sql_slots[i].kind = kind, sql_slots[i].fields = fields;
    sql_slots[i].sql = buf_take(b);
    sql = sql_slots[i].sql;
  }
  pthread_mutex_unlock(&sql_lock);
  return sql;
}

static void select_list(Buf *b, const Resource *r) {
  buf_puts(b, "SELECT id, version, created_at, updated_at");
  for (const Field *f = r->fields; f->name; f++)
    if (is_column(f) && !(f->flags & FF_SECRET)) buf_printf(b, ", %s", f->name);
  buf_printf(b, " FROM %s WHERE 1=1", r->table);
}

/* Narrows to what a user of unit u may see; binds go to binds. */
static void scope_clause(Buf *b, json_t *binds, const Resource *r, int64_t u) {
  if (!u) return;
  if (r->unit_visible_when) buf_printf(b, " AND (%s)", r->unit_visible_when);
  switch (r->scope) {
  case SCOPE_PUBLIC:
    break;
  case SCOPE_UNIT:
    buf_printf(b, " AND %s = ?", r->unit_field);
    json_array_append_new(binds, json_integer(u));
    break;
  case SCOPE_UNIT_OR_ALL:
    buf_printf(b, " AND (%s = ? OR %s IS NULL)", r->unit_field, r->unit_field);
    json_array_append_new(binds, json_integer(u));
    break;
  case SCOPE_PROJECT:
    buf_puts(b, " AND (lead_unit_id = ? OR id IN (SELECT project_id FROM project_units WHERE unit_id = ?))");
    json_array_append_new(binds, json_integer(u));
    json_array_append_new(binds, json_integer(u));
    break;
  case SCOPE_VIA_PROJECT:
    buf_puts(b, " AND project_id IN (SELECT id FROM projects WHERE lead_unit_id = ?"
                " UNION SELECT project_id FROM project_units WHERE unit_id = ?)");
    json_array_append_new(binds, json_integer(u));
    json_array_append_new(binds, json_integer(u));
    break;
  }
}

/* The statement head "?, ?, …" tail for n records (their ids bound 1..n by the caller),
 * kept as kind. A few fixed sizes of the IN list (the rest bound NULL, which matches
 * nothing), so a handful of statements serve every page size from the statement cache. */
static DbStmt *ids_stmt(Db *db, const Resource *r, int kind, const char *head, const char *tail, size_t n,
                        HzErr *e) {
  size_t slots = n <= 1 ? 1 : n <= 10 ? 10 : n <= 50 ? 50 : n <= 100 ? 100 : n <= 500 ? 500 : n;
  const char *text = slots <= 500 ? sql_find(r, kind, slots) : NULL;
  if (text) return db_prepare_kept(db, text, e);
  Buf sql;
  buf_init(&sql, 0);
  buf_puts(&sql, head);
  for (size_t i = 0; i < slots; i++) buf_puts(&sql, i ? ", ?" : "?");
  buf_puts(&sql, tail);
  text = slots <= 500 ? sql_keep(r, kind, slots, &sql) : sql.data;
  DbStmt *st = text == sql.data ? db_prepare(db, text, e) : db_prepare_kept(db, text, e);
  buf_free(&sql);
  return st;
}

/* The statement that reads link field f of n records, ordered by record then linked id. */
static DbStmt *links_stmt(Db *db, const Resource *r, const Field *f, size_t n, HzErr *e) {
  char head[256];
  snprintf(head, sizeof head, "SELECT %s, %s FROM %s WHERE %s IN (", f->link_self, f->link_other, f->link_table,
           f->link_self);
  return ids_stmt(db, r, SQL_LINKS + (int)(f - r->fields), head, ") ORDER BY 1, 2", n, e);
}

/* The statement that reads r's derived fields of n records (r has derived_sources). */
static DbStmt *derived_stmt(Db *db, const Resource *r, size_t n, HzErr *e) {
  int i = derived_source(r);
  return i < 0 ? NULL : ids_stmt(db, r, SQL_DERIVED, derived_sources[i].in_head, ")", n, e);
}

/* Fills the link fields of every item of a page: one query per field, not one per item. */
static int load_links_all(Db *db, const Resource *r, json_t *items, HzErr *e) {
  size_t n = json_array_size(items), i;
  json_t *item;
  if (!n) return HZ_OK;
  int rc = HZ_OK;
  json_t *by_id = json_object(); /* "id" -> the item's array for the field being loaded */
  for (const Field *f = r->fields; f->name && !rc; f++) {
    if (f->type != FT_LINKS || (f->flags & FF_VIRTUAL)) continue;
    json_array_foreach(items, i, item) {
      char key[24];
      snprintf(key, sizeof key, "%lld", (long long)json_integer_value(json_object_get(item, "id")));
      json_t *arr = json_array();
      json_object_set_new(item, f->name, arr);
      json_object_set(by_id, key, arr);
    }
    DbStmt *st = links_stmt(db, r, f, n, e);
    if (!st) {
      rc = e->rc;
      break;
    }
    json_array_foreach(items, i, item) db_bind_int(st, (int)i + 1, json_integer_value(json_object_get(item, "id")));
    int s;
    while ((s = db_step(db, st, e)) == DB_ROW) {
      char key[24];
      snprintf(key, sizeof key, "%lld", (long long)db_col_int(st, 0));
      json_array_append_new(json_object_get(by_id, key), json_integer(db_col_int(st, 1)));
    }
    if (s < 0) rc = -s;
    json_object_clear(by_id);
  }
  json_decref(by_id);
  return rc;
}

/* One column's value as field f gives it (null for a text jansson refuses). */
static json_t *col_json(const Field *f, DbStmt *st, int col) {
  json_t *v;
  if (db_col_is_null(st, col)) v = json_null();
  else if (f->type == FT_BOOL) v = json_boolean(db_col_int(st, col));
  else if (f->type == FT_INT || f->type == FT_MONEY || f->type == FT_REF) v = json_integer(db_col_int(st, col));
  else if (f->type == FT_JSON) v = json_loads(db_col_text(st, col), 0, NULL);
  else v = json_string(db_col_text(st, col));
  return v ? v : json_null();
}

static json_t *row_json(const Resource *r, DbStmt *st) {
  json_t *o = json_object();
  json_object_set_new(o, "id", json_integer(db_col_int(st, 0)));
  json_object_set_new(o, "version", json_integer(db_col_int(st, 1)));
  json_object_set_new(o, "created_at", json_string(db_col_text(st, 2)));
  json_object_set_new(o, "updated_at", json_string(db_col_text(st, 3)));
  int col = 4;
  for (const Field *f = r->fields; f->name; f++) {
    if (!is_column(f) || (f->flags & FF_SECRET)) continue;
    json_object_set_new(o, f->name, col_json(f, st, col));
    col++;
  }
  if (r->decorate) r->decorate(o);
  return o;
}

int record_store_derived(Db *db, const Resource *r, json_t *items, int writer, HzErr *e) {
  size_t n = json_array_size(items), i;
  if (!n || derived_source(r) < 0) return HZ_OK;
  json_t *item, *by_id = json_object(); /* "id" -> its item */
  json_array_foreach(items, i, item) {
    for (const Field *f = r->fields; f->name; f++)
      if (derived_shown(f, writer)) json_object_set_new(item, f->name, json_null()); /* never logged in, say */
    char key[24];
    snprintf(key, sizeof key, "%lld", (long long)json_integer_value(json_object_get(item, "id")));
    json_object_set(by_id, key, item);
  }
  int rc = HZ_OK, s;
  DbStmt *st = derived_stmt(db, r, n, e);
  if (!st) {
    rc = e->rc;
    goto done;
  }
  json_array_foreach(items, i, item) db_bind_int(st, (int)i + 1, json_integer_value(json_object_get(item, "id")));
  while ((s = db_step(db, st, e)) == DB_ROW) {
    char key[24];
    snprintf(key, sizeof key, "%lld", (long long)db_col_int(st, 0));
    json_t *it = json_object_get(by_id, key);
    int col = 1;
    for (const Field *f = r->fields; f->name && it; f++) {
      if (!is_derived(f)) continue;
      if (derived_shown(f, writer)) json_object_set_new(it, f->name, col_json(f, st, col));
      col++;
    }
  }
  if (s < 0) rc = -s;
done:
  json_decref(by_id);
  return rc;
}

/* How many times a scope_clause binds the unit (every bind of it is the unit id). */
static int scope_binds(const Resource *r) {
  return r->scope == SCOPE_UNIT || r->scope == SCOPE_UNIT_OR_ALL ? 1
         : r->scope == SCOPE_PROJECT || r->scope == SCOPE_VIA_PROJECT ? 2
                                                                       : 0;
}

int record_store_get(Db *db, const Resource *r, int64_t id, int64_t scope_unit, json_t **out, HzErr *e) {
  *out = NULL;
  Buf b;
  buf_init(&b, 0);
  int kind = scope_unit ? SQL_GET_SCOPED : SQL_GET;
  const char *sql = sql_find(r, kind, 0);
  if (!sql) {
    json_t *scratch = json_array();
    select_list(&b, r);
    buf_puts(&b, " AND id = ?");
    scope_clause(&b, scratch, r, scope_unit ? 1 : 0);
    json_decref(scratch);
    sql = sql_keep(r, kind, 0, &b);
  }
  int rc = HZ_OK;
  DbStmt *st = b.data ? db_prepare(db, sql, e) : db_prepare_kept(db, sql, e);
  if (!st) {
    rc = e->rc;
    goto done;
  }
  db_bind_int(st, 1, id);
  for (int i = 0; scope_unit && i < scope_binds(r); i++) db_bind_int(st, 2 + i, scope_unit);
  int s = db_step(db, st, e);
  if (s < 0) rc = -s;
  else if (s == DB_DONE) rc = hz_fail(e, HZ_ENOTFOUND, NULL, "%s %lld 不存在或无权查看", r->label, (long long)id);
  else {
    *out = row_json(r, st);
    db_reset(st);
    json_t *one = json_pack("[O]", *out);
    rc = load_links_all(db, r, one, e);
    json_decref(one);
  }
done:
  if (rc) {
    json_decref(*out);
    *out = NULL;
  }
  buf_free(&b);
  return rc;
}

/* LIKE pattern for a substring, with %, _ and \ escaped. */
static json_t *like_pattern(const char *q) {
  Buf b;
  buf_init(&b, 0);
  buf_puts(&b, "%");
  for (; *q; q++) {
    if (*q == '%' || *q == '_' || *q == '\\') buf_puts(&b, "\\");
    buf_append(&b, q, 1);
  }
  buf_puts(&b, "%");
  json_t *s = json_string(b.data);
  buf_free(&b);
  return s;
}

/* rows: the clause selects rows to be read in p's order (not counted). Ordered by id
 * alone, a list within a campaign is best read in the table's own (id) order, checking the
 * campaign on each row: a campaign holds most rows, yet without statistics SQLite would
 * take `campaign_id = ?` for selective, walk an index of 0015 and sort the whole campaign.
 * The unary plus keeps that term off the indexes (the count still uses them). */
static void where_clause(Buf *b, json_t *binds, const Resource *r, const ListParams *p, int64_t parent_id,
                         int64_t scope_unit, int rows) {
  if (parent_id && r->parent_field) {
    buf_printf(b, " AND %s = ?", r->parent_field);
    json_array_append_new(binds, json_integer(parent_id));
  }
  size_t i;
  json_t *flt;
  json_array_foreach(p->filters, i, flt) {
    const Field *f = resource_field(r, json_string_value(json_array_get(flt, 0)));
    const char *op = json_string_value(json_array_get(flt, 1));
    if (!strcmp(op, "in")) { /* any of the values, one bound parameter each */
      json_t *vals = json_array_get(flt, 2), *x;
      size_t k;
      buf_printf(b, " AND %s IN (", f->name);
      json_array_foreach(vals, k, x) {
        buf_puts(b, k ? ", ?" : "?");
        json_array_append(binds, x);
      }
      buf_puts(b, ")");
      continue;
    }
    if (f->type == FT_LINKS)
      buf_printf(b, " AND id IN (SELECT %s FROM %s WHERE %s = ?)", f->link_self, f->link_table, f->link_other);
    else
      buf_printf(b, " AND %s%s %s ?", rows && !p->sort && !strcmp(f->name, "campaign_id") ? "+" : "", f->name, op);
    json_array_append(binds, json_array_get(flt, 2));
  }
  if (p->q && *p->q) {
    json_t *pat = like_pattern(p->q);
    const char *sep = " AND (";
    for (const Field *f = r->fields; f->name; f++) {
      if (!(f->flags & FF_SEARCH)) continue;
      /* LOWER on both sides: SQLite's LIKE ignores ASCII case, PostgreSQL's does not. */
      buf_printf(b, "%sLOWER(%s) LIKE LOWER(?) ESCAPE '\\'", sep, f->name);
      json_array_append(binds, pat);
      sep = " OR ";
    }
    if (strcmp(sep, " OR ") == 0) buf_puts(b, ")");
    json_decref(pat);
  }
  scope_clause(b, binds, r, scope_unit);
}

/* Appends the binds of src to dst. */
static void binds_extend(json_t *dst, json_t *src) {
  size_t i;
  json_t *v;
  json_array_foreach(src, i, v) json_array_append(dst, v);
}

/* The co-owned projects of a unit, besides those it leads (a project's lead unit may also
 * be listed among its co-owners). */
#define CO_OWNED " AND id IN (SELECT project_id FROM project_units WHERE unit_id = ?) AND lead_unit_id <> ?"

/* The SELECT of a list's rows in its order, without LIMIT: SQL into sql, its binds
 * appended to binds. A unit's projects are those it leads and those it co-owns. Asked as
 * one OR, every such row is fetched to be sorted; asked as two halves merged in order
 * (UNION ALL), the lead half walks the (lead_unit_id, planned_investment) index and stops
 * at the page, so a unit's first page costs about a page of rows, not all of them. */
static void rows_query(Buf *sql, json_t *binds, const Resource *r, const ListParams *p, int64_t parent_id,
                       int64_t scope_unit) {
  Buf where;
  buf_init(&where, 0);
  json_t *wb = json_array(), *u = json_integer(scope_unit);
  int halves = r->scope == SCOPE_PROJECT && scope_unit;
  where_clause(&where, wb, r, p, parent_id, halves ? 0 : scope_unit, 1);
  const char *w = where.data ? where.data : "";
  const char *visible = halves && r->unit_visible_when ? r->unit_visible_when : "1=1";
  select_list(sql, r);
  buf_puts(sql, w);
  binds_extend(binds, wb);
  if (halves) {
    buf_printf(sql, " AND lead_unit_id = ? AND (%s) UNION ALL ", visible);
    json_array_append(binds, u);
    select_list(sql, r);
    buf_printf(sql, "%s" CO_OWNED " AND (%s)", w, visible);
    binds_extend(binds, wb);
    json_array_append(binds, u);
    json_array_append(binds, u);
  }
  /* id breaks ties so paging is stable. Empty values sort first ascending, as SQLite does
   * by default (PostgreSQL puts them last unless told). */
  if (p->sort)
    buf_printf(sql, " ORDER BY %s %s, id %s", sort_key(r, p->sort), p->desc ? "DESC NULLS LAST" : "ASC NULLS FIRST",
               p->desc ? "DESC" : "ASC");
  else buf_printf(sql, " ORDER BY id %s", p->desc ? "DESC" : "ASC");
  json_decref(u);
  json_decref(wb);
  buf_free(&where);
}

/* Counts p's list into *total and leaves *page prepared and bound: the page p asks for.
 * A page nearer the end than the start is read from the end, in the opposite order (the
 * caller turns it round when *reversed): an index walked from either end reaches the last
 * page as fast as the first, and OFFSET never steps over more than half the list. The
 * statement belongs to the connection's cache (not freed). */
static int list_prepare(Db *db, const Resource *r, const ListParams *p_in, int64_t parent_id, int64_t scope_unit,
                        int64_t *total, DbStmt **page, int *reversed, HzErr *e) {
  *total = 0;
  *page = NULL;
  *reversed = 0;
  ListParams back = *p_in;
  const ListParams *p = p_in;
  Buf sql, where;
  buf_init(&sql, 0);
  buf_init(&where, 0);
  json_t *binds = json_array(), *page_binds = json_array();
  int halves = r->scope == SCOPE_PROJECT && scope_unit; /* rows_query says why */
  where_clause(&where, binds, r, p, parent_id, halves ? 0 : scope_unit, 0);
  const char *w = where.data ? where.data : "";
  const char *visible = halves && r->unit_visible_when ? r->unit_visible_when : "1=1";
  json_t *u = json_integer(scope_unit);
  int rc = HZ_OK, s;

  if (halves) {
    buf_printf(&sql, "SELECT (SELECT COUNT(*) FROM %s WHERE 1=1%s AND lead_unit_id = ? AND (%s))"
                     " + (SELECT COUNT(*) FROM %s WHERE 1=1%s" CO_OWNED " AND (%s))",
               r->table, w, visible, r->table, w, visible);
    binds_extend(page_binds, binds);
    json_array_append(page_binds, u);
    binds_extend(page_binds, binds);
    json_array_append(page_binds, u);
    json_array_append(page_binds, u);
  } else {
    buf_printf(&sql, "SELECT COUNT(*) FROM %s WHERE 1=1%s", r->table, w);
    binds_extend(page_binds, binds);
  }
  DbStmt *st = db_prepare(db, sql.data, e);
  if (!st) {
    rc = e->rc;
    goto done;
  }
  bind_all(st, page_binds);
  if ((s = db_step(db, st, e)) < 0) {
    rc = -s;
    goto done;
  }
  *total = db_col_int(st, 0);
  db_reset(st);
  /* rows after the page (a page as long as the table, record_list_all's, is read forward) */
  int64_t tail = p->limit < LIST_LIMIT_MAX * 2 ? *total - p->offset - p->limit : INT64_MAX;
  if (p->offset > tail && p->offset > 0) {
    back.desc = !p->desc;
    back.offset = tail > 0 ? tail : 0;
    back.limit = tail >= 0 ? p->limit : p->limit + tail > 0 ? p->limit + tail : 0;
    p = &back;
    *reversed = 1;
  }

  buf_reset(&sql);
  json_array_clear(page_binds);
  rows_query(&sql, page_binds, r, p, parent_id, scope_unit);
  buf_puts(&sql, " LIMIT ? OFFSET ?");
  json_array_append_new(page_binds, json_integer(p->limit));
  json_array_append_new(page_binds, json_integer(p->offset));
  st = db_prepare(db, sql.data, e);
  if (!st) {
    rc = e->rc;
    goto done;
  }
  bind_all(st, page_binds);
  *page = st;
done:
  json_decref(u);
  json_decref(binds);
  json_decref(page_binds);
  buf_free(&sql);
  buf_free(&where);
  return rc;
}

int record_store_list(Db *db, const Resource *r, const ListParams *p, int64_t parent_id, int64_t scope_unit,
                      json_t **items, int64_t *total, HzErr *e) {
  *items = json_array();
  DbStmt *st = NULL;
  int reversed, rc = list_prepare(db, r, p, parent_id, scope_unit, total, &st, &reversed, e), s;
  if (rc) return rc;
  while ((s = db_step(db, st, e)) == DB_ROW) {
    if (reversed) json_array_insert_new(*items, 0, row_json(r, st));
    else json_array_append_new(*items, row_json(r, st));
  }
  if (s < 0) return -s;
  rc = load_links_all(db, r, *items, e);
  return rc ? rc : record_store_derived(db, r, *items, p->writer, e);
}

/* ---- the list as JSON text, written straight from the rows ----
 * Building a jansson object per row and serialising it cost most of a fresh list answer;
 * this writes the same bytes (row_json's keys, order and values; http/ then sends them
 * as they are). test_list_text compares the two for every collection. */

/* One column's value as row_json gives it. */
static int col_text(Buf *b, const Field *f, DbStmt *st, int col) {
  char t[24];
  if (db_col_is_null(st, col)) return buf_append(b, "null", 4);
  switch (f->type) {
  case FT_BOOL:
    return db_col_int(st, col) ? buf_append(b, "true", 4) : buf_append(b, "false", 5);
  case FT_INT:
  case FT_MONEY:
  case FT_REF:
    return buf_append(b, t, (size_t)snprintf(t, sizeof t, "%lld", (long long)db_col_int(st, col)));
  case FT_JSON: {
    json_t *v = json_loads(db_col_text(st, col), 0, NULL);
    int rc = v ? json_text_append(b, v) : buf_append(b, "null", 4);
    json_decref(v);
    return rc;
  }
  default:
    return json_text_db_string(b, db_col_text(st, col));
  }
}

/* ,"key": */
static int key_text(Buf *b, const char *key, int first) {
  int rc = first ? HZ_OK : buf_append(b, ",", 1);
  if (!rc) rc = json_text_string(b, key, strlen(key));
  return rc ? rc : buf_append(b, ":", 1);
}

/* The row as row_json gives it, without its closing brace (its links follow). */
static int row_text(Buf *b, const Resource *r, DbStmt *st) {
  char t[48];
  int rc = buf_append(b, t, (size_t)snprintf(t, sizeof t, "{\"id\":%lld,\"version\":%lld", (long long)db_col_int(st, 0),
                                             (long long)db_col_int(st, 1)));
  /* json_object_set_new leaves out a key whose string jansson refused. */
  static const char *const stamps[] = {"created_at", "updated_at"};
  for (int i = 0; i < 2 && !rc; i++) {
    const char *v = db_col_text(st, 2 + i);
    if (v && utf8_valid(v, strlen(v))) rc = key_text(b, stamps[i], 0) || json_text_string(b, v, strlen(v));
  }
  int col = 4;
  for (const Field *f = r->fields; f->name && !rc; f++) {
    if (!is_column(f) || (f->flags & FF_SECRET)) continue;
    rc = key_text(b, f->name, 0);
    if (!rc) rc = col_text(b, f, st, col);
    col++;
  }
  return rc ? HZ_ENOMEM : HZ_OK;
}

typedef struct {
  int64_t id;
  size_t row;
} IdRow;

static int idrow_cmp(const void *a, const void *b) {
  const IdRow *x = a, *y = b;
  return (x->id > y->id) - (x->id < y->id);
}

/* The rows of a page (ids in page order) sorted by id, for id_row; NULL when out of memory. */
static IdRow *id_rows(const int64_t *ids, size_t n) {
  IdRow *by_id = malloc((n ? n : 1) * sizeof *by_id);
  if (!by_id) return NULL;
  for (size_t i = 0; i < n; i++) by_id[i] = (IdRow){ids[i], i};
  qsort(by_id, n, sizeof *by_id, idrow_cmp);
  return by_id;
}

/* The page row of record id, or NULL when it is not on the page. */
static const IdRow *id_row(const IdRow *by_id, size_t n, int64_t id) {
  IdRow key = {id, 0};
  return bsearch(&key, by_id, n, sizeof *by_id, idrow_cmp);
}

/* The link arrays of a page of n rows (ids in page order): for link field k and row i,
 * the text [a,b,…] is links->data[span[2*(k*n+i)] .. span[2*(k*n+i)+1]) (empty span: []). */
static int links_text(Db *db, const Resource *r, const int64_t *ids, size_t n, Buf *links, size_t *span, HzErr *e) {
  IdRow *by_id = id_rows(ids, n);
  if (!by_id) return hz_fail(e, HZ_ENOMEM, NULL, "内存不足");
  int rc = HZ_OK, k = 0;
  for (const Field *f = r->fields; f->name && !rc; f++) {
    if (f->type != FT_LINKS || (f->flags & FF_VIRTUAL)) continue;
    size_t *sp = span + 2 * (size_t)k * n;
    k++;
    DbStmt *st = links_stmt(db, r, f, n, e);
    if (!st) {
      rc = e->rc;
      break;
    }
    for (size_t i = 0; i < n; i++) db_bind_int(st, (int)i + 1, ids[i]);
    int s;
    int64_t cur = 0;
    size_t row = 0;
    while ((s = db_step(db, st, e)) == DB_ROW) {
      int64_t self = db_col_int(st, 0);
      char t[24];
      if (!cur || self != cur) {
        const IdRow *hit = id_row(by_id, n, self);
        if (!hit) continue;
        cur = self;
        row = hit->row;
        sp[2 * row] = links->len;
      } else if (buf_append(links, ",", 1)) rc = HZ_ENOMEM;
      if (buf_append(links, t, (size_t)snprintf(t, sizeof t, "%lld", (long long)db_col_int(st, 1)))) rc = HZ_ENOMEM;
      sp[2 * row + 1] = links->len;
    }
    if (s < 0) rc = -s;
    else if (rc) rc = hz_fail(e, HZ_ENOMEM, NULL, "内存不足");
  }
  free(by_id);
  return rc;
}

/* The derived fields shown to the reader (writer: record_store_derived), as the text
 * ,"key":value… that follows a row's links: for row i of a page of n rows (ids in page
 * order) it is text->data[span[2*i] .. span[2*i+1]), or *nulls (every field null) when
 * the span is empty (no row for it: never logged in, say). */
static int derived_text(Db *db, const Resource *r, const int64_t *ids, size_t n, int writer, Buf *text, size_t *span,
                        Buf *nulls, HzErr *e) {
  int bad = 0, s;
  for (const Field *f = r->fields; f->name; f++)
    if (derived_shown(f, writer)) bad |= key_text(nulls, f->name, 0) || buf_append(nulls, "null", 4);
  IdRow *by_id = id_rows(ids, n);
  DbStmt *st = by_id && !bad ? derived_stmt(db, r, n, e) : NULL;
  if (!st) {
    free(by_id);
    return by_id && !bad ? e->rc : hz_fail(e, HZ_ENOMEM, NULL, "内存不足");
  }
  for (size_t i = 0; i < n; i++) db_bind_int(st, (int)i + 1, ids[i]);
  while ((s = db_step(db, st, e)) == DB_ROW) {
    const IdRow *hit = id_row(by_id, n, db_col_int(st, 0));
    if (!hit) continue;
    span[2 * hit->row] = text->len;
    int col = 1;
    for (const Field *f = r->fields; f->name; f++) {
      if (!is_derived(f)) continue;
      if (derived_shown(f, writer)) bad |= key_text(text, f->name, 0) || col_text(text, f, st, col);
      col++;
    }
    span[2 * hit->row + 1] = text->len;
  }
  free(by_id);
  if (s < 0) return -s;
  return bad ? hz_fail(e, HZ_ENOMEM, NULL, "内存不足") : HZ_OK;
}

int record_store_list_text(Db *db, const Resource *r, const ListParams *p, int64_t parent_id, int64_t scope_unit,
                           Buf *out, int64_t *total, HzErr *e) {
  DbStmt *st = NULL;
  int reversed, rc = list_prepare(db, r, p, parent_id, scope_unit, total, &st, &reversed, e), s = DB_DONE;
  if (rc) return rc;
  /* A resource that adds derived values to each record: its rows go through row_json. */
  if (r->decorate) {
    json_t *items = json_array();
    while ((s = db_step(db, st, e)) == DB_ROW) {
      if (reversed) json_array_insert_new(items, 0, row_json(r, st));
      else json_array_append_new(items, row_json(r, st));
    }
    rc = s < 0 ? -s : load_links_all(db, r, items, e);
    if (!rc) rc = record_store_derived(db, r, items, p->writer, e);
    if (!rc && json_text_append(out, items)) rc = hz_fail(e, HZ_ENOMEM, NULL, "内存不足");
    json_decref(items);
    return rc;
  }
  Buf rows, links, derived, nulls;
  buf_init(&rows, 0);
  buf_init(&links, 0);
  buf_init(&derived, 0);
  buf_init(&nulls, 0);
  size_t n = 0, cap = 0, nlinks = 0, *ends = NULL, *span = NULL, *dspan = NULL;
  int64_t *ids = NULL;
  for (const Field *f = r->fields; f->name; f++) nlinks += f->type == FT_LINKS && !(f->flags & FF_VIRTUAL);
  while (!rc && (s = db_step(db, st, e)) == DB_ROW) {
    if (n == cap) {
      cap = cap ? 2 * cap : 64;
      int64_t *ni = realloc(ids, cap * sizeof *ids);
      if (ni) ids = ni;
      size_t *ne = ni ? realloc(ends, cap * sizeof *ends) : NULL;
      if (ne) ends = ne;
      if (!ni || !ne) {
        rc = hz_fail(e, HZ_ENOMEM, NULL, "内存不足");
        break;
      }
    }
    ids[n] = db_col_int(st, 0);
    if (row_text(&rows, r, st)) rc = hz_fail(e, HZ_ENOMEM, NULL, "内存不足");
    ends[n++] = rows.len;
  }
  if (!rc && s < 0) rc = -s;
  if (s == DB_ROW) db_reset(st);
  if (!rc && nlinks && n) {
    span = calloc(2 * nlinks * n, sizeof *span);
    rc = span ? links_text(db, r, ids, n, &links, span, e) : hz_fail(e, HZ_ENOMEM, NULL, "内存不足");
  }
  if (!rc && n && derived_source(r) >= 0) {
    dspan = calloc(2 * n, sizeof *dspan);
    rc = dspan ? derived_text(db, r, ids, n, p->writer, &derived, dspan, &nulls, e)
               : hz_fail(e, HZ_ENOMEM, NULL, "内存不足");
  }
  int bad = rc ? 0 : buf_append(out, "[", 1);
  for (size_t i = 0; i < n && !rc && !bad; i++) {
    size_t j = reversed ? n - 1 - i : i, from = j ? ends[j - 1] : 0;
    if (i) bad |= buf_append(out, ",", 1);
    bad |= buf_append(out, rows.data + from, ends[j] - from);
    int k = 0;
    for (const Field *f = r->fields; f->name; f++) {
      if (f->type != FT_LINKS || (f->flags & FF_VIRTUAL)) continue;
      size_t *sp = span + 2 * ((size_t)k++ * n + j);
      bad |= key_text(out, f->name, 0) || buf_append(out, "[", 1) ||
             buf_append(out, links.data + sp[0], sp[1] - sp[0]) || buf_append(out, "]", 1);
    }
    if (dspan && dspan[2 * j + 1] > dspan[2 * j])
      bad |= buf_append(out, derived.data + dspan[2 * j], dspan[2 * j + 1] - dspan[2 * j]);
    else if (dspan) bad |= buf_append(out, nulls.data ? nulls.data : "", nulls.len);
    bad |= buf_append(out, "}", 1);
  }
  if (!rc && !bad) bad = buf_append(out, "]", 1);
  if (!rc && bad) rc = hz_fail(e, HZ_ENOMEM, NULL, "内存不足");
  free(ids);
  free(ends);
  free(span);
  free(dspan);
  buf_free(&rows);
  buf_free(&links);
  buf_free(&derived);
  buf_free(&nulls);
  return rc;
}

/* Rows are handed over in batches of this many, each with its links loaded in one query
 * per link field: memory stays at one batch whatever the list's length. */
#define EACH_BATCH 500

static int each_flush(Db *db, const Resource *r, json_t *batch, RecordEachFn fn, void *ctx, HzErr *e) {
  int rc = load_links_all(db, r, batch, e);
  size_t i;
  json_t *item;
  json_array_foreach(batch, i, item) {
    if (rc) break;
    rc = fn(ctx, item, e);
  }
  json_array_clear(batch);
  return rc;
}

int record_store_each(Db *db, const Resource *r, const ListParams *p, int64_t parent_id, int64_t scope_unit,
                      RecordEachFn fn, void *ctx, HzErr *e) {
  Buf sql;
  buf_init(&sql, 0);
  json_t *binds = json_array(), *batch = json_array();
  rows_query(&sql, binds, r, p, parent_id, scope_unit);
  int rc = HZ_OK, s = DB_DONE;
  /* The statement is SQL no callback runs (a cached statement prepared again is reset). */
  DbStmt *st = db_prepare(db, sql.data, e);
  if (!st) {
    rc = e->rc;
    goto done;
  }
  bind_all(st, binds);
  db_chunked(st); /* an export of a province: rows a chunk at a time, not all at once */
  while (!rc && (s = db_step(db, st, e)) == DB_ROW) {
    json_array_append_new(batch, row_json(r, st));
    if (json_array_size(batch) == EACH_BATCH) rc = each_flush(db, r, batch, fn, ctx, e);
  }
  if (!rc && s < 0) rc = -s;
  if (!rc) rc = each_flush(db, r, batch, fn, ctx, e);
  db_reset(st);
done:
  json_decref(binds);
  json_decref(batch);
  buf_free(&sql);
  return rc;
}

int record_store_key(Db *db, const Resource *r, int64_t id, const char *column, int64_t scope_unit, char *out,
                     size_t n, HzErr *e) {
  Buf b;
  buf_init(&b, 0);
  json_t *binds = json_array();
  buf_printf(&b, "SELECT %s FROM %s WHERE id = ?", column, r->table);
  json_array_append_new(binds, json_integer(id));
  scope_clause(&b, binds, r, scope_unit);
  out[0] = 0;
  DbStmt *st = db_prepare(db, b.data, e);
  buf_free(&b);
  if (st) bind_all(st, binds);
  json_decref(binds);
  if (!st) return e->rc;
  int s = db_step(db, st, e);
  if (s < 0) return -s;
  int found = s == DB_ROW;
  if (found) snprintf(out, n, "%s", db_col_text(st, 0) ? db_col_text(st, 0) : "");
  db_reset(st);
  return found ? HZ_OK : HZ_ENOTFOUND;
}

/* fresh: id was just given to a new record, which has no links yet (nothing to delete). */
static int write_links(Db *db, const Resource *r, int64_t id, json_t *values, int fresh, HzErr *e) {
  for (const Field *f = r->fields; f->name; f++) {
    json_t *arr = json_object_get(values, f->name);
    if (f->type != FT_LINKS || (f->flags & FF_VIRTUAL) || !arr) continue;
    char sql[256];
    DbStmt *st;
    int rc;
    if (!fresh) {
      snprintf(sql, sizeof sql, "DELETE FROM %s WHERE %s = ?", f->link_table, f->link_self);
      if (!(st = db_prepare(db, sql, e))) return e->rc;
      db_bind_int(st, 1, id);
      if ((rc = db_run(db, st, e))) return rc;
    }
    snprintf(sql, sizeof sql, "INSERT INTO %s (%s, %s) VALUES (?, ?)", f->link_table, f->link_self, f->link_other);
    size_t i;
    json_t *v;
    json_array_foreach(arr, i, v) {
      if (!(st = db_prepare(db, sql, e))) return e->rc;
      db_bind_int(st, 1, id);
      db_bind_int(st, 2, json_integer_value(v));
      if ((rc = db_run(db, st, e))) return rc;
    }
  }
  return HZ_OK;
}

/* Words a broken unique key for users: db/ names its column (db_step), this names the
 * field by its label; a key with no column of this resource is named by the resource. */
static int write_failed(const Resource *r, int rc, HzErr *e) {
  if (rc != HZ_ECONFLICT || !e) return rc;
  const char *column = e->fields ? json_object_iter_key(json_object_iter(e->fields)) : NULL;
  char field[64] = "";
  if (column) snprintf(field, sizeof field, "%s", column);
  hz_err_clear(e);
  const Field *f = field[0] ? resource_field(r, field) : NULL;
  if (f) return hz_fail(e, HZ_ECONFLICT, field, "已存在相同%s的%s", f->label, r->label);
  return hz_fail(e, HZ_ECONFLICT, NULL, "已存在相同的%s", r->label);
}

/* A new reference to the value as it is bound: JSON fields as their compact text. */
static json_t *bindable(const Field *f, json_t *v) {
  if (f->type != FT_JSON || json_is_null(v)) return json_incref(v);
  char *text = json_dumps(v, JSON_COMPACT | JSON_SORT_KEYS);
  json_t *s = json_string(text ? text : "null");
  free(text);
  return s;
}

/* Which columns of r values sets, one bit per field (its index); 0 when r has more fields
 * than bits (then nothing is kept: the statement is built each time). */
static uint64_t set_columns(const Resource *r, json_t *values) {
  uint64_t bits = 0;
  int i = 0;
  for (const Field *f = r->fields; f->name; f++, i++) {
    if (!is_column(f) || !json_object_get(values, f->name)) continue;
    if (i >= 63) return 0;
    bits |= 1ull << i;
  }
  return bits | 1ull << 63; /* nonzero even when no column is set */
}

int record_store_insert(Db *db, const Resource *r, json_t *values, int64_t *id, HzErr *e) {
  char now[TIMESTAMP_LEN];
  time_now_iso(now);
  Buf cols, qs;
  buf_init(&cols, 0);
  buf_init(&qs, 0);
  json_t *binds = json_pack("[s s s]", r->name, now, now);
  uint64_t set = set_columns(r, values);
  const char *sql = set ? sql_find(r, SQL_INSERT, set) : NULL;
  if (!sql) {
    buf_printf(&cols, "INSERT INTO %s (id, created_at, updated_at", r->table);
    buf_printf(&qs, ") VALUES (" RECORD_STORE_NEXT_ID("%s", "?") ", ?, ?", r->table);
  }
  for (const Field *f = r->fields; f->name; f++) {
    json_t *v = json_object_get(values, f->name);
    if (!v || !is_column(f)) continue;
    if (!sql) {
      buf_printf(&cols, ", %s", f->name);
      buf_puts(&qs, ", ?");
    }
    json_array_append_new(binds, bindable(f, v));
  }
  if (!sql) {
    buf_puts(&qs, ") RETURNING id");
    buf_puts(&cols, qs.data);
    sql = set ? sql_keep(r, SQL_INSERT, set, &cols) : cols.data;
  }
  int rc = HZ_OK;
  DbStmt *st = sql == cols.data ? db_prepare(db, sql, e) : db_prepare_kept(db, sql, e);
  if (!st) rc = e->rc;
  else {
    bind_all(st, binds);
    rc = db_run_returning(db, st, id, e);
  }
  if (!rc) rc = write_links(db, r, *id, values, 1, e);
  json_decref(binds);
  buf_free(&cols);
  buf_free(&qs);
  return write_failed(r, rc, e);
}

int record_store_update(Db *db, const Resource *r, int64_t id, int64_t version, json_t *values, HzErr *e) {
  char now[TIMESTAMP_LEN];
  time_now_iso(now);
  Buf b;
  buf_init(&b, 0);
  json_t *binds = json_pack("[s]", now);
  uint64_t set = set_columns(r, values);
  const char *sql = set ? sql_find(r, SQL_UPDATE, set) : NULL;
  if (!sql) buf_printf(&b, "UPDATE %s SET version = version + 1, updated_at = ?", r->table);
  for (const Field *f = r->fields; f->name; f++) {
    json_t *v = json_object_get(values, f->name);
    if (!v || !is_column(f)) continue;
    if (!sql) buf_printf(&b, ", %s = ?", f->name);
    json_array_append_new(binds, bindable(f, v));
  }
  if (!sql) {
    buf_puts(&b, " WHERE id = ? AND version = ?");
    sql = set ? sql_keep(r, SQL_UPDATE, set, &b) : b.data;
  }
  json_array_append_new(binds, json_integer(id));
  json_array_append_new(binds, json_integer(version));
  int rc = HZ_OK;
  DbStmt *st = sql == b.data ? db_prepare(db, sql, e) : db_prepare_kept(db, sql, e);
  if (!st) rc = e->rc;
  else {
    bind_all(st, binds);
    rc = write_failed(r, db_run(db, st, e), e);
  }
  if (!rc && db_changes(db) == 0)
    rc = hz_fail(e, HZ_ECONFLICT, "version", "%s已被他人修改，请刷新后重试", r->label);
  if (!rc) rc = write_failed(r, write_links(db, r, id, values, 0, e), e);
  json_decref(binds);
  buf_free(&b);
  return rc;
}

int record_store_delete(Db *db, const Resource *r, int64_t id, HzErr *e) {
  char sql[256];
  int rc = HZ_OK;
  for (const Field *f = r->fields; f->name && !rc; f++) {
    if (f->type != FT_LINKS || (f->flags & FF_VIRTUAL)) continue;
    snprintf(sql, sizeof sql, "DELETE FROM %s WHERE %s = ?", f->link_table, f->link_self);
    DbStmt *st = db_prepare(db, sql, e);
    if (!st) return e->rc;
    db_bind_int(st, 1, id);
    rc = db_run(db, st, e);
  }
  if (rc) return rc;
  snprintf(sql, sizeof sql, "DELETE FROM %s WHERE id = ?", r->table);
  DbStmt *st = db_prepare(db, sql, e);
  if (!st) return e->rc;
  db_bind_int(st, 1, id);
  rc = db_run(db, st, e);
  if (rc == HZ_EINVAL) {
    hz_err_clear(e);
    rc = hz_fail(e, HZ_ECONFLICT, NULL, "该%s仍被其他记录引用，不能删除", r->label);
  }
  return rc;
}

int record_store_exists(Db *db, const Resource *r, int64_t id, int64_t scope_unit) {
  Buf b;
  buf_init(&b, 0);
  int kind = scope_unit ? SQL_EXISTS_SCOPED : SQL_EXISTS;
  const char *sql = sql_find(r, kind, 0);
  if (!sql) {
    json_t *scratch = json_array();
    buf_printf(&b, "SELECT 1 FROM %s WHERE id = ?", r->table);
    scope_clause(&b, scratch, r, scope_unit ? 1 : 0);
    json_decref(scratch);
    sql = sql_keep(r, kind, 0, &b);
  }
  DbStmt *st = sql == b.data ? db_prepare(db, sql, NULL) : db_prepare_kept(db, sql, NULL);
  int found = 0;
  if (st) {
    db_bind_int(st, 1, id);
    for (int i = 0; scope_unit && i < scope_binds(r); i++) db_bind_int(st, 2 + i, scope_unit);
    found = db_step(db, st, NULL) == DB_ROW;
    db_reset(st);
  }
  buf_free(&b);
  return found;
}

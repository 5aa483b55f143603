/* Spreadsheet imports: header mapping, cell conversion, natural keys, the all-or-nothing
 * transaction, the error report and the templates (importer.h). */
#include "domain/importer.h"
#include "domain/record.h"
#include "domain/resource.h"
#include "io/cell.h"
#include "io/table.h"
#include "io/xlsx_write.h"
#include "store/auth_store.h"
#include "store/import_store.h"
#include "util/buf.h"
#include "util/text.h"
#include "util/timeutil.h"
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const importer_kinds[] = {"units", "users", "targets", "projects", "follow-ups", "funds", NULL};

/* A kind: its collection, the fields a file may carry (template order), the key columns a
 * file must have, and who may import it. */
typedef struct {
  const char *kind;
  const char *sheet;
  const char *const *cols;
  const char *const *keys;
  unsigned roles;
} Kind;

static const char *const unit_cols[] = {"name", "short_name", "category", "head_user_id", "deputy_user_id",
                                        "phone", "note", NULL};
static const char *const unit_keys[] = {"name", NULL};
static const char *const user_cols[] = {"login", "name", "role", "unit_id", "section_id", "title",
                                        "phone", "disabled", "password", NULL};
static const char *const user_keys[] = {"login", NULL};
static const char *const target_cols[] = {"campaign_id", "scope", "unit_id", "section_id", "user_id",
                                          "metric", "value", NULL};
static const char *const target_keys[] = {"unit_id", "metric", NULL};
static const char *const project_cols[] = {"campaign_id", "name", "lead_unit_id", "co_unit_ids",
                                           "responsible_user_id", "source_user_id", "source_name", "investor_id",
                                           "category", "method", "planned_investment", "event_id", "description",
                                           "lead_date", NULL};
static const char *const project_keys[] = {"name", NULL};
static const char *const follow_up_cols[] = {"campaign_id", "unit_id", "project_id", "date", "kind",
                                             "participant_user_ids", "outside_participants", "summary",
                                             "next_step", "next_date", NULL};
static const char *const follow_up_keys[] = {"project_id", "date", "kind", "summary", NULL};
static const char *const fund_cols[] = {"campaign_id", "unit_id", "project_id", "amount", "date", "kind",
                                        "voucher_no", "note", NULL};
static const char *const fund_keys[] = {"project_id", "date", "amount", NULL};

static const Kind kinds[] = {
  {"units", "单位", unit_cols, unit_keys, ROLES_CENTRAL},
  {"users", "用户", user_cols, user_keys, ROLES_CENTRAL},
  {"targets", "目标任务", target_cols, target_keys, ROLES_CENTRAL},
  {"projects", "项目", project_cols, project_keys, ROLES_CENTRAL | ROLES_UNIT},
  {"follow-ups", "跟踪洽谈记录", follow_up_cols, follow_up_keys, ROLES_CENTRAL | ROLES_UNIT},
  {"funds", "到账资金", fund_cols, fund_keys, ROLES_CENTRAL | ROLES_UNIT},
};
#define NKINDS (sizeof kinds / sizeof kinds[0])

static const Kind *kind_find(const char *name) {
  for (size_t i = 0; name && i < NKINDS; i++)
    if (!strcmp(kinds[i].kind, name)) return &kinds[i];
  return NULL;
}

int importer_check(const Actor *a, const char *kind, HzErr *e) {
  const Kind *k = kind_find(kind);
  if (!k) return hz_fail(e, HZ_EINVAL, "kind", "不支持导入“%s”，可导入：units、users、targets、projects、follow-ups、funds",
                         kind ? kind : "");
  const Resource *r = resource_find(k->kind);
  if (!(k->roles & r->write_roles & a->role))
    return hz_fail(e, HZ_EFORBIDDEN, "kind", "角色“%s”无权导入%s", role_name(a->role), r->label);
  return HZ_OK;
}

/* ---- headers ---- */

/* "参与单位（联合招商）" -> "参与单位" into out. */
static void label_short(const char *label, char *out, size_t n) {
  snprintf(out, n, "%s", label);
  char *p = strstr(out, "（");
  if (p && p != out) *p = 0;
}

/* loose=0: the label or the name exactly; loose=1: also the label without its note, a
 * money label with （元） after it, and the name without _id/_ids (tried only when no
 * field matches exactly: 信息提供人 is source_user_id, not 信息提供人（系统外）). */
static int header_is(const Field *f, const char *h, int loose) {
  char s[256];
  size_t n = strlen(f->name);
  if (!strcmp(h, f->name) || !strcmp(h, f->label)) return 1;
  if (!loose) return 0;
  label_short(f->label, s, sizeof s);
  if (!strcmp(h, s)) return 1;
  /* an amount's unit written out: 到账金额（元） (not 万元: that column stays unknown) */
  size_t ls = strlen(s);
  if (f->type == FT_MONEY && !strncmp(h, s, ls) && !strcmp(h + ls, "（元）")) return 1;
  /* lead_unit for lead_unit_id, co_units for co_unit_ids */
  if (n > 3 && !strcmp(f->name + n - 3, "_id") && strlen(h) == n - 3 && !strncmp(h, f->name, n - 3)) return 1;
  if (n > 4 && !strcmp(f->name + n - 4, "_ids") && strlen(h) == n - 3 && !strncmp(h, f->name, n - 4) && h[n - 4] == 's')
    return 1;
  return 0;
}

/* Trims ASCII white space and U+3000 (ideographic space) at both ends, in place. */
static char *trim(char *s) {
  for (;;) {
    if (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n') s++;
    else if (!strncmp(s, "\xe3\x80\x80", 3)) s += 3;
    else break;
  }
  size_t n = strlen(s);
  for (;;) {
    if (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' || s[n - 1] == '\n')) s[--n] = 0;
    else if (n >= 3 && !strncmp(s + n - 3, "\xe3\x80\x80", 3)) s[n -= 3] = 0;
    else break;
  }
  return s;
}

/* The header as it is matched: ASCII brackets become the full-width ones the labels use
 * ("参与单位(联合招商)" typed with an English input method is 参与单位（联合招商）). */
static void header_key(const char *h, char *out, size_t n) {
  size_t o = 0;
  for (; *h && o + 4 < n; h++) {
    const char *full = *h == '(' ? "（" : *h == ')' ? "）" : NULL;
    if (full) {
      memcpy(out + o, full, 3);
      o += 3;
    } else out[o++] = *h;
  }
  out[o] = 0;
}

/* ---- one import ---- */

typedef struct {
  Db *db;
  const Actor *a;
  const Kind *k;
  const Resource *r;
  const ImportOpts *o;
  size_t ncols;              /* the header's width */
  const Field **field;       /* per column: the field it carries, or NULL (ignored) */
  char **header;             /* per column: the header as in the file */
  int64_t campaign_default;
  json_t *result, *errors, *items;
  /* follow-ups, funds: how many earlier rows of the file had each natural key. Their keys
   * need not be unique (two calls on one day with one summary), so the n-th row with a key
   * is the n-th stored record with it: a round trip keeps both, a re-import updates both. */
  json_t *seen;
  int64_t rows, created, updated, unchanged, errors_total;
  /* the row being read */
  const TableRow *row;
  int row_bad;
  /* careful: each row in a nested level of its own, so a row record_write refuses is undone
   * alone and the rows after it are still checked. The check pass runs without (a level
   * per row costs about a tenth of the time); at the first refused row it stops, its batch
   * is rolled back (the file will be rejected anyway) and a careful check starts over.
   * writing: the write pass (after a clean check): a refused row is recorded and stops it. */
  int careful, restart, writing;
  int tentative; /* the check's first batch, written for real (importer_run) */
} Imp;

/* Batches (docs/import.md "All or nothing"): other writers get the database between two.
 * The first batch of each pass is IMPORT_BATCH_ROWS rows (a file of at most that many is
 * written in one transaction); the later ones take rows until IMPORT_BATCH_SECONDS have
 * passed or IMPORT_BATCH_ROWS_MAX rows are in, whichever comes first (the batch's figure
 * refresh and commit come on top, so it holds the lock for a few tenths of a second
 * on an idle machine): a batch holds the write
 * lock about as long on a fast machine as on a loaded one, and a fast import commits (and
 * syncs, and rewrites the B-trees' upper pages in the WAL) a few times a second, not a
 * dozen. */
#define IMPORT_BATCH_ROWS 2000
#define IMPORT_BATCH_ROWS_MAX 20000
#define IMPORT_BATCH_SECONDS 0.2

static int col_of(const Imp *m, const char *field) {
  for (size_t c = 0; c < m->ncols; c++)
    if (m->field[c] && !strcmp(m->field[c]->name, field)) return (int)c;
  return -1;
}

/* Records a bad cell (col -1: a value the file has no column for). */
static void bad(Imp *m, int col, const char *field, const char *msg) {
  m->row_bad = 1;
  m->errors_total++;
  if (json_array_size(m->errors) >= IMPORT_ERRORS_MAX) return;
  json_t *x = json_object();
  json_object_set_new(x, "row", json_integer(m->row->line));
  if (col >= 0) {
    char ref[16];
    table_ref(m->row, (size_t)col, ref, sizeof ref);
    json_object_set_new(x, "column", json_string(m->header[col]));
    json_object_set_new(x, "ref", json_string(ref));
    json_object_set_new(x, "value", json_string(m->row->cells[col]));
  } else {
    const Field *f = field ? resource_field(m->r, field) : NULL;
    json_object_set_new(x, "column", f ? json_string(f->label) : json_null());
    json_object_set_new(x, "ref", json_null());
    json_object_set_new(x, "value", json_null());
  }
  json_object_set_new(x, "field", field ? json_string(field) : json_null());
  json_object_set_new(x, "message", json_string(msg));
  json_array_append_new(m->errors, x);
}

/* bad() with fmt's one "%s" replaced by arg. */
static void badf(Imp *m, int col, const char *field, const char *fmt, const char *arg) {
  Buf b;
  buf_init(&b, 0);
  const char *p = strstr(fmt, "%s");
  buf_append(&b, fmt, p ? (size_t)(p - fmt) : strlen(fmt));
  if (p) buf_printf(&b, "%s%s", arg, p + 2);
  bad(m, col, field, b.data ? b.data : "");
  buf_free(&b);
}

/* "2026/9/5", "2026.09.05", "2026年9月5日", "2026-09-05 00:00:00" -> "2026-09-05". */
static int norm_date(const char *s, char out[DATE_LEN]) {
  int v[3] = {0}, k = 0;
  const char *p = s;
  while (*p && k < 3) {
    if (*p >= '0' && *p <= '9') {
      long x = 0;
      int digits = 0;
      while (*p >= '0' && *p <= '9' && digits < 5) x = x * 10 + (*p++ - '0'), digits++;
      v[k++] = (int)x;
    } else {
      p++;
    }
  }
  if (k < 3 || v[0] < 1900) return HZ_EINVAL;
  /* What follows the day may only be a time of midnight or 日. */
  while (*p == ' ' || !strncmp(p, "日", 3)) p += *p == ' ' ? 1 : 3;
  if (*p && strcmp(p, "00:00:00") && strcmp(p, "0:00:00")) return HZ_EINVAL;
  if (v[0] > 9999 || v[1] > 99 || v[2] > 99) return HZ_EINVAL;
  char d[32];
  snprintf(d, sizeof d, "%04d-%02d-%02d", v[0], v[1], v[2]);
  memcpy(out, d, DATE_LEN - 1);
  out[DATE_LEN - 1] = 0;
  int days;
  return date_parse(out, &days);
}

/* An integer cell: "1,234", "1234.00" and "１２３" are not all fine: digits with optional
 * thousands separators and a zero fraction. */
static int parse_whole(const char *s, int64_t *out) {
  char buf[64];
  size_t n = 0;
  for (const char *p = s; *p; p++) {
    if (*p == ',' && n) continue;
    if (n + 1 >= sizeof buf) return HZ_EINVAL;
    buf[n++] = *p;
  }
  buf[n] = 0;
  char *dot = strchr(buf, '.');
  if (dot) {
    for (char *q = dot + 1; *q; q++)
      if (*q != '0') return HZ_EINVAL;
    *dot = 0;
  }
  return parse_int64(buf, out);
}

static const char *choices_text(const Choice *c, Buf *b) {
  for (int i = 0; c && c[i].code; i++) buf_printf(b, "%s%s", i ? "、" : "", c[i].label);
  return b->data ? b->data : "";
}

/* The id of a record of collection ref named by text (natural key); 0 when none. */
static int ref_lookup(Imp *m, const char *ref, const char *text, json_t *body, int64_t *id, HzErr *e) {
  if (!strcmp(ref, "units")) return import_store_unit(m->db, text, id, e);
  if (!strcmp(ref, "users")) return import_store_user(m->db, text, id, e);
  if (!strcmp(ref, "campaigns")) return import_store_campaign(m->db, text, id, e);
  if (!strcmp(ref, "investors")) return import_store_investor(m->db, text, id, e);
  if (!strcmp(ref, "events")) return import_store_event(m->db, text, id, e);
  if (!strcmp(ref, "sections")) {
    json_t *u = json_object_get(body, "unit_id");
    *id = 0;
    if (!json_is_integer(u) && actor_is_unit(m->a)) return import_store_section(m->db, m->a->unit_id, text, id, e);
    return json_is_integer(u) ? import_store_section(m->db, json_integer_value(u), text, id, e) : HZ_OK;
  }
  *id = 0;
  return HZ_OK;
}

static const char *ref_what(const char *ref) {
  if (!strcmp(ref, "units")) return "找不到名为“%s”的单位";
  if (!strcmp(ref, "users")) return "找不到登录名为“%s”的用户";
  if (!strcmp(ref, "sections")) return "该单位没有名为“%s”的科室";
  if (!strcmp(ref, "campaigns")) return "找不到名为“%s”的会战";
  if (!strcmp(ref, "investors")) return "找不到名为“%s”的客商";
  if (!strcmp(ref, "events")) return "找不到名为“%s”的活动";
  return "找不到“%s”";
}

/* Converts the cell of column c into body[field]; a bad cell is recorded. Empty cells put
 * null (so an update can clear a nullable field) or nothing. Fatal: database errors. */
static int convert(Imp *m, size_t c, json_t *body, int pass_refs, HzErr *e) {
  const Field *f = m->field[c];
  char *copy = strdup(m->row->cells[c]);
  if (!copy) return hz_fail(e, HZ_ENOMEM, NULL, "内存不足");
  char *s = trim(copy);
  int rc = HZ_OK;
  /* pass 0: plain values, 1: references, 2: sections (named within the row's unit) */
  int is_ref = f->type == FT_REF || f->type == FT_LINKS;
  int pass = !is_ref ? 0 : strcmp(f->ref, "sections") ? 1 : 2;
  if (pass != pass_refs) goto done;
  /* A follow-up's or fund's project is named within its unit: locate() finds it. */
  if (is_ref && !strcmp(f->ref, "projects")) goto done;
  if (!*s) {
    if (f->flags & FF_NULLABLE) json_object_set_new(body, f->name, json_null());
    goto done;
  }
  switch (f->type) {
  case FT_TEXT:
    json_object_set_new(body, f->name, json_string(s));
    break;
  case FT_INT:
  case FT_MONEY: {
    int64_t v;
    if (parse_whole(s, &v)) badf(m, (int)c, f->name, f->type == FT_MONEY ? "“%s”不是金额（元，整数）" : "“%s”不是整数", s);
    else json_object_set_new(body, f->name, json_integer(v));
    break;
  }
  case FT_DATE: {
    char d[DATE_LEN];
    if (norm_date(s, d)) badf(m, (int)c, f->name, "“%s”不是日期（应为 YYYY-MM-DD）", s);
    else json_object_set_new(body, f->name, json_string(d));
    break;
  }
  case FT_BOOL:
    if (!strcmp(s, "是") || !strcasecmp(s, "true") || !strcmp(s, "1") || !strcasecmp(s, "y") || !strcasecmp(s, "yes"))
      json_object_set_new(body, f->name, json_true());
    else if (!strcmp(s, "否") || !strcasecmp(s, "false") || !strcmp(s, "0") || !strcasecmp(s, "n") || !strcasecmp(s, "no"))
      json_object_set_new(body, f->name, json_false());
    else badf(m, (int)c, f->name, "“%s”应为“是”或“否”", s);
    break;
  case FT_ENUM: {
    const Choice *ch = choice_find_label(f->choices, s);
    if (!ch) ch = choice_find(f->choices, s);
    if (ch) {
      json_object_set_new(body, f->name, json_string(ch->code));
    } else {
      Buf b, msg;
      buf_init(&b, 0);
      buf_init(&msg, 0);
      buf_printf(&msg, "“%s”不是可选的%s，可选：%s", s, f->label, choices_text(f->choices, &b));
      bad(m, (int)c, f->name, msg.data);
      buf_free(&b);
      buf_free(&msg);
    }
    break;
  }
  case FT_REF: {
    int64_t id = 0;
    if ((rc = ref_lookup(m, f->ref, s, body, &id, e))) goto done;
    if (!id) badf(m, (int)c, f->name, ref_what(f->ref), s);
    else json_object_set_new(body, f->name, json_integer(id));
    break;
  }
  case FT_LINKS: {
    /* Several names in one cell: 、 , ， ; ； or a new line between them. */
    json_t *ids = json_array();
    char *p = s;
    while (*p && !rc) {
      size_t n = 0;
      static const char *const seps[] = {"、", "，", "；", ",", ";", "\n", NULL};
      char *end = NULL;
      for (int i = 0; seps[i]; i++) {
        char *q = strstr(p, seps[i]);
        if (q && (!end || q < end)) end = q, n = strlen(seps[i]);
      }
      if (end) *end = 0;
      char *name = trim(p);
      if (*name) {
        int64_t id = 0;
        if ((rc = ref_lookup(m, f->ref, name, body, &id, e))) break;
        if (!id) badf(m, (int)c, f->name, ref_what(f->ref), name);
        else json_array_append_new(ids, json_integer(id));
      }
      p = end ? end + n : p + strlen(p);
    }
    json_object_set_new(body, f->name, ids);
    break;
  }
  default:
    break;
  }
done:
  free(copy);
  return rc;
}

static int64_t body_id(json_t *body, const char *k) {
  json_t *v = json_object_get(body, k);
  return json_is_integer(v) ? json_integer_value(v) : 0;
}
static const char *body_text(json_t *body, const char *k) { return json_string_value(json_object_get(body, k)); }

/* How many earlier rows of the file had this natural key (see Imp.seen); counts this one. */
__attribute__((format(printf, 2, 3))) static int64_t key_nth(Imp *m, const char *fmt, ...) {
  va_list ap, ap2;
  va_start(ap, fmt);
  va_copy(ap2, ap);
  int n = vsnprintf(NULL, 0, fmt, ap);
  char *key = n < 0 ? NULL : malloc((size_t)n + 1);
  if (key) vsnprintf(key, (size_t)n + 1, fmt, ap2);
  va_end(ap2);
  va_end(ap);
  if (!key) return 0;
  json_t *v = json_object_get(m->seen, key);
  int64_t nth = v ? json_integer_value(v) : 0;
  json_object_set_new(m->seen, key, json_integer(nth + 1));
  free(key);
  return nth;
}

/* Finds the row's parent (targets: campaign; follow-ups, funds: project) and the stored
 * record its natural key names (*id 0: new). A row that cannot be placed is bad. */
static int locate(Imp *m, json_t *body, int64_t *parent, int64_t *id, HzErr *e) {
  const char *kind = m->k->kind;
  *parent = *id = 0;
  int64_t campaign = body_id(body, "campaign_id");
  int has_campaign_col = col_of(m, "campaign_id") >= 0;
  if (!campaign && !(has_campaign_col && json_object_get(body, "campaign_id"))) campaign = m->campaign_default;
  if (!strcmp(kind, "units")) return body_text(body, "name") ? import_store_unit(m->db, body_text(body, "name"), id, e) : HZ_OK;
  if (!strcmp(kind, "users")) return body_text(body, "login") ? import_store_user(m->db, body_text(body, "login"), id, e) : HZ_OK;
  if (!strcmp(kind, "targets") || !strcmp(kind, "projects")) {
    if (!campaign) {
      if (!m->row_bad) bad(m, col_of(m, "campaign_id"), "campaign_id", "请指定会战（“会战”列，或导入时指定 campaign）");
      return HZ_OK;
    }
    if (!strcmp(kind, "projects")) {
      json_object_set_new(body, "campaign_id", json_integer(campaign));
      int64_t lead = body_id(body, "lead_unit_id");
      if (!lead && actor_is_unit(m->a)) lead = m->a->unit_id;
      if (!lead || !body_text(body, "name")) return HZ_OK;
      return import_store_project(m->db, campaign, lead, body_text(body, "name"), id, e);
    }
    *parent = campaign;
    json_object_del(body, "campaign_id");
    const char *scope = body_text(body, "scope") ? body_text(body, "scope") : "campaign";
    if (!body_id(body, "unit_id") || !body_text(body, "metric")) return HZ_OK;
    return import_store_target(m->db, campaign, scope, body_id(body, "unit_id"), body_text(body, "metric"),
                               body_id(body, "section_id"), body_id(body, "user_id"), id, e);
  }
  /* follow-ups, funds: the project by name within its lead unit */
  int pc = col_of(m, "project_id");
  char *name = strdup(m->row->cells[pc]);
  if (!name) return hz_fail(e, HZ_ENOMEM, NULL, "内存不足");
  char *pn = trim(name);
  int64_t lead = body_id(body, "unit_id");
  if (!lead && actor_is_unit(m->a)) lead = m->a->unit_id;
  int rc = HZ_OK;
  if (m->row_bad) ; /* the unit or another locating cell is bad already: said once */
  else if (!*pn) bad(m, pc, "project_id", "必填");
  else if (!lead) {
    if (!json_object_get(body, "unit_id") || json_is_null(json_object_get(body, "unit_id")))
      bad(m, col_of(m, "unit_id"), "unit_id", "请填写项目的牵头单位（“单位”列）");
  } else if (!(rc = import_store_project(m->db, campaign, lead, pn, parent, e)) && !*parent) {
    badf(m, pc, "project_id", "该单位没有名为“%s”的项目", pn);
  }
  free(name);
  json_object_del(body, "campaign_id");
  json_object_del(body, "unit_id");
  json_object_del(body, "project_id");
  if (rc || !*parent || m->row_bad) return rc;
  if (!strcmp(kind, "follow-ups")) {
    if (!body_text(body, "date") || !body_text(body, "kind") || !body_text(body, "summary")) return HZ_OK;
    return import_store_follow_up(m->db, *parent, body_text(body, "date"), body_text(body, "kind"),
                                  body_text(body, "summary"),
                                  key_nth(m, "%lld\x1f%s\x1f%s\x1f%s", (long long)*parent, body_text(body, "date"),
                                          body_text(body, "kind"), body_text(body, "summary")),
                                  id, e);
  }
  if (!body_text(body, "date") || !json_is_integer(json_object_get(body, "amount"))) return HZ_OK;
  const char *voucher = body_text(body, "voucher_no");
  return import_store_fund(m->db, *parent, body_text(body, "date"), body_id(body, "amount"), voucher,
                           key_nth(m, "%lld\x1f%s\x1f%lld\x1f%s", (long long)*parent, body_text(body, "date"),
                                   (long long)body_id(body, "amount"), voucher ? voucher : ""),
                           id, e);
}

/* The errors record_write named, each on its column when the file has one. */
static void row_errors(Imp *m, HzErr *we) {
  const char *k;
  json_t *v;
  if (!json_object_size(we->fields)) {
    bad(m, -1, NULL, we->message[0] ? we->message : "写入失败");
    return;
  }
  json_object_foreach(we->fields, k, v) bad(m, col_of(m, k), k, json_string_value(v));
}

/* The row's natural key as the file writes it ("市商务局 · 签约额"): what the result's
 * items show a person, so a dry run says which records it would create or update. NULL
 * when out of memory. */
static json_t *row_key(const Imp *m) {
  Buf b;
  buf_init(&b, 1000);
  for (const char *const *k = m->k->keys; *k; k++) {
    int c = col_of(m, *k);
    if (c < 0 || !m->row->cells[c][0]) continue;
    if (b.len) buf_puts(&b, " · ");
    buf_puts(&b, m->row->cells[c]); /* past the cap (a huge cell) the key stays as it was */
  }
  json_t *v = json_string(b.data ? b.data : "");
  buf_free(&b);
  return v;
}

static int is_fatal(int rc) { return rc == HZ_EDB || rc == HZ_ENOMEM || rc == HZ_EBUSY || rc == HZ_EIO; }

static int import_row(Imp *m, HzErr *e) {
  int rc = HZ_OK;
  json_t *body = json_object(), *out = NULL, *stored = NULL;
  int64_t parent = 0, id = 0;
  m->row_bad = 0;
  for (int pass = 0; pass < 3 && !rc; pass++)
    for (size_t c = 0; c < m->ncols && !rc; c++)
      if (m->field[c]) rc = convert(m, c, body, pass, e);
  if (rc) goto done;
  if ((rc = locate(m, body, &parent, &id, e)) || m->row_bad) goto done;
  int op = id ? OP_UPDATE : OP_CREATE;
  int64_t version = 0;
  if (id) {
    HzErr re = {0};
    int r = record_read(m->db, m->a, m->r, id, &stored, &re);
    if (r) {
      if (is_fatal(r)) rc = hz_fail(e, r, NULL, "%s", re.message);
      else bad(m, -1, NULL, re.message);
      hz_err_clear(&re);
      goto done;
    }
    version = json_integer_value(json_object_get(stored, "version"));
    json_object_set_new(body, "version", json_integer(version));
    /* What only a new record takes (the key itself among it) stays as stored. */
    for (size_t c = 0; c < m->ncols; c++)
      if (m->field[c] && (m->field[c]->flags & FF_CREATE_ONLY)) json_object_del(body, m->field[c]->name);
    if (!strcmp(m->k->kind, "projects")) json_object_del(body, "campaign_id");
  }
  HzErr we = {0};
  if (m->careful && (rc = db_begin(m->db, e))) goto done;
  int r = record_write(m->db, m->a, m->r, op, id, parent, body, &out, &we);
  if (r) {
    if (m->careful) db_rollback(m->db);
    if (is_fatal(r)) rc = hz_fail(e, r, NULL, "%s", we.message);
    else if (!m->careful && !m->writing) m->restart = 1;
    else row_errors(m, &we);
    hz_err_clear(&we);
    goto done;
  }
  if (m->careful && (rc = db_commit(m->db, e))) {
    db_rollback(m->db);
    goto done;
  }
  /* out is NULL after a change in a check-only batch (record_batch_begin) */
  const char *action = op == OP_CREATE ? "create"
                       : out && json_integer_value(json_object_get(out, "version")) == version ? "unchanged"
                                                                                              : "update";
  if (op == OP_CREATE) m->created++;
  else if (!strcmp(action, "update")) m->updated++;
  else m->unchanged++;
  if (json_array_size(m->items) < IMPORT_ROWS_LISTED) {
    json_t *it = json_pack("{s:I, s:s, s:o*}", "row", (json_int_t)m->row->line, "action", action, "key", row_key(m));
    if (op == OP_UPDATE) json_object_set_new(it, "id", json_integer(id));
    else if ((m->writing || m->tentative) && out) json_object_set(it, "id", json_object_get(out, "id"));
    json_array_append_new(m->items, it);
  }
done:
  json_decref(body);
  json_decref(out);
  json_decref(stored);
  return rc;
}

static int open_table(const ImportOpts *o, Table **t, HzErr *e) {
  TableOpts to = {.filename = o->filename, .sheet = o->sheet, .unguard = 1};
  if (o->path) return table_open_path(o->path, &to, t, e);
  return table_open_mem(o->data, o->len, &to, t, e);
}

/* Maps the header row to fields; unknown columns are ignored, a field twice or a missing
 * key column is an error naming them. */
static int map_header(Imp *m, TableRow *h, HzErr *e) {
  m->ncols = h->ncells;
  m->field = calloc(h->ncells ? h->ncells : 1, sizeof *m->field);
  m->header = calloc(h->ncells ? h->ncells : 1, sizeof *m->header);
  if (!m->field || !m->header) return hz_fail(e, HZ_ENOMEM, NULL, "内存不足");
  json_t *cols = json_array(), *ignored = json_array();
  json_object_set_new(m->result, "columns", cols);
  json_object_set_new(m->result, "ignored_columns", ignored);
  for (size_t c = 0; c < h->ncells; c++) {
    char *copy = strdup(h->cells[c]);
    if (!copy) return hz_fail(e, HZ_ENOMEM, NULL, "内存不足");
    m->header[c] = copy;
    char *s = trim(copy);
    memmove(copy, s, strlen(s) + 1);
    if (!*copy) continue;
    char key[256];
    header_key(copy, key, sizeof key);
    for (int loose = 0; loose < 2 && !m->field[c]; loose++)
      for (const char *const *f = m->k->cols; *f && !m->field[c]; f++) {
        const Field *fd = resource_field(m->r, *f);
        if (fd && header_is(fd, key, loose)) m->field[c] = fd;
      }
    if (!m->field[c]) {
      if (strcmp(copy, IMPORT_NOTE_HEADER)) json_array_append_new(ignored, json_string(copy));
      continue;
    }
    int prev = -1;
    for (size_t d = 0; d < c; d++)
      if (m->field[d] == m->field[c]) prev = (int)d;
    char ref[16];
    cell_ref(c, h->line, ref, sizeof ref);
    if (prev >= 0)
      return hz_fail(e, HZ_EINVAL, m->field[c]->name, "“%s”列出现了两次（%s 与 %s 列）", m->field[c]->label,
                     m->header[prev], copy);
    char col[8];
    cell_col_name(c, col, sizeof col);
    json_array_append_new(cols, json_pack("{s:s, s:s, s:s}", "column", col, "header", copy, "field", m->field[c]->name));
  }
  Buf missing;
  buf_init(&missing, 0);
  for (const char *const *k = m->k->keys; *k; k++)
    if (col_of(m, *k) < 0) {
      const Field *f = resource_field(m->r, *k);
      buf_printf(&missing, "%s%s（%s）", missing.len ? "、" : "", f->label, f->name);
    }
  /* A project's lead unit is the key too, except for a unit user's own projects. */
  if (!actor_is_unit(m->a) && !strcmp(m->k->kind, "projects") && col_of(m, "lead_unit_id") < 0)
    buf_printf(&missing, "%s牵头单位（lead_unit_id）", missing.len ? "、" : "");
  if ((!strcmp(m->k->kind, "follow-ups") || !strcmp(m->k->kind, "funds")) && !actor_is_unit(m->a) &&
      col_of(m, "unit_id") < 0)
    buf_printf(&missing, "%s单位（unit_id，项目的牵头单位）", missing.len ? "、" : "");
  int rc = missing.len ? hz_fail(e, HZ_EINVAL, "header", "缺少必需的列：%s", missing.data) : HZ_OK;
  buf_free(&missing);
  return rc;
}

/* The ids of records created by a batch that was rolled back are no one's: off the list. */
static void unlist_created(Imp *m) {
  size_t i;
  json_t *it;
  json_array_foreach(m->items, i, it) if (!strcmp(json_string_value(json_object_get(it, "action")), "create"))
    json_object_del(it, "id");
}

/* Progress over both passes: the check is the first half of the bytes, writing the second. */
static void report_progress(Imp *m, Table *t, int pass) {
  uint64_t done_b = 0, total_b = 0;
  table_progress(t, &done_b, &total_b);
  if (m->o->dry_run) m->o->progress(m->o->progress_ctx, m->rows, done_b, total_b); /* a check only */
  else m->o->progress(m->o->progress_ctx, m->rows, done_b / 2 + (pass == 2 ? total_b / 2 : 0), total_b);
}

int importer_run(Db *db, const Actor *a, const ImportOpts *o, json_t **result, HzErr *e) {
  *result = NULL;
  Imp m = {.db = db, .a = a, .o = o};
  Table *t = NULL;
  TableRow *row = NULL;
  int rc = importer_check(a, o->kind, e), began = 0, long_writes = 0;
  if (rc) return rc;
  m.k = kind_find(o->kind);
  m.r = resource_find(o->kind);
  m.result = json_object();
  m.errors = json_array();
  m.items = json_array();
  m.seen = json_object();
  if ((rc = open_table(o, &t, e))) goto done;
  json_object_set_new(m.result, "kind", json_string(o->kind));
  json_object_set_new(m.result, "filename", o->filename ? json_string(o->filename) : json_null());
  json_object_set_new(m.result, "format", json_string(table_format(t) == TABLE_XLSX ? "xlsx" : "csv"));
  json_object_set_new(m.result, "sheet", table_sheet_name(t) ? json_string(table_sheet_name(t)) : json_null());
  json_object_set_new(m.result, "encoding", json_string(table_converted(t) ? "GBK" : "UTF-8"));
  json_object_set_new(m.result, "notice", table_converted(t) ? json_string(TABLE_GBK_NOTICE) : json_null());
  json_object_set_new(m.result, "dry_run", json_boolean(o->dry_run));
  if ((rc = table_header(t, &row, e)) || (rc = map_header(&m, row, e))) goto done;
  if (o->campaign_id) {
    m.campaign_default = o->campaign_id;
    json_t *camp = NULL;
    HzErr ce = {0};
    if (record_read(db, a, resource_find("campaigns"), o->campaign_id, &camp, &ce)) {
      hz_err_clear(&ce);
      rc = hz_fail(e, HZ_EINVAL, "campaign", "会战 %lld 不存在", (long long)o->campaign_id);
      goto done;
    }
    json_decref(camp);
  } else if ((rc = import_store_only_campaign(db, &m.campaign_default, e))) {
    goto done;
  }
  /* The check pass, in batches that are always rolled back, then (a clean file, not a dry
   * run) the write pass, in batches that are committed. */
  if (!o->dry_run) {
    if ((rc = db_long_writes(db, 1, e))) goto done;
    long_writes = 1;
  }
  const char *state = NULL;
  int64_t written = 0, kept[3] = {0}; /* rows, and created/updated/unchanged, committed so far */
  int64_t kept_line = 0, last_line = 0;
  for (int pass = 0; pass < 3 && !state; pass++) {
    m.careful = pass == 1;
    m.writing = pass == 2;
    if (pass == 1 && !m.restart) continue; /* the fast check found no bad row */
    if (pass == 2 && (m.errors_total || o->dry_run)) break;
    if (pass) {
      table_free(t);
      t = NULL;
      if ((rc = open_table(o, &t, e)) || (rc = table_header(t, &row, e))) goto done;
    }
    m.rows = m.created = m.updated = m.unchanged = m.errors_total = 0;
    json_array_clear(m.errors);
    json_array_clear(m.items);
    json_object_clear(m.seen);
    m.restart = 0;
    int end = 0;
    while (!end) {
      if ((rc = db_begin(db, e))) goto done;
      began = 1;
      /* The check's first batch is written for real (not dry): a file that ends within it
       * and has no bad row is committed at once, in one transaction, with no second pass. */
      m.tentative = pass == 0 && !o->dry_run && m.rows == 0;
      if ((rc = record_batch_begin(db, !m.writing && !m.tentative, e))) goto done;
      int64_t n = 0;
      int first = m.rows == 0;
      double until = time_monotonic() + IMPORT_BATCH_SECONDS;
      while (first ? n < IMPORT_BATCH_ROWS : n < IMPORT_BATCH_ROWS_MAX && (n % 64 || time_monotonic() < until)) {
        if ((rc = table_next(t, &row, e))) goto done;
        if (!row) {
          end = 1;
          break;
        }
        m.row = row;
        m.rows++;
        n++;
        last_line = row->line;
        if ((rc = import_row(&m, e))) goto done;
        if (m.restart || (m.writing && m.row_bad)) break;
        if (o->progress && m.rows % 256 == 0) report_progress(&m, t, pass);
      }
      int keep = m.writing ? !m.row_bad : m.tentative && end && !m.restart && !m.errors_total;
      if (keep) {
        if ((rc = record_batch_end(db, e)) || (rc = db_commit(db, e))) goto done;
        written = m.rows;
        kept[0] = m.created, kept[1] = m.updated, kept[2] = m.unchanged;
        kept_line = last_line;
        if (m.tentative) state = "committed";
      } else {
        record_batch_abort(db);
        db_rollback(db);
        if (m.tentative) unlist_created(&m);
      }
      m.tentative = 0;
      began = 0;
      if (m.restart) break;
      if (m.writing && m.row_bad) { /* refused although the check let it through */
        state = written ? "interrupted" : "rejected";
        /* what the result counts and lists is what was kept */
        m.created = kept[0], m.updated = kept[1], m.unchanged = kept[2];
        for (size_t i = json_array_size(m.items); i-- > 0;)
          if (json_integer_value(json_object_get(json_array_get(m.items, i), "row")) > kept_line)
            json_array_remove(m.items, i);
        break;
      }
      if (!end) db_yield(db);
    }
    if (pass == 2 && !state) state = "committed";
  }
  if (long_writes) { /* what was committed is on the disk before the import says so */
    long_writes = 0;
    if ((rc = db_long_writes(db, 0, e))) goto done;
  }
  if (!state) state = m.errors_total ? "rejected" : "dry_run";
  if (o->progress) report_progress(&m, t, 2);
  if (!strcmp(state, "interrupted")) json_object_set_new(m.result, "rows_committed", json_integer(written));
  began = 0;
  json_object_set_new(m.result, "state", json_string(state));
  json_object_set_new(m.result, "rows", json_integer(m.rows));
  json_object_set_new(m.result, "created", json_integer(m.created));
  json_object_set_new(m.result, "updated", json_integer(m.updated));
  json_object_set_new(m.result, "unchanged", json_integer(m.unchanged));
  json_object_set_new(m.result, "items", json_incref(m.items));
  json_object_set_new(m.result, "errors", json_incref(m.errors));
  json_object_set_new(m.result, "errors_total", json_integer(m.errors_total));
  json_object_set_new(m.result, "errors_more", json_integer(m.errors_total - (int64_t)json_array_size(m.errors)));
  *result = json_incref(m.result);
done:
  if (began) {
    record_batch_abort(db);
    db_rollback(db);
  }
  if (long_writes) db_long_writes(db, 0, NULL);
  table_free(t);
  for (size_t c = 0; m.header && c < m.ncols; c++) free(m.header[c]);
  free(m.header);
  free(m.field);
  json_decref(m.result);
  json_decref(m.errors);
  json_decref(m.items);
  json_decref(m.seen);
  return rc;
}

/* ---- the marked workbook ---- */

int importer_errors_xlsx(const ImportOpts *o, json_t *result, const char *out_path, HzErr *e) {
  Table *t = NULL;
  TableRow *row = NULL;
  XlsxWriter *w = NULL;
  Cell *cells = NULL;
  Buf note;
  buf_init(&note, 0);
  json_t *errors = json_object_get(result, "errors");
  size_t next = 0, ncols = 0;
  int note_col = -1;
  int rc = open_table(o, &t, e);
  if (!rc) rc = table_header(t, &row, e);
  if (rc) goto done;
  ncols = row->ncells;
  const char *sheet = table_sheet_name(t);
  const Kind *k = kind_find(o->kind);
  if ((rc = xlsx_write_open(out_path, &(XlsxWriteOpts){.sheet = sheet ? sheet : k ? k->sheet : "Sheet1"}, &w, e)))
    goto done;
  {
    const char **names = calloc(ncols + 1, sizeof *names);
    if (!names) {
      rc = hz_fail(e, HZ_ENOMEM, NULL, "内存不足");
      goto done;
    }
    /* Columns stay where they were, so each ref (C7) still names its cell; a report
     * imported again has its 错误说明 column already: it is rewritten, not added. */
    size_t n = 0;
    for (size_t c = 0; c < ncols; c++) {
      if (!strcmp(row->cells[c], IMPORT_NOTE_HEADER) && note_col < 0) note_col = (int)c;
      names[n++] = row->cells[c];
    }
    if (note_col < 0) names[n++] = IMPORT_NOTE_HEADER;
    rc = xlsx_write_header(w, names, n, e);
    free(names);
    if (rc) goto done;
  }
  cells = calloc(ncols + 1, sizeof *cells);
  if (!cells) {
    rc = hz_fail(e, HZ_ENOMEM, NULL, "内存不足");
    goto done;
  }
  while (!(rc = table_next(t, &row, e)) && row) {
    size_t n = 0;
    buf_reset(&note);
    for (size_t c = 0; c < ncols; c++) {
      cells[n] = (Cell){.kind = row->cells[c][0] ? CELL_TEXT : CELL_EMPTY, .text = row->cells[c]};
      n++;
    }
    /* The report lists errors in row order: take those of this row. */
    while (next < json_array_size(errors)) {
      json_t *x = json_array_get(errors, next);
      if (json_integer_value(json_object_get(x, "row")) != row->line) break;
      const char *ref = json_string_value(json_object_get(x, "ref"));
      const char *msg = json_string_value(json_object_get(x, "message"));
      const char *col = json_string_value(json_object_get(x, "column"));
      if (ref) {
        for (size_t c = 0; c < ncols; c++) {
          char r[16];
          table_ref(row, c, r, sizeof r);
          if (!strcmp(r, ref)) {
            cells[c].note = msg;
            if (cells[c].kind == CELL_EMPTY) cells[c] = (Cell){.kind = CELL_TEXT, .text = "", .note = msg};
          }
        }
      }
      buf_printf(&note, "%s%s%s%s", note.len ? "；" : "", col ? col : "", col ? "：" : "", msg);
      next++;
    }
    Cell nc = {.kind = note.len ? CELL_TEXT : CELL_EMPTY, .text = note.data};
    if (note_col >= 0) cells[note_col] = nc;
    else cells[n++] = nc;
    if ((rc = xlsx_write_row(w, cells, n, e))) goto done;
    for (size_t c = 0; c < ncols; c++) cells[c].note = NULL;
  }
  if (rc) goto done;
  rc = xlsx_write_close(w, e);
  w = NULL;
done:
  if (w) xlsx_write_close(w, NULL);
  free(cells);
  buf_free(&note);
  table_free(t);
  return rc;
}

/* ---- templates ---- */

static const char *ref_hint(const char *ref) {
  if (!strcmp(ref, "units")) return "单位名称";
  if (!strcmp(ref, "users")) return "用户登录名";
  if (!strcmp(ref, "sections")) return "本行单位下的科室名称";
  if (!strcmp(ref, "campaigns")) return "会战名称";
  if (!strcmp(ref, "investors")) return "客商名称";
  if (!strcmp(ref, "events")) return "活动名称";
  if (!strcmp(ref, "projects")) return "项目名称（在牵头单位内）";
  return "名称";
}

static int is_key(const Kind *k, const char *field) {
  for (const char *const *p = k->keys; *p; p++)
    if (!strcmp(*p, field)) return 1;
  if (!strcmp(k->kind, "targets"))
    return !strcmp(field, "campaign_id") || !strcmp(field, "scope") || !strcmp(field, "section_id") ||
           !strcmp(field, "user_id");
  if (!strcmp(k->kind, "projects")) return !strcmp(field, "campaign_id") || !strcmp(field, "lead_unit_id");
  if (!strcmp(k->kind, "follow-ups") || !strcmp(k->kind, "funds"))
    return !strcmp(field, "unit_id") || !strcmp(field, "campaign_id") || !strcmp(field, "voucher_no");
  return 0;
}

int importer_template(const char *kind, int english, const char *out_path, HzErr *e) {
  const Kind *k = kind_find(kind);
  if (!k) return hz_fail(e, HZ_ENOTFOUND, "kind", "没有“%s”的导入模板", kind ? kind : "");
  const Resource *r = resource_find(k->kind);
  XlsxWriter *w = NULL;
  const char *names[32];
  size_t n = 0;
  for (const char *const *f = k->cols; *f && n < 32; f++) names[n++] = english ? *f : resource_field(r, *f)->label;
  int rc = xlsx_write_open(out_path, &(XlsxWriteOpts){.sheet = english ? k->kind : k->sheet}, &w, e);
  if (!rc) rc = xlsx_write_header(w, names, n, e);
  for (size_t c = 0; c < n && !rc; c++) {
    const Field *f = resource_field(r, k->cols[c]);
    if (f->type == FT_ENUM) {
      const char *items[32];
      size_t m = 0;
      for (int i = 0; f->choices[i].code && m < 32; i++) items[m++] = english ? f->choices[i].code : f->choices[i].label;
      rc = xlsx_write_list(w, c, items, m, e);
    } else if (f->type == FT_BOOL) {
      static const char *const yn[] = {"是", "否"}, *const tf[] = {"true", "false"};
      rc = xlsx_write_list(w, c, english ? tf : yn, 2, e);
    }
  }
  static const char *const help_head[] = {"列名", "英文字段名", "必填", "匹配键", "填写说明"};
  if (!rc) rc = xlsx_write_sheet(w, "说明", e);
  if (!rc) rc = xlsx_write_header(w, help_head, 5, e);
  Buf b, tmp;
  buf_init(&b, 0);
  buf_init(&tmp, 0);
  for (size_t c = 0; c < n && !rc; c++) {
    const Field *f = resource_field(r, k->cols[c]);
    buf_reset(&b);
    buf_reset(&tmp);
    switch (f->type) {
    case FT_TEXT: buf_printf(&b, "文字，最多 %lld 字", (long long)(f->max ? f->max : 500)); break;
    case FT_INT: buf_puts(&b, "整数"); break;
    case FT_MONEY: buf_puts(&b, "金额，单位元，整数（可带千位分隔符）"); break;
    case FT_DATE: buf_puts(&b, "日期，如 2026-09-05（也可写 2026/9/5 或 2026年9月5日）"); break;
    case FT_BOOL: buf_puts(&b, "是 / 否"); break;
    case FT_ENUM: buf_printf(&b, "从下拉列表选择：%s（也可填英文代码）", choices_text(f->choices, &tmp)); break;
    case FT_REF: buf_printf(&b, "填%s", ref_hint(f->ref)); break;
    case FT_LINKS: buf_printf(&b, "填%s，多个用“、”分隔", ref_hint(f->ref)); break;
    default: break;
    }
    if (!strcmp(f->name, "campaign_id")) buf_puts(&b, "；不填时为导入时指定的会战（只有一场会战时为该会战）");
    if (!strcmp(f->name, "password")) buf_puts(&b, "；新用户必填，至少 8 个字符；已有用户不填则不修改密码");
    if ((!strcmp(k->kind, "follow-ups") || !strcmp(k->kind, "funds")) && !strcmp(f->name, "unit_id"))
      buf_puts(&b, "；项目的牵头单位，与“项目”一起确定项目");
    if (f->flags & FF_CREATE_ONLY) buf_puts(&b, "；记录建立后不再修改");
    int required = (f->flags & FF_REQUIRED) || (is_key(k, f->name) && strcmp(f->name, "campaign_id") &&
                                                strcmp(f->name, "scope") && strcmp(f->name, "section_id") &&
                                                strcmp(f->name, "user_id") && strcmp(f->name, "voucher_no"));
    Cell row[] = {{.kind = CELL_TEXT, .text = f->label}, {.kind = CELL_TEXT, .text = f->name},
                  {.kind = CELL_TEXT, .text = required ? "是" : "否"},
                  {.kind = CELL_TEXT, .text = is_key(k, f->name) ? "是" : "否"}, {.kind = CELL_TEXT, .text = b.data}};
    rc = xlsx_write_row(w, row, 5, e);
  }
  buf_free(&b);
  buf_free(&tmp);
  if (rc) {
    xlsx_write_close(w, NULL);
    return rc;
  }
  return xlsx_write_close(w, e);
}

int importer_slurp(const char *path, void **data, size_t *n, HzErr *e) {
  *data = NULL;
  *n = 0;
  FILE *f = fopen(path, "rb");
  if (!f) return hz_fail(e, HZ_EIO, NULL, "无法读取文件");
  Buf b;
  buf_init(&b, 0);
  char chunk[65536];
  size_t k;
  while ((k = fread(chunk, 1, sizeof chunk, f)) > 0) buf_append(&b, chunk, k);
  int err = ferror(f);
  fclose(f);
  if (err) {
    buf_free(&b);
    return hz_fail(e, HZ_EIO, NULL, "无法读取文件");
  }
  *n = b.len;
  *data = b.data ? buf_take(&b) : malloc(1);
  return *data ? HZ_OK : hz_fail(e, HZ_ENOMEM, NULL, "内存不足");
}

int importer_actor(Db *db, const char *login, Actor *a, HzErr *e) {
  char hash[256];
  int disabled = 0;
  int rc = auth_store_user_by_login(db, login, a, hash, sizeof hash, &disabled, e);
  if (rc == HZ_ENOTFOUND || (!rc && disabled)) {
    hz_err_clear(e);
    rc = hz_fail(e, HZ_EINVAL, "as", "没有可用的用户“%s”", login);
  }
  return rc;
}

#include "store/bulk_store.h"
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

static const struct {
  int ncols;
  const char *insert, *count;
} tables[BULK_TABLES] = {
  [BULK_UNITS] = {9,
                  "INSERT INTO units (id, created_at, updated_at, name, short_name, category, head_user_id,"
                  " deputy_user_id, phone) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                  "SELECT COUNT(*) FROM units"},
  [BULK_USERS] = {10,
                  "INSERT INTO users (id, created_at, updated_at, login, name, role, unit_id, title, phone,"
                  " password_hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                  "SELECT COUNT(*) FROM users"},
  [BULK_CAMPAIGNS] = {8,
                      "INSERT INTO campaigns (id, created_at, updated_at, name, year, start_date, end_date, status)"
                      " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                      "SELECT COUNT(*) FROM campaigns"},
  [BULK_CHECKPOINTS] = {7,
                        "INSERT INTO checkpoints (id, created_at, updated_at, campaign_id, name, kind, date)"
                        " VALUES (?, ?, ?, ?, ?, ?, ?)",
                        "SELECT COUNT(*) FROM checkpoints"},
  [BULK_EVENTS] = {8,
                   "INSERT INTO events (id, created_at, updated_at, campaign_id, name, start_date, end_date, place)"
                   " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                   "SELECT COUNT(*) FROM events"},
  [BULK_TARGETS] = {8,
                    "INSERT INTO targets (id, created_at, updated_at, campaign_id, scope, unit_id, metric, value)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    "SELECT COUNT(*) FROM targets"},
  [BULK_INVESTORS] = {8,
                      "INSERT INTO investors (id, created_at, updated_at, name, kind, origin, industry, unit_id)"
                      " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                      "SELECT COUNT(*) FROM investors"},
  [BULK_PROJECTS] = {18,
                     "INSERT INTO projects (id, created_at, updated_at, campaign_id, name, lead_unit_id,"
                     " responsible_user_id, investor_id, category, method, planned_investment, contract_value,"
                     " event_id, stage, description, lead_date, last_activity_date, version)"
                     " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                     "SELECT COUNT(*) FROM projects"},
  [BULK_PROJECT_UNITS] = {2, "INSERT INTO project_units (project_id, unit_id) VALUES (?, ?)",
                          "SELECT COUNT(*) FROM project_units"},
  [BULK_STAGE_CHANGES] = {20,
                          "INSERT INTO stage_changes (id, created_at, updated_at, project_id, campaign_id, unit_id,"
                          " from_stage, to_stage, date, contract_date, contract_value, start_date, completion_date,"
                          " reason, created_by, status, reviewed_by, reviewed_at, reject_reason, version)"
                          " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                          "SELECT COUNT(*) FROM stage_changes"},
  [BULK_FOLLOW_UPS] = {13,
                       "INSERT INTO follow_ups (id, created_at, updated_at, project_id, campaign_id, unit_id, date,"
                       " kind, summary, next_step, next_date, with_leader, created_by)"
                       " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                       "SELECT COUNT(*) FROM follow_ups"},
  [BULK_PARTICIPANTS] = {2, "INSERT INTO follow_up_participants (follow_up_id, user_id) VALUES (?, ?)",
                         "SELECT COUNT(*) FROM follow_up_participants"},
  [BULK_FUNDS] = {16,
                  "INSERT INTO funds (id, created_at, updated_at, project_id, campaign_id, unit_id, amount, date,"
                  " kind, voucher_no, created_by, status, reviewed_by, reviewed_at, reject_reason, version)"
                  " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                  "SELECT COUNT(*) FROM funds"},
  [BULK_AUDIT] = {10,
                  "INSERT INTO audit_log (id, at, user_id, action, entity, entity_id, before, after, prev_hash, hash)"
                  " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                  "SELECT COUNT(*) FROM audit_log"},
  [BULK_PROJECT_FIGURES] = {7,
                            "INSERT INTO project_figures (project_id, campaign_id, unit_id, metric, day, reported,"
                            " certified) VALUES (?, ?, ?, ?, ?, ?, ?)",
                            "SELECT COUNT(*) FROM project_figures"},
  [BULK_PROJECT_STAYS] = {7,
                          "INSERT INTO project_stays (project_id, campaign_id, unit_id, stage, days, day, stays)"
                          " VALUES (?, ?, ?, ?, ?, ?, ?)",
                          "SELECT COUNT(*) FROM project_stays"},
  [BULK_UNIT_FIGURES] = {6,
                         "INSERT INTO unit_figures (campaign_id, unit_id, metric, day, reported, certified)"
                         " VALUES (?, ?, ?, ?, ?, ?)",
                         "SELECT COUNT(*) FROM unit_figures"},
  [BULK_UNIT_TOTALS] = {5,
                        "INSERT INTO unit_totals (campaign_id, unit_id, metric, reported, certified)"
                        " VALUES (?, ?, ?, ?, ?)",
                        "SELECT COUNT(*) FROM unit_totals"},
  [BULK_UNIT_STAYS] = {6,
                       "INSERT INTO unit_stays (campaign_id, unit_id, stage, days, day, stays) VALUES (?, ?, ?, ?, ?, ?)",
                       "SELECT COUNT(*) FROM unit_stays"},
  [BULK_UNIT_STAY_TOTALS] = {5,
                             "INSERT INTO unit_stay_totals (campaign_id, unit_id, stage, days, stays)"
                             " VALUES (?, ?, ?, ?, ?)",
                             "SELECT COUNT(*) FROM unit_stay_totals"},
};

void bulk_row_reset(BulkRow *r) { r->n = 0; }

static void add(BulkRow *r, char type, int64_t i, const char *t) {
  if (r->n >= BULK_MAX_COLS) {
    r->n = BULK_MAX_COLS + 1; /* refused by bulk_store_insert */
    return;
  }
  r->v[r->n].type = type;
  r->v[r->n].i = i;
  r->v[r->n].t = t;
  r->n++;
}

void bulk_row_int(BulkRow *r, int64_t v) { add(r, 'i', v, NULL); }
void bulk_row_text(BulkRow *r, const char *s) { add(r, s ? 't' : 'n', 0, s); }
void bulk_row_null(BulkRow *r) { add(r, 'n', 0, NULL); }

/* ---- a load: rows gathered per table, written BULK_BATCH_ROWS to an INSERT ---- */

/* One INSERT of BULK_BATCH_ROWS rows per table, made from its one-row text once per process
 * and kept (db_prepare_kept finds it by its address). */
static char *batch_sql[BULK_TABLES];
static int batch_sql_failed;

static void make_batch_sql(void) {
  for (int t = 0; t < BULK_TABLES; t++) {
    const char *one = tables[t].insert, *values = strstr(one, " VALUES (");
    size_t head = (size_t)(values - one) + strlen(" VALUES "), group = strlen(values + strlen(" VALUES "));
    size_t cap = head + BULK_BATCH_ROWS * (group + 2) + 1;
    char *sql = malloc(cap);
    if (!sql) {
      batch_sql_failed = 1;
      return;
    }
    memcpy(sql, one, head);
    size_t n = head;
    for (int k = 0; k < BULK_BATCH_ROWS; k++) {
      if (k) sql[n++] = ',', sql[n++] = ' ';
      memcpy(sql + n, values + strlen(" VALUES "), group);
      n += group;
    }
    sql[n] = 0;
    batch_sql[t] = sql;
  }
}

typedef struct {
  BulkRow rows[BULK_BATCH_ROWS]; /* a text's value is its offset in text (t NULL) */
  int n;
  char *text;
  size_t used, cap;
} Pending;

struct BulkLoad {
  Db *db;
  Pending p[BULK_TABLES];
};

int bulk_load_new(Db *db, BulkLoad **out, HzErr *e) {
  static pthread_once_t once = PTHREAD_ONCE_INIT;
  pthread_once(&once, make_batch_sql);
  *out = batch_sql_failed ? NULL : calloc(1, sizeof **out);
  if (!*out) return hz_fail(e, HZ_ENOMEM, NULL, "内存不足");
  (*out)->db = db;
  return HZ_OK;
}

void bulk_load_free(BulkLoad *l) {
  if (!l) return;
  for (int t = 0; t < BULK_TABLES; t++) free(l->p[t].text);
  free(l);
}

/* Binds row r of a batch to the parameters from first + 1 on. */
static void bind_row(DbStmt *st, const Pending *p, const BulkRow *r, int first) {
  for (int i = 0; i < r->n; i++) {
    if (r->v[i].type == 'i') db_bind_int(st, first + i + 1, r->v[i].i);
    else if (r->v[i].type == 't') db_bind_text(st, first + i + 1, p->text + r->v[i].i);
    else db_bind_null(st, first + i + 1);
  }
}

/* Writes a table's gathered rows: a full batch in one statement, fewer one by one. */
static int flush_table(BulkLoad *l, BulkTable t, HzErr *e) {
  Pending *p = &l->p[t];
  int rc = HZ_OK;
  if (p->n == BULK_BATCH_ROWS) {
    DbStmt *st = db_prepare_kept(l->db, batch_sql[t], e);
    if (!st) return e->rc;
    for (int k = 0; k < p->n; k++) bind_row(st, p, &p->rows[k], k * tables[t].ncols);
    rc = db_run(l->db, st, e);
  } else {
    for (int k = 0; k < p->n && !rc; k++) {
      DbStmt *st = db_prepare(l->db, tables[t].insert, e);
      if (!st) return e->rc;
      bind_row(st, p, &p->rows[k], 0);
      rc = db_run(l->db, st, e);
    }
  }
  p->n = 0;
  p->used = 0;
  return rc;
}

int bulk_load_add(BulkLoad *l, BulkTable t, const BulkRow *r, HzErr *e) {
  if (t < 0 || t >= BULK_TABLES || r->n != tables[t].ncols)
    return hz_fail(e, HZ_EINVAL, NULL, "bulk insert: %d values for table %d", r->n, (int)t);
  Pending *p = &l->p[t];
  BulkRow *mine = &p->rows[p->n];
  *mine = *r;
  for (int i = 0; i < r->n; i++) {
    if (r->v[i].type != 't') continue;
    size_t len = strlen(r->v[i].t) + 1;
    if (p->used + len > p->cap) {
      size_t cap = (p->cap ? p->cap * 2 : 4096) + len;
      char *text = realloc(p->text, cap);
      if (!text) return hz_fail(e, HZ_ENOMEM, NULL, "内存不足");
      p->text = text;
      p->cap = cap;
    }
    memcpy(p->text + p->used, r->v[i].t, len);
    mine->v[i].i = (int64_t)p->used;
    mine->v[i].t = NULL;
    p->used += len;
  }
  return ++p->n == BULK_BATCH_ROWS ? flush_table(l, t, e) : HZ_OK;
}

int bulk_load_flush(BulkLoad *l, HzErr *e) {
  int rc = HZ_OK;
  for (int t = 0; t < BULK_TABLES && !rc; t++) rc = flush_table(l, (BulkTable)t, e);
  return rc;
}

int bulk_store_set_meta(Db *db, const char *key, const char *value, HzErr *e) {
  DbStmt *st = db_prepare(db, "UPDATE meta SET value = ? WHERE key = ?", e);
  if (!st) return e->rc;
  db_bind_text(st, 1, value);
  db_bind_text(st, 2, key);
  return db_run(db, st, e);
}

int bulk_store_count(Db *db, BulkTable t, int64_t *n, HzErr *e) {
  *n = 0;
  if (t < 0 || t >= BULK_TABLES) return hz_fail(e, HZ_EINVAL, NULL, "bulk count: table %d", (int)t);
  return db_query_int(db, tables[t].count, n, e);
}

#include "store/bulk_store.h"

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

int bulk_store_insert(Db *db, BulkTable t, const BulkRow *r, HzErr *e) {
  if (t < 0 || t >= BULK_TABLES || r->n != tables[t].ncols)
    return hz_fail(e, HZ_EINVAL, NULL, "bulk insert: %d values for table %d", r->n, (int)t);
  DbStmt *st = db_prepare(db, tables[t].insert, e);
  if (!st) return e->rc;
  for (int i = 0; i < r->n; i++) {
    if (r->v[i].type == 'i') db_bind_int(st, i + 1, r->v[i].i);
    else if (r->v[i].type == 't') db_bind_text(st, i + 1, r->v[i].t);
    else db_bind_null(st, i + 1);
  }
  return db_run(db, st, e);
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

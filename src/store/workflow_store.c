#include "store/workflow_store.h"
#include "store/record_store.h"
#include "util/timeutil.h"
#include <stdlib.h>
#include <string.h>

int workflow_store_reports(Db *db, int64_t campaign_id, json_t **out, HzErr *e) {
  *out = json_array();
  DbStmt *st = db_prepare(
      db, "SELECT unit_id, week, status, reviewed_on, id FROM weekly_reports WHERE campaign_id = ? ORDER BY id", e);
  if (!st) return e->rc;
  db_bind_int(st, 1, campaign_id);
  int r;
  while ((r = db_step(db, st, e)) == DB_ROW)
    json_array_append_new(*out, json_pack("{s:I s:I s:s s:o s:I}", "unit_id", (json_int_t)db_col_int(st, 0), "week",
                                          (json_int_t)db_col_int(st, 1), "status", db_col_text(st, 2), "reviewed_on",
                                          db_col_is_null(st, 3) ? json_null() : json_string(db_col_text(st, 3)), "id",
                                          (json_int_t)db_col_int(st, 4)));
  return r < 0 ? -r : HZ_OK;
}

int workflow_store_overdue(Db *db, const char *today, json_t **ids, HzErr *e) {
  *ids = json_array();
  DbStmt *st = db_prepare(db,
                          "SELECT id FROM coordination_items WHERE status <> 'closed' AND due_date < ?1"
                          " AND (last_reminded_on IS NULL OR last_reminded_on < ?1) ORDER BY id",
                          e);
  if (!st) return e->rc;
  db_bind_text(st, 1, today);
  int r;
  while ((r = db_step(db, st, e)) == DB_ROW) json_array_append_new(*ids, json_integer(db_col_int(st, 0)));
  return r < 0 ? -r : HZ_OK;
}

int workflow_store_propose(Db *db, json_t *p, int *created, HzErr *e) {
  char now[TIMESTAMP_LEN];
  time_now_iso(now);
  DbStmt *st = db_prepare(db,
                          "INSERT INTO proposals (id, created_at, updated_at, campaign_id, rule_id, checkpoint_id,"
                          " bulletin_id, unit_id, outcome, outcome_text, basis) VALUES ("
                          RECORD_STORE_NEXT_ID("proposals", "?10") ", ?1, ?1, ?2, ?3, ?4, ?5, ?6, ?7,"
                          " ?8, ?9) ON CONFLICT DO NOTHING RETURNING id",
                          e);
  if (!st) return e->rc;
  char *basis = json_dumps(json_object_get(p, "basis"), JSON_COMPACT | JSON_SORT_KEYS | JSON_REAL_PRECISION(12));
  db_bind_text(st, 1, now);
  db_bind_int(st, 2, json_integer_value(json_object_get(p, "campaign_id")));
  db_bind_int(st, 3, json_integer_value(json_object_get(p, "rule_id")));
  json_t *cp = json_object_get(p, "checkpoint_id"), *bu = json_object_get(p, "bulletin_id");
  if (json_is_integer(cp)) db_bind_int(st, 4, json_integer_value(cp));
  if (json_is_integer(bu)) db_bind_int(st, 5, json_integer_value(bu));
  db_bind_int(st, 6, json_integer_value(json_object_get(p, "unit_id")));
  db_bind_text(st, 7, json_string_value(json_object_get(p, "outcome")));
  db_bind_text(st, 10, "proposals"); /* the audit entity of RECORD_STORE_NEXT_ID */
  db_bind_text(st, 8, json_string_value(json_object_get(p, "outcome_text")));
  db_bind_text(st, 9, basis);
  int64_t id = 0;
  int rc = db_run_returning(db, st, &id, e);
  free(basis);
  *created = !rc && id > 0;
  if (*created) json_object_set_new(p, "id", json_integer(id));
  return rc;
}

int workflow_store_instruction_add(Db *db, int64_t user_id, const char *target_field, int64_t target_id,
                                   const char *text, int64_t *id, HzErr *e) {
  char now[TIMESTAMP_LEN];
  time_now_iso(now);
  DbStmt *st = db_prepare(db,
                          strcmp(target_field, "bulletin_id")
                              ? "INSERT INTO instructions (created_at, user_id, weekly_report_id, text) VALUES (?, ?, ?, ?) RETURNING id"
                              : "INSERT INTO instructions (created_at, user_id, bulletin_id, text) VALUES (?, ?, ?, ?) RETURNING id",
                          e);
  if (!st) return e->rc;
  db_bind_text(st, 1, now);
  db_bind_int(st, 2, user_id);
  db_bind_int(st, 3, target_id);
  db_bind_text(st, 4, text);
  int rc = db_run_returning(db, st, id, e);
  return rc;
}

int workflow_store_instructions(Db *db, const char *target_field, int64_t target_id, json_t **out, HzErr *e) {
  *out = json_array();
  DbStmt *st = db_prepare(db,
                          strcmp(target_field, "bulletin_id")
                              ? "SELECT i.id, i.created_at, i.user_id, u.name, i.text FROM instructions i JOIN users u"
                                " ON u.id = i.user_id WHERE i.weekly_report_id = ? ORDER BY i.id"
                              : "SELECT i.id, i.created_at, i.user_id, u.name, i.text FROM instructions i JOIN users u"
                                " ON u.id = i.user_id WHERE i.bulletin_id = ? ORDER BY i.id",
                          e);
  if (!st) return e->rc;
  db_bind_int(st, 1, target_id);
  int r;
  while ((r = db_step(db, st, e)) == DB_ROW)
    json_array_append_new(*out, json_pack("{s:I s:s s:I s:s s:s}", "id", (json_int_t)db_col_int(st, 0), "created_at",
                                          db_col_text(st, 1), "user_id", (json_int_t)db_col_int(st, 2), "user_name",
                                          db_col_text(st, 3), "text", db_col_text(st, 4)));
  return r < 0 ? -r : HZ_OK;
}

int workflow_store_notify(Db *db, int64_t campaign_id, int64_t unit_id, const char *kind, const char *text, HzErr *e) {
  return workflow_store_notify_link(db, campaign_id, unit_id, kind, text, NULL, e);
}

int workflow_store_notify_link(Db *db, int64_t campaign_id, int64_t unit_id, const char *kind, const char *text,
                               const char *link, HzErr *e) {
  char now[TIMESTAMP_LEN];
  time_now_iso(now);
  DbStmt *st = db_prepare(db,
                          "INSERT INTO notifications (created_at, updated_at, campaign_id, unit_id, kind, text, link)"
                          " VALUES (?1, ?1, ?2, ?3, ?4, ?5, ?6)",
                          e);
  if (!st) return e->rc;
  db_bind_text(st, 1, now);
  if (campaign_id) db_bind_int(st, 2, campaign_id);
  if (unit_id) db_bind_int(st, 3, unit_id);
  db_bind_text(st, 4, kind);
  db_bind_text(st, 5, text);
  if (link) db_bind_text(st, 6, link);
  return db_run(db, st, e);
}

int workflow_store_record_attachments(Db *db, const char *link_field, int64_t id, json_t **out, HzErr *e) {
  *out = json_array();
  DbStmt *st = db_prepare(db,
                          strcmp(link_field, "fund_id")
                              ? "SELECT id, filename, content_type, size, created_at FROM attachments"
                                " WHERE stage_change_id = ? ORDER BY id"
                              : "SELECT id, filename, content_type, size, created_at FROM attachments"
                                " WHERE fund_id = ? ORDER BY id",
                          e);
  if (!st) return e->rc;
  db_bind_int(st, 1, id);
  int r;
  while ((r = db_step(db, st, e)) == DB_ROW)
    json_array_append_new(*out, json_pack("{s:I s:s s:s s:I s:s}", "id", (json_int_t)db_col_int(st, 0), "filename",
                                          db_col_text(st, 1), "content_type", db_col_text(st, 2), "size",
                                          (json_int_t)db_col_int(st, 3), "created_at", db_col_text(st, 4)));
  return r < 0 ? -r : HZ_OK;
}

int workflow_store_jobs(Db *db, json_t **out, HzErr *e) {
  *out = json_array();
  DbStmt *st = db_prepare(db, "SELECT name, enabled, weekday, at_time, last_run_on FROM jobs ORDER BY name", e);
  if (!st) return e->rc;
  int r;
  while ((r = db_step(db, st, e)) == DB_ROW)
    json_array_append_new(*out, json_pack("{s:s s:b s:o s:s s:o}", "name", db_col_text(st, 0), "enabled",
                                          (int)db_col_int(st, 1), "weekday",
                                          db_col_is_null(st, 2) ? json_null() : json_integer(db_col_int(st, 2)),
                                          "at_time", db_col_text(st, 3), "last_run_on",
                                          db_col_is_null(st, 4) ? json_null() : json_string(db_col_text(st, 4))));
  return r < 0 ? -r : HZ_OK;
}

int workflow_store_job_ran(Db *db, const char *name, const char *day, HzErr *e) {
  DbStmt *st = db_prepare(db, "UPDATE jobs SET last_run_on = ? WHERE name = ?", e);
  if (!st) return e->rc;
  db_bind_text(st, 1, day);
  db_bind_text(st, 2, name);
  return db_run(db, st, e);
}

int workflow_store_job_set(Db *db, const char *name, int enabled, int weekday, const char *at_time, HzErr *e) {
  DbStmt *st = db_prepare(db, "UPDATE jobs SET enabled = ?, weekday = ?, at_time = ? WHERE name = ?", e);
  if (!st) return e->rc;
  db_bind_int(st, 1, enabled);
  if (weekday >= 0) db_bind_int(st, 2, weekday);
  db_bind_text(st, 3, at_time);
  db_bind_text(st, 4, name);
  int rc = db_run(db, st, e);
  if (!rc && db_changes(db) == 0) rc = hz_fail(e, HZ_ENOTFOUND, NULL, "没有这个定时任务：%s", name);
  return rc;
}

int workflow_store_next_bulletin(Db *db, int64_t campaign_id, int64_t *number, HzErr *e) {
  DbStmt *st = db_prepare(db, "SELECT COALESCE(MAX(number), 0) + 1 FROM bulletins WHERE campaign_id = ?", e);
  if (!st) return e->rc;
  db_bind_int(st, 1, campaign_id);
  int r = db_step(db, st, e);
  if (r < 0) return -r;
  *number = db_col_int(st, 0);
  db_reset(st);
  return HZ_OK;
}

int workflow_store_roster(Db *db, int64_t team_id, const char *from, const char *to, json_t **out, HzErr *e) {
  *out = json_array();
  DbStmt *st = db_prepare(
      db,
      "SELECT u.id, u.name, CASE WHEN EXISTS (SELECT 1 FROM team_members m WHERE m.team_id = t.id AND m.user_id = u.id)"
      " THEN 1 ELSE 0 END,"
      " (SELECT COUNT(*) FROM projects p WHERE p.source_user_id = u.id AND p.campaign_id = t.campaign_id"
      "   AND p.duplicate_of IS NULL AND p.lead_date BETWEEN ?2 AND ?3),"
      " (SELECT COUNT(DISTINCT f.project_id) FROM follow_ups f JOIN follow_up_participants fp ON fp.follow_up_id = f.id"
      "   WHERE fp.user_id = u.id AND f.campaign_id = t.campaign_id AND f.date BETWEEN ?2 AND ?3),"
      " (SELECT COUNT(*) FROM stage_changes s JOIN projects p ON p.id = s.project_id WHERE s.status <> 'rejected'"
      "   AND s.to_stage IN ('signed', 'started', 'completed') AND s.from_stage IN ('lead', 'negotiating')"
      "   AND p.campaign_id = t.campaign_id AND p.duplicate_of IS NULL"
      "   AND (p.responsible_user_id = u.id OR p.source_user_id = u.id) AND s.date BETWEEN ?2 AND ?3),"
      " (SELECT CAST(COALESCE(SUM(f.amount), 0) AS BIGINT) FROM funds f JOIN projects p ON p.id = f.project_id"
      "   WHERE f.status <> 'rejected'"
      "   AND p.campaign_id = t.campaign_id AND p.duplicate_of IS NULL"
      "   AND (p.responsible_user_id = u.id OR p.source_user_id = u.id) AND f.date BETWEEN ?2 AND ?3)"
      " FROM teams t JOIN users u ON u.unit_id = t.unit_id WHERE t.id = ?1 AND u.disabled = 0 ORDER BY u.id",
      e);
  if (!st) return e->rc;
  db_bind_int(st, 1, team_id);
  db_bind_text(st, 2, from);
  db_bind_text(st, 3, to);
  int r;
  while ((r = db_step(db, st, e)) == DB_ROW)
    json_array_append_new(*out, json_pack("{s:I s:s s:b s:I s:I s:I s:I}", "user_id", (json_int_t)db_col_int(st, 0),
                                          "name", db_col_text(st, 1), "in_team", (int)db_col_int(st, 2), "leads",
                                          (json_int_t)db_col_int(st, 3), "followed", (json_int_t)db_col_int(st, 4),
                                          "signed", (json_int_t)db_col_int(st, 5), "funds",
                                          (json_int_t)db_col_int(st, 6)));
  return r < 0 ? -r : HZ_OK;
}

static int highlight_rows(Db *db, const char *sql, int64_t campaign_id, const char *from, const char *to, int limit,
                          json_t **out, HzErr *e) {
  *out = json_array();
  DbStmt *st = db_prepare(db, sql, e);
  if (!st) return e->rc;
  db_bind_int(st, 1, campaign_id);
  db_bind_text(st, 2, from);
  db_bind_text(st, 3, to);
  db_bind_int(st, 4, limit);
  int r;
  while ((r = db_step(db, st, e)) == DB_ROW)
    json_array_append_new(*out, json_pack("{s:I s:s s:I s:s s:s s:I s:s}", "project_id", (json_int_t)db_col_int(st, 0),
                                          "project_name", db_col_text(st, 1), "unit_id", (json_int_t)db_col_int(st, 2),
                                          "unit_name", db_col_text(st, 3), "date", db_col_text(st, 4), "amount",
                                          (json_int_t)db_col_int(st, 5), "status", db_col_text(st, 6)));
  return r < 0 ? -r : HZ_OK;
}

int workflow_store_period_signings(Db *db, int64_t campaign_id, const char *from, const char *to, int limit,
                                   json_t **out, HzErr *e) {
  return highlight_rows(db,
                        "SELECT p.id, p.name, p.lead_unit_id, u.name, COALESCE(s.contract_date, s.date),"
                        " COALESCE(s.contract_value, 0), s.status FROM stage_changes s JOIN projects p ON p.id = s.project_id"
                        " JOIN units u ON u.id = p.lead_unit_id WHERE s.campaign_id = ?1 AND s.status <> 'rejected'"
                        " AND p.duplicate_of IS NULL AND s.from_stage IN ('lead', 'negotiating')"
                        " AND s.to_stage IN ('signed', 'started', 'completed')"
                        " AND COALESCE(s.contract_date, s.date) BETWEEN ?2 AND ?3"
                        " ORDER BY COALESCE(s.contract_value, 0) DESC, s.id LIMIT ?4",
                        campaign_id, from, to, limit, out, e);
}

int workflow_store_period_funds(Db *db, int64_t campaign_id, const char *from, const char *to, int limit, json_t **out,
                                HzErr *e) {
  return highlight_rows(db,
                        "SELECT p.id, p.name, p.lead_unit_id, u.name, f.date, f.amount, f.status FROM funds f"
                        " JOIN projects p ON p.id = f.project_id JOIN units u ON u.id = p.lead_unit_id"
                        " WHERE f.campaign_id = ?1 AND f.status <> 'rejected' AND p.duplicate_of IS NULL"
                        " AND f.date BETWEEN ?2 AND ?3 ORDER BY f.amount DESC, f.id LIMIT ?4",
                        campaign_id, from, to, limit, out, e);
}

int workflow_store_previous_bulletin(Db *db, int64_t campaign_id, int64_t number, json_t **out, HzErr *e) {
  *out = NULL;
  DbStmt *st = db_prepare(db,
                          "SELECT id, period_end, snapshot_id FROM bulletins WHERE campaign_id = ? AND number < ?"
                          " AND status = 'published' ORDER BY number DESC LIMIT 1",
                          e);
  if (!st) return e->rc;
  db_bind_int(st, 1, campaign_id);
  db_bind_int(st, 2, number);
  int r = db_step(db, st, e);
  if (r < 0) return -r;
  if (r == DB_ROW)
    *out = json_pack("{s:I s:s s:I}", "id", (json_int_t)db_col_int(st, 0), "period_end", db_col_text(st, 1),
                     "snapshot_id", (json_int_t)db_col_int(st, 2));
  db_reset(st);
  return HZ_OK;
}

int workflow_store_open_proposals(Db *db, int64_t checkpoint_id, json_t **out, HzErr *e) {
  *out = json_array();
  DbStmt *st = db_prepare(db, "SELECT id, rule_id, unit_id, outcome_text FROM proposals"
                              " WHERE checkpoint_id = ? AND status = 'proposed' ORDER BY id", e);
  if (!st) return e->rc;
  db_bind_int(st, 1, checkpoint_id);
  int r;
  while ((r = db_step(db, st, e)) == DB_ROW)
    json_array_append_new(*out, json_pack("{s:I s:I s:I s:s}", "id", (json_int_t)db_col_int(st, 0), "rule_id",
                                          (json_int_t)db_col_int(st, 1), "unit_id", (json_int_t)db_col_int(st, 2),
                                          "outcome_text", db_col_text(st, 3)));
  return r < 0 ? -r : HZ_OK;
}

int workflow_store_draft_bulletin(Db *db, int64_t campaign_id, int64_t *number, HzErr *e) {
  *number = 0;
  DbStmt *st = db_prepare(db, "SELECT number FROM bulletins WHERE campaign_id = ? AND status = 'draft'"
                              " ORDER BY number LIMIT 1", e);
  if (!st) return e->rc;
  db_bind_int(st, 1, campaign_id);
  int r = db_step(db, st, e);
  if (r < 0) return -r;
  if (r == DB_ROW) *number = db_col_int(st, 0);
  db_reset(st);
  return HZ_OK;
}

int workflow_store_bulletin_links(Db *db, int64_t bulletin_id, json_t **proposals, int64_t *others, HzErr *e) {
  *proposals = json_array();
  *others = 0;
  DbStmt *st = db_prepare(db, "SELECT id, status FROM proposals WHERE bulletin_id = ? ORDER BY id", e);
  if (!st) return e->rc;
  db_bind_int(st, 1, bulletin_id);
  int r;
  while ((r = db_step(db, st, e)) == DB_ROW)
    json_array_append_new(*proposals, json_pack("{s:I s:s}", "id", (json_int_t)db_col_int(st, 0), "status",
                                                db_col_text(st, 1)));
  if (r < 0) return -r;
  st = db_prepare(db,
                  "SELECT (SELECT COUNT(*) FROM instructions WHERE bulletin_id = ?1)"
                  " + (SELECT COUNT(*) FROM admonitions WHERE bulletin_id = ?1)",
                  e);
  if (!st) return e->rc;
  db_bind_int(st, 1, bulletin_id);
  r = db_step(db, st, e);
  if (r < 0) return -r;
  if (r == DB_ROW) *others = db_col_int(st, 0);
  db_reset(st);
  return HZ_OK;
}

int workflow_store_drop_campaign_defaults(Db *db, int64_t campaign_id, HzErr *e) {
  static const char *const sql[] = {
    "DELETE FROM rules WHERE campaign_id = ?1 AND NOT EXISTS (SELECT 1 FROM proposals WHERE campaign_id = ?1)",
    "DELETE FROM campaign_settings WHERE campaign_id = ?1",
  };
  int rc = HZ_OK;
  for (size_t i = 0; i < sizeof sql / sizeof sql[0] && !rc; i++) {
    DbStmt *st = db_prepare(db, sql[i], e);
    if (!st) return e->rc;
    db_bind_int(st, 1, campaign_id);
    rc = db_run(db, st, e);
  }
  return rc;
}

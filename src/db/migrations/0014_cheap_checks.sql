-- huizhan schema 14: the enumerations of the four tables a bulk load writes most (projects,
-- stage_changes, follow_ups, funds) are checked without a temporary table.
-- SQLite 3.40 checks `x IN ('a','b','c',…)` (three values or more) by building a temporary
-- b-tree of the values on every run of an INSERT or UPDATE: about 2 µs a row for each such
-- CHECK, a fifth of a spreadsheet import's cost per project row and seconds of `huizhan gen`.
-- The same rule as a chain of `x = 'a' OR x = 'b' …` costs nothing measurable, and guards
-- exactly the same values. Each constraint is named after its column, so a broken one still
-- says which column (db_sqlite.c reads "CHECK constraint failed: category").
-- SQLite cannot change a CHECK in place: each table is rebuilt (create, copy, drop, rename,
-- indexes again), with foreign keys off for this migration and checked before it commits
-- (db_migrate does both when a migration carries the line below). PostgreSQL checks an IN
-- list without such cost: its twin changes nothing.
-- huizhan: rebuilds tables

-- projects
CREATE TABLE projects_new (
  id                  INTEGER PRIMARY KEY,
  version             INTEGER NOT NULL DEFAULT 1,
  created_at          TEXT NOT NULL,
  updated_at          TEXT NOT NULL,
  campaign_id         INTEGER NOT NULL REFERENCES campaigns(id),
  name                TEXT NOT NULL,
  lead_unit_id        INTEGER NOT NULL REFERENCES units(id),
  responsible_user_id INTEGER REFERENCES users(id),
  source_user_id      INTEGER REFERENCES users(id),
  source_name         TEXT,
  investor_id         INTEGER REFERENCES investors(id),
  category            TEXT NOT NULL CONSTRAINT category CHECK (category = 'industrial' OR category = 'restructuring' OR category = 'agri_industrialization' OR category = 'services' OR category = 'policy_funds' OR category = 'other'),
  method              TEXT NOT NULL CONSTRAINT method CHECK (method = 'industry' OR method = 'joint' OR method = 'relationship' OR method = 'borrowed_ship' OR method = 'business_led' OR method = 'fair' OR method = 'other'),
  planned_investment  INTEGER NOT NULL DEFAULT 0 CHECK (planned_investment >= 0),
  contract_value      INTEGER NOT NULL DEFAULT 0 CHECK (contract_value >= 0),
  event_id            INTEGER REFERENCES events(id),
  stage               TEXT NOT NULL DEFAULT 'lead' CONSTRAINT stage CHECK (stage = 'lead' OR stage = 'negotiating' OR stage = 'signed' OR stage = 'started' OR stage = 'completed' OR stage = 'dropped'),
  reinvestment_of     INTEGER REFERENCES projects(id),
  description         TEXT,
  lead_date           TEXT NOT NULL,              -- when the lead was recorded: counts in leads_count
  last_activity_date  TEXT NOT NULL,              -- latest of lead_date and follow-up dates (stale check)
  duplicate_of        INTEGER REFERENCES projects(id) -- settled as a duplicate claim: counted nowhere (R-PROG-10)
) STRICT;
INSERT INTO projects_new SELECT * FROM projects;
DROP TABLE projects;
ALTER TABLE projects_new RENAME TO projects;
CREATE INDEX projects_campaign ON projects(campaign_id, stage, last_activity_date, duplicate_of, lead_unit_id);
CREATE INDEX projects_investor ON projects(investor_id);
CREATE INDEX projects_name ON projects(lead_unit_id, name);
CREATE INDEX projects_unit ON projects(lead_unit_id, planned_investment);

-- stage_changes
CREATE TABLE stage_changes_new (
  id              INTEGER PRIMARY KEY,
  version         INTEGER NOT NULL DEFAULT 1,
  created_at      TEXT NOT NULL,
  updated_at      TEXT NOT NULL,
  project_id      INTEGER NOT NULL REFERENCES projects(id),
  campaign_id     INTEGER NOT NULL REFERENCES campaigns(id),
  unit_id         INTEGER NOT NULL REFERENCES units(id),
  from_stage      TEXT NOT NULL,
  to_stage        TEXT NOT NULL CONSTRAINT to_stage CHECK (to_stage = 'negotiating' OR to_stage = 'signed' OR to_stage = 'started' OR to_stage = 'completed' OR to_stage = 'dropped'),
  date            TEXT NOT NULL,
  contract_date   TEXT,
  contract_value  INTEGER CHECK (contract_value >= 0),
  start_date      TEXT,
  completion_date TEXT,
  reason          TEXT,
  note            TEXT,
  created_by      INTEGER REFERENCES users(id),
  status          TEXT NOT NULL DEFAULT 'reported' CONSTRAINT status CHECK (status = 'reported' OR status = 'certified' OR status = 'rejected'),
  reviewed_by     INTEGER REFERENCES users(id),
  reviewed_at     TEXT,
  reject_reason   TEXT
, certify_reason TEXT) STRICT;
INSERT INTO stage_changes_new SELECT * FROM stage_changes;
DROP TABLE stage_changes;
ALTER TABLE stage_changes_new RENAME TO stage_changes;
CREATE INDEX stage_changes_project ON stage_changes(project_id);
CREATE INDEX stage_changes_unit ON stage_changes(campaign_id, unit_id, status);

-- follow_ups
CREATE TABLE follow_ups_new (
  id                   INTEGER PRIMARY KEY,
  version              INTEGER NOT NULL DEFAULT 1,
  created_at           TEXT NOT NULL,
  updated_at           TEXT NOT NULL,
  project_id           INTEGER NOT NULL REFERENCES projects(id),
  campaign_id          INTEGER NOT NULL REFERENCES campaigns(id),
  unit_id              INTEGER NOT NULL REFERENCES units(id),
  date                 TEXT NOT NULL,
  kind                 TEXT NOT NULL CONSTRAINT kind CHECK (kind = 'outbound_visit' OR kind = 'investor_visit' OR kind = 'call' OR kind = 'meeting' OR kind = 'fair'),
  outside_participants TEXT,
  summary              TEXT NOT NULL,
  next_step            TEXT,
  next_date            TEXT,
  with_leader          INTEGER NOT NULL DEFAULT 0 CHECK (with_leader IN (0,1)), -- head or deputy took part (R-PROG-8)
  created_by           INTEGER REFERENCES users(id)
) STRICT;
INSERT INTO follow_ups_new SELECT * FROM follow_ups;
DROP TABLE follow_ups;
ALTER TABLE follow_ups_new RENAME TO follow_ups;
CREATE INDEX follow_ups_project ON follow_ups(project_id, date);
CREATE INDEX follow_ups_unit ON follow_ups(campaign_id, unit_id);

-- funds
CREATE TABLE funds_new (
  id            INTEGER PRIMARY KEY,
  version       INTEGER NOT NULL DEFAULT 1,
  created_at    TEXT NOT NULL,
  updated_at    TEXT NOT NULL,
  project_id    INTEGER NOT NULL REFERENCES projects(id),
  campaign_id   INTEGER NOT NULL REFERENCES campaigns(id),
  unit_id       INTEGER NOT NULL REFERENCES units(id),
  amount        INTEGER NOT NULL CHECK (amount > 0),
  date          TEXT NOT NULL,
  kind          TEXT NOT NULL CONSTRAINT kind CHECK (kind = 'out_of_city' OR kind = 'out_of_province' OR kind = 'foreign' OR kind = 'policy'),
  voucher_no    TEXT,
  note          TEXT,
  created_by    INTEGER REFERENCES users(id),
  status        TEXT NOT NULL DEFAULT 'reported' CONSTRAINT status CHECK (status = 'reported' OR status = 'certified' OR status = 'rejected'),
  reviewed_by   INTEGER REFERENCES users(id),
  reviewed_at   TEXT,
  reject_reason TEXT
, certify_reason TEXT) STRICT;
INSERT INTO funds_new SELECT * FROM funds;
DROP TABLE funds;
ALTER TABLE funds_new RENAME TO funds;
CREATE INDEX funds_key ON funds(project_id, date);
CREATE INDEX funds_project ON funds(project_id);
CREATE INDEX funds_unit ON funds(campaign_id, unit_id, status);

-- huizhan schema 1: every record a campaign keeps (SPEC §2).
-- Conventions: money is integer yuan; dates are 'YYYY-MM-DD' text; times are UTC
-- 'YYYY-MM-DDTHH:MM:SSZ' text; every editable record carries a version for 409 on conflict.

CREATE TABLE meta (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
) STRICT;
INSERT INTO meta (key, value) VALUES ('revision', '0'), ('audit_head', ''), ('audit_count', '0');

CREATE TABLE units (
  id             INTEGER PRIMARY KEY,
  version        INTEGER NOT NULL DEFAULT 1,
  created_at     TEXT NOT NULL,
  updated_at     TEXT NOT NULL,
  name           TEXT NOT NULL UNIQUE,
  short_name     TEXT,
  category       TEXT NOT NULL CHECK (category IN ('industry','agriculture','services','policy_funds','mass_org','other')),
  head_user_id   INTEGER REFERENCES users(id),
  deputy_user_id INTEGER REFERENCES users(id),
  phone          TEXT,
  note           TEXT
) STRICT;

CREATE TABLE sections (
  id         INTEGER PRIMARY KEY,
  version    INTEGER NOT NULL DEFAULT 1,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  unit_id    INTEGER NOT NULL REFERENCES units(id),
  name       TEXT NOT NULL,
  UNIQUE (unit_id, name)
) STRICT;

CREATE TABLE users (
  id            INTEGER PRIMARY KEY,
  version       INTEGER NOT NULL DEFAULT 1,
  created_at    TEXT NOT NULL,
  updated_at    TEXT NOT NULL,
  login         TEXT NOT NULL UNIQUE,
  name          TEXT NOT NULL,
  role          TEXT NOT NULL CHECK (role IN ('admin','office','leader','unit_head','unit_staff')),
  unit_id       INTEGER REFERENCES units(id),
  section_id    INTEGER REFERENCES sections(id),
  title         TEXT,
  phone         TEXT,
  disabled      INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0,1)),
  password_hash TEXT NOT NULL,
  CHECK ((role IN ('unit_head','unit_staff')) = (unit_id IS NOT NULL))
) STRICT;
CREATE INDEX users_unit ON users(unit_id);

CREATE TABLE sessions (
  id          INTEGER PRIMARY KEY,
  token_hash  TEXT NOT NULL UNIQUE,
  csrf_token  TEXT NOT NULL,
  user_id     INTEGER NOT NULL REFERENCES users(id),
  created_at  TEXT NOT NULL,
  expires_unix INTEGER NOT NULL
) STRICT;

CREATE TABLE api_tokens (
  id           INTEGER PRIMARY KEY,
  name         TEXT NOT NULL,
  token_hash   TEXT NOT NULL UNIQUE,
  user_id      INTEGER NOT NULL REFERENCES users(id),
  created_at   TEXT NOT NULL,
  revoked      INTEGER NOT NULL DEFAULT 0 CHECK (revoked IN (0,1))
) STRICT;

CREATE TABLE login_failures (
  id      INTEGER PRIMARY KEY,
  login   TEXT NOT NULL,
  at_unix INTEGER NOT NULL
) STRICT;
CREATE INDEX login_failures_login ON login_failures(login, at_unix);

CREATE TABLE campaigns (
  id         INTEGER PRIMARY KEY,
  version    INTEGER NOT NULL DEFAULT 1,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  name       TEXT NOT NULL,
  year       INTEGER NOT NULL CHECK (year BETWEEN 2000 AND 2100),
  start_date TEXT NOT NULL,
  end_date   TEXT NOT NULL,
  status     TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft','active','closed')),
  time_zone  TEXT NOT NULL DEFAULT 'Asia/Shanghai',
  CHECK (end_date >= start_date)
) STRICT;

CREATE TABLE checkpoints (
  id          INTEGER PRIMARY KEY,
  version     INTEGER NOT NULL DEFAULT 1,
  created_at  TEXT NOT NULL,
  updated_at  TEXT NOT NULL,
  campaign_id INTEGER NOT NULL REFERENCES campaigns(id),
  name        TEXT NOT NULL,
  kind        TEXT NOT NULL CHECK (kind IN ('month_end','midpoint','fair','final','other')),
  date        TEXT NOT NULL
) STRICT;
CREATE INDEX checkpoints_campaign ON checkpoints(campaign_id, date);

CREATE TABLE targets (
  id          INTEGER PRIMARY KEY,
  version     INTEGER NOT NULL DEFAULT 1,
  created_at  TEXT NOT NULL,
  updated_at  TEXT NOT NULL,
  campaign_id INTEGER NOT NULL REFERENCES campaigns(id),
  scope       TEXT NOT NULL DEFAULT 'campaign' CHECK (scope IN ('campaign','annual')),
  unit_id     INTEGER NOT NULL REFERENCES units(id),
  section_id  INTEGER REFERENCES sections(id),
  user_id     INTEGER REFERENCES users(id),
  metric      TEXT NOT NULL CHECK (metric IN ('funds_arrived','signed_count','signed_value','started_count','completed_count','policy_funds','leads_count')),
  value       INTEGER NOT NULL CHECK (value >= 0),
  CHECK (section_id IS NULL OR user_id IS NULL)
) STRICT;
CREATE UNIQUE INDEX targets_one ON targets(campaign_id, scope, unit_id, metric, COALESCE(section_id, 0), COALESCE(user_id, 0));

CREATE TABLE investors (
  id            INTEGER PRIMARY KEY,
  version       INTEGER NOT NULL DEFAULT 1,
  created_at    TEXT NOT NULL,
  updated_at    TEXT NOT NULL,
  name          TEXT NOT NULL,
  kind          TEXT NOT NULL CHECK (kind IN ('enterprise','person')),
  origin        TEXT NOT NULL CHECK (origin IN ('local','in_province','out_of_province','overseas')),
  industry      TEXT,
  contact_name  TEXT,
  contact_phone TEXT,
  unit_id       INTEGER NOT NULL REFERENCES units(id),
  note          TEXT
) STRICT;
CREATE INDEX investors_unit ON investors(unit_id);

CREATE TABLE events (
  id          INTEGER PRIMARY KEY,
  version     INTEGER NOT NULL DEFAULT 1,
  created_at  TEXT NOT NULL,
  updated_at  TEXT NOT NULL,
  campaign_id INTEGER REFERENCES campaigns(id),
  name        TEXT NOT NULL,
  start_date  TEXT NOT NULL,
  end_date    TEXT NOT NULL,
  place       TEXT,
  CHECK (end_date >= start_date)
) STRICT;

CREATE TABLE projects (
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
  category            TEXT NOT NULL CHECK (category IN ('industrial','restructuring','agri_industrialization','services','policy_funds','other')),
  method              TEXT NOT NULL CHECK (method IN ('industry','joint','relationship','borrowed_ship','business_led','fair','other')),
  planned_investment  INTEGER NOT NULL DEFAULT 0 CHECK (planned_investment >= 0),
  contract_value      INTEGER NOT NULL DEFAULT 0 CHECK (contract_value >= 0),
  event_id            INTEGER REFERENCES events(id),
  stage               TEXT NOT NULL DEFAULT 'lead' CHECK (stage IN ('lead','negotiating','signed','started','completed','dropped')),
  reinvestment_of     INTEGER REFERENCES projects(id),
  description         TEXT,
  lead_date           TEXT NOT NULL,              -- when the lead was recorded: counts in leads_count
  last_activity_date  TEXT NOT NULL,              -- latest of lead_date and follow-up dates (stale check)
  duplicate_of        INTEGER REFERENCES projects(id) -- settled as a duplicate claim: counted nowhere (R-PROG-10)
) STRICT;
CREATE INDEX projects_unit ON projects(lead_unit_id, planned_investment);
-- Covers the stale-project count and list (domain/progress.c), which would otherwise read
-- every open project row of the campaign for duplicate_of and lead_unit_id.
CREATE INDEX projects_campaign ON projects(campaign_id, stage, last_activity_date, duplicate_of, lead_unit_id);
CREATE INDEX projects_investor ON projects(investor_id);

CREATE TABLE project_units (
  project_id INTEGER NOT NULL REFERENCES projects(id),
  unit_id    INTEGER NOT NULL REFERENCES units(id),
  PRIMARY KEY (project_id, unit_id)
) STRICT;
CREATE INDEX project_units_unit ON project_units(unit_id);

CREATE TABLE stage_changes (
  id              INTEGER PRIMARY KEY,
  version         INTEGER NOT NULL DEFAULT 1,
  created_at      TEXT NOT NULL,
  updated_at      TEXT NOT NULL,
  project_id      INTEGER NOT NULL REFERENCES projects(id),
  campaign_id     INTEGER NOT NULL REFERENCES campaigns(id),
  unit_id         INTEGER NOT NULL REFERENCES units(id),
  from_stage      TEXT NOT NULL,
  to_stage        TEXT NOT NULL CHECK (to_stage IN ('negotiating','signed','started','completed','dropped')),
  date            TEXT NOT NULL,
  contract_date   TEXT,
  contract_value  INTEGER CHECK (contract_value >= 0),
  start_date      TEXT,
  completion_date TEXT,
  reason          TEXT,
  note            TEXT,
  created_by      INTEGER REFERENCES users(id),
  status          TEXT NOT NULL DEFAULT 'reported' CHECK (status IN ('reported','certified','rejected')),
  reviewed_by     INTEGER REFERENCES users(id),
  reviewed_at     TEXT,
  reject_reason   TEXT
) STRICT;
CREATE INDEX stage_changes_project ON stage_changes(project_id);
CREATE INDEX stage_changes_unit ON stage_changes(campaign_id, unit_id, status);

CREATE TABLE follow_ups (
  id                   INTEGER PRIMARY KEY,
  version              INTEGER NOT NULL DEFAULT 1,
  created_at           TEXT NOT NULL,
  updated_at           TEXT NOT NULL,
  project_id           INTEGER NOT NULL REFERENCES projects(id),
  campaign_id          INTEGER NOT NULL REFERENCES campaigns(id),
  unit_id              INTEGER NOT NULL REFERENCES units(id),
  date                 TEXT NOT NULL,
  kind                 TEXT NOT NULL CHECK (kind IN ('outbound_visit','investor_visit','call','meeting','fair')),
  outside_participants TEXT,
  summary              TEXT NOT NULL,
  next_step            TEXT,
  next_date            TEXT,
  with_leader          INTEGER NOT NULL DEFAULT 0 CHECK (with_leader IN (0,1)), -- head or deputy took part (R-PROG-8)
  created_by           INTEGER REFERENCES users(id)
) STRICT;
CREATE INDEX follow_ups_project ON follow_ups(project_id, date);
CREATE INDEX follow_ups_unit ON follow_ups(campaign_id, unit_id);

CREATE TABLE follow_up_participants (
  follow_up_id INTEGER NOT NULL REFERENCES follow_ups(id),
  user_id      INTEGER NOT NULL REFERENCES users(id),
  PRIMARY KEY (follow_up_id, user_id)
) STRICT;

CREATE TABLE funds (
  id            INTEGER PRIMARY KEY,
  version       INTEGER NOT NULL DEFAULT 1,
  created_at    TEXT NOT NULL,
  updated_at    TEXT NOT NULL,
  project_id    INTEGER NOT NULL REFERENCES projects(id),
  campaign_id   INTEGER NOT NULL REFERENCES campaigns(id),
  unit_id       INTEGER NOT NULL REFERENCES units(id),
  amount        INTEGER NOT NULL CHECK (amount > 0),
  date          TEXT NOT NULL,
  kind          TEXT NOT NULL CHECK (kind IN ('out_of_city','out_of_province','foreign','policy')),
  voucher_no    TEXT,
  note          TEXT,
  created_by    INTEGER REFERENCES users(id),
  status        TEXT NOT NULL DEFAULT 'reported' CHECK (status IN ('reported','certified','rejected')),
  reviewed_by   INTEGER REFERENCES users(id),
  reviewed_at   TEXT,
  reject_reason TEXT
) STRICT;
CREATE INDEX funds_project ON funds(project_id);
CREATE INDEX funds_unit ON funds(campaign_id, unit_id, status);

CREATE TABLE blobs (
  sha256 TEXT PRIMARY KEY,
  size   INTEGER NOT NULL,
  data   BLOB NOT NULL
) STRICT;

CREATE TABLE attachments (
  id              INTEGER PRIMARY KEY,
  version         INTEGER NOT NULL DEFAULT 1,
  created_at      TEXT NOT NULL,
  updated_at      TEXT NOT NULL,
  project_id      INTEGER NOT NULL REFERENCES projects(id),
  stage_change_id INTEGER REFERENCES stage_changes(id),
  fund_id         INTEGER REFERENCES funds(id),
  filename        TEXT NOT NULL,
  content_type    TEXT NOT NULL,
  size            INTEGER NOT NULL CHECK (size > 0),
  sha256          TEXT NOT NULL REFERENCES blobs(sha256),
  created_by      INTEGER REFERENCES users(id)
) STRICT;
CREATE INDEX attachments_project ON attachments(project_id);

CREATE TABLE teams (
  id             INTEGER PRIMARY KEY,
  version        INTEGER NOT NULL DEFAULT 1,
  created_at     TEXT NOT NULL,
  updated_at     TEXT NOT NULL,
  unit_id        INTEGER NOT NULL REFERENCES units(id),
  campaign_id    INTEGER NOT NULL REFERENCES campaigns(id),
  name           TEXT NOT NULL,
  leader_user_id INTEGER REFERENCES users(id)
) STRICT;

CREATE TABLE team_members (
  team_id INTEGER NOT NULL REFERENCES teams(id),
  user_id INTEGER NOT NULL REFERENCES users(id),
  PRIMARY KEY (team_id, user_id)
) STRICT;

-- Figures (R-PROG): what each project contributes, kept beside the raw records in the
-- same transaction (domain/figures.c), so dashboards read O(units) rows, never projects.
-- day: the date (day number) a dated figure happened; 0 for current-state figures;
-- the number of days spent for stage-duration histograms (metric days_<stage>).
CREATE TABLE project_figures (
  project_id  INTEGER NOT NULL, -- no foreign key: derived data, checked by `huizhan check`
  campaign_id INTEGER NOT NULL,
  unit_id     INTEGER NOT NULL,
  metric      TEXT NOT NULL,
  day         INTEGER NOT NULL,
  reported    INTEGER NOT NULL,
  certified   INTEGER NOT NULL,
  PRIMARY KEY (project_id, metric, day)
) STRICT;

-- Sums of project_figures per unit and day, and per unit over all days.
CREATE TABLE unit_figures (
  campaign_id INTEGER NOT NULL,
  unit_id     INTEGER NOT NULL,
  metric      TEXT NOT NULL,
  day         INTEGER NOT NULL,
  reported    INTEGER NOT NULL,
  certified   INTEGER NOT NULL,
  PRIMARY KEY (campaign_id, unit_id, metric, day)
) STRICT;

CREATE TABLE unit_totals (
  campaign_id INTEGER NOT NULL,
  unit_id     INTEGER NOT NULL,
  metric      TEXT NOT NULL,
  reported    INTEGER NOT NULL,
  certified   INTEGER NOT NULL,
  PRIMARY KEY (campaign_id, unit_id, metric)
) STRICT;

-- Settings of the progress engine per campaign; defaults in domain/settings.c.
CREATE TABLE campaign_settings (
  campaign_id   INTEGER PRIMARY KEY REFERENCES campaigns(id),
  version       INTEGER NOT NULL DEFAULT 1,
  updated_at    TEXT NOT NULL,
  settings      TEXT NOT NULL   -- JSON object, validated by domain/settings.c
) STRICT;

-- Frozen figures of a campaign as of a day (R-PROG-11): never updated.
CREATE TABLE snapshots (
  id          INTEGER PRIMARY KEY,
  campaign_id INTEGER NOT NULL REFERENCES campaigns(id),
  as_of       TEXT NOT NULL,
  label       TEXT NOT NULL,
  created_at  TEXT NOT NULL,
  created_by  INTEGER REFERENCES users(id),
  figures     TEXT NOT NULL,
  sha256      TEXT NOT NULL
) STRICT;
CREATE TRIGGER snapshots_no_update BEFORE UPDATE ON snapshots
  BEGIN SELECT RAISE(ABORT, 'snapshots are frozen'); END;

-- Pairs of projects the office looked at and found not to be duplicates.
CREATE TABLE duplicate_dismissals (
  project_a  INTEGER NOT NULL REFERENCES projects(id),
  project_b  INTEGER NOT NULL REFERENCES projects(id),
  created_at TEXT NOT NULL,
  PRIMARY KEY (project_a, project_b),
  CHECK (project_a < project_b)
) STRICT;

-- Append-only, hash-chained (R-SEC-4): hash = SHA-256(prev_hash | fields), see domain/audit.c.
CREATE TABLE audit_log (
  id        INTEGER PRIMARY KEY,
  at        TEXT NOT NULL,
  user_id   INTEGER,
  action    TEXT NOT NULL,
  entity    TEXT NOT NULL,
  entity_id INTEGER,
  before    TEXT,
  after     TEXT,
  prev_hash TEXT NOT NULL,
  hash      TEXT NOT NULL
) STRICT;
CREATE INDEX audit_entity ON audit_log(entity, entity_id);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
  BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
  BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;

-- huizhan schema 2: the working rhythm of a campaign (SPEC §2, §4): weekly reports,
-- coordination items, inspections, bulletins, rules and their proposals, admonitions,
-- instructions (批示), notifications and the in-process job schedule.

CREATE TABLE weekly_reports (
  id              INTEGER PRIMARY KEY,
  version         INTEGER NOT NULL DEFAULT 1,
  created_at      TEXT NOT NULL,
  updated_at      TEXT NOT NULL,
  campaign_id     INTEGER NOT NULL REFERENCES campaigns(id),
  unit_id         INTEGER NOT NULL REFERENCES units(id),
  week            INTEGER NOT NULL CHECK (week >= 1),
  week_start      TEXT NOT NULL,
  week_end        TEXT NOT NULL,
  figures         TEXT NOT NULL,          -- JSON filled in by the system from the data
  work_done       TEXT,
  problems        TEXT,
  next_plan       TEXT,
  status          TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft','submitted','reviewed')),
  submitted_at    TEXT,
  submitted_by    INTEGER REFERENCES users(id),
  heard           INTEGER NOT NULL DEFAULT 0 CHECK (heard IN (0,1)),
  review_comments TEXT,
  reviewed_on     TEXT,
  reviewed_by     INTEGER REFERENCES users(id),
  UNIQUE (campaign_id, unit_id, week)
) STRICT;

CREATE TABLE coordination_items (
  id               INTEGER PRIMARY KEY,
  version          INTEGER NOT NULL DEFAULT 1,
  created_at       TEXT NOT NULL,
  updated_at       TEXT NOT NULL,
  campaign_id      INTEGER NOT NULL REFERENCES campaigns(id),
  unit_id          INTEGER NOT NULL REFERENCES units(id),     -- the unit that must solve it
  weekly_report_id INTEGER REFERENCES weekly_reports(id),    -- raised in this report, if any
  title            TEXT NOT NULL,
  description      TEXT,
  raised_by        INTEGER REFERENCES users(id),
  due_date         TEXT NOT NULL,
  status           TEXT NOT NULL DEFAULT 'assigned'
                   CHECK (status IN ('assigned','signed_off','handled','feedback','reviewed','closed')),
  handling         TEXT,
  feedback         TEXT,
  review_note      TEXT,
  reminders        INTEGER NOT NULL DEFAULT 0,
  last_reminded_on TEXT,
  closed_on        TEXT
) STRICT;
CREATE INDEX coordination_items_due ON coordination_items(campaign_id, status, due_date);

CREATE TABLE inspections (
  id                  INTEGER PRIMARY KEY,
  version             INTEGER NOT NULL DEFAULT 1,
  created_at          TEXT NOT NULL,
  updated_at          TEXT NOT NULL,
  campaign_id         INTEGER NOT NULL REFERENCES campaigns(id),
  unit_id             INTEGER NOT NULL REFERENCES units(id),
  date                TEXT NOT NULL,
  inspectors          TEXT,
  leadership_score    INTEGER NOT NULL CHECK (leadership_score BETWEEN 0 AND 100),
  negotiation_score   INTEGER NOT NULL CHECK (negotiation_score BETWEEN 0 AND 100),
  funds_score         INTEGER NOT NULL CHECK (funds_score BETWEEN 0 AND 100),
  progress_score      INTEGER NOT NULL CHECK (progress_score BETWEEN 0 AND 100),
  leadership_findings TEXT,
  negotiation_findings TEXT,
  funds_findings      TEXT,
  progress_findings   TEXT,
  findings            TEXT,
  leadership_evidence TEXT,              -- JSON: R-PROG-8 figures at the time of the inspection
  published           INTEGER NOT NULL DEFAULT 0 CHECK (published IN (0,1))
) STRICT;

CREATE TABLE bulletins (
  id              INTEGER PRIMARY KEY,
  version         INTEGER NOT NULL DEFAULT 1,
  created_at      TEXT NOT NULL,
  updated_at      TEXT NOT NULL,
  campaign_id     INTEGER NOT NULL REFERENCES campaigns(id),
  number          INTEGER NOT NULL,      -- 第N期
  title           TEXT NOT NULL,
  issuer          TEXT NOT NULL,
  period_start    TEXT NOT NULL,
  period_end      TEXT NOT NULL,
  snapshot_id     INTEGER NOT NULL REFERENCES snapshots(id),
  content         TEXT NOT NULL,         -- JSON: tables, highlights, lagging units, rule outcomes
  intro           TEXT,
  highlights_text TEXT,
  closing         TEXT,
  status          TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft','published')),
  published_on    TEXT,
  sha256          TEXT,
  UNIQUE (campaign_id, number)
) STRICT;
-- A published bulletin never changes (its hash is in the audit chain too).
CREATE TRIGGER bulletins_frozen BEFORE UPDATE ON bulletins WHEN OLD.status = 'published'
  BEGIN SELECT RAISE(ABORT, 'published bulletins are immutable'); END;
CREATE TRIGGER bulletins_no_delete BEFORE DELETE ON bulletins WHEN OLD.status = 'published'
  BEGIN SELECT RAISE(ABORT, 'published bulletins are immutable'); END;

CREATE TABLE rules (
  id          INTEGER PRIMARY KEY,
  version     INTEGER NOT NULL DEFAULT 1,
  created_at  TEXT NOT NULL,
  updated_at  TEXT NOT NULL,
  campaign_id INTEGER NOT NULL REFERENCES campaigns(id),
  code        TEXT NOT NULL,
  name        TEXT NOT NULL,
  trigger_on  TEXT NOT NULL CHECK (trigger_on IN ('month_end','midpoint','fair','final','other','any_checkpoint','bulletin')),
  condition   TEXT NOT NULL,             -- JSON, see domain/rules.c
  outcome     TEXT NOT NULL CHECK (outcome IN ('full_time_investment','leave_post','accountability','commendation','admonition','other')),
  outcome_text TEXT NOT NULL,
  enabled     INTEGER NOT NULL DEFAULT 1 CHECK (enabled IN (0,1)),
  UNIQUE (campaign_id, code)
) STRICT;

CREATE TABLE proposals (
  id            INTEGER PRIMARY KEY,
  version       INTEGER NOT NULL DEFAULT 1,
  created_at    TEXT NOT NULL,
  updated_at    TEXT NOT NULL,
  campaign_id   INTEGER NOT NULL REFERENCES campaigns(id),
  rule_id       INTEGER NOT NULL REFERENCES rules(id),
  checkpoint_id INTEGER REFERENCES checkpoints(id),
  bulletin_id   INTEGER REFERENCES bulletins(id),
  unit_id       INTEGER NOT NULL REFERENCES units(id),
  outcome       TEXT NOT NULL,
  outcome_text  TEXT NOT NULL,
  basis         TEXT NOT NULL,           -- JSON: the rule and the figures that triggered it
  status        TEXT NOT NULL DEFAULT 'proposed' CHECK (status IN ('proposed','approved','dismissed')),
  decided_by    INTEGER REFERENCES users(id),
  decided_on    TEXT,
  note          TEXT,
  CHECK ((checkpoint_id IS NULL) <> (bulletin_id IS NULL))
) STRICT;
-- Re-evaluating adds nothing: one proposal per rule, occasion and unit.
CREATE UNIQUE INDEX proposals_once ON proposals(rule_id, COALESCE(checkpoint_id, 0), COALESCE(bulletin_id, 0), unit_id);

CREATE TABLE admonitions (
  id          INTEGER PRIMARY KEY,
  version     INTEGER NOT NULL DEFAULT 1,
  created_at  TEXT NOT NULL,
  updated_at  TEXT NOT NULL,
  campaign_id INTEGER NOT NULL REFERENCES campaigns(id),
  unit_id     INTEGER NOT NULL REFERENCES units(id),
  proposal_id INTEGER REFERENCES proposals(id),
  bulletin_id INTEGER REFERENCES bulletins(id),
  date        TEXT NOT NULL,
  leader      TEXT NOT NULL,             -- who held the talk
  head_name   TEXT,                      -- whose conduct was discussed
  basis       TEXT,
  notes       TEXT
) STRICT;

-- Leaders' instructions (批示) on a weekly report or a bulletin.
CREATE TABLE instructions (
  id               INTEGER PRIMARY KEY,
  created_at       TEXT NOT NULL,
  user_id          INTEGER NOT NULL REFERENCES users(id),
  weekly_report_id INTEGER REFERENCES weekly_reports(id),
  bulletin_id      INTEGER REFERENCES bulletins(id),
  text             TEXT NOT NULL,
  CHECK ((weekly_report_id IS NULL) <> (bulletin_id IS NULL))
) STRICT;

CREATE TABLE notifications (
  id          INTEGER PRIMARY KEY,
  version     INTEGER NOT NULL DEFAULT 1,
  created_at  TEXT NOT NULL,
  updated_at  TEXT NOT NULL,
  campaign_id INTEGER REFERENCES campaigns(id),
  unit_id     INTEGER REFERENCES units(id),
  kind        TEXT NOT NULL,             -- missing_report, overdue_reminder, early_warning, bulletin_published, ...
  text        TEXT NOT NULL
) STRICT;
CREATE INDEX notifications_unit ON notifications(unit_id, id);

-- Recurring jobs `huizhan serve` runs itself; each is also a CLI command (huizhan job NAME).
CREATE TABLE jobs (
  name         TEXT PRIMARY KEY,
  enabled      INTEGER NOT NULL DEFAULT 1 CHECK (enabled IN (0,1)),
  weekday      INTEGER CHECK (weekday BETWEEN 0 AND 6),   -- 0 = Sunday; NULL = every day
  at_time      TEXT NOT NULL,                             -- 'HH:MM' in the campaign zone
  last_run_on  TEXT
) STRICT;
INSERT INTO jobs (name, weekday, at_time) VALUES
  ('bulletin-draft', 1, '08:00'),
  ('missing-reports', 1, '09:00'),
  ('remind-overdue', NULL, '09:30'),
  ('early-warning', NULL, '10:00');

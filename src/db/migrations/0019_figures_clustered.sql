-- huizhan schema 19: the figures tables are stored in the order of their keys.
-- Each of them is found and written only by its primary key (a project's figures by
-- project, the unit sums by their upsert's key), yet SQLite kept each one twice: the rows
-- in a table of their own and the key in a separate index beside it, so every figure
-- written was two b-tree inserts and every one read two lookups. WITHOUT ROWID keeps the
-- rows in the key's b-tree itself: half the writes for a project's figures and the unit
-- sums a spreadsheet import or `huizhan gen` refreshes for every batch (about 2 % of an
-- import's instructions), and the per-project index of a province (~100 MB at a million
-- projects) is gone. Same columns, same keys, same rows; nothing references these tables.
-- PostgreSQL keeps a heap and an index whatever the table: its twin changes nothing.

CREATE TABLE project_figures_new (
  project_id  INTEGER NOT NULL, -- no foreign key: derived data, checked by `huizhan check`
  campaign_id INTEGER NOT NULL,
  unit_id     INTEGER NOT NULL,
  metric      TEXT NOT NULL,
  day         INTEGER NOT NULL,
  reported    INTEGER NOT NULL,
  certified   INTEGER NOT NULL,
  PRIMARY KEY (project_id, metric, day)
) STRICT, WITHOUT ROWID;
INSERT INTO project_figures_new SELECT project_id, campaign_id, unit_id, metric, day, reported, certified
  FROM project_figures;
DROP TABLE project_figures;
ALTER TABLE project_figures_new RENAME TO project_figures;

CREATE TABLE unit_figures_new (
  campaign_id INTEGER NOT NULL,
  unit_id     INTEGER NOT NULL,
  metric      TEXT NOT NULL,
  day         INTEGER NOT NULL,
  reported    INTEGER NOT NULL,
  certified   INTEGER NOT NULL,
  PRIMARY KEY (campaign_id, unit_id, metric, day)
) STRICT, WITHOUT ROWID;
INSERT INTO unit_figures_new SELECT campaign_id, unit_id, metric, day, reported, certified FROM unit_figures;
DROP TABLE unit_figures;
ALTER TABLE unit_figures_new RENAME TO unit_figures;

CREATE TABLE unit_totals_new (
  campaign_id INTEGER NOT NULL,
  unit_id     INTEGER NOT NULL,
  metric      TEXT NOT NULL,
  reported    INTEGER NOT NULL,
  certified   INTEGER NOT NULL,
  PRIMARY KEY (campaign_id, unit_id, metric)
) STRICT, WITHOUT ROWID;
INSERT INTO unit_totals_new SELECT campaign_id, unit_id, metric, reported, certified FROM unit_totals;
DROP TABLE unit_totals;
ALTER TABLE unit_totals_new RENAME TO unit_totals;

CREATE TABLE project_stays_new (
  project_id  INTEGER NOT NULL, -- no foreign key: derived data, checked by `huizhan check`
  campaign_id INTEGER NOT NULL,
  unit_id     INTEGER NOT NULL,
  stage       TEXT NOT NULL,    -- the stage stayed in: lead, negotiating, signed or started
  days        INTEGER NOT NULL, -- how long the stay lasted
  day         INTEGER NOT NULL, -- the day it ended (the next standing move)
  stays       INTEGER NOT NULL, -- how many such stays
  PRIMARY KEY (project_id, stage, days, day)
) STRICT, WITHOUT ROWID;
INSERT INTO project_stays_new SELECT project_id, campaign_id, unit_id, stage, days, day, stays FROM project_stays;
DROP TABLE project_stays;
ALTER TABLE project_stays_new RENAME TO project_stays;

CREATE TABLE unit_stays_new (
  campaign_id INTEGER NOT NULL,
  unit_id     INTEGER NOT NULL,
  stage       TEXT NOT NULL,
  days        INTEGER NOT NULL,
  day         INTEGER NOT NULL,
  stays       INTEGER NOT NULL,
  PRIMARY KEY (campaign_id, unit_id, stage, days, day)
) STRICT, WITHOUT ROWID;
INSERT INTO unit_stays_new SELECT campaign_id, unit_id, stage, days, day, stays FROM unit_stays;
DROP TABLE unit_stays;
ALTER TABLE unit_stays_new RENAME TO unit_stays;

CREATE TABLE unit_stay_totals_new (
  campaign_id INTEGER NOT NULL,
  unit_id     INTEGER NOT NULL,
  stage       TEXT NOT NULL,
  days        INTEGER NOT NULL,
  stays       INTEGER NOT NULL,
  PRIMARY KEY (campaign_id, unit_id, stage, days)
) STRICT, WITHOUT ROWID;
INSERT INTO unit_stay_totals_new SELECT campaign_id, unit_id, stage, days, stays FROM unit_stay_totals;
DROP TABLE unit_stay_totals;
ALTER TABLE unit_stay_totals_new RENAME TO unit_stay_totals;

-- huizhan schema 5: the stays behind the funnel's median days get tables of their own.
-- A stay was a figure whose metric name packed the stage and the length (days_lead:12), and
-- queries took the name apart again (with SQLite's instr). Now the stage and the length are
-- columns: project_stays per project as figures_of_project computes them, unit_stays their
-- sums per unit and day the stay ended, unit_stay_totals per unit over all days; the three
-- kept in step with project_figures, unit_figures and unit_totals by the same writes.
CREATE TABLE project_stays (
  project_id  INTEGER NOT NULL, -- no foreign key: derived data, checked by `huizhan check`
  campaign_id INTEGER NOT NULL,
  unit_id     INTEGER NOT NULL,
  stage       TEXT NOT NULL,    -- the stage stayed in: lead, negotiating, signed or started
  days        INTEGER NOT NULL, -- how long the stay lasted
  day         INTEGER NOT NULL, -- the day it ended (the next standing move)
  stays       INTEGER NOT NULL, -- how many such stays
  PRIMARY KEY (project_id, stage, days, day)
) STRICT;

CREATE TABLE unit_stays (
  campaign_id INTEGER NOT NULL,
  unit_id     INTEGER NOT NULL,
  stage       TEXT NOT NULL,
  days        INTEGER NOT NULL,
  day         INTEGER NOT NULL,
  stays       INTEGER NOT NULL,
  PRIMARY KEY (campaign_id, unit_id, stage, days, day)
) STRICT;

CREATE TABLE unit_stay_totals (
  campaign_id INTEGER NOT NULL,
  unit_id     INTEGER NOT NULL,
  stage       TEXT NOT NULL,
  days        INTEGER NOT NULL,
  stays       INTEGER NOT NULL,
  PRIMARY KEY (campaign_id, unit_id, stage, days)
) STRICT;

-- The packed rows move over, split: a stay ends in one of four stages, and the length
-- follows the colon ('days_lead:' is 10 characters, so it starts at the 11th).
CREATE TEMP TABLE stay_prefixes (stage TEXT NOT NULL, prefix TEXT NOT NULL);
INSERT INTO stay_prefixes VALUES ('lead', 'days_lead:'), ('negotiating', 'days_negotiating:'),
  ('signed', 'days_signed:'), ('started', 'days_started:');

INSERT INTO project_stays (project_id, campaign_id, unit_id, stage, days, day, stays)
SELECT f.project_id, f.campaign_id, f.unit_id, s.stage, CAST(substr(f.metric, length(s.prefix) + 1) AS INTEGER), f.day,
  f.reported
FROM project_figures f JOIN stay_prefixes s ON substr(f.metric, 1, length(s.prefix)) = s.prefix;

INSERT INTO unit_stays (campaign_id, unit_id, stage, days, day, stays)
SELECT f.campaign_id, f.unit_id, s.stage, CAST(substr(f.metric, length(s.prefix) + 1) AS INTEGER), f.day, f.reported
FROM unit_figures f JOIN stay_prefixes s ON substr(f.metric, 1, length(s.prefix)) = s.prefix;

INSERT INTO unit_stay_totals (campaign_id, unit_id, stage, days, stays)
SELECT f.campaign_id, f.unit_id, s.stage, CAST(substr(f.metric, length(s.prefix) + 1) AS INTEGER), f.reported
FROM unit_totals f JOIN stay_prefixes s ON substr(f.metric, 1, length(s.prefix)) = s.prefix;

DELETE FROM project_figures WHERE metric LIKE 'days\_%:%' ESCAPE '\';
DELETE FROM unit_figures WHERE metric LIKE 'days\_%:%' ESCAPE '\';
DELETE FROM unit_totals WHERE metric LIKE 'days\_%:%' ESCAPE '\';
DROP TABLE stay_prefixes;

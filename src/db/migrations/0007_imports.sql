-- huizhan schema 7: spreadsheet imports (issue 12).
-- An import uploaded through the API runs as a background job; its state, counts and
-- result (or error report, with the marked workbook) stay here for the uploader to poll.
CREATE TABLE import_jobs (
  id          INTEGER PRIMARY KEY,
  created_at  TEXT NOT NULL,
  finished_at TEXT,
  created_by  INTEGER NOT NULL REFERENCES users(id),
  kind        TEXT NOT NULL,
  filename    TEXT,
  dry_run     INTEGER NOT NULL DEFAULT 0 CHECK (dry_run IN (0,1)),
  state       TEXT NOT NULL DEFAULT 'running' CHECK (state IN ('running','done','failed')),
  rows_done   INTEGER NOT NULL DEFAULT 0,
  bytes_total INTEGER NOT NULL DEFAULT 0,
  result      TEXT,
  errors_xlsx BLOB
) STRICT;
CREATE INDEX import_jobs_user ON import_jobs(created_by);
-- Natural keys an import matches rows on (a project by name within its lead unit).
CREATE INDEX projects_name ON projects(lead_unit_id, name);
CREATE INDEX funds_key ON funds(project_id, date);

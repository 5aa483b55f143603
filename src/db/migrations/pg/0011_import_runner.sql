-- huizhan schema 11 (PostgreSQL twin of ../0011_import_runner.sql): which instance runs a
-- background import ("host pid").
ALTER TABLE import_jobs ADD COLUMN runner TEXT;

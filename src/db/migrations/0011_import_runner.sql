-- huizhan schema 11: several instances on one database (docs/scaling.md).
-- Which instance runs a background import ("host pid"), so that another instance asked
-- about it tells an import still running there from one cut off by a restart.
ALTER TABLE import_jobs ADD COLUMN runner TEXT;

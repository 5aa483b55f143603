-- huizhan schema 13: a published bulletin prints the audit chain's head and length as
-- they stood when it was published (R-SEC-4), so every paper copy witnesses the history
-- up to that day. NULL for bulletins published before. PostgreSQL: pg/0013_bulletin_audit_head.sql.
ALTER TABLE bulletins ADD COLUMN audit_head TEXT;
ALTER TABLE bulletins ADD COLUMN audit_count INTEGER;

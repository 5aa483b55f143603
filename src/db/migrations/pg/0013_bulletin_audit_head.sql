-- huizhan schema 13 (PostgreSQL): the same as ../0013_bulletin_audit_head.sql.
ALTER TABLE bulletins ADD COLUMN audit_head TEXT;
ALTER TABLE bulletins ADD COLUMN audit_count BIGINT;

-- huizhan schema 17: the backup job (issue 14, R-SEC-5). Every day at 02:00 (campaign
-- zone) a `huizhan serve` started with --backup-dir makes a dated, checked copy of the
-- database there and keeps the last --backup-keep; instances without a folder leave the
-- job to those with one. The same row for PostgreSQL is pg/0017_backup_job.sql (there the
-- job answers that pg_dump is the way).
INSERT INTO jobs (name, enabled, weekday, at_time) VALUES ('backup', 1, NULL, '02:00');

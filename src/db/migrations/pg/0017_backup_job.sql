-- huizhan schema 17 on PostgreSQL: the backup job's row (see ../0017_backup_job.sql).
INSERT INTO jobs (name, enabled, weekday, at_time) VALUES ('backup', 1, NULL, '02:00');

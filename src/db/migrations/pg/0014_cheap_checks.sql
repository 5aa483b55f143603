-- huizhan schema 14 (PostgreSQL): ../0014_cheap_checks.sql rebuilds four SQLite tables so their
-- enumeration CHECKs need no temporary table per row. PostgreSQL evaluates `x IN (…)` of
-- constants as a plain array test, at no such cost: nothing changes here but the version.
SELECT 1;

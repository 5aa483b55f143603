-- huizhan schema 18 on PostgreSQL: the quiet projects' index with `duplicate_of IS NULL` in
-- its predicate instead of its key. PostgreSQL takes only `=` as fixing a key column for
-- an order, so with duplicate_of second in the key (pg/0016) the dashboard's stale page
-- (store/progress_store.c, STALE_NOW: ORDER BY last_activity_date, id LIMIT 10) could not
-- be read off the index: it fetched all ~94,000 quiet projects of a province from the
-- table and sorted them after each write (64 ms of the 80 ms dashboard). Keyed
-- (campaign_id, last_activity_date, id) the page is its first ten entries; lead_unit_id
-- stays for a unit's count, read off the index alone. SQLite takes `IS NULL` as fixing the
-- column, so its index (0016) stays: ../0018_quiet_projects_pg.sql changes nothing there.
DROP INDEX projects_quiet;
CREATE INDEX projects_quiet ON projects(campaign_id, last_activity_date, id, lead_unit_id)
  WHERE stage IN ('lead', 'negotiating') AND duplicate_of IS NULL;

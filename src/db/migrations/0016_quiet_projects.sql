-- The dashboard's stale projects as of today: the quiet projects at lead or negotiating,
-- oldest activity first (store/progress_store.c, STALE_NOW). In this order the first page
-- is read off the index instead of sorting every quiet project (~94,000 at 500,000
-- projects) after each write, and the count reads the index alone.
CREATE INDEX projects_quiet ON projects(campaign_id, duplicate_of, last_activity_date, id, lead_unit_id, stage)
  WHERE stage IN ('lead', 'negotiating');

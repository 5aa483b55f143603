-- huizhan schema 20: the projects lose projects_campaign (0001), the costliest of their
-- indexes to write and no longer the best answer to any query:
--   the stale projects are read off projects_quiet (0016),
--   a unit's own projects (the inputs of its figures) off projects_list_lead_unit,
--   a stage's projects off projects_list_stage (both 0015).
-- Its key (campaign, stage, last activity, duplicate, unit) spreads new projects over
-- thousands of leaf pages, so each batch of an import rewrote most of them: 12 s of a
-- million-row import (bench/README.md). What only it still answered, the projects marked
-- as a duplicate of one (the list's duplicate_of filter, and the foreign-key check when a
-- project is deleted), is answered by an index of the few duplicates alone.
DROP INDEX projects_campaign;
CREATE INDEX projects_duplicates ON projects(duplicate_of) WHERE duplicate_of IS NOT NULL;

-- huizhan schema 19 (PostgreSQL): ../0019_figures_clustered.sql stores SQLite's figures
-- tables in their keys' b-trees (WITHOUT ROWID). PostgreSQL keeps a heap and an index
-- whatever the table: nothing changes here but the version.
SELECT 1;

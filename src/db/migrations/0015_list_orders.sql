-- huizhan schema 15: the big lists page deep and fast in every order they offer
-- (docs/scaling.md "Deep pages of the big lists"). Each list is asked for within a
-- campaign (campaign_id = ?) and ordered by one column with id breaking ties; an index on
-- (campaign_id, column) holds exactly that order (SQLite ends every index with the rowid),
-- so a page at any offset walks the index and reads only its own rows. The order by id
-- alone needs none (the table is in id order). The same DDL for PostgreSQL is
-- pg/0014_list_orders.sql.
CREATE INDEX projects_list_name ON projects(campaign_id, name);
CREATE INDEX projects_list_lead_unit ON projects(campaign_id, lead_unit_id);
CREATE INDEX projects_list_category ON projects(campaign_id, category);
CREATE INDEX projects_list_stage ON projects(campaign_id, stage);
CREATE INDEX projects_list_planned ON projects(campaign_id, planned_investment);
CREATE INDEX projects_list_contract ON projects(campaign_id, contract_value);
CREATE INDEX projects_list_lead_date ON projects(campaign_id, lead_date);
CREATE INDEX projects_list_activity ON projects(campaign_id, last_activity_date);
CREATE INDEX follow_ups_list_date ON follow_ups(campaign_id, date);
CREATE INDEX follow_ups_list_next ON follow_ups(campaign_id, next_date);
CREATE INDEX follow_ups_list_kind ON follow_ups(campaign_id, kind);
CREATE INDEX funds_list_amount ON funds(campaign_id, amount);
CREATE INDEX funds_list_date ON funds(campaign_id, date);
CREATE INDEX funds_list_kind ON funds(campaign_id, kind);

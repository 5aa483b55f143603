-- huizhan schema 15 (PostgreSQL): the same as ../0015_list_orders.sql. A list sorts
-- "column ASC NULLS FIRST, id ASC" or "column DESC NULLS LAST, id DESC" (as SQLite orders
-- NULLs); an index (campaign_id, column NULLS FIRST, id) gives the first walked forward
-- and the second walked backward. id is named: PostgreSQL's indexes do not end with it.
CREATE INDEX projects_list_name ON projects(campaign_id, name NULLS FIRST, id);
CREATE INDEX projects_list_lead_unit ON projects(campaign_id, lead_unit_id NULLS FIRST, id);
CREATE INDEX projects_list_category ON projects(campaign_id, category NULLS FIRST, id);
CREATE INDEX projects_list_stage ON projects(campaign_id, stage NULLS FIRST, id);
CREATE INDEX projects_list_planned ON projects(campaign_id, planned_investment NULLS FIRST, id);
CREATE INDEX projects_list_contract ON projects(campaign_id, contract_value NULLS FIRST, id);
CREATE INDEX projects_list_lead_date ON projects(campaign_id, lead_date NULLS FIRST, id);
CREATE INDEX projects_list_activity ON projects(campaign_id, last_activity_date NULLS FIRST, id);
CREATE INDEX follow_ups_list_date ON follow_ups(campaign_id, date NULLS FIRST, id);
CREATE INDEX follow_ups_list_next ON follow_ups(campaign_id, next_date NULLS FIRST, id);
CREATE INDEX follow_ups_list_kind ON follow_ups(campaign_id, kind NULLS FIRST, id);
CREATE INDEX funds_list_amount ON funds(campaign_id, amount NULLS FIRST, id);
CREATE INDEX funds_list_date ON funds(campaign_id, date NULLS FIRST, id);
CREATE INDEX funds_list_kind ON funds(campaign_id, kind NULLS FIRST, id);

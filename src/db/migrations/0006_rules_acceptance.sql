-- huizhan schema 6: what the acceptance run found missing (issue 10).
-- A notification says where to look: the API path of the record it is about.
ALTER TABLE notifications ADD COLUMN link TEXT;
-- Certifying a signing without its contract document needs a reason, which stays with
-- the record (R-PROG-1): the office's explanation of what it certified on.
ALTER TABLE stage_changes ADD COLUMN certify_reason TEXT;
ALTER TABLE funds ADD COLUMN certify_reason TEXT;

-- How far each user has read the notifications (the bell): the newest id they have seen.
-- Per user, not per browser, so the count is the same on the office PC and the phone.
CREATE TABLE notification_reads (
  user_id      INTEGER PRIMARY KEY REFERENCES users(id),
  last_seen_id INTEGER NOT NULL CHECK (last_seen_id >= 0),
  updated_at   TEXT NOT NULL
) STRICT;

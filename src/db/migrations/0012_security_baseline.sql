-- huizhan schema 12: the application's part of the 等保2.0 level 3 baseline (issue 14).
-- Sessions end after an idle time and at an absolute lifetime, both counted from here
-- (several instances share them); every login attempt is kept with its time and address;
-- passwords carry their age, a must-change mark and a history; two duty roles for the
-- separation of duties (三员分立). The same DDL for PostgreSQL is pg/0012_security_baseline.sql.
ALTER TABLE sessions ADD COLUMN created_unix INTEGER NOT NULL DEFAULT 0;
ALTER TABLE sessions ADD COLUMN last_seen_unix INTEGER NOT NULL DEFAULT 0;
-- Sessions open at the upgrade keep the 12 hours they were given.
UPDATE sessions SET created_unix = expires_unix - 43200, last_seen_unix = expires_unix - 43200;

ALTER TABLE users ADD COLUMN must_change_password INTEGER NOT NULL DEFAULT 0 CHECK (must_change_password IN (0,1));
-- 0: not known (set at the next login, so an old password starts to age then).
ALTER TABLE users ADD COLUMN password_changed_unix INTEGER NOT NULL DEFAULT 0;

CREATE TABLE password_history (
  id            INTEGER PRIMARY KEY,
  user_id       INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  password_hash TEXT NOT NULL,
  created_unix  INTEGER NOT NULL
) STRICT;
CREATE INDEX password_history_user ON password_history(user_id, id);

CREATE TABLE login_events (
  id       INTEGER PRIMARY KEY,
  at       TEXT NOT NULL,
  at_unix  INTEGER NOT NULL,
  login    TEXT NOT NULL,
  user_id  INTEGER REFERENCES users(id) ON DELETE SET NULL,
  address  TEXT NOT NULL,
  outcome  TEXT NOT NULL CHECK (outcome IN ('ok','bad_credentials','disabled','rate_limited'))
) STRICT;
CREATE INDEX login_events_user ON login_events(user_id, id);
CREATE INDEX login_events_login ON login_events(login, id);

-- The role list of users widens by two roles. SQLite cannot alter a CHECK constraint, and
-- rebuilding users would trip the foreign keys that point at it inside this transaction,
-- so the table's definition text is widened in place (a change SQLite documents as safe
-- for loosening a CHECK), and the schema reloaded.
PRAGMA writable_schema=ON;
UPDATE sqlite_schema
   SET sql = replace(sql, '''leader'',''unit_head'',''unit_staff''))',
                          '''leader'',''unit_head'',''unit_staff'',''security_admin'',''auditor''))')
 WHERE type = 'table' AND name = 'users';
PRAGMA writable_schema=RESET;

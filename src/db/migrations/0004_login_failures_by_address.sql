-- huizhan schema 4: failed logins are counted per login and address (R-SEC-1). Counting
-- per login alone let anyone lock an account, the admin's too, by failing on purpose;
-- now a login is held back only where it failed, and an address that fails on many
-- logins is held back as a whole.
ALTER TABLE login_failures ADD COLUMN address TEXT NOT NULL DEFAULT '';
CREATE INDEX login_failures_address ON login_failures(address, at_unix);

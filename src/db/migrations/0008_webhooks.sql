-- huizhan schema 8: group-robot notifications (R-OUT-5, issue 12).
-- The office's WeCom / DingTalk robots of a campaign. url and secret are write-only:
-- the API and the audit log see only their masked forms, kept beside them.
CREATE TABLE webhooks (
  id            INTEGER PRIMARY KEY,
  version       INTEGER NOT NULL DEFAULT 1,
  created_at    TEXT NOT NULL,
  updated_at    TEXT NOT NULL,
  campaign_id   INTEGER NOT NULL REFERENCES campaigns(id),
  kind          TEXT NOT NULL CHECK (kind IN ('wecom','dingtalk')),
  name          TEXT NOT NULL,
  url           TEXT NOT NULL,
  url_masked    TEXT NOT NULL,
  secret        TEXT,
  secret_masked TEXT,
  enabled       INTEGER NOT NULL DEFAULT 1 CHECK (enabled IN (0,1)),
  events        TEXT NOT NULL            -- JSON array of event codes (domain/webhooks.c)
) STRICT;
CREATE INDEX webhooks_campaign ON webhooks(campaign_id);

-- One message to one robot, queued in the transaction of what it reports and sent
-- afterwards by the sender (huizhan serve, huizhan job deliver-webhooks).
CREATE TABLE webhook_deliveries (
  id              INTEGER PRIMARY KEY,
  created_at      TEXT NOT NULL,
  updated_at      TEXT NOT NULL,
  campaign_id     INTEGER NOT NULL REFERENCES campaigns(id),
  webhook_id      INTEGER REFERENCES webhooks(id) ON DELETE SET NULL,
  webhook_name    TEXT NOT NULL,
  event           TEXT NOT NULL,
  title           TEXT NOT NULL,
  text            TEXT NOT NULL,
  link            TEXT,
  status          TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending','sent','failed')),
  attempts        INTEGER NOT NULL DEFAULT 0,
  next_attempt_ms INTEGER,               -- Unix ms; NULL once sent or given up
  sent_at         TEXT
) STRICT;
CREATE INDEX webhook_deliveries_due ON webhook_deliveries(status, next_attempt_ms);
CREATE INDEX webhook_deliveries_campaign ON webhook_deliveries(campaign_id, id);

-- Every attempt and what the robot answered.
CREATE TABLE webhook_attempts (
  id            INTEGER PRIMARY KEY,
  delivery_id   INTEGER NOT NULL REFERENCES webhook_deliveries(id),
  at            TEXT NOT NULL,
  http_status   INTEGER,                 -- NULL when no answer came
  errcode       INTEGER,                 -- the robot's errcode, NULL when it gave none
  errmsg        TEXT,
  next_retry_at TEXT                     -- NULL: sent, or no more retries
) STRICT;
CREATE INDEX webhook_attempts_delivery ON webhook_attempts(delivery_id, id);

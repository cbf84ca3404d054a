-- Each delivery attempt's outcome, for the console's "recent deliveries" (the queue row itself
-- is deleted once delivered or given up). `status` is the HTTP status the target answered,
-- NULL when it did not answer; `error` says what went wrong. Rows older than 30 days are
-- removed as new attempts of the same webhook are recorded.
CREATE TABLE webhook_attempts (
    id          TEXT PRIMARY KEY NOT NULL,
    webhook_id  TEXT NOT NULL REFERENCES webhooks (id) ON DELETE CASCADE,
    delivery_id TEXT NOT NULL,
    event       TEXT NOT NULL,
    status      TEXT,
    error       TEXT,
    at          BIGINT NOT NULL
);
CREATE INDEX webhook_attempts_recent ON webhook_attempts (webhook_id, at);

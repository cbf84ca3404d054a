-- Webhooks registered through the Admin API (`/ghost/api/admin/webhooks/`), and the durable
-- queue of their deliveries. `event` is one of the allow-listed names (`domain::WebhookEvent`);
-- `secret` signs bodies (`X-Ghost-Signature`) and is NULL for unsigned hooks. The
-- `last_triggered_*` columns record the outcome of the latest delivery attempt, as Ghost.
CREATE TABLE webhooks (
    id                    TEXT PRIMARY KEY NOT NULL,
    event                 TEXT NOT NULL,
    target_url            TEXT NOT NULL,
    name                  TEXT,
    secret                TEXT,
    api_version           TEXT NOT NULL,
    integration_id        TEXT,
    created_at            BIGINT NOT NULL,
    updated_at            BIGINT NOT NULL,
    last_triggered_at     BIGINT,
    last_triggered_status TEXT,
    last_triggered_error  TEXT
);
CREATE INDEX webhooks_event ON webhooks (event);

-- One row per (webhook, event occurrence) still to deliver. `body` is the exact JSON sent;
-- `attempts` counts tries so far; the worker picks rows whose `next_attempt_at` has passed.
-- A delivered or abandoned row is deleted; deleting a webhook deletes its queue.
CREATE TABLE webhook_deliveries (
    id              TEXT PRIMARY KEY NOT NULL,
    webhook_id      TEXT NOT NULL REFERENCES webhooks (id) ON DELETE CASCADE,
    event           TEXT NOT NULL,
    body            TEXT NOT NULL,
    attempts        BIGINT NOT NULL,
    next_attempt_at BIGINT NOT NULL,
    created_at      BIGINT NOT NULL
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at);

-- Positions of the clocks webhook watchers follow (e.g. `went_live`: scheduled posts up to this
-- time have fired `post.published`). Advanced by compare-and-set, so of several processes
-- watching, one fires each event.
CREATE TABLE webhook_clocks (
    name     TEXT PRIMARY KEY NOT NULL,
    position BIGINT NOT NULL
);

-- The member event log: append-only, one row per thing that happened to or was done by a
-- member (signed up, signed in, subscribed, payment failed, canceled, gifted, unsubscribed,
-- comped, a metered read, email changed), for the console's activity timeline. A member's
-- events go with the member. Amounts are in the currency's minor unit; `detail` is JSON text.
CREATE TABLE member_events (
    id        TEXT PRIMARY KEY NOT NULL,
    member_id TEXT NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    kind      TEXT NOT NULL,
    at        BIGINT NOT NULL,
    post_id   TEXT,
    tier      TEXT,
    amount    BIGINT,
    detail    TEXT NOT NULL DEFAULT 'null'
);
CREATE INDEX member_events_member_at ON member_events (member_id, at, id);

-- Members, tiers, subscriptions, sessions, sign-in tokens, Stripe event log, meter and gifts.

CREATE TABLE tiers (
    id            TEXT PRIMARY KEY NOT NULL,
    slug          TEXT NOT NULL UNIQUE,
    name          TEXT NOT NULL,
    description   TEXT NOT NULL DEFAULT '',
    benefits      TEXT NOT NULL DEFAULT '[]',
    monthly_price BIGINT NOT NULL DEFAULT 0,
    yearly_price  BIGINT NOT NULL DEFAULT 0,
    currency      TEXT NOT NULL DEFAULT 'usd',
    trial_days    BIGINT NOT NULL DEFAULT 0,
    active        BOOLEAN NOT NULL DEFAULT TRUE,
    created_at    BIGINT NOT NULL
);

CREATE TABLE members (
    id                 TEXT PRIMARY KEY NOT NULL,
    email              TEXT NOT NULL UNIQUE,
    name               TEXT NOT NULL DEFAULT '',
    password_hash      TEXT,
    stripe_customer_id TEXT UNIQUE,
    created_at         BIGINT NOT NULL,
    updated_at         BIGINT NOT NULL
);

-- One subscription per member: the tier they hold and its billing state.
CREATE TABLE subscriptions (
    member_id              TEXT PRIMARY KEY NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    tier                   TEXT NOT NULL,
    status                 TEXT NOT NULL,
    stripe_subscription_id TEXT,
    stripe_customer_id     TEXT,
    current_period_end     BIGINT,
    past_due_since         BIGINT,
    comped_until           BIGINT,
    cancel_at_period_end   BOOLEAN NOT NULL DEFAULT FALSE,
    last_event_at          BIGINT,
    updated_at             BIGINT NOT NULL
);
CREATE INDEX subscriptions_by_stripe ON subscriptions (stripe_subscription_id);

-- Session ids are stored only as SHA-256 hashes.
CREATE TABLE member_sessions (
    id_hash      TEXT PRIMARY KEY NOT NULL,
    member_id    TEXT NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    created_at   BIGINT NOT NULL,
    expires_at   BIGINT NOT NULL
);
CREATE INDEX member_sessions_by_member ON member_sessions (member_id);

-- Magic-link tokens and their one-time codes, stored only as hashes, single use.
CREATE TABLE login_tokens (
    token_hash TEXT PRIMARY KEY NOT NULL,
    code_hash  TEXT NOT NULL,
    email      TEXT NOT NULL,
    purpose    TEXT NOT NULL,
    member_id  TEXT,
    name       TEXT NOT NULL DEFAULT '',
    tier       TEXT NOT NULL DEFAULT '',
    redirect   TEXT NOT NULL DEFAULT '',
    attempts   BIGINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at    BIGINT
);
CREATE INDEX login_tokens_by_email ON login_tokens (email, created_at);

-- Stripe events already applied, for idempotency.
CREATE TABLE stripe_events (
    id          TEXT PRIMARY KEY NOT NULL,
    type        TEXT NOT NULL,
    received_at BIGINT NOT NULL
);

-- Gated articles a signed-in free member opened, for the 30-day meter.
CREATE TABLE meter_reads (
    member_id TEXT NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    post_id   TEXT NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
    read_at   BIGINT NOT NULL,
    PRIMARY KEY (member_id, post_id)
);

CREATE TABLE gift_links (
    id         TEXT PRIMARY KEY NOT NULL,
    member_id  TEXT NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    post_id    TEXT NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    revoked    BOOLEAN NOT NULL DEFAULT FALSE
);
CREATE INDEX gift_links_by_member ON gift_links (member_id, created_at);

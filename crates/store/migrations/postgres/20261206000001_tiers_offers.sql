-- Tiers for sale: shown on the sign-up page or not, their order there, and their Stripe Product
-- and current Prices (with the terms each Price was made for, "usd 1500", so an unchanged save
-- makes no new Price). Offers (Ghost's: a discount or trial on one tier and cadence, by code),
-- their redemptions (one per Stripe subscription, so a replayed webhook counts once), and the
-- offer a member's subscription used.
ALTER TABLE tiers ADD COLUMN visible BOOLEAN NOT NULL DEFAULT TRUE;
ALTER TABLE tiers ADD COLUMN sort_order BIGINT NOT NULL DEFAULT 0;
ALTER TABLE tiers ADD COLUMN stripe_product_id TEXT;
ALTER TABLE tiers ADD COLUMN stripe_monthly_price_id TEXT;
ALTER TABLE tiers ADD COLUMN stripe_monthly_terms TEXT;
ALTER TABLE tiers ADD COLUMN stripe_yearly_price_id TEXT;
ALTER TABLE tiers ADD COLUMN stripe_yearly_terms TEXT;

CREATE TABLE offers (
    id                  TEXT PRIMARY KEY NOT NULL,
    name                TEXT NOT NULL,
    code                TEXT NOT NULL,
    code_key            TEXT NOT NULL UNIQUE,
    display_title       TEXT NOT NULL DEFAULT '',
    display_description TEXT NOT NULL DEFAULT '',
    kind                TEXT NOT NULL,
    amount              BIGINT NOT NULL,
    currency            TEXT,
    tier_id             TEXT NOT NULL REFERENCES tiers (id),
    cadence             TEXT NOT NULL,
    duration            TEXT NOT NULL,
    duration_in_months  BIGINT,
    active              BOOLEAN NOT NULL DEFAULT TRUE,
    retention           BOOLEAN NOT NULL DEFAULT FALSE,
    stripe_coupon_id    TEXT,
    created_at          BIGINT NOT NULL,
    updated_at          BIGINT NOT NULL
);

CREATE TABLE offer_redemptions (
    offer_id               TEXT NOT NULL REFERENCES offers (id),
    stripe_subscription_id TEXT NOT NULL,
    member_id              TEXT,
    created_at             BIGINT NOT NULL,
    PRIMARY KEY (offer_id, stripe_subscription_id)
);

ALTER TABLE subscriptions ADD COLUMN offer_id TEXT;

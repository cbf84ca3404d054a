-- The dashboard's own analytics (issue 16 §4): page views counted from the theme's beacon,
-- aggregated per post per UTC day (`day`: days since 1970-01-01). No client address and no
-- user agent is ever stored: unique visitors are counted by a salted hash whose salt is
-- random per day and deleted, with that day's hashes, once the day is over.
CREATE TABLE post_views_daily (
    post_id       TEXT NOT NULL,
    day           BIGINT NOT NULL,
    views         BIGINT NOT NULL DEFAULT 0,
    uniques       BIGINT NOT NULL DEFAULT 0,
    paywall_shown BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (post_id, day)
);
-- Periods are read by day; the covering columns spare the table lookups.
CREATE INDEX post_views_daily_by_day ON post_views_daily (day, post_id, views, uniques, paywall_shown);

-- The whole site per day: views and unique visitors (a visitor reading three posts counts once).
CREATE TABLE site_views_daily (
    day      BIGINT PRIMARY KEY NOT NULL,
    views    BIGINT NOT NULL DEFAULT 0,
    visitors BIGINT NOT NULL DEFAULT 0
);

-- Today's salt, shared by every node; deleted when its day is over.
CREATE TABLE view_salts (
    day  BIGINT PRIMARY KEY NOT NULL,
    salt TEXT NOT NULL
);

-- Today's visitor hashes, per post ('' for the site), only to tell a repeat visit from a new
-- one; deleted with the day's salt.
CREATE TABLE view_visitors (
    day     BIGINT NOT NULL,
    post_id TEXT NOT NULL,
    visitor TEXT NOT NULL,
    PRIMARY KEY (day, post_id, visitor)
);

-- The post a member was reading when they signed up (from the sign-up's redirect path).
ALTER TABLE members ADD COLUMN attribution_post_id TEXT;
CREATE INDEX members_by_attribution ON members (attribution_post_id);

-- A paid subscription started or ended (kind 'started' / 'ended'), with the post the member
-- was attributed to at that moment: new paid, churn and conversions per post.
CREATE TABLE paid_changes (
    id        TEXT PRIMARY KEY NOT NULL,
    member_id TEXT NOT NULL,
    kind      TEXT NOT NULL,
    tier      TEXT NOT NULL,
    post_id   TEXT,
    at        BIGINT NOT NULL
);
CREATE INDEX paid_changes_by_at ON paid_changes (at);
CREATE INDEX paid_changes_by_post ON paid_changes (post_id, kind);

-- Members by kind at the end of each day, written by the hourly `analytics.snapshot` job
-- (subscriptions keep no history, so the past cannot be recomputed).
CREATE TABLE member_counts_daily (
    day    BIGINT PRIMARY KEY NOT NULL,
    free   BIGINT NOT NULL,
    paid   BIGINT NOT NULL,
    comped BIGINT NOT NULL
);

-- The members console (issue 16 §2): a note, the email opt-out and when the member was last
-- seen on each member; labels and which members carry them; indexes for the console's list,
-- which is filtered and sorted newest first (`store/members/list.rs`).
--
-- `subscribed` is Ghost's `subscribed` (the member gets newsletters); the console's
-- "unsubscribe from email" clears it and the filter field `email_disabled` is its negation.
-- `last_seen_at` is written at most once an hour per member (`ops::members::seen`).
ALTER TABLE members ADD COLUMN note TEXT NOT NULL DEFAULT '';
ALTER TABLE members ADD COLUMN subscribed BOOLEAN NOT NULL DEFAULT TRUE;
ALTER TABLE members ADD COLUMN last_seen_at BIGINT;

-- Label names are unique whatever their case ("VIP" and "vip" are one label).
CREATE TABLE labels (
    id         TEXT PRIMARY KEY NOT NULL,
    name       TEXT NOT NULL,
    slug       TEXT NOT NULL UNIQUE,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX labels_by_name ON labels (LOWER(name));

CREATE TABLE member_labels (
    member_id TEXT NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    label_id  TEXT NOT NULL REFERENCES labels (id) ON DELETE CASCADE,
    PRIMARY KEY (member_id, label_id)
);
CREATE INDEX member_labels_by_label ON member_labels (label_id, member_id);

-- The list walks members newest first and stops after a page; filters on the subscription
-- (status, tier) read it by primary key as they go, and "last seen" sorts and ranges use their
-- own index.
CREATE INDEX members_by_created ON members (created_at, id);
CREATE INDEX members_by_last_seen ON members (last_seen_at, id);
CREATE INDEX subscriptions_by_tier ON subscriptions (tier, status);

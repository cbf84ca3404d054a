-- A post's newsletter request from the Admin API (`?newsletter=<slug>&email_segment=<segment>`):
-- "email this post to this newsletter's segment when it goes live". `newsletter` is a slug
-- (there is no newsletters table yet); `email_segment` is one of Ghost's three segments
-- (`domain::EmailSegment`). The newsletter sender sets `sent_at`; a sent request is never
-- changed. The row goes with its post: ON DELETE CASCADE, which SQLite enforces too because
-- `Store::open_sqlite` turns foreign keys on for every connection.
CREATE TABLE post_newsletters (
    post_id       TEXT PRIMARY KEY NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
    newsletter    TEXT NOT NULL,
    email_segment TEXT NOT NULL,
    requested_at  BIGINT NOT NULL,
    sent_at       BIGINT
);
-- What the sender looks for: requests not sent yet.
CREATE INDEX post_newsletters_unsent ON post_newsletters (post_id) WHERE sent_at IS NULL;

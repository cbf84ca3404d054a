-- Search and Related Articles.
-- `changed_at` is the store's change clock: set to the current time by every write to a post,
-- so the search index can follow changes (whatever `updated_at` the editor shows).
-- Deleted posts leave a tombstone for the same reason.
ALTER TABLE posts ADD COLUMN changed_at BIGINT NOT NULL DEFAULT 0;
CREATE INDEX posts_changed ON posts (changed_at, id);

CREATE TABLE post_tombstones (
    post_id    TEXT PRIMARY KEY NOT NULL,
    deleted_at BIGINT NOT NULL
);
CREATE INDEX post_tombstones_deleted ON post_tombstones (deleted_at);

-- Related Articles, computed by the indexer when a post is published or changes.
-- A `related_sets` row means the list was computed (it may be empty). `related_id` has no
-- foreign key: when a listed post is deleted, its row tells the indexer which lists to redo.
CREATE TABLE related_sets (
    post_id     TEXT PRIMARY KEY NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
    computed_at BIGINT NOT NULL
);

CREATE TABLE related_posts (
    post_id    TEXT NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
    position   BIGINT NOT NULL,
    related_id TEXT NOT NULL,
    PRIMARY KEY (post_id, position)
);
CREATE INDEX related_posts_by_related ON related_posts (related_id);

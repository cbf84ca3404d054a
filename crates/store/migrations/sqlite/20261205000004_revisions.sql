-- The newsroom's editor (issue 15). Revisions: every save of a post through `ops` keeps its
-- Markdown source and edited fields (JSON text), who saved it and when, numbered per post;
-- the unique number lets a save refuse to overwrite a newer revision than the one it read.
-- Bulk saves (the seeder, the demo) keep none.
CREATE TABLE post_revisions (
    id         TEXT PRIMARY KEY NOT NULL,
    post_id    TEXT NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
    number     BIGINT NOT NULL,
    markdown   TEXT NOT NULL,
    fields     TEXT NOT NULL,
    by_id      TEXT,
    by_name    TEXT,
    -- Made by an autosave, which a later autosave of the same editor may replace.
    autosaved  BOOLEAN NOT NULL DEFAULT FALSE,
    created_at BIGINT NOT NULL,
    UNIQUE (post_id, number)
);

-- Presence: who has a post open in the editor, by heartbeat, in the database so that every
-- node sees every editor.
CREATE TABLE post_presence (
    post_id   TEXT NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
    editor_id TEXT NOT NULL,
    name      TEXT NOT NULL,
    seen_at   BIGINT NOT NULL,
    PRIMARY KEY (post_id, editor_id)
);

-- Share links: a post's private preview address `/p/{preview_id}/`, made when first asked for.
ALTER TABLE posts ADD COLUMN preview_id TEXT;
CREATE UNIQUE INDEX posts_preview ON posts (preview_id);

-- The newsroom's posts list (`newsroom.rs`) walks these newest-edited first, all statuses or
-- one, without sorting 100,000 rows per page.
CREATE INDEX posts_newsroom ON posts (kind, updated_at, id);
CREATE INDEX posts_newsroom_status ON posts (kind, status, updated_at, id);

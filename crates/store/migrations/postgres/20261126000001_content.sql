-- Content: tags (sections and topics), authors, posts and pages, their links, site settings.
-- Timestamps are UTC microseconds since the Unix epoch; ids are UUIDv7 text.

CREATE TABLE tags (
    id          TEXT PRIMARY KEY NOT NULL,
    slug        TEXT NOT NULL UNIQUE,
    name        TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    kind        TEXT NOT NULL DEFAULT 'topic',
    created_at  BIGINT NOT NULL
);

CREATE TABLE authors (
    id          TEXT PRIMARY KEY NOT NULL,
    slug        TEXT NOT NULL UNIQUE,
    name        TEXT NOT NULL,
    bio         TEXT NOT NULL DEFAULT '',
    credentials TEXT NOT NULL DEFAULT '',
    avatar      TEXT,
    website     TEXT,
    created_at  BIGINT NOT NULL
);

CREATE TABLE posts (
    id               TEXT PRIMARY KEY NOT NULL,
    kind             TEXT NOT NULL,
    slug             TEXT NOT NULL UNIQUE,
    title            TEXT NOT NULL,
    dek              TEXT NOT NULL DEFAULT '',
    markdown         TEXT NOT NULL,
    free_html        TEXT NOT NULL,
    free_text        TEXT NOT NULL,
    gated_html       TEXT,
    gated_text       TEXT,
    image_url        TEXT,
    image_width      BIGINT,
    image_height     BIGINT,
    image_alt        TEXT NOT NULL DEFAULT '',
    image_caption    TEXT NOT NULL DEFAULT '',
    image_credit     TEXT NOT NULL DEFAULT '',
    status           TEXT NOT NULL,
    visibility       TEXT NOT NULL,
    visibility_tiers TEXT NOT NULL DEFAULT '[]',
    featured         BOOLEAN NOT NULL DEFAULT FALSE,
    meta_title       TEXT,
    meta_description TEXT,
    canonical_url    TEXT,
    published_at     BIGINT,
    created_at       BIGINT NOT NULL,
    updated_at       BIGINT NOT NULL
);

-- Listings walk this index newest first; `id` makes it covering for tag and author filters.
CREATE INDEX posts_listing ON posts (kind, status, published_at DESC, id);
CREATE INDEX posts_featured ON posts (featured, published_at DESC);
CREATE INDEX posts_updated ON posts (updated_at);
CREATE INDEX posts_created ON posts (created_at);

CREATE TABLE post_tags (
    post_id  TEXT NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
    tag_id   TEXT NOT NULL REFERENCES tags (id) ON DELETE CASCADE,
    position BIGINT NOT NULL,
    PRIMARY KEY (post_id, tag_id)
);
CREATE INDEX post_tags_by_tag ON post_tags (tag_id, post_id);

CREATE TABLE post_authors (
    post_id   TEXT NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
    author_id TEXT NOT NULL REFERENCES authors (id) ON DELETE CASCADE,
    position  BIGINT NOT NULL,
    PRIMARY KEY (post_id, author_id)
);
CREATE INDEX post_authors_by_author ON post_authors (author_id, post_id);

CREATE TABLE settings (
    key   TEXT PRIMARY KEY NOT NULL,
    value TEXT NOT NULL
);

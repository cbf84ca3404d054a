-- The media library: one row per stored image. `path` is where the original lives under
-- `content/images/` (`YYYY/MM/name-<content hash>.ext`); its variants live under
-- `size/w<width>/…` and `size/w<width>/format/webp/…` beside it, named after the same path.
-- Names carry a hash of the stored bytes, so a URL never changes meaning and may be cached for
-- a year. `variants` is the state of the variants job (`pending`, `ready`, `failed`, or `none`
-- for formats kept as uploaded), `variant_widths` the JSON list of widths made.
-- Replacing an image stores the new bytes under a new name in a new row and points the old
-- row's `replaced_by` at it: the old URLs keep serving the old bytes (posts that name them
-- still work), and the library lists only rows that were not replaced.
-- `uploaded_by` is a staff id, plain text until staff accounts exist.
CREATE TABLE media (
    id             TEXT PRIMARY KEY NOT NULL,
    path           TEXT NOT NULL UNIQUE,
    file_name      TEXT NOT NULL,
    mime           TEXT NOT NULL,
    bytes          BIGINT NOT NULL,
    width          BIGINT NOT NULL,
    height         BIGINT NOT NULL,
    alt            TEXT NOT NULL DEFAULT '',
    uploaded_by    TEXT,
    variants       TEXT NOT NULL,
    variant_widths TEXT NOT NULL DEFAULT '[]',
    replaced_by    TEXT,
    created_at     BIGINT NOT NULL
);

-- The library walks this newest first.
CREATE INDEX media_listing ON media (created_at DESC, id);
CREATE INDEX media_replaced_by ON media (replaced_by);

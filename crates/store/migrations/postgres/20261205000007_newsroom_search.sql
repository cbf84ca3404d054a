-- The newsroom's title search (issue 15), indexed: a `pg_trgm` GIN index over the lowercased
-- title answers `LOWER(title) LIKE '%word%'` for each word of the search (`newsroom.rs`), so no
-- search reads every row; PostgreSQL keeps it in step itself. (SQLite has an FTS5 word index for
-- the same job.) `pg_trgm` ships with PostgreSQL's contrib and is a trusted extension, so a
-- database owner may create it.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE INDEX posts_title_trgm ON posts USING gin (LOWER(title) gin_trgm_ops);

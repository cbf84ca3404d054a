-- The members search (issue 16 §2: a filtered page at 100,000 members in under 30 ms), indexed.
-- On PostgreSQL the `pg_trgm` GIN indexes over the lowercased email and name already answer
-- `LOWER(m.email) LIKE '%…%' OR LOWER(m.name) LIKE '%…%'` (`members/list.rs`): they were created
-- with the members console (`20261206000010_member_console`). This migration pairs SQLite's
-- FTS5 trigram index of the same version (the parity test wants both backends to know the same
-- versions) and only makes sure the extension and both indexes are there.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE INDEX IF NOT EXISTS members_email_trgm ON members USING gin (LOWER(email) gin_trgm_ops);
CREATE INDEX IF NOT EXISTS members_name_trgm ON members USING gin (LOWER(name) gin_trgm_ops);

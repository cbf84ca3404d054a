-- The newsroom's title search (issue 15), indexed: every word of the search must begin a word
-- of the title (case and accents aside), answered from an FTS5 index instead of a
-- `LIKE '%…%'` over every row (`newsroom.rs`). PostgreSQL has a `pg_trgm` index instead.
--
-- FTS5 rows are named by integers and posts by UUIDs, and a post's implicit rowid may change on
-- VACUUM, so `fts_post_keys` gives each post a stable integer key (`INTEGER PRIMARY KEY`) and a
-- title change or deletion finds its index row through the unique post id at once. Triggers
-- keep both in step with `posts` in the writing transaction; only a changed title touches the
-- index, so autosaves that keep the title cost nothing here. Tables named `fts_…` (and FTS5's
-- own shadow tables) are SQLite's search machinery with no PostgreSQL counterpart: the schema
-- parity test leaves them out.
CREATE TABLE fts_post_keys (
    key     INTEGER PRIMARY KEY,
    post_id TEXT NOT NULL UNIQUE
);

CREATE VIRTUAL TABLE fts_post_titles USING fts5 (title, tokenize = 'unicode61 remove_diacritics 2');

INSERT INTO fts_post_keys (post_id) SELECT id FROM posts;
INSERT INTO fts_post_titles (rowid, title)
    SELECT k.key, p.title FROM fts_post_keys k JOIN posts p ON p.id = k.post_id;

CREATE TRIGGER fts_post_titles_insert AFTER INSERT ON posts BEGIN
    INSERT INTO fts_post_keys (post_id) VALUES (new.id);
    INSERT INTO fts_post_titles (rowid, title)
        VALUES ((SELECT key FROM fts_post_keys WHERE post_id = new.id), new.title);
END;

CREATE TRIGGER fts_post_titles_update AFTER UPDATE OF title ON posts
WHEN old.title IS NOT new.title BEGIN
    UPDATE fts_post_titles SET title = new.title
        WHERE rowid = (SELECT key FROM fts_post_keys WHERE post_id = old.id);
END;

CREATE TRIGGER fts_post_titles_delete AFTER DELETE ON posts BEGIN
    DELETE FROM fts_post_titles WHERE rowid = (SELECT key FROM fts_post_keys WHERE post_id = old.id);
    DELETE FROM fts_post_keys WHERE post_id = old.id;
END;

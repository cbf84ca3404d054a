-- The members search (issue 16 §2: a filtered page at 100,000 members in under 30 ms), indexed:
-- an FTS5 `trigram` index over every member's email and name answers "contains this text" for
-- searches of 3+ characters instead of `LOWER(email) LIKE '%…%'` over every row
-- (`members/list.rs`, which keeps that LIKE as the final test, so results stay exactly as before;
-- shorter searches still scan). PostgreSQL has `pg_trgm` indexes instead.
--
-- As for the newsroom's title search, `fts_member_keys` gives each member a stable integer key
-- (a member's implicit rowid may change on VACUUM), and triggers keep both in step with
-- `members` in the writing transaction (sign-ups, imports, email changes, renames, deletions);
-- only a changed email or name touches the index. Tables named `fts_…` are SQLite's search
-- machinery with no PostgreSQL counterpart: the schema parity test leaves them out.
CREATE TABLE fts_member_keys (
    key       INTEGER PRIMARY KEY,
    member_id TEXT NOT NULL UNIQUE
);

CREATE VIRTUAL TABLE fts_member_search USING fts5 (email, name, tokenize = 'trigram');

INSERT INTO fts_member_keys (member_id) SELECT id FROM members;
INSERT INTO fts_member_search (rowid, email, name)
    SELECT k.key, m.email, m.name FROM fts_member_keys k JOIN members m ON m.id = k.member_id;

CREATE TRIGGER fts_member_search_insert AFTER INSERT ON members BEGIN
    INSERT INTO fts_member_keys (member_id) VALUES (new.id);
    INSERT INTO fts_member_search (rowid, email, name)
        VALUES ((SELECT key FROM fts_member_keys WHERE member_id = new.id), new.email, new.name);
END;

CREATE TRIGGER fts_member_search_update AFTER UPDATE OF email, name ON members
WHEN old.email IS NOT new.email OR old.name IS NOT new.name BEGIN
    UPDATE fts_member_search SET email = new.email, name = new.name
        WHERE rowid = (SELECT key FROM fts_member_keys WHERE member_id = old.id);
END;

CREATE TRIGGER fts_member_search_delete AFTER DELETE ON members BEGIN
    DELETE FROM fts_member_search WHERE rowid = (SELECT key FROM fts_member_keys WHERE member_id = old.id);
    DELETE FROM fts_member_keys WHERE member_id = old.id;
END;

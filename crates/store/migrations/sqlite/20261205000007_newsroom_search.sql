-- The newsroom's title search (issue 15), indexed. On SQLite an FTS5 table with the trigram
-- tokenizer holds every post's title, so a search for any substring of three characters or
-- more is answered from the index (`newsroom.rs`) instead of a `LIKE '%…%'` over every row.
-- Triggers keep it in step with `posts` in the writing transaction. The table and FTS5's own
-- shadow tables have no PostgreSQL counterpart (there a `pg_trgm` index does the same job), so
-- the schema parity test leaves virtual and shadow tables out.
CREATE VIRTUAL TABLE posts_title_search USING fts5 (post_id UNINDEXED, title, tokenize = 'trigram');

INSERT INTO posts_title_search (post_id, title) SELECT id, title FROM posts;

CREATE TRIGGER posts_title_search_insert AFTER INSERT ON posts BEGIN
    INSERT INTO posts_title_search (post_id, title) VALUES (new.id, new.title);
END;

-- Only a changed title touches the index, so autosaves that keep the title cost nothing here.
CREATE TRIGGER posts_title_search_update AFTER UPDATE OF title ON posts
WHEN old.title IS NOT new.title BEGIN
    UPDATE posts_title_search SET title = new.title WHERE post_id = old.id;
END;

CREATE TRIGGER posts_title_search_delete AFTER DELETE ON posts BEGIN
    DELETE FROM posts_title_search WHERE post_id = old.id;
END;

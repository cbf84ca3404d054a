-- Authors' email addresses, how Ghost's clients name a post's authors (`authors: ['jane@…']`)
-- until staff accounts exist. Stored lowercased; optional, unique when set.
ALTER TABLE authors ADD COLUMN email TEXT;
CREATE UNIQUE INDEX authors_email ON authors (email);

-- Every post has at least one author. Posts added before that rule (through the Admin API
-- without `authors`) get the default author, "Staff" (slug `staff`), created here if needed;
-- `changed_at` moves so the search index and page caches hear of it.
INSERT INTO authors (id, slug, name, bio, credentials, created_at)
SELECT '00000000-0000-7000-8000-000000057aff', 'staff', 'Staff', '', '',
       CAST(strftime('%s', 'now') AS BIGINT) * 1000000
WHERE NOT EXISTS (SELECT 1 FROM authors WHERE slug = 'staff')
  AND EXISTS (SELECT 1 FROM posts p
              WHERE NOT EXISTS (SELECT 1 FROM post_authors pa WHERE pa.post_id = p.id));
UPDATE posts SET changed_at = CAST(strftime('%s', 'now') AS BIGINT) * 1000000
WHERE NOT EXISTS (SELECT 1 FROM post_authors pa WHERE pa.post_id = posts.id);
INSERT INTO post_authors (post_id, author_id, position)
SELECT p.id, (SELECT id FROM authors WHERE slug = 'staff'), 0 FROM posts p
WHERE NOT EXISTS (SELECT 1 FROM post_authors pa WHERE pa.post_id = p.id);

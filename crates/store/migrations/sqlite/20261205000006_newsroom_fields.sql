-- The newsroom's tags and social fields (issue 15). Tags get what Ghost's tag shape carries: an
-- accent colour, a feature image, and a meta title/description for the tag page's head.
ALTER TABLE tags ADD COLUMN accent_color TEXT;
ALTER TABLE tags ADD COLUMN feature_image TEXT;
ALTER TABLE tags ADD COLUMN meta_title TEXT;
ALTER TABLE tags ADD COLUMN meta_description TEXT;

-- Posts: OpenGraph and Twitter overrides; blank (NULL) falls back to the post's own title,
-- description and lead image.
ALTER TABLE posts ADD COLUMN og_title TEXT;
ALTER TABLE posts ADD COLUMN og_description TEXT;
ALTER TABLE posts ADD COLUMN og_image TEXT;
ALTER TABLE posts ADD COLUMN twitter_title TEXT;
ALTER TABLE posts ADD COLUMN twitter_description TEXT;
ALTER TABLE posts ADD COLUMN twitter_image TEXT;

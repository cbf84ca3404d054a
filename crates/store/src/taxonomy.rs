//! Tags and authors: lookups by slug or name, and listings for navigation.

use crate::rows::{AUTHOR_COLUMNS, AuthorRow, TAG_COLUMNS, TagRow};
use crate::time::to_micros;
use crate::{Store, StoreError, on_pool};
use chrono::{DateTime, Utc};
use domain::{Author, Tag, TagKind};
use std::collections::HashMap;

impl Store {
    /// The tag whose slug is `slug`, or whose name matches `name` ignoring case.
    pub async fn find_tag(&self, slug: &str, name: &str) -> Result<Option<Tag>, StoreError> {
        let sql = format!(
            "SELECT {TAG_COLUMNS} FROM tags t WHERE t.slug = $1 OR lower(t.name) = lower($2) \
             ORDER BY t.slug = $1 DESC LIMIT 1"
        );
        let row: Option<TagRow> = on_pool!(&self.db, read, |p| {
            sqlx::query_as(&sql)
                .bind(slug)
                .bind(name)
                .fetch_optional(p)
                .await?
        });
        row.map(Tag::try_from).transpose()
    }

    pub async fn find_author(&self, slug: &str, name: &str) -> Result<Option<Author>, StoreError> {
        let sql = format!(
            "SELECT {AUTHOR_COLUMNS} FROM authors a WHERE a.slug = $1 OR lower(a.name) = lower($2) \
             ORDER BY a.slug = $1 DESC LIMIT 1"
        );
        let row: Option<AuthorRow> = on_pool!(&self.db, read, |p| {
            sqlx::query_as(&sql)
                .bind(slug)
                .bind(name)
                .fetch_optional(p)
                .await?
        });
        row.map(Author::try_from).transpose()
    }

    /// Tags of one kind that have at least one published post, sections in creation order,
    /// topics by name.
    pub async fn tags_in_use(&self, kind: TagKind) -> Result<Vec<Tag>, StoreError> {
        let order = match kind {
            TagKind::Section => "t.created_at, t.name",
            TagKind::Topic => "t.name",
        };
        let sql = format!(
            "SELECT {TAG_COLUMNS} FROM tags t WHERE t.kind = $1 AND EXISTS (SELECT 1 FROM post_tags pt \
             JOIN posts p ON p.id = pt.post_id WHERE pt.tag_id = t.id AND p.status = 'published') \
             ORDER BY {order}"
        );
        let rows: Vec<TagRow> = on_pool!(&self.db, read, |p| {
            sqlx::query_as(&sql)
                .bind(kind.as_str())
                .fetch_all(p)
                .await?
        });
        rows.into_iter().map(Tag::try_from).collect()
    }

    pub async fn tag_by_slug(&self, slug: &str) -> Result<Option<Tag>, StoreError> {
        let sql = format!("SELECT {TAG_COLUMNS} FROM tags t WHERE t.slug = $1");
        let row: Option<TagRow> = on_pool!(&self.db, read, |p| sqlx::query_as(&sql)
            .bind(slug)
            .fetch_optional(p)
            .await?);
        row.map(Tag::try_from).transpose()
    }

    pub async fn tag_by_id(&self, id: &str) -> Result<Option<Tag>, StoreError> {
        let sql = format!("SELECT {TAG_COLUMNS} FROM tags t WHERE t.id = $1");
        let row: Option<TagRow> = on_pool!(&self.db, read, |p| sqlx::query_as(&sql)
            .bind(id)
            .fetch_optional(p)
            .await?);
        row.map(Tag::try_from).transpose()
    }

    pub async fn author_by_slug(&self, slug: &str) -> Result<Option<Author>, StoreError> {
        let sql = format!("SELECT {AUTHOR_COLUMNS} FROM authors a WHERE a.slug = $1");
        let row: Option<AuthorRow> = on_pool!(&self.db, read, |p| sqlx::query_as(&sql)
            .bind(slug)
            .fetch_optional(p)
            .await?);
        row.map(Author::try_from).transpose()
    }

    /// Every tag, in use or not.
    pub async fn tags(&self) -> Result<Vec<Tag>, StoreError> {
        let sql = format!("SELECT {TAG_COLUMNS} FROM tags t ORDER BY t.slug");
        let rows: Vec<TagRow> = on_pool!(&self.db, read, |p| sqlx::query_as(&sql)
            .fetch_all(p)
            .await?);
        rows.into_iter().map(Tag::try_from).collect()
    }

    /// How many posts of any status carry each tag, by tag id (tags on none are absent).
    pub async fn tag_post_counts(&self) -> Result<HashMap<String, i64>, StoreError> {
        let rows: Vec<(String, i64)> = on_pool!(&self.db, read, |p| sqlx::query_as(
            "SELECT tag_id, COUNT(*) FROM post_tags GROUP BY tag_id"
        )
        .fetch_all(p)
        .await?);
        Ok(rows.into_iter().collect())
    }

    pub async fn authors(&self) -> Result<Vec<Author>, StoreError> {
        let sql = format!("SELECT {AUTHOR_COLUMNS} FROM authors a ORDER BY a.name");
        let rows: Vec<AuthorRow> = on_pool!(&self.db, read, |p| sqlx::query_as(&sql)
            .fetch_all(p)
            .await?);
        rows.into_iter().map(Author::try_from).collect()
    }
}

const TOUCH_POSTS_OF_TAG: &str = "UPDATE posts SET changed_at = $1 WHERE id IN \
    (SELECT post_id FROM post_tags WHERE tag_id = $2)";

/// Tag writes from the Admin API. Every post carrying the tag gets `now` as its change-clock
/// reading, so the search index hears that its tags changed.
impl Store {
    pub async fn create_tag(&self, tag: &Tag, now: DateTime<Utc>) -> Result<(), StoreError> {
        on_pool!(&self.db, write, |p| {
            sqlx::query(
                "INSERT INTO tags (id, slug, name, description, kind, created_at, accent_color, \
                 feature_image, meta_title, meta_description) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
            )
            .bind(&tag.id)
            .bind(tag.slug.as_str())
            .bind(&tag.name)
            .bind(&tag.description)
            .bind(tag.kind.as_str())
            .bind(to_micros(now))
            .bind(&tag.meta.accent_color)
            .bind(&tag.meta.feature_image)
            .bind(&tag.meta.meta_title)
            .bind(&tag.meta.meta_description)
            .execute(p)
            .await?;
        });
        self.clock.tick();
        Ok(())
    }

    /// Replaces a tag's slug, name, description, kind and meta; returns whether it exists.
    pub async fn update_tag(&self, tag: &Tag, now: DateTime<Utc>) -> Result<bool, StoreError> {
        let done = on_pool!(&self.db, write, |p| {
            let mut tx = p.begin().await?;
            let n = sqlx::query(
                "UPDATE tags SET slug = $1, name = $2, description = $3, kind = $4, \
                 accent_color = $5, feature_image = $6, meta_title = $7, meta_description = $8 \
                 WHERE id = $9",
            )
            .bind(tag.slug.as_str())
            .bind(&tag.name)
            .bind(&tag.description)
            .bind(tag.kind.as_str())
            .bind(&tag.meta.accent_color)
            .bind(&tag.meta.feature_image)
            .bind(&tag.meta.meta_title)
            .bind(&tag.meta.meta_description)
            .bind(&tag.id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            sqlx::query(TOUCH_POSTS_OF_TAG)
                .bind(to_micros(now))
                .bind(&tag.id)
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
            n
        });
        self.clock.tick();
        Ok(done > 0)
    }

    /// Deletes a tag (posts lose it); returns whether it existed.
    pub async fn delete_tag(&self, id: &str, now: DateTime<Utc>) -> Result<bool, StoreError> {
        let done = on_pool!(&self.db, write, |p| {
            let mut tx = p.begin().await?;
            sqlx::query(TOUCH_POSTS_OF_TAG)
                .bind(to_micros(now))
                .bind(id)
                .execute(&mut *tx)
                .await?;
            let n = sqlx::query("DELETE FROM tags WHERE id = $1")
                .bind(id)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            tx.commit().await?;
            n
        });
        self.clock.tick();
        Ok(done > 0)
    }
}

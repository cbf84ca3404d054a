//! What sitemaps list: live posts and pages as `PostStub`s (no body is read), tags and authors
//! with at least one live post, and how a long list splits into files.

use crate::time::{from_micros, to_micros};
use crate::{Store, StoreError, on_pool};
use chrono::{DateTime, Utc};
use domain::{LeadImage, PostKind, PostStub, Slug};

/// One list a sitemap file is cut from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SitemapSource {
    Posts,
    Pages,
    Tags,
    Authors,
}

/// Live posts (or pages): published, with `published_at` at or before `now`.
const LIVE: &str = "p.status = 'published' AND p.published_at <= $1";

impl SitemapSource {
    /// Rows of `updated_at` plus two sort keys, in the order the sitemap lists them. Posts go
    /// oldest first, so adding a post changes only the last file.
    fn entries_sql(self) -> String {
        match self {
            SitemapSource::Posts | SitemapSource::Pages => format!(
                "SELECT p.updated_at AS updated_at, p.published_at AS k1, p.id AS k2 FROM posts p \
                 WHERE {LIVE} AND p.kind = '{}'",
                self.kind().as_str()
            ),
            SitemapSource::Tags => format!(
                "SELECT MAX(p.updated_at) AS updated_at, t.slug AS k1, t.slug AS k2 FROM tags t \
                 JOIN post_tags pt ON pt.tag_id = t.id JOIN posts p ON p.id = pt.post_id \
                 WHERE {LIVE} AND p.kind = 'post' GROUP BY t.slug"
            ),
            SitemapSource::Authors => format!(
                "SELECT MAX(p.updated_at) AS updated_at, a.slug AS k1, a.slug AS k2 FROM authors a \
                 JOIN post_authors pa ON pa.author_id = a.id JOIN posts p ON p.id = pa.post_id \
                 WHERE {LIVE} AND p.kind = 'post' GROUP BY a.slug"
            ),
        }
    }

    fn kind(self) -> PostKind {
        match self {
            SitemapSource::Pages => PostKind::Page,
            _ => PostKind::Post,
        }
    }
}

#[derive(sqlx::FromRow)]
struct StubRow {
    kind: String,
    slug: String,
    title: String,
    image_url: Option<String>,
    image_width: Option<i64>,
    image_height: Option<i64>,
    image_alt: String,
    image_caption: String,
    image_credit: String,
    canonical_url: Option<String>,
    published_at: i64,
    updated_at: i64,
}

const STUB_COLUMNS: &str = "p.kind, p.slug, p.title, p.image_url, p.image_width, p.image_height, \
    p.image_alt, p.image_caption, p.image_credit, p.canonical_url, p.published_at, p.updated_at";

impl TryFrom<StubRow> for PostStub {
    type Error = StoreError;
    fn try_from(r: StubRow) -> Result<PostStub, StoreError> {
        Ok(PostStub {
            kind: PostKind::parse(&r.kind)?,
            slug: Slug::parse(&r.slug)?,
            title: r.title,
            image: r.image_url.map(|url| LeadImage {
                url,
                width: r.image_width.and_then(|w| u32::try_from(w).ok()),
                height: r.image_height.and_then(|h| u32::try_from(h).ok()),
                alt: r.image_alt,
                caption: r.image_caption,
                credit: r.image_credit,
            }),
            published_at: from_micros(r.published_at),
            updated_at: from_micros(r.updated_at),
            canonical_url: r.canonical_url,
        })
    }
}

impl Store {
    /// The `lastmod` of each file when `source` is cut into files of `per_file` entries: one
    /// timestamp per file, in file order; empty when there is nothing to list.
    pub async fn sitemap_files(
        &self,
        source: SitemapSource,
        per_file: u32,
        now: DateTime<Utc>,
    ) -> Result<Vec<DateTime<Utc>>, StoreError> {
        let sql = format!(
            "SELECT MAX(updated_at) FROM (SELECT updated_at, \
             (ROW_NUMBER() OVER (ORDER BY k1, k2) - 1) / $2 AS file FROM ({}) e) s \
             GROUP BY file ORDER BY file",
            source.entries_sql()
        );
        let rows: Vec<Option<i64>> = on_pool!(&self.db, read, |p| {
            sqlx::query_scalar(&sql)
                .bind(to_micros(now))
                .bind(i64::from(per_file.max(1)))
                .fetch_all(p)
                .await?
        });
        Ok(rows
            .into_iter()
            .map(|t| from_micros(t.unwrap_or(0)))
            .collect())
    }

    /// Live posts or pages of `kind`, oldest first, without their bodies.
    pub async fn live_stubs(
        &self,
        kind: PostKind,
        limit: u32,
        offset: u64,
        now: DateTime<Utc>,
    ) -> Result<Vec<PostStub>, StoreError> {
        let sql = format!(
            "SELECT {STUB_COLUMNS} FROM posts p WHERE {LIVE} AND p.kind = $2 \
             ORDER BY p.published_at, p.id LIMIT $3 OFFSET $4"
        );
        let rows: Vec<StubRow> = on_pool!(&self.db, read, |p| {
            sqlx::query_as(&sql)
                .bind(to_micros(now))
                .bind(kind.as_str())
                .bind(i64::from(limit))
                .bind(crate::browse::sql_offset(offset))
                .fetch_all(p)
                .await?
        });
        rows.into_iter().map(PostStub::try_from).collect()
    }

    /// Live posts published at or after `since`, newest first (for the news sitemap).
    pub async fn live_stubs_since(
        &self,
        since: DateTime<Utc>,
        limit: u32,
        now: DateTime<Utc>,
    ) -> Result<Vec<PostStub>, StoreError> {
        let sql = format!(
            "SELECT {STUB_COLUMNS} FROM posts p WHERE {LIVE} AND p.kind = 'post' \
             AND p.published_at >= $2 ORDER BY p.published_at DESC, p.id DESC LIMIT $3"
        );
        let rows: Vec<StubRow> = on_pool!(&self.db, read, |p| {
            sqlx::query_as(&sql)
                .bind(to_micros(now))
                .bind(to_micros(since))
                .bind(i64::from(limit))
                .fetch_all(p)
                .await?
        });
        rows.into_iter().map(PostStub::try_from).collect()
    }

    /// Slugs of tags (or authors) with at least one live post, by slug, each with the time its
    /// newest live post last changed.
    pub async fn taxonomy_lastmods(
        &self,
        source: SitemapSource,
        limit: u32,
        offset: u64,
        now: DateTime<Utc>,
    ) -> Result<Vec<(Slug, DateTime<Utc>)>, StoreError> {
        debug_assert!(matches!(
            source,
            SitemapSource::Tags | SitemapSource::Authors
        ));
        let sql = format!(
            "SELECT k1, updated_at FROM ({}) e ORDER BY k1 LIMIT $2 OFFSET $3",
            source.entries_sql()
        );
        let rows: Vec<(String, Option<i64>)> = on_pool!(&self.db, read, |p| {
            sqlx::query_as(&sql)
                .bind(to_micros(now))
                .bind(i64::from(limit))
                .bind(crate::browse::sql_offset(offset))
                .fetch_all(p)
                .await?
        });
        rows.into_iter()
            .map(|(slug, at)| Ok((Slug::parse(&slug)?, from_micros(at.unwrap_or(0)))))
            .collect()
    }
}

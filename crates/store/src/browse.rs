//! API listings: live posts, tags and authors chosen by a `Cond`, a page at a time, with the
//! totals pagination needs. Filtering and counting happen in SQL on columns and link tables;
//! only the rows of the requested page are loaded.

use crate::query::{AuthorField, Cond, PostField, Sort, TagField, push_cond, push_order};
use crate::rows::{AUTHOR_COLUMNS, AuthorRow, TAG_COLUMNS, TagRow};
use crate::time::to_micros;
use crate::{Store, StoreError, on_pool};
use chrono::{DateTime, Utc};
use domain::{Author, Post, PostKind, Tag};
use sqlx::QueryBuilder;
use std::collections::HashMap;

/// An offset as SQL takes it. Past `i64::MAX` no row can exist, and a wrapped (negative)
/// offset is an error on PostgreSQL, so huge offsets saturate: the page is simply empty.
pub(crate) fn sql_offset(offset: u64) -> i64 {
    i64::try_from(offset).unwrap_or(i64::MAX)
}

/// A SQL `COUNT`, which is never negative, as the `u64` pagination counts in.
pub(crate) fn sql_count(n: i64) -> u64 {
    u64::try_from(n).unwrap_or(0)
}

/// One page of a listing: `limit` rows after skipping `offset`.
#[derive(Debug, Clone, Copy)]
pub struct Window {
    pub limit: u32,
    pub offset: u64,
}

/// Which posts a listing may show at all.
#[derive(Debug, Clone, Copy)]
pub enum Scope {
    /// Published posts whose time has come: what readers may reach.
    Live(DateTime<Utc>),
    /// Every post in any status: drafts, scheduled, published (staff only).
    AnyStatus,
}

fn push_scope<'a, DB: sqlx::Database>(q: &mut QueryBuilder<'a, DB>, kind: PostKind, scope: Scope)
where
    i64: sqlx::Encode<'a, DB> + sqlx::Type<DB>,
    &'a str: sqlx::Encode<'a, DB> + sqlx::Type<DB>,
{
    q.push(" WHERE p.kind = ").push_bind(kind.as_str());
    if let Scope::Live(now) = scope {
        q.push(" AND p.status = 'published' AND p.published_at <= ")
            .push_bind(to_micros(now));
    }
}

fn push_window<'a, DB: sqlx::Database>(q: &mut QueryBuilder<'a, DB>, window: Window)
where
    i64: sqlx::Encode<'a, DB> + sqlx::Type<DB>,
{
    q.push(" LIMIT ")
        .push_bind(i64::from(window.limit))
        .push(" OFFSET ")
        .push_bind(crate::browse::sql_offset(window.offset));
}

impl Store {
    /// Posts (or pages) in `scope` matching `filter`, in `sort` order (newest first to break
    /// ties; drafts, which have no date, last).
    pub async fn browse_posts(
        &self,
        kind: PostKind,
        scope: Scope,
        filter: &Cond<PostField>,
        sort: &[Sort<PostField>],
        window: Window,
    ) -> Result<Vec<Post>, StoreError> {
        // Ids first (indexes and small columns only), then the page's rows: skipping 75,000
        // rows of an `OFFSET` must not read 75,000 bodies.
        let ids: Vec<String> = on_pool!(&self.db, read, |p| {
            let mut q = QueryBuilder::new("SELECT p.id FROM posts p");
            push_scope(&mut q, kind, scope);
            q.push(" AND ");
            push_cond(&mut q, filter);
            push_order(
                &mut q,
                sort,
                "p.published_at IS NULL, p.published_at DESC, p.id DESC",
            );
            push_window(&mut q, window);
            q.build_query_scalar().fetch_all(p).await?
        });
        self.posts_by_ids(&ids).await
    }

    /// How many members there are, for the Admin API's pagination.
    pub async fn count_members(&self) -> Result<u64, StoreError> {
        let n: i64 = on_pool!(&self.db, read, |p| sqlx::query_scalar(
            "SELECT COUNT(*) FROM members"
        )
        .fetch_one(p)
        .await?);
        Ok(sql_count(n))
    }

    /// The Markdown source of a post, for editors (the Admin API recomposes a post from it when
    /// an edit changes its visibility but not its body, so the free/gated split follows).
    pub async fn post_source(&self, id: &str) -> Result<Option<String>, StoreError> {
        Ok(on_pool!(&self.db, read, |p| sqlx::query_scalar(
            "SELECT markdown FROM posts WHERE id = $1"
        )
        .bind(id)
        .fetch_optional(p)
        .await?))
    }

    /// How many posts (or pages) in `scope` match `filter`.
    pub async fn count_posts_matching(
        &self,
        kind: PostKind,
        scope: Scope,
        filter: &Cond<PostField>,
    ) -> Result<u64, StoreError> {
        let n: i64 = on_pool!(&self.db, read, |p| {
            let mut q = QueryBuilder::new("SELECT COUNT(*) FROM posts p");
            push_scope(&mut q, kind, scope);
            q.push(" AND ");
            push_cond(&mut q, filter);
            q.build_query_scalar().fetch_one(p).await?
        });
        Ok(sql_count(n))
    }

    /// Tags matching `filter`, in `sort` order (by name to break ties), and their total.
    pub async fn browse_tags(
        &self,
        filter: &Cond<TagField>,
        sort: &[Sort<TagField>],
        window: Window,
    ) -> Result<(Vec<Tag>, u64), StoreError> {
        let (rows, total): (Vec<TagRow>, i64) = on_pool!(&self.db, read, |p| {
            let mut q = QueryBuilder::new(format!("SELECT {TAG_COLUMNS} FROM tags t WHERE "));
            push_cond(&mut q, filter);
            push_order(&mut q, sort, "t.name, t.id");
            push_window(&mut q, window);
            let mut count = QueryBuilder::new("SELECT COUNT(*) FROM tags t WHERE ");
            push_cond(&mut count, filter);
            (
                q.build_query_as().fetch_all(p).await?,
                count.build_query_scalar().fetch_one(p).await?,
            )
        });
        let tags = rows
            .into_iter()
            .map(Tag::try_from)
            .collect::<Result<_, _>>()?;
        Ok((tags, sql_count(total)))
    }

    /// Authors matching `filter`, in `sort` order (by name to break ties), and their total.
    pub async fn browse_authors(
        &self,
        filter: &Cond<AuthorField>,
        sort: &[Sort<AuthorField>],
        window: Window,
    ) -> Result<(Vec<Author>, u64), StoreError> {
        let (rows, total): (Vec<AuthorRow>, i64) = on_pool!(&self.db, read, |p| {
            let mut q = QueryBuilder::new(format!("SELECT {AUTHOR_COLUMNS} FROM authors a WHERE "));
            push_cond(&mut q, filter);
            push_order(&mut q, sort, "a.name, a.id");
            push_window(&mut q, window);
            let mut count = QueryBuilder::new("SELECT COUNT(*) FROM authors a WHERE ");
            push_cond(&mut count, filter);
            (
                q.build_query_as().fetch_all(p).await?,
                count.build_query_scalar().fetch_one(p).await?,
            )
        });
        let authors = rows
            .into_iter()
            .map(Author::try_from)
            .collect::<Result<_, _>>()?;
        Ok((authors, sql_count(total)))
    }

    /// How many live posts each of these tags has (tags with none are absent).
    pub async fn live_posts_per_tag(
        &self,
        tag_ids: &[String],
        now: DateTime<Utc>,
    ) -> Result<HashMap<String, u64>, StoreError> {
        self.live_posts_per("post_tags", "tag_id", tag_ids, now)
            .await
    }

    /// How many live posts each of these authors has (authors with none are absent).
    pub async fn live_posts_per_author(
        &self,
        author_ids: &[String],
        now: DateTime<Utc>,
    ) -> Result<HashMap<String, u64>, StoreError> {
        self.live_posts_per("post_authors", "author_id", author_ids, now)
            .await
    }

    async fn live_posts_per(
        &self,
        table: &'static str,
        column: &'static str,
        ids: &[String],
        now: DateTime<Utc>,
    ) -> Result<HashMap<String, u64>, StoreError> {
        if ids.is_empty() {
            return Ok(HashMap::new());
        }
        let rows: Vec<(String, i64)> = on_pool!(&self.db, read, |p| {
            // The live-post test is answered by the `posts_listing` index alone.
            let mut q = QueryBuilder::new(format!(
                "SELECT l.{column}, COUNT(*) FROM {table} l WHERE l.post_id IN \
                 (SELECT p.id FROM posts p WHERE p.kind = 'post' AND p.status = 'published' \
                 AND p.published_at <= "
            ));
            q.push_bind(to_micros(now))
                .push(format!(") AND l.{column} IN ("));
            let mut list = q.separated(", ");
            for id in ids {
                list.push_bind(id.as_str());
            }
            q.push(format!(") GROUP BY l.{column}"));
            q.build_query_as().fetch_all(p).await?
        });
        Ok(rows.into_iter().map(|(id, n)| (id, sql_count(n))).collect())
    }
}

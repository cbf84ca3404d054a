//! The newsroom's posts list: posts and pages in any status, filtered by status, section, tag,
//! author, visibility, publish date and a title search, sorted, a page at a time, with the
//! total. Like the API listings (`browse.rs`), ids are picked from indexes and small columns
//! first and only the page's rows are loaded; the indexes it walks are in migration
//! `20261205000004_revisions`.

use crate::browse::{Window, sql_count, sql_offset};
use crate::query::{Attr, Cond, LikeOp, PostField, Test, Value, push_cond};
use crate::time::to_micros;
use crate::{Store, StoreError, on_pool};
use chrono::{DateTime, Utc};
use domain::{Post, PostKind};
use sqlx::QueryBuilder;

/// Where a post is in its life. Scheduled posts are stored as published with a future date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    Draft,
    Scheduled,
    Published,
}

/// The order of the list; each breaks ties by id, newest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum NewsroomSort {
    /// Last edited first.
    #[default]
    Updated,
    /// Latest publish date first; drafts without a date last.
    Published,
    /// By title, A to Z.
    Title,
}

/// What the newsroom's list shows; every field is optional (`None` shows all).
#[derive(Debug, Clone, Default)]
pub struct NewsroomFilter {
    pub stage: Option<Stage>,
    /// The section (primary tag) by slug.
    pub section: Option<String>,
    /// Any tag by slug.
    pub tag: Option<String>,
    /// Any author by slug.
    pub author: Option<String>,
    /// `public`, `members`, `paid` or `tiers`.
    pub visibility: Option<String>,
    /// Words the title contains (case-insensitive).
    pub search: Option<String>,
    /// Publish date from (inclusive) and until (exclusive).
    pub from: Option<DateTime<Utc>>,
    pub until: Option<DateTime<Utc>>,
}

impl NewsroomFilter {
    /// The conditions on allow-listed fields (everything but the stage, which needs `now`).
    fn cond(&self) -> Cond<PostField> {
        let eq = |field, value: &String| Cond::Test {
            field,
            negated: false,
            test: Test::Eq(Value::Text(value.clone())),
        };
        let mut all = Vec::new();
        all.extend(
            self.section
                .iter()
                .map(|s| eq(PostField::PrimaryTag(Attr::Slug), s)),
        );
        all.extend(self.tag.iter().map(|s| eq(PostField::Tag(Attr::Slug), s)));
        all.extend(
            self.author
                .iter()
                .map(|s| eq(PostField::Author(Attr::Slug), s)),
        );
        all.extend(self.visibility.iter().map(|v| eq(PostField::Visibility, v)));
        all.extend(
            self.search
                .iter()
                .filter(|s| !s.trim().is_empty())
                .map(|s| Cond::Test {
                    field: PostField::Title,
                    negated: false,
                    test: Test::Like(LikeOp::Contains, s.trim().to_owned()),
                }),
        );
        let date = |op, at: &DateTime<Utc>| Cond::Test {
            field: PostField::PublishedAt,
            negated: false,
            test: Test::Cmp(op, Value::Time(*at)),
        };
        all.extend(self.from.iter().map(|t| date(crate::query::CmpOp::Gte, t)));
        all.extend(self.until.iter().map(|t| date(crate::query::CmpOp::Lt, t)));
        Cond::All(all)
    }
}

/// `kind`, the stage and the filter's conditions as a `WHERE` clause.
fn push_filter<'a, DB: sqlx::Database>(
    q: &mut QueryBuilder<'a, DB>,
    kind: PostKind,
    filter: &'a NewsroomFilter,
    cond: &'a Cond<PostField>,
    now: DateTime<Utc>,
) where
    i64: sqlx::Encode<'a, DB> + sqlx::Type<DB>,
    &'a str: sqlx::Encode<'a, DB> + sqlx::Type<DB>,
    bool: sqlx::Encode<'a, DB> + sqlx::Type<DB>,
    String: sqlx::Encode<'a, DB> + sqlx::Type<DB>,
{
    q.push(" WHERE p.kind = ").push_bind(kind.as_str());
    match filter.stage {
        Some(Stage::Draft) => {
            q.push(" AND p.status = 'draft'");
        }
        Some(Stage::Scheduled) => {
            q.push(" AND p.status = 'published' AND p.published_at > ")
                .push_bind(to_micros(now));
        }
        Some(Stage::Published) => {
            q.push(" AND p.status = 'published' AND p.published_at <= ")
                .push_bind(to_micros(now));
        }
        None => {}
    }
    q.push(" AND ");
    push_cond(q, cond);
}

impl Store {
    /// One page of the newsroom's list of `kind`, and how many match in all.
    pub async fn newsroom_posts(
        &self,
        kind: PostKind,
        filter: &NewsroomFilter,
        sort: NewsroomSort,
        window: Window,
        now: DateTime<Utc>,
    ) -> Result<(Vec<Post>, u64), StoreError> {
        let cond = filter.cond();
        let order = match sort {
            NewsroomSort::Updated => " ORDER BY p.updated_at DESC, p.id DESC",
            NewsroomSort::Published => {
                " ORDER BY p.published_at IS NULL, p.published_at DESC, p.id DESC"
            }
            NewsroomSort::Title => " ORDER BY p.title, p.id DESC",
        };
        let (ids, total): (Vec<String>, i64) = on_pool!(&self.db, read, |p| {
            let mut q = QueryBuilder::new("SELECT p.id FROM posts p");
            push_filter(&mut q, kind, filter, &cond, now);
            q.push(order)
                .push(" LIMIT ")
                .push_bind(i64::from(window.limit))
                .push(" OFFSET ")
                .push_bind(sql_offset(window.offset));
            let ids = q.build_query_scalar().fetch_all(p).await?;
            let mut c = QueryBuilder::new("SELECT COUNT(*) FROM posts p");
            push_filter(&mut c, kind, filter, &cond, now);
            (ids, c.build_query_scalar().fetch_one(p).await?)
        });
        Ok((self.posts_by_ids(&ids).await?, sql_count(total)))
    }
}

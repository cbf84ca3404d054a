//! The newsroom's posts list: posts and pages in any status, filtered by status, section, tag,
//! author, visibility, publish date and a title search, sorted, a page at a time, with the
//! total. Like the API listings (`browse.rs`), ids are picked from indexes and small columns
//! first and only the page's rows are loaded; the indexes it walks are in migration
//! `20261205000004_revisions`; the title search's (FTS5 on SQLite, `pg_trgm` on PostgreSQL) in
//! `20261205000007_newsroom_search` (`title_search`). The total is counted up to a cap past the
//! page, since counting 100,000 rows on every page view costs more than the page itself.

use crate::browse::{Window, sql_count, sql_offset};
use crate::query::{Attr, Cond, PostField, Test, Value, push_cond};
use crate::time::to_micros;
use crate::{Store, StoreError, on_pool};
use title_search::SearchPlan;

mod title_search;
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
    /// Words the title contains (case-insensitive; on SQLite as the beginnings of its words).
    pub search: Option<String>,
    /// Publish date from (inclusive) and until (exclusive).
    pub from: Option<DateTime<Utc>>,
    pub until: Option<DateTime<Utc>>,
}

/// How many posts the list counts at most past the page it shows; beyond that it says "1,025+".
pub const NEWSROOM_COUNT_CAP: u64 = 1_000;

/// How many posts match a newsroom filter: exact up to a cap, else at least `count`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Total {
    pub count: u64,
    /// More than `count` match; they were not counted.
    pub capped: bool,
}

impl NewsroomFilter {
    /// The conditions on allow-listed fields (everything but the stage, which needs `now`, and
    /// the title search when SQLite's FTS5 table answers it: `fts`).
    fn cond(&self, fts: bool) -> Cond<PostField> {
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
        if let Some(search) = self.search.as_deref().map(str::trim)
            && !search.is_empty()
            && !fts
        {
            all.extend(title_search::like_conds(search));
        }
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

/// `FROM`, then `kind`, the stage, the FTS5 title search and the filter's conditions as a
/// `WHERE` clause.
fn push_filter<'a, DB: sqlx::Database>(
    q: &mut QueryBuilder<'a, DB>,
    kind: PostKind,
    filter: &'a NewsroomFilter,
    (cond, plan): (&'a Cond<PostField>, &'a SearchPlan),
    now: DateTime<Utc>,
) where
    i64: sqlx::Encode<'a, DB> + sqlx::Type<DB>,
    &'a str: sqlx::Encode<'a, DB> + sqlx::Type<DB>,
    bool: sqlx::Encode<'a, DB> + sqlx::Type<DB>,
    String: sqlx::Encode<'a, DB> + sqlx::Type<DB>,
{
    plan.push_from(q);
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
    plan.push_cond(q);
    q.push(" AND ");
    push_cond(q, cond);
}

impl Store {
    /// One page of the newsroom's list of `kind`, and how many match in all (counted up to
    /// [`NEWSROOM_COUNT_CAP`] rows past the page).
    pub async fn newsroom_posts(
        &self,
        kind: PostKind,
        filter: &NewsroomFilter,
        sort: NewsroomSort,
        window: Window,
        now: DateTime<Utc>,
    ) -> Result<(Vec<Post>, Total), StoreError> {
        let (page_plan, count_plan) = self.search_plans(filter).await?;
        let cond = filter.cond(!matches!(page_plan, SearchPlan::None));
        let cap = window
            .offset
            .saturating_add(u64::from(window.limit))
            .saturating_add(NEWSROOM_COUNT_CAP);
        let order = match sort {
            NewsroomSort::Updated => " ORDER BY p.updated_at DESC, p.id DESC",
            NewsroomSort::Published => {
                " ORDER BY p.published_at IS NULL, p.published_at DESC, p.id DESC"
            }
            NewsroomSort::Title => " ORDER BY p.title, p.id DESC",
        };
        let (ids, total): (Vec<String>, i64) = on_pool!(&self.db, read, |p| {
            let mut q = QueryBuilder::new("SELECT p.id");
            push_filter(&mut q, kind, filter, (&cond, &page_plan), now);
            q.push(order)
                .push(" LIMIT ")
                .push_bind(i64::from(window.limit))
                .push(" OFFSET ")
                .push_bind(sql_offset(window.offset));
            let ids = q.build_query_scalar().fetch_all(p).await?;
            // Counts at most `cap + 1` rows: enough to tell "more than `cap`".
            let mut c = QueryBuilder::new("SELECT COUNT(*) FROM (SELECT 1");
            push_filter(&mut c, kind, filter, (&cond, &count_plan), now);
            c.push(" LIMIT ")
                .push_bind(sql_offset(cap.saturating_add(1)))
                .push(") AS matching");
            (ids, c.build_query_scalar().fetch_one(p).await?)
        });
        let counted = sql_count(total);
        let total = Total {
            count: counted.min(cap),
            capped: counted > cap,
        };
        Ok((self.posts_by_ids(&ids).await?, total))
    }

    /// How SQLite finds a search's posts for the page and for the count: from the FTS5 index
    /// when it matches few posts; else the page walks the list's order (a page is found after a
    /// few rows) while the capped count still starts from the index (it stops at the cap).
    async fn search_plans(
        &self,
        filter: &NewsroomFilter,
    ) -> Result<(SearchPlan, SearchPlan), StoreError> {
        let search = filter.search.as_deref().unwrap_or_default();
        let words = title_search::words(search);
        let crate::connect::Db::Sqlite { read, .. } = &self.db else {
            return Ok((SearchPlan::None, SearchPlan::None));
        };
        if words.is_empty() {
            return Ok((SearchPlan::None, SearchPlan::None));
        }
        let query = title_search::fts_query(&words);
        let matches: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM (SELECT 1 FROM fts_post_titles \
             WHERE fts_post_titles MATCH $1 LIMIT $2)",
        )
        .bind(&query)
        .bind(title_search::LOOKUP_LIMIT + 1)
        .fetch_one(read)
        .await?;
        let page = if matches > title_search::LOOKUP_LIMIT {
            SearchPlan::Walk(query.clone())
        } else {
            SearchPlan::FromIndex(query.clone())
        };
        Ok((page, SearchPlan::FromIndex(query)))
    }
}

//! Posts and pages: saving (with their tags and authors, atomically), lookups and listings.

use crate::revisions::{RevisionSave, RevisionSaved, insert_in_tx, latest_in_tx, new_revision};
use crate::rows::{AUTHOR_COLUMNS, AuthorRow, Linked, POST_COLUMNS, PostRow, TAG_COLUMNS, TagRow};
use crate::time::to_micros;
use crate::webhooks::{Outgoing, queue_outgoing};
use crate::{Store, StoreError, on_pool};
use chrono::{DateTime, Utc};
use domain::{Author, Post, PostKind, Revision, Slug, Tag};
use sqlx::QueryBuilder;
use std::collections::{BTreeMap, HashMap};

/// Which live posts a listing shows. Listings only ever return published posts.
#[derive(Debug, Clone)]
pub struct PostFilter {
    pub kind: PostKind,
    pub tag: Option<String>,
    pub author: Option<String>,
    pub featured: Option<bool>,
    pub exclude: Vec<String>,
}

impl PostFilter {
    pub fn posts() -> PostFilter {
        PostFilter {
            kind: PostKind::Post,
            tag: None,
            author: None,
            featured: None,
            exclude: vec![],
        }
    }
}

/// Replaces every column of an existing post but its id and creation time.
const REPLACE_POST: &str = " ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, \
    slug = excluded.slug, title = excluded.title, dek = excluded.dek, \
    markdown = excluded.markdown, free_html = excluded.free_html, free_text = excluded.free_text, \
    gated_html = excluded.gated_html, gated_text = excluded.gated_text, \
    image_url = excluded.image_url, image_width = excluded.image_width, \
    image_height = excluded.image_height, image_alt = excluded.image_alt, \
    image_caption = excluded.image_caption, image_credit = excluded.image_credit, \
    status = excluded.status, visibility = excluded.visibility, \
    visibility_tiers = excluded.visibility_tiers, featured = excluded.featured, \
    meta_title = excluded.meta_title, meta_description = excluded.meta_description, \
    canonical_url = excluded.canonical_url, published_at = excluded.published_at, \
    updated_at = excluded.updated_at, changed_at = excluded.changed_at, \
    og_title = excluded.og_title, og_description = excluded.og_description, \
    og_image = excluded.og_image, twitter_title = excluded.twitter_title, \
    twitter_description = excluded.twitter_description, twitter_image = excluded.twitter_image";

/// Rows per multi-row INSERT; keeps every statement under SQLite's bound-parameter limit.
const BATCH: usize = 400;

impl Store {
    /// Saves posts with their links to tags and authors in one transaction: new ids are
    /// inserted, existing ones replaced (keeping `created_at`). Tags and authors not yet stored
    /// are created; ones that exist (same slug) are linked by their stored id. Every saved post
    /// gets `now` as its change-clock reading, which is how the search index hears of it (see
    /// `changes.rs`: `now` is the time of this write). Nothing is written if anything fails.
    /// Bulk saves that fire no webhook events (the seeder, the demo) use this.
    pub async fn save_posts(&self, posts: &[Post], now: DateTime<Utc>) -> Result<(), StoreError> {
        self.save_posts_with_events(posts, &[], now).await?;
        Ok(())
    }

    /// `save_posts`, queuing `events` (the webhook events of the save) in the same transaction:
    /// they are delivered if and only if the posts were saved. Returns how many deliveries
    /// were queued.
    pub async fn save_posts_with_events(
        &self,
        posts: &[Post],
        events: &[Outgoing],
        now: DateTime<Utc>,
    ) -> Result<usize, StoreError> {
        match self.write_posts(posts, events, None, now).await? {
            Ok((queued, _)) => Ok(queued),
            Err(newer) => Err(StoreError::Conflict(format!(
                "post {} has a newer revision",
                newer.post_id
            ))),
        }
    }

    /// Saves one post with its events, keeping a revision of it (its source and edited fields,
    /// who, `now`) in the same transaction. When `save.base` names a revision and the post
    /// has a newer one, nothing is written and the newer revision is returned: checked after
    /// the post's row is written, so on PostgreSQL concurrent saves of one post take turns on
    /// its row lock and the second sees the first's revision (SQLite has one writer).
    pub async fn save_post_revision(
        &self,
        post: &Post,
        events: &[Outgoing],
        save: RevisionSave<'_>,
        now: DateTime<Utc>,
    ) -> Result<RevisionSaved, StoreError> {
        let written = self
            .write_posts(std::slice::from_ref(post), events, Some(save), now)
            .await?;
        Ok(match written {
            Ok((queued, Some(revision))) => RevisionSaved::Saved { revision, queued },
            // A one-post save with a `save` always keeps its revision.
            Ok((_, None)) => return Err(StoreError::Corrupt("no revision was kept".into())),
            Err(newer) => RevisionSaved::Conflict(newer),
        })
    }

    /// The transaction behind `save_posts_with_events` and `save_post_revision` (a revision
    /// only for a one-post save): the deliveries queued and the revision kept, or the newer
    /// revision that refused the save.
    async fn write_posts(
        &self,
        posts: &[Post],
        events: &[Outgoing],
        save: Option<RevisionSave<'_>>,
        at: DateTime<Utc>,
    ) -> Result<Result<(usize, Option<Revision>), Revision>, StoreError> {
        let tags = unique_by_id(posts.iter().flat_map(|p| &p.tags), |t| &t.id);
        let authors = unique_by_id(posts.iter().flat_map(|p| &p.authors), |a| &a.id);
        let links = [
            (
                "post_tags",
                "tag_id",
                links(posts, |p| p.tags.iter().map(|t| t.id.as_str())),
            ),
            (
                "post_authors",
                "author_id",
                links(posts, |p| p.authors.iter().map(|a| a.id.as_str())),
            ),
        ];
        let now = to_micros(at);
        let (queued, revision) = on_pool!(&self.db, write, |pool| {
            let mut tx = pool.begin().await?;
            for chunk in tags.chunks(BATCH) {
                insert_tags(chunk, now).build().execute(&mut *tx).await?;
            }
            for chunk in authors.chunks(BATCH) {
                insert_authors(chunk, now).build().execute(&mut *tx).await?;
            }
            for chunk in posts.chunks(BATCH) {
                upsert_posts(chunk, now).build().execute(&mut *tx).await?;
                let ids: Vec<&str> = chunk.iter().map(|p| p.id.as_str()).collect();
                for (table, _, _) in &links {
                    let mut unlink =
                        QueryBuilder::new(format!("DELETE FROM {table} WHERE post_id IN "));
                    push_list(&mut unlink, &ids);
                    unlink.build().execute(&mut *tx).await?;
                }
            }
            for (table, column, rows) in &links {
                for chunk in rows.chunks(BATCH) {
                    insert_links(table, column, chunk)
                        .build()
                        .execute(&mut *tx)
                        .await?;
                }
            }
            let mut revision = None;
            if let (Some(save), [post]) = (save, posts) {
                let latest = latest_in_tx!(tx, post.id.as_str());
                let newer = latest
                    .as_ref()
                    .filter(|l| save.base.is_some_and(|base| base != l.id));
                if let Some(newer) = newer {
                    return Ok(Err(newer.clone()));
                }
                // An autosave folds into the same editor's recent revision: it takes a new id
                // (so a copy based on the old one is still refused) and keeps its number.
                let mut folded = latest.as_ref().filter(|l| {
                    save.fold_within
                        .is_some_and(|within| l.created_at + within > at)
                        && l.by.id.is_some()
                        && l.by == *save.by
                });
                if let Some(l) = folded {
                    let autosaved: bool =
                        sqlx::query_scalar("SELECT autosaved FROM post_revisions WHERE id = $1")
                            .bind(&l.id)
                            .fetch_one(&mut *tx)
                            .await?;
                    folded = folded.filter(|_| autosaved);
                }
                let rev = match folded {
                    Some(l) => {
                        let rev = new_revision(post, l.number, save.by, at);
                        sqlx::query("DELETE FROM post_revisions WHERE id = $1")
                            .bind(&l.id)
                            .execute(&mut *tx)
                            .await?;
                        rev
                    }
                    None => new_revision(post, latest.map_or(1, |l| l.number + 1), save.by, at),
                };
                insert_in_tx!(tx, &rev, save.fold_within.is_some());
                revision = Some(rev);
            }
            let queued = queue_outgoing!(tx, events, now);
            tx.commit().await?;
            (queued, revision)
        });
        self.clock.tick();
        Ok(Ok((queued, revision)))
    }

    /// Whether any post or page already uses `slug`.
    pub async fn slug_taken(&self, slug: &str) -> Result<bool, StoreError> {
        let n: i64 = on_pool!(&self.db, read, |p| {
            sqlx::query_scalar("SELECT COUNT(*) FROM posts WHERE slug = $1")
                .bind(slug)
                .fetch_one(p)
                .await?
        });
        Ok(n > 0)
    }

    /// The post or page at `slug`, whatever its status (callers decide what a viewer may see).
    pub async fn post_by_slug(&self, slug: &str) -> Result<Option<Post>, StoreError> {
        let sql = format!("SELECT {POST_COLUMNS} FROM posts p WHERE p.slug = $1");
        let row: Option<PostRow> = on_pool!(&self.db, read, |p| sqlx::query_as(&sql)
            .bind(slug)
            .fetch_optional(p)
            .await?);
        Ok(self.hydrate(row.into_iter().collect()).await?.pop())
    }

    /// Number of posts and pages in any status.
    pub async fn count_posts(&self) -> Result<u64, StoreError> {
        let n: i64 = on_pool!(&self.db, read, |p| {
            sqlx::query_scalar("SELECT COUNT(*) FROM posts")
                .fetch_one(p)
                .await?
        });
        Ok(crate::browse::sql_count(n))
    }

    /// Published posts matching `filter`, newest first.
    pub async fn list_posts(
        &self,
        filter: &PostFilter,
        limit: u32,
        offset: u64,
        now: DateTime<Utc>,
    ) -> Result<Vec<Post>, StoreError> {
        let rows: Vec<PostRow> = on_pool!(&self.db, read, |p| {
            let mut select = QueryBuilder::new(format!("SELECT {POST_COLUMNS} FROM posts p"));
            push_where(&mut select, filter, now);
            select
                .push(" ORDER BY p.published_at DESC, p.id DESC LIMIT ")
                .push_bind(i64::from(limit));
            select
                .push(" OFFSET ")
                .push_bind(crate::browse::sql_offset(offset));
            select.build_query_as().fetch_all(p).await?
        });
        self.hydrate(rows).await
    }

    /// How many published posts match `filter`, for pagination.
    pub async fn count_live(
        &self,
        filter: &PostFilter,
        now: DateTime<Utc>,
    ) -> Result<u64, StoreError> {
        let total: i64 = on_pool!(&self.db, read, |p| {
            let mut count = QueryBuilder::new("SELECT COUNT(*) FROM posts p");
            push_where(&mut count, filter, now);
            count.build_query_scalar().fetch_one(p).await?
        });
        Ok(crate::browse::sql_count(total))
    }

    /// The posts with these ids, in the order given (missing ids are skipped).
    pub async fn posts_by_ids(&self, ids: &[String]) -> Result<Vec<Post>, StoreError> {
        if ids.is_empty() {
            return Ok(vec![]);
        }
        let refs: Vec<&str> = ids.iter().map(String::as_str).collect();
        let rows: Vec<PostRow> = on_pool!(&self.db, read, |p| {
            let mut q =
                QueryBuilder::new(format!("SELECT {POST_COLUMNS} FROM posts p WHERE p.id IN "));
            push_list(&mut q, &refs);
            q.build_query_as().fetch_all(p).await?
        });
        let mut posts = self.hydrate(rows).await?;
        posts.sort_by_key(|p| ids.iter().position(|id| *id == p.id));
        Ok(posts)
    }

    /// When any post last changed, for `Last-Modified` on listings.
    pub async fn last_modified(&self) -> Result<Option<DateTime<Utc>>, StoreError> {
        let us: Option<i64> = on_pool!(&self.db, read, |p| {
            sqlx::query_scalar("SELECT MAX(updated_at) FROM posts")
                .fetch_one(p)
                .await?
        });
        Ok(us.map(crate::time::from_micros))
    }

    /// Attaches ordered tags and authors to post rows, keeping the rows' order.
    pub(crate) async fn hydrate(&self, rows: Vec<PostRow>) -> Result<Vec<Post>, StoreError> {
        if rows.is_empty() {
            return Ok(vec![]);
        }
        let ids: Vec<&str> = rows.iter().map(|r| r.id.as_str()).collect();
        let tag_sql = format!(
            "SELECT pt.post_id, {TAG_COLUMNS} FROM post_tags pt JOIN tags t ON t.id = pt.tag_id WHERE pt.post_id IN "
        );
        let author_sql = format!(
            "SELECT pa.post_id, {AUTHOR_COLUMNS} FROM post_authors pa JOIN authors a ON a.id = pa.author_id WHERE pa.post_id IN "
        );
        let (tag_rows, author_rows): (Vec<Linked<TagRow>>, Vec<Linked<AuthorRow>>) =
            on_pool!(&self.db, read, |p| {
                let mut tq = QueryBuilder::new(&tag_sql);
                push_list(&mut tq, &ids);
                tq.push(" ORDER BY pt.post_id, pt.position");
                let mut aq = QueryBuilder::new(&author_sql);
                push_list(&mut aq, &ids);
                aq.push(" ORDER BY pa.post_id, pa.position");
                (
                    tq.build_query_as().fetch_all(p).await?,
                    aq.build_query_as().fetch_all(p).await?,
                )
            });
        let mut tags: HashMap<String, Vec<Tag>> = HashMap::new();
        for l in tag_rows {
            tags.entry(l.post_id)
                .or_default()
                .push(Tag::try_from(l.row)?);
        }
        let mut authors: HashMap<String, Vec<Author>> = HashMap::new();
        for l in author_rows {
            authors
                .entry(l.post_id)
                .or_default()
                .push(Author::try_from(l.row)?);
        }
        rows.into_iter()
            .map(|r| {
                let (t, a) = (
                    tags.remove(&r.id).unwrap_or_default(),
                    authors.remove(&r.id).unwrap_or_default(),
                );
                r.into_post(t, a)
            })
            .collect()
    }
}

/// `(post id, linked id, position)` for each post's tags or authors, in the post's order.
fn links<'a, I>(posts: &'a [Post], linked: impl Fn(&'a Post) -> I) -> Vec<(&'a str, &'a str, i64)>
where
    I: Iterator<Item = &'a str>,
{
    posts
        .iter()
        .flat_map(|p| (0..).zip(linked(p)).map(|(i, id)| (p.id.as_str(), id, i)))
        .collect()
}

/// Inserts tags not yet stored (a tag whose slug exists is left as stored). Each is created a
/// microsecond after the one before it, because navigation lists sections in creation order.
fn insert_tags<'a, DB: sqlx::Database>(chunk: &'a [Tag], now: i64) -> QueryBuilder<'a, DB>
where
    &'a str: sqlx::Encode<'a, DB> + sqlx::Type<DB>,
    i64: sqlx::Encode<'a, DB> + sqlx::Type<DB>,
{
    let mut q =
        QueryBuilder::new("INSERT INTO tags (id, slug, name, description, kind, created_at) ");
    q.push_values(chunk.iter().zip(now..), |mut b, (t, created_at)| {
        b.push_bind(t.id.as_str())
            .push_bind(t.slug.as_str())
            .push_bind(t.name.as_str())
            .push_bind(t.description.as_str())
            .push_bind(t.kind.as_str())
            .push_bind(created_at);
    });
    q.push(" ON CONFLICT (slug) DO NOTHING");
    q
}

/// Inserts authors not yet stored (an author whose slug exists is left as stored).
fn insert_authors<'a, DB: sqlx::Database>(chunk: &'a [Author], now: i64) -> QueryBuilder<'a, DB>
where
    &'a str: sqlx::Encode<'a, DB> + sqlx::Type<DB>,
    Option<&'a str>: sqlx::Encode<'a, DB> + sqlx::Type<DB>,
    i64: sqlx::Encode<'a, DB> + sqlx::Type<DB>,
{
    let mut q = QueryBuilder::new(
        "INSERT INTO authors (id, slug, name, bio, credentials, avatar, website, created_at) ",
    );
    q.push_values(chunk, |mut b, a| {
        b.push_bind(a.id.as_str())
            .push_bind(a.slug.as_str())
            .push_bind(a.name.as_str())
            .push_bind(a.bio.as_str())
            .push_bind(a.credentials.as_str())
            .push_bind(a.avatar.as_deref())
            .push_bind(a.website.as_deref())
            .push_bind(now);
    });
    q.push(" ON CONFLICT (slug) DO NOTHING");
    q
}

/// Inserts or replaces posts (`REPLACE_POST`), each with `changed_at` as its change-clock
/// reading.
fn upsert_posts<'a, DB: sqlx::Database>(chunk: &'a [Post], changed_at: i64) -> QueryBuilder<'a, DB>
where
    &'a str: sqlx::Encode<'a, DB> + sqlx::Type<DB>,
    Option<&'a str>: sqlx::Encode<'a, DB> + sqlx::Type<DB>,
    String: sqlx::Encode<'a, DB> + sqlx::Type<DB>,
    i64: sqlx::Encode<'a, DB> + sqlx::Type<DB>,
    Option<i64>: sqlx::Encode<'a, DB> + sqlx::Type<DB>,
    bool: sqlx::Encode<'a, DB> + sqlx::Type<DB>,
{
    let mut q = QueryBuilder::new(format!(
        "INSERT INTO posts ({}, changed_at) ",
        POST_COLUMNS.replace("p.", "")
    ));
    q.push_values(chunk, |mut b, p| {
        let body = p.body.for_storage();
        let img = p.image.as_ref();
        let tiers: Vec<&str> = p.visibility.tier_slugs().iter().map(Slug::as_str).collect();
        b.push_bind(p.id.as_str())
            .push_bind(p.kind.as_str())
            .push_bind(p.slug.as_str())
            .push_bind(p.title.as_str())
            .push_bind(p.dek.as_str())
            .push_bind(body.markdown)
            .push_bind(body.free.html.as_str())
            .push_bind(body.free.text.as_str())
            .push_bind(body.gated.map(|g| g.html.as_str()))
            .push_bind(body.gated.map(|g| g.text.as_str()))
            .push_bind(img.map(|i| i.url.as_str()))
            .push_bind(img.and_then(|i| i.width).map(i64::from))
            .push_bind(img.and_then(|i| i.height).map(i64::from))
            .push_bind(img.map_or("", |i| i.alt.as_str()))
            .push_bind(img.map_or("", |i| i.caption.as_str()))
            .push_bind(img.map_or("", |i| i.credit.as_str()))
            .push_bind(p.status.as_str())
            .push_bind(p.visibility.kind())
            .push_bind(serde_json::to_string(&tiers).unwrap_or_else(|_| "[]".into()))
            .push_bind(p.featured)
            .push_bind(p.meta_title.as_deref())
            .push_bind(p.meta_description.as_deref())
            .push_bind(p.canonical_url.as_deref())
            .push_bind(p.published_at.map(to_micros))
            .push_bind(to_micros(p.created_at))
            .push_bind(to_micros(p.updated_at))
            .push_bind(p.social.og_title.as_deref())
            .push_bind(p.social.og_description.as_deref())
            .push_bind(p.social.og_image.as_deref())
            .push_bind(p.social.twitter_title.as_deref())
            .push_bind(p.social.twitter_description.as_deref())
            .push_bind(p.social.twitter_image.as_deref())
            .push_bind(changed_at);
    });
    q.push(REPLACE_POST);
    q
}

/// Inserts `(post id, linked id, position)` rows into a link table.
fn insert_links<'a, DB: sqlx::Database>(
    table: &str,
    column: &str,
    rows: &'a [(&'a str, &'a str, i64)],
) -> QueryBuilder<'a, DB>
where
    &'a str: sqlx::Encode<'a, DB> + sqlx::Type<DB>,
    i64: sqlx::Encode<'a, DB> + sqlx::Type<DB>,
{
    let mut q = QueryBuilder::new(format!(
        "INSERT INTO {table} (post_id, {column}, position) "
    ));
    q.push_values(rows, |mut b, (post, linked, position)| {
        b.push_bind(*post).push_bind(*linked).push_bind(*position);
    });
    q
}

fn push_where<'a, DB: sqlx::Database>(
    q: &mut QueryBuilder<'a, DB>,
    f: &'a PostFilter,
    now: DateTime<Utc>,
) where
    i64: sqlx::Encode<'a, DB> + sqlx::Type<DB>,
    &'a str: sqlx::Encode<'a, DB> + sqlx::Type<DB>,
    bool: sqlx::Encode<'a, DB> + sqlx::Type<DB>,
    String: sqlx::Encode<'a, DB> + sqlx::Type<DB>,
{
    q.push(" WHERE p.status = 'published' AND p.kind = ")
        .push_bind(f.kind.as_str());
    q.push(" AND p.published_at <= ").push_bind(to_micros(now));
    if let Some(tag) = &f.tag {
        q.push(" AND p.id IN (SELECT pt.post_id FROM post_tags pt JOIN tags t ON t.id = pt.tag_id WHERE t.slug = ")
            .push_bind(tag.as_str())
            .push(")");
    }
    if let Some(author) = &f.author {
        q.push(" AND p.id IN (SELECT pa.post_id FROM post_authors pa JOIN authors a ON a.id = pa.author_id WHERE a.slug = ")
            .push_bind(author.as_str())
            .push(")");
    }
    if let Some(featured) = f.featured {
        q.push(" AND p.featured = ").push_bind(featured);
    }
    if !f.exclude.is_empty() {
        q.push(" AND p.id NOT IN ");
        let ids: Vec<&str> = f.exclude.iter().map(String::as_str).collect();
        push_list(q, &ids);
    }
}

pub(crate) fn push_list<'a, DB: sqlx::Database>(q: &mut QueryBuilder<'a, DB>, items: &[&'a str])
where
    &'a str: sqlx::Encode<'a, DB> + sqlx::Type<DB>,
{
    q.push("(");
    let mut sep = q.separated(", ");
    for item in items {
        sep.push_bind(*item);
    }
    q.push(")");
}

fn unique_by_id<'a, T: Clone + 'a>(
    items: impl Iterator<Item = &'a T>,
    id: impl Fn(&T) -> &String,
) -> Vec<T> {
    let mut seen = BTreeMap::new();
    for item in items {
        seen.entry(id(item).clone()).or_insert_with(|| item.clone());
    }
    seen.into_values().collect()
}

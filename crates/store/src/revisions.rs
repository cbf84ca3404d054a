//! Revisions of posts (written by `Store::save_post_revision` in `posts.rs`, in the save's own
//! transaction), editors' presence on a post, and posts' private preview ids.

use crate::time::{from_micros, to_micros};
use crate::{Store, StoreError, on_pool};
use chrono::{DateTime, Utc};
use domain::{Editor, Post, Revision, RevisionFields};

/// The columns of `post_revisions`, in `RevisionRow`'s order.
pub(crate) const REVISION_COLUMNS: &str =
    "id, post_id, number, markdown, fields, by_id, by_name, created_at";

/// The base of an editor's copy of a post that had no revision yet (posts seeded, imported or
/// written before revisions were kept): it names no revision, so once any revision exists a
/// save based on it is refused like any stale save. Never a revision id (those are UUIDs).
pub const NO_REVISION_YET: &str = "none";

/// What a save that keeps a revision asks: who saves, and the revision the editor's copy was
/// based on (`None` for a save that did not start from a revision: a new post, an Admin API
/// edit checked by `updated_at`).
#[derive(Debug, Clone, Copy)]
pub struct RevisionSave<'a> {
    pub by: &'a Editor,
    pub base: Option<&'a str>,
    /// An autosave: replaces the newest revision instead of adding one when that is an
    /// autosave of the same (named) editor less than this long ago, so typing for an hour is
    /// not 1,200 revisions; a manual save always adds one.
    pub fold_within: Option<chrono::Duration>,
}

/// The outcome of a save that keeps a revision.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RevisionSaved {
    /// The post was saved with this new revision; `queued` webhook deliveries with it.
    Saved { revision: Revision, queued: usize },
    /// Nothing was written: the post has this revision, newer than the base the save named.
    Conflict(Revision),
}

/// Another editor with a post open, as their last heartbeat left them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Presence {
    pub editor_id: String,
    pub name: String,
    pub seen_at: DateTime<Utc>,
}

#[derive(sqlx::FromRow)]
pub(crate) struct RevisionRow {
    id: String,
    post_id: String,
    number: i64,
    markdown: String,
    fields: String,
    by_id: Option<String>,
    by_name: Option<String>,
    created_at: i64,
}

impl TryFrom<RevisionRow> for Revision {
    type Error = StoreError;

    fn try_from(r: RevisionRow) -> Result<Revision, StoreError> {
        let fields: RevisionFields = serde_json::from_str(&r.fields)
            .map_err(|e| StoreError::Corrupt(format!("revision {}: {e}", r.id)))?;
        Ok(Revision {
            id: r.id,
            post_id: r.post_id,
            number: r.number,
            markdown: r.markdown,
            fields,
            by: Editor {
                id: r.by_id,
                name: r.by_name,
            },
            created_at: from_micros(r.created_at),
        })
    }
}

/// The revision a save of `post` as `number` by `by` at `now` keeps.
pub(crate) fn new_revision(post: &Post, number: i64, by: &Editor, now: DateTime<Utc>) -> Revision {
    Revision {
        id: uuid::Uuid::now_v7().to_string(),
        post_id: post.id.clone(),
        number,
        markdown: post.body.for_storage().markdown.to_owned(),
        fields: RevisionFields::of(post),
        by: by.clone(),
        created_at: now,
    }
}

/// Inside a save's transaction `$tx`: the newest stored revision of `$post_id`, if any.
macro_rules! latest_in_tx {
    ($tx:expr, $post_id:expr) => {{
        let sql = format!(
            "SELECT {} FROM post_revisions WHERE post_id = $1 ORDER BY number DESC LIMIT 1",
            $crate::revisions::REVISION_COLUMNS
        );
        let row: Option<$crate::revisions::RevisionRow> = sqlx::query_as(&sql)
            .bind($post_id)
            .fetch_optional(&mut *$tx)
            .await?;
        row.map(domain::Revision::try_from).transpose()?
    }};
}
pub(crate) use latest_in_tx;

/// Inside a save's transaction `$tx`: writes revision `$rev`, marked as an autosave's or not.
macro_rules! insert_in_tx {
    ($tx:expr, $rev:expr, $autosaved:expr) => {{
        let rev: &domain::Revision = $rev;
        let fields = serde_json::to_string(&rev.fields)
            .map_err(|e| $crate::StoreError::Corrupt(e.to_string()))?;
        sqlx::query(
            "INSERT INTO post_revisions (id, post_id, number, markdown, fields, by_id, by_name, \
             autosaved, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(&rev.id)
        .bind(&rev.post_id)
        .bind(rev.number)
        .bind(&rev.markdown)
        .bind(fields)
        .bind(rev.by.id.as_deref())
        .bind(rev.by.name.as_deref())
        .bind($autosaved)
        .bind($crate::time::to_micros(rev.created_at))
        .execute(&mut *$tx)
        .await?;
    }};
}
pub(crate) use insert_in_tx;

impl Store {
    /// A post's revisions, newest first, at most `limit`.
    pub async fn revisions(&self, post_id: &str, limit: u32) -> Result<Vec<Revision>, StoreError> {
        let sql = format!(
            "SELECT {REVISION_COLUMNS} FROM post_revisions WHERE post_id = $1 \
             ORDER BY number DESC LIMIT $2"
        );
        let rows: Vec<RevisionRow> = on_pool!(&self.db, read, |p| sqlx::query_as(&sql)
            .bind(post_id)
            .bind(i64::from(limit))
            .fetch_all(p)
            .await?);
        rows.into_iter().map(Revision::try_from).collect()
    }

    /// One revision by id.
    pub async fn revision(&self, id: &str) -> Result<Option<Revision>, StoreError> {
        let sql = format!("SELECT {REVISION_COLUMNS} FROM post_revisions WHERE id = $1");
        let row: Option<RevisionRow> = on_pool!(&self.db, read, |p| sqlx::query_as(&sql)
            .bind(id)
            .fetch_optional(p)
            .await?);
        row.map(Revision::try_from).transpose()
    }

    /// The newest revision of a post, if it has any.
    pub async fn latest_revision(&self, post_id: &str) -> Result<Option<Revision>, StoreError> {
        Ok(self.revisions(post_id, 1).await?.pop())
    }

    /// Records that `editor_id` (shown as `name`) has `post_id` open at `now`, forgetting the
    /// post's editors not seen since `stale`. Returns whether the post exists.
    pub async fn heartbeat(
        &self,
        post_id: &str,
        editor_id: &str,
        name: &str,
        now: DateTime<Utc>,
        stale: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let exists = on_pool!(&self.db, write, |pool| {
            let mut tx = pool.begin().await?;
            let found: Option<(String,)> = sqlx::query_as("SELECT id FROM posts WHERE id = $1")
                .bind(post_id)
                .fetch_optional(&mut *tx)
                .await?;
            if found.is_some() {
                sqlx::query("DELETE FROM post_presence WHERE post_id = $1 AND seen_at < $2")
                    .bind(post_id)
                    .bind(to_micros(stale))
                    .execute(&mut *tx)
                    .await?;
                sqlx::query(
                    "INSERT INTO post_presence (post_id, editor_id, name, seen_at) \
                     VALUES ($1, $2, $3, $4) ON CONFLICT (post_id, editor_id) \
                     DO UPDATE SET name = excluded.name, seen_at = excluded.seen_at",
                )
                .bind(post_id)
                .bind(editor_id)
                .bind(name)
                .bind(to_micros(now))
                .execute(&mut *tx)
                .await?;
            }
            tx.commit().await?;
            found.is_some()
        });
        Ok(exists)
    }

    /// The editors other than `editor_id` seen on `post_id` since `since`, by name.
    pub async fn present_editors(
        &self,
        post_id: &str,
        editor_id: &str,
        since: DateTime<Utc>,
    ) -> Result<Vec<Presence>, StoreError> {
        let rows: Vec<(String, String, i64)> = on_pool!(&self.db, read, |p| sqlx::query_as(
            "SELECT editor_id, name, seen_at FROM post_presence \
             WHERE post_id = $1 AND editor_id <> $2 AND seen_at >= $3 ORDER BY name, editor_id"
        )
        .bind(post_id)
        .bind(editor_id)
        .bind(to_micros(since))
        .fetch_all(p)
        .await?);
        Ok(rows
            .into_iter()
            .map(|(editor_id, name, seen_at)| Presence {
                editor_id,
                name,
                seen_at: from_micros(seen_at),
            })
            .collect())
    }

    /// The post's preview id, set to `fresh` if it has none yet; `None` if the post is not
    /// stored. Setting it changes nothing readers see, so the change clock stays.
    pub async fn ensure_preview_id(
        &self,
        post_id: &str,
        fresh: &str,
    ) -> Result<Option<String>, StoreError> {
        let id: Option<Option<String>> = on_pool!(&self.db, write, |p| sqlx::query_scalar(
            "UPDATE posts SET preview_id = COALESCE(preview_id, $2) WHERE id = $1 \
             RETURNING preview_id"
        )
        .bind(post_id)
        .bind(fresh)
        .fetch_optional(p)
        .await?);
        Ok(id.flatten())
    }

    /// The post's preview id, if one was made.
    pub async fn preview_id(&self, post_id: &str) -> Result<Option<String>, StoreError> {
        let id: Option<Option<String>> = on_pool!(&self.db, read, |p| sqlx::query_scalar(
            "SELECT preview_id FROM posts WHERE id = $1"
        )
        .bind(post_id)
        .fetch_optional(p)
        .await?);
        Ok(id.flatten())
    }

    /// The post whose preview id is `preview_id`, whatever its status (the caller projects it
    /// for the viewer).
    pub async fn post_by_preview_id(&self, preview_id: &str) -> Result<Option<Post>, StoreError> {
        let sql = format!(
            "SELECT {} FROM posts p WHERE p.preview_id = $1",
            crate::rows::POST_COLUMNS
        );
        let row: Option<crate::rows::PostRow> = on_pool!(&self.db, read, |p| sqlx::query_as(&sql)
            .bind(preview_id)
            .fetch_optional(p)
            .await?);
        Ok(self.hydrate(row.into_iter().collect()).await?.pop())
    }
}

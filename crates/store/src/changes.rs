//! The change feed the search index follows: posts in the order the change clock
//! (`changed_at`) saw them written, and tombstones of deleted posts. Also the edits that are
//! not a whole save: changing a post's status, and deleting it.
//!
//! The store reads no clock: every write that stamps `changed_at` takes `now` from its caller,
//! who reads the clock as it writes. Readers of the feed look back only `LATE_COMMIT_MICROS`
//! for late commits, so a reading taken long before the write could be missed.

use crate::time::to_micros;
use crate::webhooks::{Outgoing, queue_outgoing};
use crate::{Store, StoreError, on_pool};
use chrono::{DateTime, Utc};
use domain::{Post, Status};

/// Where a reader of the feed has got to: the change-clock reading and id of the last post seen.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FeedPosition {
    pub changed_at: i64,
    pub id: String,
}

/// A write may commit this long after its change-clock reading (a slow transaction, another
/// node's clock): readers of the feed look this far behind their position for late commits.
pub const LATE_COMMIT_MICROS: i64 = 5_000_000;

impl FeedPosition {
    /// Where to look again for writes that committed late behind this position, while any
    /// still can at `now`: `None` once the position is older than twice the allowance, so an
    /// idle feed is not re-read forever.
    pub fn late_window(&self, now: DateTime<Utc>) -> Option<FeedPosition> {
        (to_micros(now) <= self.changed_at + 2 * LATE_COMMIT_MICROS).then(|| FeedPosition {
            changed_at: self.changed_at - LATE_COMMIT_MICROS,
            id: String::new(),
        })
    }
}

impl Store {
    /// Up to `limit` posts (any kind or status) written after `after`, oldest change first,
    /// each with its change-clock reading.
    pub async fn changed_posts(
        &self,
        after: &FeedPosition,
        limit: u32,
    ) -> Result<Vec<(i64, Post)>, StoreError> {
        let sql = "SELECT id, changed_at FROM posts \
             WHERE changed_at > $1 OR (changed_at = $1 AND id > $2) \
             ORDER BY changed_at, id LIMIT $3";
        let rows: Vec<(String, i64)> = on_pool!(&self.db, read, |p| sqlx::query_as(sql)
            .bind(after.changed_at)
            .bind(&after.id)
            .bind(i64::from(limit))
            .fetch_all(p)
            .await?);
        let ids: Vec<String> = rows.iter().map(|(id, _)| id.clone()).collect();
        let posts = self.posts_by_ids(&ids).await?;
        // A post saved again between the two queries keeps its older reading here; the feed
        // then returns it once more, which readers must tolerate anyway.
        Ok(posts
            .into_iter()
            .filter_map(|post| {
                let at = rows.iter().find(|(id, _)| *id == post.id)?.1;
                Some((at, post))
            })
            .collect())
    }

    /// The newest position of the change feed and the newest deletion time: where a reader
    /// that needs no history starts following.
    pub async fn feed_head(&self) -> Result<(FeedPosition, i64), StoreError> {
        let last: Option<(i64, String)> = on_pool!(&self.db, read, |p| sqlx::query_as(
            "SELECT changed_at, id FROM posts ORDER BY changed_at DESC, id DESC LIMIT 1"
        )
        .fetch_optional(p)
        .await?);
        let (deleted,): (Option<i64>,) = on_pool!(&self.db, read, |p| sqlx::query_as(
            "SELECT MAX(deleted_at) FROM post_tombstones"
        )
        .fetch_one(p)
        .await?);
        let position = last.map_or_else(FeedPosition::default, |(changed_at, id)| FeedPosition {
            changed_at,
            id,
        });
        Ok((position, deleted.unwrap_or(0)))
    }

    /// Ids of published posts whose publication time falls in `(after, until]`: scheduled
    /// posts that went live in that span without any write.
    pub async fn went_live(
        &self,
        after: DateTime<Utc>,
        until: DateTime<Utc>,
    ) -> Result<Vec<String>, StoreError> {
        // Naming every kind lets both databases seek the listing index.
        let sql = "SELECT id FROM posts WHERE kind IN ('post', 'page') AND status = 'published' \
             AND published_at > $1 AND published_at <= $2";
        let rows: Vec<(String,)> = on_pool!(&self.db, read, |p| sqlx::query_as(sql)
            .bind(to_micros(after))
            .bind(to_micros(until))
            .fetch_all(p)
            .await?);
        Ok(rows.into_iter().map(|(id,)| id).collect())
    }

    /// Ids of published posts that were *scheduled*: their publication time falls in
    /// `(after, until]` and their last write came before it, so they went live by the clock
    /// alone (a post published by a write is the writer's to announce).
    pub async fn scheduled_went_live(
        &self,
        after: DateTime<Utc>,
        until: DateTime<Utc>,
    ) -> Result<Vec<String>, StoreError> {
        let sql = "SELECT id FROM posts WHERE kind IN ('post', 'page') AND status = 'published' \
             AND published_at > $1 AND published_at <= $2 AND changed_at < published_at \
             ORDER BY published_at, id";
        let rows: Vec<(String,)> = on_pool!(&self.db, read, |p| sqlx::query_as(sql)
            .bind(to_micros(after))
            .bind(to_micros(until))
            .fetch_all(p)
            .await?);
        Ok(rows.into_iter().map(|(id,)| id).collect())
    }

    /// Ids of posts deleted after `after` (a change-clock reading), with their deletion times.
    pub async fn deleted_posts(
        &self,
        after: i64,
        limit: u32,
    ) -> Result<Vec<(String, i64)>, StoreError> {
        let sql = "SELECT post_id, deleted_at FROM post_tombstones WHERE deleted_at > $1 \
             ORDER BY deleted_at, post_id LIMIT $2";
        Ok(on_pool!(&self.db, read, |p| sqlx::query_as(sql)
            .bind(after)
            .bind(i64::from(limit))
            .fetch_all(p)
            .await?))
    }

    /// Sets a post's status (publish, unpublish, schedule), publication time and `updated_at`,
    /// with `now` as its change-clock reading. Returns whether the post exists.
    pub async fn set_post_status(
        &self,
        id: &str,
        status: Status,
        published_at: Option<DateTime<Utc>>,
        updated_at: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let change = StatusChange {
            status,
            published_at,
            updated_at,
        };
        let done = self
            .set_post_status_with_events(id, &change, &[], now)
            .await?;
        Ok(done.is_some())
    }

    /// `set_post_status`, queuing `events` (the webhook events of the change) in the same
    /// transaction when the post exists. Returns how many deliveries were queued, `None` when
    /// there is no such post (nothing is written or queued then).
    pub async fn set_post_status_with_events(
        &self,
        id: &str,
        change: &StatusChange,
        events: &[Outgoing],
        now: DateTime<Utc>,
    ) -> Result<Option<usize>, StoreError> {
        let sql = "UPDATE posts SET status = $1, published_at = $2, updated_at = $3, \
             changed_at = $4 WHERE id = $5";
        let now = to_micros(now);
        let done = on_pool!(&self.db, write, |pool| {
            let mut tx = pool.begin().await?;
            let n = sqlx::query(sql)
                .bind(change.status.as_str())
                .bind(change.published_at.map(to_micros))
                .bind(to_micros(change.updated_at))
                .bind(now)
                .bind(id)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            let queued = if n > 0 {
                Some(queue_outgoing!(tx, events, now))
            } else {
                None
            };
            tx.commit().await?;
            queued
        });
        self.clock.tick();
        Ok(done)
    }

    /// Deletes a post (its tag, author and related links go with it) and leaves a tombstone
    /// dated `now` on the change clock. Returns whether it existed.
    pub async fn delete_post(&self, id: &str, now: DateTime<Utc>) -> Result<bool, StoreError> {
        Ok(self.delete_post_with_events(id, &[], now).await?.is_some())
    }

    /// `delete_post`, queuing `events` (the webhook events of the deletion) in the same
    /// transaction when the post existed. Returns how many deliveries were queued, `None` when
    /// there was no such post.
    pub async fn delete_post_with_events(
        &self,
        id: &str,
        events: &[Outgoing],
        now: DateTime<Utc>,
    ) -> Result<Option<usize>, StoreError> {
        let now = to_micros(now);
        let deleted = on_pool!(&self.db, write, |pool| {
            let mut tx = pool.begin().await?;
            let n = sqlx::query("DELETE FROM posts WHERE id = $1")
                .bind(id)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            let queued = if n > 0 {
                sqlx::query(
                    "INSERT INTO post_tombstones (post_id, deleted_at) VALUES ($1, $2) \
                     ON CONFLICT (post_id) DO UPDATE SET deleted_at = excluded.deleted_at",
                )
                .bind(id)
                .bind(now)
                .execute(&mut *tx)
                .await?;
                Some(queue_outgoing!(tx, events, now))
            } else {
                None
            };
            tx.commit().await?;
            queued
        });
        self.clock.tick();
        Ok(deleted)
    }
}

/// What a status change sets on a post.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StatusChange {
    pub status: Status,
    pub published_at: Option<DateTime<Utc>>,
    pub updated_at: DateTime<Utc>,
}

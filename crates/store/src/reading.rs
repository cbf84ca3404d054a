//! What members read: the 30-day meter for free members, and gift links.

use crate::time::{from_micros, to_micros};
use crate::{Store, StoreError, on_pool};
use chrono::{DateTime, Utc};

/// A gift link a paid member made for one post.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Gift {
    pub id: String,
    pub member_id: String,
    pub post_id: String,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    pub revoked: bool,
}

impl Store {
    /// Gated reads of `member_id` since `since`, and whether `post_id` is one of them.
    pub async fn meter_state(
        &self,
        member_id: &str,
        post_id: &str,
        since: DateTime<Utc>,
    ) -> Result<(u32, bool), StoreError> {
        let (count, this): (i64, i64) = on_pool!(&self.db, read, |p| {
            sqlx::query_as(
                "SELECT COUNT(*), COALESCE(SUM(CASE WHEN post_id = $2 THEN 1 ELSE 0 END), 0) \
                 FROM meter_reads WHERE member_id = $1 AND read_at > $3",
            )
            .bind(member_id)
            .bind(post_id)
            .bind(to_micros(since))
            .fetch_one(p)
            .await?
        });
        Ok((u32::try_from(count).unwrap_or(u32::MAX), this > 0))
    }

    /// Counts a gated read (once per post per window: a later read restarts its window).
    pub async fn record_meter_read(
        &self,
        member_id: &str,
        post_id: &str,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        on_pool!(&self.db, write, |p| {
            sqlx::query(
                "INSERT INTO meter_reads (member_id, post_id, read_at) VALUES ($1, $2, $3) \
                 ON CONFLICT (member_id, post_id) DO UPDATE SET read_at = excluded.read_at",
            )
            .bind(member_id)
            .bind(post_id)
            .bind(to_micros(now))
            .execute(p)
            .await?;
        });
        Ok(())
    }

    pub async fn create_gift(&self, g: &Gift) -> Result<(), StoreError> {
        on_pool!(&self.db, write, |p| {
            sqlx::query(
                "INSERT INTO gift_links (id, member_id, post_id, created_at, expires_at, revoked) VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(&g.id)
            .bind(&g.member_id)
            .bind(&g.post_id)
            .bind(to_micros(g.created_at))
            .bind(to_micros(g.expires_at))
            .bind(g.revoked)
            .execute(p)
            .await?;
        });
        Ok(())
    }

    pub async fn gift(&self, id: &str) -> Result<Option<Gift>, StoreError> {
        Ok(self.gifts_where("id = $1", id).await?.pop())
    }

    /// A member's gift links, newest first.
    pub async fn gifts_of(&self, member_id: &str) -> Result<Vec<Gift>, StoreError> {
        self.gifts_where("member_id = $1", member_id).await
    }

    async fn gifts_where(&self, clause: &str, value: &str) -> Result<Vec<Gift>, StoreError> {
        let sql = format!(
            "SELECT id, member_id, post_id, created_at, expires_at, revoked FROM gift_links WHERE {clause} ORDER BY created_at DESC"
        );
        let rows: Vec<(String, String, String, i64, i64, bool)> =
            on_pool!(&self.db, read, |p| sqlx::query_as(&sql)
                .bind(value)
                .fetch_all(p)
                .await?);
        Ok(rows
            .into_iter()
            .map(|(id, member_id, post_id, created, expires, revoked)| Gift {
                id,
                member_id,
                post_id,
                created_at: from_micros(created),
                expires_at: from_micros(expires),
                revoked,
            })
            .collect())
    }

    /// Revokes one of the member's own gift links.
    pub async fn revoke_gift(&self, member_id: &str, id: &str) -> Result<bool, StoreError> {
        let n = on_pool!(&self.db, write, |p| {
            sqlx::query("UPDATE gift_links SET revoked = TRUE WHERE id = $1 AND member_id = $2")
                .bind(id)
                .bind(member_id)
                .execute(p)
                .await?
                .rows_affected()
        });
        Ok(n == 1)
    }
}

//! What the console keeps on a member beyond their account: a staff note, whether they get
//! newsletters (Ghost's `subscribed`), and when they were last seen signed in.

use super::list::{MemberQuery, Reading, push_member_query};
use crate::time::{from_micros, to_micros};
use crate::{Store, StoreError, on_pool};
use chrono::{DateTime, Duration, Utc};
use sqlx::QueryBuilder;

/// A member's console fields.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MemberProfile {
    pub note: String,
    pub subscribed: bool,
    pub last_seen_at: Option<DateTime<Utc>>,
}

pub(crate) const PROFILE_COLUMNS: &str = "note, subscribed, last_seen_at";

/// "Last seen" is written at most this often per member, so a reader's requests cost no write.
pub const SEEN_EVERY: Duration = Duration::hours(1);

impl Store {
    /// A member's console fields; `None` when there is no such member.
    pub async fn member_profile(&self, id: &str) -> Result<Option<MemberProfile>, StoreError> {
        let sql = format!("SELECT {PROFILE_COLUMNS} FROM members WHERE id = $1");
        let row: Option<(String, bool, Option<i64>)> =
            on_pool!(&self.db, read, |p| sqlx::query_as(&sql)
                .bind(id)
                .fetch_optional(p)
                .await?);
        Ok(row.map(|(note, subscribed, last_seen_at)| MemberProfile {
            note,
            subscribed,
            last_seen_at: last_seen_at.map(from_micros),
        }))
    }

    /// Sets a member's note (trimmed), updated at `now`.
    pub async fn set_member_note(
        &self,
        id: &str,
        note: &str,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        self.update_member(id, "note", Some(note.trim()), now).await
    }

    /// Sets whether a member gets newsletters, updated at `now`.
    pub async fn set_member_subscribed(
        &self,
        id: &str,
        subscribed: bool,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        on_pool!(&self.db, write, |p| {
            sqlx::query("UPDATE members SET subscribed = $1, updated_at = $2 WHERE id = $3")
                .bind(subscribed)
                .bind(to_micros(now))
                .bind(id)
                .execute(p)
                .await?;
        });
        Ok(())
    }

    /// Unsubscribes from newsletters every member `query` selects who was subscribed; returns
    /// how many.
    pub async fn unsubscribe_members(
        &self,
        query: &MemberQuery,
        now: DateTime<Utc>,
    ) -> Result<u64, StoreError> {
        let index = self.member_search_index(query).await?;
        let n = on_pool!(&self.db, write, |p| {
            let mut q = QueryBuilder::new("UPDATE members SET subscribed = FALSE, updated_at = ");
            q.push_bind(to_micros(now));
            q.push(" WHERE subscribed AND id IN (SELECT m.id");
            push_member_query(&mut q, query, Reading::All, &index);
            q.push(")");
            q.build().execute(p).await?.rows_affected()
        });
        Ok(n)
    }

    /// Records that the member was seen at `now`, unless they were seen within
    /// [`SEEN_EVERY`]; `true` when it wrote. A read on the readers' pool comes first, so the
    /// common case (seen recently) takes no write lock.
    pub async fn touch_member_seen(
        &self,
        id: &str,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let stale = to_micros(now - SEEN_EVERY);
        let seen: Option<Option<i64>> = on_pool!(&self.db, read, |p| sqlx::query_scalar(
            "SELECT last_seen_at FROM members WHERE id = $1"
        )
        .bind(id)
        .fetch_optional(p)
        .await?);
        match seen {
            None => return Ok(false),
            Some(Some(at)) if at > stale => return Ok(false),
            Some(_) => {}
        }
        let n = on_pool!(&self.db, write, |p| {
            sqlx::query(
                "UPDATE members SET last_seen_at = $1 WHERE id = $2 \
                 AND (last_seen_at IS NULL OR last_seen_at <= $3)",
            )
            .bind(to_micros(now))
            .bind(id)
            .bind(to_micros(now - SEEN_EVERY))
            .execute(p)
            .await?
            .rows_affected()
        });
        Ok(n > 0)
    }
}

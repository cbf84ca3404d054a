//! The member event log (`member_events`, migration `…06000020_member_events`): append-only
//! activity for the console's timeline, read per member newest first through the
//! (`member_id`, `at`, `id`) index.

use crate::time::from_micros;
use crate::{Store, StoreError, on_pool};
use domain::{ActivityKind, MemberEvent};

#[derive(sqlx::FromRow)]
struct EventRow {
    id: String,
    member_id: String,
    kind: String,
    at: i64,
    post_id: Option<String>,
    tier: Option<String>,
    amount: Option<i64>,
    detail: String,
}

impl TryFrom<EventRow> for MemberEvent {
    type Error = StoreError;
    fn try_from(r: EventRow) -> Result<MemberEvent, StoreError> {
        let kind = ActivityKind::parse(&r.kind)
            .ok_or_else(|| StoreError::Corrupt(format!("member event kind {:?}", r.kind)))?;
        let detail = serde_json::from_str(&r.detail)
            .map_err(|e| StoreError::Corrupt(format!("detail of member event {}: {e}", r.id)))?;
        Ok(MemberEvent {
            id: r.id,
            member_id: r.member_id,
            kind,
            at: from_micros(r.at),
            post_id: r.post_id,
            tier: r.tier,
            amount: r.amount,
            detail,
        })
    }
}

pub(crate) const INSERT_EVENT: &str = "INSERT INTO member_events \
     (id, member_id, kind, at, post_id, tier, amount, detail) \
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)";

/// Binds `$event` to `INSERT_EVENT` and runs it on `$executor` (a pool or a transaction).
macro_rules! insert_event {
    ($executor:expr, $event:expr) => {{
        let e: &domain::MemberEvent = $event;
        sqlx::query($crate::member_events::INSERT_EVENT)
            .bind(&e.id)
            .bind(&e.member_id)
            .bind(e.kind.as_str())
            .bind($crate::time::to_micros(e.at))
            .bind(e.post_id.as_deref())
            .bind(e.tier.as_deref())
            .bind(e.amount)
            .bind(e.detail.to_string())
            .execute($executor)
            .await?;
    }};
}
pub(crate) use insert_event;

impl Store {
    /// Appends `event` to its member's log. An event for a member deleted meanwhile is a
    /// `Database` error (the foreign key), which callers logging after a write may ignore.
    pub async fn record_member_event(&self, event: &MemberEvent) -> Result<(), StoreError> {
        on_pool!(&self.db, write, |p| insert_event!(p, event));
        Ok(())
    }

    /// The member's events, newest first: `limit` of them after skipping `offset`.
    pub async fn member_events(
        &self,
        member_id: &str,
        limit: u32,
        offset: u32,
    ) -> Result<Vec<MemberEvent>, StoreError> {
        let rows: Vec<EventRow> = on_pool!(&self.db, read, |p| sqlx::query_as(
            "SELECT id, member_id, kind, at, post_id, tier, amount, detail FROM member_events \
             WHERE member_id = $1 ORDER BY at DESC, id DESC LIMIT $2 OFFSET $3"
        )
        .bind(member_id)
        .bind(i64::from(limit))
        .bind(i64::from(offset))
        .fetch_all(p)
        .await?);
        rows.into_iter().map(MemberEvent::try_from).collect()
    }

    /// How many events the member's log holds.
    pub async fn count_member_events(&self, member_id: &str) -> Result<u64, StoreError> {
        let (n,): (i64,) = on_pool!(&self.db, read, |p| sqlx::query_as(
            "SELECT COUNT(*) FROM member_events WHERE member_id = $1"
        )
        .bind(member_id)
        .fetch_one(p)
        .await?);
        Ok(u64::try_from(n).unwrap_or(0))
    }
}

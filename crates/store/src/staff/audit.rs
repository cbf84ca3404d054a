//! The audit log: every staff action that changes something — who, what, on what, the changed
//! fields before and after, when. Appended by the write it records, in its transaction.

use crate::time::{from_micros, to_micros};
use crate::{Store, StoreError, on_pool};
use chrono::{DateTime, Utc};

/// One audit entry. `before` and `after` are JSON objects of the changed fields (secrets never
/// appear: a password change records only that it happened).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEntry {
    pub id: String,
    /// The staff user who acted; `None` for the command line and first-run setup.
    pub actor_id: Option<String>,
    /// What was done, dotted: `staff.invited`, `staff.role_changed` …
    pub action: String,
    /// What it was done to: a staff user's id, an email address, a post id.
    pub subject: String,
    pub before: String,
    pub after: String,
    pub at: DateTime<Utc>,
}

/// Inserts `$entry` (an `&AuditEntry`) through `$conn`, inside the caller's transaction.
macro_rules! insert_audit {
    ($conn:expr, $entry:expr) => {{
        let e: &$crate::staff::AuditEntry = $entry;
        sqlx::query(
            "INSERT INTO audit_log (id, actor_id, action, subject, before, after, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(&e.id)
        .bind(&e.actor_id)
        .bind(&e.action)
        .bind(&e.subject)
        .bind(&e.before)
        .bind(&e.after)
        .bind($crate::time::to_micros(e.at))
        .execute($conn)
        .await?;
    }};
}
pub(crate) use insert_audit;

#[derive(sqlx::FromRow)]
struct AuditRow {
    id: String,
    actor_id: Option<String>,
    action: String,
    subject: String,
    before: String,
    after: String,
    created_at: i64,
}

impl Store {
    /// Appends an entry on its own (for actions whose write is not the store's).
    pub async fn insert_audit_entry(&self, entry: &AuditEntry) -> Result<(), StoreError> {
        on_pool!(&self.db, write, |p| insert_audit!(p, entry));
        Ok(())
    }

    /// The newest entries first, up to `limit`, older than `before` when given.
    pub async fn audit_entries(
        &self,
        limit: i64,
        before: Option<DateTime<Utc>>,
    ) -> Result<Vec<AuditEntry>, StoreError> {
        let rows: Vec<AuditRow> = on_pool!(&self.db, read, |p| {
            sqlx::query_as(
                "SELECT id, actor_id, action, subject, before, after, created_at FROM audit_log \
                 WHERE created_at < $1 ORDER BY created_at DESC, id DESC LIMIT $2",
            )
            .bind(before.map_or(i64::MAX, to_micros))
            .bind(limit)
            .fetch_all(p)
            .await?
        });
        Ok(rows
            .into_iter()
            .map(|r| AuditEntry {
                id: r.id,
                actor_id: r.actor_id,
                action: r.action,
                subject: r.subject,
                before: r.before,
                after: r.after,
                at: from_micros(r.created_at),
            })
            .collect())
    }
}

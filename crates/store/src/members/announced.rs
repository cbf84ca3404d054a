//! Member writes that fire webhook events: the write, the subscription it gives and the events'
//! deliveries commit in one transaction (a transactional outbox), so receivers hear of a change
//! if and only if it happened. The caller builds the events (`announce`) from the member and
//! subscription as the transaction leaves them, so they show exactly what committed.

use super::{INSERT_MEMBER, MEMBER_COLUMNS, MemberRow};
use crate::billing::{COLUMNS as SUBSCRIPTION_COLUMNS, SubscriptionRow};
use crate::billing::{bind_subscription, put_subscription_sql};
use crate::connect::Db;
use crate::time::to_micros;
use crate::webhooks::{Outgoing, queue_outgoing};
use crate::{Store, StoreError};
use chrono::{DateTime, Utc};
use domain::billing::Subscription;
use domain::{Email, Member};

/// What an announced member write did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Announced {
    /// The member as the write left them.
    pub member: Member,
    /// How many webhook deliveries the write queued.
    pub queued: usize,
}

/// A change to one member; each field given is set.
#[derive(Debug, Default, Clone, Copy)]
pub struct MemberChanges<'a> {
    pub name: Option<&'a str>,
    pub email: Option<&'a Email>,
    /// Stored in place of the member's subscription (a comp).
    pub subscription: Option<&'a Subscription>,
}

/// Inside the open transaction `$tx`: reads the member `$id` back, gives them the subscription
/// `$sub` if any, reads that back, queues what `$announce` makes of them, and
/// commits. Evaluates to `Option<Announced>` (`None`, rolled back: no such member).
macro_rules! finish {
    ($tx:ident, $id:expr, $sub:expr, $now:expr, $announce:expr) => {{
        let id: &str = $id;
        let sql = format!("SELECT {MEMBER_COLUMNS} FROM members WHERE id = $1");
        let row: Option<MemberRow> = sqlx::query_as(&sql)
            .bind(id)
            .fetch_optional(&mut *$tx)
            .await?;
        match row {
            None => {
                $tx.rollback().await?;
                None
            }
            Some(row) => {
                let member = Member::try_from(row)?;
                if let Some(sub) = $sub {
                    put_subscription_sql!(&mut *$tx, id, sub, $now);
                }
                let sql = format!(
                    "SELECT {SUBSCRIPTION_COLUMNS} FROM subscriptions WHERE member_id = $1"
                );
                let sub: Option<SubscriptionRow> = sqlx::query_as(&sql)
                    .bind(id)
                    .fetch_optional(&mut *$tx)
                    .await?;
                let sub = sub.map(Subscription::try_from).transpose()?;
                let events: Vec<Outgoing> = $announce(&member, sub.as_ref());
                let queued = queue_outgoing!($tx, &events, to_micros($now));
                $tx.commit().await?;
                Some(Announced { member, queued })
            }
        }
    }};
}

/// Runs `$body` with `$tx`, a transaction that holds the write lock from its start: on SQLite
/// `BEGIN IMMEDIATE`, so that a read followed by a write is never refused as "database is
/// locked" when another process wrote meanwhile.
macro_rules! in_write_tx {
    ($db:expr, |$tx:ident| $body:expr) => {
        match $db {
            Db::Sqlite { write, .. } => {
                let mut $tx = write.begin_with("BEGIN IMMEDIATE").await?;
                $body
            }
            Db::Postgres(pool) => {
                let mut $tx = pool.begin().await?;
                $body
            }
        }
    };
}

impl Store {
    /// Adds a member, or keeps the one that already has this email as they are; gives them
    /// `subscription` when given; and queues the events `announce` builds from the member and
    /// their subscription as they then stand — all in one transaction.
    pub async fn add_member_announced(
        &self,
        id: &str,
        email: &Email,
        name: &str,
        subscription: Option<&Subscription>,
        now: DateTime<Utc>,
        announce: impl FnOnce(&Member, Option<&Subscription>) -> Vec<Outgoing>,
    ) -> Result<Announced, StoreError> {
        let done = in_write_tx!(&self.db, |tx| {
            sqlx::query(INSERT_MEMBER)
                .bind(id)
                .bind(email.as_str())
                .bind(name.trim())
                .bind(to_micros(now))
                .execute(&mut *tx)
                .await?;
            let (member_id,): (String,) = sqlx::query_as("SELECT id FROM members WHERE email = $1")
                .bind(email.as_str())
                .fetch_one(&mut *tx)
                .await?;
            finish!(tx, &member_id, subscription, now, announce)
        });
        done.ok_or_else(|| StoreError::Corrupt("member vanished after insert".into()))
    }

    /// Changes the member `id` as `changes` says (updated at `now`) and queues the events
    /// `announce` builds from the member and their subscription as they then stand, in one
    /// transaction. `None` when there is no such member; `Conflict`, with nothing written or
    /// queued, when another member has the new email.
    pub async fn edit_member_announced(
        &self,
        id: &str,
        changes: MemberChanges<'_>,
        now: DateTime<Utc>,
        announce: impl FnOnce(&Member, Option<&Subscription>) -> Vec<Outgoing>,
    ) -> Result<Option<Announced>, StoreError> {
        let set = |column: &str| {
            format!("UPDATE members SET {column} = $1, updated_at = $2 WHERE id = $3")
        };
        let done = in_write_tx!(&self.db, |tx| {
            if let Some(name) = changes.name {
                sqlx::query(&set("name"))
                    .bind(name.trim())
                    .bind(to_micros(now))
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
            }
            if let Some(email) = changes.email {
                sqlx::query(&set("email"))
                    .bind(email.as_str())
                    .bind(to_micros(now))
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
            }
            finish!(tx, id, changes.subscription, now, announce)
        });
        Ok(done)
    }

    /// Deletes a member (their sessions, subscription, reads and gifts go with them, through
    /// foreign keys) and queues `events` in the same transaction; returns how many deliveries.
    pub async fn delete_member_announced(
        &self,
        id: &str,
        events: &[Outgoing],
        now: DateTime<Utc>,
    ) -> Result<usize, StoreError> {
        in_write_tx!(&self.db, |tx| {
            sqlx::query("DELETE FROM members WHERE id = $1")
                .bind(id)
                .execute(&mut *tx)
                .await?;
            let queued = queue_outgoing!(tx, events, to_micros(now));
            tx.commit().await?;
            Ok(queued)
        })
    }
}

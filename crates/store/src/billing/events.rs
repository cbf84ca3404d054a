//! Applying a Stripe event: its entry in the event log and the compare-and-set of the member's
//! subscription, in one transaction.
//!
//! Two events about one member may be applied at the same moment (`invoice.paid` and
//! `customer.subscription.deleted` arrive together). Each reads the stored subscription under a
//! write lock (`SELECT … FOR UPDATE` on PostgreSQL; `BEGIN IMMEDIATE` on SQLite takes the
//! database's write lock before the read, also against other processes), decides, and writes
//! only if the row is still what it read. The one case the locks cannot cover is a member with
//! no row yet on PostgreSQL (there is nothing to lock): then the second insert finds the first
//! one's row, and the whole transaction is tried again against it.

use super::{COLUMNS, SubscriptionRow};
use crate::connect::Db;
use crate::time::to_micros;
use crate::webhooks::{Outgoing, queue_outgoing};
use crate::{Store, StoreError};
use chrono::{DateTime, Utc};
use domain::billing::Subscription;

/// How often the transaction is tried against a fresh row. A retry happens only when two events
/// create a member's first subscription at once, so the second attempt succeeds.
const ATTEMPTS: usize = 5;

/// A Stripe event as the event log records it, and the member it is about.
#[derive(Debug, Clone, Copy)]
pub struct StripeEventRecord<'a> {
    pub id: &'a str,
    pub event_type: &'a str,
    /// Whose subscription the event may change; `None` only records the event.
    pub member_id: Option<&'a str>,
    /// Recorded as the member's Stripe customer in the same transaction (checkout completion).
    pub customer_id: Option<&'a str>,
}

/// What applying a Stripe event did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StripeApplied {
    /// False when the event id was applied before: then nothing was read or written.
    pub fresh: bool,
    /// The member's subscription as it stood when the event was applied.
    pub before: Option<Subscription>,
    /// What the event made of it; `None` when it changed nothing.
    pub after: Option<Subscription>,
    /// How many webhook deliveries the event's announcement queued with it.
    pub queued: usize,
}

const INSERT_NEW: &str = "INSERT INTO subscriptions (member_id, tier, status, stripe_subscription_id, \
    stripe_customer_id, current_period_end, past_due_since, comped_until, cancel_at_period_end, \
    last_event_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) \
    ON CONFLICT (member_id) DO NOTHING";

/// Sets the new values (`$2`…`$11`) only where every column still holds what was read
/// (`$12`…`$20`); `IS NOT DISTINCT FROM` compares NULLs as equal.
const UPDATE_IF_UNCHANGED: &str = "UPDATE subscriptions SET tier = $2, status = $3, \
    stripe_subscription_id = $4, stripe_customer_id = $5, current_period_end = $6, \
    past_due_since = $7, comped_until = $8, cancel_at_period_end = $9, last_event_at = $10, \
    updated_at = $11 WHERE member_id = $1 AND tier = $12 AND status = $13 \
    AND stripe_subscription_id IS NOT DISTINCT FROM $14 AND stripe_customer_id IS NOT DISTINCT FROM $15 \
    AND current_period_end IS NOT DISTINCT FROM $16 AND past_due_since IS NOT DISTINCT FROM $17 \
    AND comped_until IS NOT DISTINCT FROM $18 AND cancel_at_period_end = $19 \
    AND last_event_at IS NOT DISTINCT FROM $20";

/// One attempt inside the open transaction `$tx`: `Some(outcome)` once committed (or found to be
/// a replay), `None` when the row changed under it and the transaction was rolled back.
macro_rules! attempt {
    ($tx:ident, $lock:expr, $event:expr, $now:expr, $decide:expr, $announce:expr) => {{
        let event: &StripeEventRecord<'_> = $event;
        let inserted = sqlx::query(
            "INSERT INTO stripe_events (id, type, received_at) VALUES ($1, $2, $3) \
             ON CONFLICT (id) DO NOTHING",
        )
        .bind(event.id)
        .bind(event.event_type)
        .bind(to_micros($now))
        .execute(&mut *$tx)
        .await?
        .rows_affected();
        match event.member_id {
            // A replay: the event's first delivery applied it.
            _ if inserted == 0 => {
                $tx.rollback().await?;
                Some(StripeApplied::replayed())
            }
            None => {
                $tx.commit().await?;
                Some(StripeApplied::recorded(None, None))
            }
            Some(member_id) => {
                if let Some(customer_id) = event.customer_id {
                    sqlx::query(
                        "UPDATE members SET stripe_customer_id = $1, updated_at = $2 WHERE id = $3",
                    )
                    .bind(customer_id)
                    .bind(to_micros($now))
                    .bind(member_id)
                    .execute(&mut *$tx)
                    .await?;
                }
                let sql = format!(
                    "SELECT {COLUMNS} FROM subscriptions WHERE member_id = $1{}",
                    $lock
                );
                let read: Option<SubscriptionRow> = sqlx::query_as(&sql)
                    .bind(member_id)
                    .fetch_optional(&mut *$tx)
                    .await?;
                let before = read.clone().map(Subscription::try_from).transpose()?;
                let after = $decide(before.as_ref());
                let written = match (&after, &read) {
                    (None, _) => true,
                    (Some(next), None) => {
                        bind_subscription!(sqlx::query(INSERT_NEW), member_id, next, $now)
                            .execute(&mut *$tx)
                            .await?
                            .rows_affected()
                            == 1
                    }
                    (Some(next), Some(old)) => {
                        bind_subscription!(sqlx::query(UPDATE_IF_UNCHANGED), member_id, next, $now)
                            .bind(&old.tier)
                            .bind(&old.status)
                            .bind(&old.stripe_subscription_id)
                            .bind(&old.stripe_customer_id)
                            .bind(old.current_period_end)
                            .bind(old.past_due_since)
                            .bind(old.comped_until)
                            .bind(old.cancel_at_period_end)
                            .bind(old.last_event_at)
                            .execute(&mut *$tx)
                            .await?
                            .rows_affected()
                            == 1
                    }
                };
                if written {
                    let events: Vec<Outgoing> = $announce(before.as_ref(), after.as_ref());
                    let queued = queue_outgoing!($tx, &events, to_micros($now));
                    $tx.commit().await?;
                    Some(StripeApplied {
                        queued,
                        ..StripeApplied::recorded(before, after)
                    })
                } else {
                    $tx.rollback().await?;
                    None
                }
            }
        }
    }};
}

impl StripeApplied {
    fn replayed() -> StripeApplied {
        StripeApplied {
            fresh: false,
            before: None,
            after: None,
            queued: 0,
        }
    }

    fn recorded(before: Option<Subscription>, after: Option<Subscription>) -> StripeApplied {
        StripeApplied {
            fresh: true,
            before,
            after,
            queued: 0,
        }
    }
}

impl Store {
    /// Records a Stripe event and applies it to the member's subscription, in one transaction.
    ///
    /// `decide` is given the subscription as stored at this moment and returns what to store
    /// instead (`None`: leave it). What it returns is written only if the row still holds what
    /// `decide` saw; otherwise everything is tried again against the fresh row, so the outcome
    /// is that of applying the events one after the other, never a lost update. An event id seen
    /// before changes nothing (`fresh: false`) and `decide` is not called.
    pub async fn apply_stripe_event(
        &self,
        event: StripeEventRecord<'_>,
        now: DateTime<Utc>,
        decide: impl Fn(Option<&Subscription>) -> Option<Subscription>,
    ) -> Result<StripeApplied, StoreError> {
        self.apply_stripe_event_announced(event, now, decide, |_, _| Vec::new())
            .await
    }

    /// `apply_stripe_event`, queueing the webhook events `announce` builds from the member's
    /// subscription before and after the event in the same transaction (a transactional
    /// outbox): they are delivered if and only if the change committed. `announce` is called
    /// once per attempt that writes, and not for a replay or an event about no member.
    pub async fn apply_stripe_event_announced(
        &self,
        event: StripeEventRecord<'_>,
        now: DateTime<Utc>,
        decide: impl Fn(Option<&Subscription>) -> Option<Subscription>,
        announce: impl Fn(Option<&Subscription>, Option<&Subscription>) -> Vec<Outgoing>,
    ) -> Result<StripeApplied, StoreError> {
        for _ in 0..ATTEMPTS {
            let outcome = match &self.db {
                Db::Sqlite { write, .. } => {
                    let mut tx = write.begin_with("BEGIN IMMEDIATE").await?;
                    attempt!(tx, "", &event, now, decide, announce)
                }
                Db::Postgres(pool) => {
                    let mut tx = pool.begin().await?;
                    attempt!(tx, " FOR UPDATE", &event, now, decide, announce)
                }
            };
            if let Some(outcome) = outcome {
                return Ok(outcome);
            }
            tracing::debug!(
                stripe.event = event.id,
                "subscription changed meanwhile; trying again"
            );
        }
        Err(StoreError::Conflict(format!(
            "the subscription kept changing while Stripe event {} was applied; Stripe will retry it",
            event.id
        )))
    }
}

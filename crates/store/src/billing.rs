//! Subscriptions (the tier a member holds and its billing state) and the Stripe event log.

use crate::time::{from_micros, to_micros};
use crate::{Store, StoreError, on_pool};
use chrono::{DateTime, Utc};
use domain::Slug;
use domain::billing::{Subscription, SubscriptionStatus};

/// Binds a subscription's columns as `$1`…`$11` (member id first, `updated_at` last), in the
/// order of `put_subscription_sql!` and `events.rs`.
macro_rules! bind_subscription {
    ($query:expr, $member_id:expr, $s:expr, $now:expr) => {{
        let s = $s;
        $query
            .bind($member_id)
            .bind(s.tier.as_str())
            .bind(s.status.as_str())
            .bind(&s.stripe_subscription_id)
            .bind(&s.stripe_customer_id)
            .bind(s.current_period_end.map(to_micros))
            .bind(s.past_due_since.map(to_micros))
            .bind(s.comped_until.map(to_micros))
            .bind(s.cancel_at_period_end)
            .bind(s.last_event_at.map(to_micros))
            .bind(to_micros($now))
    }};
}

/// The upsert `put_subscription` runs inside its transaction.
macro_rules! put_subscription_sql {
    ($conn:expr, $member_id:expr, $s:expr, $now:expr) => {{
        bind_subscription!(
            sqlx::query(
                "INSERT INTO subscriptions (member_id, tier, status, stripe_subscription_id, stripe_customer_id, \
                 current_period_end, past_due_since, comped_until, cancel_at_period_end, last_event_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) ON CONFLICT (member_id) DO UPDATE SET \
                 tier = excluded.tier, status = excluded.status, stripe_subscription_id = excluded.stripe_subscription_id, \
                 stripe_customer_id = excluded.stripe_customer_id, current_period_end = excluded.current_period_end, \
                 past_due_since = excluded.past_due_since, comped_until = excluded.comped_until, \
                 cancel_at_period_end = excluded.cancel_at_period_end, last_event_at = excluded.last_event_at, \
                 updated_at = excluded.updated_at",
            ),
            $member_id,
            $s,
            $now
        )
        .execute($conn)
        .await?;
    }};
}

pub(crate) use {bind_subscription, put_subscription_sql};

// After the macros, which it uses.
mod events;

pub use events::{StripeApplied, StripeEventRecord};

#[derive(sqlx::FromRow, Clone)]
pub(crate) struct SubscriptionRow {
    tier: String,
    status: String,
    stripe_subscription_id: Option<String>,
    stripe_customer_id: Option<String>,
    current_period_end: Option<i64>,
    past_due_since: Option<i64>,
    comped_until: Option<i64>,
    cancel_at_period_end: bool,
    last_event_at: Option<i64>,
}

pub(crate) const COLUMNS: &str = "tier, status, stripe_subscription_id, stripe_customer_id, current_period_end, \
    past_due_since, comped_until, cancel_at_period_end, last_event_at";

impl TryFrom<SubscriptionRow> for Subscription {
    type Error = StoreError;
    fn try_from(r: SubscriptionRow) -> Result<Subscription, StoreError> {
        Ok(Subscription {
            tier: Slug::parse(&r.tier)?,
            status: SubscriptionStatus::parse(&r.status)
                .map_err(|e| StoreError::Corrupt(format!("subscription status: {e}")))?,
            stripe_subscription_id: r.stripe_subscription_id,
            stripe_customer_id: r.stripe_customer_id,
            current_period_end: r.current_period_end.map(from_micros),
            past_due_since: r.past_due_since.map(from_micros),
            comped_until: r.comped_until.map(from_micros),
            cancel_at_period_end: r.cancel_at_period_end,
            last_event_at: r.last_event_at.map(from_micros),
        })
    }
}

impl Store {
    pub async fn subscription(&self, member_id: &str) -> Result<Option<Subscription>, StoreError> {
        let sql = format!("SELECT {COLUMNS} FROM subscriptions WHERE member_id = $1");
        let row: Option<SubscriptionRow> = on_pool!(&self.db, read, |p| sqlx::query_as(&sql)
            .bind(member_id)
            .fetch_optional(p)
            .await?);
        row.map(Subscription::try_from).transpose()
    }

    /// The member holding the Stripe subscription `id`.
    pub async fn member_of_stripe_subscription(
        &self,
        id: &str,
    ) -> Result<Option<String>, StoreError> {
        let row: Option<String> = on_pool!(&self.db, read, |p| {
            sqlx::query_scalar(
                "SELECT member_id FROM subscriptions WHERE stripe_subscription_id = $1",
            )
            .bind(id)
            .fetch_optional(p)
            .await?
        });
        Ok(row)
    }

    /// Stores a member's subscription (replacing any previous one), updated at `now`.
    pub async fn put_subscription(
        &self,
        member_id: &str,
        s: &Subscription,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        on_pool!(&self.db, write, |p| {
            let mut tx = p.begin().await?;
            put_subscription_sql!(&mut *tx, member_id, s, now);
            tx.commit().await?;
        });
        Ok(())
    }
}

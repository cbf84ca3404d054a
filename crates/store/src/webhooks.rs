//! Webhooks (`webhooks`) and the durable queue of their deliveries (`webhook_deliveries`).

use crate::time::{from_micros, to_micros};
use crate::{Store, StoreError, on_pool};
use chrono::{DateTime, Utc};
use domain::{TargetUrl, WebhookEvent};

/// A webhook event that a write fires, queued in the write's own transaction (a transactional
/// outbox): its deliveries exist if and only if the write committed, whatever happens to the
/// process after the commit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outgoing {
    pub event: WebhookEvent,
    /// The exact JSON body every hook following `event` is sent.
    pub body: String,
}

/// Queues `$events` (`&[Outgoing]`) inside the open transaction `$tx` of either backend: one
/// delivery per webhook following each event, due at `$now` (microseconds). Evaluates to how
/// many deliveries were queued. A write that fires events calls this before its commit.
macro_rules! queue_outgoing {
    ($tx:expr, $events:expr, $now:expr) => {{
        let mut queued = 0usize;
        for outgoing in $events {
            let outgoing: &$crate::webhooks::Outgoing = outgoing;
            let hooks: Vec<(String,)> =
                sqlx::query_as("SELECT id FROM webhooks WHERE event = $1 ORDER BY created_at, id")
                    .bind(outgoing.event.as_str())
                    .fetch_all(&mut *$tx)
                    .await?;
            for (hook_id,) in hooks {
                sqlx::query(
                    "INSERT INTO webhook_deliveries (id, webhook_id, event, body, attempts, \
                     next_attempt_at, created_at) VALUES ($1, $2, $3, $4, 0, $5, $5)",
                )
                .bind(uuid::Uuid::now_v7().to_string())
                .bind(hook_id)
                .bind(outgoing.event.as_str())
                .bind(&outgoing.body)
                .bind($now)
                .execute(&mut *$tx)
                .await?;
                queued += 1;
            }
        }
        queued
    }};
}
pub(crate) use queue_outgoing;

/// How long delivery attempts are kept for the console.
const ATTEMPTS_KEPT: chrono::TimeDelta = chrono::TimeDelta::days(30);

/// One delivery attempt as the console lists it.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Attempt {
    pub delivery_id: String,
    pub event: String,
    /// The HTTP status the target answered, if it answered.
    pub status: Option<String>,
    pub error: Option<String>,
    /// When, in microseconds (`at()` reads it).
    at: i64,
}

impl Attempt {
    pub fn at(&self) -> DateTime<Utc> {
        from_micros(self.at)
    }
}

/// A registered webhook, as the Admin API shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Webhook {
    pub id: String,
    pub event: WebhookEvent,
    pub target_url: TargetUrl,
    pub name: Option<String>,
    pub secret: Option<String>,
    pub api_version: String,
    pub integration_id: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub last_triggered_at: Option<DateTime<Utc>>,
    pub last_triggered_status: Option<String>,
    pub last_triggered_error: Option<String>,
}

#[derive(sqlx::FromRow)]
struct WebhookRow {
    id: String,
    event: String,
    target_url: String,
    name: Option<String>,
    secret: Option<String>,
    api_version: String,
    integration_id: Option<String>,
    created_at: i64,
    updated_at: i64,
    last_triggered_at: Option<i64>,
    last_triggered_status: Option<String>,
    last_triggered_error: Option<String>,
}

const WEBHOOK_COLUMNS: &str = "id, event, target_url, name, secret, api_version, integration_id, \
     created_at, updated_at, last_triggered_at, last_triggered_status, last_triggered_error";

impl TryFrom<WebhookRow> for Webhook {
    type Error = StoreError;
    fn try_from(r: WebhookRow) -> Result<Webhook, StoreError> {
        Ok(Webhook {
            event: WebhookEvent::parse(&r.event)
                .ok_or_else(|| StoreError::Corrupt(format!("webhook event {:?}", r.event)))?,
            target_url: TargetUrl::parse(&r.target_url)
                .map_err(|e| StoreError::Corrupt(format!("webhook target_url: {e}")))?,
            id: r.id,
            name: r.name,
            secret: r.secret,
            api_version: r.api_version,
            integration_id: r.integration_id,
            created_at: from_micros(r.created_at),
            updated_at: from_micros(r.updated_at),
            last_triggered_at: r.last_triggered_at.map(from_micros),
            last_triggered_status: r.last_triggered_status,
            last_triggered_error: r.last_triggered_error,
        })
    }
}

/// A delivery waiting in the queue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Delivery {
    pub id: String,
    pub webhook_id: String,
    pub event: String,
    pub body: String,
    pub attempts: i64,
    pub next_attempt_at: DateTime<Utc>,
}

#[derive(sqlx::FromRow)]
struct DeliveryRow {
    id: String,
    webhook_id: String,
    event: String,
    body: String,
    attempts: i64,
    next_attempt_at: i64,
}

impl From<DeliveryRow> for Delivery {
    fn from(r: DeliveryRow) -> Delivery {
        Delivery {
            id: r.id,
            webhook_id: r.webhook_id,
            event: r.event,
            body: r.body,
            attempts: r.attempts,
            next_attempt_at: from_micros(r.next_attempt_at),
        }
    }
}

impl Store {
    pub async fn create_webhook(&self, hook: &Webhook) -> Result<(), StoreError> {
        on_pool!(&self.db, write, |p| {
            sqlx::query(
                "INSERT INTO webhooks (id, event, target_url, name, secret, api_version, \
                 integration_id, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
            )
            .bind(&hook.id)
            .bind(hook.event.as_str())
            .bind(hook.target_url.as_str())
            .bind(&hook.name)
            .bind(&hook.secret)
            .bind(&hook.api_version)
            .bind(&hook.integration_id)
            .bind(to_micros(hook.created_at))
            .bind(to_micros(hook.updated_at))
            .execute(p)
            .await?;
        });
        Ok(())
    }

    /// Saves what an edit may change (event, target, name, secret, api version, `updated_at`);
    /// false when no such webhook exists.
    pub async fn update_webhook(&self, hook: &Webhook) -> Result<bool, StoreError> {
        let n = on_pool!(&self.db, write, |p| sqlx::query(
            "UPDATE webhooks SET event = $2, target_url = $3, name = $4, secret = $5, \
             api_version = $6, updated_at = $7 WHERE id = $1",
        )
        .bind(&hook.id)
        .bind(hook.event.as_str())
        .bind(hook.target_url.as_str())
        .bind(&hook.name)
        .bind(&hook.secret)
        .bind(&hook.api_version)
        .bind(to_micros(hook.updated_at))
        .execute(p)
        .await?
        .rows_affected());
        Ok(n > 0)
    }

    /// Deletes a webhook and its queued deliveries; false when no such webhook exists.
    pub async fn delete_webhook(&self, id: &str) -> Result<bool, StoreError> {
        let n = on_pool!(&self.db, write, |p| {
            sqlx::query("DELETE FROM webhook_deliveries WHERE webhook_id = $1")
                .bind(id)
                .execute(p)
                .await?;
            sqlx::query("DELETE FROM webhooks WHERE id = $1")
                .bind(id)
                .execute(p)
                .await?
                .rows_affected()
        });
        Ok(n > 0)
    }

    pub async fn webhook(&self, id: &str) -> Result<Option<Webhook>, StoreError> {
        let sql = format!("SELECT {WEBHOOK_COLUMNS} FROM webhooks WHERE id = $1");
        let row: Option<WebhookRow> = on_pool!(&self.db, read, |p| sqlx::query_as(&sql)
            .bind(id)
            .fetch_optional(p)
            .await?);
        row.map(Webhook::try_from).transpose()
    }

    /// Every webhook, oldest first; `event` narrows to the hooks following it.
    pub async fn webhooks(&self, event: Option<WebhookEvent>) -> Result<Vec<Webhook>, StoreError> {
        let (filter, event) = match event {
            Some(e) => ("WHERE event = $1", e.as_str()),
            None => ("WHERE $1 = $1", ""),
        };
        let sql =
            format!("SELECT {WEBHOOK_COLUMNS} FROM webhooks {filter} ORDER BY created_at, id");
        let rows: Vec<WebhookRow> = on_pool!(&self.db, read, |p| sqlx::query_as(&sql)
            .bind(event)
            .fetch_all(p)
            .await?);
        rows.into_iter().map(Webhook::try_from).collect()
    }

    /// Queues `body` for every webhook following `event`, due at once; returns how many.
    pub async fn enqueue_webhook_event(
        &self,
        event: WebhookEvent,
        body: &str,
        now: DateTime<Utc>,
    ) -> Result<usize, StoreError> {
        let outgoing = [Outgoing {
            event,
            body: body.to_owned(),
        }];
        let now = to_micros(now);
        on_pool!(&self.db, write, |pool| {
            let mut tx = pool.begin().await?;
            let queued = queue_outgoing!(tx, &outgoing, now);
            tx.commit().await?;
            Ok(queued)
        })
    }

    /// Queues `body` as `event` for the one webhook `webhook_id` (the console's test send), due
    /// at `now`; false when there is no such webhook.
    pub async fn enqueue_delivery(
        &self,
        webhook_id: &str,
        event: &str,
        body: &str,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let n = on_pool!(&self.db, write, |p| {
            sqlx::query(
            "INSERT INTO webhook_deliveries (id, webhook_id, event, body, attempts, \
             next_attempt_at, created_at) SELECT $1, id, $3, $4, 0, $5, $5 FROM webhooks WHERE id = $2",
        )
        .bind(uuid::Uuid::now_v7().to_string())
        .bind(webhook_id)
        .bind(event)
        .bind(body)
        .bind(to_micros(now))
        .execute(p)
        .await?
        .rows_affected()
        });
        Ok(n == 1)
    }

    /// The webhook's latest delivery attempts, newest first, at most `limit`.
    pub async fn webhook_attempts(
        &self,
        webhook_id: &str,
        limit: u32,
    ) -> Result<Vec<Attempt>, StoreError> {
        Ok(on_pool!(&self.db, read, |p| sqlx::query_as(
            "SELECT delivery_id, event, status, error, at FROM webhook_attempts \
             WHERE webhook_id = $1 ORDER BY at DESC, id DESC LIMIT $2",
        )
        .bind(webhook_id)
        .bind(i64::from(limit))
        .fetch_all(p)
        .await?))
    }

    /// Deliveries due by `now`, earliest first, at most `limit`.
    pub async fn due_deliveries(
        &self,
        now: DateTime<Utc>,
        limit: i64,
    ) -> Result<Vec<Delivery>, StoreError> {
        let rows: Vec<DeliveryRow> = on_pool!(&self.db, read, |p| sqlx::query_as(
            "SELECT id, webhook_id, event, body, attempts, next_attempt_at \
             FROM webhook_deliveries WHERE next_attempt_at <= $1 \
             ORDER BY next_attempt_at, id LIMIT $2",
        )
        .bind(to_micros(now))
        .bind(limit)
        .fetch_all(p)
        .await?);
        Ok(rows.into_iter().map(Delivery::from).collect())
    }

    /// Records an attempt's outcome on the webhook, then either drops the delivery (`retry_at`
    /// None: delivered or given up) or moves it to `retry_at` with one more attempt counted.
    pub async fn record_delivery_attempt(
        &self,
        delivery: &Delivery,
        at: DateTime<Utc>,
        status: Option<&str>,
        error: Option<&str>,
        retry_at: Option<DateTime<Utc>>,
    ) -> Result<(), StoreError> {
        on_pool!(&self.db, write, |p| {
            sqlx::query(
                "UPDATE webhooks SET last_triggered_at = $2, last_triggered_status = $3, \
                 last_triggered_error = $4 WHERE id = $1",
            )
            .bind(&delivery.webhook_id)
            .bind(to_micros(at))
            .bind(status)
            .bind(error)
            .execute(p)
            .await?;
            sqlx::query(
                "INSERT INTO webhook_attempts (id, webhook_id, delivery_id, event, status, error, at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7)",
            )
            .bind(uuid::Uuid::now_v7().to_string())
            .bind(&delivery.webhook_id)
            .bind(&delivery.id)
            .bind(&delivery.event)
            .bind(status)
            .bind(error)
            .bind(to_micros(at))
            .execute(p)
            .await?;
            sqlx::query("DELETE FROM webhook_attempts WHERE webhook_id = $1 AND at < $2")
                .bind(&delivery.webhook_id)
                .bind(to_micros(at - ATTEMPTS_KEPT))
                .execute(p)
                .await?;
            match retry_at {
                Some(next) => {
                    sqlx::query(
                        "UPDATE webhook_deliveries SET attempts = attempts + 1, \
                         next_attempt_at = $2 WHERE id = $1",
                    )
                    .bind(&delivery.id)
                    .bind(to_micros(next))
                    .execute(p)
                    .await?;
                }
                None => {
                    sqlx::query("DELETE FROM webhook_deliveries WHERE id = $1")
                        .bind(&delivery.id)
                        .execute(p)
                        .await?;
                }
            }
        });
        Ok(())
    }
    /// Claims a due delivery for one attempt by moving it to `lease_until` (a crashed attempt is
    /// retried then); false when another worker claimed it first.
    pub async fn claim_delivery(
        &self,
        delivery: &Delivery,
        lease_until: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let n = on_pool!(&self.db, write, |p| sqlx::query(
            "UPDATE webhook_deliveries SET next_attempt_at = $3 \
             WHERE id = $1 AND next_attempt_at = $2",
        )
        .bind(&delivery.id)
        .bind(to_micros(delivery.next_attempt_at))
        .bind(to_micros(lease_until))
        .execute(p)
        .await?
        .rows_affected());
        Ok(n == 1)
    }

    /// The position of the webhook clock `name`, started at `start` if it has none yet.
    pub async fn webhook_clock(
        &self,
        name: &str,
        start: DateTime<Utc>,
    ) -> Result<DateTime<Utc>, StoreError> {
        on_pool!(&self.db, write, |p| {
            sqlx::query(
                "INSERT INTO webhook_clocks (name, position) VALUES ($1, $2) \
                 ON CONFLICT (name) DO NOTHING",
            )
            .bind(name)
            .bind(to_micros(start))
            .execute(p)
            .await?;
        });
        let (position,): (i64,) = on_pool!(&self.db, write, |p| sqlx::query_as(
            "SELECT position FROM webhook_clocks WHERE name = $1"
        )
        .bind(name)
        .fetch_one(p)
        .await?);
        Ok(from_micros(position))
    }

    /// Moves the clock `name` from `from` to `to`; false when it was no longer at `from` (another
    /// process moved it, and fires the events of that span).
    pub async fn advance_webhook_clock(
        &self,
        name: &str,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let n = on_pool!(&self.db, write, |p| sqlx::query(
            "UPDATE webhook_clocks SET position = $3 WHERE name = $1 AND position = $2"
        )
        .bind(name)
        .bind(to_micros(from))
        .bind(to_micros(to))
        .execute(p)
        .await?
        .rows_affected());
        Ok(n == 1)
    }
}

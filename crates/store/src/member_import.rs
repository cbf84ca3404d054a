//! Members imported from a file (the console's and the CLI's CSV import): every row of one
//! run written in ONE transaction, so a failing run leaves nothing half-imported, and matched
//! by email, so a second run of the same file adds nobody and changes nothing. A dry run is
//! the same transaction rolled back, so its counts are exactly what the real run would do.

use crate::billing::{COLUMNS as SUBSCRIPTION_COLUMNS, SubscriptionRow};
use crate::billing::{bind_subscription, put_subscription_sql};
use crate::connect::Db;
use crate::member_events::insert_event;
use crate::time::to_micros;
use crate::{Store, StoreError};
use chrono::{DateTime, Utc};
use domain::billing::{Subscription, SubscriptionStatus};
use domain::{ActivityKind, Email, MemberEvent, Slug};
use serde_json::json;

/// One member as a file describes them. `None` (or empty) fields leave what is stored alone.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportedMember {
    pub email: Email,
    pub name: Option<String>,
    pub note: Option<String>,
    pub subscribed: Option<bool>,
    pub created_at: Option<DateTime<Utc>>,
    /// Label names, added to the member's labels (created when no label has the name).
    pub labels: Vec<String>,
    /// A tier to give for free, unless the member already holds a live subscription.
    pub comp: Option<Slug>,
    pub stripe_customer_id: Option<String>,
    /// The member's live Stripe subscription, found by the caller from `stripe_customer_id`.
    pub linked: Option<LinkedSubscription>,
}

/// A paid subscription found at Stripe, with its price for the activity log.
#[derive(Debug, Clone, PartialEq)]
pub struct LinkedSubscription {
    pub subscription: Subscription,
    /// `month` or `year`.
    pub cadence: String,
    pub amount: i64,
    pub currency: String,
}

/// What an import did (or, dry, would do).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ImportCounts {
    pub added: usize,
    pub updated: usize,
    pub unchanged: usize,
    /// Stripe subscriptions linked to their members.
    pub linked: usize,
}

/// Whether an import writes or only counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImportMode {
    DryRun,
    Write,
}

#[derive(sqlx::FromRow)]
struct Existing {
    id: String,
    name: String,
    note: String,
    subscribed: bool,
    stripe_customer_id: Option<String>,
}

/// What one row changed.
#[derive(Default)]
struct RowDone {
    added: bool,
    changed: bool,
    linked: bool,
}

/// Runs `$body` with `$tx`, a transaction holding the write lock from its start.
macro_rules! write_tx {
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

/// One row inside the transaction `$tx`: the member added or brought up to date, their
/// labels, comp or linked subscription, and the activity events. Evaluates to `RowDone`.
macro_rules! import_row {
    ($tx:ident, $m:expr, $now:expr, $new_id:expr) => {{
        let m: &ImportedMember = $m;
        let now: DateTime<Utc> = $now;
        let mut done = RowDone::default();
        let mut events: Vec<MemberEvent> = Vec::new();
        let existing: Option<Existing> = sqlx::query_as(
            "SELECT id, name, note, subscribed, stripe_customer_id FROM members WHERE email = $1",
        )
        .bind(m.email.as_str())
        .fetch_optional(&mut *$tx)
        .await?;
        let member_id = match existing {
            None => {
                let id = $new_id();
                let created = m.created_at.unwrap_or(now);
                sqlx::query(
                    "INSERT INTO members (id, email, name, note, subscribed, stripe_customer_id, \
                     created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
                )
                .bind(&id)
                .bind(m.email.as_str())
                .bind(m.name.as_deref().unwrap_or("").trim())
                .bind(m.note.as_deref().unwrap_or("").trim())
                .bind(m.subscribed.unwrap_or(true))
                .bind(m.stripe_customer_id.as_deref())
                .bind(to_micros(created))
                .bind(to_micros(now))
                .execute(&mut *$tx)
                .await?;
                events.push(MemberEvent::new($new_id(), &id, ActivityKind::SignedUp, created));
                done.added = true;
                id
            }
            Some(e) => {
                let name = m.name.as_deref().map(str::trim).filter(|n| !n.is_empty() && *n != e.name);
                let note = m.note.as_deref().map(str::trim).filter(|n| !n.is_empty() && *n != e.note);
                let subscribed = m.subscribed.filter(|s| *s != e.subscribed);
                let customer = m
                    .stripe_customer_id
                    .as_deref()
                    .filter(|c| e.stripe_customer_id.as_deref() != Some(*c));
                if name.is_some() || note.is_some() || subscribed.is_some() || customer.is_some() {
                    sqlx::query(
                        "UPDATE members SET name = COALESCE($1, name), note = COALESCE($2, note), \
                         subscribed = COALESCE($3, subscribed), \
                         stripe_customer_id = COALESCE($4, stripe_customer_id), updated_at = $5 \
                         WHERE id = $6",
                    )
                    .bind(name)
                    .bind(note)
                    .bind(subscribed)
                    .bind(customer)
                    .bind(to_micros(now))
                    .bind(&e.id)
                    .execute(&mut *$tx)
                    .await?;
                    done.changed = true;
                }
                if subscribed == Some(false) {
                    events.push(MemberEvent::new($new_id(), &e.id, ActivityKind::Unsubscribed, now));
                }
                e.id
            }
        };
        for name in &m.labels {
            let label = match label_id!($tx, name) {
                Some(id) => id,
                None => {
                    let id = $new_id();
                    let slug = free_label_slug!($tx, name);
                    sqlx::query(
                        "INSERT INTO labels (id, name, slug, created_at, updated_at) \
                         VALUES ($1, $2, $3, $4, $4)",
                    )
                    .bind(&id)
                    .bind(name.trim())
                    .bind(slug)
                    .bind(to_micros(now))
                    .execute(&mut *$tx)
                    .await?;
                    id
                }
            };
            let added = sqlx::query(
                "INSERT INTO member_labels (member_id, label_id) VALUES ($1, $2) \
                 ON CONFLICT (member_id, label_id) DO NOTHING",
            )
            .bind(&member_id)
            .bind(&label)
            .execute(&mut *$tx)
            .await?
            .rows_affected();
            done.changed |= added > 0;
        }
        let sql = format!("SELECT {SUBSCRIPTION_COLUMNS} FROM subscriptions WHERE member_id = $1");
        let current: Option<SubscriptionRow> =
            sqlx::query_as(&sql).bind(&member_id).fetch_optional(&mut *$tx).await?;
        let current = current.map(Subscription::try_from).transpose()?;
        if let Some(link) = &m.linked {
            let sub = &link.subscription;
            let same = current.as_ref().is_some_and(|c| {
                c.stripe_subscription_id == sub.stripe_subscription_id && c.status == sub.status
            });
            if !same {
                put_subscription_sql!(&mut *$tx, &member_id, sub, now);
                let mut e = MemberEvent::new($new_id(), &member_id, ActivityKind::Subscribed, now);
                e.tier = Some(sub.tier.to_string());
                e.amount = Some(link.amount);
                e.detail = json!({ "cadence": link.cadence, "currency": link.currency });
                events.push(e);
                done.changed = true;
                done.linked = true;
            }
        } else if let Some(tier) = &m.comp {
            let live = current.as_ref().is_some_and(|c| c.status != SubscriptionStatus::Canceled);
            if !live {
                let grant = domain::billing::comp(tier.clone(), None);
                put_subscription_sql!(&mut *$tx, &member_id, &grant, now);
                let mut e = MemberEvent::new($new_id(), &member_id, ActivityKind::Comped, now);
                e.tier = Some(tier.to_string());
                events.push(e);
                done.changed = true;
            }
        }
        for e in &events {
            insert_event!(&mut *$tx, e);
        }
        done
    }};
}

/// The id of the label named `$name` (any case), if there is one.
macro_rules! label_id {
    ($tx:ident, $name:expr) => {{
        let found: Option<(String,)> =
            sqlx::query_as("SELECT id FROM labels WHERE LOWER(name) = LOWER($1)")
                .bind($name.trim())
                .fetch_optional(&mut *$tx)
                .await?;
        found.map(|(id,)| id)
    }};
}

/// A slug for a new label named `$name` that no label has yet (`vip`, `vip-2`, …).
macro_rules! free_label_slug {
    ($tx:ident, $name:expr) => {{
        let base = Slug::from_text($name).to_string();
        let mut candidate = base.clone();
        let mut n = 1;
        loop {
            let taken: Option<(String,)> = sqlx::query_as("SELECT id FROM labels WHERE slug = $1")
                .bind(&candidate)
                .fetch_optional(&mut *$tx)
                .await?;
            if taken.is_none() {
                break candidate;
            }
            n += 1;
            candidate = format!("{base}-{n}");
        }
    }};
}

impl Store {
    /// Imports `members` in one transaction (committed, or rolled back for a dry run), calling
    /// `progress` with the rows done so far after each row. New members and labels get ids from
    /// `new_id`; activity events are written with the rows.
    pub async fn import_members(
        &self,
        members: &[ImportedMember],
        mode: ImportMode,
        now: DateTime<Utc>,
        new_id: &(dyn Fn() -> String + Sync),
        progress: &mut (dyn FnMut(usize) + Send),
    ) -> Result<ImportCounts, StoreError> {
        write_tx!(&self.db, |tx| {
            let mut counts = ImportCounts::default();
            for (i, m) in members.iter().enumerate() {
                let done = import_row!(tx, m, now, new_id);
                if done.added {
                    counts.added += 1;
                } else if done.changed {
                    counts.updated += 1;
                } else {
                    counts.unchanged += 1;
                }
                counts.linked += usize::from(done.linked);
                progress(i + 1);
            }
            match mode {
                ImportMode::Write => tx.commit().await?,
                ImportMode::DryRun => tx.rollback().await?,
            }
            Ok(counts)
        })
    }
}

//! Billing state: a member's subscription, and how Stripe's webhook events move it.
//!
//! Everything here is pure. The webhook layer in `masthead` verifies and parses Stripe's JSON into
//! an [`Event`], loads the member's stored [`Subscription`], calls [`apply`] and stores what it
//! returns. [`entitles`] tells the paywall whether a subscription unlocks its tier right now.

use crate::{InvalidInput, Slug};
use chrono::{DateTime, Duration, Utc};
use serde::Serialize;
use std::fmt;

/// Where a member's subscription stands, in our words rather than Stripe's eight statuses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SubscriptionStatus {
    Active,
    Trialing,
    PastDue,
    Canceled,
    Comped,
}

impl SubscriptionStatus {
    pub const ALL: [SubscriptionStatus; 5] = [
        SubscriptionStatus::Active,
        SubscriptionStatus::Trialing,
        SubscriptionStatus::PastDue,
        SubscriptionStatus::Canceled,
        SubscriptionStatus::Comped,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            SubscriptionStatus::Active => "active",
            SubscriptionStatus::Trialing => "trialing",
            SubscriptionStatus::PastDue => "past_due",
            SubscriptionStatus::Canceled => "canceled",
            SubscriptionStatus::Comped => "comped",
        }
    }

    pub fn parse(raw: &str) -> Result<SubscriptionStatus, InvalidInput> {
        Self::ALL
            .into_iter()
            .find(|status| status.as_str() == raw)
            .ok_or_else(|| InvalidInput(format!("{raw:?} is not a subscription status")))
    }

    /// Maps a Stripe subscription status onto ours. `None` means the subscription has not started
    /// (`incomplete`) or is on hold (`paused`), or Stripe sent a status we do not know.
    fn from_stripe(raw: &str) -> Option<SubscriptionStatus> {
        match raw {
            "active" => Some(SubscriptionStatus::Active),
            "trialing" => Some(SubscriptionStatus::Trialing),
            "past_due" | "unpaid" => Some(SubscriptionStatus::PastDue),
            "canceled" | "incomplete_expired" => Some(SubscriptionStatus::Canceled),
            _ => None,
        }
    }
}

impl fmt::Display for SubscriptionStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A member's subscription to one tier, paid through Stripe or granted by staff.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Subscription {
    pub tier: Slug,
    pub status: SubscriptionStatus,
    pub stripe_subscription_id: Option<String>,
    pub stripe_customer_id: Option<String>,
    pub current_period_end: Option<DateTime<Utc>>,
    /// When the member's payment first failed; the grace period counts from here.
    pub past_due_since: Option<DateTime<Utc>>,
    /// End of a complimentary subscription; `None` on a comp means it never ends.
    pub comped_until: Option<DateTime<Utc>>,
    pub cancel_at_period_end: bool,
    /// `created` of the newest Stripe event applied, so older events arriving late change nothing.
    pub last_event_at: Option<DateTime<Utc>>,
}

impl Subscription {
    /// When the subscription next renews (or, with `cancel_at_period_end`, ends); for a comp, when
    /// it ends. A canceled subscription renews never.
    pub fn renews_at(&self) -> Option<DateTime<Utc>> {
        match self.status {
            SubscriptionStatus::Comped => self.comped_until,
            SubscriptionStatus::Canceled => None,
            _ => self.current_period_end,
        }
    }

    /// Sets the status and keeps the status-specific fields consistent with it.
    fn set_status(&mut self, status: SubscriptionStatus, at: DateTime<Utc>) {
        self.status = status;
        self.past_due_since = match status {
            SubscriptionStatus::PastDue => self.past_due_since.or(Some(at)),
            _ => None,
        };
        if status != SubscriptionStatus::Comped {
            self.comped_until = None;
        }
    }

    fn is_stripe(&self, subscription_id: &str) -> bool {
        self.stripe_subscription_id.as_deref() == Some(subscription_id)
    }

    fn comp_expired(&self, now: DateTime<Utc>) -> bool {
        self.status == SubscriptionStatus::Comped
            && self.comped_until.is_some_and(|until| now >= until)
    }
}

/// What a verified Stripe webhook tells us, reduced to the fields billing needs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum BillingEvent {
    CheckoutCompleted {
        member_id: Option<String>,
        customer_id: String,
        subscription_id: String,
        tier: Option<Slug>,
    },
    /// `customer.subscription.created` and `customer.subscription.updated`.
    SubscriptionUpdated {
        member_id: Option<String>,
        customer_id: String,
        subscription_id: String,
        tier: Option<Slug>,
        stripe_status: String,
        current_period_end: Option<DateTime<Utc>>,
        cancel_at_period_end: bool,
    },
    SubscriptionDeleted {
        member_id: Option<String>,
        customer_id: String,
        subscription_id: String,
    },
    InvoicePaid {
        customer_id: String,
        subscription_id: Option<String>,
        period_end: Option<DateTime<Utc>>,
    },
    InvoicePaymentFailed {
        customer_id: String,
        subscription_id: Option<String>,
    },
    /// Any other event type: acknowledged, changes nothing.
    Ignored { event_type: String },
}

impl BillingEvent {
    /// The member id we handed Stripe at checkout, when the event carries it.
    pub fn member_id(&self) -> Option<&str> {
        match self {
            BillingEvent::CheckoutCompleted { member_id, .. }
            | BillingEvent::SubscriptionUpdated { member_id, .. }
            | BillingEvent::SubscriptionDeleted { member_id, .. } => member_id.as_deref(),
            _ => None,
        }
    }

    /// The Stripe customer the event is about; every event but `Ignored` has one.
    pub fn customer_id(&self) -> Option<&str> {
        match self {
            BillingEvent::CheckoutCompleted { customer_id, .. }
            | BillingEvent::SubscriptionUpdated { customer_id, .. }
            | BillingEvent::SubscriptionDeleted { customer_id, .. }
            | BillingEvent::InvoicePaid { customer_id, .. }
            | BillingEvent::InvoicePaymentFailed { customer_id, .. } => Some(customer_id),
            BillingEvent::Ignored { .. } => None,
        }
    }
}

/// One Stripe event: its id (for de-duplication), when Stripe created it, and what it says.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Event {
    pub id: String,
    pub created: DateTime<Utc>,
    pub kind: BillingEvent,
}

/// What to do with the stored subscription after an event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Transition {
    Unchanged,
    /// Store this subscription (it may differ from the current one only in `last_event_at`).
    Set(Subscription),
}

/// The member's subscription after `event`, given the one stored now, if any. Pure.
///
/// Rules, in order:
/// - Stripe does not deliver events in order, so an event created before the last applied one
///   changes nothing, with two exceptions (`late_event`): it fills in a period end we do not know
///   yet for the same subscription, because `checkout.session.completed` carries none and often
///   outruns the older subscription and invoice events; and it still cancels the stored
///   subscription when it says that subscription was canceled. Events created in the same second
///   as the last one apply.
/// - A canceled Stripe subscription is final in Stripe, so no event about it revives it, and news
///   of its end holds whenever it was created: the result follows Stripe's order of events, not
///   the order in which they arrive or commit.
/// - Each `Set` records the event's `created` as `last_event_at`, even when nothing else changes,
///   so that a replayed older event cannot undo what this one confirmed.
///
/// The rules for each event kind are on the functions below.
pub fn apply(current: Option<&Subscription>, event: &Event, now: DateTime<Utc>) -> Transition {
    let created = event.created;
    if let Some(current) = current.filter(|c| c.last_event_at.is_some_and(|last| created < last)) {
        return late_event(current, &event.kind).map_or(Transition::Unchanged, Transition::Set);
    }
    let next = match &event.kind {
        BillingEvent::CheckoutCompleted {
            customer_id,
            subscription_id,
            tier,
            ..
        } => {
            let ids = StripeIds {
                customer_id,
                subscription_id,
            };
            checkout_completed(current, ids, tier.as_ref(), created, now)
        }
        BillingEvent::SubscriptionUpdated { .. } => {
            subscription_updated(current, &event.kind, created, now)
        }
        BillingEvent::SubscriptionDeleted {
            subscription_id, ..
        } => subscription_deleted(current, subscription_id, created),
        BillingEvent::InvoicePaid {
            customer_id,
            subscription_id,
            period_end,
        } => invoice_target(current, customer_id, subscription_id.as_deref())
            .map(|c| invoice_paid(c, *period_end, created)),
        BillingEvent::InvoicePaymentFailed {
            customer_id,
            subscription_id,
        } => invoice_target(current, customer_id, subscription_id.as_deref())
            .map(|c| payment_failed(c, created)),
        BillingEvent::Ignored { .. } => None,
    };
    next.map_or(Transition::Unchanged, |mut sub| {
        sub.last_event_at = Some(created);
        Transition::Set(sub)
    })
}

/// A complimentary subscription granted by staff; `until: None` never ends.
pub fn comp(tier: Slug, until: Option<DateTime<Utc>>) -> Subscription {
    Subscription {
        tier,
        status: SubscriptionStatus::Comped,
        stripe_subscription_id: None,
        stripe_customer_id: None,
        current_period_end: None,
        past_due_since: None,
        comped_until: until,
        cancel_at_period_end: false,
        last_event_at: None,
    }
}

/// Whether this subscription currently entitles the member to its tier's paid content.
///
/// Active and trialing subscriptions do. A past-due one does for `grace` after the first failed
/// payment, so a card that expires does not lock a member out at once; without a recorded start
/// the grace cannot be bounded, so it is not granted. A canceled one does not. A comp does until
/// its end, if it has one.
pub fn entitles(sub: &Subscription, now: DateTime<Utc>, grace: Duration) -> bool {
    match sub.status {
        SubscriptionStatus::Active | SubscriptionStatus::Trialing => true,
        SubscriptionStatus::PastDue => sub.past_due_since.is_some_and(|since| now < since + grace),
        SubscriptionStatus::Canceled => false,
        SubscriptionStatus::Comped => sub.comped_until.is_none_or(|until| now < until),
    }
}

#[derive(Clone, Copy)]
struct StripeIds<'a> {
    customer_id: &'a str,
    subscription_id: &'a str,
}

/// Whether an event about a Stripe subscription other than the stored one may replace it.
///
/// Nothing, a canceled subscription or an expired comp is replaced by any subscription that has
/// started. A running comp is replaced only by a paying (or trialing) subscription, so a failed
/// payment cannot take away what staff granted. A live, different Stripe subscription (the member
/// bought another tier) is replaced only by a paying one announced by a strictly newer event, so
/// the cancellation or arrears of the old one never touch the new one.
fn may_replace(
    current: Option<&Subscription>,
    status: SubscriptionStatus,
    created: DateTime<Utc>,
    now: DateTime<Utc>,
) -> bool {
    use SubscriptionStatus::{Active, Canceled, Comped, PastDue, Trialing};
    let started = status != Canceled;
    let paying = matches!(status, Active | Trialing);
    let Some(current) = current else {
        return started;
    };
    match current.status {
        Canceled => started,
        Comped if current.comp_expired(now) => started,
        Comped => paying,
        Active | Trialing | PastDue => {
            paying && current.last_event_at.is_none_or(|last| created > last)
        }
    }
}

/// A fresh record for a Stripe subscription that replaces whatever was stored.
fn started(
    tier: Slug,
    status: SubscriptionStatus,
    ids: StripeIds<'_>,
    created: DateTime<Utc>,
) -> Subscription {
    let mut sub = Subscription {
        stripe_subscription_id: Some(ids.subscription_id.to_owned()),
        stripe_customer_id: Some(ids.customer_id.to_owned()),
        ..comp(tier, None)
    };
    sub.set_status(status, created);
    sub
}

/// Checkout completion starts an active subscription. When the stored record is already this
/// subscription, its status came from a subscription event and is further along, so only the tier
/// and customer are refreshed. With no tier in the event, the stored tier is kept; with neither,
/// there is nothing to record.
fn checkout_completed(
    current: Option<&Subscription>,
    ids: StripeIds<'_>,
    tier: Option<&Slug>,
    created: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Option<Subscription> {
    match current {
        Some(c) if c.is_stripe(ids.subscription_id) => (c.status != SubscriptionStatus::Canceled)
            .then(|| Subscription {
                tier: tier.unwrap_or(&c.tier).clone(),
                stripe_customer_id: Some(ids.customer_id.to_owned()),
                ..c.clone()
            }),
        _ if may_replace(current, SubscriptionStatus::Active, created, now) => {
            let tier = tier.or(current.map(|c| &c.tier))?.clone();
            Some(started(tier, SubscriptionStatus::Active, ids, created))
        }
        _ => None,
    }
}

/// A subscription's creation or update sets its status (see `SubscriptionStatus::from_stripe`),
/// period end, cancel-at-period-end flag and tier. An `incomplete` or `paused` subscription does
/// not entitle: it never starts a record, and on the stored one it counts as past due, so access
/// lasts only for the grace period while the payment is sorted out.
fn subscription_updated(
    current: Option<&Subscription>,
    kind: &BillingEvent,
    created: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Option<Subscription> {
    let BillingEvent::SubscriptionUpdated {
        customer_id,
        subscription_id,
        tier,
        stripe_status,
        current_period_end,
        cancel_at_period_end,
        ..
    } = kind
    else {
        return None;
    };
    let ids = StripeIds {
        customer_id,
        subscription_id,
    };
    let status = SubscriptionStatus::from_stripe(stripe_status);
    let mut next = match current {
        Some(c) if c.is_stripe(subscription_id) => {
            if c.status == SubscriptionStatus::Canceled {
                return None;
            }
            let mut next = c.clone();
            next.set_status(status.unwrap_or(SubscriptionStatus::PastDue), created);
            next.stripe_customer_id = Some(customer_id.clone());
            next
        }
        _ => {
            let status = status.filter(|s| may_replace(current, *s, created, now))?;
            let tier = tier.as_ref().or(current.map(|c| &c.tier))?.clone();
            started(tier, status, ids, created)
        }
    };
    if let Some(tier) = tier {
        next.tier = tier.clone();
    }
    next.current_period_end = current_period_end.or(next.current_period_end);
    next.cancel_at_period_end = *cancel_at_period_end;
    Some(next)
}

/// Deletion cancels the stored subscription when it is this one. Deleting another subscription
/// (one the member replaced) changes nothing.
fn subscription_deleted(
    current: Option<&Subscription>,
    subscription_id: &str,
    created: DateTime<Utc>,
) -> Option<Subscription> {
    let c = current
        .filter(|c| c.is_stripe(subscription_id) && c.status != SubscriptionStatus::Canceled)?;
    let mut next = c.clone();
    next.set_status(SubscriptionStatus::Canceled, created);
    next.cancel_at_period_end = false;
    Some(next)
}

/// The stored subscription an invoice event is about: the same Stripe subscription, or, when the
/// invoice names none, whichever Stripe subscription the same customer holds. Comps are never
/// billed and canceled subscriptions are final, so invoices leave both alone.
fn invoice_target<'a>(
    current: Option<&'a Subscription>,
    customer_id: &str,
    subscription_id: Option<&str>,
) -> Option<&'a Subscription> {
    let c = current?;
    if matches!(
        c.status,
        SubscriptionStatus::Comped | SubscriptionStatus::Canceled
    ) {
        return None;
    }
    let ours = match subscription_id {
        Some(id) => c.is_stripe(id),
        None => {
            c.stripe_subscription_id.is_some()
                && c.stripe_customer_id
                    .as_deref()
                    .is_none_or(|cus| cus == customer_id)
        }
    };
    ours.then_some(c)
}

/// A paid invoice settles arrears: past due becomes active. A trialing subscription stays trialing,
/// because Stripe also marks the zero-amount invoice that opens a trial as paid. The period end
/// moves to the invoice's when it has one.
fn invoice_paid(
    c: &Subscription,
    period_end: Option<DateTime<Utc>>,
    created: DateTime<Utc>,
) -> Subscription {
    let mut next = c.clone();
    if next.status == SubscriptionStatus::PastDue {
        next.set_status(SubscriptionStatus::Active, created);
    }
    next.current_period_end = period_end.or(next.current_period_end);
    next
}

/// A failed payment makes the subscription past due; the grace period runs from the first failure.
fn payment_failed(c: &Subscription, created: DateTime<Utc>) -> Subscription {
    let mut next = c.clone();
    next.set_status(SubscriptionStatus::PastDue, created);
    next
}

/// What an event older than the last applied one may still change; it never moves
/// `last_event_at` back.
fn late_event(current: &Subscription, kind: &BillingEvent) -> Option<Subscription> {
    late_cancellation(current, kind).or_else(|| backfill_period_end(current, kind))
}

/// A late deletion (or an update saying canceled) of the stored subscription still cancels it.
/// Stripe never revives a canceled subscription, so whatever newer event we applied cannot have
/// meant that it runs on: `invoice.paid` for its final invoice may well be created after it ended.
fn late_cancellation(current: &Subscription, kind: &BillingEvent) -> Option<Subscription> {
    let subscription_id = match kind {
        BillingEvent::SubscriptionDeleted {
            subscription_id, ..
        } => subscription_id,
        BillingEvent::SubscriptionUpdated {
            subscription_id,
            stripe_status,
            ..
        } if SubscriptionStatus::from_stripe(stripe_status)
            == Some(SubscriptionStatus::Canceled) =>
        {
            subscription_id
        }
        _ => return None,
    };
    subscription_deleted(Some(current), subscription_id, current.last_event_at?)
}

/// A late event about the stored subscription may still tell us its period end when we have none.
fn backfill_period_end(current: &Subscription, kind: &BillingEvent) -> Option<Subscription> {
    let (subscription_id, period_end) = match kind {
        BillingEvent::SubscriptionUpdated {
            subscription_id,
            current_period_end,
            ..
        } => (Some(subscription_id), current_period_end),
        BillingEvent::InvoicePaid {
            subscription_id,
            period_end,
            ..
        } => (subscription_id.as_ref(), period_end),
        _ => return None,
    };
    let same = subscription_id.is_some_and(|id| current.is_stripe(id));
    let unknown =
        current.current_period_end.is_none() && current.status != SubscriptionStatus::Canceled;
    let period_end = period_end.filter(|_| same && unknown)?;
    Some(Subscription {
        current_period_end: Some(period_end),
        ..current.clone()
    })
}

#[cfg(test)]
mod tests;

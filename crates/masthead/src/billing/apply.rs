//! Applying a verified Stripe event: finding the member it is about, then the pure
//! `domain::billing::apply` inside the store's compare-and-set, so that two events applied at the
//! same moment end as Stripe ordered them, not as their transactions happened to commit.

use chrono::{DateTime, Utc};
use domain::Member;
use domain::billing::{self, BillingEvent, Event, Subscription, Transition};
use store::{Outgoing, Store, StoreError, StripeEventRecord};

/// What one Stripe event did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Applied {
    /// False when the event was applied before (Stripe retries and replays): nothing changed.
    pub fresh: bool,
    /// The member the event is about, when we know them.
    pub member_id: Option<String>,
    /// Their subscription just before this event, as the event saw it.
    pub before: Option<Subscription>,
    /// What the event made of it; `None` when it changed nothing.
    pub after: Option<Subscription>,
    /// How many webhook deliveries were queued with the change.
    pub queued: usize,
}

/// Records `event` and applies it to its member's subscription, in one transaction. A
/// `checkout.session.completed` also records the member's Stripe customer there. The webhook
/// events `announce` builds — from the member as the event leaves them and their subscription
/// before and after — are queued in the same transaction, when the event is fresh and about a
/// member we know.
pub async fn apply_event(
    store: &Store,
    event: &Event,
    now: DateTime<Utc>,
    announce: impl Fn(&Member, Option<&Subscription>, Option<&Subscription>) -> Vec<Outgoing>,
) -> Result<Applied, StoreError> {
    let member = member_for(store, &event.kind).await?;
    let customer_id = match (&event.kind, &member) {
        (BillingEvent::CheckoutCompleted { customer_id, .. }, Some(_)) => {
            Some(customer_id.as_str())
        }
        _ => None,
    };
    let member = member.map(|mut m| {
        if let Some(customer) = customer_id {
            m.stripe_customer_id = Some(customer.to_owned());
        }
        m
    });
    let record = StripeEventRecord {
        id: &event.id,
        event_type: event_type(&event.kind),
        member_id: member.as_ref().map(|m| m.id.as_str()),
        customer_id,
    };
    let applied = store
        .apply_stripe_event_announced(
            record,
            now,
            |current| match billing::apply(current, event, now) {
                Transition::Set(sub) => Some(sub),
                Transition::Unchanged => None,
            },
            |before, after| match &member {
                Some(m) => announce(m, before, after),
                None => Vec::new(),
            },
        )
        .await?;
    Ok(Applied {
        fresh: applied.fresh,
        member_id: member.map(|m| m.id),
        before: applied.before,
        after: applied.after,
        queued: applied.queued,
    })
}

/// The member an event is about: named in its metadata, or found by customer or subscription.
async fn member_for(store: &Store, kind: &BillingEvent) -> Result<Option<Member>, StoreError> {
    if let Some(id) = kind.member_id()
        && let Some(m) = store.member_by_id(id).await?
    {
        return Ok(Some(m));
    }
    if let Some(customer) = kind.customer_id()
        && let Some(m) = store.member_by_customer(customer).await?
    {
        return Ok(Some(m));
    }
    let subscription = match kind {
        BillingEvent::InvoicePaid {
            subscription_id, ..
        }
        | BillingEvent::InvoicePaymentFailed {
            subscription_id, ..
        } => subscription_id.as_deref(),
        _ => None,
    };
    match subscription {
        Some(id) => match store.member_of_stripe_subscription(id).await? {
            Some(member_id) => store.member_by_id(&member_id).await,
            None => Ok(None),
        },
        None => Ok(None),
    }
}

/// The event's type as the event log records it.
fn event_type(kind: &BillingEvent) -> &str {
    match kind {
        BillingEvent::CheckoutCompleted { .. } => "checkout.session.completed",
        BillingEvent::SubscriptionUpdated { .. } => "customer.subscription.updated",
        BillingEvent::SubscriptionDeleted { .. } => "customer.subscription.deleted",
        BillingEvent::InvoicePaid { .. } => "invoice.paid",
        BillingEvent::InvoicePaymentFailed { .. } => "invoice.payment_failed",
        BillingEvent::Ignored { event_type } => event_type,
    }
}

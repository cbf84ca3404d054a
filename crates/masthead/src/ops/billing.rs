//! Paying: a verified Stripe event applied to its member's subscription (`billing::apply`),
//! with the webhook events it fires (`member.subscription.*`, `member.edited`,
//! `member.payment_failed`) queued in the same transaction, and the remembered session classes
//! forgotten, since what the member may read may have changed.

use super::members::{activity, wake};
use super::{Ops, OpsError};
use crate::billing::apply::{self, Applied};
use crate::webhooks::emit;
use chrono::{DateTime, Utc};
use domain::billing::{BillingEvent, Event};

/// Applies `event` (verified and parsed by the caller) once, however often Stripe sends it.
pub async fn apply_stripe_event(
    ops: &Ops<'_>,
    event: &Event,
    now: DateTime<Utc>,
) -> Result<Applied, OpsError> {
    let tiers = ops.store.tiers().await?;
    let payment_failed = matches!(event.kind, BillingEvent::InvoicePaymentFailed { .. });
    let applied = apply::apply_event(ops.store, event, now, |member, before, after| {
        emit::subscription_outgoing(member, &tiers, payment_failed, before, after)
    })
    .await?;
    if applied.fresh
        && let Some(member_id) = &applied.member_id
    {
        let before = applied.before.as_ref();
        if let Some(after) = &applied.after {
            for e in activity::billing_events(member_id, before, after, payment_failed, now) {
                activity::record(ops, &e).await;
            }
        }
        super::analytics::paid_change(ops, member_id, before, applied.after.as_ref(), now).await?;
    }
    // A subscription may have changed: what a signed-in member may read is looked up again.
    ops.forget_sessions();
    wake(ops, applied.queued);
    Ok(applied)
}

/// `apply_stripe_event`, then the offer the event's metadata names (Masthead puts it there at
/// Checkout) counted as redeemed by its subscription — once, however often Stripe sends it —
/// and recorded on the member's subscription.
pub async fn apply_stripe_event_with_offer(
    ops: &Ops<'_>,
    event: &Event,
    offer: Option<&str>,
    now: DateTime<Utc>,
) -> Result<Applied, OpsError> {
    let applied = apply_stripe_event(ops, event, now).await?;
    let subscription = match &event.kind {
        BillingEvent::CheckoutCompleted {
            subscription_id, ..
        }
        | BillingEvent::SubscriptionUpdated {
            subscription_id, ..
        } => Some(subscription_id.as_str()),
        _ => None,
    };
    if let (Some(offer), Some(subscription)) = (offer, subscription) {
        super::offers::redeem(ops, offer, subscription, applied.member_id.as_deref()).await?;
    }
    Ok(applied)
}

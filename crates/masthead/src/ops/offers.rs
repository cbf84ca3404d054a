//! Offers as administrators make them (`Action::Tiers`): added (with their Stripe Coupon when
//! payments are on), edited (name, code, display, status, retention — a coupon's terms never
//! change), archived; each audited (`offer.added`, `offer.edited`). Redemptions are counted
//! when Stripe tells of a subscription that used one (`redeem`, once per subscription); a
//! retention offer accepted puts its coupon on the member's subscription (`accept_retention`).

use super::staff::{Actor, audit};
use super::tiers::Payments;
use super::{Ops, OpsError};
use crate::billing::stripe::{StripeClient, StripeError};
use chrono::Utc;
use domain::{Action, Offer, OfferKind};
use serde_json::{Value, json};
use store::StoreError;

/// What may change once an offer exists.
#[derive(Debug, Clone, Default)]
pub struct OfferEdit {
    pub name: Option<String>,
    pub code: Option<domain::OfferCode>,
    pub display_title: Option<String>,
    pub display_description: Option<String>,
    pub active: Option<bool>,
    pub retention: Option<bool>,
}

/// Stores a new offer for an active paid tier, then makes its Stripe Coupon.
pub async fn add(
    ops: &Ops<'_>,
    actor: Actor<'_>,
    stripe: Option<&StripeClient>,
    offer: &Offer,
) -> Result<Payments, OpsError> {
    actor.require(Action::Tiers, false)?;
    offer.check().map_err(|e| OpsError::Invalid(e.0))?;
    let tier = ops
        .store
        .tier_entry(&offer.tier_id)
        .await?
        .ok_or_else(|| OpsError::Invalid("Choose a tier for the offer.".into()))?;
    if !tier.tier.is_paid() || !tier.tier.active {
        return Err(OpsError::Invalid(
            "Offers are for active paid tiers.".into(),
        ));
    }
    if let OfferKind::Fixed { currency, .. } = &offer.kind
        && *currency != tier.tier.currency
    {
        return Err(OpsError::Invalid(format!(
            "The discount's currency must be the tier's ({}).",
            tier.tier.currency
        )));
    }
    taken(ops.store.create_offer(offer, Utc::now()).await)?;
    record(
        ops,
        actor,
        "offer.added",
        &offer.id,
        json!({}),
        summary(offer),
    )
    .await?;
    coupon(ops, stripe, offer).await
}

/// Applies `edit` to the offer `id`; makes its coupon when an earlier try failed.
pub async fn edit(
    ops: &Ops<'_>,
    actor: Actor<'_>,
    stripe: Option<&StripeClient>,
    id: &str,
    edit: OfferEdit,
) -> Result<(Offer, Payments), OpsError> {
    actor.require(Action::Tiers, false)?;
    let before = found(ops, id).await?;
    let mut after = before.clone();
    after.name = edit.name.unwrap_or(after.name);
    after.code = edit.code.unwrap_or(after.code);
    after.display_title = edit.display_title.unwrap_or(after.display_title);
    after.display_description = edit
        .display_description
        .unwrap_or(after.display_description);
    after.active = edit.active.unwrap_or(after.active);
    after.retention = edit.retention.unwrap_or(after.retention);
    after.check().map_err(|e| OpsError::Invalid(e.0))?;
    taken(ops.store.update_offer(&after, Utc::now()).await)?;
    let action = if before.active && !after.active {
        "offer.archived"
    } else {
        "offer.edited"
    };
    record(ops, actor, action, id, summary(&before), summary(&after)).await?;
    let payments = coupon(ops, stripe, &after).await?;
    Ok((found(ops, id).await?, payments))
}

/// Archives an offer: its landing page says it has ended, and it never reaches Checkout.
pub async fn archive(ops: &Ops<'_>, actor: Actor<'_>, id: &str) -> Result<Offer, OpsError> {
    let changes = OfferEdit {
        active: Some(false),
        ..OfferEdit::default()
    };
    Ok(edit(ops, actor, None, id, changes).await?.0)
}

async fn found(ops: &Ops<'_>, id: &str) -> Result<Offer, OpsError> {
    ops.store
        .offer_by_id(id)
        .await?
        .ok_or(OpsError::NotFound("Offer"))
}

/// Makes the offer's Stripe Coupon if it is a discount and has none yet.
async fn coupon(
    ops: &Ops<'_>,
    stripe: Option<&StripeClient>,
    offer: &Offer,
) -> Result<Payments, OpsError> {
    let Some(stripe) = stripe else {
        return Ok(Payments::Off);
    };
    if matches!(offer.kind, OfferKind::Trial(_)) || offer.stripe_coupon_id.is_some() {
        return Ok(Payments::NotForSale);
    }
    match stripe.create_coupon(offer).await {
        Ok(id) => {
            ops.store.set_offer_coupon(&offer.id, &id).await?;
            Ok(Payments::Synced)
        }
        Err(err) => {
            tracing::warn!(offer.id = %offer.id, error = %err, "Stripe coupon of an offer failed");
            Ok(Payments::Failed(err.to_string()))
        }
    }
}

/// Counts a Stripe subscription as having used the offer (once) and marks the member's
/// subscription with it. Whether it was the first time. An unknown offer id changes nothing.
pub async fn redeem(
    ops: &Ops<'_>,
    offer_id: &str,
    stripe_subscription_id: &str,
    member_id: Option<&str>,
) -> Result<bool, OpsError> {
    Ok(ops
        .store
        .record_redemption(offer_id, stripe_subscription_id, member_id, Utc::now())
        .await?)
}

/// Why a retention offer could not be applied.
#[derive(Debug, thiserror::Error)]
pub enum RetentionError {
    #[error("There is no offer for your subscription right now.")]
    NoOffer,
    #[error(transparent)]
    Stripe(#[from] StripeError),
    #[error(transparent)]
    Ops(#[from] OpsError),
}

/// The member accepted their tier's retention offer: its coupon goes onto their subscription
/// at Stripe (the subscription's next webhook brings the change back), and it counts as
/// redeemed.
pub async fn accept_retention(
    ops: &Ops<'_>,
    stripe: &StripeClient,
    member_id: &str,
) -> Result<Offer, RetentionError> {
    let sub = ops
        .store
        .subscription(member_id)
        .await
        .map_err(OpsError::from)?;
    let sub = sub.ok_or(RetentionError::NoOffer)?;
    let stripe_id = sub
        .stripe_subscription_id
        .clone()
        .ok_or(RetentionError::NoOffer)?;
    let offer = retention_offer_for(ops, &sub.tier).await?;
    let offer = offer.ok_or(RetentionError::NoOffer)?;
    let coupon = offer
        .stripe_coupon_id
        .as_deref()
        .ok_or(RetentionError::NoOffer)?;
    stripe.discount_subscription(&stripe_id, coupon).await?;
    redeem(ops, &offer.id, &stripe_id, Some(member_id)).await?;
    Ok(offer)
}

/// The active retention offer of the tier with this slug.
pub async fn retention_offer_for(
    ops: &Ops<'_>,
    tier: &domain::Slug,
) -> Result<Option<Offer>, OpsError> {
    let Some(entry) = ops.store.tier_entry_by_slug(tier.as_str()).await? else {
        return Ok(None);
    };
    Ok(ops.store.retention_offer(&entry.tier.id).await?)
}

/// An offer's fields as its audit entries show them.
fn summary(o: &Offer) -> Value {
    json!({
        "name": o.name, "code": o.code.as_str(), "type": o.kind.as_str(),
        "amount": o.kind.amount(), "currency": o.kind.currency(), "tier_id": o.tier_id,
        "cadence": o.cadence.as_str(), "duration": o.duration.as_str(),
        "duration_in_months": o.duration.months(), "active": o.active, "retention": o.retention,
        "display_title": o.display_title, "display_description": o.display_description,
    })
}

async fn record(
    ops: &Ops<'_>,
    actor: Actor<'_>,
    action: &str,
    id: &str,
    before: Value,
    after: Value,
) -> Result<(), OpsError> {
    let entry = audit(actor, action, id, before, after, Utc::now());
    Ok(ops.store.insert_audit_entry(&entry).await?)
}

fn taken<T>(result: Result<T, StoreError>) -> Result<T, OpsError> {
    match result {
        Err(StoreError::Conflict(_)) => Err(OpsError::Conflict(
            "Another offer already has this code.".into(),
        )),
        other => Ok(other?),
    }
}

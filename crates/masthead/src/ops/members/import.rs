//! Importing members: rows already parsed and checked (`import::members_csv`) are linked to
//! their live Stripe subscriptions (when a row names a customer and Stripe keys are set), then
//! written in one transaction by the store — or, for a dry run, counted in that transaction and
//! rolled back. Re-running a file adds nobody and changes nothing unchanged.

use super::super::staff::Actor;
use super::super::{Ops, OpsError};
use crate::billing::stripe::{StripeClient, StripeSubscription};
use crate::compose::new_id;
use chrono::{DateTime, Utc};
use domain::billing::{Subscription, SubscriptionStatus};
use domain::{Action, Tier};
use store::{ImportCounts, ImportMode, ImportedMember, LinkedSubscription};

/// What an import did, or would do.
#[derive(Debug, Clone, Default)]
pub struct Outcome {
    pub counts: ImportCounts,
    /// What became of the rows naming a Stripe customer, for the report ("Stripe keys are not
    /// set: 2 customers were not looked up."), and per-customer problems.
    pub stripe_notes: Vec<String>,
}

/// Imports `members` (or counts what importing would do), telling `progress` the rows done.
/// Administrators only (`Action::Members`). With `stripe` (the site's keys), each row's customer's live subscription is linked.
pub async fn import(
    ops: &Ops<'_>,
    actor: Actor<'_>,
    mut members: Vec<ImportedMember>,
    stripe: Option<&StripeClient>,
    mode: ImportMode,
    progress: &mut (dyn FnMut(usize) + Send),
) -> Result<Outcome, OpsError> {
    actor.require(Action::Members, false)?;
    let now = Utc::now();
    let tiers = ops.store.tiers().await?;
    let mut notes = Vec::new();
    let customers = members
        .iter()
        .filter(|m| m.stripe_customer_id.is_some())
        .count();
    match stripe {
        None if customers > 0 => notes.push(format!(
            "Stripe keys are not set: {customers} Stripe customers were recorded but their \
             subscriptions were not looked up."
        )),
        None => {}
        Some(client) => {
            for m in &mut members {
                let Some(customer) = m.stripe_customer_id.clone() else {
                    continue;
                };
                match client.customer_subscriptions(&customer).await {
                    Ok(subs) => m.linked = live_link(&subs, &customer, &tiers, now),
                    Err(e) => notes.push(format!("{customer}: {e}")),
                }
            }
        }
    }
    let counts = ops
        .store
        .import_members(&members, mode, now, &new_id, progress)
        .await?;
    if mode == ImportMode::Write && counts.added + counts.updated > 0 {
        // Comps and linked subscriptions change what members may read.
        ops.forget_sessions();
    }
    Ok(Outcome {
        counts,
        stripe_notes: notes,
    })
}

/// The customer's live subscription as Masthead stores it, when one maps to a tier.
fn live_link(
    subs: &[StripeSubscription],
    customer: &str,
    tiers: &[Tier],
    now: DateTime<Utc>,
) -> Option<LinkedSubscription> {
    let sub = subs.iter().find(|s| s.is_live())?;
    let price = sub.price()?;
    let cadence = price
        .recurring
        .as_ref()
        .map_or("month", |r| r.interval.as_str())
        .to_owned();
    let amount = price.unit_amount.unwrap_or(0);
    let tier = tier_of(sub, &cadence, amount, &price.currency, tiers)?;
    let status = match sub.status.as_str() {
        "trialing" => SubscriptionStatus::Trialing,
        "past_due" => SubscriptionStatus::PastDue,
        _ => SubscriptionStatus::Active,
    };
    Some(LinkedSubscription {
        subscription: Subscription {
            tier: tier.slug.clone(),
            status,
            stripe_subscription_id: Some(sub.id.clone()),
            stripe_customer_id: Some(customer.to_owned()),
            current_period_end: sub.period_end(),
            past_due_since: (status == SubscriptionStatus::PastDue).then_some(now),
            comped_until: None,
            cancel_at_period_end: sub.cancel_at_period_end,
            last_event_at: None,
        },
        cadence,
        amount,
        currency: price.currency.clone(),
    })
}

/// The tier a subscription is for: named in its or its price's metadata (`tier`, as Masthead's
/// Checkout writes it), else the paid tier whose price for that cadence is the amount.
fn tier_of<'a>(
    sub: &StripeSubscription,
    cadence: &str,
    amount: i64,
    currency: &str,
    tiers: &'a [Tier],
) -> Option<&'a Tier> {
    let price = sub.price()?;
    let named = sub
        .metadata
        .get("tier")
        .or_else(|| price.metadata.get("tier"));
    if let Some(slug) = named {
        return tiers.iter().find(|t| t.slug.as_str() == slug);
    }
    tiers.iter().find(|t| {
        let tier_price = if cadence == "year" {
            t.yearly_price
        } else {
            t.monthly_price
        };
        t.is_paid() && i64::from(tier_price) == amount && t.currency.eq_ignore_ascii_case(currency)
    })
}

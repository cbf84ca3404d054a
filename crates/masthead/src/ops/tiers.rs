//! Tiers as administrators sell them (`Action::Tiers`): added, edited and archived — never
//! deleted, since members may hold them — each audited (`tier.added`, `tier.edited`,
//! `tier.archived`). With Stripe keys, a save then brings the tier's Stripe Product up to date
//! and makes a new Price for a cadence whose amount or currency changed (members keep the Price
//! they subscribed at); an unchanged save makes none. Without keys a save still works, and says
//! payments are off.

use super::staff::{Actor, audit};
use super::{Ops, OpsError};
use crate::billing::stripe::StripeClient;
use chrono::Utc;
use domain::offer::StripePrice;
use domain::{Action, Cadence, Slug, Tier, TierListing};
use serde_json::{Value, json};
use store::{StoreError, TierEntry};

/// What became of a save at Stripe.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Payments {
    /// No Stripe keys: saved here only.
    Off,
    /// Nothing to sell (the free tier, an offer without a coupon).
    NotForSale,
    /// Stripe has the tier (or the offer's coupon) as saved.
    Synced,
    /// Saved here, but Stripe refused or could not be reached; saving again retries.
    Failed(String),
}

impl Payments {
    /// A sentence for the console and the CLI.
    pub fn notice(&self) -> Option<String> {
        match self {
            Payments::Off => Some(
                "Payments are off: no Stripe keys are set, so this was saved on the site only."
                    .into(),
            ),
            Payments::NotForSale | Payments::Synced => None,
            Payments::Failed(why) => Some(format!(
                "Saved on the site, but Stripe was not updated ({why}). Save again to retry."
            )),
        }
    }
}

/// The fields a command or an API request names; `None` keeps what is stored (or, for a new
/// tier, the default: a slug from the name, usd, shown on the sign-up page, active).
#[derive(Debug, Clone, Default)]
pub struct TierChanges {
    pub name: Option<String>,
    pub slug: Option<Slug>,
    pub description: Option<String>,
    pub benefits: Option<Vec<String>>,
    /// In the currency's minor unit (cents).
    pub monthly_price: Option<u32>,
    pub yearly_price: Option<u32>,
    pub currency: Option<String>,
    pub trial_days: Option<u32>,
    pub visible: Option<bool>,
    pub sort_order: Option<i64>,
    pub active: Option<bool>,
}

impl TierChanges {
    /// A new tier with id `id` made of these fields (checked when it is added).
    pub fn new_entry(self, id: String) -> TierEntry {
        let name = self.name.clone().unwrap_or_default();
        let blank = TierEntry {
            tier: Tier {
                id,
                slug: Slug::from_text(&name),
                name,
                description: String::new(),
                benefits: Vec::new(),
                monthly_price: 0,
                yearly_price: 0,
                currency: "usd".into(),
                trial_days: 0,
                active: true,
            },
            listing: TierListing {
                visible: true,
                sort_order: 0,
            },
            stripe: domain::TierStripe::default(),
        };
        self.apply(blank)
    }

    /// `entry` with the named fields replaced.
    pub fn apply(self, mut entry: TierEntry) -> TierEntry {
        let t = &mut entry.tier;
        let keep = |field: &mut String, new: Option<String>| {
            if let Some(v) = new {
                v.trim().clone_into(field);
            }
        };
        keep(&mut t.name, self.name);
        keep(&mut t.description, self.description);
        keep(&mut t.currency, self.currency.map(|c| c.to_lowercase()));
        t.slug = self.slug.unwrap_or_else(|| t.slug.clone());
        t.benefits = self.benefits.unwrap_or_else(|| t.benefits.clone());
        t.monthly_price = self.monthly_price.unwrap_or(t.monthly_price);
        t.yearly_price = self.yearly_price.unwrap_or(t.yearly_price);
        t.trial_days = self.trial_days.unwrap_or(t.trial_days);
        t.active = self.active.unwrap_or(t.active);
        entry.listing.visible = self.visible.unwrap_or(entry.listing.visible);
        entry.listing.sort_order = self.sort_order.unwrap_or(entry.listing.sort_order);
        entry
    }
}

/// Stores a new tier, then brings Stripe up to date.
pub async fn add(
    ops: &Ops<'_>,
    actor: Actor<'_>,
    stripe: Option<&StripeClient>,
    entry: &TierEntry,
) -> Result<Payments, OpsError> {
    actor.require(Action::Tiers, false)?;
    check(&entry.tier)?;
    taken(ops.store.create_tier(entry, Utc::now()).await)?;
    record(
        ops,
        actor,
        "tier.added",
        &entry.tier.id,
        json!({}),
        summary(entry),
    )
    .await?;
    sync(ops, stripe, &entry.tier.id).await
}

/// Saves `entry` over the stored tier with its id, then brings Stripe up to date.
pub async fn edit(
    ops: &Ops<'_>,
    actor: Actor<'_>,
    stripe: Option<&StripeClient>,
    entry: &TierEntry,
) -> Result<Payments, OpsError> {
    actor.require(Action::Tiers, false)?;
    let before = found(ops, &entry.tier.id).await?;
    if !before.tier.is_paid() && entry.tier.slug != before.tier.slug {
        return Err(OpsError::Invalid(
            "The free tier keeps its slug, free.".into(),
        ));
    }
    check(&entry.tier)?;
    taken(ops.store.update_tier(entry).await)?;
    record(
        ops,
        actor,
        "tier.edited",
        &entry.tier.id,
        summary(&before),
        summary(entry),
    )
    .await?;
    sync(ops, stripe, &entry.tier.id).await
}

/// Archives a tier: members who hold it keep it, nobody new can choose it.
pub async fn archive(
    ops: &Ops<'_>,
    actor: Actor<'_>,
    stripe: Option<&StripeClient>,
    id: &str,
) -> Result<Payments, OpsError> {
    actor.require(Action::Tiers, false)?;
    let before = found(ops, id).await?;
    if !before.tier.is_paid() {
        return Err(OpsError::Invalid(
            "The free tier cannot be archived.".into(),
        ));
    }
    let mut after = before.clone();
    after.tier.active = false;
    ops.store.update_tier(&after).await?;
    record(
        ops,
        actor,
        "tier.archived",
        id,
        summary(&before),
        summary(&after),
    )
    .await?;
    sync(ops, stripe, id).await
}

async fn found(ops: &Ops<'_>, id: &str) -> Result<TierEntry, OpsError> {
    ops.store
        .tier_entry(id)
        .await?
        .ok_or(OpsError::NotFound("Tier"))
}

/// Brings the tier's Stripe Product and Prices up to date with what is stored.
pub async fn sync(
    ops: &Ops<'_>,
    stripe: Option<&StripeClient>,
    id: &str,
) -> Result<Payments, OpsError> {
    let entry = found(ops, id).await?;
    let Some(stripe) = stripe else {
        return Ok(Payments::Off);
    };
    if !entry.tier.is_paid() {
        return Ok(Payments::NotForSale);
    }
    match push(stripe, &entry).await {
        Ok(synced) => {
            if synced != entry.stripe {
                ops.store.set_tier_stripe(id, &synced).await?;
            }
            Ok(Payments::Synced)
        }
        Err(err) => {
            tracing::warn!(tier.id = %id, error = %err, "Stripe sync of a tier failed");
            Ok(Payments::Failed(err.to_string()))
        }
    }
}

/// The Stripe calls of one sync: the Product saved, then a Price per cadence whose terms changed.
async fn push(
    stripe: &StripeClient,
    entry: &TierEntry,
) -> Result<domain::TierStripe, crate::billing::stripe::StripeError> {
    let tier = &entry.tier;
    let mut synced = entry.stripe.clone();
    let product = stripe
        .save_product(entry.stripe.product_id.as_deref(), tier)
        .await?;
    synced.product_id = Some(product.clone());
    for cadence in [Cadence::Month, Cadence::Year] {
        let amount = amount(tier, cadence);
        let terms = StripePrice::terms(&tier.currency, amount);
        let current = entry.stripe.price(cadence);
        if amount == 0 || current.is_some_and(|p| p.terms == terms) {
            continue;
        }
        let id = stripe.create_price(&product, tier, cadence, amount).await?;
        let price = Some(StripePrice { id, terms });
        match cadence {
            Cadence::Month => synced.monthly = price,
            Cadence::Year => synced.yearly = price,
        }
    }
    Ok(synced)
}

/// The tier's price for a cadence, in minor units.
pub fn amount(tier: &Tier, cadence: Cadence) -> u32 {
    match cadence {
        Cadence::Month => tier.monthly_price,
        Cadence::Year => tier.yearly_price,
    }
}

/// What every saved tier needs: a name, a currency code, a monthly price when it is paid, and a
/// trial no longer than two years.
fn check(tier: &Tier) -> Result<(), OpsError> {
    if tier.name.trim().is_empty() {
        return Err(OpsError::Invalid("A tier needs a name.".into()));
    }
    domain::offer::currency_code(&tier.currency).map_err(|e| OpsError::Invalid(e.0))?;
    if tier.is_paid() && tier.monthly_price == 0 {
        return Err(OpsError::Invalid(
            "A paid tier needs a monthly price.".into(),
        ));
    }
    if !tier.is_paid() && (tier.monthly_price > 0 || tier.yearly_price > 0) {
        return Err(OpsError::Invalid("The free tier has no price.".into()));
    }
    if tier.trial_days > 730 {
        return Err(OpsError::Invalid(
            "A free trial lasts at most 730 days.".into(),
        ));
    }
    Ok(())
}

/// A tier's fields as its audit entries show them.
fn summary(e: &TierEntry) -> Value {
    let t = &e.tier;
    json!({
        "name": t.name, "slug": t.slug.as_str(), "description": t.description,
        "benefits": t.benefits, "monthly_price": t.monthly_price, "yearly_price": t.yearly_price,
        "currency": t.currency, "trial_days": t.trial_days, "active": t.active,
        "visible": e.listing.visible, "sort_order": e.listing.sort_order,
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

/// A store result, with a clash on the slug as the caller's conflict.
fn taken<T>(result: Result<T, StoreError>) -> Result<T, OpsError> {
    match result {
        Err(StoreError::Conflict(_)) => Err(OpsError::Conflict(
            "Another tier already has this slug.".into(),
        )),
        other => Ok(other?),
    }
}

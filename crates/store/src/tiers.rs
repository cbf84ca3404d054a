//! Tiers as the console sells them: every tier (archived too) with its place on the sign-up page
//! (`TierListing`) and its Stripe Product and Prices (`TierStripe`). `members.rs` keeps the
//! readers' view (`tiers`, `tier_by_slug`).

use crate::members::{TIER_COLUMNS, TierRow};
use crate::time::to_micros;
use crate::{Store, StoreError, on_pool};
use chrono::{DateTime, Utc};
use domain::offer::StripePrice;
use domain::{Tier, TierListing, TierStripe};

/// A tier with how it is listed and what Stripe knows of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TierEntry {
    pub tier: Tier,
    pub listing: TierListing,
    pub stripe: TierStripe,
}

#[derive(sqlx::FromRow)]
struct EntryRow {
    #[sqlx(flatten)]
    tier: TierRow,
    visible: bool,
    sort_order: i64,
    stripe_product_id: Option<String>,
    stripe_monthly_price_id: Option<String>,
    stripe_monthly_terms: Option<String>,
    stripe_yearly_price_id: Option<String>,
    stripe_yearly_terms: Option<String>,
}

const EXTRA_COLUMNS: &str = "visible, sort_order, stripe_product_id, stripe_monthly_price_id, \
     stripe_monthly_terms, stripe_yearly_price_id, stripe_yearly_terms";

fn price(id: Option<String>, terms: Option<String>) -> Option<StripePrice> {
    Some(StripePrice {
        id: id?,
        terms: terms.unwrap_or_default(),
    })
}

impl TryFrom<EntryRow> for TierEntry {
    type Error = StoreError;
    fn try_from(r: EntryRow) -> Result<TierEntry, StoreError> {
        Ok(TierEntry {
            tier: Tier::try_from(r.tier)?,
            listing: TierListing {
                visible: r.visible,
                sort_order: r.sort_order,
            },
            stripe: TierStripe {
                product_id: r.stripe_product_id,
                monthly: price(r.stripe_monthly_price_id, r.stripe_monthly_terms),
                yearly: price(r.stripe_yearly_price_id, r.stripe_yearly_terms),
            },
        })
    }
}

impl Store {
    async fn entries_where(
        &self,
        clause: &str,
        value: Option<&str>,
    ) -> Result<Vec<TierEntry>, StoreError> {
        let sql = format!(
            "SELECT {TIER_COLUMNS}, {EXTRA_COLUMNS} FROM tiers WHERE {clause} \
             ORDER BY sort_order, monthly_price, name"
        );
        let rows: Vec<EntryRow> = on_pool!(&self.db, read, |p| {
            let query = sqlx::query_as(&sql);
            let query = match value {
                Some(v) => query.bind(v),
                None => query,
            };
            query.fetch_all(p).await?
        });
        rows.into_iter().map(TierEntry::try_from).collect()
    }

    /// Every tier, archived ones too, in sort order.
    pub async fn tier_entries(&self) -> Result<Vec<TierEntry>, StoreError> {
        self.entries_where("TRUE", None).await
    }

    /// The tiers the sign-up page offers: active and visible, in sort order.
    pub async fn signup_tiers(&self) -> Result<Vec<TierEntry>, StoreError> {
        self.entries_where("active AND visible", None).await
    }

    pub async fn tier_entry(&self, id: &str) -> Result<Option<TierEntry>, StoreError> {
        Ok(self.entries_where("id = $1", Some(id)).await?.pop())
    }

    pub async fn tier_entry_by_slug(&self, slug: &str) -> Result<Option<TierEntry>, StoreError> {
        Ok(self.entries_where("slug = $1", Some(slug)).await?.pop())
    }

    /// Adds a tier; `Conflict` when its slug is taken.
    pub async fn create_tier(&self, e: &TierEntry, now: DateTime<Utc>) -> Result<(), StoreError> {
        let t = &e.tier;
        on_pool!(&self.db, write, |p| {
            sqlx::query(
                "INSERT INTO tiers (id, slug, name, description, benefits, monthly_price, \
                 yearly_price, currency, trial_days, active, visible, sort_order, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
            )
            .bind(&t.id)
            .bind(t.slug.as_str())
            .bind(&t.name)
            .bind(&t.description)
            .bind(benefits(t))
            .bind(i64::from(t.monthly_price))
            .bind(i64::from(t.yearly_price))
            .bind(&t.currency)
            .bind(i64::from(t.trial_days))
            .bind(t.active)
            .bind(e.listing.visible)
            .bind(e.listing.sort_order)
            .bind(to_micros(now))
            .execute(p)
            .await?;
        });
        self.clock.tick();
        Ok(())
    }

    /// Replaces a tier's fields and listing (not its Stripe ids); whether it exists. `Conflict`
    /// when the new slug is taken.
    pub async fn update_tier(&self, e: &TierEntry) -> Result<bool, StoreError> {
        let t = &e.tier;
        let n = on_pool!(&self.db, write, |p| {
            sqlx::query(
                "UPDATE tiers SET slug = $2, name = $3, description = $4, benefits = $5, \
                 monthly_price = $6, yearly_price = $7, currency = $8, trial_days = $9, \
                 active = $10, visible = $11, sort_order = $12 WHERE id = $1",
            )
            .bind(&t.id)
            .bind(t.slug.as_str())
            .bind(&t.name)
            .bind(&t.description)
            .bind(benefits(t))
            .bind(i64::from(t.monthly_price))
            .bind(i64::from(t.yearly_price))
            .bind(&t.currency)
            .bind(i64::from(t.trial_days))
            .bind(t.active)
            .bind(e.listing.visible)
            .bind(e.listing.sort_order)
            .execute(p)
            .await?
            .rows_affected()
        });
        self.clock.tick();
        Ok(n > 0)
    }

    /// Records a tier's Stripe Product and current Prices.
    pub async fn set_tier_stripe(&self, id: &str, s: &TierStripe) -> Result<(), StoreError> {
        let id_of = |p: &Option<StripePrice>| p.as_ref().map(|p| p.id.clone());
        let terms_of = |p: &Option<StripePrice>| p.as_ref().map(|p| p.terms.clone());
        on_pool!(&self.db, write, |p| {
            sqlx::query(
                "UPDATE tiers SET stripe_product_id = $2, stripe_monthly_price_id = $3, \
                 stripe_monthly_terms = $4, stripe_yearly_price_id = $5, stripe_yearly_terms = $6 \
                 WHERE id = $1",
            )
            .bind(id)
            .bind(&s.product_id)
            .bind(id_of(&s.monthly))
            .bind(terms_of(&s.monthly))
            .bind(id_of(&s.yearly))
            .bind(terms_of(&s.yearly))
            .execute(p)
            .await?;
        });
        Ok(())
    }

    /// How many members hold the tier (any subscription status).
    pub async fn tier_holders(&self, slug: &str) -> Result<u64, StoreError> {
        let n: i64 = on_pool!(&self.db, read, |p| sqlx::query_scalar(
            "SELECT COUNT(*) FROM subscriptions WHERE tier = $1"
        )
        .bind(slug)
        .fetch_one(p)
        .await?);
        Ok(u64::try_from(n).unwrap_or(0))
    }
}

fn benefits(t: &Tier) -> String {
    serde_json::to_string(&t.benefits).unwrap_or_else(|_| "[]".into())
}

//! Offers (Ghost's: a discount or a free trial on one tier and cadence, reached by its code) and
//! their redemptions: one row per Stripe subscription that used an offer, so however often
//! Stripe replays the event, an offer counts each subscription once.

use crate::time::to_micros;
use crate::{Store, StoreError, on_pool};
use chrono::{DateTime, Utc};
use domain::{Cadence, Offer, OfferCode, OfferDuration, OfferKind};

#[derive(sqlx::FromRow)]
struct OfferRow {
    id: String,
    name: String,
    code: String,
    display_title: String,
    display_description: String,
    kind: String,
    amount: i64,
    currency: Option<String>,
    tier_id: String,
    cadence: String,
    duration: String,
    duration_in_months: Option<i64>,
    active: bool,
    retention: bool,
    stripe_coupon_id: Option<String>,
    redemptions: i64,
}

const OFFER_SELECT: &str = "SELECT id, name, code, display_title, display_description, kind, \
     amount, currency, tier_id, cadence, duration, duration_in_months, active, retention, \
     stripe_coupon_id, (SELECT COUNT(*) FROM offer_redemptions r WHERE r.offer_id = offers.id) \
     AS redemptions FROM offers";

impl TryFrom<OfferRow> for Offer {
    type Error = StoreError;
    fn try_from(r: OfferRow) -> Result<Offer, StoreError> {
        let number = |v: i64| {
            u32::try_from(v)
                .map_err(|_| StoreError::Corrupt(format!("number {v} of offer {}", r.id)))
        };
        let months = r.duration_in_months.map(number).transpose()?;
        Ok(Offer {
            kind: OfferKind::parse(&r.kind, number(r.amount)?, r.currency.as_deref())?,
            duration: OfferDuration::parse(&r.duration, months)?,
            cadence: Cadence::parse(&r.cadence)?,
            code: OfferCode::parse(&r.code)?,
            id: r.id,
            name: r.name,
            display_title: r.display_title,
            display_description: r.display_description,
            tier_id: r.tier_id,
            active: r.active,
            retention: r.retention,
            stripe_coupon_id: r.stripe_coupon_id,
            redemptions: u64::try_from(r.redemptions).unwrap_or(0),
        })
    }
}

/// Unmarks the tier's other retention offers when `o` becomes its retention offer.
const ONE_RETENTION: &str =
    "UPDATE offers SET retention = FALSE WHERE tier_id = $1 AND id <> $2 AND $3";

impl Store {
    async fn offers_where(
        &self,
        clause: &str,
        value: Option<&str>,
    ) -> Result<Vec<Offer>, StoreError> {
        let sql = format!("{OFFER_SELECT} WHERE {clause} ORDER BY created_at DESC, id");
        let rows: Vec<OfferRow> = on_pool!(&self.db, read, |p| {
            let query = sqlx::query_as(&sql);
            let query = match value {
                Some(v) => query.bind(v),
                None => query,
            };
            query.fetch_all(p).await?
        });
        rows.into_iter().map(Offer::try_from).collect()
    }

    /// Every offer, newest first, with its redemption count.
    pub async fn offers(&self) -> Result<Vec<Offer>, StoreError> {
        self.offers_where("TRUE", None).await
    }

    pub async fn offer_by_id(&self, id: &str) -> Result<Option<Offer>, StoreError> {
        Ok(self.offers_where("id = $1", Some(id)).await?.pop())
    }

    /// The offer with this code, whatever its case.
    pub async fn offer_by_code(&self, code: &str) -> Result<Option<Offer>, StoreError> {
        let key = code.trim().to_lowercase();
        Ok(self.offers_where("code_key = $1", Some(&key)).await?.pop())
    }

    /// The active retention offer of a tier, if it has one.
    pub async fn retention_offer(&self, tier_id: &str) -> Result<Option<Offer>, StoreError> {
        let clause = "tier_id = $1 AND retention AND active";
        Ok(self.offers_where(clause, Some(tier_id)).await?.pop())
    }

    /// Adds an offer; `Conflict` when its code is taken (in any case).
    pub async fn create_offer(&self, o: &Offer, now: DateTime<Utc>) -> Result<(), StoreError> {
        on_pool!(&self.db, write, |p| {
            let mut tx = p.begin().await?;
            sqlx::query(ONE_RETENTION)
                .bind(&o.tier_id)
                .bind(&o.id)
                .bind(o.retention)
                .execute(&mut *tx)
                .await?;
            sqlx::query(
                "INSERT INTO offers (id, name, code, code_key, display_title, display_description, \
                 kind, amount, currency, tier_id, cadence, duration, duration_in_months, active, \
                 retention, stripe_coupon_id, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, \
                 $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $17)",
            )
            .bind(&o.id)
            .bind(&o.name)
            .bind(o.code.as_str())
            .bind(o.code.as_str().to_lowercase())
            .bind(&o.display_title)
            .bind(&o.display_description)
            .bind(o.kind.as_str())
            .bind(i64::from(o.kind.amount()))
            .bind(o.kind.currency())
            .bind(&o.tier_id)
            .bind(o.cadence.as_str())
            .bind(o.duration.as_str())
            .bind(o.duration.months().map(i64::from))
            .bind(o.active)
            .bind(o.retention)
            .bind(&o.stripe_coupon_id)
            .bind(to_micros(now))
            .execute(&mut *tx)
            .await?;
            tx.commit().await?;
        });
        Ok(())
    }

    /// Saves what may change once an offer exists (its Stripe coupon cannot): name, code,
    /// display title and description, status and the retention mark. Whether it exists.
    pub async fn update_offer(&self, o: &Offer, now: DateTime<Utc>) -> Result<bool, StoreError> {
        let n = on_pool!(&self.db, write, |p| {
            let mut tx = p.begin().await?;
            sqlx::query(ONE_RETENTION)
                .bind(&o.tier_id)
                .bind(&o.id)
                .bind(o.retention)
                .execute(&mut *tx)
                .await?;
            let n = sqlx::query(
                "UPDATE offers SET name = $2, code = $3, code_key = $4, display_title = $5, \
                 display_description = $6, active = $7, retention = $8, updated_at = $9 \
                 WHERE id = $1",
            )
            .bind(&o.id)
            .bind(&o.name)
            .bind(o.code.as_str())
            .bind(o.code.as_str().to_lowercase())
            .bind(&o.display_title)
            .bind(&o.display_description)
            .bind(o.active)
            .bind(o.retention)
            .bind(to_micros(now))
            .execute(&mut *tx)
            .await?
            .rows_affected();
            tx.commit().await?;
            n
        });
        Ok(n > 0)
    }

    /// Records the Stripe coupon made for an offer.
    pub async fn set_offer_coupon(&self, id: &str, coupon: &str) -> Result<(), StoreError> {
        on_pool!(&self.db, write, |p| {
            sqlx::query("UPDATE offers SET stripe_coupon_id = $2 WHERE id = $1")
                .bind(id)
                .bind(coupon)
                .execute(p)
                .await?;
        });
        Ok(())
    }

    /// Counts `offer_id` as redeemed by a Stripe subscription (once, however often it is
    /// recorded) and marks the member's subscription with it. Whether this was the first time.
    pub async fn record_redemption(
        &self,
        offer_id: &str,
        stripe_subscription_id: &str,
        member_id: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let n = on_pool!(&self.db, write, |p| {
            let mut tx = p.begin().await?;
            let n = sqlx::query(
                "INSERT INTO offer_redemptions (offer_id, stripe_subscription_id, member_id, \
                 created_at) SELECT id, $2, $3, $4 FROM offers WHERE id = $1 \
                 ON CONFLICT (offer_id, stripe_subscription_id) DO NOTHING",
            )
            .bind(offer_id)
            .bind(stripe_subscription_id)
            .bind(member_id)
            .bind(to_micros(now))
            .execute(&mut *tx)
            .await?
            .rows_affected();
            sqlx::query(
                "UPDATE subscriptions SET offer_id = $1 \
                 WHERE stripe_subscription_id = $2 OR member_id = $3",
            )
            .bind(offer_id)
            .bind(stripe_subscription_id)
            .bind(member_id)
            .execute(&mut *tx)
            .await?;
            tx.commit().await?;
            n
        });
        Ok(n > 0)
    }

    /// The offer a member's subscription used, if any.
    pub async fn subscription_offer(&self, member_id: &str) -> Result<Option<String>, StoreError> {
        let id: Option<Option<String>> = on_pool!(&self.db, read, |p| sqlx::query_scalar(
            "SELECT offer_id FROM subscriptions WHERE member_id = $1"
        )
        .bind(member_id)
        .fetch_optional(p)
        .await?);
        Ok(id.flatten())
    }
}

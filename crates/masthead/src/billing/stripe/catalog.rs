//! What the console asks of Stripe: a tier's Product and Prices, an offer's Coupon, and a
//! retention offer's coupon on a subscription. Every call carries an idempotency key made from
//! what it asks for, so a retried save never makes a second object.

use super::{StripeClient, StripeError};
use domain::{Cadence, Offer, OfferDuration, OfferKind, Tier};
use serde::Deserialize;
use sha2::{Digest, Sha256};

#[derive(Deserialize)]
struct Object {
    id: String,
}

/// Stripe caps a coupon's name at 40 characters.
const COUPON_NAME_MAX: usize = 40;

impl StripeClient {
    /// Creates the tier's Product (`existing` is `None`) or updates it; its id.
    pub async fn save_product(
        &self,
        existing: Option<&str>,
        tier: &Tier,
    ) -> Result<String, StripeError> {
        let mut form = vec![
            ("name", tier.name.clone()),
            ("active", tier.active.to_string()),
            ("metadata[tier]", tier.slug.to_string()),
            ("metadata[tier_id]", tier.id.clone()),
        ];
        if !tier.description.trim().is_empty() {
            form.push(("description", tier.description.clone()));
        }
        let path = existing.map_or_else(
            || "/v1/products".to_owned(),
            |id| format!("/v1/products/{id}"),
        );
        let key = format!("masthead-product-{}-{}", tier.id, digest(&form));
        let product: Object = self.post_form_keyed(&path, &form, &key).await?;
        Ok(product.id)
    }

    /// Creates a recurring Price of `amount` for the tier's Product; its id.
    pub async fn create_price(
        &self,
        product: &str,
        tier: &Tier,
        cadence: Cadence,
        amount: u32,
    ) -> Result<String, StripeError> {
        let form = [
            ("product", product.to_owned()),
            ("unit_amount", amount.to_string()),
            ("currency", tier.currency.clone()),
            ("recurring[interval]", cadence.as_str().to_owned()),
            ("metadata[tier]", tier.slug.to_string()),
        ];
        let key = format!("masthead-price-{}-{}", tier.id, digest(&form));
        let price: Object = self.post_form_keyed("/v1/prices", &form, &key).await?;
        Ok(price.id)
    }

    /// Creates the Coupon of a discount offer; its id. (A trial offer needs none.)
    pub async fn create_coupon(&self, offer: &Offer) -> Result<String, StripeError> {
        let mut form = vec![
            ("name", offer.name.chars().take(COUPON_NAME_MAX).collect()),
            ("duration", offer.duration.as_str().to_owned()),
            ("metadata[offer]", offer.id.clone()),
        ];
        match &offer.kind {
            OfferKind::Percent(n) => form.push(("percent_off", n.to_string())),
            OfferKind::Fixed { amount, currency } => {
                form.push(("amount_off", amount.to_string()));
                form.push(("currency", currency.clone()));
            }
            OfferKind::Trial(_) => {
                return Err(StripeError::UnexpectedResponse(
                    "a trial offer has no coupon".into(),
                ));
            }
        }
        if let OfferDuration::Repeating(months) = offer.duration {
            form.push(("duration_in_months", months.to_string()));
        }
        let key = format!("masthead-coupon-{}", offer.id);
        let coupon: Object = self.post_form_keyed("/v1/coupons", &form, &key).await?;
        Ok(coupon.id)
    }

    /// Puts a coupon on a member's existing subscription (a retention offer accepted).
    pub async fn discount_subscription(
        &self,
        subscription: &str,
        coupon: &str,
    ) -> Result<(), StripeError> {
        let form = [("discounts[0][coupon]", coupon.to_owned())];
        let key = format!("masthead-retention-{subscription}-{coupon}");
        let _: Object = self
            .post_form_keyed(&format!("/v1/subscriptions/{subscription}"), &form, &key)
            .await?;
        Ok(())
    }
}

/// A short digest of a form, so one key never names two different requests.
fn digest(form: &[(&str, String)]) -> String {
    let mut hash = Sha256::new();
    for (k, v) in form {
        hash.update(k.as_bytes());
        hash.update([0]);
        hash.update(v.as_bytes());
        hash.update([0]);
    }
    hex::encode(&hash.finalize()[..12])
}

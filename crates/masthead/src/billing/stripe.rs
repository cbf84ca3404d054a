//! A small client for the Stripe API calls Masthead makes: opening a Checkout Session for a
//! tier and opening a Customer Portal session here; Products, Prices, Coupons and a
//! subscription's discount in `stripe/catalog.rs`. The base URL is configurable so tests and the demo
//! can point it at a local fake that speaks Stripe's shapes.

use serde::Deserialize;
use std::fmt;
use std::time::Duration;

pub const PRODUCTION_BASE_URL: &str = "https://api.stripe.com";

/// Stripe's answers normally take well under a second; a stuck request should not hold a member's
/// click (and a server task) for long.
const TIMEOUT: Duration = Duration::from_secs(20);

#[derive(Debug)]
pub struct StripeClient {
    base_url: String,
    secret_key: SecretKey,
    http: reqwest::Client,
}

/// The API secret key. `Debug` redacts it so the client can appear in logs and panics.
struct SecretKey(String);

impl fmt::Debug for SecretKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SecretKey(redacted)")
    }
}

/// What a member is about to subscribe to: the tier's Stripe Price when it has one, else priced
/// inline (`price_data`), so a tier saved before payments were set up still sells; with an
/// offer's coupon (`discounts`) and its id in the metadata when the member came through one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckoutRequest {
    pub member_id: String,
    pub email: String,
    pub customer_id: Option<String>,
    pub tier_slug: String,
    pub tier_name: String,
    /// In the currency's minor unit (cents).
    pub unit_amount: u32,
    /// ISO 4217, lowercase.
    pub currency: String,
    /// `month` or `year`.
    pub interval: String,
    pub trial_days: u32,
    /// The tier's current Stripe Price for this cadence.
    pub price_id: Option<String>,
    /// The offer's Stripe Coupon.
    pub coupon: Option<String>,
    /// The offer's id, named in the metadata so the webhook counts its redemption.
    pub offer_id: Option<String>,
    pub success_url: String,
    pub cancel_url: String,
}

#[derive(Debug, thiserror::Error)]
pub enum StripeError {
    #[error("Stripe refused the request (HTTP {status}, {kind}): {message}")]
    Api {
        status: u16,
        kind: String,
        message: String,
    },
    #[error("the request to Stripe failed")]
    Transport(#[from] reqwest::Error),
    #[error("Stripe's answer was not what we expected: {0}")]
    UnexpectedResponse(String),
}

/// The one field we need from a Checkout or Portal session.
#[derive(Deserialize)]
struct Session {
    url: Option<String>,
}

#[derive(Deserialize)]
struct ErrorBody {
    error: ApiError,
}

#[derive(Deserialize)]
struct ApiError {
    message: Option<String>,
    #[serde(rename = "type")]
    kind: Option<String>,
}

impl StripeClient {
    /// The client the configuration's Stripe keys ask for; `None` when payments are off.
    pub fn configured(config: Option<&crate::config::StripeConfig>) -> Option<StripeClient> {
        config.map(|s| StripeClient::new(&s.api_base, s.secret_key.expose()))
    }

    pub fn new(base_url: &str, secret_key: &str) -> StripeClient {
        let http = reqwest::Client::builder()
            .timeout(TIMEOUT)
            .build()
            // Building fails only when the TLS backend cannot initialise, a defect of the build
            // rather than of any input or environment.
            .expect("the HTTP client's TLS backend initialises");
        StripeClient {
            base_url: base_url.trim_end_matches('/').to_owned(),
            secret_key: SecretKey(secret_key.to_owned()),
            http,
        }
    }

    /// POST /v1/checkout/sessions (form-encoded, bearer auth) → the session's `url`, where the
    /// member pays.
    pub async fn create_checkout_session(
        &self,
        req: &CheckoutRequest,
    ) -> Result<String, StripeError> {
        let session: Session = self
            .post_form("/v1/checkout/sessions", &checkout_form(req))
            .await?;
        session.url.ok_or_else(|| {
            StripeError::UnexpectedResponse("the checkout session has no url".into())
        })
    }

    /// POST /`v1/billing_portal/sessions` with customer and `return_url` → the session's `url`, where
    /// the member manages their subscription.
    pub async fn create_portal_session(
        &self,
        customer_id: &str,
        return_url: &str,
    ) -> Result<String, StripeError> {
        let form = [
            ("customer", customer_id.to_owned()),
            ("return_url", return_url.to_owned()),
        ];
        let session: Session = self.post_form("/v1/billing_portal/sessions", &form).await?;
        session
            .url
            .ok_or_else(|| StripeError::UnexpectedResponse("the portal session has no url".into()))
    }

    /// Posts a form and reads the JSON answer, turning Stripe's error body into `StripeError::Api`.
    ///
    /// Each call carries a fresh idempotency key: should the HTTP stack resend the request (say,
    /// over a new connection after a pooled one closed), Stripe still creates one session.
    async fn post_form<T: for<'de> Deserialize<'de>>(
        &self,
        path: &str,
        form: &[(&str, String)],
    ) -> Result<T, StripeError> {
        let key = uuid::Uuid::now_v7().to_string();
        self.post_form_keyed(path, form, &key).await
    }

    /// `post_form` with the caller's idempotency key: the same key and form make one object at
    /// Stripe however often they are sent.
    async fn post_form_keyed<T: for<'de> Deserialize<'de>>(
        &self,
        path: &str,
        form: &[(&str, String)],
        idempotency_key: &str,
    ) -> Result<T, StripeError> {
        let response = self
            .http
            .post(format!("{}{path}", self.base_url))
            .bearer_auth(&self.secret_key.0)
            .header("Idempotency-Key", idempotency_key)
            .form(form)
            .send()
            .await?;
        let status = response.status();
        let body = response.bytes().await?;
        if !status.is_success() {
            return Err(api_error(status.as_u16(), &body));
        }
        serde_json::from_slice(&body).map_err(|e| StripeError::UnexpectedResponse(e.to_string()))
    }
}

/// The form fields of a subscription Checkout Session. The tier and member go into the session's
/// metadata and into the subscription's, so every later webhook about it names them.
fn checkout_form(req: &CheckoutRequest) -> Vec<(&'static str, String)> {
    let mut form = vec![
        ("mode", "subscription".to_owned()),
        ("success_url", req.success_url.clone()),
        ("cancel_url", req.cancel_url.clone()),
        ("client_reference_id", req.member_id.clone()),
    ];
    match &req.customer_id {
        Some(customer) => form.push(("customer", customer.clone())),
        None => form.push(("customer_email", req.email.clone())),
    }
    form.push(("line_items[0][quantity]", "1".to_owned()));
    match &req.price_id {
        Some(price) => form.push(("line_items[0][price]", price.clone())),
        None => form.extend([
            ("line_items[0][price_data][currency]", req.currency.clone()),
            (
                "line_items[0][price_data][unit_amount]",
                req.unit_amount.to_string(),
            ),
            (
                "line_items[0][price_data][recurring][interval]",
                req.interval.clone(),
            ),
            (
                "line_items[0][price_data][product_data][name]",
                req.tier_name.clone(),
            ),
        ]),
    }
    if let Some(coupon) = &req.coupon {
        form.push(("discounts[0][coupon]", coupon.clone()));
    }
    if let Some(offer) = &req.offer_id {
        form.push(("metadata[offer]", offer.clone()));
        form.push(("subscription_data[metadata][offer]", offer.clone()));
    }
    form.extend([
        ("metadata[tier]", req.tier_slug.clone()),
        ("metadata[member_id]", req.member_id.clone()),
        ("subscription_data[metadata][tier]", req.tier_slug.clone()),
        (
            "subscription_data[metadata][member_id]",
            req.member_id.clone(),
        ),
    ]);
    if req.trial_days > 0 {
        form.push((
            "subscription_data[trial_period_days]",
            req.trial_days.to_string(),
        ));
    }
    form
}

/// Stripe answers errors as `{"error": {"message": …, "type": …}}`; anything else (a proxy's HTML
/// page, say) is reported by status alone, since its body may hold anything.
fn api_error(status: u16, body: &[u8]) -> StripeError {
    let error = serde_json::from_slice::<ErrorBody>(body)
        .ok()
        .map(|body| body.error);
    let (message, kind) = error.map_or((None, None), |e| (e.message, e.kind));
    StripeError::Api {
        status,
        kind: kind.unwrap_or_else(|| "unknown_error".to_owned()),
        message: message
            .unwrap_or_else(|| format!("Stripe answered HTTP {status} without an error message")),
    }
}

pub mod catalog;
mod subscriptions;

pub use subscriptions::StripeSubscription;

#[cfg(test)]
mod tests;

//! Paying: Stripe Checkout and the Billing Portal for members (redirects to Stripe; nothing is
//! written), and Stripe's webhooks: verified and parsed here, applied by `ops::billing`.

use super::AppError;
use super::member_form::MemberForm;
use super::reader::Reader;
use crate::billing::stripe::{CheckoutRequest, StripeClient, StripeError};
use crate::billing::webhook;
use crate::members::session::CurrentMember;
use crate::ops::billing;
use crate::state::AppState;
use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use chrono::Utc;
use domain::billing::SubscriptionStatus;
use domain::{Cadence, Offer, OfferKind};
use serde::Deserialize;
use store::TierEntry;

#[derive(Deserialize)]
pub struct CheckoutQuery {
    #[serde(default)]
    tier: String,
    #[serde(default)]
    cadence: String,
    /// An offer's code: its tier, cadence and coupon (or trial) replace the others.
    #[serde(default)]
    offer: String,
}

pub(crate) fn client(state: &AppState) -> Option<StripeClient> {
    StripeClient::configured(state.config.stripe.as_ref())
}

pub(crate) fn redirect(to: &str) -> Response {
    ([(header::CACHE_CONTROL, "no-store")], Redirect::to(to)).into_response()
}

/// `sale`'s answers that are not places to go: no such tier for sale (404), a bad cadence (400).
const NO_TIER: &str = "";
const BAD_CADENCE: &str = "cadence";

/// What Checkout sells: a tier at a cadence, perhaps through an offer.
struct Sale {
    tier: TierEntry,
    cadence: Cadence,
    offer: Option<Offer>,
}

/// GET /members/checkout?tier=…&cadence=month|year[&offer=CODE]: to Stripe Checkout for a
/// signed-in member. An offer that is archived or unknown goes back to its landing page, which
/// says it has ended: it never reaches Checkout.
pub async fn checkout(
    State(state): State<AppState>,
    reader: Reader,
    Query(q): Query<CheckoutQuery>,
) -> Result<Response, AppError> {
    let sale = match sale(&state, &q).await {
        Ok(sale) => sale,
        Err(to) if to == NO_TIER => return Err(AppError::NotFound),
        Err(to) if to == BAD_CADENCE => {
            return Err(AppError::BadRequest {
                code: "cadence",
                message: "cadence must be month or year".into(),
            });
        }
        Err(to) => return Ok(redirect(&to)),
    };
    let Some(current) = &reader.member else {
        return Ok(redirect(&match &sale.offer {
            Some(o) => format!("/offers/{}/", urlencode(o.code.as_str())),
            None => format!("/signup/?tier={}", urlencode(&q.tier)),
        }));
    };
    let Some(stripe) = client(&state) else {
        return Err(AppError::BadRequest {
            code: "payments_not_configured",
            message: "Online payments are not configured on this site yet.".into(),
        });
    };
    let request = checkout_request(&state, current, &sale);
    let url = stripe
        .create_checkout_session(&request)
        .await
        .map_err(stripe_failed)?;
    Ok(redirect(&url))
}

/// The tier, cadence and offer a checkout link names; `Err` is where to send the reader
/// instead (an offer that has ended, to its page).
async fn sale(state: &AppState, q: &CheckoutQuery) -> Result<Sale, String> {
    let offer_page = || format!("/offers/{}/", urlencode(q.offer.trim()));
    let (slug, cadence, offer) = if q.offer.trim().is_empty() {
        let cadence = match q.cadence.as_str() {
            "" => Ok(Cadence::Month),
            other => Cadence::parse(other),
        };
        (
            q.tier.clone(),
            cadence.map_err(|_| BAD_CADENCE.to_owned())?,
            None,
        )
    } else {
        let offer = state.store.offer_by_code(&q.offer).await.ok().flatten();
        let offer = offer.filter(|o| o.active).ok_or_else(offer_page)?;
        let tier = state.store.tier_entry(&offer.tier_id).await.ok().flatten();
        let slug = tier.ok_or_else(offer_page)?.tier.slug.to_string();
        (slug, offer.cadence, Some(offer))
    };
    let tier = state.store.tier_entry_by_slug(&slug).await.ok().flatten();
    let tier = tier.filter(|t| t.tier.active && t.tier.is_paid());
    let tier = match (tier, &offer) {
        (Some(t), _) => t,
        (None, Some(_)) => return Err(offer_page()),
        (None, None) => return Err(NO_TIER.to_owned()),
    };
    Ok(Sale {
        tier,
        cadence,
        offer,
    })
}

fn checkout_request(state: &AppState, current: &CurrentMember, sale: &Sale) -> CheckoutRequest {
    let base = &state.config.public_url;
    let tier = &sale.tier.tier;
    let trial = match sale.offer.as_ref().map(|o| &o.kind) {
        Some(OfferKind::Trial(days)) => *days,
        _ => tier.trial_days,
    };
    CheckoutRequest {
        member_id: current.member.id.clone(),
        email: current.member.email.to_string(),
        customer_id: current.member.stripe_customer_id.clone(),
        tier_slug: tier.slug.to_string(),
        tier_name: tier.name.clone(),
        unit_amount: crate::ops::tiers::amount(tier, sale.cadence),
        currency: tier.currency.clone(),
        interval: sale.cadence.as_str().into(),
        trial_days: trial,
        price_id: sale.tier.stripe.price(sale.cadence).map(|p| p.id.clone()),
        coupon: sale.offer.as_ref().and_then(|o| o.stripe_coupon_id.clone()),
        offer_id: sale.offer.as_ref().map(|o| o.id.clone()),
        success_url: format!("{base}/account/?done=welcome"),
        cancel_url: match &sale.offer {
            Some(o) => format!("{base}/offers/{}/", urlencode(o.code.as_str())),
            None => format!("{base}/signup/?tier={}", tier.slug),
        },
    }
}

/// POST /members/billing-portal: to Stripe's Billing Portal for the member's customer.
pub async fn portal(
    State(state): State<AppState>,
    reader: Reader,
    axum::Form(f): axum::Form<MemberForm>,
) -> Result<Response, AppError> {
    reader.check_csrf(&f.csrf)?;
    let customer = reader
        .member
        .as_ref()
        .and_then(|c| c.member.stripe_customer_id.clone());
    let (Some(customer), Some(stripe)) = (customer, client(&state)) else {
        return Ok(redirect("/account/"));
    };
    let url = portal_session(&state, &stripe, &customer)
        .await
        .map_err(stripe_failed)?;
    Ok(redirect(&url))
}

/// A Billing Portal session for the member's Stripe `customer` (where they change or cancel
/// their subscription), returning to the account page: its address.
pub(crate) async fn portal_session(
    state: &AppState,
    stripe: &StripeClient,
    customer: &str,
) -> Result<String, StripeError> {
    let back = format!("{}/account/", state.config.public_url);
    stripe.create_portal_session(customer, &back).await
}

/// The member's Stripe customer when they pay through Stripe now (a subscription that is
/// active, trialing or past due) and this site takes payments.
pub(crate) fn paying_customer(state: &AppState, current: &CurrentMember) -> Option<String> {
    let sub = current.subscription.as_ref()?;
    let paying = matches!(
        sub.status,
        SubscriptionStatus::Active | SubscriptionStatus::Trialing | SubscriptionStatus::PastDue
    );
    if !paying || sub.stripe_subscription_id.is_none() || state.config.stripe.is_none() {
        return None;
    }
    current.member.stripe_customer_id.clone()
}

/// POST /webhooks/stripe: verified, idempotent by event id, applied in Stripe's order whatever
/// the order of delivery or of concurrent commits (`billing::apply`).
pub async fn webhook(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, AppError> {
    let Some(stripe) = state.config.stripe.as_ref() else {
        return Err(AppError::NotFound);
    };
    let secrets: Vec<String> = stripe
        .webhook_secrets
        .iter()
        .map(|s| s.expose().to_owned())
        .collect();
    let signature = headers
        .get("stripe-signature")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let now = Utc::now();
    if let Err(err) = webhook::verify(
        signature,
        &body,
        &secrets,
        now,
        chrono::Duration::minutes(5),
    ) {
        tracing::warn!(error = %err, "rejected a Stripe webhook");
        return Ok((
            StatusCode::BAD_REQUEST,
            [(header::CACHE_CONTROL, "no-store")],
            err.to_string(),
        )
            .into_response());
    }
    let event = match webhook::parse(&body) {
        Ok(event) => event,
        Err(err) => {
            return Ok((
                StatusCode::BAD_REQUEST,
                [(header::CACHE_CONTROL, "no-store")],
                err.to_string(),
            )
                .into_response());
        }
    };
    let offer = crate::billing::offer_meta::offer_of(&body);
    let applied =
        billing::apply_stripe_event_with_offer(&state.ops(), &event, offer.as_deref(), now).await?;
    tracing::info!(stripe.event = %event.id, fresh = applied.fresh, changed = applied.after.is_some(), "Stripe webhook");
    Ok((
        [(header::CACHE_CONTROL, "no-store")],
        if applied.fresh {
            "applied"
        } else {
            "already applied"
        },
    )
        .into_response())
}

/// A Stripe API call that failed: logged, and a 500 for the member.
fn stripe_failed(err: StripeError) -> AppError {
    AppError::internal(err)
}

pub(crate) fn urlencode(s: &str) -> String {
    form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

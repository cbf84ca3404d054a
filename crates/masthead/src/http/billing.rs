//! Paying: Stripe Checkout and the Billing Portal for members (redirects to Stripe; nothing is
//! written), and Stripe's webhooks: verified and parsed here, applied by `ops::billing`.

use super::AppError;
use super::member_form::MemberForm;
use super::reader::Reader;
use crate::billing::stripe::{CheckoutRequest, StripeClient, StripeError};
use crate::billing::webhook;
use crate::ops::billing;
use crate::state::AppState;
use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use chrono::Utc;
use serde::Deserialize;

#[derive(Deserialize)]
pub struct CheckoutQuery {
    #[serde(default)]
    tier: String,
    #[serde(default)]
    cadence: String,
}

fn client(state: &AppState) -> Option<StripeClient> {
    let stripe = state.config.stripe.as_ref()?;
    Some(StripeClient::new(
        &stripe.api_base,
        stripe.secret_key.expose(),
    ))
}

fn redirect(to: &str) -> Response {
    ([(header::CACHE_CONTROL, "no-store")], Redirect::to(to)).into_response()
}

/// GET /members/checkout?tier=…&cadence=month|year: to Stripe Checkout for a signed-in member.
pub async fn checkout(
    State(state): State<AppState>,
    reader: Reader,
    Query(q): Query<CheckoutQuery>,
) -> Result<Response, AppError> {
    let Some(current) = &reader.member else {
        return Ok(redirect(&format!("/signup/?tier={}", urlencode(&q.tier))));
    };
    let tier = state
        .store
        .tier_by_slug(&q.tier)
        .await?
        .filter(|t| t.active && t.is_paid())
        .ok_or(AppError::NotFound)?;
    let yearly = match q.cadence.as_str() {
        "year" => true,
        "month" | "" => false,
        _ => {
            return Err(AppError::BadRequest {
                code: "cadence",
                message: "cadence must be month or year".into(),
            });
        }
    };
    let Some(stripe) = client(&state) else {
        return Err(AppError::BadRequest {
            code: "payments_not_configured",
            message: "Online payments are not configured on this site yet.".into(),
        });
    };
    let base = &state.config.public_url;
    let request = CheckoutRequest {
        member_id: current.member.id.clone(),
        email: current.member.email.to_string(),
        customer_id: current.member.stripe_customer_id.clone(),
        tier_slug: tier.slug.to_string(),
        tier_name: tier.name.clone(),
        unit_amount: if yearly {
            tier.yearly_price
        } else {
            tier.monthly_price
        },
        currency: tier.currency.clone(),
        interval: if yearly { "year" } else { "month" }.into(),
        trial_days: tier.trial_days,
        success_url: format!("{base}/account/?done=welcome"),
        cancel_url: format!("{base}/signup/?tier={}", tier.slug),
    };
    let url = stripe
        .create_checkout_session(&request)
        .await
        .map_err(stripe_failed)?;
    Ok(redirect(&url))
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
    let url = stripe
        .create_portal_session(&customer, &format!("{}/account/", state.config.public_url))
        .await
        .map_err(stripe_failed)?;
    Ok(redirect(&url))
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
    let applied = billing::apply_stripe_event(&state.ops(), &event, now).await?;
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

fn urlencode(s: &str) -> String {
    form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

//! The member's cancel step, `/account/cancel/`: before Stripe's Billing Portal (where a
//! subscription is cancelled), a paying member whose tier has an active retention offer sees
//! it and may accept it (`ops::offers::accept_retention`: the coupon goes onto their Stripe
//! subscription and counts as one redemption). Without an offer, or after "No thanks", the
//! member goes on to the Billing Portal as "Manage billing" sends them.

use super::AppError;
use super::billing::{client, paying_customer, portal_session, redirect};
use super::member_form::MemberForm;
use super::members::page;
use super::reader::Reader;
use crate::members::session::CurrentMember;
use crate::ops::offers::{self, RetentionError};
use crate::state::AppState;
use axum::extract::{Form, State};
use axum::response::Response;
use domain::Offer;
use serde_json::{Value, json};

const SIGN_IN: &str = "/signin/?redirect=/account/cancel/";
const PROVIDER_DOWN: &str = "We could not reach our payment provider, so nothing has changed. \
     Please try again in a few minutes.";

/// GET /account/cancel/: the retention offer, or straight on to the Billing Portal.
pub async fn page_or_portal(
    State(state): State<AppState>,
    reader: Reader,
) -> Result<Response, AppError> {
    let Some(current) = reader.member.clone() else {
        return Ok(redirect(SIGN_IN));
    };
    let Some(customer) = paying_customer(&state, &current) else {
        return Ok(redirect("/account/"));
    };
    if let Some(offer) = offer_not_taken(&state, &current).await? {
        return show(&state, reader, Some(&offer), None).await;
    }
    to_portal(&state, reader, &customer).await
}

/// POST /account/cancel/accept: the member stays with their tier's retention offer.
pub async fn accept(
    State(state): State<AppState>,
    reader: Reader,
    Form(f): Form<MemberForm>,
) -> Result<Response, AppError> {
    reader.check_csrf(&f.csrf)?;
    let Some(current) = reader.member.clone() else {
        return Ok(redirect(SIGN_IN));
    };
    let (Some(_), Some(stripe)) = (paying_customer(&state, &current), client(&state)) else {
        return Ok(redirect("/account/"));
    };
    match offers::accept_retention(&state.ops(), &stripe, &current.member.id).await {
        Ok(offer) => {
            tracing::info!(member.id = %current.member.id, offer.id = %offer.id, "member accepted a retention offer");
            Ok(redirect("/account/?done=stayed"))
        }
        Err(RetentionError::NoOffer) => {
            let error = RetentionError::NoOffer.to_string();
            show(&state, reader, None, Some(error)).await
        }
        Err(RetentionError::Stripe(err)) => {
            tracing::warn!(member.id = %current.member.id, error = %err, "a retention offer did not reach Stripe");
            let offer = offer_not_taken(&state, &current).await?;
            show(
                &state,
                reader,
                offer.as_ref(),
                Some(PROVIDER_DOWN.to_owned()),
            )
            .await
        }
        Err(RetentionError::Ops(err)) => Err(AppError::internal(err)),
    }
}

/// The active retention offer of the member's tier, unless their subscription already has it.
async fn offer_not_taken(
    state: &AppState,
    current: &CurrentMember,
) -> Result<Option<Offer>, AppError> {
    let Some(sub) = &current.subscription else {
        return Ok(None);
    };
    let Some(offer) = offers::retention_offer_for(&state.ops(), &sub.tier).await? else {
        return Ok(None);
    };
    let taken = state.store.subscription_offer(&current.member.id).await?;
    Ok((taken.as_deref() != Some(offer.id.as_str())).then_some(offer))
}

/// To the Billing Portal; if Stripe does not answer, the cancel page says so.
async fn to_portal(state: &AppState, reader: Reader, customer: &str) -> Result<Response, AppError> {
    let Some(stripe) = client(state) else {
        return Ok(redirect("/account/"));
    };
    match portal_session(state, &stripe, customer).await {
        Ok(url) => Ok(redirect(&url)),
        Err(err) => {
            tracing::warn!(error = %err, "a Billing Portal session failed");
            show(state, reader, None, Some(PROVIDER_DOWN.to_owned())).await
        }
    }
}

/// The cancel page: the offer (if any) and the way on to the Billing Portal.
async fn show(
    state: &AppState,
    reader: Reader,
    offer: Option<&Offer>,
    error: Option<String>,
) -> Result<Response, AppError> {
    let data = json!({ "retention": offer.map_or(Value::Null, offer_json) });
    page(
        state,
        reader,
        "cancel",
        "Cancel subscription",
        None,
        error,
        data,
    )
    .await
}

fn offer_json(o: &Offer) -> Value {
    json!({
        "title": o.display_title.trim(),
        "description": o.display_description.trim(),
        "summary": o.summary(),
    })
}

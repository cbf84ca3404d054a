//! `/offers/{code}/`: an offer's landing page in the site's theme (`offer.hbs`). It shows what
//! the offer gives and leads through sign-up (the emailed link returns here) to Checkout with
//! the offer (`/members/checkout?offer=CODE`). An archived offer answers 410 and an unknown one
//! 404, both with a page saying the offer has ended and no way to Checkout.

use super::AppError;
use super::billing::urlencode;
use super::members::page;
use super::reader::Reader;
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use domain::Offer;
use serde_json::{Value, json};

/// GET /offers/{code}/.
pub async fn landing(
    State(state): State<AppState>,
    reader: Reader,
    Path(code): Path<String>,
) -> Result<Response, AppError> {
    let offer = state.store.offer_by_code(&code).await?;
    let shown = match &offer {
        Some(o) if o.active => offer_json(&state, o).await?,
        _ => Value::Null,
    };
    let status = match &offer {
        None => StatusCode::NOT_FOUND,
        Some(o) if !o.active => StatusCode::GONE,
        Some(_) => StatusCode::OK,
    };
    let title = if shown.is_null() {
        "Offer ended"
    } else {
        "Offer"
    };
    let data = json!({ "offer": shown, "payments_configured": state.config.stripe.is_some() });
    let mut response = page(&state, reader, "offer", title, None, None, data).await?;
    *response.status_mut() = status;
    Ok(response)
}

/// What the page shows of an active offer; `Null` when its tier is no longer for sale.
async fn offer_json(state: &AppState, o: &Offer) -> Result<Value, AppError> {
    let Some(tier) = state.store.tier_entry(&o.tier_id).await? else {
        return Ok(Value::Null);
    };
    let tier = tier.tier;
    if !tier.active {
        return Ok(Value::Null);
    }
    let code = urlencode(o.code.as_str());
    let title = if o.display_title.trim().is_empty() {
        o.name.clone()
    } else {
        o.display_title.clone()
    };
    Ok(json!({
        "title": title,
        "description": o.display_description,
        "summary": o.summary(),
        "tier_name": tier.name,
        "price": tier.price_label(o.cadence == domain::Cadence::Year),
        "url": format!("/offers/{code}/"),
        "checkout_url": format!("/members/checkout?offer={code}"),
    }))
}

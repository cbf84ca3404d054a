//! The Admin API's offers: browse, read, add, edit, in Ghost's offer shape. Writes go through
//! `ops::offers` (checks, audit, the Stripe Coupon). As in Ghost, an edit may change the name,
//! code, display title and description and the status; the terms (type, amount, cadence,
//! duration, tier) are fixed once the offer exists, and an edit that changes them is refused.

use super::admin_auth::AdminKey;
use super::envelope;
use super::error::GhostError;
use crate::ghost::shapes;
use crate::http::billing::client;
use crate::http::extract::Segments;
use crate::ops::offers::{self, OfferEdit};
use crate::ops::staff::Actor;
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use domain::{Cadence, InvalidInput, Offer, OfferCode, OfferDuration, OfferKind};
use serde::Deserialize;
use serde_json::{Value, json};

type Reply = Result<Response, GhostError>;

/// An offer as Ghost's clients send it; a fixed `amount` is in the currency's minor unit.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct OfferInput {
    name: Option<String>,
    code: Option<String>,
    display_title: Option<String>,
    display_description: Option<String>,
    #[serde(rename = "type")]
    kind: Option<String>,
    cadence: Option<String>,
    amount: Option<u32>,
    duration: Option<String>,
    duration_in_months: Option<u32>,
    currency: Option<String>,
    status: Option<String>,
    tier: Option<TierRef>,
}

#[derive(Deserialize)]
pub struct TierRef {
    id: String,
}

#[allow(clippy::needless_pass_by_value, reason = "used as map_err(invalid)")]
fn invalid(e: InvalidInput) -> GhostError {
    GhostError::validation(&e.0)
}

impl OfferInput {
    fn active(&self) -> Result<Option<bool>, GhostError> {
        match self.status.as_deref().map(str::trim) {
            None => Ok(None),
            Some("active") => Ok(Some(true)),
            Some("archived") => Ok(Some(false)),
            Some(other) => Err(GhostError::validation(&format!(
                "The status {other:?} is neither active nor archived."
            ))),
        }
    }

    fn code(&self) -> Result<Option<OfferCode>, GhostError> {
        self.code
            .as_deref()
            .map(|c| OfferCode::parse(c).map_err(invalid))
            .transpose()
    }

    /// A new offer; a fixed discount's currency defaults to the tier's.
    fn offer(&self, tier_currency: &str) -> Result<Offer, GhostError> {
        let required = |field: &Option<String>, name: &str| {
            field
                .clone()
                .ok_or_else(|| GhostError::validation(&format!("An offer needs a {name}.")))
        };
        let currency = self.currency.as_deref().unwrap_or(tier_currency);
        let kind = OfferKind::parse(
            &required(&self.kind, "type")?,
            self.amount.unwrap_or_default(),
            Some(currency),
        )
        .map_err(invalid)?;
        let duration = match kind {
            OfferKind::Trial(_) => OfferDuration::Once,
            _ => OfferDuration::parse(
                self.duration.as_deref().unwrap_or("once"),
                self.duration_in_months,
            )
            .map_err(invalid)?,
        };
        Ok(Offer {
            id: crate::compose::new_id(),
            name: required(&self.name, "name")?.trim().to_owned(),
            code: self
                .code()?
                .ok_or_else(|| GhostError::validation("An offer needs a code."))?,
            display_title: self.display_title.clone().unwrap_or_default(),
            display_description: self.display_description.clone().unwrap_or_default(),
            kind,
            tier_id: self.tier.as_ref().map(|t| t.id.clone()).unwrap_or_default(),
            cadence: Cadence::parse(self.cadence.as_deref().unwrap_or("month")).map_err(invalid)?,
            duration,
            active: true,
            retention: false,
            stripe_coupon_id: None,
            redemptions: 0,
        })
    }

    /// Whether the input names terms other than the stored offer's.
    fn changes_terms(&self, o: &Offer) -> bool {
        let differs = |given: Option<&str>, stored: &str| given.is_some_and(|g| g.trim() != stored);
        differs(self.kind.as_deref(), o.kind.as_str())
            || self.amount.is_some_and(|a| a != o.kind.amount())
            || differs(self.cadence.as_deref(), o.cadence.as_str())
            || differs(self.duration.as_deref(), o.duration.as_str())
            || self.tier.as_ref().is_some_and(|t| t.id != o.tier_id)
    }
}

pub async fn browse(_: AdminKey, State(state): State<AppState>) -> Reply {
    let tiers = state.store.tiers().await?;
    let offers: Vec<Value> = state
        .store
        .offers()
        .await?
        .iter()
        .map(|o| shapes::offer(o, tiers.iter().find(|t| t.id == o.tier_id)))
        .collect();
    Ok(Json(json!({ "offers": offers })).into_response())
}

pub async fn read(
    _: AdminKey,
    State(state): State<AppState>,
    Segments(id): Segments<String>,
) -> Reply {
    Ok(one(&state, &id).await?.into_response())
}

pub async fn add(_: AdminKey, State(state): State<AppState>, body: envelope::Body) -> Reply {
    let input: OfferInput = envelope::one(body, &["offers"], "offer")?;
    let tier_id = input.tier.as_ref().map_or("", |t| t.id.as_str());
    let tier = state.store.tier_entry(tier_id).await?.ok_or_else(|| {
        GhostError::validation("An offer needs the id of an active paid tier: tier.id.")
    })?;
    let offer = input.offer(&tier.tier.currency)?;
    let archived = input.active()? == Some(false);
    let stripe = client(&state);
    offers::add(&state.ops(), Actor::Console, stripe.as_ref(), &offer).await?;
    if archived {
        offers::archive(&state.ops(), Actor::Console, &offer.id).await?;
    }
    Ok((StatusCode::CREATED, one(&state, &offer.id).await?).into_response())
}

pub async fn edit(
    _: AdminKey,
    State(state): State<AppState>,
    Segments(id): Segments<String>,
    body: envelope::Body,
) -> Reply {
    let input: OfferInput = envelope::one(body, &["offers"], "offer")?;
    let before = found(&state, &id).await?;
    if input.changes_terms(&before) {
        return Err(GhostError::validation(
            "An offer's type, amount, cadence, duration and tier cannot change once it is made; add a new offer instead.",
        ));
    }
    let edit = OfferEdit {
        name: input.name.clone(),
        code: input.code()?,
        display_title: input.display_title.clone(),
        display_description: input.display_description.clone(),
        active: input.active()?,
        retention: None,
    };
    let stripe = client(&state);
    offers::edit(&state.ops(), Actor::Console, stripe.as_ref(), &id, edit).await?;
    Ok(one(&state, &id).await?.into_response())
}

async fn found(state: &AppState, id: &str) -> Result<Offer, GhostError> {
    state
        .store
        .offer_by_id(id)
        .await?
        .ok_or_else(|| GhostError::not_found("Offer"))
}

/// `{"offers":[…]}` with the stored offer `id`.
async fn one(state: &AppState, id: &str) -> Result<Json<Value>, GhostError> {
    let offer = found(state, id).await?;
    let tier = state.store.tier_entry(&offer.tier_id).await?;
    let shaped = shapes::offer(&offer, tier.as_ref().map(|e| &e.tier));
    Ok(Json(json!({ "offers": [shaped] })))
}

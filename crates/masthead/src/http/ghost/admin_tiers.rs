//! The Admin API's tiers: browse, read, add, edit. Ghost deletes no tier: `"active": false`
//! archives one. Writes go through `ops::tiers`, with the console's checks, audit and Stripe
//! sync; `visibility` is whether the tier is on the sign-up page (`public` or `none`).

use super::admin_auth::AdminKey;
use super::envelope;
use super::error::GhostError;
use crate::ghost::params::{MAX_LIMIT, Params, pagination};
use crate::ghost::shapes;
use crate::http::billing::client;
use crate::http::extract::Segments;
use crate::ops::staff::Actor;
use crate::ops::tiers::{self, TierChanges};
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use domain::Slug;
use serde::Deserialize;
use serde_json::json;
use store::TierEntry;

type Reply = Result<Response, GhostError>;

/// A tier as Ghost's clients send it; prices in the currency's minor unit (cents). Fields
/// Ghost computes (`type`, `welcome_page_url`, …) are ignored.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct TierInput {
    name: Option<String>,
    slug: Option<String>,
    description: Option<String>,
    benefits: Option<Vec<String>>,
    monthly_price: Option<u32>,
    yearly_price: Option<u32>,
    currency: Option<String>,
    visibility: Option<String>,
    trial_days: Option<u32>,
    active: Option<bool>,
}

impl TierInput {
    /// The changes this input asks for; `active` is left to the caller.
    fn changes(self) -> Result<TierChanges, GhostError> {
        let visible = match self.visibility.as_deref().map(str::trim) {
            None => None,
            Some("public") => Some(true),
            Some("none") => Some(false),
            Some(other) => {
                return Err(GhostError::validation(&format!(
                    "The visibility {other:?} is neither public nor none."
                )));
            }
        };
        let slug = match self.slug.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(s) => Some(Slug::parse(s).map_err(|e| GhostError::validation(&e.0))?),
        };
        Ok(TierChanges {
            name: self.name,
            slug,
            description: self.description,
            benefits: self.benefits,
            monthly_price: self.monthly_price,
            yearly_price: self.yearly_price,
            currency: self.currency,
            trial_days: self.trial_days,
            visible,
            sort_order: None,
            active: None,
        })
    }
}

pub async fn browse(_: AdminKey, State(state): State<AppState>) -> Reply {
    let entries = state.store.tier_entries().await?;
    let tiers: Vec<_> = entries.iter().map(shapes::tier_entry).collect();
    let params = Params {
        limit: MAX_LIMIT,
        page: 1,
        ..Params::default()
    };
    let meta = pagination(&params, tiers.len() as u64);
    Ok(Json(json!({ "tiers": tiers, "meta": meta })).into_response())
}

pub async fn read(
    _: AdminKey,
    State(state): State<AppState>,
    Segments(id): Segments<String>,
) -> Reply {
    let entry = found(&state, &id).await?;
    Ok(one(&entry).into_response())
}

pub async fn add(_: AdminKey, State(state): State<AppState>, body: envelope::Body) -> Reply {
    let input: TierInput = envelope::one(body, &["tiers"], "tier")?;
    let active = input.active;
    let mut changes = input.changes()?;
    changes.active = active;
    let entry = changes.new_entry(crate::compose::new_id());
    let stripe = client(&state);
    tiers::add(&state.ops(), Actor::Console, stripe.as_ref(), &entry).await?;
    let saved = found(&state, &entry.tier.id).await?;
    Ok((StatusCode::CREATED, one(&saved)).into_response())
}

pub async fn edit(
    _: AdminKey,
    State(state): State<AppState>,
    Segments(id): Segments<String>,
    body: envelope::Body,
) -> Reply {
    let input: TierInput = envelope::one(body, &["tiers"], "tier")?;
    let before = found(&state, &id).await?;
    let was_active = before.tier.active;
    let active = input.active;
    let mut changes = input.changes()?;
    // Archiving has its own use case (it refuses the free tier); reactivating is an edit.
    changes.active = active.filter(|a| *a);
    let stripe = client(&state);
    let ops = state.ops();
    let after = changes.apply(before.clone());
    // An archive alone is no edit: nothing is written (or audited) unless a field changed.
    if after != before {
        tiers::edit(&ops, Actor::Console, stripe.as_ref(), &after).await?;
    }
    if active == Some(false) && was_active {
        tiers::archive(&ops, Actor::Console, stripe.as_ref(), &id).await?;
    }
    Ok(one(&found(&state, &id).await?).into_response())
}

async fn found(state: &AppState, id: &str) -> Result<TierEntry, GhostError> {
    state
        .store
        .tier_entry(id)
        .await?
        .ok_or_else(|| GhostError::not_found("Tier"))
}

fn one(entry: &TierEntry) -> Json<serde_json::Value> {
    Json(json!({ "tiers": [shapes::tier_entry(entry)] }))
}

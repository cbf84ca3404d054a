//! The Admin API's read-only site resources: `settings/` (as Ghost's list of key/value pairs,
//! only the settings `masthead settings` documents: never the signing key) and `tiers/`.

use super::admin_auth::AdminKey;
use super::error::GhostError;
use crate::ghost::params::{MAX_LIMIT, Params, pagination};
use crate::ghost::shapes;
use crate::http::extract::Segments;
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use serde_json::{Value, json};

type Reply = Result<Json<Value>, GhostError>;

pub async fn settings(_: AdminKey, State(state): State<AppState>) -> Reply {
    let stored = state.store.settings().await?;
    let settings: Vec<Value> = crate::settings::shown(&stored)
        .map(|(setting, value)| json!({ "key": setting.key, "value": value }))
        .collect();
    Ok(Json(json!({ "settings": settings, "meta": {} })))
}

pub async fn tiers(_: AdminKey, State(state): State<AppState>) -> Reply {
    let tiers: Vec<Value> = state
        .store
        .tiers()
        .await?
        .iter()
        .map(shapes::tier)
        .collect();
    let params = Params {
        limit: MAX_LIMIT,
        page: 1,
        ..Params::default()
    };
    let total = tiers.len() as u64;
    Ok(Json(
        json!({ "tiers": tiers, "meta": pagination(&params, total) }),
    ))
}

pub async fn tier(
    _: AdminKey,
    State(state): State<AppState>,
    Segments(id): Segments<String>,
) -> Reply {
    let tiers = state.store.tiers().await?;
    let tier = tiers
        .iter()
        .find(|t| t.id == id)
        .ok_or_else(|| GhostError::not_found("Tier"))?;
    Ok(Json(json!({ "tiers": [shapes::tier(tier)] })))
}

//! The Admin API's read-only site resource `settings/` (as Ghost's list of key/value pairs,
//! only the settings `masthead settings` documents: never the signing key).

use super::admin_auth::AdminKey;
use super::error::GhostError;
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

//! The Admin API's webhooks: add, edit, delete (Ghost has no browse; we answer one, cheap, for
//! tools that list hooks). Events come from an allow-list (`domain::WebhookEvent`), targets
//! must be http or https URLs (`domain::TargetUrl`), and not visibly inside the server's own
//! networks unless `webhook_allow_private` is set; anything else is Ghost's 422.

use super::admin_auth::AdminKey;
use super::envelope;
use super::error::GhostError;
use crate::http::extract::Segments;
use crate::ops::webhooks;
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use chrono::{SecondsFormat, Utc};
use domain::webhook::BadTargetUrl;
use domain::{TargetUrl, WebhookEvent};
use serde::Deserialize;
use serde_json::{Value, json};
use store::Webhook;

type Reply = Result<Response, GhostError>;

/// The API version hooks are recorded with when the client names none.
const API_VERSION: &str = "v6";

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct WebhookInput {
    event: Option<String>,
    target_url: Option<String>,
    name: Option<String>,
    secret: Option<String>,
    api_version: Option<String>,
    integration_id: Option<String>,
}

fn event(raw: &str) -> Result<WebhookEvent, GhostError> {
    WebhookEvent::parse(raw.trim()).ok_or_else(|| {
        let known: Vec<&str> = WebhookEvent::ALL.iter().map(|e| e.as_str()).collect();
        GhostError::validation(&format!(
            "Validation error, cannot save webhook. Unknown event {:?}; known events: {}.",
            raw,
            known.join(", ")
        ))
    })
}

fn target(raw: &str, allow_private: bool) -> Result<TargetUrl, GhostError> {
    let invalid = |e: BadTargetUrl| {
        GhostError::validation(&format!("Validation error, cannot save webhook. {e}"))
    };
    let target = TargetUrl::parse(raw).map_err(invalid)?;
    if !allow_private {
        target.check_public().map_err(invalid)?;
    }
    Ok(target)
}

fn time(t: chrono::DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Millis, true)
}

/// Ghost's webhook shape. The secret is shown, as Ghost shows it to admin integrations.
fn shape(h: &Webhook) -> Value {
    json!({
        "id": h.id,
        "event": h.event.as_str(),
        "target_url": h.target_url.as_str(),
        "name": h.name,
        "secret": h.secret,
        "api_version": h.api_version,
        "integration_id": h.integration_id,
        "status": "available",
        "last_triggered_at": h.last_triggered_at.map(time),
        "last_triggered_status": h.last_triggered_status,
        "last_triggered_error": h.last_triggered_error,
        "created_at": time(h.created_at),
        "updated_at": time(h.updated_at),
    })
}

fn nonempty(s: Option<String>) -> Option<String> {
    s.map(|s| s.trim().to_owned()).filter(|s| !s.is_empty())
}

pub async fn browse(_: AdminKey, State(state): State<AppState>) -> Reply {
    let hooks = state.store.webhooks(None).await?;
    let shaped: Vec<Value> = hooks.iter().map(shape).collect();
    Ok(Json(json!({ "webhooks": shaped })).into_response())
}

pub async fn add(_: AdminKey, State(state): State<AppState>, body: envelope::Body) -> Reply {
    let input: WebhookInput = envelope::one(body, &["webhooks"], "webhook")?;
    let Some(raw_event) = nonempty(input.event) else {
        return Err(GhostError::validation(
            "Validation error, cannot save webhook. A webhook needs an event.",
        ));
    };
    let Some(raw_target) = nonempty(input.target_url) else {
        return Err(GhostError::validation(
            "Validation error, cannot save webhook. A webhook needs a target_url.",
        ));
    };
    let now = Utc::now();
    let hook = Webhook {
        id: crate::compose::new_id(),
        event: event(&raw_event)?,
        target_url: target(&raw_target, state.config.webhook_allow_private)?,
        name: nonempty(input.name),
        secret: nonempty(input.secret),
        api_version: nonempty(input.api_version).unwrap_or_else(|| API_VERSION.into()),
        integration_id: nonempty(input.integration_id),
        created_at: now,
        updated_at: now,
        last_triggered_at: None,
        last_triggered_status: None,
        last_triggered_error: None,
    };
    webhooks::add(&state.ops(), &hook).await?;
    Ok((
        StatusCode::CREATED,
        Json(json!({ "webhooks": [shape(&hook)] })),
    )
        .into_response())
}

pub async fn edit(
    _: AdminKey,
    State(state): State<AppState>,
    Segments(id): Segments<String>,
    body: envelope::Body,
) -> Reply {
    let input: WebhookInput = envelope::one(body, &["webhooks"], "webhook")?;
    let mut hook = state
        .store
        .webhook(&id)
        .await?
        .ok_or_else(|| GhostError::not_found("Webhook"))?;
    if let Some(e) = nonempty(input.event) {
        hook.event = event(&e)?;
    }
    if let Some(t) = nonempty(input.target_url) {
        hook.target_url = target(&t, state.config.webhook_allow_private)?;
    }
    if input.name.is_some() {
        hook.name = nonempty(input.name);
    }
    if input.secret.is_some() {
        hook.secret = nonempty(input.secret);
    }
    if let Some(v) = nonempty(input.api_version) {
        hook.api_version = v;
    }
    hook.updated_at = Utc::now();
    webhooks::edit(&state.ops(), &hook).await?;
    Ok(Json(json!({ "webhooks": [shape(&hook)] })).into_response())
}

pub async fn delete(
    _: AdminKey,
    State(state): State<AppState>,
    Segments(id): Segments<String>,
) -> Reply {
    webhooks::delete(&state.ops(), &id).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

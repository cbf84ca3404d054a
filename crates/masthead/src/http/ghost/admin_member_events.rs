//! The Admin API's activity feed, `GET /members/events/?filter=data.member_id:ID`, in Ghost's
//! shape (`events: [{type, data: {…}}]` newest first, with pagination), from the member event
//! log. Only the one filter Ghost's member page uses is understood.

use super::admin_auth::AdminKey;
use super::error::GhostError;
use crate::ghost::params::{Params, pagination};
use crate::state::AppState;
use axum::Json;
use axum::extract::{RawQuery, State};
use axum::response::{IntoResponse, Response};
use domain::{ActivityKind, MemberEvent};
use serde_json::{Value, json};

/// `GET /members/events/`.
pub async fn browse(
    _: AdminKey,
    State(state): State<AppState>,
    RawQuery(q): RawQuery,
) -> Result<Response, GhostError> {
    let params = Params::parse(q.as_deref())?;
    let Some(member_id) = params
        .filter
        .strip_prefix("data.member_id:")
        .map(|id| id.trim_matches(|c| c == '\'' || c == '"'))
        .filter(|id| !id.is_empty())
    else {
        return Err(GhostError::bad_request(
            "The activity feed needs filter=data.member_id:ID.",
            "filter",
        ));
    };
    let window = params.window();
    let offset = u32::try_from(window.offset).unwrap_or(u32::MAX);
    let events = state
        .store
        .member_events(member_id, window.limit, offset)
        .await?;
    let total = state.store.count_member_events(member_id).await?;
    let shaped: Vec<Value> = events.iter().map(shape).collect();
    Ok(Json(json!({ "events": shaped, "meta": pagination(&params, total) })).into_response())
}

/// One event as Ghost's feed shows it: its type, and the data Ghost's clients read.
fn shape(e: &MemberEvent) -> Value {
    let kind = match e.kind {
        ActivityKind::SignedUp => "signup_event",
        ActivityKind::SignedIn => "login_event",
        ActivityKind::Subscribed | ActivityKind::Canceled | ActivityKind::Comped => {
            "subscription_event"
        }
        ActivityKind::PaymentFailed => "payment_event",
        ActivityKind::Unsubscribed => "newsletter_event",
        ActivityKind::EmailChanged => "email_change_event",
        ActivityKind::Gifted => "gift_event",
        ActivityKind::MeterHit => "meter_event",
    };
    json!({
        "type": kind,
        "data": {
            "id": e.id,
            "member_id": e.member_id,
            "created_at": e.at.to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
            "kind": e.kind.as_str(),
            "post_id": e.post_id,
            "tier": e.tier,
            "amount": e.amount,
            "detail": e.detail,
        }
    })
}

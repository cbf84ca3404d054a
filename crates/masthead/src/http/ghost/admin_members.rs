//! The Admin API's members: browse (newest first), read, add, edit (name, email, a comped
//! tier), delete. A paid tier given in `tiers` is a complimentary subscription, as
//! `masthead member comp` gives.

use super::admin_auth::AdminKey;
use super::envelope;
use super::error::GhostError;
use super::params::{Params, pagination};
use super::shapes;
use crate::http::extract::Segments;
use crate::state::AppState;
use crate::webhooks::emit;
use axum::Json;
use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use chrono::Utc;
use domain::{Email, Member};
use serde::Deserialize;
use serde_json::{Value, json};

type Reply = Result<Response, GhostError>;

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct MemberInput {
    email: Option<String>,
    name: Option<String>,
    tiers: Option<Vec<TierRef>>,
}

#[derive(Deserialize)]
pub struct TierRef {
    id: Option<String>,
    slug: Option<String>,
}

async fn shape(state: &AppState, m: &Member) -> Result<Value, GhostError> {
    let sub = state.store.subscription(&m.id).await?;
    let tiers = state.store.tiers().await?;
    Ok(shapes::member(m, sub.as_ref(), &tiers))
}

async fn find(state: &AppState, id: &str) -> Result<Member, GhostError> {
    state
        .store
        .member_by_id(id)
        .await?
        .ok_or_else(|| GhostError::not_found("Member"))
}

/// Comps the member to the first paid tier named in `tiers` (by id or slug).
async fn comp(state: &AppState, member: &Member, refs: &[TierRef]) -> Result<(), GhostError> {
    let tiers = state.store.tiers().await?;
    let wanted = refs.iter().find_map(|r| {
        tiers.iter().find(|t| {
            t.is_paid()
                && (r.id.as_deref() == Some(t.id.as_str())
                    || r.slug.as_deref() == Some(t.slug.as_str()))
        })
    });
    match wanted {
        Some(tier) => {
            crate::commands::comp(
                &state.store,
                member.email.as_str(),
                tier.slug.as_str(),
                None,
            )
            .await
            .map_err(GhostError::internal)?;
            // Signed-in sessions of this member get their new access class at once.
            state.cache.forget_sessions();
            Ok(())
        }
        None if refs.is_empty() => Ok(()),
        None => Err(GhostError::validation(
            "No paid tier matches the tiers given.",
        )),
    }
}

pub async fn browse(_: AdminKey, State(state): State<AppState>, RawQuery(q): RawQuery) -> Reply {
    let params = Params::parse(q.as_deref())?;
    let window = params.window();
    let members = state.store.members(window.limit, window.offset).await?;
    let total = state.store.count_members().await?;
    let mut shaped = Vec::new();
    for m in &members {
        shaped.push(shape(&state, m).await?);
    }
    Ok(Json(json!({ "members": shaped, "meta": pagination(&params, total) })).into_response())
}

pub async fn read(
    _: AdminKey,
    State(state): State<AppState>,
    Segments(id): Segments<String>,
) -> Reply {
    let m = find(&state, &id).await?;
    Ok(Json(json!({ "members": [shape(&state, &m).await?] })).into_response())
}

pub async fn add(_: AdminKey, State(state): State<AppState>, body: envelope::Body) -> Reply {
    let input: MemberInput = envelope::one(body, &["members"], "member")?;
    let email = Email::parse(input.email.as_deref().unwrap_or_default())
        .map_err(|e| GhostError::validation(&e.0))?;
    if state.store.member_by_email(&email).await?.is_some() {
        return Err(GhostError::validation("Member already exists."));
    }
    let name = input.name.clone().unwrap_or_default();
    let m = state
        .store
        .create_member(&crate::compose::new_id(), &email, &name, Utc::now())
        .await?;
    comp(&state, &m, input.tiers.as_deref().unwrap_or_default()).await?;
    emit::member_changed(&state.emitter(), None, Some(&m)).await;
    Ok((
        StatusCode::CREATED,
        Json(json!({ "members": [shape(&state, &m).await?] })),
    )
        .into_response())
}

pub async fn edit(
    _: AdminKey,
    State(state): State<AppState>,
    Segments(id): Segments<String>,
    body: envelope::Body,
) -> Reply {
    let input: MemberInput = envelope::one(body, &["members"], "member")?;
    let mut m = find(&state, &id).await?;
    let before = emit::member_snapshot(&state.emitter(), &m).await;
    if let Some(name) = &input.name {
        state.store.set_member_name(&m.id, name).await?;
    }
    if let Some(raw) = &input.email {
        let email = Email::parse(raw).map_err(|e| GhostError::validation(&e.0))?;
        if email != m.email {
            if state.store.member_by_email(&email).await?.is_some() {
                return Err(GhostError::validation("Another member has that email."));
            }
            state.store.set_member_email(&m.id, &email).await?;
        }
    }
    m = find(&state, &id).await?;
    comp(&state, &m, input.tiers.as_deref().unwrap_or_default()).await?;
    emit::member_changed(&state.emitter(), before, Some(&m)).await;
    Ok(Json(json!({ "members": [shape(&state, &m).await?] })).into_response())
}

pub async fn delete(
    _: AdminKey,
    State(state): State<AppState>,
    Segments(id): Segments<String>,
) -> Reply {
    let m = find(&state, &id).await?;
    let before = emit::member_snapshot(&state.emitter(), &m).await;
    state.store.delete_member(&id).await?;
    state.cache.forget_sessions();
    emit::member_changed(&state.emitter(), before, None).await;
    Ok(StatusCode::NO_CONTENT.into_response())
}

//! The Admin API's members: browse (newest first), read, add, edit (name, email, a comped
//! tier), delete. A paid tier given in `tiers` is a complimentary subscription, as
//! `masthead member comp` gives.

use super::admin_auth::AdminKey;
use super::envelope;
use super::error::GhostError;
use crate::ghost::params::{Params, pagination};
use crate::ghost::shapes;
use crate::http::extract::Segments;
use crate::ops::members;
use crate::state::AppState;
use axum::Json;
use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use domain::{Email, Member, Slug};
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

/// The paid tier `tiers` names (the first, by id or slug) for a comp: `None` when no tiers are
/// given, a 422 when none of those named is paid.
async fn comp_tier(state: &AppState, refs: Option<&[TierRef]>) -> Result<Option<Slug>, GhostError> {
    let refs = refs.unwrap_or_default();
    let tiers = state.store.tiers().await?;
    let wanted = refs.iter().find_map(|r| {
        tiers.iter().find(|t| {
            t.is_paid()
                && (r.id.as_deref() == Some(t.id.as_str())
                    || r.slug.as_deref() == Some(t.slug.as_str()))
        })
    });
    match wanted {
        Some(tier) => Ok(Some(tier.slug.clone())),
        None if refs.is_empty() => Ok(None),
        None => Err(GhostError::validation(
            "No paid tier matches the tiers given.",
        )),
    }
}

fn email(raw: &str) -> Result<Email, GhostError> {
    Email::parse(raw).map_err(|e| GhostError::validation(&e.0))
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
    let email = email(input.email.as_deref().unwrap_or_default())?;
    if state.store.member_by_email(&email).await?.is_some() {
        return Err(GhostError::validation("Member already exists."));
    }
    let tier = comp_tier(&state, input.tiers.as_deref()).await?;
    let name = input.name.unwrap_or_default();
    let m = members::add(&state.ops(), &email, &name, tier.as_ref()).await?;
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
    let m = find(&state, &id).await?;
    let changes = members::Changes {
        email: input.email.as_deref().map(email).transpose()?,
        comp: comp_tier(&state, input.tiers.as_deref()).await?,
        name: input.name,
    };
    let m = members::edit(&state.ops(), &m, changes).await?;
    Ok(Json(json!({ "members": [shape(&state, &m).await?] })).into_response())
}

pub async fn delete(
    _: AdminKey,
    State(state): State<AppState>,
    Segments(id): Segments<String>,
) -> Reply {
    let m = find(&state, &id).await?;
    members::delete(&state.ops(), &m).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

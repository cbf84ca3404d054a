//! The Admin API's members: browse (Ghost's NQL `filter` and `search`, as the console
//! filters, newest first), read, add, edit (name, email, a comped tier, labels), delete. A paid
//! tier given in `tiers` is a complimentary subscription, as `masthead member comp` gives;
//! `labels` (names or `{name}` objects) replace the member's labels, creating missing ones.

use super::admin_auth::AdminKey;
use super::envelope;
use super::error::GhostError;
use crate::ghost::filter::{FilterError, member as member_filter};
use crate::ghost::params::{Params, pagination};
use crate::ghost::shapes;
use crate::http::extract::Segments;
use crate::ops::staff::Actor;
use crate::ops::{members, members_console};
use crate::state::AppState;
use axum::Json;
use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use domain::label::label_name;
use domain::{Email, Member, Slug};
use serde::Deserialize;
use serde_json::{Value, json};
use store::{ListedMember, MemberQuery};

type Reply = Result<Response, GhostError>;

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct MemberInput {
    email: Option<String>,
    name: Option<String>,
    tiers: Option<Vec<TierRef>>,
    labels: Option<Vec<LabelRef>>,
}

/// A label as Ghost's clients send it: a name, or an object with a name (or the id or slug of
/// an existing label).
#[derive(Deserialize)]
#[serde(untagged)]
pub enum LabelRef {
    Name(String),
    Object {
        name: Option<String>,
        id: Option<String>,
        slug: Option<String>,
    },
}

#[derive(Deserialize)]
pub struct TierRef {
    id: Option<String>,
    slug: Option<String>,
}

fn shape(listed: &ListedMember, tiers: &[domain::Tier]) -> Value {
    shapes::member(
        &listed.member,
        listed.subscription.as_ref(),
        tiers,
        &listed.labels,
    )
}

/// `{"members":[…]}` holding the member `id` as it is stored now.
async fn reply_one(state: &AppState, id: &str, status: StatusCode) -> Reply {
    let listed = state.store.listed_members(&[id.to_owned()]).await?;
    let m = listed
        .first()
        .ok_or_else(|| GhostError::not_found("Member"))?;
    let tiers = state.store.tiers().await?;
    Ok((status, Json(json!({ "members": [shape(m, &tiers)] }))).into_response())
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

/// The members `filter` and `search` select; a filter that does not parse is Ghost's 400.
fn member_query(params: &Params, raw: Option<&str>) -> Result<MemberQuery, GhostError> {
    let search = form_urlencoded::parse(raw.unwrap_or_default().as_bytes())
        .find(|(k, _)| k == "search")
        .map(|(_, v)| v.into_owned())
        .unwrap_or_default();
    member_filter::query(&params.filter, &search, chrono::Utc::now()).map_err(|FilterError(why)| {
        GhostError::bad_request("Error parsing filter", format!("{why}."))
    })
}

/// Members are listed newest first, as Ghost lists them by default; no other order is offered.
fn check_order(params: &Params) -> Result<(), GhostError> {
    let order = params.order.trim().to_lowercase();
    if order.is_empty() || order.split_whitespace().eq(["created_at", "desc"]) {
        return Ok(());
    }
    Err(GhostError::bad_request(
        "Validation error, cannot sort.",
        "Members are listed newest first only: order=created_at desc.",
    ))
}

pub async fn browse(_: AdminKey, State(state): State<AppState>, RawQuery(q): RawQuery) -> Reply {
    let params = Params::parse(q.as_deref())?;
    check_order(&params)?;
    let query = member_query(&params, q.as_deref())?;
    let total = state.store.count_member_query(&query).await?;
    let listed = state.store.member_page(&query, params.window()).await?;
    let tiers = state.store.tiers().await?;
    let shaped: Vec<Value> = listed.iter().map(|m| shape(m, &tiers)).collect();
    Ok(Json(json!({ "members": shaped, "meta": pagination(&params, total) })).into_response())
}

pub async fn read(
    _: AdminKey,
    State(state): State<AppState>,
    Segments(id): Segments<String>,
) -> Reply {
    reply_one(&state, &id, StatusCode::OK).await
}

/// The names of the labels `refs` give, checked before anything is written.
async fn label_names(
    state: &AppState,
    refs: Option<Vec<LabelRef>>,
) -> Result<Option<Vec<String>>, GhostError> {
    let Some(refs) = refs else { return Ok(None) };
    let mut names = Vec::with_capacity(refs.len());
    for r in refs {
        let name = match r {
            LabelRef::Name(name)
            | LabelRef::Object {
                name: Some(name), ..
            } => name,
            LabelRef::Object { id, slug, .. } => existing_label_name(state, id, slug).await?,
        };
        names.push(
            label_name(&name).map_err(|e| GhostError::validation(&format!("Label: {}.", e.0)))?,
        );
    }
    Ok(Some(names))
}

async fn existing_label_name(
    state: &AppState,
    id: Option<String>,
    slug: Option<String>,
) -> Result<String, GhostError> {
    let found = match (id, slug) {
        (Some(id), _) => state.store.label_by_id(&id).await?,
        (None, Some(slug)) => state.store.label_by_slug(&slug).await?,
        (None, None) => return Err(GhostError::validation("Label: a label needs a name.")),
    };
    Ok(found.ok_or_else(|| GhostError::not_found("Label"))?.name)
}

pub async fn add(_: AdminKey, State(state): State<AppState>, body: envelope::Body) -> Reply {
    let input: MemberInput = envelope::one(body, &["members"], "member")?;
    let email = email(input.email.as_deref().unwrap_or_default())?;
    if state.store.member_by_email(&email).await?.is_some() {
        return Err(GhostError::validation("Member already exists."));
    }
    let tier = comp_tier(&state, input.tiers.as_deref()).await?;
    let labels = label_names(&state, input.labels).await?;
    let name = input.name.unwrap_or_default();
    let ops = state.ops();
    let m = members::add(&ops, &email, &name, tier.as_ref()).await?;
    if let Some(names) = labels.filter(|n| !n.is_empty()) {
        members_console::set_labels(&ops, Actor::Console, &m.id, &names).await?;
    }
    reply_one(&state, &m.id, StatusCode::CREATED).await
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
    let labels = label_names(&state, input.labels).await?;
    let ops = state.ops();
    members::edit(&ops, &m, changes).await?;
    if let Some(names) = labels {
        members_console::set_labels(&ops, Actor::Console, &m.id, &names).await?;
    }
    reply_one(&state, &m.id, StatusCode::OK).await
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

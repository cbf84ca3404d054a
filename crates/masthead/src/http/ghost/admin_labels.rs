//! The Admin API's member labels (Ghost's `labels` resource): browse (by name), read, add,
//! rename (the slug stays, so saved filters keep working) and delete, each a thin caller of
//! `ops::members_console`, as the console's labels page is.

use super::admin_auth::AdminKey;
use super::envelope;
use super::error::GhostError;
use crate::ghost::params::{Params, pagination};
use crate::ghost::shapes;
use crate::http::extract::Segments;
use crate::ops::members_console;
use crate::ops::staff::Actor;
use crate::state::AppState;
use axum::Json;
use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use domain::Label;
use serde::Deserialize;
use serde_json::{Value, json};

type Reply = Result<Response, GhostError>;

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct LabelInput {
    name: Option<String>,
}

fn one(label: &Label, status: StatusCode) -> Response {
    (status, Json(json!({ "labels": [shapes::label(label)] }))).into_response()
}

async fn find(state: &AppState, id: &str) -> Result<Label, GhostError> {
    state
        .store
        .label_by_id(id)
        .await?
        .ok_or_else(|| GhostError::not_found("Label"))
}

fn name(input: LabelInput) -> Result<String, GhostError> {
    input
        .name
        .ok_or_else(|| GhostError::validation("Label: a label needs a name."))
}

/// Every label, by name (labels are few: the page is cut from the whole list). With
/// `include=count.members`, each carries `count.members`.
pub async fn browse(_: AdminKey, State(state): State<AppState>, RawQuery(q): RawQuery) -> Reply {
    let params = Params::parse(q.as_deref())?;
    if !params.filter.is_empty() {
        return Err(GhostError::bad_request(
            "Error parsing filter",
            "Labels cannot be filtered; leave out filter.",
        ));
    }
    let all = state.store.labels().await?;
    let counted = params.includes("count.members");
    let window = params.window();
    let shaped: Vec<Value> = all
        .iter()
        .skip(usize::try_from(window.offset).unwrap_or(usize::MAX))
        .take(window.limit as usize)
        .map(|l| {
            let mut v = shapes::label(&l.label);
            if counted {
                v["count"] = json!({ "members": l.members });
            }
            v
        })
        .collect();
    let total = all.len() as u64;
    Ok(Json(json!({ "labels": shaped, "meta": pagination(&params, total) })).into_response())
}

pub async fn read(
    _: AdminKey,
    State(state): State<AppState>,
    Segments(id): Segments<String>,
) -> Reply {
    Ok(one(&find(&state, &id).await?, StatusCode::OK))
}

pub async fn add(_: AdminKey, State(state): State<AppState>, body: envelope::Body) -> Reply {
    let input: LabelInput = envelope::one(body, &["labels"], "label")?;
    let label = members_console::create_label(&state.ops(), Actor::Console, &name(input)?).await?;
    Ok(one(&label, StatusCode::CREATED))
}

pub async fn edit(
    _: AdminKey,
    State(state): State<AppState>,
    Segments(id): Segments<String>,
    body: envelope::Body,
) -> Reply {
    let input: LabelInput = envelope::one(body, &["labels"], "label")?;
    members_console::rename_label(&state.ops(), Actor::Console, &id, &name(input)?).await?;
    Ok(one(&find(&state, &id).await?, StatusCode::OK))
}

pub async fn delete(
    _: AdminKey,
    State(state): State<AppState>,
    Segments(id): Segments<String>,
) -> Reply {
    members_console::delete_label(&state.ops(), Actor::Console, &id).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

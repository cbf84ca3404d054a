//! `/admin/posts/{id}/revisions/`: a post's revisions, newest first, any two compared (the
//! changed fields and a line diff of the source), and a restore that saves an old revision as
//! a new one.

use super::{AppError, check_form_csrf, edit_url, find, refused, when};
use crate::compose::Composer;
use crate::http::admin::staff::Staff;
use crate::http::extract::query_param;
use crate::ops::posts::newsroom;
use crate::ops::posts::revisions::{self, DiffLine};
use crate::state::AppState;
use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::response::{IntoResponse, Redirect, Response};
use chrono::{SecondsFormat, Utc};
use domain::{Action, Revision};
use serde_json::{Value, json};

/// How many revisions the page lists.
const SHOWN: u32 = 200;

pub async fn page(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
    RawQuery(query): RawQuery,
) -> Result<Response, AppError> {
    staff.require(Action::Browse, false)?;
    let post = find(&state, &id).await?;
    let list = state.store.revisions(&id, SHOWN).await?;
    let pick = |name: &str, default: Option<&Revision>| {
        let wanted = query_param(query.as_deref(), name);
        list.iter().find(|r| r.id == wanted).or(default).cloned()
    };
    let to = pick("to", list.first());
    let from = pick("from", list.get(1));
    let diff = match (&from, &to) {
        (Some(from), Some(to)) => diff_json(from, to),
        _ => Value::Null,
    };
    let rows: Vec<Value> = list
        .iter()
        .map(|r| {
            json!({
                "id": r.id, "number": r.number,
                "by": r.by.name.clone().unwrap_or_else(|| "A tool (API or command line)".into()),
                "at": r.created_at.to_rfc3339_opts(SecondsFormat::Secs, true), "at_label": when(r.created_at),
                "is_from": from.as_ref().is_some_and(|f| f.id == r.id),
                "is_to": to.as_ref().is_some_and(|t| t.id == r.id),
                "restore_url": format!("/admin/posts/{id}/revisions/{}/restore", r.id),
            })
        })
        .collect();
    let data = json!({
        "edit_url": edit_url(&id),
        "revisions_url": format!("/admin/posts/{id}/revisions/"),
        "revisions": rows,
        "diff": diff,
    });
    staff.page(
        "posts/revisions",
        &format!("Revisions: {}", post.title),
        data,
    )
}

fn diff_json(from: &Revision, to: &Revision) -> Value {
    let diff = revisions::diff(from, to);
    let lines: Vec<Value> = diff
        .lines
        .iter()
        .map(|l| match l {
            DiffLine::Same(t) => json!({"kind": "same", "mark": " ", "text": t}),
            DiffLine::Added(t) => json!({"kind": "added", "mark": "+", "text": t}),
            DiffLine::Removed(t) => json!({"kind": "removed", "mark": "-", "text": t}),
        })
        .collect();
    let fields: Vec<Value> = diff
        .fields
        .iter()
        .map(|c| json!({"field": c.field, "before": c.before, "after": c.after}))
        .collect();
    json!({"from": from.number, "to": to.number, "fields": fields, "lines": lines, "same": diff.is_empty()})
}

/// `POST …/revisions/{revision}/restore`.
pub async fn restore(
    State(state): State<AppState>,
    staff: Staff,
    Path((id, revision)): Path<(String, String)>,
    body: Bytes,
) -> Result<Response, AppError> {
    check_form_csrf(&staff, &body)?;
    let post = find(&state, &id).await?;
    let ops = state.ops();
    let old = revisions::revision_of(&ops, &post, &revision)
        .await
        .map_err(refused)?;
    let mut composer = Composer::new(&state.store);
    newsroom::restore(&ops, &mut composer, staff.actor(), &post, &old, Utc::now())
        .await
        .map_err(refused)?;
    Ok(Redirect::to(&format!("{}?saved=1", edit_url(&id))).into_response())
}

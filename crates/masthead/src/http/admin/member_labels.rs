//! `/admin/members/labels/`: member labels for administrators (`Action::Members`) — the list
//! with member counts and a form to add one; each label's page to rename it, merge it into
//! another and delete it (merging and deleting after a confirmation). Writes go through
//! `ops::members_console`.

use super::members_list::{Selection, plural};
use super::signin::status_of;
use super::staff::Staff;
use super::view;
use crate::http::AppError;
use crate::ops::OpsError;
use crate::ops::members_console;
use crate::state::AppState;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::{Form, Router};
use domain::{Action, Label};
use serde::Deserialize;
use serde_json::{Value, json};
use store::LabelCount;

/// The labels pages' routes (merged into the newsroom's router).
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/admin/members/labels/", get(list).post(add))
        .route("/admin/members/labels/{id}/", get(edit_page).post(rename))
        .route(
            "/admin/members/labels/{id}/merge",
            get(merge_page).post(merge),
        )
        .route(
            "/admin/members/labels/{id}/delete",
            get(delete_page).post(delete),
        )
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Notice {
    done: String,
}

/// A fixed sentence per outcome: nothing typed into the URL is shown.
fn notice(code: &str) -> Option<&'static str> {
    Some(match code {
        "added" => "Label added.",
        "renamed" => "Label renamed.",
        "merged" => "Labels merged.",
        "deleted" => "Label deleted.",
        _ => return None,
    })
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct NameForm {
    csrf: String,
    name: String,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct MergeForm {
    csrf: String,
    into: String,
}

/// `GET /admin/members/labels/`.
async fn list(
    State(state): State<AppState>,
    staff: Staff,
    Query(q): Query<Notice>,
) -> Result<Response, AppError> {
    staff.require(Action::Members, false)?;
    render_list(&state, staff, StatusCode::OK, notice(&q.done), "", None).await
}

async fn render_list(
    state: &AppState,
    staff: Staff,
    status: StatusCode,
    notice: Option<&str>,
    name: &str,
    error: Option<String>,
) -> Result<Response, AppError> {
    let rows: Vec<Value> = state.store.labels().await?.iter().map(row).collect();
    let data = json!({ "labels": rows, "notice": notice, "name": name, "error": error });
    view::page_with_status(
        staff.visitor,
        Some(&staff.user),
        status,
        "members/labels",
        "Member labels",
        data,
    )
}

fn row(l: &LabelCount) -> Value {
    let members = Selection {
        filter: format!("label:{}", l.label.slug),
        search: String::new(),
    };
    json!({
        "id": l.label.id,
        "name": l.label.name,
        "slug": l.label.slug.as_str(),
        "members": l.members,
        "members_url": members.list_url(""),
    })
}

/// `POST /admin/members/labels/`: a new label.
async fn add(
    State(state): State<AppState>,
    staff: Staff,
    Form(form): Form<NameForm>,
) -> Result<Response, AppError> {
    staff.require(Action::Members, false)?;
    staff.check_csrf(&form.csrf)?;
    match members_console::create_label(&state.ops(), staff.actor(), &form.name).await {
        Ok(_) => Ok(to_list("added")),
        Err(e) if e.is_for_reader() => {
            render_list(
                &state,
                staff,
                status_of(&e),
                None,
                &form.name,
                Some(e.to_string()),
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

/// `GET /admin/members/labels/{id}/`: rename, merge, delete.
async fn edit_page(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    staff.require(Action::Members, false)?;
    let label = found(&state, &id).await?;
    render_edit(&state, staff, &label, StatusCode::OK, &label.name, None).await
}

async fn render_edit(
    state: &AppState,
    staff: Staff,
    label: &Label,
    status: StatusCode,
    name: &str,
    error: Option<String>,
) -> Result<Response, AppError> {
    let all = state.store.labels().await?;
    let count = all
        .iter()
        .find(|l| l.label.id == label.id)
        .map_or(0, |l| l.members);
    let others: Vec<Value> = all
        .iter()
        .filter(|l| l.label.id != label.id)
        .map(row)
        .collect();
    let data = json!({
        "label": { "id": label.id, "name": label.name, "slug": label.slug.as_str() },
        "members": count,
        "name": name,
        "others": others,
        "error": error,
    });
    view::page_with_status(
        staff.visitor,
        Some(&staff.user),
        status,
        "members/label",
        &format!("Label: {}", label.name),
        data,
    )
}

/// `POST /admin/members/labels/{id}/`: a new name (the slug, and so saved filters, stay).
async fn rename(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
    Form(form): Form<NameForm>,
) -> Result<Response, AppError> {
    staff.require(Action::Members, false)?;
    staff.check_csrf(&form.csrf)?;
    let label = found(&state, &id).await?;
    match members_console::rename_label(&state.ops(), staff.actor(), &id, &form.name).await {
        Ok(()) => Ok(to_list("renamed")),
        Err(e) if e.is_for_reader() => {
            let status = status_of(&e);
            render_edit(
                &state,
                staff,
                &label,
                status,
                &form.name,
                Some(e.to_string()),
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

/// `GET /admin/members/labels/{id}/merge?into=ID`: the confirmation.
async fn merge_page(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
    Query(form): Query<MergeForm>,
) -> Result<Response, AppError> {
    staff.require(Action::Members, false)?;
    let label = found(&state, &id).await?;
    let into = match state.store.label_by_id(&form.into).await? {
        Some(into) if into.id != label.id => into,
        _ => {
            let e = "Choose another label to merge into.".to_owned();
            return render_edit(
                &state,
                staff,
                &label,
                StatusCode::BAD_REQUEST,
                &label.name,
                Some(e),
            )
            .await;
        }
    };
    let n = members_of(&state, &label).await?;
    let data = json!({
        "label": { "id": label.id, "name": label.name },
        "into": { "id": into.id, "name": into.name },
        "question": format!(
            "Merge “{}” into “{}”? Its {n} {} get “{}”, and “{}” is deleted.",
            label.name, into.name, plural(n, "member", "members"), into.name, label.name
        ),
    });
    staff.page("members/label_merge", "Merge labels", data)
}

/// `POST /admin/members/labels/{id}/merge` (`into`).
async fn merge(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
    Form(form): Form<MergeForm>,
) -> Result<Response, AppError> {
    staff.require(Action::Members, false)?;
    staff.check_csrf(&form.csrf)?;
    let label = found(&state, &id).await?;
    match members_console::merge_labels(&state.ops(), staff.actor(), &id, &form.into).await {
        Ok(()) => Ok(to_list("merged")),
        Err(e @ (OpsError::Invalid(_) | OpsError::NotFound(_))) => {
            let status = status_of(&e);
            render_edit(
                &state,
                staff,
                &label,
                status,
                &label.name,
                Some(e.to_string()),
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

/// `GET /admin/members/labels/{id}/delete`: the confirmation.
async fn delete_page(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    staff.require(Action::Members, false)?;
    let label = found(&state, &id).await?;
    let n = members_of(&state, &label).await?;
    let data = json!({
        "label": { "id": label.id, "name": label.name },
        "question": format!(
            "Delete the label “{}”? {n} {} lose it; nothing else about them changes.",
            label.name, plural(n, "member", "members")
        ),
    });
    staff.page("members/label_delete", "Delete label", data)
}

/// `POST /admin/members/labels/{id}/delete`.
async fn delete(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
    Form(form): Form<NameForm>,
) -> Result<Response, AppError> {
    staff.require(Action::Members, false)?;
    staff.check_csrf(&form.csrf)?;
    found(&state, &id).await?;
    members_console::delete_label(&state.ops(), staff.actor(), &id).await?;
    Ok(to_list("deleted"))
}

async fn found(state: &AppState, id: &str) -> Result<Label, AppError> {
    state.store.label_by_id(id).await?.ok_or(AppError::NotFound)
}

async fn members_of(state: &AppState, label: &Label) -> Result<u64, AppError> {
    let all = state.store.labels().await?;
    Ok(all
        .iter()
        .find(|l| l.label.id == label.id)
        .map_or(0, |l| l.members))
}

fn to_list(done: &str) -> Response {
    let mut r = Redirect::to(&format!("/admin/members/labels/?done={done}")).into_response();
    view::headers(&mut r);
    r
}

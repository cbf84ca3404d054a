//! A post's actions from the editor page: publish now, schedule, unpublish, delete (after a
//! confirmation page), duplicate, and making its share link. Each is a form with the CSRF
//! token; `ops::posts::newsroom` checks the role.

use super::form::PostForm;
use super::{AppError, check_form_csrf, edit_url, find, refused};
use crate::compose::Composer;
use crate::http::admin::staff::Staff;
use crate::ops::posts::{newsroom, revisions};
use crate::state::AppState;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use chrono::{NaiveDateTime, Utc};
use domain::Status;
use serde_json::json;

fn back(id: &str) -> Response {
    Redirect::to(&format!("{}?saved=1", edit_url(id))).into_response()
}

pub async fn publish(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response, AppError> {
    check_form_csrf(&staff, &body)?;
    let post = find(&state, &id).await?;
    newsroom::publish(&state.ops(), staff.actor(), &post, None, Utc::now())
        .await
        .map_err(refused)?;
    Ok(back(&id))
}

/// Schedules the post for the form's `at` (UTC), which must be in the future.
pub async fn schedule(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response, AppError> {
    check_form_csrf(&staff, &body)?;
    let raw = form_urlencoded::parse(&body)
        .find(|(k, _)| k == "at")
        .map(|(_, v)| v.into_owned())
        .unwrap_or_default();
    let now = Utc::now();
    let at = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S"]
        .iter()
        .find_map(|f| NaiveDateTime::parse_from_str(raw.trim(), f).ok())
        .map(|t| t.and_utc())
        .filter(|at| *at > now)
        .ok_or_else(|| AppError::BadRequest {
            code: "invalid",
            message: "Choose a date and time in the future to schedule for.".into(),
        })?;
    let post = find(&state, &id).await?;
    newsroom::publish(&state.ops(), staff.actor(), &post, Some(at), now)
        .await
        .map_err(refused)?;
    Ok(back(&id))
}

pub async fn unpublish(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response, AppError> {
    check_form_csrf(&staff, &body)?;
    let post = find(&state, &id).await?;
    newsroom::unpublish(&state.ops(), staff.actor(), &post, Utc::now())
        .await
        .map_err(refused)?;
    Ok(back(&id))
}

/// Asks first; deletes when the form says `confirmed=yes`.
pub async fn delete(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response, AppError> {
    check_form_csrf(&staff, &body)?;
    let post = find(&state, &id).await?;
    let confirmed = form_urlencoded::parse(&body).any(|(k, v)| k == "confirmed" && v == "yes");
    if !confirmed {
        let data = json!({
            "action": format!("/admin/posts/{id}/delete"), "ids": [], "titles": [post.title],
            "question": "Delete this post for good? It cannot be restored.",
            "confirm_label": "Delete", "cancel_url": edit_url(&id),
        });
        return staff.page("posts/confirm", "Delete", data);
    }
    newsroom::delete(&state.ops(), staff.actor(), &post, Utc::now())
        .await
        .map_err(refused)?;
    Ok(Redirect::to("/admin/posts/").into_response())
}

/// A new draft with the stored post's content.
pub async fn duplicate(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response, AppError> {
    check_form_csrf(&staff, &body)?;
    let post = find(&state, &id).await?;
    let markdown = state.store.post_source(&id).await?.unwrap_or_default();
    // The copy keeps the content and cards but not the original's address or date.
    let form = PostForm {
        slug: String::new(),
        canonical_url: String::new(),
        published_at: String::new(),
        ..PostForm::of_fields(domain::RevisionFields::of(&post), markdown)
    };
    let draft =
        form.to_draft(post.kind, Status::Draft)
            .map_err(|message| AppError::BadRequest {
                code: "invalid",
                message,
            })?;
    let mut composer = Composer::new(&state.store);
    let copy = newsroom::duplicate(
        &state.ops(),
        &mut composer,
        staff.actor(),
        &post,
        draft,
        Utc::now(),
    )
    .await
    .map_err(refused)?;
    Ok(back(&copy.id))
}

/// Makes (once) the post's private share link; the editor page then shows it.
pub async fn share(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response, AppError> {
    check_form_csrf(&staff, &body)?;
    let post = find(&state, &id).await?;
    if !newsroom::may(staff.actor(), domain::Action::Browse, &post) {
        return Err(AppError::NotFound);
    }
    revisions::share_link(&state.ops(), &id)
        .await
        .map_err(refused)?;
    Ok(back(&id))
}

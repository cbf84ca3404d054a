//! The newsroom's posts: the list (`list`), the editor page and its saves (`editor`), the
//! editor's JSON endpoints for the rich-text bundle (`live`: autosave, presence), publishing
//! and other actions (`actions`), revisions with diff and restore (`history`), previews as a
//! chosen reader (`preview`), the calendar of scheduled posts (`calendar`), and the media
//! library's pages (`library`) and uploads (`upload`, also the bundle's endpoint). Staff only;
//! every write goes through `ops::posts::newsroom`, which checks the staff user's role.

mod actions;
mod calendar;
mod editor;
pub mod form;
mod history;
mod lead;
mod library;
mod list;
mod live;
mod preview;
mod upload;

use super::AppError;
use super::admin::staff::Staff;
use crate::ops::posts::PostError;
use crate::state::AppState;
use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::handler::Handler;
use axum::routing::{get, post};
use chrono::{DateTime, Utc};
use domain::Post;

/// Where the editor's images go (the media library's upload endpoint).
pub const UPLOAD_URL: &str = "/admin/media/upload";

/// The newsroom's post routes (merged by `http::app`; paths are absolute).
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/admin/posts/", get(list::posts))
        .route("/admin/pages/", get(list::pages))
        .route("/admin/posts/bulk", post(list::bulk))
        .route("/admin/posts/calendar/", get(calendar::page))
        .route(
            "/admin/posts/new/",
            get(editor::new_page).post(editor::create.layer(DefaultBodyLimit::disable())),
        )
        .route(
            "/admin/posts/{id}/",
            get(editor::page).post(editor::save.layer(DefaultBodyLimit::disable())),
        )
        .route("/admin/posts/{id}/copy", post(editor::copy))
        .route("/admin/posts/{id}/autosave", post(live::autosave))
        .route("/admin/posts/{id}/presence", post(live::presence))
        .route("/admin/posts/{id}/publish", post(actions::publish))
        .route("/admin/posts/{id}/schedule", post(actions::schedule))
        .route("/admin/posts/{id}/unpublish", post(actions::unpublish))
        .route("/admin/posts/{id}/delete", post(actions::delete))
        .route("/admin/posts/{id}/duplicate", post(actions::duplicate))
        .route("/admin/posts/{id}/share", post(actions::share))
        .route("/admin/posts/{id}/revisions/", get(history::page))
        .route(
            "/admin/posts/{id}/revisions/{revision}/restore",
            post(history::restore),
        )
        .route("/admin/posts/{id}/preview/", get(preview::page))
        .route("/admin/posts/{id}/preview/frame", get(preview::frame))
        .merge(media_router())
}

/// The media library's routes; uploads are limited by `media_max_bytes` instead of the
/// default body limit.
fn media_router() -> Router<AppState> {
    let unlimited = || DefaultBodyLimit::disable();
    Router::new()
        .route(UPLOAD_URL, post(upload::upload).layer(unlimited()))
        .route(
            "/admin/media/",
            get(library::page).post(library::upload.layer(unlimited())),
        )
        .route("/admin/media/{id}/", get(library::item))
        .route("/admin/media/{id}/alt", post(library::alt))
        .route(
            "/admin/media/{id}/replace",
            post(library::replace).layer(unlimited()),
        )
        .route("/admin/media/{id}/delete", post(library::delete))
}

/// The post with `id`, in any status, or a 404.
async fn find(state: &AppState, id: &str) -> Result<Post, AppError> {
    state
        .store
        .posts_by_ids(&[id.to_owned()])
        .await?
        .pop()
        .ok_or(AppError::NotFound)
}

fn edit_url(id: &str) -> String {
    format!("/admin/posts/{id}/")
}

/// A refused post write as the newsroom shows it: the editor's mistakes and refusals with their
/// message, a store failure opaque.
fn refused(err: PostError) -> AppError {
    match err {
        PostError::Invalid(message) => AppError::BadRequest {
            code: "invalid",
            message,
        },
        PostError::Forbidden(message) => AppError::Forbidden {
            code: "forbidden",
            message,
        },
        PostError::NotFound => AppError::NotFound,
        PostError::Collision | PostError::Stale { .. } | PostError::AlreadySent => {
            AppError::Conflict
        }
        PostError::Store(err) => err.into(),
    }
}

/// The `csrf` field of a urlencoded body, checked against the staff user's cookie.
fn check_form_csrf(staff: &Staff, body: &[u8]) -> Result<(), AppError> {
    let submitted = form_urlencoded::parse(body)
        .find(|(k, _)| k == "csrf")
        .map(|(_, v)| v.into_owned())
        .unwrap_or_default();
    staff.check_csrf(&submitted)
}

/// A date and time as the newsroom prints it ("5 Dec 2026, 09:30 UTC").
fn when(at: DateTime<Utc>) -> String {
    at.format("%-d %b %Y, %H:%M UTC").to_string()
}

/// Where a post is in its life, as the list and the editor name it.
fn stage(post: &Post, now: DateTime<Utc>) -> (&'static str, &'static str) {
    match post.status {
        domain::Status::Draft => ("draft", "Draft"),
        _ if post.is_live(now) => ("published", "Published"),
        _ => ("scheduled", "Scheduled"),
    }
}

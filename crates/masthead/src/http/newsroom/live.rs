//! The editor's JSON endpoints for the rich-text bundle (the contract in its README):
//! autosave — the whole form, urlencoded, with `X-CSRF-Token` → `{"revision","saved_at"}` or
//! 409 `{"error":"conflict","message","by","at"}` — and presence, every 10 s →
//! `{"others":[{"name"}]}`. Errors are `{"error","message"}` with a 4xx.

use super::form::PostForm;
use super::{find, refused};
use crate::compose::Composer;
use crate::http::AppError;
use crate::http::admin::staff::Staff;
use crate::ops::posts::newsroom;
use crate::ops::posts::{PostError, revisions};
use crate::state::AppState;
use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use chrono::{SecondsFormat, Utc};
use serde_json::json;

fn error(status: StatusCode, code: &str, message: &str) -> Response {
    let mut r = (status, Json(json!({"error": code, "message": message}))).into_response();
    crate::http::admin::view::headers(&mut r);
    r
}

/// The `X-CSRF-Token` header, checked against the staff user's cookie: the refusal to send
/// when it does not match.
fn check_header(staff: &Staff, headers: &HeaderMap) -> Option<Response> {
    let token = headers
        .get("x-csrf-token")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    staff.check_csrf(token).err().map(|_| {
        error(
            StatusCode::FORBIDDEN,
            "csrf",
            "This page has expired. Reload it and try again.",
        )
    })
}

/// A refused write as JSON.
fn refusal(err: PostError) -> Response {
    match err {
        PostError::Stale { by, at, .. } => {
            let by = by.unwrap_or_else(|| "Someone".into());
            let mut r = (
                StatusCode::CONFLICT,
                Json(json!({
                    "error": "conflict",
                    "message": format!("{by} saved a newer version of this post. Reload it, or save yours as a copy."),
                    "by": by,
                    "at": at.to_rfc3339_opts(SecondsFormat::Secs, true),
                })),
            )
                .into_response();
            crate::http::admin::view::headers(&mut r);
            r
        }
        PostError::Invalid(m) => error(StatusCode::UNPROCESSABLE_ENTITY, "invalid", &m),
        PostError::Forbidden(m) => error(StatusCode::FORBIDDEN, "forbidden", &m),
        PostError::NotFound => error(StatusCode::NOT_FOUND, "not_found", "This post was deleted."),
        other => refused(other).into_response(),
    }
}

/// `POST /admin/posts/{id}/autosave`.
pub async fn autosave(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, AppError> {
    if let Some(r) = check_header(&staff, &headers) {
        return Ok(r);
    }
    let post = match find(&state, &id).await {
        Ok(post) => post,
        Err(AppError::NotFound) => return Ok(refusal(PostError::NotFound)),
        Err(e) => return Err(e),
    };
    let form = PostForm::parse(&body);
    let draft = match form.to_edit(&post) {
        Ok(d) => d,
        Err(m) => return Ok(error(StatusCode::UNPROCESSABLE_ENTITY, "invalid", &m)),
    };
    let mut composer = Composer::new(&state.store);
    let now = Utc::now();
    let saved = newsroom::autosave(
        &state.ops(),
        &mut composer,
        staff.actor(),
        &post,
        form.base(),
        draft,
        now,
    )
    .await;
    Ok(match saved {
        Ok(saved) => {
            let mut r = Json(json!({
                "revision": saved.revision.id,
                "saved_at": saved.revision.created_at.to_rfc3339_opts(SecondsFormat::Secs, true),
            }))
            .into_response();
            crate::http::admin::view::headers(&mut r);
            r
        }
        Err(PostError::Store(e)) => return Err(e.into()),
        Err(err) => refusal(err),
    })
}

/// `POST /admin/posts/{id}/presence`.
pub async fn presence(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    if let Some(r) = check_header(&staff, &headers) {
        return Ok(r);
    }
    let editor = newsroom::editor_of(staff.actor());
    match revisions::present(&state.ops(), &id, &editor, Utc::now()).await {
        Ok(names) => {
            let others: Vec<_> = names
                .into_iter()
                .map(|name| json!({"name": name}))
                .collect();
            let mut r = Json(json!({"others": others})).into_response();
            crate::http::admin::view::headers(&mut r);
            Ok(r)
        }
        Err(PostError::Store(e)) => Err(e.into()),
        Err(err) => Ok(refusal(err)),
    }
}

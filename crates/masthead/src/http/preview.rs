//! `/p/{id}/`: a post's private share link. Whoever opens it sees the post — draft, scheduled
//! or published — through the access gate as themselves (anonymous, a member's session), on
//! the article page itself, marked `noindex`, `private, no-store`, and outside the page cache.

use super::AppError;
use super::article::Article;
use super::reader::Reader;
use super::site::load;
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::response::Response;
use domain::Access;
use domain::access::{Viewer, project};
use serde_json::Value;

/// `/p/{id}/`: the post whose preview id is `id`, for this reader.
pub async fn share(
    State(state): State<AppState>,
    reader: Reader,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    // Only the canonical spelling of a UUID is a preview id.
    let id = uuid::Uuid::parse_str(&id)
        .ok()
        .filter(|u| u.to_string() == id)
        .ok_or(AppError::NotFound)?;
    let post = state
        .store
        .post_by_preview_id(&id.to_string())
        .await?
        .ok_or(AppError::NotFound)?;
    let site = load(&state).await?;
    let viewer = match reader.access(&state, site.now) {
        Some(access) => Viewer::member(access),
        None => Viewer::anonymous(),
    };
    let view = project(&post, &viewer.with_preview(&post.id), site.now);
    if view.access == Access::Denied {
        return Err(AppError::NotFound);
    }
    let page = Article {
        post: &post,
        view,
        meta_viewer: Viewer::anonymous().with_preview(&post.id),
        meter: Value::Null,
        query: None,
        preview: true,
    };
    page.respond(&state, reader, &site).await
}

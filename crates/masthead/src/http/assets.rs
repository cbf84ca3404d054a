//! Static files: the theme's fingerprinted assets, the default logo and the site's media.

use super::{AppError, AppState};
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use tower_http::services::ServeDir;
use tower_http::set_header::SetResponseHeader;

#[derive(Deserialize)]
pub struct Fingerprint {
    v: Option<String>,
}

/// `/assets/{path}`: cached for a year when the `?v=` fingerprint matches the file, briefly otherwise.
pub async fn theme_asset(
    State(state): State<AppState>,
    Path(path): Path<String>,
    Query(fp): Query<Fingerprint>,
) -> Result<Response, AppError> {
    let asset = state.theme.asset(&path).ok_or(AppError::NotFound)?;
    let cache = if fp.v.as_deref() == Some(asset.hash.as_str()) {
        "public, max-age=31536000, immutable"
    } else {
        "public, max-age=300"
    };
    let etag = format!("\"{}\"", asset.hash);
    Ok((
        [
            (header::CONTENT_TYPE, asset.content_type),
            (header::CACHE_CONTROL, cache),
            (header::ETAG, etag.as_str()),
        ],
        asset.bytes.clone(),
    )
        .into_response())
}

/// `/logo.png`: the generated default publisher logo (see `crate::logo`).
pub async fn logo() -> Response {
    (
        [
            (header::CONTENT_TYPE, "image/png"),
            (header::CACHE_CONTROL, "public, max-age=86400"),
        ],
        crate::logo::png(),
    )
        .into_response()
}

/// `/content/images/…`: files under `DATA/content/images`, with conditional GET from `ServeDir`.
pub fn media(dir: &std::path::Path) -> SetResponseHeader<ServeDir, axum::http::HeaderValue> {
    SetResponseHeader::if_not_present(
        ServeDir::new(dir),
        header::CACHE_CONTROL,
        axum::http::HeaderValue::from_static("public, max-age=86400"),
    )
}

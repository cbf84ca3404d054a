//! Static files: the theme's fingerprinted assets, the default logo, the favicon and the site's
//! media (`assets/media.rs`).

use super::AppError;
use crate::state::AppState;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use sha2::{Digest, Sha256};
use std::sync::OnceLock;

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

/// How long browsers and CDNs keep `/favicon.ico`: a week. Its URL cannot carry a fingerprint
/// (browsers and crawlers ask for it by name), and pages link the `icon` setting directly, so a
/// changed icon shows at once where it matters.
const FAVICON_CACHE: &str = "public, max-age=604800";

/// `/favicon.ico`: a redirect to the `icon` setting when one is set, else the generated default
/// (`crate::logo::favicon_ico`) with an ETag, so a revalidation costs a 304.
pub async fn favicon(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let settings = state.settings.get().await?;
    if let Some(icon) = super::site::custom_icon(settings.icon.as_deref()) {
        return Ok((
            [(header::CACHE_CONTROL, "public, max-age=3600")],
            Redirect::to(icon),
        )
            .into_response());
    }
    let etag = favicon_etag();
    let fresh = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == etag));
    let head = [
        (header::CONTENT_TYPE, "image/x-icon"),
        (header::CACHE_CONTROL, FAVICON_CACHE),
        (header::ETAG, etag),
    ];
    if fresh {
        return Ok((StatusCode::NOT_MODIFIED, head).into_response());
    }
    Ok((head, crate::logo::favicon_ico()).into_response())
}

/// The generated favicon's ETag: a digest of its bytes, so it changes only when the drawing does.
fn favicon_etag() -> &'static str {
    static ETAG: OnceLock<String> = OnceLock::new();
    ETAG.get_or_init(|| {
        let digest = Sha256::digest(crate::logo::favicon_ico());
        format!("\"{}\"", hex::encode(&digest[..8]))
    })
}

#[derive(Deserialize)]
pub struct Colour {
    c: Option<String>,
}

/// `/accent.css?c=rrggbb`: the accent colour an administrator chose, for light pages (dark
/// pages keep the theme's lighter accent, which reads on a dark background). Only a colour that
/// the `accent_color` setting would accept (six hex digits, readable on white) is served, so
/// the file holds nothing but a checked colour; its URL names the colour, so it is cached for a
/// year.
pub async fn accent_css(Query(colour): Query<Colour>) -> Result<Response, AppError> {
    let typed = format!("#{}", colour.c.unwrap_or_default());
    let Ok(Some(hex)) = crate::settings::colour::accent(&typed) else {
        return Err(AppError::NotFound);
    };
    let css = format!(
        "@media not (prefers-color-scheme: dark) {{ :root {{ --accent: {hex}; --btn: {hex}; }} }}\n"
    );
    Ok((
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=31536000, immutable"),
        ],
        css,
    )
        .into_response())
}

/// `/content/images/…`: the site's images and their variants (`media.rs`).
pub use media::media;

mod media;

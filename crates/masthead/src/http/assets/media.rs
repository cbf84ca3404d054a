//! Serving images from the media store. A stored name never changes meaning (it carries a hash
//! of its bytes), so what exists is cached for a year as `immutable`. A variant that does not
//! exist yet, or a width the original lacks, is answered with the largest smaller variant, or
//! the original, for a minute: a width listed in a `srcset` is never a 404 — also for files
//! stored before the library, whose every width is the original.

use crate::http::AppError;
use crate::media::Kind;
use crate::media::names::{self, Wanted};
use crate::state::AppState;
use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use object_store::path::Path as ObjectPath;
use object_store::{GetResult, ObjectStoreExt};
use store::{Media, VariantsState};

const IMMUTABLE: &str = "public, max-age=31536000, immutable";
/// Files stored before the media library (demo images, `post add` imports) keep their day.
const UNLISTED: &str = "public, max-age=86400";
/// A stand-in for a variant not made yet: soon replaced by the real one.
const STAND_IN: &str = "public, max-age=60";

pub async fn media(
    State(state): State<AppState>,
    Path(path): Path<String>,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let wanted = names::wanted(&path);
    let row = state.store.media_by_path(wanted.original).await?;
    if let Some(found) = get(&state, &path).await? {
        let cache = if row.is_some() { IMMUTABLE } else { UNLISTED };
        return Ok(respond(
            found,
            content_type(&path, &wanted),
            cache,
            &headers,
        ));
    }
    let Some(width) = wanted.width else {
        return Err(AppError::NotFound);
    };
    let Some(row) = row else {
        // A file from before the library (demo images, `post add` imports) has no variants:
        // every width of its `srcset` is the original itself.
        let found = get(&state, wanted.original)
            .await?
            .ok_or(AppError::NotFound)?;
        let plain = names::wanted(wanted.original);
        return Ok(respond(
            found,
            content_type(wanted.original, &plain),
            UNLISTED,
            &headers,
        ));
    };
    let (stand_in, webp) = stand_in(&row, width, wanted.webp);
    let found = get(&state, &stand_in).await?.ok_or(AppError::NotFound)?;
    let kind = if webp {
        Some("image/webp")
    } else {
        Some(row.mime.as_str())
    };
    // Once the variants are made, the stand-in for a width the original lacks is final.
    let cache = match row.variants {
        VariantsState::Ready | VariantsState::None => IMMUTABLE,
        VariantsState::Pending | VariantsState::Failed => STAND_IN,
    };
    Ok(respond(found, kind, cache, &headers))
}

/// The object at `path`, or `None` when there is none (or the path is not one we store).
async fn get(state: &AppState, path: &str) -> Result<Option<GetResult>, AppError> {
    let Ok(location) = ObjectPath::parse(path) else {
        return Ok(None);
    };
    match state.media.get(&location).await {
        Ok(found) => Ok(Some(found)),
        Err(object_store::Error::NotFound { .. }) => Ok(None),
        Err(e) => Err(AppError::internal(e)),
    }
}

/// What to serve for a missing variant of `row` at `width`: the largest made variant no wider
/// (in the same format when it exists), else the original. Returns its path and whether it
/// is WebP.
fn stand_in(row: &Media, width: u32, webp: bool) -> (String, bool) {
    let made = if row.variants == VariantsState::Ready {
        row.variant_widths
            .iter()
            .copied()
            .filter(|w| *w <= width)
            .max()
    } else {
        None
    };
    match made {
        Some(w) => (names::variant_path(&row.path, w, webp), webp),
        None => (row.path.clone(), false),
    }
}

fn content_type(path: &str, wanted: &Wanted<'_>) -> Option<&'static str> {
    if wanted.webp {
        return Some("image/webp");
    }
    let ext = path.rsplit_once('.')?.1.to_ascii_lowercase();
    Kind::from_extension(&ext).map(Kind::mime)
}

fn respond(
    found: GetResult,
    content_type: Option<&str>,
    cache: &'static str,
    headers: &HeaderMap,
) -> Response {
    let etag = found
        .meta
        .e_tag
        .clone()
        .map(|t| format!("\"{}\"", t.trim_matches('"')));
    let fresh = etag.as_deref().is_some_and(|etag| {
        headers
            .get(header::IF_NONE_MATCH)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.split(',').any(|t| t.trim() == etag))
    });
    let mut response = if fresh {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        Body::from_stream(found.into_stream()).into_response()
    };
    let h = response.headers_mut();
    h.insert(
        header::CACHE_CONTROL,
        header::HeaderValue::from_static(cache),
    );
    if let Some(t) = content_type.and_then(|t| header::HeaderValue::from_str(t).ok()) {
        h.insert(header::CONTENT_TYPE, t);
    }
    if let Some(t) = etag.and_then(|t| header::HeaderValue::from_str(&t).ok()) {
        h.insert(header::ETAG, t);
    }
    response
}

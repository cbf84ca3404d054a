//! `POST /ghost/api/admin/images/upload/`: one image as multipart field `file`, checked by its
//! bytes (PNG, JPEG, GIF or WebP; SVG is refused because it can carry script) and its size,
//! stored under `content/images/YYYY/MM/` and answered with its public URL.

use super::admin_auth::AdminKey;
use super::error::GhostError;
use crate::ops::media;
use crate::state::AppState;
use axum::Json;
use axum::extract::{Multipart, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use chrono::Utc;
use image::ImageFormat;
use serde_json::json;

/// Larger uploads are refused (the route's body limit is a little above this).
pub const MAX_IMAGE_BYTES: usize = 10 * 1024 * 1024;

fn extension(bytes: &[u8]) -> Option<&'static str> {
    match image::guess_format(bytes).ok()? {
        ImageFormat::Png => Some("png"),
        ImageFormat::Jpeg => Some("jpg"),
        ImageFormat::Gif => Some("gif"),
        ImageFormat::WebP => Some("webp"),
        _ => None,
    }
}

/// A multipart stream that broke off: too large (the body limit), or malformed.
fn refused(e: &axum::extract::multipart::MultipartError) -> GhostError {
    if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
        GhostError::payload_too_large("The image is larger than 10 MB.")
    } else {
        GhostError::validation(&format!("The upload is not valid multipart: {e}."))
    }
}

pub async fn upload(
    _: AdminKey,
    State(state): State<AppState>,
    mut form: Multipart,
) -> Result<Response, GhostError> {
    let mut file = None;
    let mut reference = None;
    while let Some(field) = form.next_field().await.map_err(|e| refused(&e))? {
        match field.name() {
            Some("file") => {
                let name = field.file_name().unwrap_or("image").to_owned();
                let bytes = field.bytes().await.map_err(|e| refused(&e))?;
                file = Some((name, bytes));
            }
            Some("ref") => reference = field.text().await.ok(),
            _ => {}
        }
    }
    let (name, bytes) =
        file.ok_or_else(|| GhostError::validation("Please select an image (field `file`)."))?;
    if bytes.len() > MAX_IMAGE_BYTES {
        return Err(GhostError::payload_too_large(
            "The image is larger than 10 MB.",
        ));
    }
    let ext = extension(&bytes).ok_or_else(|| {
        GhostError::unsupported("Please select a valid image: PNG, JPEG, GIF or WebP.")
    })?;
    let url = media::save_image(
        &state.ops(),
        &state.config.media_dir(),
        &name,
        ext,
        &bytes,
        Utc::now(),
    )
    .await
    .map_err(GhostError::internal)?;
    Ok((
        StatusCode::CREATED,
        Json(json!({ "images": [{ "url": url, "ref": reference }] })),
    )
        .into_response())
}

//! `POST /ghost/api/admin/images/upload/`: one image as multipart field `file` (with optional
//! `ref` and `alt`), through the media pipeline (`ops::media`): checked by its bytes (JPEG,
//! PNG, GIF, WebP or AVIF; SVG is refused because it can carry script), its size in bytes and
//! in pixels, cleaned of metadata, stored under an immutable name, and answered in Ghost's
//! shape with its public URL.

use super::admin_auth::AdminKey;
use super::error::GhostError;
use crate::media::CheckError;
use crate::ops::media::{MediaError, Upload};
use crate::state::AppState;
use axum::Json;
use axum::body::Body;
use axum::extract::{FromRequest, Multipart, Request, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use chrono::Utc;
use serde_json::json;

/// Room for the multipart framing and the small fields beside the file.
const FORM_OVERHEAD: u64 = 64 * 1024;

/// A multipart stream that broke off: too large (the body limit), or malformed.
fn refused(e: &axum::extract::multipart::MultipartError, max: u64) -> GhostError {
    if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
        GhostError::payload_too_large(
            &CheckError::TooLarge {
                bytes: max + 1,
                limit: max,
            }
            .to_string(),
        )
    } else {
        GhostError::validation(&format!("The upload is not valid multipart: {e}."))
    }
}

/// An upload's form: the file's name and bytes, Ghost's `ref`, and alt text.
struct Form {
    file: Option<(String, bytes::Bytes)>,
    reference: Option<String>,
    alt: String,
}

/// Reads the form, refusing a body larger than the configured limit allows.
async fn read_form(state: &AppState, request: Request) -> Result<Form, GhostError> {
    let max = state.config.media_max_bytes;
    let limit = usize::try_from(max + FORM_OVERHEAD).unwrap_or(usize::MAX);
    let (parts, body) = request.into_parts();
    let body = Body::new(http_body_util::Limited::new(body, limit));
    let mut form = Multipart::from_request(Request::from_parts(parts, body), state)
        .await
        .map_err(|e| {
            GhostError::validation(&format!(
                "Please send the image as multipart form data ({e})."
            ))
        })?;
    let mut read = Form {
        file: None,
        reference: None,
        alt: String::new(),
    };
    while let Some(field) = form.next_field().await.map_err(|e| refused(&e, max))? {
        match field.name() {
            Some("file") => {
                let name = field.file_name().unwrap_or("image").to_owned();
                let bytes = field.bytes().await.map_err(|e| refused(&e, max))?;
                read.file = Some((name, bytes));
            }
            Some("ref") => read.reference = field.text().await.ok(),
            Some("alt") => read.alt = field.text().await.unwrap_or_default(),
            _ => {}
        }
    }
    Ok(read)
}

pub async fn upload(
    _: AdminKey,
    State(state): State<AppState>,
    request: Request,
) -> Result<Response, GhostError> {
    let form = read_form(&state, request).await?;
    let (name, bytes) = form
        .file
        .ok_or_else(|| GhostError::validation("Please select an image (field `file`)."))?;
    let library = state.media_library();
    let upload = Upload {
        file_name: &name,
        bytes: &bytes,
        alt: &form.alt,
        uploaded_by: None,
    };
    let media = library
        .upload(upload, Utc::now())
        .await
        .map_err(ghost_error)?;
    Ok((
        StatusCode::CREATED,
        Json(json!({ "images": [{ "url": library.url(&media), "ref": form.reference }] })),
    )
        .into_response())
}

/// The Admin API's answer to a media error: the editor's mistakes in Ghost's shapes (413 for
/// size, 415 for what is not an image we take, 422 for the rest), failures opaque.
pub fn ghost_error(err: MediaError) -> GhostError {
    let message = err.to_string();
    match err {
        MediaError::Refused(CheckError::TooLarge { .. }) => GhostError::payload_too_large(&message),
        MediaError::Refused(CheckError::Unsupported) => GhostError::unsupported(&message),
        MediaError::NotFound => GhostError::not_found("Image"),
        e if e.is_for_editor() => GhostError::validation(&message),
        e => GhostError::internal(e),
    }
}

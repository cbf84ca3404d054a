//! The editor form's body, urlencoded or (when a lead image file is chosen without the page
//! script) multipart: a multipart body's text fields are re-encoded for `PostForm::parse`, its
//! CSRF token checked, and its `image_file` uploaded through the media library, the new URL
//! taking the place of `image_url`. A refused image leaves the form as it was, with the reason.

use super::upload::{Refusal, refusal};
use crate::http::AppError;
use crate::http::admin::staff::Staff;
use crate::ops::media::Upload;
use crate::state::AppState;
use axum::body::{Body, Bytes};
use axum::extract::{FromRequest, Multipart, Request};
use axum::http::header;
use chrono::Utc;

/// The largest urlencoded editor form (the default body limit the other forms have).
const MAX_FORM: usize = 2 * 1024 * 1024;

/// The editor form as urlencoded bytes, and the refusal of its lead image file, if any.
pub struct EditorBody {
    pub body: Bytes,
    pub refused: Option<Refusal>,
}

fn invalid(message: String) -> AppError {
    AppError::BadRequest {
        code: "invalid",
        message,
    }
}

/// Reads the editor form; a multipart one has its CSRF token checked here, before its file
/// is stored.
pub async fn read(
    state: &AppState,
    staff: &Staff,
    request: Request,
) -> Result<EditorBody, AppError> {
    let multipart = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|t| t.starts_with("multipart/form-data"));
    if !multipart {
        let body = axum::body::to_bytes(request.into_body(), MAX_FORM)
            .await
            .map_err(|e| invalid(format!("The form could not be read: {e}.")))?;
        return Ok(EditorBody {
            body,
            refused: None,
        });
    }
    let max = state.config.media_max_bytes;
    let limit = usize::try_from(max)
        .unwrap_or(usize::MAX)
        .saturating_add(MAX_FORM);
    let (parts, body) = request.into_parts();
    let body = Body::new(http_body_util::Limited::new(body, limit));
    let mut form = Multipart::from_request(Request::from_parts(parts, body), state)
        .await
        .map_err(|e| invalid(format!("The form could not be read: {e}.")))?;
    let mut pairs: Vec<(String, String)> = Vec::new();
    let mut file = None;
    while let Some(field) = form.next_field().await.map_err(|e| too_large_or(&e, max))? {
        let name = field.name().unwrap_or_default().to_owned();
        if name == "image_file" {
            let file_name = field.file_name().unwrap_or("image").to_owned();
            let bytes = field.bytes().await.map_err(|e| too_large_or(&e, max))?;
            if !bytes.is_empty() {
                file = Some((file_name, bytes));
            }
        } else {
            let value = field.text().await.map_err(|e| too_large_or(&e, max))?;
            pairs.push((name, value));
        }
    }
    let field = |name: &str| {
        pairs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    staff.check_csrf(&field("csrf"))?;
    let mut refused = None;
    if let Some((file_name, bytes)) = file {
        let library = state.media_library();
        let alt = field("image_alt");
        let upload = Upload {
            file_name: &file_name,
            bytes: &bytes,
            alt: &alt,
            uploaded_by: None,
        };
        match library.upload_as(staff.actor(), upload, Utc::now()).await {
            Ok(media) => {
                pairs.retain(|(k, _)| k != "image_url" && k != "image_pick");
                pairs.push(("image_url".into(), library.url(&media)));
            }
            Err(err) => refused = Some(refusal(err)?),
        }
    }
    let body = form_urlencoded::Serializer::new(String::new())
        .extend_pairs(pairs)
        .finish();
    Ok(EditorBody {
        body: Bytes::from(body),
        refused,
    })
}

fn too_large_or(e: &axum::extract::multipart::MultipartError, max: u64) -> AppError {
    if e.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
        let too_large = crate::media::CheckError::TooLarge {
            bytes: max + 1,
            limit: max,
        };
        invalid(too_large.to_string())
    } else {
        invalid(format!("The form could not be read: {e}."))
    }
}

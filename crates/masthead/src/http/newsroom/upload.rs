//! Image uploads from the newsroom: the editor bundle's endpoint (`POST /admin/media/upload`,
//! multipart field `file`, CSRF in `X-CSRF-Token` → 201 `{"url","width","height"}` or a 4xx
//! `{"error","message"}` with the pipeline's message) and the multipart forms of the library
//! pages, read here with the body limited to `media_max_bytes` and a little framing.

use crate::http::AppError;
use crate::http::admin::staff::Staff;
use crate::media::CheckError;
use crate::ops::media::{MediaError, Upload};
use crate::state::AppState;
use axum::Json;
use axum::body::Body;
use axum::extract::multipart::MultipartError;
use axum::extract::{FromRequest, Multipart, Request, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use chrono::Utc;
use serde_json::json;

/// Room for the multipart framing and the small fields beside the file.
const FORM_OVERHEAD: u64 = 64 * 1024;

/// A newsroom upload form: the file (if one was chosen) and the text fields beside it.
#[derive(Debug, Default)]
pub struct UploadForm {
    pub file: Option<(String, bytes::Bytes)>,
    pub csrf: String,
    pub alt: String,
}

/// A refused upload: its status, a stable code and the message for the editor.
#[derive(Debug)]
pub struct Refusal {
    pub status: StatusCode,
    pub code: &'static str,
    pub message: String,
}

impl Refusal {
    fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Refusal {
        Refusal {
            status,
            code,
            message: message.into(),
        }
    }

    /// The refusal as the editor bundle reads it.
    pub fn json(&self) -> Response {
        let body = json!({"error": self.code, "message": self.message});
        let mut response = (self.status, Json(body)).into_response();
        crate::http::admin::view::headers(&mut response);
        response
    }
}

/// A media use case's refusal, or the failure to log (an `AppError`).
pub fn refusal(err: MediaError) -> Result<Refusal, AppError> {
    let message = err.to_string();
    let (status, code) = match err {
        MediaError::Refused(CheckError::TooLarge { .. }) => {
            (StatusCode::PAYLOAD_TOO_LARGE, "too_large")
        }
        MediaError::Refused(CheckError::Unsupported) => {
            (StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported")
        }
        MediaError::Refused(_) | MediaError::AltTooLong => {
            (StatusCode::UNPROCESSABLE_ENTITY, "invalid")
        }
        MediaError::NotFound => (StatusCode::NOT_FOUND, "not_found"),
        MediaError::InUse(_) => (StatusCode::CONFLICT, "in_use"),
        MediaError::Forbidden(_) => (StatusCode::FORBIDDEN, "forbidden"),
        other => return Err(AppError::internal(other)),
    };
    Ok(Refusal::new(status, code, message))
}

fn broken(e: &MultipartError, max: u64) -> Refusal {
    if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
        let too_large = CheckError::TooLarge {
            bytes: max + 1,
            limit: max,
        };
        Refusal::new(e.status(), "too_large", too_large.to_string())
    } else {
        Refusal::new(
            StatusCode::BAD_REQUEST,
            "invalid",
            format!("The upload is not valid multipart form data: {e}."),
        )
    }
}

/// Reads a multipart upload form, refusing a body larger than the configured limit allows.
pub async fn read_form(state: &AppState, request: Request) -> Result<UploadForm, Refusal> {
    let max = state.config.media_max_bytes;
    let limit = usize::try_from(max.saturating_add(FORM_OVERHEAD)).unwrap_or(usize::MAX);
    let (parts, body) = request.into_parts();
    let body = Body::new(http_body_util::Limited::new(body, limit));
    let mut multipart = Multipart::from_request(Request::from_parts(parts, body), state)
        .await
        .map_err(|e| {
            Refusal::new(
                StatusCode::BAD_REQUEST,
                "invalid",
                format!("Send the image as multipart form data ({e})."),
            )
        })?;
    let mut form = UploadForm::default();
    while let Some(field) = multipart.next_field().await.map_err(|e| broken(&e, max))? {
        let name = field.name().unwrap_or_default().to_owned();
        match name.as_str() {
            "file" => {
                let file_name = field.file_name().unwrap_or("image").to_owned();
                let bytes = field.bytes().await.map_err(|e| broken(&e, max))?;
                // A form posted without a chosen file sends an empty, nameless part.
                if !bytes.is_empty() {
                    form.file = Some((file_name, bytes));
                }
            }
            "csrf" => form.csrf = field.text().await.map_err(|e| broken(&e, max))?,
            "alt" => form.alt = field.text().await.map_err(|e| broken(&e, max))?,
            _ => {}
        }
    }
    Ok(form)
}

/// `POST /admin/media/upload`: the editor bundle's image upload.
pub async fn upload(
    State(state): State<AppState>,
    staff: Staff,
    headers: HeaderMap,
    request: Request,
) -> Result<Response, AppError> {
    let token = headers
        .get("x-csrf-token")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    if staff.check_csrf(token).is_err() {
        let expired = "This page has expired. Reload it and try again.";
        return Ok(Refusal::new(StatusCode::FORBIDDEN, "csrf", expired).json());
    }
    let form = match read_form(&state, request).await {
        Ok(form) => form,
        Err(refused) => return Ok(refused.json()),
    };
    let Some((name, bytes)) = form.file else {
        let missing = "Choose an image to upload (field `file`).";
        return Ok(Refusal::new(StatusCode::BAD_REQUEST, "invalid", missing).json());
    };
    let library = state.media_library();
    let upload = Upload {
        file_name: &name,
        bytes: &bytes,
        alt: &form.alt,
        uploaded_by: None,
    };
    match library.upload_as(staff.actor(), upload, Utc::now()).await {
        Ok(media) => {
            let body =
                json!({"url": library.url(&media), "width": media.width, "height": media.height});
            let mut response = (StatusCode::CREATED, Json(body)).into_response();
            crate::http::admin::view::headers(&mut response);
            Ok(response)
        }
        Err(err) => Ok(refusal(err)?.json()),
    }
}

//! Errors in Ghost's shape: `{"errors":[{"message","context","type",…}]}` with Ghost's status
//! codes, so Ghost's clients raise them as they would against Ghost.

use crate::ghost::params::ParamError;
use crate::ops::OpsError;
use axum::Json;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::json;

#[derive(Debug)]
pub struct GhostError {
    status: StatusCode,
    kind: &'static str,
    message: String,
    context: Option<String>,
}

impl GhostError {
    pub fn unauthorized(message: &str, context: Option<&str>) -> GhostError {
        GhostError {
            status: StatusCode::UNAUTHORIZED,
            kind: "UnauthorizedError",
            message: message.into(),
            context: context.map(str::to_owned),
        }
    }

    pub fn bad_request(message: &str, context: impl Into<String>) -> GhostError {
        GhostError {
            status: StatusCode::BAD_REQUEST,
            kind: "BadRequestError",
            message: message.into(),
            context: Some(context.into()),
        }
    }

    /// Ghost's 422 for a body it cannot use.
    pub fn validation(message: &str) -> GhostError {
        GhostError {
            status: StatusCode::UNPROCESSABLE_ENTITY,
            kind: "ValidationError",
            message: message.into(),
            context: None,
        }
    }

    /// Ghost's 429 for a client that must wait.
    pub fn too_many_requests(message: &str) -> GhostError {
        GhostError {
            status: StatusCode::TOO_MANY_REQUESTS,
            kind: "TooManyRequestsError",
            message: message.into(),
            context: None,
        }
    }

    pub fn payload_too_large(message: &str) -> GhostError {
        GhostError {
            status: StatusCode::PAYLOAD_TOO_LARGE,
            kind: "RequestEntityTooLargeError",
            message: message.into(),
            context: None,
        }
    }

    pub fn unsupported(message: &str) -> GhostError {
        GhostError {
            status: StatusCode::UNSUPPORTED_MEDIA_TYPE,
            kind: "UnsupportedMediaTypeError",
            message: message.into(),
            context: None,
        }
    }

    /// Ghost's 409 for an edit based on an outdated `updated_at`.
    pub fn collision() -> GhostError {
        GhostError {
            status: StatusCode::CONFLICT,
            kind: "UpdateCollisionError",
            message: "Saving failed! Someone else is editing this post.".into(),
            context: Some(
                "The post changed since it was read; read it again and repeat the edit.".into(),
            ),
        }
    }

    /// "Post not found.", "Tag not found.", …
    pub fn not_found(what: &str) -> GhostError {
        GhostError {
            status: StatusCode::NOT_FOUND,
            kind: "NotFoundError",
            message: format!("{what} not found."),
            context: None,
        }
    }

    /// An opaque 500; the error and its causes are logged here, once.
    pub fn internal(err: impl std::error::Error + 'static) -> GhostError {
        tracing::error!(
            error = crate::telemetry::chain(&err),
            "ghost api request failed"
        );
        GhostError {
            status: StatusCode::INTERNAL_SERVER_ERROR,
            kind: "InternalServerError",
            message: "An unexpected error occurred, please try again.".into(),
            context: None,
        }
    }
}

impl From<store::StoreError> for GhostError {
    fn from(err: store::StoreError) -> GhostError {
        GhostError::internal(err)
    }
}

/// A query parameter Ghost's clients sent wrong: Ghost's 400.
impl From<ParamError> for GhostError {
    fn from(err: ParamError) -> GhostError {
        GhostError::bad_request(err.message, err.context)
    }
}

/// A use case's refusal in Ghost's terms: a clash with what is stored (an address taken) is a
/// 422 `ValidationError`, as Ghost answers it.
impl From<OpsError> for GhostError {
    fn from(err: OpsError) -> GhostError {
        match err {
            OpsError::Invalid(message) | OpsError::Conflict(message) => {
                GhostError::validation(&message)
            }
            OpsError::NotFound(what) => GhostError::not_found(what),
            OpsError::Forbidden(message) => GhostError {
                status: StatusCode::FORBIDDEN,
                kind: "NoPermissionError",
                message,
                context: None,
            },
            OpsError::RateLimited | OpsError::DailyCap | OpsError::CodeLocked => {
                GhostError::too_many_requests(&err.to_string())
            }
            other => GhostError::internal(other),
        }
    }
}

impl IntoResponse for GhostError {
    fn into_response(self) -> Response {
        let body = json!({ "errors": [{
            "message": self.message,
            "context": self.context,
            "type": self.kind,
            "details": null,
            "property": null,
            "help": null,
            "code": null,
            "id": uuid::Uuid::now_v7().to_string(),
            "ghostErrorCode": null,
        }]});
        (
            self.status,
            [(header::CACHE_CONTROL, "no-store")],
            Json(body),
        )
            .into_response()
    }
}

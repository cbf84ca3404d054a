//! One error type for handlers: 4xx with a stable code and message, 5xx opaque and logged once.
//! Every error type a handler meets is converted here by name, so each has one meaning for the
//! reader: a store conflict is a 409, a reader's mistake or limit from `ops` is theirs to see,
//! and everything else is an opaque 500.

use crate::indexer::IndexError;
use crate::ops::OpsError;
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use render::ThemeError;
use store::StoreError;

#[derive(Debug)]
pub enum AppError {
    /// Rendered as the theme's 404 page (`not_found.rs`).
    NotFound,
    BadRequest {
        code: &'static str,
        message: String,
    },
    Forbidden {
        code: &'static str,
        message: String,
    },
    /// The change clashed with another one saved at the same moment.
    Conflict,
    /// A limit the reader waits out; the message says how.
    TooMany(String),
    Internal(Box<dyn std::error::Error + Send + Sync>),
}

/// Marks a 404 that should be replaced by the theme's error page (`not_found.rs`).
#[derive(Clone, Copy)]
pub struct ThemedNotFound;

impl AppError {
    /// A failure that is not the reader's: logged with its causes, answered opaquely.
    pub fn internal(err: impl std::error::Error + Send + Sync + 'static) -> AppError {
        AppError::Internal(Box::new(err))
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        match self {
            AppError::NotFound => {
                let mut res = (StatusCode::NOT_FOUND, "Not found").into_response();
                res.extensions_mut().insert(ThemedNotFound);
                res
            }
            AppError::BadRequest { code, message } => (
                StatusCode::BAD_REQUEST,
                [(header::CACHE_CONTROL, "no-store")],
                axum::Json(serde_json::json!({ "error": { "code": code, "message": message } })),
            )
                .into_response(),
            AppError::Forbidden { code, message } => {
                page(StatusCode::FORBIDDEN, "Not allowed", &message, code)
            }
            AppError::Conflict => page(
                StatusCode::CONFLICT,
                "Changed meanwhile",
                "This changed while you were saving it. Reload the page and try again.",
                "conflict",
            ),
            AppError::TooMany(message) => page(
                StatusCode::TOO_MANY_REQUESTS,
                "Please wait",
                &message,
                "rate_limited",
            ),
            AppError::Internal(err) => {
                tracing::error!(
                    error = crate::telemetry::chain(err.as_ref()),
                    "request failed"
                );
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    [(header::CACHE_CONTROL, "no-store")],
                    Html("<!doctype html><title>Something went wrong</title><h1>Something went wrong</h1><p>Please try again in a moment.</p>"),
                )
                    .into_response()
            }
        }
    }
}

/// A small page with a heading, the message and a link home.
fn page(status: StatusCode, title: &str, message: &str, code: &str) -> Response {
    (
        status,
        [(header::CACHE_CONTROL, "no-store")],
        Html(format!(
            "<!doctype html><title>{title}</title><h1>{title}</h1><p>{}</p><p data-code=\"{code}\"><a href=\"/\">Home</a></p>",
            handlebars_escape(message)
        )),
    )
        .into_response()
}

impl From<StoreError> for AppError {
    fn from(err: StoreError) -> AppError {
        match err {
            StoreError::Conflict(_) => AppError::Conflict,
            other => AppError::internal(other),
        }
    }
}

impl From<OpsError> for AppError {
    fn from(err: OpsError) -> AppError {
        match err {
            OpsError::Invalid(message) => AppError::BadRequest {
                code: "invalid",
                message,
            },
            OpsError::NotFound(_) => AppError::NotFound,
            OpsError::Conflict(_) => AppError::Conflict,
            OpsError::Forbidden(message) => AppError::Forbidden {
                code: "forbidden",
                message,
            },
            OpsError::RateLimited | OpsError::DailyCap | OpsError::CodeLocked => {
                AppError::TooMany(err.to_string())
            }
            OpsError::Store(err) => err.into(),
            other => AppError::internal(other),
        }
    }
}

impl From<IndexError> for AppError {
    fn from(err: IndexError) -> AppError {
        AppError::internal(err)
    }
}

impl From<ThemeError> for AppError {
    fn from(err: ThemeError) -> AppError {
        AppError::internal(err)
    }
}

fn handlebars_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_store_conflict_is_a_409_and_a_store_failure_an_opaque_500() {
        let conflict = AppError::from(StoreError::Conflict("UNIQUE constraint failed".into()));
        assert_eq!(conflict.into_response().status(), StatusCode::CONFLICT);
        let broken = AppError::from(StoreError::Corrupt("bad row in members".into()));
        let res = broken.into_response();
        assert_eq!(res.status(), StatusCode::INTERNAL_SERVER_ERROR);
    }

    #[test]
    fn a_readers_mistake_from_ops_is_theirs_to_see() {
        let invalid = AppError::from(OpsError::Invalid("Enter a name.".into()));
        assert_eq!(invalid.into_response().status(), StatusCode::BAD_REQUEST);
        let limited = AppError::from(OpsError::RateLimited);
        assert_eq!(
            limited.into_response().status(),
            StatusCode::TOO_MANY_REQUESTS
        );
        let gone = AppError::from(OpsError::NotFound("Member"));
        assert_eq!(gone.into_response().status(), StatusCode::NOT_FOUND);
        let store = AppError::from(OpsError::Store(StoreError::Conflict("x".into())));
        assert_eq!(store.into_response().status(), StatusCode::CONFLICT);
    }
}

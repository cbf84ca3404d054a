//! One error type for handlers: 4xx with a stable code and message, 5xx opaque and logged once.

use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Response};

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
    Internal(anyhow::Error),
}

/// Marks a 404 that should be replaced by the theme's error page (`not_found.rs`).
#[derive(Clone, Copy)]
pub struct ThemedNotFound;

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
            AppError::Forbidden { code, message } => (
                StatusCode::FORBIDDEN,
                [(header::CACHE_CONTROL, "no-store")],
                Html(format!(
                    "<!doctype html><title>Not allowed</title><h1>Not allowed</h1><p>{}</p><p data-code=\"{code}\"><a href=\"/\">Home</a></p>",
                    handlebars_escape(&message)
                )),
            )
                .into_response(),
            AppError::Internal(err) => {
                tracing::error!(error = format!("{err:#}"), "request failed");
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

impl<E: Into<anyhow::Error>> From<E> for AppError {
    fn from(err: E) -> Self {
        AppError::Internal(err.into())
    }
}

fn handlebars_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

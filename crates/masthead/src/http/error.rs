//! One error type for handlers: 4xx with a stable code and message, 5xx opaque and logged once.

use crate::state::AppState;
use axum::extract::{Request, State};
use axum::http::{StatusCode, header};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Response};

#[derive(Debug)]
pub enum AppError {
    /// Rendered as the theme's 404 page by `themed_not_found`.
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

/// Marks a 404 that should be replaced by the theme's error page.
#[derive(Clone, Copy)]
struct ThemedNotFound;

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

/// Replaces marked 404s with the theme's error page (search form and latest stories).
pub async fn themed_not_found(State(state): State<AppState>, req: Request, next: Next) -> Response {
    // Only the cookies are needed, and only for a 404.
    let mut headers = axum::http::HeaderMap::new();
    for c in req.headers().get_all(header::COOKIE) {
        headers.append(header::COOKIE, c.clone());
    }
    let res = next.run(req).await;
    if res.extensions().get::<ThemedNotFound>().is_none() {
        return res;
    }
    // The page greets a signed-in member as every other page does.
    let jar = axum_extra::extract::CookieJar::from_headers(&headers);
    let member = super::session::current(&state, &jar).await.ok().flatten();
    let reader = super::reader::Reader {
        jar,
        member,
        ip: String::new(),
    };
    match super::pages::not_found_page(&state, &reader).await {
        Ok(page) => page,
        Err(err) => err.into_response(),
    }
}

fn handlebars_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

//! Extractors that answer malformed input the way readers expect: a bad path is a 404.

use super::AppError;
use axum::extract::{FromRequestParts, Path};
use axum::http::request::Parts;
use serde::de::DeserializeOwned;

/// Like `Path`, but a segment that does not decode (invalid UTF-8, wrong shape) is "not found"
/// rather than "bad request".
pub struct Segments<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned + Send> FromRequestParts<S> for Segments<T> {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, AppError> {
        match Path::<T>::from_request_parts(parts, state).await {
            Ok(Path(value)) => Ok(Segments(value)),
            Err(_) => Err(AppError::NotFound),
        }
    }
}

/// The value of query parameter `name`, decoded leniently (invalid UTF-8 becomes U+FFFD).
pub fn query_param(query: Option<&str>, name: &str) -> String {
    let query = query.unwrap_or_default();
    form_urlencoded::parse(query.as_bytes())
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.into_owned())
        .unwrap_or_default()
}

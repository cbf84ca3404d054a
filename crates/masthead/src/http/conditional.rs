//! Conditional GET for rendered pages: a weak `ETag` from the body, and 304 answers to
//! `If-None-Match` or (when no ETag is asked about) `If-Modified-Since`.

use axum::body::Body;
use axum::extract::Request;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use http_body_util::BodyExt;
use sha2::{Digest, Sha256};

/// Pages larger than this are sent without an ETag rather than buffered.
const MAX_BUFFERED: usize = 8 * 1024 * 1024;

pub async fn etag(req: Request, next: Next) -> Response {
    let conditional = (req.method() == Method::GET || req.method() == Method::HEAD)
        .then(|| req.headers().clone());
    let res = next.run(req).await;
    let Some(req_headers) = conditional else {
        return res;
    };
    if res.status() != StatusCode::OK {
        return res;
    }
    let (mut parts, body) = res.into_parts();
    let bytes =
        match axum::body::to_bytes(Body::new(body.map_err(axum::Error::new)), MAX_BUFFERED).await {
            Ok(bytes) => bytes,
            Err(_) => return StatusCode::INTERNAL_SERVER_ERROR.into_response(),
        };
    let tag = tag_of(&bytes);
    if let Ok(value) = HeaderValue::from_str(&tag) {
        parts.headers.insert(header::ETAG, value);
    }
    if not_modified(&req_headers, &parts.headers, &tag) {
        let mut not_modified = StatusCode::NOT_MODIFIED.into_response();
        for name in [
            header::ETAG,
            header::CACHE_CONTROL,
            header::LAST_MODIFIED,
            header::VARY,
        ] {
            if let Some(v) = parts.headers.get(&name) {
                not_modified.headers_mut().insert(name, v.clone());
            }
        }
        return not_modified;
    }
    Response::from_parts(parts, Body::from(bytes))
}

/// The weak ETag of a body.
pub(crate) fn tag_of(body: &[u8]) -> String {
    let digest = Sha256::digest(body);
    format!("W/\"{}\"", hex::encode(&digest[..12]))
}

/// Whether a request with headers `req` already holds the response with headers `res` and
/// ETag `tag`.
pub(crate) fn not_modified(req: &HeaderMap, res: &HeaderMap, tag: &str) -> bool {
    if let Some(inm) = req.get(header::IF_NONE_MATCH).and_then(|v| v.to_str().ok()) {
        // Weak comparison: `W/"x"` matches `"x"` and `W/"x"`.
        let ours = tag.trim_start_matches("W/");
        return inm
            .split(',')
            .map(str::trim)
            .any(|t| t == "*" || t.trim_start_matches("W/") == ours);
    }
    let since = req
        .get(header::IF_MODIFIED_SINCE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| httpdate::parse_http_date(v).ok());
    let modified = res
        .get(header::LAST_MODIFIED)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| httpdate::parse_http_date(v).ok());
    matches!((since, modified), (Some(s), Some(m)) if m <= s)
}

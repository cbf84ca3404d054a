//! Conditional GET for rendered pages: a weak `ETag` from the body, and 304 answers to
//! `If-None-Match` or (when no ETag is asked about) `If-Modified-Since`.

use crate::cache::validators::{not_modified, tag_of};
use axum::body::Body;
use axum::extract::Request;
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use http_body_util::BodyExt;

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
    let Ok(bytes) =
        axum::body::to_bytes(Body::new(body.map_err(axum::Error::new)), MAX_BUFFERED).await
    else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
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

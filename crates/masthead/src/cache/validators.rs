//! Validators of rendered pages: the weak `ETag` of a body, and whether a request's
//! `If-None-Match` or `If-Modified-Since` already holds a response (a 304 is due).

use axum::http::{HeaderMap, header};
use sha2::{Digest, Sha256};

/// The weak ETag of a body.
pub fn tag_of(body: &[u8]) -> String {
    let digest = Sha256::digest(body);
    format!("W/\"{}\"", hex::encode(&digest[..12]))
}

/// Whether a request with headers `req` already holds the response with headers `res` and
/// ETag `tag`.
pub fn not_modified(req: &HeaderMap, res: &HeaderMap, tag: &str) -> bool {
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

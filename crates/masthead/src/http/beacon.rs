//! `POST /api/views`: the theme's page-view beacon (`assets/js/views.js`, sent with
//! `navigator.sendBeacon`). The body is form-encoded text — `post=<id>` and `paywall=1` when the
//! page showed the paywall's call to action. No cookie is read or set and nothing is cached;
//! the answer is an empty 204. Counting (bots skipped, a salted daily hash for visitors) is
//! `ops::analytics::record_view`; the client address and user agent go no further.

use super::AppError;
use super::reader::client_key;
use crate::analytics::Beacon;
use crate::ops::analytics::{self, Counted};
use crate::state::AppState;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::Utc;

/// The largest body a beacon needs (an id and a flag); longer ones are refused.
const MAX_BODY: usize = 512;

/// `POST /api/views`.
pub async fn record(
    State(state): State<AppState>,
    parts: Parts,
    body: Bytes,
) -> Result<Response, AppError> {
    if body.len() > MAX_BODY {
        return Err(AppError::BadRequest {
            code: "too_large",
            message: "A page view is an id and a flag.".into(),
        });
    }
    let (mut post, mut paywall) = (String::new(), false);
    for (key, value) in form_urlencoded::parse(&body) {
        match key.as_ref() {
            "post" => post = value.into_owned(),
            "paywall" => paywall = value == "1",
            _ => {}
        }
    }
    let client = client_key(&parts, &state.config.trusted_proxies);
    let user_agent = parts
        .headers
        .get(header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let beacon = Beacon {
        post_id: &post,
        client: &client,
        user_agent,
        paywall_shown: paywall,
    };
    let counted = analytics::record_view(&state.ops(), &state.views, &beacon, Utc::now()).await?;
    let mut response = StatusCode::NO_CONTENT.into_response();
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    if counted == Counted::No {
        tracing::trace!("page view not counted");
    }
    Ok(response)
}

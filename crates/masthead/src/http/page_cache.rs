//! The page cache as middleware around the public pages: answer from a stored page when there
//! is one for this URL and access class, otherwise render once (identical misses wait for that
//! render) and store the result when it is the same for every reader of the class. The reader's
//! class comes from their session cookie; per-reader slots (CSRF token, gifts left, the member's
//! name and email) are filled here, per request.

use super::gifts;
use super::reader::{CSRF_COOKIE, CSRF_LIFETIME, grace};
use super::session::{SESSION_COOKIE, cookie};
use crate::cache::class::Class;
use crate::cache::entry::{self, Entry};
use crate::cache::record::{self, Recording, Slot};
use crate::cache::validators::{not_modified, tag_of};
use crate::cache::{Key, PageCache};
use crate::members::crypto::{hash, random_token};
use crate::members::session;
use crate::state::AppState;
use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::response::Parts;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum_extra::extract::CookieJar;
use axum_extra::extract::cookie::Cookie;
use chrono::Utc;
use domain::Member;
use std::sync::Arc;
use std::time::Duration;
use store::StoreError;

/// How long a request waits for an identical one's render before rendering itself.
const PATIENCE: Duration = Duration::from_secs(5);
/// Pages larger than this are passed through, not stored.
const MAX_PAGE: usize = 8 * 1024 * 1024;

pub async fn serve(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    let cache = state.cache.clone();
    if !cache.enabled() || !matches!(*req.method(), Method::GET | Method::HEAD) {
        return next.run(req).await;
    }
    // Staff see full text and edit links: their pages are theirs alone, never answered from or
    // stored under a reader's class.
    if CookieJar::from_headers(req.headers())
        .get(super::admin::staff::STAFF_COOKIE)
        .is_some()
    {
        return next.run(req).await;
    }
    let class = match class_of(&state, req.headers()).await {
        Ok(class) => class,
        Err(err) => {
            tracing::warn!(error = %err, "page cache: cannot tell the reader's class; not caching");
            return next.run(req).await;
        }
    };
    let target = req.uri().path_and_query().map_or("/", |p| p.as_str());
    let key: Key = Arc::from(format!("{}\n{target}", class.name));
    if let Some(res) = hit(&state, &key, &class, req.headers()).await {
        return res;
    }
    let headers = req.headers().clone();
    let lead = cache.wait_or_lead(&key, PATIENCE).await;
    if lead.is_none()
        && let Some(res) = hit(&state, &key, &class, &headers).await
    {
        return res;
    }
    let ticks = state.store.content_ticks();
    let epoch = cache.epoch();
    let storable = cache.usable(ticks);
    if storable {
        // Conditional requests are answered from the stored page once it is stored.
        req.headers_mut().remove(header::IF_NONE_MATCH);
        req.headers_mut().remove(header::IF_MODIFIED_SINCE);
    }
    let (res, rec) = record::recording(cache.nonce().to_owned(), next.run(req)).await;
    let res = finish(&cache, key, &class, &headers, res, rec, storable, epoch).await;
    drop(lead);
    res
}

/// The access class of the reader whose request carries `headers`: anonymous without a live
/// session, else the class the page cache remembers for the session or the store gives.
async fn class_of(state: &AppState, headers: &HeaderMap) -> Result<Class, StoreError> {
    let jar = CookieJar::from_headers(headers);
    let Some(raw) = jar.get(SESSION_COOKIE) else {
        return Ok(Class::anonymous());
    };
    let session_hash = hash(raw.value());
    let lookup = || async {
        let now = Utc::now();
        Ok(
            match session::signed_in(&state.store, &session_hash, now).await? {
                None => Class::anonymous(),
                Some(current) => Class {
                    name: Class::name_for(Some(&current.access(now, grace(state).await?))),
                    member_id: Some(current.member.id.clone()),
                },
            },
        )
    };
    state
        .cache
        .session_class(session_hash.clone(), lookup)
        .await
}

/// A stored page for this request, with this reader's slots filled in.
async fn hit(state: &AppState, key: &Key, class: &Class, headers: &HeaderMap) -> Option<Response> {
    let cache = &state.cache;
    if !cache.usable(state.store.content_ticks()) {
        return None;
    }
    let entry = cache.get(key)?;
    let (fill, new_cookie) = fill(state, class, headers, &entry.slots()).await?;
    let mut res = entry.respond(headers, &fill, "hit");
    if let Some(c) = new_cookie
        && let Ok(v) = HeaderValue::from_str(&c.encoded().to_string())
    {
        res.headers_mut().append(header::SET_COOKIE, v);
    }
    Some(res)
}

/// This reader's values for `slots`, and the CSRF cookie to set if the browser has none;
/// `None` when a value cannot be had (the request then renders).
async fn fill(
    state: &AppState,
    class: &Class,
    headers: &HeaderMap,
    slots: &[Slot],
) -> Option<(Vec<(Slot, String)>, Option<Cookie<'static>>)> {
    let mut fill = Vec::new();
    let mut new_cookie = None;
    let mut member: Option<Member> = None;
    for slot in slots {
        let value = match slot {
            Slot::Csrf => {
                if let Some(token) = csrf_cookie(headers) {
                    token
                } else {
                    // A browser without a CSRF cookie gets one, as the render would give it.
                    let token = random_token();
                    new_cookie = Some(cookie(state, CSRF_COOKIE, token.clone(), CSRF_LIFETIME));
                    token
                }
            }
            Slot::GiftsLeft => gifts::remaining(state, class.member_id.as_deref()?)
                .await
                .ok()?
                .to_string(),
            Slot::MemberName | Slot::MemberEmail => {
                if member.is_none() {
                    let id = class.member_id.as_deref()?;
                    member = state.store.member_by_id(id).await.ok()?;
                }
                let m = member.as_ref()?;
                if *slot == Slot::MemberName {
                    m.name.clone()
                } else {
                    m.email.to_string()
                }
            }
        };
        fill.push((*slot, value));
    }
    Some((fill, new_cookie))
}

fn csrf_cookie(headers: &HeaderMap) -> Option<String> {
    let jar = CookieJar::from_headers(headers);
    let value = jar.get(CSRF_COOKIE)?.value();
    let plain = value
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    (value.len() >= 32 && plain).then(|| value.to_owned())
}

/// Stores the rendered response when it is the same for every reader of the class, and
/// answers this request (slots filled with this reader's values).
#[expect(
    clippy::too_many_arguments,
    reason = "what a hit needs from the request, the cache and the render, each once"
)]
async fn finish(
    cache: &PageCache,
    key: Key,
    class: &Class,
    req: &HeaderMap,
    res: Response,
    rec: Recording,
    storable: bool,
    epoch: u64,
) -> Response {
    let (mut parts, body) = res.into_parts();
    let cacheable = storable && is_shareable(&parts, class, &rec);
    let set_cookies: Vec<HeaderValue> = parts
        .headers
        .get_all(header::SET_COOKIE)
        .iter()
        .cloned()
        .collect();
    if !cacheable && rec.slots.is_empty() {
        // The conditional headers were taken off for the render: answer them here.
        let etag = parts
            .headers
            .get(header::ETAG)
            .and_then(|v| v.to_str().ok());
        if parts.status == StatusCode::OK
            && let Some(etag) = etag
            && not_modified(req, &parts.headers, etag)
        {
            let mut res = StatusCode::NOT_MODIFIED.into_response();
            for name in [header::ETAG, header::CACHE_CONTROL, header::LAST_MODIFIED] {
                if let Some(v) = parts.headers.get(&name) {
                    res.headers_mut().insert(name, v.clone());
                }
            }
            for c in set_cookies {
                res.headers_mut().append(header::SET_COOKIE, c);
            }
            return tagged(res, "bypass");
        }
        return tagged(Response::from_parts(parts, body), "bypass");
    }
    let bytes = match axum::body::to_bytes(body, MAX_PAGE).await {
        Ok(bytes) => bytes,
        Err(err) => {
            tracing::warn!(error = %err, "page cache: could not read the rendered page");
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
    };
    if cacheable {
        let entry = Arc::new(Entry::new(&parts, &bytes, &rec));
        let kept = cache.insert(&key, &entry, &rec, epoch);
        let mut res = entry.respond(req, &rec.slots, if kept { "miss" } else { "bypass" });
        // This reader's new CSRF cookie (the only cookie a stored page may have sent).
        for c in set_cookies {
            res.headers_mut().append(header::SET_COOKIE, c);
        }
        return res;
    }
    let body: Bytes = entry::fill_in(&bytes, &rec);
    parts.headers.remove(header::CONTENT_LENGTH);
    if parts.headers.contains_key(header::ETAG)
        && let Ok(tag) = HeaderValue::from_str(&tag_of(&body))
    {
        parts.headers.insert(header::ETAG, tag);
    }
    tagged(Response::from_parts(parts, Body::from(body)), "bypass")
}

/// Whether a rendered response may be served to every reader of `class`.
fn is_shareable(parts: &Parts, class: &Class, rec: &Recording) -> bool {
    let public = parts
        .headers
        .get(header::CACHE_CONTROL)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("public"));
    // The one cookie a shared page may set is a new CSRF cookie, whose value is a slot.
    let csrf_prefix = format!("{CSRF_COOKIE}=");
    let cookies_ok = parts.headers.get_all(header::SET_COOKIE).iter().all(|c| {
        rec.slots.iter().any(|(s, _)| *s == Slot::Csrf)
            && c.to_str().is_ok_and(|c| c.starts_with(&csrf_prefix))
    });
    // Rendered for the class it would be stored under: the remembered class of a session
    // lags a change to its subscription, and a render for the new class must not be shared
    // with the old one.
    let same_class = rec.class.as_ref().is_none_or(|c| *c == class.name);
    parts.status == StatusCode::OK
        && !rec.dont_store
        && same_class
        && cookies_ok
        // An anonymous page marked private was unlocked for this reader alone.
        && (public || !class.is_anonymous())
}

fn tagged(mut res: Response, outcome: &'static str) -> Response {
    res.headers_mut()
        .insert("x-masthead-cache", HeaderValue::from_static(outcome));
    res
}

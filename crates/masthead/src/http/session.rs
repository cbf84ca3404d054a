//! The browser's half of a member's session: the `mh_session` cookie (HttpOnly, SameSite=Lax,
//! Secure on https sites) carrying the session's id, read into the signed-in member and set
//! when `ops::sessions` starts, rotates or ends a session.

use crate::members::crypto::hash;
use crate::members::session::{self, CurrentMember, SESSION_DAYS};
use crate::ops::{OpsError, sessions};
use crate::state::AppState;
use axum_extra::extract::CookieJar;
use axum_extra::extract::cookie::{Cookie, SameSite};
use chrono::{Duration, Utc};
use store::StoreError;

pub const SESSION_COOKIE: &str = "mh_session";

/// A cookie with the site's attributes: HttpOnly, SameSite=Lax, Secure on https sites.
pub fn cookie(
    state: &AppState,
    name: &'static str,
    value: String,
    max_age: Duration,
) -> Cookie<'static> {
    let mut c = Cookie::new(name, value);
    c.set_http_only(true);
    c.set_same_site(SameSite::Lax);
    c.set_path("/");
    c.set_secure(state.config.secure_cookies());
    c.set_max_age(time::Duration::seconds(max_age.num_seconds()));
    c
}

/// The member whose live session the request carries, sliding its expiry forward once a day.
pub async fn current(
    state: &AppState,
    jar: &CookieJar,
) -> Result<Option<CurrentMember>, StoreError> {
    let Some(raw) = jar.get(SESSION_COOKIE) else {
        return Ok(None);
    };
    session::signed_in(&state.store, &hash(raw.value()), Utc::now()).await
}

/// Signs `member_id` in with a brand-new session id, ending the one the browser had.
pub async fn start(
    state: &AppState,
    member_id: &str,
    jar: CookieJar,
) -> Result<CookieJar, OpsError> {
    let old = jar.get(SESSION_COOKIE).map(|c| c.value().to_owned());
    let id = sessions::start(&state.ops(), member_id, old.as_deref()).await?;
    Ok(carrying(state, jar, id))
}

/// Signs this browser out; with `everywhere`, every session of the member ends.
pub async fn end(
    state: &AppState,
    current: &CurrentMember,
    jar: CookieJar,
    everywhere: bool,
) -> Result<CookieJar, OpsError> {
    sessions::end(&state.ops(), current, everywhere).await?;
    Ok(jar.add(cookie(
        state,
        SESSION_COOKIE,
        String::new(),
        Duration::zero(),
    )))
}

/// The jar with the session cookie carrying `id` (a session just started or rotated).
pub fn carrying(state: &AppState, jar: CookieJar, id: String) -> CookieJar {
    jar.add(cookie(
        state,
        SESSION_COOKIE,
        id,
        Duration::days(SESSION_DAYS),
    ))
}

//! Sessions: a random opaque id in an HttpOnly cookie, stored server-side only as a hash,
//! rotated at sign-in and after a credential change, with a 30-day sliding expiry and a 90-day
//! absolute lifetime (counted from sign-in, however often the session is used).

use super::crypto::{hash, random_token};
use crate::state::AppState;
use anyhow::Result;
use axum_extra::extract::CookieJar;
use axum_extra::extract::cookie::{Cookie, SameSite};
use chrono::{DateTime, Duration, Utc};
use domain::Member;
use domain::access::MemberAccess;
use domain::billing::Subscription;

pub const SESSION_COOKIE: &str = "mh_session";
pub const SESSION_DAYS: i64 = 30;
/// A session ends this many days after its sign-in even when used every day, so a stolen
/// cookie does not work for ever.
pub const SESSION_MAX_DAYS: i64 = 90;

/// The signed-in member of a request.
#[derive(Debug, Clone)]
pub struct CurrentMember {
    pub member: Member,
    pub subscription: Option<Subscription>,
    session_hash: String,
}

impl CurrentMember {
    /// What the member's subscription entitles them to at `now`.
    pub fn access(&self, now: DateTime<Utc>, grace: Duration) -> MemberAccess {
        MemberAccess::from_subscription(self.subscription.as_ref(), now, grace)
    }
}

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
    c.set_max_age(time_duration(max_age));
    c
}

fn time_duration(d: Duration) -> time::Duration {
    time::Duration::seconds(d.num_seconds())
}

/// The member whose live session the request carries, sliding its expiry forward once a day.
pub async fn current(state: &AppState, jar: &CookieJar) -> Result<Option<CurrentMember>> {
    let Some(raw) = jar.get(SESSION_COOKIE).map(|c| c.value().to_owned()) else {
        return Ok(None);
    };
    let session_hash = hash(&raw);
    let now = Utc::now();
    let signed_in_after = now - Duration::days(SESSION_MAX_DAYS);
    let found = state
        .store
        .session_member(&session_hash, now, signed_in_after)
        .await?;
    let Some((member, expires)) = found else {
        return Ok(None);
    };
    if expires < now + Duration::days(SESSION_DAYS - 1) {
        state
            .store
            .extend_session(&session_hash, now + Duration::days(SESSION_DAYS))
            .await?;
    }
    let subscription = state.store.subscription(&member.id).await?;
    Ok(Some(CurrentMember {
        member,
        subscription,
        session_hash,
    }))
}

/// Signs `member_id` in with a brand-new session id, ending the one the browser had.
pub async fn start(state: &AppState, member_id: &str, jar: CookieJar) -> Result<CookieJar> {
    if let Some(old) = jar.get(SESSION_COOKIE) {
        state.store.delete_session(&hash(old.value())).await?;
    }
    let id = random_token();
    let now = Utc::now();
    state
        .store
        .create_session(
            &hash(&id),
            member_id,
            now,
            now + Duration::days(SESSION_DAYS),
        )
        .await?;
    tracing::info!(member.id = member_id, "member signed in");
    Ok(jar.add(cookie(
        state,
        SESSION_COOKIE,
        id,
        Duration::days(SESSION_DAYS),
    )))
}

/// After a credential change: ends the member's other sessions and gives this browser's
/// session a new id (its sign-in time, and so its absolute lifetime, stays), in case the old
/// id leaked with the credential.
pub async fn restart(
    state: &AppState,
    current: &CurrentMember,
    jar: CookieJar,
) -> Result<CookieJar> {
    let id = random_token();
    state
        .store
        .restart_sessions(&current.member.id, &current.session_hash, &hash(&id))
        .await?;
    // Remembered classes of the ended sessions must not outlive them.
    state.cache.forget_sessions();
    tracing::info!(member.id = %current.member.id, "other sessions ended after a credential change");
    Ok(jar.add(cookie(
        state,
        SESSION_COOKIE,
        id,
        Duration::days(SESSION_DAYS),
    )))
}

/// Signs this browser out; with `everywhere`, every session of the member ends.
pub async fn end(
    state: &AppState,
    current: &CurrentMember,
    jar: CookieJar,
    everywhere: bool,
) -> Result<CookieJar> {
    if everywhere {
        state.store.delete_sessions_of(&current.member.id).await?;
    } else {
        state.store.delete_session(&current.session_hash).await?;
    }
    state.cache.forget_sessions();
    Ok(jar.add(cookie(
        state,
        SESSION_COOKIE,
        String::new(),
        Duration::zero(),
    )))
}

//! Who is reading: the signed-in member (from the session cookie), the client's address for
//! abuse limits, and CSRF tokens for forms.

use super::session::{self, cookie};
use super::{AppError, client_addr};
use crate::cache::{self, Slot, class::Class};
use crate::members::crypto::{random_token, same};
use crate::members::session::CurrentMember;
use crate::state::AppState;
use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;
use axum_extra::extract::CookieJar;
use chrono::{DateTime, Duration, Utc};
use domain::Slug;
use domain::access::MemberAccess;
use serde_json::{Value, json};
use std::net::SocketAddr;
use store::StoreError;

pub const CSRF_COOKIE: &str = "mh_csrf";
/// How long a browser's CSRF cookie lasts.
pub const CSRF_LIFETIME: Duration = Duration::days(1);

/// The request's reader: its cookies, the member they sign in (if any) and the client address.
pub struct Reader {
    pub jar: CookieJar,
    pub member: Option<CurrentMember>,
    /// The client address abuse limits count by (`client_addr::limit_key`: IPv6 by its /64).
    pub ip: String,
    /// How long a past-due subscription keeps its access, read once for the request.
    pub grace: Duration,
}

impl FromRequestParts<AppState> for Reader {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        let jar = CookieJar::from_headers(&parts.headers);
        let member = session::current(state, &jar).await?;
        let ip = client_key(parts, &state.config.trusted_proxies);
        let reader = Reader::new(state, jar, member, ip).await?;
        reader.access(Utc::now());
        Ok(reader)
    }
}

/// The limit key of the client behind the connection's peer (`serve` supplies the peer as
/// `ConnectInfo`). Only in-process tests (`oneshot`) have no peer; they share one key, and
/// forwarding headers are never believed without a trusted peer.
pub(crate) fn client_key(parts: &Parts, trusted: &[ipnet::IpNet]) -> String {
    match parts.extensions.get::<ConnectInfo<SocketAddr>>() {
        Some(ConnectInfo(peer)) => {
            client_addr::limit_key(client_addr::client_ip(peer.ip(), &parts.headers, trusted))
        }
        None => "local".to_owned(),
    }
}

impl Reader {
    /// The reader behind `jar`, signed in as `member`, with the site's grace period (read only
    /// for a member: nobody else has a subscription).
    pub async fn new(
        state: &AppState,
        jar: CookieJar,
        member: Option<CurrentMember>,
        ip: String,
    ) -> Result<Reader, AppError> {
        let grace = match member {
            Some(_) => grace(state).await?,
            None => Duration::zero(),
        };
        Ok(Reader {
            jar,
            member,
            ip,
            grace,
        })
    }

    /// What the signed-in member may read at `now` (`None` for an anonymous reader). A page
    /// built from it is rendered for that access class, which is recorded for the page cache.
    pub fn access(&self, now: DateTime<Utc>) -> Option<MemberAccess> {
        let access = self.member.as_ref().map(|m| m.access(now, self.grace));
        cache::rendered_for(&Class::name_for(access.as_ref()));
        access
    }

    /// The `member` object every template sees (null for anonymous readers). Stored pages are
    /// shared by every reader of an access class, so it holds what the class has in common
    /// (`paid`, `tier_name`) and, as per-reader slots filled per request, the member's own
    /// `name` and `email`: text to print, not to branch on.
    pub async fn member_json(&self, state: &AppState) -> Result<Value, AppError> {
        let (Some(current), Some(access)) = (&self.member, self.access(Utc::now())) else {
            return Ok(Value::Null);
        };
        let tier = access.tiers.first().filter(|_| access.paid);
        Ok(json!({
            "name": cache::slot(Slot::MemberName, current.member.name.clone()),
            "email": cache::slot(Slot::MemberEmail, current.member.email.to_string()),
            "paid": access.paid,
            "tier_name": tier_name(state, tier).await?,
        }))
    }

    /// This browser's CSRF token, creating the cookie when it has none.
    pub fn csrf(mut self, state: &AppState) -> (Reader, String) {
        let token = match self.jar.get(CSRF_COOKIE) {
            Some(c) if c.value().len() >= 32 => c.value().to_owned(),
            _ => {
                let token = random_token();
                self.jar = self
                    .jar
                    .add(cookie(state, CSRF_COOKIE, token.clone(), CSRF_LIFETIME));
                token
            }
        };
        (self, token)
    }

    /// Rejects a form whose token does not match this browser's CSRF cookie.
    pub fn check_csrf(&self, submitted: &str) -> Result<(), AppError> {
        match self.jar.get(CSRF_COOKIE) {
            Some(c) if !submitted.is_empty() && same(c.value(), submitted) => Ok(()),
            _ => Err(AppError::Forbidden {
                code: "csrf",
                message: "This form has expired. Go back, reload the page and try again.".into(),
            }),
        }
    }
}

/// The display name of `tier` ("Free" for none).
pub async fn tier_name(state: &AppState, tier: Option<&Slug>) -> Result<String, AppError> {
    let Some(slug) = tier else {
        return Ok("Free".to_owned());
    };
    Ok(state
        .store
        .tier_by_slug(slug.as_str())
        .await?
        .map_or_else(|| slug.to_string(), |t| t.name))
}

/// How long a past-due subscription keeps its access: the site's `past_due_grace_days`
/// setting, or the server's configured number (`MASTHEAD_PAST_DUE_GRACE_DAYS`, default 7)
/// while it is unset. Read through `LiveSettings`, so a change applies on every node at once.
pub async fn grace(state: &AppState) -> Result<Duration, StoreError> {
    let settings = state.settings.get().await?;
    Ok(settings.grace(state.config.past_due_grace_days))
}

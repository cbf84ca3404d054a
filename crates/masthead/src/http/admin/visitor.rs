//! Who is at the newsroom's door: their cookies, a CSRF token (the reader's double-submit
//! cookie, `mh_csrf`, created when missing), the client's limit key and user agent. Pages for
//! people not signed in (setup, sign-in, invitations) take a `Visitor`; signed-in pages a
//! `Staff`, which holds one.

use crate::http::AppError;
use crate::http::reader::{CSRF_COOKIE, CSRF_LIFETIME, client_key};
use crate::http::session::cookie;
use crate::members::crypto::{random_token, same};
use crate::ops::staff::signin::Client;
use crate::state::AppState;
use axum::extract::FromRequestParts;
use axum::http::header;
use axum::http::request::Parts;
use axum_extra::extract::CookieJar;

pub struct Visitor {
    /// The request's cookies, plus any the response is to set.
    pub jar: CookieJar,
    /// This browser's CSRF token, to put in every form as `csrf`.
    pub csrf: String,
    /// The client's limit key (`client_addr::limit_key`).
    pub ip: String,
    pub user_agent: String,
}

impl FromRequestParts<AppState> for Visitor {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        let mut jar = CookieJar::from_headers(&parts.headers);
        let csrf = match jar.get(CSRF_COOKIE) {
            Some(c) if c.value().len() >= 32 => c.value().to_owned(),
            _ => {
                let token = random_token();
                jar = jar.add(cookie(state, CSRF_COOKIE, token.clone(), CSRF_LIFETIME));
                token
            }
        };
        let user_agent = parts
            .headers
            .get(header::USER_AGENT)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned();
        Ok(Visitor {
            jar,
            csrf,
            ip: client_key(parts, &state.config.trusted_proxies),
            user_agent,
        })
    }
}

impl Visitor {
    /// Rejects a form whose `csrf` field does not match this browser's CSRF cookie.
    pub fn check_csrf(&self, submitted: &str) -> Result<(), AppError> {
        match self.jar.get(CSRF_COOKIE) {
            Some(c) if !submitted.is_empty() && same(c.value(), submitted) => Ok(()),
            _ => Err(AppError::Forbidden {
                code: "csrf",
                message: "This form has expired. Go back, reload the page and try again.".into(),
            }),
        }
    }

    /// The client as sign-in records it.
    pub fn client(&self) -> Client<'_> {
        Client {
            ip: &self.ip,
            user_agent: &self.user_agent,
        }
    }
}

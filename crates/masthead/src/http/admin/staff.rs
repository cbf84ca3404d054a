//! The `Staff` extractor: the signed-in staff user of a request, from the `mh_staff` cookie
//! (never the member cookie, `mh_session`). Pages redirect to `/admin/signin/` without one;
//! requests that accept JSON get 401. Permissions are checked with `require`, which asks
//! `domain::staff::may` (ops checks again before every write).

use super::visitor::Visitor;
use crate::http::AppError;
use crate::http::session::cookie;
use crate::ops::staff::{Actor, signin};
use crate::state::AppState;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::CookieJar;
use chrono::{Duration, Utc};
use domain::Action;
use store::staff::{StaffSession, StaffUser};

/// The staff session cookie.
pub const STAFF_COOKIE: &str = "mh_staff";
/// The cookie of a browser a staff user verified with an emailed code.
pub const DEVICE_COOKIE: &str = "mh_staff_device";
/// The cookie naming a sign-in that waits for its emailed code.
pub const PENDING_COOKIE: &str = "mh_staff_pending";

/// A signed-in staff user, with the request's `Visitor` (cookies, CSRF token, client).
pub struct Staff {
    pub user: StaffUser,
    pub session: StaffSession,
    pub visitor: Visitor,
}

/// Why a request has no `Staff`: a page goes to the sign-in form, JSON gets 401.
pub enum NotSignedIn {
    Page,
    Json,
    Error(AppError),
}

impl IntoResponse for NotSignedIn {
    fn into_response(self) -> Response {
        let mut response = match self {
            NotSignedIn::Page => Redirect::to("/admin/signin/").into_response(),
            NotSignedIn::Json => (
                StatusCode::UNAUTHORIZED,
                axum::Json(serde_json::json!({"error": "not_signed_in", "message": "Sign in to the newsroom."})),
            )
                .into_response(),
            NotSignedIn::Error(e) => e.into_response(),
        };
        super::view::headers(&mut response);
        response
    }
}

impl FromRequestParts<AppState> for Staff {
    type Rejection = NotSignedIn;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, NotSignedIn> {
        let visitor = Visitor::from_request_parts(parts, state)
            .await
            .map_err(NotSignedIn::Error)?;
        match signed_in(state, &visitor.jar)
            .await
            .map_err(NotSignedIn::Error)?
        {
            Some((user, session)) => Ok(Staff {
                user,
                session,
                visitor,
            }),
            None if wants_json(parts) => Err(NotSignedIn::Json),
            None => Err(NotSignedIn::Page),
        }
    }
}

fn wants_json(parts: &Parts) -> bool {
    parts
        .headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|a| a.contains("application/json"))
}

/// The staff user the jar's `mh_staff` cookie signs in, if any.
pub async fn signed_in(
    state: &AppState,
    jar: &CookieJar,
) -> Result<Option<(StaffUser, StaffSession)>, AppError> {
    let Some(raw) = jar.get(STAFF_COOKIE) else {
        return Ok(None);
    };
    Ok(signin::current(&state.ops(), raw.value(), Utc::now()).await?)
}

impl Staff {
    /// This staff user as ops takes them.
    pub fn actor(&self) -> Actor<'_> {
        Actor::Staff(&self.user)
    }

    /// Whether their role allows `action` (`is_own`: on their own post or themselves).
    pub fn may(&self, action: Action, is_own: bool) -> bool {
        domain::staff::may(self.user.role, action, is_own)
    }

    /// `may`, or a 403.
    pub fn require(&self, action: Action, is_own: bool) -> Result<(), AppError> {
        if self.may(action, is_own) {
            Ok(())
        } else {
            Err(AppError::Forbidden {
                code: "forbidden",
                message: format!("{}s cannot open this page.", self.user.role.label()),
            })
        }
    }

    /// Rejects a form whose `csrf` field does not match this browser's CSRF cookie.
    pub fn check_csrf(&self, submitted: &str) -> Result<(), AppError> {
        self.visitor.check_csrf(submitted)
    }

    /// Renders a newsroom page for this staff user (see `view::page`).
    pub fn page(
        self,
        template: &str,
        title: &str,
        data: serde_json::Value,
    ) -> Result<Response, AppError> {
        super::view::page(self.visitor, Some(&self.user), template, title, data)
    }
}

/// The jar with the staff session cookie carrying `id` (HttpOnly, SameSite=Lax).
pub fn with_session(state: &AppState, jar: CookieJar, id: String) -> CookieJar {
    jar.add(cookie(
        state,
        STAFF_COOKIE,
        id,
        Duration::days(signin::STAFF_SESSION_DAYS),
    ))
}

/// The jar with the device cookie (a year).
pub fn with_device(state: &AppState, jar: CookieJar, device: String) -> CookieJar {
    jar.add(cookie(state, DEVICE_COOKIE, device, Duration::days(365)))
}

/// The jar with `name` removed.
pub fn without(state: &AppState, jar: CookieJar, name: &'static str) -> CookieJar {
    jar.add(cookie(state, name, String::new(), Duration::zero()))
}

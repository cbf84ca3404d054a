//! Staff sign-in and sign-out: `/admin/signin/` (email and password), `/admin/signin/code/`
//! (the code mailed for a device not seen before), `POST /admin/signout`.

use super::staff::{
    DEVICE_COOKIE, PENDING_COOKIE, STAFF_COOKIE, Staff, with_device, with_session, without,
};
use super::view;
use super::visitor::Visitor;
use crate::http::AppError;
use crate::http::session::cookie;
use crate::ops::staff::{Pending, signin};
use crate::state::AppState;
use axum::Form;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::cookie::{Cookie, CookieJar};
use chrono::Duration;
use serde::Deserialize;
use serde_json::json;

/// `GET /admin/signin/`.
pub async fn page(visitor: Visitor) -> Result<Response, AppError> {
    view::page(visitor, None, "signin", "Sign in", json!({}))
}

#[derive(Deserialize)]
pub struct SignInForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
}

/// `POST /admin/signin/`: on a known device straight in; otherwise on to the code page.
pub async fn submit(
    State(state): State<AppState>,
    visitor: Visitor,
    Form(form): Form<SignInForm>,
) -> Result<Response, AppError> {
    visitor.check_csrf(&form.csrf)?;
    let device = visitor.jar.get(DEVICE_COOKIE).map(|c| c.value().to_owned());
    let outcome = state
        .staff_sign_in()
        .password(
            &form.email,
            &form.password,
            device.as_deref(),
            &visitor.client(),
        )
        .await;
    match outcome {
        Ok(Pending::SignedIn { session }) => {
            let jar = with_session(&state, visitor.jar.clone(), session);
            Ok(redirect(jar, "/admin/"))
        }
        Ok(Pending::NeedsDeviceCode { token }) => {
            let pending = pending_cookie(&state, token);
            Ok(redirect(
                visitor.jar.clone().add(pending),
                "/admin/signin/code/",
            ))
        }
        Ok(Pending::NeedsTotp { token }) => {
            let pending = pending_cookie(&state, token);
            Ok(redirect(
                visitor.jar.clone().add(pending),
                "/admin/signin/totp/",
            ))
        }
        Err(e) if e.is_for_reader() => {
            let status = status_of(&e);
            let data = json!({"error": e.to_string(), "form": {"email": form.email}});
            view::page_with_status(visitor, None, status, "signin", "Sign in", data)
        }
        Err(e) => Err(e.into()),
    }
}

/// A redirect that sets `jar`'s cookies, with the admin pages' headers.
fn redirect(jar: CookieJar, to: &str) -> Response {
    let mut r = (jar, Redirect::to(to)).into_response();
    view::headers(&mut r);
    r
}

/// The pending sign-in's token, kept in a cookie between the password and the next step.
fn pending_token(visitor: &Visitor) -> Option<String> {
    visitor
        .jar
        .get(PENDING_COOKIE)
        .map(|c| c.value().to_owned())
}

/// A step's page again with the reason `e` its code was refused, or the error itself.
fn refused(
    visitor: Visitor,
    e: crate::ops::OpsError,
    template: &str,
    title: &str,
) -> Result<Response, AppError> {
    if !e.is_for_reader() {
        return Err(e.into());
    }
    let data = json!({"error": e.to_string()});
    view::page_with_status(visitor, None, status_of(&e), template, title, data)
}

fn pending_cookie(state: &AppState, token: String) -> Cookie<'static> {
    cookie(
        state,
        PENDING_COOKIE,
        token,
        Duration::minutes(signin::DEVICE_CODE_MINUTES),
    )
}

/// The status a refused form comes back with.
pub fn status_of(e: &crate::ops::OpsError) -> StatusCode {
    use crate::ops::OpsError as E;
    match e {
        E::RateLimited | E::CodeLocked | E::DailyCap => StatusCode::TOO_MANY_REQUESTS,
        E::Forbidden(_) => StatusCode::FORBIDDEN,
        E::Conflict(_) => StatusCode::CONFLICT,
        E::NotFound(_) => StatusCode::NOT_FOUND,
        _ => StatusCode::BAD_REQUEST,
    }
}

/// `GET /admin/signin/code/`.
pub async fn code_page(visitor: Visitor) -> Result<Response, AppError> {
    if visitor.jar.get(PENDING_COOKIE).is_none() {
        return Ok(Redirect::to("/admin/signin/").into_response());
    }
    view::page(visitor, None, "code", "Check your email", json!({}))
}

#[derive(Deserialize)]
pub struct CodeForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    code: String,
}

/// `POST /admin/signin/code/`: the right code signs in and remembers this device.
pub async fn code_submit(
    State(state): State<AppState>,
    visitor: Visitor,
    Form(form): Form<CodeForm>,
) -> Result<Response, AppError> {
    visitor.check_csrf(&form.csrf)?;
    let Some(token) = pending_token(&visitor) else {
        return Ok(Redirect::to("/admin/signin/").into_response());
    };
    let outcome = state
        .staff_sign_in()
        .device_code(&token, &form.code, &visitor.client())
        .await;
    match outcome {
        Ok((next, device)) => {
            let jar = with_device(&state, visitor.jar, device);
            Ok(match next {
                Pending::SignedIn { session } => redirect(
                    without(&state, with_session(&state, jar, session), PENDING_COOKIE),
                    "/admin/",
                ),
                Pending::NeedsTotp { token } | Pending::NeedsDeviceCode { token } => redirect(
                    jar.add(pending_cookie(&state, token)),
                    "/admin/signin/totp/",
                ),
            })
        }
        Err(e) => refused(visitor, e, "code", "Check your email"),
    }
}

/// `GET /admin/signin/totp/`.
pub async fn totp_page(visitor: Visitor) -> Result<Response, AppError> {
    if visitor.jar.get(PENDING_COOKIE).is_none() {
        return Ok(Redirect::to("/admin/signin/").into_response());
    }
    view::page(visitor, None, "totp", "Two-step verification", json!({}))
}

/// `POST /admin/signin/totp/`: the authenticator app's code finishes signing in.
pub async fn totp_submit(
    State(state): State<AppState>,
    visitor: Visitor,
    Form(form): Form<CodeForm>,
) -> Result<Response, AppError> {
    visitor.check_csrf(&form.csrf)?;
    let Some(token) = pending_token(&visitor) else {
        return Ok(Redirect::to("/admin/signin/").into_response());
    };
    let outcome = state
        .staff_sign_in()
        .totp_code(&token, &form.code, &visitor.client())
        .await;
    match outcome {
        Ok(session) => {
            let jar = with_session(&state, visitor.jar, session);
            Ok(redirect(without(&state, jar, PENDING_COOKIE), "/admin/"))
        }
        Err(e) => refused(visitor, e, "totp", "Two-step verification"),
    }
}

#[derive(Deserialize)]
pub struct CsrfForm {
    #[serde(default)]
    pub csrf: String,
}

/// `POST /admin/signout`: ends this session.
pub async fn signout(
    State(state): State<AppState>,
    staff: Staff,
    Form(form): Form<CsrfForm>,
) -> Result<Response, AppError> {
    staff.check_csrf(&form.csrf)?;
    signin::end(&state.ops(), &staff.user, &staff.session.id_hash).await?;
    let jar = without(&state, staff.visitor.jar, STAFF_COOKIE);
    Ok(redirect(jar, "/admin/signin/"))
}

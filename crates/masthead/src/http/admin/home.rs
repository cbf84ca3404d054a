//! `/admin/`: the one-time setup while the site has no owner, then the newsroom's front page
//! (or the sign-in form for someone not signed in).

use super::staff::{self as staff_cookie, Staff};
use super::view;
use super::visitor::Visitor;
use crate::http::AppError;
use crate::ops::OpsError;
use crate::ops::staff::{NewOwner, accounts};
use crate::state::AppState;
use axum::Form;
use axum::extract::{FromRequestParts, Request, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use serde_json::json;

/// `GET /admin/`.
pub async fn home(State(state): State<AppState>, req: Request) -> Result<Response, AppError> {
    let (mut parts, _) = req.into_parts();
    if state.store.staff_owner().await?.is_none() {
        let visitor = Visitor::from_request_parts(&mut parts, &state).await?;
        return view::page(visitor, None, "setup", "Set up your site", json!({}));
    }
    match Staff::from_request_parts(&mut parts, &state).await {
        Ok(staff) => {
            let data = json!({
                "role_label": staff.user.role.label(),
                "dashboard": staff.may(domain::Action::Dashboard, false),
            });
            staff.page("home", "Newsroom", data)
        }
        Err(rejected) => Ok(rejected.into_response()),
    }
}

#[derive(Deserialize)]
pub struct SetupForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    site_title: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
}

/// `POST /admin/setup`: makes the owner, names the site, signs the owner in on this (now
/// verified) device.
pub async fn setup(
    State(state): State<AppState>,
    visitor: Visitor,
    Form(form): Form<SetupForm>,
) -> Result<Response, AppError> {
    visitor.check_csrf(&form.csrf)?;
    let owner = NewOwner {
        site_title: &form.site_title,
        name: &form.name,
        email: &form.email,
        password: &form.password,
    };
    let id = match accounts::setup(&state.ops(), &owner).await {
        Ok(id) => id,
        Err(OpsError::Conflict(_)) => return Ok(Redirect::to("/admin/signin/").into_response()),
        Err(e) if e.is_for_reader() => {
            let data = json!({"error": e.to_string(), "form": {"site_title": form.site_title, "name": form.name, "email": form.email}});
            return view::page_with_status(
                visitor,
                None,
                StatusCode::BAD_REQUEST,
                "setup",
                "Set up your site",
                data,
            );
        }
        Err(e) => return Err(e.into()),
    };
    signed_in_response(&state, visitor, &id).await
}

/// Signs the staff user `id` in on this browser, remembering it as a verified device (they
/// just proved their address or own the site), and goes to the newsroom.
pub async fn signed_in_response(
    state: &AppState,
    visitor: Visitor,
    id: &str,
) -> Result<Response, AppError> {
    let user = state
        .store
        .staff_by_id(id)
        .await?
        .ok_or(AppError::NotFound)?;
    let sign_in = state.staff_sign_in();
    let device = sign_in.new_device(&user).await?;
    let session = sign_in.start(&user, &visitor.client()).await?;
    let jar = staff_cookie::with_session(state, visitor.jar, session);
    let jar = staff_cookie::with_device(state, jar, device);
    let mut response = (jar, Redirect::to("/admin/")).into_response();
    view::headers(&mut response);
    Ok(response)
}

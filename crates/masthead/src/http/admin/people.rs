//! The staff pages: the list (with pending invitations), inviting by email, changing roles,
//! suspending and restoring, deleting with the transfer of posts; and the pages a link opens:
//! accepting an invitation, setting a password.

use super::home::signed_in_response;
use super::signin::status_of;
use super::staff::Staff;
use super::view::{self, staff_json};
use super::visitor::Visitor;
use crate::http::AppError;
use crate::ops::OpsError;
use crate::ops::staff::accounts;
use crate::state::AppState;
use axum::Form;
use axum::extract::{Path, State};
use axum::response::Response;
use chrono::Utc;
use domain::{Action, Role, StaffStatus};
use serde::Deserialize;
use serde_json::{Value, json};

/// `GET /admin/staff/`.
pub async fn list(State(state): State<AppState>, staff: Staff) -> Result<Response, AppError> {
    list_with(&state, staff, Value::Null).await
}

async fn list_with(state: &AppState, staff: Staff, notice: Value) -> Result<Response, AppError> {
    // Staff management is for editors and up (the roles that may invite anyone).
    staff.require(Action::Invite(Role::Contributor), false)?;
    let users = state.store.staff_users().await?;
    let heirs: Vec<Value> = users.iter().map(staff_json).collect();
    let rows: Vec<Value> = users
        .iter()
        .map(|u| {
            let own = u.id() == staff.user.id();
            let mut row = staff_json(u);
            row["manageable"] = json!(staff.may(Action::ManageStaff(u.role), own));
            row["roles"] = json!(assignable(&staff, u.role));
            row["heirs"] = json!(
                heirs
                    .iter()
                    .filter(|h| h["id"] != row["id"])
                    .collect::<Vec<_>>()
            );
            row
        })
        .collect();
    let invitations: Vec<Value> = state
            .store
            .pending_invitations(Utc::now())
            .await?
            .iter()
            .map(|i| json!({"email": i.email, "role": i.role.label(), "expires": i.expires_at.format("%Y-%m-%d").to_string()}))
            .collect();
    let invite_roles: Vec<Value> = Role::ALL
        .into_iter()
        .filter(|r| staff.may(Action::Invite(*r), false))
        .map(|r| json!({"value": r.as_str(), "label": r.label()}))
        .collect();
    let data = json!({
        "users": rows,
        "invitations": invitations,
        "invite_roles": invite_roles,
        "notice": notice,
    });
    staff.page("staff", "Staff", data)
}

/// The roles `staff` may give someone who holds `current`.
fn assignable(staff: &Staff, current: Role) -> Vec<Value> {
    Role::ALL
        .into_iter()
        .filter(|r| staff.may(Action::AssignRole(*r), false))
        .map(|r| json!({"value": r.as_str(), "label": r.label(), "selected": r == current}))
        .collect()
}

#[derive(Deserialize)]
pub struct InviteForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    role: String,
}

/// `POST /admin/staff/invite`.
pub async fn invite(
    State(state): State<AppState>,
    staff: Staff,
    Form(form): Form<InviteForm>,
) -> Result<Response, AppError> {
    staff.check_csrf(&form.csrf)?;
    let role = Role::parse(&form.role).map_err(|e| OpsError::Invalid(e.0));
    let done = match role {
        Ok(role) => {
            accounts::invite(
                &state.ops(),
                &state.mailer,
                staff.actor(),
                &form.email,
                role,
            )
            .await
        }
        Err(e) => Err(e),
    };
    outcome(
        &state,
        staff,
        done,
        &format!("Invitation sent to {}.", form.email.trim()),
    )
    .await
}

/// After a staff form: the list again, with the notice or the error (and its status).
async fn outcome(
    state: &AppState,
    staff: Staff,
    done: Result<(), OpsError>,
    success: &str,
) -> Result<Response, AppError> {
    match done {
        Ok(()) => list_with(state, staff, json!({"ok": success})).await,
        Err(e) if e.is_for_reader() => {
            let status = status_of(&e);
            let mut r = list_with(state, staff, json!({"error": e.to_string()})).await?;
            *r.status_mut() = status;
            Ok(r)
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize)]
pub struct RoleForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    role: String,
}

/// `POST /admin/staff/{id}/role`.
pub async fn role(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
    Form(form): Form<RoleForm>,
) -> Result<Response, AppError> {
    staff.check_csrf(&form.csrf)?;
    let done = match Role::parse(&form.role) {
        Ok(role) => accounts::change_role(&state.ops(), staff.actor(), &id, role).await,
        Err(e) => Err(OpsError::Invalid(e.0)),
    };
    outcome(&state, staff, done, "Role changed.").await
}

#[derive(Deserialize)]
pub struct StatusForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    status: String,
}

/// `POST /admin/staff/{id}/status`: `suspended` or `active`.
pub async fn status(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
    Form(form): Form<StatusForm>,
) -> Result<Response, AppError> {
    staff.check_csrf(&form.csrf)?;
    let done = match StaffStatus::parse(&form.status) {
        Ok(s) => accounts::set_status(&state.ops(), staff.actor(), &id, s).await,
        Err(e) => Err(OpsError::Invalid(e.0)),
    };
    outcome(&state, staff, done, "Saved.").await
}

#[derive(Deserialize)]
pub struct DeleteForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    heir: String,
}

/// `POST /admin/staff/{id}/delete`: their posts go to `heir`.
pub async fn delete(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
    Form(form): Form<DeleteForm>,
) -> Result<Response, AppError> {
    staff.check_csrf(&form.csrf)?;
    let done = accounts::delete(&state.ops(), staff.actor(), &id, &form.heir).await;
    outcome(
        &state,
        staff,
        done,
        "Deleted; their posts were transferred.",
    )
    .await
}

/// `GET /admin/invitation/{token}/`.
pub async fn invitation_page(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(token): Path<String>,
) -> Result<Response, AppError> {
    let Ok(invitation) = accounts::invitation(&state.ops(), &token).await else {
        return gone(
            visitor,
            "This invitation has expired or was already used. Ask for a new one.",
        );
    };
    let data = json!({"email": invitation.email, "role": invitation.role.label(), "token": token});
    view::page(visitor, None, "invitation", "Join the newsroom", data)
}

fn gone(visitor: Visitor, message: &str) -> Result<Response, AppError> {
    view::page_with_status(
        visitor,
        None,
        axum::http::StatusCode::NOT_FOUND,
        "message",
        "Link expired",
        json!({"message": message}),
    )
}

#[derive(Deserialize)]
pub struct AcceptForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    password: String,
}

/// `POST /admin/invitation/{token}/`: joins and signs in.
pub async fn accept(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(token): Path<String>,
    Form(form): Form<AcceptForm>,
) -> Result<Response, AppError> {
    visitor.check_csrf(&form.csrf)?;
    match accounts::accept(&state.ops(), &token, &form.name, &form.password).await {
        Ok(id) => signed_in_response(&state, visitor, &id).await,
        Err(OpsError::NotFound(_)) => gone(
            visitor,
            "This invitation has expired or was already used. Ask for a new one.",
        ),
        Err(e) if e.is_for_reader() => {
            let invitation = accounts::invitation(&state.ops(), &token).await?;
            let data = json!({"email": invitation.email, "role": invitation.role.label(), "token": token, "error": e.to_string(), "form": {"name": form.name}});
            view::page_with_status(
                visitor,
                None,
                status_of(&e),
                "invitation",
                "Join the newsroom",
                data,
            )
        }
        Err(e) => Err(e.into()),
    }
}

/// `GET /admin/password/{token}/`.
pub async fn password_page(
    visitor: Visitor,
    Path(token): Path<String>,
) -> Result<Response, AppError> {
    view::page(
        visitor,
        None,
        "password",
        "Set your password",
        json!({"token": token}),
    )
}

#[derive(Deserialize)]
pub struct PasswordForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    password: String,
}

/// `POST /admin/password/{token}/`: sets the password, signs in.
pub async fn set_password(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(token): Path<String>,
    Form(form): Form<PasswordForm>,
) -> Result<Response, AppError> {
    visitor.check_csrf(&form.csrf)?;
    match accounts::set_password_by_token(&state.ops(), &token, &form.password).await {
        Ok(id) => signed_in_response(&state, visitor, &id).await,
        Err(OpsError::NotFound(_)) => gone(visitor, "This link has expired or was already used."),
        Err(e) if e.is_for_reader() => {
            let data = json!({"token": token, "error": e.to_string()});
            view::page_with_status(
                visitor,
                None,
                status_of(&e),
                "password",
                "Set your password",
                data,
            )
        }
        Err(e) => Err(e.into()),
    }
}

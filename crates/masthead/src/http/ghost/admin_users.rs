//! The Admin API's `users/` (browse; read by id, slug or email): staff users in Ghost's shape,
//! with their `roles`. Bylines without a role are authors, not users, and are not listed.

use super::admin_auth::AdminKey;
use super::error::GhostError;
use crate::ghost::params::{MAX_LIMIT, Params, pagination};
use crate::ghost::shapes;
use crate::http::extract::Segments;
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use serde_json::{Value, json};
use store::staff::StaffUser;

type Reply = Result<Json<Value>, GhostError>;

/// A staff user as Ghost's Admin API shows a user.
fn user(u: &StaffUser, base: &str) -> Value {
    let mut v = shapes::author(&u.author, base, &None);
    v["email"] = json!(u.email);
    v["status"] = json!(if u.is_active() { "active" } else { "inactive" });
    v["facebook"] = json!(u.social.get("facebook"));
    v["twitter"] = json!(u.social.get("x").or_else(|| u.social.get("twitter")));
    v["created_at"] = json!(shapes::time(u.created_at));
    v["roles"] = json!([{
        "id": u.role.as_str(),
        "name": u.role.label(),
        "description": null,
    }]);
    v["masthead"]["social"] = json!(u.social);
    v
}

/// `GET /users/`: every staff user (a newsroom has dozens, not thousands: one page).
pub async fn browse(_: AdminKey, State(state): State<AppState>) -> Reply {
    let base = &state.config.public_url;
    let users: Vec<Value> = state
        .store
        .staff_users()
        .await?
        .iter()
        .map(|u| user(u, base))
        .collect();
    let params = Params {
        limit: MAX_LIMIT,
        page: 1,
        ..Params::default()
    };
    let total = users.len() as u64;
    Ok(Json(
        json!({ "users": users, "meta": pagination(&params, total) }),
    ))
}

fn read(state: &AppState, found: Option<StaffUser>) -> Reply {
    let u = found.ok_or_else(|| GhostError::not_found("User"))?;
    Ok(Json(
        json!({ "users": [user(&u, &state.config.public_url)] }),
    ))
}

/// `GET /users/{id}/`.
pub async fn by_id(
    _: AdminKey,
    State(state): State<AppState>,
    Segments(id): Segments<String>,
) -> Reply {
    let found = state.store.staff_by_id(&id).await?;
    read(&state, found)
}

/// `GET /users/slug/{slug}/`.
pub async fn by_slug(
    _: AdminKey,
    State(state): State<AppState>,
    Segments(slug): Segments<String>,
) -> Reply {
    let found = state
        .store
        .staff_users()
        .await?
        .into_iter()
        .find(|u| u.author.slug.as_str() == slug);
    read(&state, found)
}

/// `GET /users/email/{email}/`.
pub async fn by_email(
    _: AdminKey,
    State(state): State<AppState>,
    Segments(email): Segments<String>,
) -> Reply {
    let found = state.store.staff_by_email(&email).await?;
    read(&state, found)
}

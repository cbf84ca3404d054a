//! `/admin/profile/`: one's own profile (name, slug, bio, credentials line, photo URL,
//! website, social links) and live sessions, each revocable.

use super::signin::status_of;
use super::staff::Staff;
use crate::http::AppError;
use crate::ops::OpsError;
use crate::ops::staff::{accounts, signin, totp};
use crate::state::AppState;
use axum::Form;
use axum::extract::State;
use axum::response::Response;
use chrono::Utc;
use domain::Slug;
use serde::Deserialize;
use serde_json::{Value, json};
use std::collections::BTreeMap;
use store::staff::Profile;

/// The social networks a profile links to, as Ghost lists them.
const NETWORKS: [&str; 6] = [
    "x", "facebook", "linkedin", "bluesky", "threads", "mastodon",
];

/// `GET /admin/profile/`.
pub async fn page(State(state): State<AppState>, staff: Staff) -> Result<Response, AppError> {
    show(&state, staff, Value::Null).await
}

async fn show(state: &AppState, staff: Staff, notice: Value) -> Result<Response, AppError> {
    let sessions: Vec<Value> = state
        .store
        .staff_sessions_of(staff.user.id(), Utc::now())
        .await?
        .iter()
        .map(|s| {
            json!({
                "id": s.id_hash,
                "user_agent": if s.user_agent.is_empty() { "Unknown browser" } else { &s.user_agent },
                "client": s.client,
                "created": s.created().format("%Y-%m-%d %H:%M UTC").to_string(),
                "last_seen": s.last_seen().format("%Y-%m-%d %H:%M UTC").to_string(),
                "current": s.id_hash == staff.session.id_hash,
            })
        })
        .collect();
    let a = &staff.user.author;
    let social: Vec<Value> = NETWORKS
        .iter()
        .map(|n| json!({"name": n, "value": staff.user.social.get(*n)}))
        .collect();
    let totp = if staff.user.has_totp {
        json!({"on": true})
    } else {
        let site = crate::settings::SiteSettings::load(&state.store)
            .await?
            .title;
        let secret = totp::new_secret();
        json!({
            "on": false,
            "secret": secret,
            "url": totp::otpauth_url(&secret, &staff.user.email, &site),
            "sealed": state.signer.seal(&format!("totp:{}:{secret}", staff.user.id())),
        })
    };
    let data = json!({
        "totp": totp,
        "profile": {
            "name": a.name, "slug": a.slug.as_str(), "bio": a.bio, "credentials": a.credentials,
            "avatar": a.avatar, "website": a.website,
        },
        "social": social,
        "sessions": sessions,
        "notice": notice,
    });
    staff.page("profile", "Your profile", data)
}

#[derive(Deserialize)]
pub struct ProfileForm {
    #[serde(default)]
    csrf: String,
    #[serde(flatten)]
    fields: BTreeMap<String, String>,
}

/// `POST /admin/profile/`.
pub async fn save(
    State(state): State<AppState>,
    staff: Staff,
    Form(form): Form<ProfileForm>,
) -> Result<Response, AppError> {
    staff.check_csrf(&form.csrf)?;
    let field = |k: &str| form.fields.get(k).map_or("", |v| v.trim()).to_owned();
    let optional = |k: &str| Some(field(k)).filter(|v| !v.is_empty());
    let slug = Slug::parse(&field("slug")).map_err(|e| OpsError::Invalid(e.to_string()));
    let done = match slug {
        Ok(slug) => {
            let profile = Profile {
                name: field("name"),
                slug,
                bio: field("bio"),
                credentials: field("credentials"),
                avatar: optional("avatar"),
                website: optional("website"),
                social: NETWORKS
                    .iter()
                    .filter_map(|n| optional(&format!("social_{n}")).map(|v| ((*n).to_owned(), v)))
                    .collect(),
            };
            accounts::update_profile(&state.ops(), &staff.user, &profile).await
        }
        Err(e) => Err(e),
    };
    respond(&state, staff, done, "Profile saved.").await
}

async fn respond(
    state: &AppState,
    staff: Staff,
    done: Result<(), OpsError>,
    success: &str,
) -> Result<Response, AppError> {
    match done {
        Ok(()) => {
            // Show what was saved.
            let Some(user) = state.store.staff_by_id(staff.user.id()).await? else {
                return Err(AppError::NotFound);
            };
            let staff = Staff { user, ..staff };
            show(state, staff, json!({"ok": success})).await
        }
        Err(e) if e.is_for_reader() => {
            let status = status_of(&e);
            let mut r = show(state, staff, json!({"error": e.to_string()})).await?;
            *r.status_mut() = status;
            Ok(r)
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize)]
pub struct EndForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    session: String,
}

/// `POST /admin/profile/sessions/end`: ends one of one's own sessions.
pub async fn end_session(
    State(state): State<AppState>,
    staff: Staff,
    Form(form): Form<EndForm>,
) -> Result<Response, AppError> {
    staff.check_csrf(&form.csrf)?;
    let done = signin::end(&state.ops(), &staff.user, &form.session).await;
    respond(&state, staff, done, "Session ended.").await
}

#[derive(Deserialize)]
pub struct TotpForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    sealed: String,
    #[serde(default)]
    code: String,
}

/// `POST /admin/profile/totp/enable`: the secret shown on the page (sealed, so only one this
/// server made for this staff user) and a code from the app.
pub async fn totp_enable(
    State(state): State<AppState>,
    staff: Staff,
    Form(form): Form<TotpForm>,
) -> Result<Response, AppError> {
    staff.check_csrf(&form.csrf)?;
    let prefix = format!("totp:{}:", staff.user.id());
    let secret = state
        .signer
        .open(&form.sealed)
        .and_then(|p| p.strip_prefix(&prefix))
        .map(str::to_owned);
    let done = match secret {
        Some(secret) => totp::enable(&state.ops(), &staff.user, &secret, &form.code).await,
        None => Err(OpsError::Invalid("Reload the page and try again.".into())),
    };
    respond(&state, staff, done, "Two-step verification is on.").await
}

/// `POST /admin/profile/totp/disable`: with a current code.
pub async fn totp_disable(
    State(state): State<AppState>,
    staff: Staff,
    Form(form): Form<TotpForm>,
) -> Result<Response, AppError> {
    staff.check_csrf(&form.csrf)?;
    let done = totp::disable(&state.ops(), &staff.user, &form.code).await;
    respond(&state, staff, done, "Two-step verification is off.").await
}

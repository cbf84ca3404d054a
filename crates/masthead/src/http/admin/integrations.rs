//! `/admin/integrations/`: API keys and webhooks for administrators. A key is made with a name
//! and its secret shown on the page that answers the creation, once (later views show its id
//! and the secret's first characters); revoking asks first. Webhooks are added, edited and
//! deleted (after a confirmation), with their last delivery's outcome, recent attempts and a
//! "Send test" button that queues a `site.test` ping for the deliverer. Every write goes
//! through `ops::keys` and `ops::webhooks`, which check the staff user's role.

use super::signin::status_of;
use super::staff::Staff;
use super::view;
use crate::http::AppError;
use crate::ops::{OpsError, keys, webhooks};
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use chrono::{DateTime, SecondsFormat, Utc};
use domain::{Action, TargetUrl, WebhookEvent};
use serde::Deserialize;
use serde_json::{Value, json};
use store::Webhook;

const HOME: &str = "/admin/integrations/";

/// The integrations pages' routes (merged by `admin::router`).
pub fn router() -> Router<AppState> {
    Router::new()
        .route(HOME, get(list))
        .route("/admin/integrations/keys", post(create_key))
        .route(
            "/admin/integrations/keys/{id}/revoke",
            get(revoke_page).post(revoke),
        )
        .route("/admin/integrations/webhooks", post(add_hook))
        .route(
            "/admin/integrations/webhooks/{id}/",
            get(hook_page).post(save_hook),
        )
        .route("/admin/integrations/webhooks/{id}/test", post(test_hook))
        .route(
            "/admin/integrations/webhooks/{id}/delete",
            get(delete_page).post(delete_hook),
        )
}

/// `GET /admin/integrations/`.
async fn list(State(state): State<AppState>, staff: Staff) -> Result<Response, AppError> {
    staff.require(Action::Settings, false)?;
    show(&state, staff, Value::Null, &HookForm::default(), None).await
}

#[derive(Deserialize, Default, serde::Serialize)]
#[serde(default)]
struct KeyForm {
    #[serde(skip_serializing)]
    csrf: String,
    name: String,
    kind: String,
}

/// `POST /admin/integrations/keys`: the page again, with the new key's secret shown once.
async fn create_key(
    State(state): State<AppState>,
    staff: Staff,
    Form(form): Form<KeyForm>,
) -> Result<Response, AppError> {
    staff.check_csrf(&form.csrf)?;
    let admin = form.kind == "admin";
    match keys::create_for(
        &state.ops(),
        staff.actor(),
        form.name.trim(),
        admin,
        Utc::now(),
    )
    .await
    {
        Ok(made) => {
            let created = json!({
                "id": made.key.id, "name": made.key.name, "admin": admin, "secret": made.secret,
            });
            show(&state, staff, created, &HookForm::default(), None).await
        }
        Err(e) if e.is_for_reader() => {
            show(&state, staff, Value::Null, &HookForm::default(), Some(&e)).await
        }
        Err(e) => Err(e.into()),
    }
}

/// `GET /admin/integrations/keys/{id}/revoke`: the confirmation.
async fn revoke_page(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    staff.require(Action::Settings, false)?;
    let key = state
        .store
        .api_keys()
        .await?
        .into_iter()
        .find(|k| k.id == id && k.revoked_at.is_none())
        .ok_or(AppError::NotFound)?;
    let data = json!({
        "action": format!("/admin/integrations/keys/{}/revoke", key.id),
        "question": format!("Revoke the {} key “{}”? Integrations using it stop working at once; this cannot be undone.", key.kind.as_str(), key.name),
        "button": format!("Revoke {}", key.name),
    });
    staff.page("integrations/confirm", "Revoke key", data)
}

#[derive(Deserialize)]
struct CsrfForm {
    #[serde(default)]
    csrf: String,
}

/// `POST /admin/integrations/keys/{id}/revoke`.
async fn revoke(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
    Form(form): Form<CsrfForm>,
) -> Result<Response, AppError> {
    staff.check_csrf(&form.csrf)?;
    keys::revoke_for(&state.ops(), staff.actor(), &id, Utc::now()).await?;
    Ok(back(HOME))
}

/// The webhook form as posted (and as shown again).
#[derive(Deserialize, Default, serde::Serialize)]
#[serde(default)]
struct HookForm {
    #[serde(skip_serializing)]
    csrf: String,
    name: String,
    event: String,
    target_url: String,
    secret: String,
}

impl HookForm {
    fn of(h: &Webhook) -> HookForm {
        HookForm {
            csrf: String::new(),
            name: h.name.clone().unwrap_or_default(),
            event: h.event.as_str().to_owned(),
            target_url: h.target_url.as_str().to_owned(),
            secret: h.secret.clone().unwrap_or_default(),
        }
    }

    /// `base` with this form's fields, or what to correct.
    fn apply(&self, base: Webhook, allow_private: bool) -> Result<Webhook, OpsError> {
        let event = WebhookEvent::parse(self.event.trim())
            .ok_or_else(|| OpsError::Invalid("Choose an event for the webhook.".into()))?;
        let target = TargetUrl::parse(self.target_url.trim())
            .map_err(|e| OpsError::Invalid(format!("Target URL: {e}")))?;
        if !allow_private {
            target
                .check_public()
                .map_err(|e| OpsError::Invalid(format!("Target URL: {e}")))?;
        }
        let text = |v: &str| Some(v.trim().to_owned()).filter(|v| !v.is_empty());
        Ok(Webhook {
            event,
            target_url: target,
            name: text(&self.name),
            secret: text(&self.secret),
            updated_at: Utc::now(),
            ..base
        })
    }
}

fn new_hook() -> Result<Webhook, OpsError> {
    let now = Utc::now();
    Ok(Webhook {
        id: crate::compose::new_id(),
        event: WebhookEvent::PostPublished,
        target_url: TargetUrl::parse("https://example.com/")
            .map_err(|e| OpsError::Invalid(e.to_string()))?,
        name: None,
        secret: None,
        api_version: "v6".into(),
        integration_id: None,
        created_at: now,
        updated_at: now,
        last_triggered_at: None,
        last_triggered_status: None,
        last_triggered_error: None,
    })
}

/// `POST /admin/integrations/webhooks`.
async fn add_hook(
    State(state): State<AppState>,
    staff: Staff,
    Form(form): Form<HookForm>,
) -> Result<Response, AppError> {
    staff.check_csrf(&form.csrf)?;
    let private = state.config.webhook_allow_private;
    let done = match new_hook().and_then(|base| form.apply(base, private)) {
        Ok(hook) => webhooks::add_for(&state.ops(), staff.actor(), &hook).await,
        Err(e) => Err(e),
    };
    match done {
        Ok(()) => Ok(back(HOME)),
        Err(e) if e.is_for_reader() => show(&state, staff, Value::Null, &form, Some(&e)).await,
        Err(e) => Err(e.into()),
    }
}

/// `GET /admin/integrations/webhooks/{id}/` (`?tested=1` after a test send).
async fn hook_page(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
    axum::extract::RawQuery(query): axum::extract::RawQuery,
) -> Result<Response, AppError> {
    staff.require(Action::Settings, false)?;
    let hook = found(&state, &id).await?;
    let tested = query.as_deref() == Some("tested=1");
    hook_form(&state, staff, &hook, &HookForm::of(&hook), tested, None).await
}

/// `POST /admin/integrations/webhooks/{id}/`.
async fn save_hook(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
    Form(form): Form<HookForm>,
) -> Result<Response, AppError> {
    staff.check_csrf(&form.csrf)?;
    let hook = found(&state, &id).await?;
    let private = state.config.webhook_allow_private;
    let done = match form.apply(hook.clone(), private) {
        Ok(changed) => webhooks::edit_for(&state.ops(), staff.actor(), &changed).await,
        Err(e) => Err(e),
    };
    match done {
        Ok(()) => Ok(back(HOME)),
        Err(e) if e.is_for_reader() => {
            hook_form(&state, staff, &hook, &form, false, Some(&e)).await
        }
        Err(e) => Err(e.into()),
    }
}

/// `POST /admin/integrations/webhooks/{id}/test`.
async fn test_hook(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
    Form(form): Form<CsrfForm>,
) -> Result<Response, AppError> {
    staff.check_csrf(&form.csrf)?;
    webhooks::send_test(&state.ops(), staff.actor(), &id, Utc::now()).await?;
    Ok(back(&format!(
        "/admin/integrations/webhooks/{id}/?tested=1"
    )))
}

/// `GET /admin/integrations/webhooks/{id}/delete`: the confirmation.
async fn delete_page(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    staff.require(Action::Settings, false)?;
    let hook = found(&state, &id).await?;
    let name = hook
        .name
        .clone()
        .unwrap_or_else(|| hook.target_url.as_str().to_owned());
    let data = json!({
        "action": format!("/admin/integrations/webhooks/{}/delete", hook.id),
        "question": format!("Delete the webhook “{name}” ({} to {})? Deliveries still queued for it are dropped.", hook.event.as_str(), hook.target_url.as_str()),
        "button": "Delete webhook",
    });
    staff.page("integrations/confirm", "Delete webhook", data)
}

/// `POST /admin/integrations/webhooks/{id}/delete`.
async fn delete_hook(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
    Form(form): Form<CsrfForm>,
) -> Result<Response, AppError> {
    staff.check_csrf(&form.csrf)?;
    webhooks::delete_for(&state.ops(), staff.actor(), &id).await?;
    Ok(back(HOME))
}

async fn found(state: &AppState, id: &str) -> Result<Webhook, AppError> {
    state.store.webhook(id).await?.ok_or(AppError::NotFound)
}

fn back(to: &str) -> Response {
    let mut r = Redirect::to(to).into_response();
    view::headers(&mut r);
    r
}

fn time(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

fn events(selected: &str) -> Vec<Value> {
    WebhookEvent::ALL
        .iter()
        .map(|e| json!({ "value": e.as_str(), "selected": e.as_str() == selected }))
        .collect()
}

/// The list page: keys, webhooks, the add forms; `created` the key just made (its secret).
async fn show(
    state: &AppState,
    staff: Staff,
    created: Value,
    form: &HookForm,
    error: Option<&OpsError>,
) -> Result<Response, AppError> {
    let keys: Vec<Value> = state
        .store
        .api_keys()
        .await?
        .iter()
        .filter(|k| k.revoked_at.is_none())
        .map(|k| json!({ "id": k.id, "name": k.name, "kind": k.kind.as_str(), "hint": k.hint, "created": time(k.created_at) }))
        .collect();
    let hooks: Vec<Value> = state
        .store
        .webhooks(None)
        .await?
        .iter()
        .map(|h| {
            json!({
                "id": h.id, "name": h.name, "event": h.event.as_str(), "target": h.target_url.as_str(),
                "last_at": h.last_triggered_at.map(time),
                "last_status": h.last_triggered_status, "last_error": h.last_triggered_error,
            })
        })
        .collect();
    let data = json!({
        "keys": keys, "hooks": hooks, "created": created, "form": form,
        "events": events(&form.event), "error": error.map(ToString::to_string),
    });
    let status = error.map_or(axum::http::StatusCode::OK, status_of);
    view::page_with_status(
        staff.visitor,
        Some(&staff.user),
        status,
        "integrations/list",
        "Integrations",
        data,
    )
}

/// One webhook's page: the edit form, its recent attempts, test and delete.
async fn hook_form(
    state: &AppState,
    staff: Staff,
    hook: &Webhook,
    form: &HookForm,
    tested: bool,
    error: Option<&OpsError>,
) -> Result<Response, AppError> {
    let attempts: Vec<Value> = state
        .store
        .webhook_attempts(&hook.id, 20)
        .await?
        .iter()
        .map(|a| json!({ "at": time(a.at()), "event": a.event, "status": a.status, "error": a.error }))
        .collect();
    let data = json!({
        "id": hook.id, "form": form, "events": events(&form.event), "attempts": attempts,
        "action": format!("/admin/integrations/webhooks/{}/", hook.id),
        "tested": tested, "error": error.map(ToString::to_string),
        "last_status": hook.last_triggered_status, "last_error": hook.last_triggered_error,
    });
    let status = error.map_or(axum::http::StatusCode::OK, status_of);
    view::page_with_status(
        staff.visitor,
        Some(&staff.user),
        status,
        "integrations/webhook",
        "Webhook",
        data,
    )
}

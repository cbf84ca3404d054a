//! `/admin/members/{id}/`: one member for administrators (`Action::Members`) — name, email,
//! note and newsletters; labels (ticked, or new ones typed); the subscription as the store has
//! it (tier, status, price, renewal, offer); a comp with an end date, and ending it after a
//! confirmation; live sessions and "Sign out everywhere"; a link to the activity timeline.
//! Every write goes through `ops::members_console` and comes back here with a fixed notice.

use super::member_bulk::comp_end;
use super::members_list::{day, paid_tiers, status, status_label};
use super::signin::status_of;
use super::staff::Staff;
use super::view;
use crate::http::AppError;
use crate::members::session::SESSION_MAX_DAYS;
use crate::ops::OpsError;
use crate::ops::members_console;
use crate::state::AppState;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use chrono::{Duration, Utc};
use domain::billing::{Subscription, SubscriptionStatus};
use domain::{Action, Email, Member};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

/// The member page's routes (merged into the newsroom's router).
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/admin/members/{id}/", get(page).post(save))
        .route("/admin/members/{id}/labels", post(labels))
        .route("/admin/members/{id}/comp", post(comp))
        .route("/admin/members/{id}/comp/end", get(end_page).post(end))
        .route("/admin/members/{id}/signout", post(sign_out))
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Notice {
    saved: String,
}

/// A fixed sentence per outcome: nothing typed into the URL is shown.
fn notice(code: &str) -> Option<&'static str> {
    Some(match code {
        "details" => "Saved.",
        "labels" => "Labels saved.",
        "comp" => "The tier is now given for free.",
        "comp_ended" => "The comp has ended.",
        "signed_out" => "Signed out everywhere: every browser this member used must sign in again.",
        _ => return None,
    })
}

/// The details form as posted (and shown again with its errors).
#[derive(Deserialize, Serialize, Default)]
#[serde(default)]
struct DetailsForm {
    #[serde(skip_serializing)]
    csrf: String,
    name: String,
    email: String,
    note: String,
    /// A checkbox: present when ticked.
    subscribed: String,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct CompForm {
    csrf: String,
    tier: String,
    until: String,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct CsrfForm {
    csrf: String,
}

/// What a page shows again after a refused write: the typed form and errors by field.
#[derive(Default)]
struct Shown {
    details: Option<DetailsForm>,
    comp: Option<(String, String)>,
    errors: Value,
    status: Option<StatusCode>,
}

/// `GET /admin/members/{id}/`.
async fn page(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
    Query(q): Query<Notice>,
) -> Result<Response, AppError> {
    staff.require(Action::Members, false)?;
    let member = found(&state, &id).await?;
    let mut data = data(&state, &member, Shown::default()).await?;
    data["notice"] = json!(notice(&q.saved));
    show(staff, &member, StatusCode::OK, data)
}

/// `POST /admin/members/{id}/`: name, email, note and newsletters.
async fn save(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
    Form(form): Form<DetailsForm>,
) -> Result<Response, AppError> {
    staff.require(Action::Members, false)?;
    staff.check_csrf(&form.csrf)?;
    let member = found(&state, &id).await?;
    let refused = |field: &str, status: StatusCode, message: String| Shown {
        errors: json!({ field: message }),
        status: Some(status),
        ..Shown::default()
    };
    let outcome = match Email::parse(form.email.trim()) {
        Err(e) => Err(refused(
            "email",
            StatusCode::BAD_REQUEST,
            format!("{}.", e.0),
        )),
        Ok(email) => {
            let subscribed = !form.subscribed.is_empty();
            let done = members_console::save(
                &state.ops(),
                staff.actor(),
                &id,
                &form.name,
                &email,
                &form.note,
                subscribed,
            )
            .await;
            match done {
                Ok(()) => Ok(()),
                // The only refusals: an address another member has, and a note too long.
                Err(e @ OpsError::Conflict(_)) => {
                    Err(refused("email", StatusCode::CONFLICT, e.to_string()))
                }
                Err(e) if e.is_for_reader() => Err(refused("note", status_of(&e), e.to_string())),
                Err(e) => return Err(e.into()),
            }
        }
    };
    match outcome {
        Ok(()) => Ok(back(&id, "details")),
        Err(shown) => again(&state, staff, &member, form_shown(shown, form)).await,
    }
}

fn form_shown(shown: Shown, form: DetailsForm) -> Shown {
    Shown {
        details: Some(form),
        ..shown
    }
}

/// `POST /admin/members/{id}/labels`: the ticked labels (`label`, repeated) and new ones
/// typed in `new_labels`, separated by commas.
async fn labels(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response, AppError> {
    staff.require(Action::Members, false)?;
    let (mut csrf, mut names) = (String::new(), Vec::new());
    for (key, value) in form_urlencoded::parse(&body) {
        match key.as_ref() {
            "csrf" => csrf = value.into_owned(),
            "label" => names.push(value.into_owned()),
            "new_labels" => names.extend(value.split(',').map(|n| n.trim().to_owned())),
            _ => {}
        }
    }
    staff.check_csrf(&csrf)?;
    let member = found(&state, &id).await?;
    match members_console::set_labels(&state.ops(), staff.actor(), &id, &names).await {
        Ok(_) => Ok(back(&id, "labels")),
        Err(e) if e.is_for_reader() => {
            let shown = Shown {
                errors: json!({ "labels": e.to_string() }),
                status: Some(status_of(&e)),
                ..Shown::default()
            };
            again(&state, staff, &member, shown).await
        }
        Err(e) => Err(e.into()),
    }
}

/// `POST /admin/members/{id}/comp`: a paid tier for free, until a day or for good.
async fn comp(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
    Form(form): Form<CompForm>,
) -> Result<Response, AppError> {
    staff.require(Action::Members, false)?;
    staff.check_csrf(&form.csrf)?;
    let member = found(&state, &id).await?;
    let done = match comp_end(&form.until) {
        Err(message) => Err((StatusCode::BAD_REQUEST, message)),
        Ok(until) => {
            match members_console::comp(&state.ops(), staff.actor(), &id, &form.tier, until).await {
                Ok(()) => Ok(()),
                Err(e) if e.is_for_reader() => Err((status_of(&e), e.to_string())),
                Err(e) => return Err(e.into()),
            }
        }
    };
    match done {
        Ok(()) => Ok(back(&id, "comp")),
        Err((status, message)) => {
            let shown = Shown {
                comp: Some((form.tier, form.until)),
                errors: json!({ "comp": message }),
                status: Some(status),
                ..Shown::default()
            };
            again(&state, staff, &member, shown).await
        }
    }
}

/// `GET /admin/members/{id}/comp/end`: the confirmation.
async fn end_page(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    staff.require(Action::Members, false)?;
    let member = found(&state, &id).await?;
    let sub = state.store.subscription(&id).await?;
    let tier = match sub.filter(|s| s.status == SubscriptionStatus::Comped) {
        Some(s) => tier_name(&state, &s).await?,
        None => return Ok(back(&id, "")),
    };
    let label = label(&member);
    let data = json!({ "member": { "id": member.id, "label": label }, "tier": tier });
    staff.page("members/comp_end", "End comp", data)
}

/// `POST /admin/members/{id}/comp/end`.
async fn end(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
    Form(form): Form<CsrfForm>,
) -> Result<Response, AppError> {
    staff.require(Action::Members, false)?;
    staff.check_csrf(&form.csrf)?;
    found(&state, &id).await?;
    members_console::remove_comp(&state.ops(), staff.actor(), &id).await?;
    Ok(back(&id, "comp_ended"))
}

/// `POST /admin/members/{id}/signout`: ends every session of the member.
async fn sign_out(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
    Form(form): Form<CsrfForm>,
) -> Result<Response, AppError> {
    staff.require(Action::Members, false)?;
    staff.check_csrf(&form.csrf)?;
    found(&state, &id).await?;
    members_console::sign_out_everywhere(&state.ops(), staff.actor(), &id).await?;
    Ok(back(&id, "signed_out"))
}

async fn found(state: &AppState, id: &str) -> Result<Member, AppError> {
    state
        .store
        .member_by_id(id)
        .await?
        .ok_or(AppError::NotFound)
}

fn back(id: &str, saved: &str) -> Response {
    let url = if saved.is_empty() {
        format!("/admin/members/{id}/")
    } else {
        format!("/admin/members/{id}/?saved={saved}")
    };
    let mut r = Redirect::to(&url).into_response();
    view::headers(&mut r);
    r
}

/// A member's name, or their email when they have none.
fn label(m: &Member) -> String {
    if m.name.trim().is_empty() {
        m.email.as_str().to_owned()
    } else {
        m.name.clone()
    }
}

async fn again(
    state: &AppState,
    staff: Staff,
    member: &Member,
    shown: Shown,
) -> Result<Response, AppError> {
    let status = shown.status.unwrap_or(StatusCode::BAD_REQUEST);
    let data = data(state, member, shown).await?;
    show(staff, member, status, data)
}

fn show(
    staff: Staff,
    member: &Member,
    status: StatusCode,
    data: Value,
) -> Result<Response, AppError> {
    let title = label(member);
    view::page_with_status(
        staff.visitor,
        Some(&staff.user),
        status,
        "members/detail",
        &title,
        data,
    )
}

/// Everything the member page shows.
async fn data(state: &AppState, member: &Member, shown: Shown) -> Result<Value, AppError> {
    let id = &member.id;
    let profile = state
        .store
        .member_profile(id)
        .await?
        .ok_or(AppError::NotFound)?;
    let details = shown.details.unwrap_or_else(|| DetailsForm {
        csrf: String::new(),
        name: member.name.clone(),
        email: member.email.as_str().to_owned(),
        note: profile.note.clone(),
        subscribed: if profile.subscribed {
            "on".into()
        } else {
            String::new()
        },
    });
    let held = state.store.member_labels(id).await?;
    let all: Vec<Value> = state
        .store
        .labels()
        .await?
        .iter()
        .map(|l| {
            let checked = held.iter().any(|h| h.id == l.label.id);
            json!({ "id": l.label.id, "name": l.label.name, "checked": checked })
        })
        .collect();
    let sub = state.store.subscription(id).await?;
    let now = Utc::now();
    let sessions = state
        .store
        .live_sessions_of(id, now, now - Duration::days(SESSION_MAX_DAYS))
        .await?;
    let (comp_tier, comp_until) = shown.comp.unwrap_or_default();
    let tiers: Vec<Value> = paid_tiers(state)
        .await?
        .into_iter()
        .map(|mut t| {
            t["selected"] = json!(t["slug"] == comp_tier.as_str());
            t
        })
        .collect();
    Ok(json!({
        "member": {
            "id": id,
            "status": status_label(status(sub.as_ref())),
            "created": day(member.created_at),
            "last_seen": profile.last_seen_at.map(day),
        },
        "form": details,
        "subscribed": !details.subscribed.is_empty(),
        "labels": all,
        "subscription": match &sub {
            Some(s) => Some(subscription(state, id, s).await?),
            None => None,
        },
        "tiers": tiers,
        "comp_until": comp_until,
        "sessions": sessions,
        "errors": shown.errors,
    }))
}

async fn tier_name(state: &AppState, s: &Subscription) -> Result<String, AppError> {
    Ok(state
        .store
        .tier_by_slug(s.tier.as_str())
        .await?
        .map_or_else(|| s.tier.to_string(), |t| t.name))
}

/// The subscription as the store has it, in words.
async fn subscription(
    state: &AppState,
    member_id: &str,
    s: &Subscription,
) -> Result<Value, AppError> {
    let tier = state.store.tier_by_slug(s.tier.as_str()).await?;
    let prices: Vec<String> = tier
        .iter()
        .flat_map(|t| [t.price_label(false), t.price_label(true)])
        .flatten()
        .collect();
    let offer = match state.store.subscription_offer(member_id).await? {
        Some(offer_id) => state.store.offer_by_id(&offer_id).await?,
        None => None,
    };
    let comped = s.status == SubscriptionStatus::Comped;
    let ends = s.renews_at().map(day);
    let when = match s.status {
        SubscriptionStatus::Comped => "Ends",
        _ if s.cancel_at_period_end => "Ends",
        _ => "Renews",
    };
    Ok(json!({
        "tier": tier.as_ref().map_or_else(|| s.tier.to_string(), |t| t.name.clone()),
        "status": status_words(s.status),
        "price": if comped { "Free (comped)".to_owned() } else { prices.join(" or ") },
        "when": when,
        "date": ends,
        "comped": comped,
        "canceled": s.status == SubscriptionStatus::Canceled,
        "offer": offer.map(|o| json!({ "name": o.name, "code": o.code.as_str(), "summary": o.summary() })),
        "stripe_id": s.stripe_subscription_id,
    }))
}

fn status_words(s: SubscriptionStatus) -> &'static str {
    match s {
        SubscriptionStatus::Active => "Active",
        SubscriptionStatus::Trialing => "Trial",
        SubscriptionStatus::PastDue => "Payment overdue",
        SubscriptionStatus::Canceled => "Canceled",
        SubscriptionStatus::Comped => "Comped",
    }
}

//! `/admin/tiers/`: tiers for administrators (`Action::Tiers`) — the list (archived ones too),
//! a form to add or edit one (name, slug, description, benefits, monthly and yearly price,
//! currency, trial days, shown on the sign-up page, sort order), and archiving after a
//! confirmation. Every write goes through `ops::tiers`, which also updates Stripe.

use super::signin::status_of;
use super::staff::Staff;
use super::view;
use crate::http::AppError;
use crate::http::billing::client;
use crate::ops::OpsError;
use crate::ops::tiers::{self, Payments};
use crate::state::AppState;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::{Form, Router};
use domain::offer::{money_input, parse_money};
use domain::{Action, Slug, Tier, TierListing};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use store::TierEntry;

/// The tiers pages' routes (merged by `http::admin::router`).
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/admin/tiers/", get(list))
        .route("/admin/tiers/new/", get(new_page).post(add))
        .route("/admin/tiers/{id}/", get(edit_page).post(save))
        .route("/admin/tiers/{id}/archive", get(archive_page).post(archive))
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct Notice {
    pub payments: String,
}

/// A fixed sentence per outcome: nothing typed into the URL is shown.
pub fn payments_notice(code: &str) -> Option<&'static str> {
    match code {
        "off" => {
            Some("Saved. Payments are off: no Stripe keys are set, so nothing was sent to Stripe.")
        }
        "failed" => Some("Saved on the site, but Stripe was not updated. Save again to retry."),
        "synced" => Some("Saved, and Stripe is up to date."),
        _ => None,
    }
}

pub fn payments_code(p: &Payments) -> &'static str {
    match p {
        Payments::Off => "off",
        Payments::Failed(_) => "failed",
        Payments::Synced => "synced",
        Payments::NotForSale => "",
    }
}

/// `GET /admin/tiers/`.
async fn list(
    State(state): State<AppState>,
    staff: Staff,
    Query(q): Query<Notice>,
) -> Result<Response, AppError> {
    staff.require(Action::Tiers, false)?;
    let rows: Vec<Value> = state.store.tier_entries().await?.iter().map(row).collect();
    let data = json!({
        "tiers": rows,
        "notice": payments_notice(&q.payments),
        "payments_off": state.config.stripe.is_none(),
    });
    staff.page("tiers/list", "Tiers", data)
}

fn row(e: &TierEntry) -> Value {
    let t = &e.tier;
    json!({
        "id": t.id, "name": t.name, "slug": t.slug.as_str(), "paid": t.is_paid(),
        "monthly": t.price_label(false), "yearly": t.price_label(true), "active": t.active,
        "visible": e.listing.visible, "sort_order": e.listing.sort_order,
        "synced": e.stripe.product_id.is_some(),
    })
}

async fn new_page(State(state): State<AppState>, staff: Staff) -> Result<Response, AppError> {
    staff.require(Action::Tiers, false)?;
    let form = TierForm {
        currency: "usd".into(),
        visible: "on".into(),
        ..TierForm::default()
    };
    form_page(&state, staff, &form, None, None)
}

async fn edit_page(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    staff.require(Action::Tiers, false)?;
    let entry = found(&state, &id).await?;
    form_page(&state, staff, &TierForm::of(&entry), Some(&id), None)
}

async fn add(
    State(state): State<AppState>,
    staff: Staff,
    Form(form): Form<TierForm>,
) -> Result<Response, AppError> {
    staff.check_csrf(&form.csrf)?;
    let stripe = client(&state);
    let done = match form.entry(crate::compose::new_id(), true) {
        Ok(entry) => tiers::add(&state.ops(), staff.actor(), stripe.as_ref(), &entry).await,
        Err(e) => Err(e),
    };
    after(&state, staff, &form, None, done)
}

async fn save(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
    Form(form): Form<TierForm>,
) -> Result<Response, AppError> {
    staff.check_csrf(&form.csrf)?;
    let before = found(&state, &id).await?;
    let stripe = client(&state);
    let done = match form.entry(id.clone(), before.tier.active) {
        Ok(entry) => tiers::edit(&state.ops(), staff.actor(), stripe.as_ref(), &entry).await,
        Err(e) => Err(e),
    };
    after(&state, staff, &form, Some(&id), done)
}

/// `GET /admin/tiers/{id}/archive`: the confirmation.
async fn archive_page(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    staff.require(Action::Tiers, false)?;
    let entry = found(&state, &id).await?;
    let holders = state.store.tier_holders(entry.tier.slug.as_str()).await?;
    staff.page(
        "tiers/archive",
        "Archive tier",
        json!({ "tier": row(&entry), "holders": holders }),
    )
}

#[derive(Deserialize)]
pub struct CsrfForm {
    #[serde(default)]
    csrf: String,
}

async fn archive(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
    Form(form): Form<CsrfForm>,
) -> Result<Response, AppError> {
    staff.check_csrf(&form.csrf)?;
    let stripe = client(&state);
    let done = tiers::archive(&state.ops(), staff.actor(), stripe.as_ref(), &id).await?;
    Ok(to_list(&done))
}

async fn found(state: &AppState, id: &str) -> Result<TierEntry, AppError> {
    state.store.tier_entry(id).await?.ok_or(AppError::NotFound)
}

fn after(
    state: &AppState,
    staff: Staff,
    form: &TierForm,
    id: Option<&str>,
    done: Result<Payments, OpsError>,
) -> Result<Response, AppError> {
    match done {
        Ok(p) => Ok(to_list(&p)),
        Err(e) if e.is_for_reader() => form_page(state, staff, form, id, Some(&e)),
        Err(e) => Err(e.into()),
    }
}

fn to_list(p: &Payments) -> Response {
    let mut r =
        Redirect::to(&format!("/admin/tiers/?payments={}", payments_code(p))).into_response();
    view::headers(&mut r);
    r
}

fn form_page(
    state: &AppState,
    staff: Staff,
    form: &TierForm,
    id: Option<&str>,
    error: Option<&OpsError>,
) -> Result<Response, AppError> {
    let action = id.map_or_else(
        || "/admin/tiers/new/".to_owned(),
        |id| format!("/admin/tiers/{id}/"),
    );
    let data = json!({
        "form": form,
        "action": action,
        "id": id,
        "visible": !form.visible.is_empty(),
        "error": error.map(ToString::to_string),
        "payments_off": state.config.stripe.is_none(),
    });
    let title = if id.is_some() {
        "Edit tier"
    } else {
        "New tier"
    };
    let status = error.map_or(axum::http::StatusCode::OK, status_of);
    view::page_with_status(
        staff.visitor,
        Some(&staff.user),
        status,
        "tiers/edit",
        title,
        data,
    )
}

/// The tier form as posted (and as shown again).
#[derive(Deserialize, Serialize, Default)]
#[serde(default)]
pub struct TierForm {
    #[serde(skip_serializing)]
    csrf: String,
    name: String,
    slug: String,
    description: String,
    /// One benefit a line.
    benefits: String,
    monthly_price: String,
    yearly_price: String,
    currency: String,
    trial_days: String,
    /// A checkbox: present ("on") when ticked.
    visible: String,
    sort_order: String,
}

impl TierForm {
    fn of(e: &TierEntry) -> TierForm {
        let t = &e.tier;
        TierForm {
            csrf: String::new(),
            name: t.name.clone(),
            slug: t.slug.to_string(),
            description: t.description.clone(),
            benefits: t.benefits.join("\n"),
            monthly_price: money_input(t.monthly_price),
            yearly_price: money_input(t.yearly_price),
            currency: t.currency.clone(),
            trial_days: t.trial_days.to_string(),
            visible: if e.listing.visible {
                "on".into()
            } else {
                String::new()
            },
            sort_order: e.listing.sort_order.to_string(),
        }
    }

    /// The tier this form describes, with `id`; a blank slug comes from the name.
    fn entry(&self, id: String, active: bool) -> Result<TierEntry, OpsError> {
        let invalid =
            |field: &str, e: domain::InvalidInput| OpsError::Invalid(format!("{field}: {}", e.0));
        let name = self.name.trim().to_owned();
        let slug = match self.slug.trim() {
            "" => Slug::from_text(&name),
            s => Slug::parse(s).map_err(|e| invalid("Slug", e))?,
        };
        let whole = |field: &str, raw: &str| -> Result<i64, OpsError> {
            let raw = raw.trim();
            if raw.is_empty() {
                return Ok(0);
            }
            raw.parse()
                .map_err(|_| OpsError::Invalid(format!("{field}: {raw:?} is not a whole number.")))
        };
        let trial = u32::try_from(whole("Trial days", &self.trial_days)?)
            .map_err(|_| OpsError::Invalid("Trial days cannot be negative.".into()))?;
        Ok(TierEntry {
            tier: Tier {
                id,
                slug,
                name,
                description: self.description.trim().to_owned(),
                benefits: benefit_lines(&self.benefits),
                monthly_price: parse_money(&self.monthly_price)
                    .map_err(|e| invalid("Monthly price", e))?,
                yearly_price: parse_money(&self.yearly_price)
                    .map_err(|e| invalid("Yearly price", e))?,
                currency: self.currency.trim().to_lowercase(),
                trial_days: trial,
                active,
            },
            listing: TierListing {
                visible: !self.visible.is_empty(),
                sort_order: whole("Sort order", &self.sort_order)?,
            },
            stripe: domain::TierStripe::default(),
        })
    }
}

/// Benefits typed one a line; blank lines dropped.
pub fn benefit_lines(raw: &str) -> Vec<String> {
    raw.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect()
}

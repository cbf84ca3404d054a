//! `/admin/offers/`: offers for administrators (`Action::Tiers`) — the list with redemption
//! counts and each landing URL to copy, a form to add one (terms: type, amount, tier, cadence,
//! duration) or edit one (name, code, display title and description, retention; terms are fixed
//! once Stripe has the coupon), and archiving after a confirmation. Writes go through
//! `ops::offers`, which also makes the Stripe Coupon.

use super::signin::status_of;
use super::staff::Staff;
use super::tiers::{Notice, payments_code, payments_notice};
use super::view;
use crate::http::AppError;
use crate::http::billing::client;
use crate::ops::OpsError;
use crate::ops::offers::{self, OfferEdit};
use crate::ops::tiers::Payments;
use crate::state::AppState;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::{Form, Router};
use domain::offer::typed_amount;
use domain::{Action, Cadence, Offer, OfferCode, OfferDuration, OfferKind};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

/// The offers pages' routes (merged by `http::admin::router`).
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/admin/offers/", get(list))
        .route("/admin/offers/new/", get(new_page).post(add))
        .route("/admin/offers/{id}/", get(edit_page).post(save))
        .route(
            "/admin/offers/{id}/archive",
            get(archive_page).post(archive),
        )
}

async fn list(
    State(state): State<AppState>,
    staff: Staff,
    Query(q): Query<Notice>,
) -> Result<Response, AppError> {
    staff.require(Action::Tiers, false)?;
    let tiers = state.store.tier_entries().await?;
    let tier_name = |id: &str| {
        tiers
            .iter()
            .find(|t| t.tier.id == id)
            .map_or_else(String::new, |t| t.tier.name.clone())
    };
    let base = &state.config.public_url;
    let rows: Vec<Value> = state
        .store
        .offers()
        .await?
        .iter()
        .map(|o| {
            let mut row = offer_json(o);
            row["tier_name"] = json!(tier_name(&o.tier_id));
            row["landing_url"] = json!(format!("{base}/offers/{}/", o.code));
            row
        })
        .collect();
    let data = json!({ "offers": rows, "notice": payments_notice(&q.payments) });
    staff.page("offers/list", "Offers", data)
}

fn offer_json(o: &Offer) -> Value {
    json!({
        "id": o.id, "name": o.name, "code": o.code.as_str(), "summary": o.summary(),
        "cadence": o.cadence.as_str(), "active": o.active, "retention": o.retention,
        "redemptions": o.redemptions, "coupon": o.stripe_coupon_id,
    })
}

async fn new_page(State(state): State<AppState>, staff: Staff) -> Result<Response, AppError> {
    staff.require(Action::Tiers, false)?;
    let form = OfferForm {
        kind: "percent".into(),
        cadence: "month".into(),
        duration: "once".into(),
        ..OfferForm::default()
    };
    form_page(&state, staff, &form, None, None).await
}

async fn edit_page(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    staff.require(Action::Tiers, false)?;
    let offer = found(&state, &id).await?;
    form_page(&state, staff, &OfferForm::of(&offer), Some(&offer), None).await
}

async fn add(
    State(state): State<AppState>,
    staff: Staff,
    Form(form): Form<OfferForm>,
) -> Result<Response, AppError> {
    staff.check_csrf(&form.csrf)?;
    let stripe = client(&state);
    let done = match form.offer(crate::compose::new_id()) {
        Ok(offer) => offers::add(&state.ops(), staff.actor(), stripe.as_ref(), &offer).await,
        Err(e) => Err(e),
    };
    match done {
        Ok(p) => Ok(to_list(&p)),
        Err(e) if e.is_for_reader() => form_page(&state, staff, &form, None, Some(&e)).await,
        Err(e) => Err(e.into()),
    }
}

async fn save(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
    Form(form): Form<OfferForm>,
) -> Result<Response, AppError> {
    staff.check_csrf(&form.csrf)?;
    let before = found(&state, &id).await?;
    let stripe = client(&state);
    let done = match form.edit() {
        Ok(edit) => offers::edit(&state.ops(), staff.actor(), stripe.as_ref(), &id, edit)
            .await
            .map(|(_, p)| p),
        Err(e) => Err(e),
    };
    match done {
        Ok(p) => Ok(to_list(&p)),
        Err(e) if e.is_for_reader() => {
            form_page(&state, staff, &form, Some(&before), Some(&e)).await
        }
        Err(e) => Err(e.into()),
    }
}

async fn archive_page(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    staff.require(Action::Tiers, false)?;
    let offer = found(&state, &id).await?;
    staff.page(
        "offers/archive",
        "Archive offer",
        json!({ "offer": offer_json(&offer) }),
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
    offers::archive(&state.ops(), staff.actor(), &id).await?;
    Ok(to_list(&Payments::NotForSale))
}

async fn found(state: &AppState, id: &str) -> Result<Offer, AppError> {
    state.store.offer_by_id(id).await?.ok_or(AppError::NotFound)
}

fn to_list(p: &Payments) -> Response {
    let mut r =
        Redirect::to(&format!("/admin/offers/?payments={}", payments_code(p))).into_response();
    view::headers(&mut r);
    r
}

async fn form_page(
    state: &AppState,
    staff: Staff,
    form: &OfferForm,
    existing: Option<&Offer>,
    error: Option<&OpsError>,
) -> Result<Response, AppError> {
    let tiers: Vec<Value> = state
        .store
        .tier_entries()
        .await?
        .iter()
        .filter(|e| e.tier.is_paid() && e.tier.active)
        .map(|e| json!({ "id": e.tier.id, "name": e.tier.name, "selected": e.tier.id == form.tier_id }))
        .collect();
    let action = existing.map_or_else(
        || "/admin/offers/new/".to_owned(),
        |o| format!("/admin/offers/{}/", o.id),
    );
    let data = json!({
        "form": form,
        "action": action,
        "existing": existing.map(offer_json),
        "tiers": tiers,
        "kind": { form.kind.as_str(): true },
        "cadence": { form.cadence.as_str(): true },
        "duration": { form.duration.as_str(): true },
        "retention": !form.retention.is_empty(),
        "error": error.map(ToString::to_string),
        "payments_off": state.config.stripe.is_none(),
    });
    let title = if existing.is_some() {
        "Edit offer"
    } else {
        "New offer"
    };
    let status = error.map_or(axum::http::StatusCode::OK, status_of);
    view::page_with_status(
        staff.visitor,
        Some(&staff.user),
        status,
        "offers/edit",
        title,
        data,
    )
}

/// The offer form as posted (and as shown again). Editing reads only the fields that may change.
#[derive(Deserialize, Serialize, Default)]
#[serde(default)]
pub struct OfferForm {
    #[serde(skip_serializing)]
    csrf: String,
    name: String,
    code: String,
    display_title: String,
    display_description: String,
    /// percent | fixed | trial
    kind: String,
    /// Percent, price (fixed) or days (trial), as typed.
    amount: String,
    currency: String,
    tier_id: String,
    cadence: String,
    duration: String,
    duration_in_months: String,
    retention: String,
}

fn invalid(field: &str, e: domain::InvalidInput) -> OpsError {
    let domain::InvalidInput(why) = e;
    OpsError::Invalid(format!("{field}: {why}"))
}

impl OfferForm {
    fn of(o: &Offer) -> OfferForm {
        OfferForm {
            csrf: String::new(),
            name: o.name.clone(),
            code: o.code.to_string(),
            display_title: o.display_title.clone(),
            display_description: o.display_description.clone(),
            kind: o.kind.as_str().into(),
            amount: o.kind.amount().to_string(),
            currency: o.kind.currency().unwrap_or_default().into(),
            tier_id: o.tier_id.clone(),
            cadence: o.cadence.as_str().into(),
            duration: o.duration.as_str().into(),
            duration_in_months: o
                .duration
                .months()
                .map(|m| m.to_string())
                .unwrap_or_default(),
            retention: if o.retention {
                "on".into()
            } else {
                String::new()
            },
        }
    }

    fn offer(&self, id: String) -> Result<Offer, OpsError> {
        let whole = |field: &str, raw: &str| -> Result<u32, OpsError> {
            raw.trim().parse().map_err(|_| {
                OpsError::Invalid(format!("{field}: {:?} is not a whole number.", raw.trim()))
            })
        };
        let amount = typed_amount(&self.kind, &self.amount).map_err(|e| invalid("Amount", e))?;
        let currency = Some(self.currency.as_str()).filter(|c| !c.trim().is_empty());
        let months = match self.duration_in_months.trim() {
            "" => None,
            m => Some(whole("Months", m)?),
        };
        let kind =
            OfferKind::parse(&self.kind, amount, currency).map_err(|e| invalid("Type", e))?;
        let duration = match kind {
            OfferKind::Trial(_) => OfferDuration::Once,
            _ => {
                OfferDuration::parse(&self.duration, months).map_err(|e| invalid("Duration", e))?
            }
        };
        Ok(Offer {
            id,
            name: self.name.trim().to_owned(),
            code: OfferCode::parse(&self.code).map_err(|e| invalid("Code", e))?,
            display_title: self.display_title.trim().to_owned(),
            display_description: self.display_description.trim().to_owned(),
            kind,
            tier_id: self.tier_id.trim().to_owned(),
            cadence: Cadence::parse(&self.cadence).map_err(|e| invalid("Cadence", e))?,
            duration,
            active: true,
            retention: !self.retention.is_empty(),
            stripe_coupon_id: None,
            redemptions: 0,
        })
    }

    fn edit(&self) -> Result<OfferEdit, OpsError> {
        Ok(OfferEdit {
            name: Some(self.name.trim().to_owned()),
            code: Some(OfferCode::parse(&self.code).map_err(|e| invalid("Code", e))?),
            display_title: Some(self.display_title.trim().to_owned()),
            display_description: Some(self.display_description.trim().to_owned()),
            active: None,
            retention: Some(!self.retention.is_empty()),
        })
    }
}

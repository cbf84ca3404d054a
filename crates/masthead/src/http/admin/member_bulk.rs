//! `/admin/members/bulk`: one change to every member the list's selection holds — add or remove
//! a label, give a tier for free (until a date or for good), unsubscribe from email, delete.
//! `GET` is the confirmation, saying how many members the change will touch; `POST` (CSRF)
//! makes it through `ops::members_console::bulk` and returns to the list with the count.

use super::members_list::{Selection, plural};
use super::signin::status_of;
use super::staff::Staff;
use super::view;
use crate::http::AppError;
use crate::ops::members_console::{self, Bulk};
use crate::state::AppState;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum::{Form, Router};
use chrono::{DateTime, NaiveDate, Utc};
use domain::Action;
use serde::{Deserialize, Serialize};
use serde_json::json;
use store::MemberQuery;

/// The bulk routes (merged into the newsroom's router).
pub fn router() -> Router<AppState> {
    Router::new().route("/admin/members/bulk", get(confirm).post(apply))
}

/// The action and the selection, as the list's forms send them (and the confirmation resends).
#[derive(Deserialize, Serialize, Default)]
#[serde(default)]
pub struct BulkForm {
    #[serde(skip_serializing)]
    csrf: String,
    filter: String,
    search: String,
    /// `add_label`, `remove_label`, `comp`, `unsubscribe` or `delete`.
    action: String,
    /// A label's id (`add_label`, `remove_label`).
    label: String,
    /// A paid tier's slug (comp).
    tier: String,
    /// The comp's last day, YYYY-MM-DD; blank for no end.
    until: String,
}

/// A checked bulk action: what to do, to whom, and how to say it.
struct Plan {
    query: MemberQuery,
    action: Bulk,
    /// "Add the label “VIP” to", completed by the count.
    sentence: String,
    button: &'static str,
}

impl BulkForm {
    fn selection(&self) -> Selection {
        Selection {
            filter: self.filter.clone(),
            search: self.search.clone(),
        }
    }

    async fn plan(&self, state: &AppState) -> Result<Result<Plan, String>, AppError> {
        let query = match self.selection().query() {
            Ok(q) => q,
            Err(e) => return Ok(Err(format!("This filter cannot be read: {e}."))),
        };
        let label = || async {
            let found = state.store.label_by_id(&self.label).await?;
            Ok::<_, AppError>(found.ok_or_else(|| "That label no longer exists.".to_owned()))
        };
        let (action, sentence, button) = match self.action.as_str() {
            "add_label" => match label().await? {
                Ok(l) => (
                    Bulk::AddLabel(l.id),
                    format!("Add the label “{}” to", l.name),
                    "Add label",
                ),
                Err(e) => return Ok(Err(e)),
            },
            "remove_label" => match label().await? {
                Ok(l) => (
                    Bulk::RemoveLabel(l.id),
                    format!("Remove the label “{}” from", l.name),
                    "Remove label",
                ),
                Err(e) => return Ok(Err(e)),
            },
            "comp" => match self.comp(state).await? {
                Ok(plan) => plan,
                Err(e) => return Ok(Err(e)),
            },
            "unsubscribe" => (
                Bulk::Unsubscribe,
                "Stop sending newsletters to".to_owned(),
                "Unsubscribe",
            ),
            "delete" => (
                Bulk::Delete,
                "Delete, with their subscriptions, labels and sessions,".to_owned(),
                "Delete",
            ),
            _ => return Ok(Err("Choose an action on the members page.".to_owned())),
        };
        Ok(Ok(Plan {
            query,
            action,
            sentence,
            button,
        }))
    }

    async fn comp(
        &self,
        state: &AppState,
    ) -> Result<Result<(Bulk, String, &'static str), String>, AppError> {
        let tier = state.store.tier_by_slug(&self.tier).await?;
        let Some(tier) = tier.filter(|t| t.is_paid() && t.active) else {
            return Ok(Err("Choose a paid tier to give.".to_owned()));
        };
        let until = match comp_end(&self.until) {
            Ok(until) => until,
            Err(e) => return Ok(Err(e)),
        };
        let end = until.map_or("with no end date".to_owned(), |u| {
            format!("until {}", u.format("%Y-%m-%d"))
        });
        Ok(Ok((
            Bulk::Comp {
                tier: tier.slug.to_string(),
                until,
            },
            format!("Give {} for free, {end}, to", tier.name),
            "Comp",
        )))
    }
}

/// The end of a comp typed as a day (`2027-01-31`: the end of that day, UTC); blank is none.
pub fn comp_end(raw: &str) -> Result<Option<DateTime<Utc>>, String> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Ok(None);
    }
    let day = NaiveDate::parse_from_str(raw, "%Y-%m-%d")
        .map_err(|_| format!("“{raw}” is not a date like 2027-01-31."))?;
    let end = day
        .and_hms_opt(23, 59, 59)
        .ok_or_else(|| format!("“{raw}” is not a date like 2027-01-31."))?
        .and_utc();
    if end <= Utc::now() {
        return Err("The end date must be in the future.".to_owned());
    }
    Ok(Some(end))
}

/// `GET /admin/members/bulk?action=…`: how many members the change touches, and a button.
async fn confirm(
    State(state): State<AppState>,
    staff: Staff,
    Query(form): Query<BulkForm>,
) -> Result<Response, AppError> {
    staff.require(Action::Members, false)?;
    let plan = form.plan(&state).await?;
    render(&state, staff, &form, plan, None).await
}

/// `POST /admin/members/bulk`: makes the change, then back to the list with the count.
async fn apply(
    State(state): State<AppState>,
    staff: Staff,
    Form(form): Form<BulkForm>,
) -> Result<Response, AppError> {
    staff.require(Action::Members, false)?;
    staff.check_csrf(&form.csrf)?;
    let plan = match form.plan(&state).await? {
        Ok(plan) => plan,
        Err(e) => return render(&state, staff, &form, Err(e), None).await,
    };
    let done = members_console::bulk(&state.ops(), staff.actor(), &plan.query, &plan.action).await;
    match done {
        Ok(n) => {
            let back = form
                .selection()
                .list_url(&format!("done={}&n={n}", code(&plan.action)));
            let mut r = Redirect::to(&back).into_response();
            view::headers(&mut r);
            Ok(r)
        }
        Err(e) if e.is_for_reader() => {
            let status = status_of(&e);
            render(
                &state,
                staff,
                &form,
                Ok(plan),
                Some((status, e.to_string())),
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

fn code(action: &Bulk) -> &'static str {
    match action {
        Bulk::AddLabel(_) => "add_label",
        Bulk::RemoveLabel(_) => "remove_label",
        Bulk::Comp { .. } => "comp",
        Bulk::Unsubscribe => "unsubscribe",
        Bulk::Delete => "delete",
    }
}

async fn render(
    state: &AppState,
    staff: Staff,
    form: &BulkForm,
    plan: Result<Plan, String>,
    failed: Option<(StatusCode, String)>,
) -> Result<Response, AppError> {
    let sel = form.selection();
    let back = sel.list_url("");
    let (status, data) = match plan {
        Err(error) => (
            StatusCode::BAD_REQUEST,
            json!({ "error": error, "back": back }),
        ),
        Ok(plan) => {
            let n = state.store.count_member_query(&plan.query).await?;
            let (status, error) = failed.map_or((StatusCode::OK, None), |(s, e)| (s, Some(e)));
            (
                status,
                json!({
                    "error": error,
                    "back": back,
                    "form": form,
                    "count": n,
                    "question": format!("{} {n} {}?", plan.sentence, plural(n, "member", "members")),
                    "who": format!("These are {}.", sel.describe()),
                    "button": format!("{} ({n} {})", plan.button, plural(n, "member", "members")),
                    "danger": matches!(plan.action, Bulk::Delete),
                }),
            )
        }
    };
    view::page_with_status(
        staff.visitor,
        Some(&staff.user),
        status,
        "members/bulk",
        "Change members",
        data,
    )
}

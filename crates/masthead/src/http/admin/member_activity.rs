//! `/admin/members/{id}/activity/`: a member's activity timeline for staff allowed to manage
//! members — the member event log, newest first, worded for people, 50 to a page.

use super::staff::Staff;
use crate::http::AppError;
use crate::ops::members::activity::describe;
use crate::state::AppState;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use axum::routing::get;
use domain::{Action, MemberEvent};
use serde::Deserialize;
use serde_json::{Value, json};
use std::collections::HashMap;

/// Events per page.
const PAGE: u32 = 50;

/// The timeline's routes (merged into the newsroom's router).
pub fn router() -> Router<AppState> {
    Router::new().route("/admin/members/{id}/activity/", get(page))
}

#[derive(Deserialize)]
pub struct PageQuery {
    page: Option<String>,
}

/// `GET /admin/members/{id}/activity/?page=N`.
pub async fn page(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
    Query(q): Query<PageQuery>,
) -> Result<Response, AppError> {
    staff.require(Action::Members, false)?;
    let member = state
        .store
        .member_by_id(&id)
        .await?
        .ok_or(AppError::NotFound)?;
    // A page number that is not one shows the first page rather than an error.
    let page = q
        .page
        .and_then(|p| p.parse::<u32>().ok())
        .filter(|p| *p >= 1)
        .unwrap_or(1);
    let total = state.store.count_member_events(&id).await?;
    let offset = (page - 1).saturating_mul(PAGE);
    let events = state.store.member_events(&id, PAGE, offset).await?;
    let rows = worded(&state, &events).await?;
    let pages = total.div_ceil(u64::from(PAGE));
    let url = |p: u32| format!("/admin/members/{id}/activity/?page={p}");
    let label = if member.name.is_empty() {
        member.email.as_str().to_owned()
    } else {
        member.name.clone()
    };
    let data = json!({
        "member": { "id": member.id, "label": label },
        "events": rows,
        "total": total,
        "page": page,
        "pages": (pages > 1).then_some(pages),
        "prev_url": (page > 1).then(|| url(page - 1)),
        "next_url": (u64::from(page) < pages).then(|| url(page + 1)),
    });
    staff.page("members/activity", &format!("Activity: {label}"), data)
}

/// The events as the template shows them, with tier names and post titles looked up.
async fn worded(state: &AppState, events: &[MemberEvent]) -> Result<Vec<Value>, AppError> {
    let tiers: HashMap<String, String> = state
        .store
        .tiers()
        .await?
        .into_iter()
        .map(|t| (t.slug.to_string(), t.name))
        .collect();
    let mut ids: Vec<String> = events.iter().filter_map(|e| e.post_id.clone()).collect();
    ids.sort();
    ids.dedup();
    let titles: HashMap<String, String> = state
        .store
        .posts_by_ids(&ids)
        .await?
        .into_iter()
        .map(|p| (p.id, p.title))
        .collect();
    Ok(events
        .iter()
        .map(|e| {
            let tier = e
                .tier
                .as_ref()
                .and_then(|t| tiers.get(t))
                .map(String::as_str);
            let post = e
                .post_id
                .as_ref()
                .and_then(|p| titles.get(p))
                .map(String::as_str);
            json!({
                "kind": e.kind.as_str(),
                "text": describe(e, tier, post),
                "at": e.at.format("%Y-%m-%d %H:%M UTC").to_string(),
                "iso": e.at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            })
        })
        .collect())
}

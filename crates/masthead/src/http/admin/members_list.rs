//! `/admin/members/`: the members list for administrators (`Action::Members`) — 50 members a
//! page, newest first, selected by a search (names and emails) and a filter in Ghost's language,
//! with one-click presets, the count, page links that keep the selection, and
//! `/admin/members/export`, the same selection as a CSV download streamed in batches
//! (`ops::members_export`).

use super::staff::Staff;
use super::view;
use crate::ghost::filter::FilterError;
use crate::ghost::filter::member as member_filter;
use crate::http::AppError;
use crate::ops::members_export;
use crate::state::AppState;
use axum::body::Body;
use axum::extract::{Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Router, body::Bytes};
use chrono::{DateTime, Utc};
use domain::Action;
use domain::billing::{Subscription, SubscriptionStatus};
use serde::Deserialize;
use serde_json::{Value, json};
use std::collections::HashMap;
use store::{ListedMember, MemberQuery, Window};

/// Members per page.
pub const PAGE: u32 = 50;

/// The list's routes (merged into the newsroom's router).
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/admin/members/", get(list))
        .route("/admin/members/export", get(export))
}

/// Which members a console page is about: a Ghost filter and a search, as typed.
#[derive(Deserialize, Default, Clone, Debug)]
#[serde(default)]
pub struct Selection {
    pub filter: String,
    pub search: String,
}

impl Selection {
    /// The store's query for this selection, or what is wrong with the filter.
    pub fn query(&self) -> Result<MemberQuery, FilterError> {
        member_filter::query(&self.filter, &self.search, Utc::now())
    }

    /// `filter=…&search=…` (blank ones left out), for links that keep the selection.
    pub fn params(&self) -> String {
        let mut out = form_urlencoded::Serializer::new(String::new());
        for (key, value) in [("filter", &self.filter), ("search", &self.search)] {
            if !value.trim().is_empty() {
                out.append_pair(key, value.trim());
            }
        }
        out.finish()
    }

    /// The list's URL for this selection, with `extra` query parameters.
    pub fn list_url(&self, extra: &str) -> String {
        let params = [self.params(), extra.to_owned()]
            .into_iter()
            .filter(|p| !p.is_empty())
            .collect::<Vec<_>>()
            .join("&");
        if params.is_empty() {
            "/admin/members/".to_owned()
        } else {
            format!("/admin/members/?{params}")
        }
    }

    /// The selection in words, for confirmations.
    pub fn describe(&self) -> String {
        match (self.filter.trim(), self.search.trim()) {
            ("", "") => "every member".to_owned(),
            (f, "") => format!("members matching the filter {f}"),
            ("", s) => format!("members whose name or email contains “{s}”"),
            (f, s) => format!("members matching the filter {f} whose name or email contains “{s}”"),
        }
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct ListQuery {
    filter: String,
    search: String,
    page: String,
    /// What a bulk action just did (a fixed code) and to how many.
    done: String,
    n: String,
}

/// `GET /admin/members/?filter=&search=&page=`.
async fn list(
    State(state): State<AppState>,
    staff: Staff,
    Query(q): Query<ListQuery>,
) -> Result<Response, AppError> {
    staff.require(Action::Members, false)?;
    let sel = Selection {
        filter: q.filter,
        search: q.search,
    };
    let labels = state.store.labels().await?;
    let mut data = json!({
        "filter": sel.filter,
        "search": sel.search,
        "presets": presets(&sel, &labels),
        "labels": labels.iter().map(|l| json!({"id": l.label.id, "name": l.label.name})).collect::<Vec<_>>(),
        "tiers": paid_tiers(&state).await?,
        "notice": notice(&q.done, &q.n),
        "params": sel.params(),
    });
    let query = match sel.query() {
        Ok(query) => query,
        Err(e) => {
            data["filter_error"] = json!(format!("This filter cannot be read: {e}."));
            return view::page_with_status(
                staff.visitor,
                Some(&staff.user),
                StatusCode::BAD_REQUEST,
                "members/list",
                "Members",
                data,
            );
        }
    };
    let page = q.page.parse::<u32>().ok().filter(|p| *p >= 1).unwrap_or(1);
    let total = state.store.count_member_query(&query).await?;
    let window = Window {
        limit: PAGE,
        offset: u64::from(page - 1) * u64::from(PAGE),
    };
    let members = state.store.member_page(&query, window).await?;
    let names = tier_names(&state).await?;
    let pages = total.div_ceil(u64::from(PAGE));
    let url = |p: u64| sel.list_url(&format!("page={p}"));
    data["members"] = json!(members.iter().map(|m| row(m, &names)).collect::<Vec<_>>());
    data["total"] = json!(total);
    data["page"] = json!(page);
    data["pages"] = json!((pages > 1).then_some(pages));
    data["prev_url"] = json!((page > 1).then(|| url(u64::from(page) - 1)));
    data["next_url"] = json!((u64::from(page) < pages).then(|| url(u64::from(page) + 1)));
    data["selected"] = json!(!sel.params().is_empty());
    staff.page("members/list", "Members", data)
}

/// The one-click filters: paid, free, comped, email disabled, and one per label.
fn presets(sel: &Selection, labels: &[store::LabelCount]) -> Vec<Value> {
    let fixed = [
        ("Paid", "status:paid".to_owned()),
        ("Free", "status:free".to_owned()),
        ("Comped", "status:comped".to_owned()),
        ("Email disabled", "email_disabled:true".to_owned()),
    ];
    let by_label = labels
        .iter()
        .map(|l| (l.label.name.as_str(), format!("label:{}", l.label.slug)));
    fixed
        .iter()
        .map(|(name, filter)| (*name, filter.clone()))
        .chain(by_label)
        .map(|(name, filter)| {
            let link = Selection {
                filter: filter.clone(),
                search: String::new(),
            };
            json!({
                "name": name,
                "href": link.list_url(""),
                "current": sel.filter.trim() == filter && sel.search.trim().is_empty(),
            })
        })
        .collect()
}

/// A fixed sentence per bulk outcome; only the parsed count comes from the URL.
fn notice(done: &str, n: &str) -> Option<String> {
    let n: u64 = n.parse().ok()?;
    let what = match done {
        "add_label" => "Label added to",
        "remove_label" => "Label removed from",
        "comp" => "Tier given for free to",
        "unsubscribe" => "Unsubscribed from email:",
        "delete" => "Deleted",
        _ => return None,
    };
    Some(format!("{what} {n} {}.", plural(n, "member", "members")))
}

pub fn plural<'a>(n: u64, one: &'a str, many: &'a str) -> &'a str {
    if n == 1 { one } else { many }
}

/// Tier names by slug.
pub async fn tier_names(state: &AppState) -> Result<HashMap<String, String>, AppError> {
    Ok(state
        .store
        .tiers()
        .await?
        .into_iter()
        .map(|t| (t.slug.to_string(), t.name))
        .collect())
}

/// The active paid tiers, to give for free.
pub async fn paid_tiers(state: &AppState) -> Result<Vec<Value>, AppError> {
    Ok(state
        .store
        .tiers()
        .await?
        .iter()
        .filter(|t| t.is_paid() && t.active)
        .map(|t| json!({ "slug": t.slug.as_str(), "name": t.name }))
        .collect())
}

/// `free`, `paid` or `comped`, exactly as the `status` filter reads a subscription.
pub fn status(sub: Option<&Subscription>) -> &'static str {
    match sub.map(|s| s.status) {
        Some(SubscriptionStatus::Comped) => "comped",
        Some(
            SubscriptionStatus::Active | SubscriptionStatus::Trialing | SubscriptionStatus::PastDue,
        ) => "paid",
        _ => "free",
    }
}

/// A status in words.
pub fn status_label(status: &str) -> &'static str {
    match status {
        "paid" => "Paid",
        "comped" => "Comped",
        _ => "Free",
    }
}

/// A date for people (`2026-12-06`), and for `<time datetime>`.
pub fn day(at: DateTime<Utc>) -> Value {
    json!({
        "text": at.format("%Y-%m-%d").to_string(),
        "iso": at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
    })
}

fn row(m: &ListedMember, tiers: &HashMap<String, String>) -> Value {
    let sub = m.subscription.as_ref();
    let tier = sub
        .filter(|s| s.status != SubscriptionStatus::Canceled)
        .map(|s| {
            tiers
                .get(s.tier.as_str())
                .cloned()
                .unwrap_or_else(|| s.tier.to_string())
        });
    json!({
        "id": m.member.id,
        "name": m.member.name,
        "email": m.member.email.as_str(),
        "status": status(sub),
        "status_label": status_label(status(sub)),
        "tier": tier,
        "labels": m.labels.iter().map(|l| &l.name).collect::<Vec<_>>(),
        "created": day(m.member.created_at),
        "last_seen": m.profile.last_seen_at.map(day),
    })
}

/// `GET /admin/members/export?filter=&search=`: the selection as Ghost's members CSV, read and
/// sent a batch at a time.
async fn export(
    State(state): State<AppState>,
    staff: Staff,
    Query(sel): Query<Selection>,
) -> Result<Response, AppError> {
    staff.require(Action::Members, false)?;
    let query = sel.query().map_err(|e| AppError::BadRequest {
        code: "bad_filter",
        message: format!("This filter cannot be read: {e}."),
    })?;
    let header = members_export::header()?;
    let store = state.store.clone();
    // The header, then one chunk per batch until a batch says it was the last.
    let batches = futures_util::stream::unfold(Some(None), move |cursor| {
        let (store, query) = (store.clone(), query.clone());
        async move {
            let cursor: Option<store::MemberCursor> = cursor?;
            match members_export::batch(&store, &query, cursor.as_ref()).await {
                Ok((rows, next)) => Some((Ok(Bytes::from(rows)), next.map(Some))),
                Err(e) => {
                    tracing::error!(error = %e, "members export stopped");
                    Some((Err(std::io::Error::other(e.to_string())), None))
                }
            }
        }
    });
    let first = futures_util::stream::once(async move { Ok(Bytes::from(header)) });
    let body = Body::from_stream(futures_util::StreamExt::chain(first, batches));
    let name = format!("members-{}.csv", Utc::now().format("%Y-%m-%d"));
    let mut r = body.into_response();
    let h = r.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/csv; charset=utf-8"),
    );
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{name}\"")) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    view::headers(&mut r);
    Ok(r)
}

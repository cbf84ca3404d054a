//! `/admin/dashboard/` (administrators and the owner): visitors and views per day, members
//! over time, MRR, new paid and churn, top posts by views and by sign-ups over the last 30,
//! 90 or 365 days (`?days=`); `/admin/dashboard/posts/{id}/`: one post's funnel, views →
//! paywall shown → sign-ups → paid conversions. Charts are SVG drawn here (`chart`), each with
//! a data table in a `<details>`; no script.

mod chart;

use super::staff::Staff;
use crate::http::AppError;
use crate::ops::analytics::dashboard::{self, Mrr, Overview, PERIODS, Period};
use crate::state::AppState;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use chart::Series;
use chrono::{DateTime, Utc};
use domain::Action;
use serde::Deserialize;
use serde_json::{Value, json};
use store::{Funnel, PostCount};

#[derive(Deserialize, Default)]
pub struct DaysQuery {
    /// 30, 90 or 365; anything else (or nothing, or not a number) is 30.
    #[serde(default)]
    days: String,
}

impl DaysQuery {
    fn period(&self, now: DateTime<Utc>) -> Period {
        Period::last(self.days.trim().parse().unwrap_or(30), now)
    }
}

/// `GET /admin/dashboard/`.
pub async fn page(
    State(state): State<AppState>,
    staff: Staff,
    Query(q): Query<DaysQuery>,
) -> Result<Response, AppError> {
    staff.require(Action::Dashboard, false)?;
    let now = Utc::now();
    let o = dashboard::overview(&state.ops(), staff.actor(), q.period(now), now).await?;
    let data = overview_json(&o);
    staff.page("dashboard/index", "Dashboard", data)
}

/// `GET /admin/dashboard/posts/{id}/`.
pub async fn post(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
    Query(q): Query<DaysQuery>,
) -> Result<Response, AppError> {
    staff.require(Action::Dashboard, false)?;
    let period = q.period(Utc::now());
    let (post, f) = dashboard::post_funnel(&state.ops(), staff.actor(), &id, period).await?;
    let steps = funnel_steps(&f);
    let rows: Vec<(&str, i64)> = steps.iter().map(|(l, v, _)| (*l, *v)).collect();
    let desc = format!("Over the last {} days: {}.", period.days, spoken(&rows));
    let data = json!({
        "post": { "id": post.id, "title": post.title, "url": format!("/{}/", post.slug) },
        "periods": periods(period, &format!("/admin/dashboard/posts/{}/", post.id)),
        "days": period.days,
        "chart": chart::bars("funnel", "The post's funnel", &desc, &rows),
        "steps": steps.iter().map(|(label, value, rate)| json!({
            "label": label, "value": value, "rate": rate,
        })).collect::<Vec<_>>(),
        "uniques": f.uniques,
    });
    staff.page("dashboard/post", &format!("Funnel: {}", post.title), data)
}

/// The funnel's steps: label, count, and the share of the step before it.
fn funnel_steps(f: &Funnel) -> Vec<(&'static str, i64, String)> {
    let steps = [
        ("Views", f.views),
        ("Paywall shown", f.paywall_shown),
        ("Sign-ups", f.signups),
        ("Paid conversions", f.conversions),
    ];
    let mut before: Option<i64> = None;
    steps
        .iter()
        .map(|(label, value)| {
            let rate = before.map_or_else(String::new, |b| percent(*value, b));
            before = Some(*value);
            (*label, *value, rate)
        })
        .collect()
}

#[allow(clippy::cast_precision_loss, reason = "a share shown to one decimal")]
fn percent(part: i64, whole: i64) -> String {
    if whole <= 0 {
        "—".into()
    } else {
        format!("{:.1}%", part as f64 * 100.0 / whole as f64)
    }
}

fn spoken(rows: &[(&str, i64)]) -> String {
    rows.iter()
        .map(|(l, v)| format!("{l} {v}"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn date(day: i64) -> String {
    DateTime::from_timestamp(day.saturating_mul(86_400), 0)
        .map(|d| d.format("%Y-%m-%d").to_string())
        .unwrap_or_default()
}

fn periods(current: Period, base: &str) -> Vec<Value> {
    PERIODS
        .iter()
        .map(|d| json!({ "days": d, "url": format!("{base}?days={d}"), "current": *d == current.days }))
        .collect()
}

fn overview_json(o: &Overview) -> Value {
    let labels: Vec<String> = o.traffic.iter().map(|d| date(d.day)).collect();
    let (views, visitors): (i64, i64) = o
        .traffic
        .iter()
        .fold((0, 0), |(v, u), d| (v + d.views, u + d.visitors));
    let traffic_chart = chart::lines(
        "traffic",
        "Views and visitors per day",
        &format!(
            "{views} views and {visitors} daily visitors over the last {} days, from {} to {}.",
            o.period.days,
            labels.first().map_or("", String::as_str),
            labels.last().map_or("", String::as_str)
        ),
        &labels,
        &[
            Series {
                label: "Views",
                values: o.traffic.iter().map(|d| d.views).collect(),
            },
            Series {
                label: "Visitors",
                values: o.traffic.iter().map(|d| d.visitors).collect(),
            },
        ],
    );
    let member_labels: Vec<String> = o.members.iter().map(|m| date(m.day)).collect();
    let n = o.members_now;
    let members_chart = chart::lines(
        "members",
        "Members over time",
        &format!(
            "Today {} free, {} paid and {} comped members; one point per day with a snapshot.",
            n.free, n.paid, n.comped
        ),
        &member_labels,
        &[
            Series {
                label: "Free",
                values: o.members.iter().map(|m| m.free).collect(),
            },
            Series {
                label: "Paid",
                values: o.members.iter().map(|m| m.paid).collect(),
            },
            Series {
                label: "Comped",
                values: o.members.iter().map(|m| m.comped).collect(),
            },
        ],
    );
    json!({
        "days": o.period.days,
        "periods": periods(o.period, "/admin/dashboard/"),
        "views": views,
        "visitors": visitors,
        "members_now": { "free": n.free, "paid": n.paid, "comped": n.comped },
        "mrr": o.mrr.iter().map(mrr_json).collect::<Vec<_>>(),
        "new_paid": o.paid.started,
        "churned": o.paid.ended,
        "traffic_chart": traffic_chart,
        "traffic": o.traffic.iter().rev().map(|d| json!({
            "date": date(d.day), "views": d.views, "visitors": d.visitors,
        })).collect::<Vec<_>>(),
        "members_chart": members_chart,
        "members": o.members.iter().rev().map(|m| json!({
            "date": date(m.day), "free": m.free, "paid": m.paid, "comped": m.comped,
        })).collect::<Vec<_>>(),
        "top_by_views": top_json(&o.top_by_views, o.period.days),
        "top_by_signups": top_json(&o.top_by_signups, o.period.days),
        "top_counted_at": o.top_counted_at.format("%H:%M").to_string(),
    })
}

fn mrr_json(m: &Mrr) -> Value {
    let minor = u32::try_from(m.monthly).unwrap_or(u32::MAX);
    json!({
        "amount": domain::member::money(minor, &m.currency),
        "currency": m.currency.to_uppercase(),
        "subscriptions": m.subscriptions,
    })
}

fn top_json(rows: &[PostCount], days: i64) -> Vec<Value> {
    rows.iter()
        .map(|p| {
            json!({
                "title": p.title, "count": p.count, "url": format!("/{}/", p.slug),
                "funnel": format!("/admin/dashboard/posts/{}/?days={days}", p.post_id),
            })
        })
        .collect()
}

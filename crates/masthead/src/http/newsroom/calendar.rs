//! `/admin/posts/calendar/?month=2026-12`: the scheduled posts of a month, by day.

use super::{AppError, edit_url};
use crate::http::admin::staff::Staff;
use crate::http::extract::query_param;
use crate::state::AppState;
use axum::extract::{RawQuery, State};
use axum::response::Response;
use chrono::{Datelike, Months, NaiveDate, SecondsFormat, Utc};
use domain::{Action, PostKind};
use serde_json::{Value, json};
use store::{NewsroomFilter, NewsroomSort, Stage, Window};

/// More scheduled posts than a month ever holds.
const MONTH_LIMIT: u32 = 1_000;

pub async fn page(
    State(state): State<AppState>,
    staff: Staff,
    RawQuery(query): RawQuery,
) -> Result<Response, AppError> {
    staff.require(Action::Browse, false)?;
    let now = Utc::now();
    let first = NaiveDate::parse_from_str(
        &format!("{}-01", query_param(query.as_deref(), "month")),
        "%Y-%m-%d",
    )
    .ok()
    .or_else(|| NaiveDate::from_ymd_opt(now.year(), now.month(), 1))
    .ok_or(AppError::NotFound)?;
    let next = first
        .checked_add_months(Months::new(1))
        .ok_or(AppError::NotFound)?;
    let prev = first
        .checked_sub_months(Months::new(1))
        .ok_or(AppError::NotFound)?;
    let midnight = |d: NaiveDate| d.and_hms_opt(0, 0, 0).map(|t| t.and_utc());
    let filter = NewsroomFilter {
        stage: Some(Stage::Scheduled),
        from: midnight(first),
        until: midnight(next),
        ..NewsroomFilter::default()
    };
    let window = Window {
        limit: MONTH_LIMIT,
        offset: 0,
    };
    let (mut posts, _) = state
        .store
        .newsroom_posts(
            PostKind::Post,
            &filter,
            NewsroomSort::Published,
            window,
            now,
        )
        .await?;
    posts.sort_by_key(|p| p.published_at);
    let mut days: Vec<Value> = Vec::new();
    for post in &posts {
        let Some(at) = post.published_at else {
            continue;
        };
        let date = at.format("%Y-%m-%d").to_string();
        let entry = json!({"at": at.to_rfc3339_opts(SecondsFormat::Secs, true), "time": at.format("%H:%M").to_string(),
            "title": post.title, "edit_url": edit_url(&post.id)});
        match days.last_mut() {
            Some(day) if day["date"] == json!(date) => {
                if let Some(list) = day["posts"].as_array_mut() {
                    list.push(entry);
                }
            }
            _ => days.push(json!({"date": date, "label": at.format("%A %-d %B").to_string(), "posts": [entry]})),
        }
    }
    let month = |d: NaiveDate| d.format("%Y-%m").to_string();
    let data = json!({
        "list_url": "/admin/posts/",
        "month_label": first.format("%B %Y").to_string(),
        "prev_url": format!("/admin/posts/calendar/?month={}", month(prev)),
        "prev_label": prev.format("%B").to_string(),
        "next_url": format!("/admin/posts/calendar/?month={}", month(next)),
        "next_label": next.format("%B").to_string(),
        "days": days,
    });
    staff.page("posts/calendar", "Scheduled posts", data)
}

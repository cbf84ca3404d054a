//! `/admin/posts/` and `/admin/pages/`: posts in any status, filtered, searched, sorted and
//! paged from indexes (`store::newsroom`), with bulk unpublish and delete for editors.

use super::{AppError, check_form_csrf, edit_url, find, refused, stage, when};
use crate::http::admin::staff::Staff;
use crate::http::extract::query_param;
use crate::ops::posts::newsroom::{self, Bulk};
use crate::state::AppState;
use axum::body::Bytes;
use axum::extract::{RawQuery, State};
use axum::response::Response;
use chrono::{NaiveDate, SecondsFormat, Utc};
use domain::{Action, Post, PostKind, TagKind};
use serde_json::{Value, json};
use store::{NewsroomFilter, NewsroomSort, Stage, Total, Window};

const PER_PAGE: u32 = 25;
/// The deepest page the list offers (25 × 4,000 = 100,000 rows).
const MAX_PAGE: u64 = 4_000;

pub async fn posts(
    State(state): State<AppState>,
    staff: Staff,
    RawQuery(query): RawQuery,
) -> Result<Response, AppError> {
    list(&state, staff, PostKind::Post, query.as_deref()).await
}

pub async fn pages(
    State(state): State<AppState>,
    staff: Staff,
    RawQuery(query): RawQuery,
) -> Result<Response, AppError> {
    list(&state, staff, PostKind::Page, query.as_deref()).await
}

/// The filter a query string asks for; unknown values show everything rather than fail.
fn parse_filter(query: Option<&str>) -> (NewsroomFilter, NewsroomSort, u64) {
    let param = |name| Some(query_param(query, name)).filter(|v| !v.trim().is_empty());
    let date = |name| {
        param(name)
            .and_then(|d| NaiveDate::parse_from_str(&d, "%Y-%m-%d").ok())
            .and_then(|d| d.and_hms_opt(0, 0, 0))
            .map(|t| t.and_utc())
    };
    let stage = match query_param(query, "status").as_str() {
        "draft" => Some(Stage::Draft),
        "scheduled" => Some(Stage::Scheduled),
        "published" => Some(Stage::Published),
        _ => None,
    };
    let sort = match query_param(query, "sort").as_str() {
        "published" => NewsroomSort::Published,
        "title" => NewsroomSort::Title,
        _ => NewsroomSort::Updated,
    };
    let page = query_param(query, "page")
        .parse()
        .unwrap_or(1)
        .clamp(1, MAX_PAGE);
    let filter = NewsroomFilter {
        stage,
        section: param("section"),
        tag: param("tag"),
        author: param("author"),
        visibility: param("visibility"),
        search: param("q"),
        from: date("from"),
        until: date("until").map(|d| d + chrono::Duration::days(1)),
    };
    (filter, sort, page)
}

async fn list(
    state: &AppState,
    staff: Staff,
    kind: PostKind,
    query: Option<&str>,
) -> Result<Response, AppError> {
    staff.require(Action::Browse, false)?;
    let (filter, sort, page) = parse_filter(query);
    let now = Utc::now();
    let window = Window {
        limit: PER_PAGE,
        offset: (page - 1) * u64::from(PER_PAGE),
    };
    let (posts, total) = state
        .store
        .newsroom_posts(kind, &filter, sort, window, now)
        .await?;
    // A capped total still has a page after this one, so `pages` counts on past the cap.
    let pages = total.count.div_ceil(u64::from(PER_PAGE)).max(1);
    let (noun, nouns, base) = match kind {
        PostKind::Post => ("post", "posts", "/admin/posts/"),
        PostKind::Page => ("page", "pages", "/admin/pages/"),
    };
    let page_url = |n: u64| {
        let mut q: Vec<(String, String)> =
            form_urlencoded::parse(query.unwrap_or_default().as_bytes())
                .filter(|(k, _)| k != "page")
                .map(|(k, v)| (k.into_owned(), v.into_owned()))
                .collect();
        q.push(("page".into(), n.to_string()));
        let encoded: String = form_urlencoded::Serializer::new(String::new())
            .extend_pairs(q)
            .finish();
        format!("{base}?{encoded}")
    };
    let tags = state.store.tags().await?;
    let authors = state.store.authors().await?;
    let chosen = |v: &Option<String>, s: &str| v.as_deref() == Some(s);
    let data = json!({
        "noun": noun,
        "nouns": nouns,
        "list_url": base,
        "new_url": format!("/admin/posts/new/?kind={}", kind.as_str()),
        "calendar_url": (kind == PostKind::Post).then_some("/admin/posts/calendar/"),
        "bulk_url": "/admin/posts/bulk",
        "filter": {
            "q": filter.search, "tag": filter.tag,
            "from": query_param(query, "from"), "until": query_param(query, "until"),
        },
        "stages": options(&query_param(query, "status"), &[("", "Any status"), ("draft", "Drafts"), ("scheduled", "Scheduled"), ("published", "Published")]),
        "visibilities": options(&query_param(query, "visibility"), &[("", "Anyone"), ("public", "Public"), ("members", "Members"), ("paid", "Paid"), ("tiers", "Chosen tiers")]),
        "sorts": options(&query_param(query, "sort"), &[("updated", "Last edited"), ("published", "Publish date"), ("title", "Title")]),
        "sections": tags.iter().filter(|t| t.kind == TagKind::Section).map(|t| json!({
            "slug": t.slug.as_str(), "name": t.name, "selected": chosen(&filter.section, t.slug.as_str()),
        })).collect::<Vec<_>>(),
        "authors": authors.iter().map(|a| json!({
            "slug": a.slug.as_str(), "name": a.name, "selected": chosen(&filter.author, a.slug.as_str()),
        })).collect::<Vec<_>>(),
        "posts": posts.iter().map(|p| row(p, now)).collect::<Vec<_>>(),
        "total": count_label(total),
        "one": total.count == 1 && !total.capped,
        "can_bulk": staff.may(Action::DeletePublished, false),
        "page": page,
        "pages": pages,
        "prev_url": (page > 1).then(|| page_url(page - 1)),
        "next_url": (page < pages.min(MAX_PAGE)).then(|| page_url(page + 1)),
    });
    let title = match kind {
        PostKind::Post => "Posts",
        PostKind::Page => "Pages",
    };
    staff.page("posts/list", title, data)
}

/// "1,234" or, past the counting cap, "10,025+".
fn count_label(total: Total) -> String {
    let digits = total.count.to_string();
    let mut label = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            label.push(',');
        }
        label.push(c);
    }
    if total.capped {
        label.push('+');
    }
    label
}

/// Select options with the current value marked.
fn options(current: &str, all: &[(&str, &str)]) -> Vec<Value> {
    all.iter()
        .map(
            |(value, label)| json!({"value": value, "label": label, "selected": *value == current}),
        )
        .collect()
}

fn row(post: &Post, now: chrono::DateTime<Utc>) -> Value {
    let (stage, stage_label) = stage(post, now);
    json!({
        "id": post.id,
        "title": post.title,
        "edit_url": edit_url(&post.id),
        "stage": stage,
        "stage_label": stage_label,
        "featured": post.featured,
        "section": post.section().map(|t| t.name.clone()),
        "authors": post.authors.iter().map(|a| a.name.as_str()).collect::<Vec<_>>().join(", "),
        "visibility": post.visibility.kind(),
        "published": post.published_at.map(|t| t.to_rfc3339_opts(SecondsFormat::Secs, true)),
        "published_label": post.published_at.map(when),
        "updated": post.updated_at.to_rfc3339_opts(SecondsFormat::Secs, true),
        "updated_label": when(post.updated_at),
    })
}

/// `POST /admin/posts/bulk`: unpublish at once; delete after a confirmation page.
pub async fn bulk(
    State(state): State<AppState>,
    staff: Staff,
    body: Bytes,
) -> Result<Response, AppError> {
    check_form_csrf(&staff, &body)?;
    let mut ids = Vec::new();
    let (mut action, mut confirmed) = (String::new(), false);
    for (k, v) in form_urlencoded::parse(&body) {
        match k.as_ref() {
            "ids" => ids.push(v.into_owned()),
            "action" => action = v.into_owned(),
            "confirmed" => confirmed = v == "yes",
            _ => {}
        }
    }
    let action = match action.as_str() {
        "unpublish" => Bulk::Unpublish,
        "delete" => Bulk::Delete,
        _ => {
            return Err(AppError::BadRequest {
                code: "invalid",
                message: "Choose unpublish or delete.".into(),
            });
        }
    };
    let mut posts = Vec::new();
    for id in ids.iter().take(500) {
        posts.push(find(&state, id).await?);
    }
    if action == Bulk::Delete && !confirmed {
        let titles: Vec<&str> = posts.iter().map(|p| p.title.as_str()).collect();
        let data = json!({
            "action": "/admin/posts/bulk", "bulk_action": "delete", "ids": ids,
            "titles": titles, "question": format!("Delete these {} posts for good?", titles.len()),
            "confirm_label": "Delete them", "cancel_url": "/admin/posts/",
        });
        return staff.page("posts/confirm", "Delete posts", data);
    }
    let outcome = newsroom::bulk(&state.ops(), staff.actor(), action, &posts, Utc::now())
        .await
        .map_err(refused)?;
    let refusals: Vec<String> = outcome
        .refused
        .iter()
        .map(|(title, why)| format!("{title}: {why}"))
        .collect();
    let data = json!({
        "message": format!("{} of {} done.", outcome.done.len(), posts.len()),
        "refusals": refusals,
        "back_url": "/admin/posts/",
    });
    staff.page("posts/done", "Bulk action", data)
}

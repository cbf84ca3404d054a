//! `/admin/settings/`: the site's settings for administrators, in groups (General, Design,
//! Membership, Access, Advanced), one form per group so saving one keeps what is typed in no
//! other. Every save goes through `ops::settings::change` (checked, audited; a new "free
//! paragraphs" queues the re-split, whose progress the Access group shows). Images may be a
//! path or URL, with the media library's newest items offered as suggestions.

use super::signin::status_of;
use super::staff::Staff;
use super::view;
use crate::http::AppError;
use crate::ops::{OpsError, settings as ops_settings};
use crate::settings::colour::Rgb;
use crate::settings::{self, SETTINGS};
use crate::state::AppState;
use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, RawQuery, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use chrono::Utc;
use domain::Action;
use serde_json::{Value, json};
use std::collections::BTreeMap;
use store::JobStatus;

/// How a field is edited.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Input {
    Text,
    Long,
    Number,
    Image,
    Links,
    Choice(&'static [(&'static str, &'static str)]),
}

/// One field: the setting's key, its label and the input for it.
type Field = (&'static str, &'static str, Input);

const VISIBILITIES: &[(&str, &str)] = &[
    ("public", "Public"),
    ("members", "Members only"),
    ("paid", "Paid members only"),
];
const SIGNUPS: &[(&str, &str)] = &[
    ("all", "Anyone may sign up for free"),
    ("invite", "Invite only (paid checkout still works)"),
];

/// The groups: slug, heading, fields.
const GROUPS: &[(&str, &str, &[Field])] = &[
    (
        "general",
        "General",
        &[
            ("title", "Title", Input::Text),
            ("description", "Description", Input::Long),
            ("language", "Language code", Input::Text),
            ("timezone", "Time zone", Input::Text),
            ("facebook", "Facebook", Input::Text),
            ("twitter", "X (Twitter)", Input::Text),
            ("linkedin", "LinkedIn", Input::Text),
            ("bluesky", "Bluesky", Input::Text),
            ("mastodon", "Mastodon", Input::Text),
        ],
    ),
    (
        "design",
        "Design",
        &[
            ("logo_url", "Logo", Input::Image),
            ("icon", "Icon (favicon)", Input::Image),
            ("cover_image", "Cover image", Input::Image),
            ("accent_color", "Accent colour", Input::Text),
            ("secondary_navigation", "Footer links", Input::Links),
        ],
    ),
    (
        "membership",
        "Membership",
        &[
            ("members_signup_access", "Sign-ups", Input::Choice(SIGNUPS)),
            (
                "default_content_visibility",
                "New posts are readable by",
                Input::Choice(VISIBILITIES),
            ),
            ("paid_tier_name", "Paid tier's name", Input::Text),
            (
                "gift_quota",
                "Gift links per member per 30 days",
                Input::Number,
            ),
        ],
    ),
    (
        "access",
        "Access",
        &[
            ("free_paragraphs", "Free paragraphs", Input::Number),
            (
                "meter_members",
                "Metered reads for free members",
                Input::Number,
            ),
            (
                "meter_anonymous",
                "Metered reads for anonymous readers",
                Input::Number,
            ),
            (
                "past_due_grace_days",
                "Days a member keeps access after a failed payment",
                Input::Number,
            ),
        ],
    ),
    (
        "advanced",
        "Advanced",
        &[
            ("default_author", "Default author (slug)", Input::Text),
            ("robots_extra", "Extra robots.txt lines", Input::Long),
            ("codeinjection_head", "Site header code", Input::Long),
            ("codeinjection_foot", "Site footer code", Input::Long),
        ],
    ),
];

/// The settings pages' routes (merged by `admin::router`).
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/admin/settings/", get(page))
        .route("/admin/settings/{group}", post(save))
}

/// `GET /admin/settings/` (`?saved=GROUP` after a save).
pub async fn page(
    State(state): State<AppState>,
    staff: Staff,
    RawQuery(query): RawQuery,
) -> Result<Response, AppError> {
    staff.require(Action::Settings, false)?;
    let stored = state.store.settings().await?;
    let shown: BTreeMap<&str, String> = settings::shown(&stored)
        .map(|(s, v)| (s.key, shown_value(s.key, v)))
        .collect();
    let saved = form_urlencoded::parse(query.unwrap_or_default().as_bytes())
        .find(|(k, _)| k == "saved")
        .and_then(|(_, v)| GROUPS.iter().find(|(g, _, _)| *g == v).map(|(g, _, _)| *g));
    render(&state, staff, &shown, saved, None).await
}

/// `POST /admin/settings/{group}`: the group's fields as typed.
pub async fn save(
    State(state): State<AppState>,
    staff: Staff,
    Path(group): Path<String>,
    body: Bytes,
) -> Result<Response, AppError> {
    let Some((slug, _, fields)) = GROUPS.iter().find(|(g, _, _)| *g == group) else {
        return Err(AppError::NotFound);
    };
    let mut csrf = String::new();
    let mut typed: BTreeMap<String, String> = BTreeMap::new();
    for (key, value) in form_urlencoded::parse(&body) {
        if key == "csrf" {
            csrf = value.into_owned();
        } else if fields.iter().any(|(k, _, _)| *k == key) {
            typed.insert(key.into_owned(), value.into_owned());
        }
    }
    staff.check_csrf(&csrf)?;
    let changes: Result<Vec<(String, String)>, OpsError> = fields
        .iter()
        .filter_map(|(key, _, input)| {
            let value = typed.get(*key)?;
            Some(stored_value(*input, value).map(|v| ((*key).to_owned(), v)))
        })
        .collect();
    let done = match changes {
        Ok(changes) => {
            ops_settings::change(&state.ops(), staff.actor(), &changes, Utc::now()).await
        }
        Err(e) => Err(e),
    };
    match done {
        Ok(_) => {
            let mut r =
                Redirect::to(&format!("/admin/settings/?saved={slug}#{slug}")).into_response();
            view::headers(&mut r);
            Ok(r)
        }
        Err(e) if e.is_for_reader() => {
            let stored = state.store.settings().await?;
            let mut shown: BTreeMap<&str, String> = settings::shown(&stored)
                .map(|(s, v)| (s.key, shown_value(s.key, v)))
                .collect();
            for (key, value) in &typed {
                if let Some(s) = SETTINGS.iter().find(|s| s.key == key) {
                    shown.insert(s.key, value.clone());
                }
            }
            render(&state, staff, &shown, Some(slug), Some(&e)).await
        }
        Err(e) => Err(e.into()),
    }
}

/// The text a field shows for a stored value (footer links one per line).
fn shown_value(key: &str, stored: &str) -> String {
    #[derive(serde::Deserialize)]
    struct Link {
        label: String,
        url: String,
    }
    if key != "secondary_navigation" {
        return stored.to_owned();
    }
    serde_json::from_str::<Vec<Link>>(stored).map_or_else(
        |_| stored.to_owned(),
        |links| {
            links
                .iter()
                .map(|l| format!("{} | {}", l.label, l.url))
                .collect::<Vec<_>>()
                .join("\n")
        },
    )
}

/// The stored text for what was typed: footer links ("Label | URL" per line) become the JSON
/// list the setting holds.
fn stored_value(input: Input, typed: &str) -> Result<String, OpsError> {
    if input != Input::Links {
        return Ok(typed.to_owned());
    }
    let mut links = Vec::new();
    for line in typed.lines().map(str::trim).filter(|l| !l.is_empty()) {
        let (label, url) = line.split_once('|').ok_or_else(|| {
            OpsError::Invalid(format!(
                "Footer links: write each as Label | URL, e.g. About | /about/ (not {line:?})"
            ))
        })?;
        let link = domain::NavLink::parse(label, url)
            .map_err(|e| OpsError::Invalid(format!("Footer links: {}", e.0)))?;
        links.push(link);
    }
    if links.is_empty() {
        return Ok(String::new());
    }
    serde_json::to_string(&links).map_err(|e| OpsError::Invalid(e.to_string()))
}

async fn render(
    state: &AppState,
    staff: Staff,
    shown: &BTreeMap<&str, String>,
    // The group just saved (with `error` None) or refused.
    failed: Option<&str>,
    error: Option<&OpsError>,
) -> Result<Response, AppError> {
    let groups: Vec<Value> = GROUPS
        .iter()
        .map(|(slug, heading, fields)| {
            let fields: Vec<Value> = fields
                .iter()
                .map(|(key, label, input)| field_json(key, label, *input, shown))
                .collect();
            let here = failed == Some(*slug);
            json!({
                "slug": slug, "heading": heading, "fields": fields,
                "error": if here { error.map(ToString::to_string) } else { None },
                "saved": here && error.is_none(),
                "advanced": *slug == "advanced",
                "access": *slug == "access",
            })
        })
        .collect();
    let media: Vec<String> = state
        .store
        .list_media(None, 20, 0)
        .await?
        .items
        .iter()
        .map(|m| format!("{}{}", crate::media::names::URL_PREFIX, m.path))
        .collect();
    let data = json!({
        "groups": groups,
        "media": media,
        "resplit": resplit_progress(state).await?,
        "accent": accent_note(shown.get("accent_color").map_or("", String::as_str)),
    });
    let status = error.map_or(axum::http::StatusCode::OK, status_of);
    view::page_with_status(
        staff.visitor,
        Some(&staff.user),
        status,
        "settings",
        "Settings",
        data,
    )
}

fn field_json(key: &str, label: &str, input: Input, shown: &BTreeMap<&str, String>) -> Value {
    let value = shown.get(key).cloned().unwrap_or_default();
    let about = SETTINGS
        .iter()
        .find(|s| s.key == key)
        .map_or("", |s| s.about);
    let options: Vec<Value> = match input {
        Input::Choice(options) => options
            .iter()
            .map(|(v, l)| json!({ "value": v, "label": l, "selected": *v == value }))
            .collect(),
        _ => vec![],
    };
    json!({
        "key": key, "label": label, "value": value, "about": about, "options": options,
        "long": matches!(input, Input::Long | Input::Links),
        "number": input == Input::Number,
        "image": input == Input::Image,
        "choice": matches!(input, Input::Choice(_)),
        "links": input == Input::Links,
        "code": key.starts_with("codeinjection_"),
    })
}

/// The accent colour's contrast with white, as the page shows it beside the field.
fn accent_note(value: &str) -> Value {
    match Rgb::parse(value) {
        Ok(rgb) if !value.trim().is_empty() => {
            let ratio = rgb.contrast_with_white();
            json!({
                "hex": rgb.hex(),
                "ratio": format!("{ratio:.2}:1"),
                "passes": ratio >= settings::colour::LEAST_CONTRAST,
            })
        }
        _ => Value::Null,
    }
}

/// The newest re-split job's progress: "1,200 of 10,000" while it runs or waits.
async fn resplit_progress(state: &AppState) -> Result<Value, AppError> {
    let jobs = state.store.jobs(None, 100).await?;
    let Some(job) = jobs.iter().find(|j| j.kind == crate::jobs::resplit::KIND) else {
        return Ok(Value::Null);
    };
    let running = matches!(job.status, JobStatus::Queued | JobStatus::Running);
    Ok(json!({
        "running": running,
        "failed": job.status == JobStatus::Failed,
        "done": thousands(job.progress_done),
        "total": job.progress_total.map(thousands),
        "status": job.status.as_str(),
    }))
}

/// `n` with commas between thousands (10,000).
fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn footer_links_are_typed_one_per_line_and_stored_as_json() {
        let stored = stored_value(
            Input::Links,
            "About | /about/\n\n Shop|https://shop.example/ ",
        );
        let stored = stored.unwrap_or_default();
        assert_eq!(
            stored,
            r#"[{"label":"About","url":"/about/"},{"label":"Shop","url":"https://shop.example/"}]"#
        );
        assert_eq!(
            shown_value("secondary_navigation", &stored),
            "About | /about/\nShop | https://shop.example/"
        );
        assert!(stored_value(Input::Links, "About /about/").is_err());
        assert!(stored_value(Input::Links, "Evil | javascript:alert(1)").is_err());
        assert_eq!(stored_value(Input::Links, " \n").ok(), Some(String::new()));
    }

    #[test]
    fn thousands_are_separated() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(1200), "1,200");
        assert_eq!(thousands(10_000), "10,000");
        assert_eq!(thousands(1_234_567), "1,234,567");
    }
}

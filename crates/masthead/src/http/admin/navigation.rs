//! `/admin/navigation/`: the site's primary navigation for administrators — labelled links in
//! order, each movable up or down or removable, and a blank row to add one. One form holds every
//! row, so a move keeps what was typed elsewhere; every change is saved through
//! `ops::navigation::set_navigation`.

use super::signin::status_of;
use super::staff::Staff;
use super::view;
use crate::http::AppError;
use crate::ops::{OpsError, navigation};
use crate::state::AppState;
use axum::body::Bytes;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use domain::{Action, NavLink};
use serde_json::{Value, json};

/// `GET /admin/navigation/`: the stored links, or the sections in use while none are stored.
pub async fn page(State(state): State<AppState>, staff: Staff) -> Result<Response, AppError> {
    staff.require(Action::Settings, false)?;
    let site = crate::http::site::load(&state).await?;
    let rows: Vec<Row> = render::context::navigation(&site)
        .iter()
        .map(|v| Row {
            label: v["label"].as_str().unwrap_or_default().to_owned(),
            url: v["url"].as_str().unwrap_or_default().to_owned(),
        })
        .collect();
    show(staff, &rows, None)
}

/// `POST /admin/navigation/`: the rows as typed, then the button pressed: `save`, or `up:N`,
/// `down:N`, `remove:N` for row N. Rows left blank are dropped.
pub async fn save(
    State(state): State<AppState>,
    staff: Staff,
    body: Bytes,
) -> Result<Response, AppError> {
    let posted = Posted::parse(&body);
    staff.check_csrf(&posted.csrf)?;
    // Before the links are read: a refused user never sees the editor, not even its errors.
    staff.require(Action::Settings, false)?;
    let rows = posted.arranged();
    let links: Result<Vec<NavLink>, OpsError> = rows
        .iter()
        .map(|r| NavLink::parse(&r.label, &r.url).map_err(|e| OpsError::Invalid(e.0)))
        .collect();
    let done = match links {
        Ok(links) => navigation::set_navigation(&state.ops(), staff.actor(), &links).await,
        Err(e) => Err(e),
    };
    match done {
        Ok(()) => {
            let mut r = Redirect::to("/admin/navigation/?saved=1").into_response();
            view::headers(&mut r);
            Ok(r)
        }
        Err(e) if e.is_for_reader() => show(staff, &rows, Some(&e)),
        Err(e) => Err(e.into()),
    }
}

/// One row of the form.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
struct Row {
    label: String,
    url: String,
}

fn show(staff: Staff, rows: &[Row], error: Option<&OpsError>) -> Result<Response, AppError> {
    let last = rows.len().saturating_sub(1);
    let shown: Vec<Value> = rows
        .iter()
        .enumerate()
        .map(|(i, r)| json!({ "i": i, "n": i + 1, "label": r.label, "url": r.url, "first": i == 0, "last": i == last }))
        .collect();
    let data = json!({
        "links": shown,
        "new": rows.len(),
        "error": error.map(ToString::to_string),
    });
    let status = error.map_or(axum::http::StatusCode::OK, status_of);
    view::page_with_status(
        staff.visitor,
        Some(&staff.user),
        status,
        "navigation",
        "Navigation",
        data,
    )
}

/// The posted form: `label`/`url` pairs in order, the CSRF token and the button pressed.
#[derive(Debug, Default)]
struct Posted {
    csrf: String,
    rows: Vec<Row>,
    op: String,
}

impl Posted {
    fn parse(body: &[u8]) -> Posted {
        let mut posted = Posted::default();
        for (key, value) in form_urlencoded::parse(body) {
            let value = value.into_owned();
            match key.as_ref() {
                "csrf" => posted.csrf = value,
                "op" => posted.op = value,
                "label" => posted.rows.push(Row {
                    label: value,
                    url: String::new(),
                }),
                // A `url` belongs to the `label` before it (the form puts them in that order).
                "url" => match posted.rows.last_mut() {
                    Some(row) if row.url.is_empty() => row.url = value,
                    _ => posted.rows.push(Row {
                        label: String::new(),
                        url: value,
                    }),
                },
                _ => {}
            }
        }
        posted
    }

    /// The rows after the button's move or removal, without blank rows.
    fn arranged(&self) -> Vec<Row> {
        let mut rows = self.rows.clone();
        let (op, index) = self.op.split_once(':').unwrap_or((self.op.as_str(), ""));
        if let Ok(i) = index.parse::<usize>()
            && i < rows.len()
        {
            match op {
                "up" if i > 0 => rows.swap(i, i - 1),
                "down" if i + 1 < rows.len() => rows.swap(i, i + 1),
                "remove" => {
                    rows.remove(i);
                }
                _ => {}
            }
        }
        rows.retain(|r| !(r.label.trim().is_empty() && r.url.trim().is_empty()));
        rows
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn posted(body: &str) -> Vec<Row> {
        Posted::parse(body.as_bytes()).arranged()
    }

    fn labels(rows: &[Row]) -> Vec<&str> {
        rows.iter().map(|r| r.label.as_str()).collect()
    }

    #[test]
    fn buttons_move_and_remove_rows_and_blank_rows_are_dropped() {
        let base = "label=A&url=%2Fa%2F&label=B&url=%2Fb%2F&label=C&url=%2Fc%2F&label=&url=";
        assert_eq!(labels(&posted(&format!("{base}&op=save"))), ["A", "B", "C"]);
        assert_eq!(labels(&posted(&format!("{base}&op=up:1"))), ["B", "A", "C"]);
        assert_eq!(
            labels(&posted(&format!("{base}&op=down:1"))),
            ["A", "C", "B"]
        );
        assert_eq!(labels(&posted(&format!("{base}&op=remove:0"))), ["B", "C"]);
        assert_eq!(labels(&posted(&format!("{base}&op=up:0"))), ["A", "B", "C"]);
        assert_eq!(
            labels(&posted(&format!("{base}&op=remove:99"))),
            ["A", "B", "C"]
        );
    }
}

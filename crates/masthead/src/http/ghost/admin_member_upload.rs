//! `POST /ghost/api/admin/members/upload/`: a members CSV in Ghost's layout (multipart field
//! `membersfile`, optional `labels` fields) imported as the console imports it (rows matched by
//! email, the whole file in one transaction), every imported member also given the `labels`
//! and an "Import YYYY-MM-DD HH:MM" label, as Ghost labels an upload. Ghost runs large files
//! in the background; here every file (at most 50,000 rows) is imported before the answer, a
//! 201 with `meta.stats`.

use super::admin_auth::AdminKey;
use super::error::GhostError;
use crate::billing::stripe::StripeClient;
use crate::ghost::shapes;
use crate::import::members_csv::{self, MAX_BYTES};
use crate::import::members_report::{self, ImportError};
use crate::ops::staff::Actor;
use crate::state::AppState;
use axum::Json;
use axum::body::Body;
use axum::extract::{FromRequest, Multipart, Request, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use chrono::Utc;
use domain::label::label_name;
use serde_json::json;
use store::ImportMode;

/// Room for the multipart framing and the label fields beside the file.
const FORM_OVERHEAD: usize = 64 * 1024;

/// The upload's file and the labels to give every member it imports.
struct Form {
    file: Option<bytes::Bytes>,
    labels: Vec<String>,
}

fn broken(e: &axum::extract::multipart::MultipartError) -> GhostError {
    if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
        GhostError::payload_too_large(&format!(
            "The file is larger than {} MB; split it into smaller files.",
            MAX_BYTES / 1024 / 1024
        ))
    } else {
        GhostError::validation(&format!("The upload is not valid multipart: {e}."))
    }
}

async fn read_form(state: &AppState, request: Request) -> Result<Form, GhostError> {
    let (parts, body) = request.into_parts();
    let body = Body::new(http_body_util::Limited::new(
        body,
        MAX_BYTES + FORM_OVERHEAD,
    ));
    let mut multipart = Multipart::from_request(Request::from_parts(parts, body), state)
        .await
        .map_err(|e| {
            GhostError::validation(&format!(
                "Please send the CSV file as multipart form data, field `membersfile` ({e})."
            ))
        })?;
    let mut form = Form {
        file: None,
        labels: Vec::new(),
    };
    while let Some(field) = multipart.next_field().await.map_err(|e| broken(&e))? {
        let name = field.name().unwrap_or_default().to_owned();
        if name == "membersfile" {
            form.file = Some(field.bytes().await.map_err(|e| broken(&e))?);
        } else if name == "labels" || name.starts_with("labels[") {
            let text = field.text().await.map_err(|e| broken(&e))?;
            if !text.trim().is_empty() {
                let label = label_name(&text)
                    .map_err(|e| GhostError::validation(&format!("Label: {}.", e.0)))?;
                form.labels.push(label);
            }
        }
    }
    Ok(form)
}

/// The label every member of an upload made at `now` gets, as Ghost names it.
fn import_label_name(now: chrono::DateTime<Utc>) -> String {
    format!("Import {}", now.format("%Y-%m-%d %H:%M"))
}

pub async fn upload(
    _: AdminKey,
    State(state): State<AppState>,
    request: Request,
) -> Result<Response, GhostError> {
    let form = read_form(&state, request).await?;
    let bytes = form
        .file
        .ok_or_else(|| GhostError::validation("Please select a CSV file (field `membersfile`)."))?;
    let tiers = state.store.tiers().await?;
    let mut parsed =
        members_csv::parse(&bytes, &tiers).map_err(|e| GhostError::validation(&e.to_string()))?;
    let import_label = import_label_name(Utc::now());
    for row in &mut parsed.rows {
        row.member.labels.extend(form.labels.iter().cloned());
        row.member.labels.push(import_label.clone());
    }
    let stripe = state
        .config
        .stripe
        .as_ref()
        .map(|s| StripeClient::new(&s.api_base, s.secret_key.expose()));
    let ops = state.ops();
    let report = members_report::run_parsed(
        &ops,
        Actor::Console,
        parsed,
        stripe.as_ref(),
        ImportMode::Write,
        &mut |_, _| {},
    )
    .await
    .map_err(|e| match e {
        ImportError::Ops(e) => GhostError::from(e),
        refused => GhostError::validation(&refused.to_string()),
    })?;
    let label = state.store.label_by_name(&import_label).await?;
    let invalid: Vec<_> = report
        .errors
        .iter()
        .map(|e| json!({ "error": e }))
        .collect();
    let stats = json!({
        "imported": report.added + report.updated + report.unchanged,
        "invalid": invalid,
    });
    let meta = json!({ "stats": stats, "import_label": label.as_ref().map(shapes::label) });
    Ok((StatusCode::CREATED, Json(json!({ "meta": meta }))).into_response())
}

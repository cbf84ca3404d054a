//! `/admin/audit/`: the audit log, newest first, for administrators.

use super::staff::Staff;
use crate::http::AppError;
use crate::state::AppState;
use axum::extract::State;
use axum::response::Response;
use domain::Action;
use serde_json::{Value, json};
use std::collections::HashMap;

/// Entries per page.
const PAGE: i64 = 100;

/// `GET /admin/audit/`.
pub async fn page(State(state): State<AppState>, staff: Staff) -> Result<Response, AppError> {
    staff.require(Action::Audit, false)?;
    let entries = state.store.audit_entries(PAGE, None).await?;
    let names: HashMap<String, String> = state
        .store
        .staff_users()
        .await?
        .into_iter()
        .map(|u| (u.author.id.clone(), u.author.name))
        .collect();
    let rows: Vec<Value> = entries
        .iter()
        .map(|e| {
            let actor = e.actor_id.as_ref().map_or_else(
                || "Command line".to_owned(),
                |id| {
                    names
                        .get(id)
                        .cloned()
                        .unwrap_or_else(|| "Former staff".to_owned())
                },
            );
            let subject = names
                .get(&e.subject)
                .cloned()
                .unwrap_or_else(|| e.subject.clone());
            json!({
                "at": e.at.format("%Y-%m-%d %H:%M:%S UTC").to_string(),
                "iso": e.at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
                "actor": actor,
                "action": e.action,
                "subject": subject,
                "before": e.before,
                "after": e.after,
            })
        })
        .collect();
    staff.page("audit", "Audit log", json!({"entries": rows}))
}

//! `/admin/members/import/`: members from a CSV in Ghost's layout, for administrators. Uploading
//! a file runs a dry run and shows its report with every row's error; the file waits in the
//! data folder (`imports/`, under a random name) until it is confirmed, which starts the import
//! (one transaction) in the background on this server and sends the browser to its status page:
//! rows done while it runs (refreshed by the reader, or every 2 s when they ask), then the final report. Works without
//! JavaScript.

use super::import_runs::{self, NotStarted, Run};
use super::staff::Staff;
use crate::billing::stripe::StripeClient;
use crate::http::AppError;
use crate::import::members_report::{self, ImportError, Report};
use crate::members::crypto::random_token;
use crate::ops::staff::Actor;
use crate::state::AppState;
use axum::body::Body;
use axum::extract::{DefaultBodyLimit, FromRequest, Multipart, Path, Query, Request, State};
use axum::handler::Handler;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use domain::Action;
use serde::Deserialize;
use serde_json::{Value, json};
use std::path::PathBuf;
use store::ImportMode;
use store::staff::StaffUser;

/// The largest CSV accepted (about 50,000 rows of Ghost's export).
pub const MAX_BYTES: usize = crate::import::members_csv::MAX_BYTES;

/// The import's routes (merged into the newsroom's router).
pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/admin/members/import/",
            get(page).post(upload.layer(DefaultBodyLimit::disable())),
        )
        .route("/admin/members/import/confirm", post(confirm))
        .route("/admin/members/import/{token}/", get(status))
}

/// `GET /admin/members/import/`.
pub async fn page(staff: Staff) -> Result<Response, AppError> {
    staff.require(Action::Members, false)?;
    render(staff, None, None, None)
}

/// `POST /admin/members/import/` (multipart `csrf`, `membersfile`): the dry run.
pub async fn upload(
    State(state): State<AppState>,
    staff: Staff,
    request: Request,
) -> Result<Response, AppError> {
    staff.require(Action::Members, false)?;
    let (csrf, file) = match read_upload(&state, request).await {
        Ok(form) => form,
        Err(message) => return render(staff, None, None, Some(message.as_str())),
    };
    staff.check_csrf(&csrf)?;
    let Some(bytes) = file.filter(|b| !b.is_empty()) else {
        return render(staff, None, None, Some("Choose a CSV file to upload."));
    };
    match run(
        &state,
        &staff.user,
        &bytes,
        ImportMode::DryRun,
        &mut |_, _| {},
    )
    .await?
    {
        Err(message) => render(staff, None, None, Some(message.as_str())),
        Ok(report) => {
            let token = random_token();
            let dir = imports_dir(&state);
            std::fs::create_dir_all(&dir).map_err(AppError::internal)?;
            std::fs::write(dir.join(format!("{token}.csv")), &bytes).map_err(AppError::internal)?;
            let token = (report.added + report.updated > 0).then_some(token);
            render(staff, Some(&report), token.as_deref(), None)
        }
    }
}

#[derive(Deserialize)]
pub struct ConfirmForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    token: String,
}

/// `POST /admin/members/import/confirm`: starts importing the file the dry run checked, in
/// the background, and sends the browser to its status page. Confirming again while it runs,
/// or after it finished, starts nothing.
pub async fn confirm(
    State(state): State<AppState>,
    staff: Staff,
    Form(form): Form<ConfirmForm>,
) -> Result<Response, AppError> {
    staff.require(Action::Members, false)?;
    staff.check_csrf(&form.csrf)?;
    let status_page = format!("/admin/members/import/{}/", form.token);
    let valid = is_token(&form.token);
    if valid
        && matches!(
            import_runs::get(&form.token),
            Some(Run::Running { .. } | Run::Finished(_))
        )
    {
        return Ok(Redirect::to(&status_page).into_response());
    }
    let path = imports_dir(&state).join(format!("{}.csv", form.token));
    let Some(bytes) = valid.then(|| std::fs::read(&path).ok()).flatten() else {
        let gone = "That upload is no longer waiting (it was imported or the server restarted). Upload the file again.";
        return render(staff, None, None, Some(gone));
    };
    match import_runs::start(&form.token) {
        Ok(()) => {}
        Err(NotStarted::Already) => return Ok(Redirect::to(&status_page).into_response()),
        Err(NotStarted::Busy) => {
            let busy = "Too many imports are running on this server. Try again in a few minutes.";
            return render(staff, None, None, Some(busy));
        }
    }
    let token = form.token;
    let user = staff.user.clone();
    tokio::spawn(async move {
        let mut progress = |done, todo| import_runs::progress(&token, done, todo);
        let done = run(&state, &user, &bytes, ImportMode::Write, &mut progress).await;
        let outcome = match done {
            Ok(Ok(report)) => {
                // Imported: the file is not kept. A failed run keeps it, to be confirmed again.
                if let Err(e) = std::fs::remove_file(&path) {
                    tracing::warn!(error = %e, "could not remove an imported members file");
                }
                Ok(report)
            }
            Ok(Err(message)) => Err(message),
            Err(e) => {
                tracing::error!(error = ?e, "member import failed");
                Err("The import stopped because of a server error, and nobody was imported. Confirm again to retry.".to_owned())
            }
        };
        import_runs::finish(&token, outcome);
    });
    Ok(Redirect::to(&status_page).into_response())
}

/// `GET /admin/members/import/{token}/`: the import's progress, then its report.
/// It does not refresh itself unless asked (`?updates=on`, every 2 s): a timed refresh the
/// reader did not choose fails WCAG 2.2.1, and "Check again" does the same at their pace.
pub async fn status(
    staff: Staff,
    Path(token): Path<String>,
    Query(query): Query<StatusQuery>,
) -> Result<Response, AppError> {
    staff.require(Action::Members, false)?;
    let refresh = query.updates.as_deref() == Some("on");
    let run = is_token(&token).then(|| import_runs::get(&token)).flatten();
    let data = match &run {
        None => json!({ "unknown": true }),
        Some(Run::Running { done, todo }) => json!({
            "running": true,
            "refresh": refresh.then_some(2),
            "status_page": format!("/admin/members/import/{token}/"),
            "done": done,
            "todo": todo,
        }),
        Some(Run::Failed(message)) => json!({ "error": message, "token": token }),
        Some(Run::Finished(report)) => json!({
            "report": report,
            "summary": report.summary(),
            "errors_count": report.errors.len(),
        }),
    };
    staff.page("members/import_status", "Member import", data)
}

#[derive(Deserialize)]
pub struct StatusQuery {
    updates: Option<String>,
}

/// Whether `token` can be one of ours (URL-safe base64); anything else names no file.
fn is_token(token: &str) -> bool {
    !token.is_empty()
        && token
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// Runs the import, telling `progress` (rows done, rows to do); `Err(message)` for a file
/// that cannot be imported at all.
async fn run(
    state: &AppState,
    user: &StaffUser,
    bytes: &[u8],
    mode: ImportMode,
    progress: &mut (dyn FnMut(usize, usize) + Send),
) -> Result<Result<Report, String>, AppError> {
    let tiers = state.store.tiers().await?;
    let stripe = state
        .config
        .stripe
        .as_ref()
        .map(|s| StripeClient::new(&s.api_base, s.secret_key.expose()));
    let ops = state.ops();
    let done = members_report::run(
        &ops,
        Actor::Staff(user),
        &tiers,
        bytes,
        stripe.as_ref(),
        mode,
        progress,
    )
    .await;
    match done {
        Ok(report) => Ok(Ok(report)),
        Err(ImportError::File(e)) => Ok(Err(e.to_string())),
        Err(e @ ImportError::Refused(_)) => Ok(Err(e.to_string())),
        Err(ImportError::Ops(e)) if e.is_for_reader() => Ok(Err(e.to_string())),
        Err(ImportError::Ops(e)) => Err(e.into()),
    }
}

fn imports_dir(state: &AppState) -> PathBuf {
    state.config.data_dir.join("imports")
}

/// The form's CSRF token and file, read with the body capped; `Err` is the message to show.
async fn read_upload(
    state: &AppState,
    request: Request,
) -> Result<(String, Option<bytes::Bytes>), String> {
    let too_large = format!("The file is larger than {} MB.", MAX_BYTES / 1024 / 1024);
    let (parts, body) = request.into_parts();
    let body = Body::new(http_body_util::Limited::new(body, MAX_BYTES + 64 * 1024));
    let mut multipart = Multipart::from_request(Request::from_parts(parts, body), state)
        .await
        .map_err(|_| "Send the file with the upload form.".to_owned())?;
    let (mut csrf, mut file) = (String::new(), None);
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => break,
            Err(_) => return Err(too_large),
        };
        match field.name().unwrap_or_default() {
            "csrf" => csrf = field.text().await.map_err(|_| too_large.clone())?,
            "membersfile" => file = Some(field.bytes().await.map_err(|_| too_large.clone())?),
            _ => {}
        }
    }
    Ok((csrf, file))
}

fn render(
    staff: Staff,
    report: Option<&Report>,
    token: Option<&str>,
    error: Option<&str>,
) -> Result<Response, AppError> {
    let data: Value = json!({
        "report": report,
        "summary": report.map(Report::summary),
        "errors_count": report.map(|r| r.errors.len()),
        "token": token,
        "error": error,
        "max_mb": MAX_BYTES / 1024 / 1024,
    });
    staff.page("members/import", "Import members", data)
}

//! `housekeeping.prune`, enqueued by every worker once an hour: deletes what only grows and is
//! no longer needed — expired member sessions, sign-in tokens that expired and that the daily
//! cap per address no longer counts, and jobs that finished more than a week ago.

use super::{JobContext, JobError};
use chrono::Duration;

pub const KIND: &str = "housekeeping.prune";

/// Finished jobs are kept this long (for `masthead jobs list`), then deleted.
pub const KEEP_FINISHED_JOBS: Duration = Duration::days(7);

/// The window the daily cap on sign-in emails per address counts tokens in (`ops::signin`),
/// plus a margin.
const SIGN_IN_CAP_WINDOW: Duration = Duration::hours(25);

pub async fn prune(ctx: JobContext) -> Result<(), JobError> {
    let now = ctx.now();
    let (sessions, tokens) = ctx
        .store
        .prune_sign_ins(now, now - SIGN_IN_CAP_WINDOW)
        .await?;
    let jobs = ctx.store.prune_jobs(now - KEEP_FINISHED_JOBS).await?;
    tracing::info!(sessions, tokens, jobs, "housekeeping pruned expired rows");
    Ok(())
}

//! `masthead worker` (a job worker alone, until SIGINT or SIGTERM) and `masthead jobs list |
//! retry`: the background job queue.

use super::DbArgs;
use crate::config::Config;
use crate::jobs::JobSignal;
use crate::ops::{Ops, jobs};
use crate::state::{open_store, start_worker};
use anyhow::{Context, Result};
use chrono::Utc;
use clap::Subcommand;
use store::{Job, JobStatus};

#[derive(Subcommand, Debug)]
pub enum JobsCommand {
    /// List jobs, newest first: id, kind, status, attempts, progress, worker, last error.
    List {
        #[command(flatten)]
        db: DbArgs,
        /// Only jobs in this status: queued, running, done or failed.
        #[arg(long, value_name = "STATUS", value_parser = parse_status)]
        status: Option<JobStatus>,
        /// At most this many.
        #[arg(long, default_value_t = 50, value_name = "N")]
        limit: u32,
    },
    /// Queue a failed job again, with a fresh set of attempts.
    Retry {
        #[command(flatten)]
        db: DbArgs,
        id: String,
    },
}

fn parse_status(s: &str) -> Result<JobStatus, String> {
    JobStatus::parse(s).ok_or_else(|| "must be queued, running, done or failed".to_owned())
}

/// `masthead worker`: runs the site's jobs on the configured database until SIGINT or SIGTERM,
/// then finishes (or gives back) what is running.
pub async fn worker(db: DbArgs) -> Result<()> {
    let config = Config::resolve(&db.overrides())?;
    let store = open_store(&config).await?;
    #[cfg(unix)]
    let (mut int, mut term) = {
        use tokio::signal::unix::{SignalKind, signal};
        let install = |kind| signal(kind).context("cannot install the shutdown signal handlers");
        (
            install(SignalKind::interrupt())?,
            install(SignalKind::terminate())?,
        )
    };
    let worker = start_worker(&store, &config, JobSignal::default());
    println!(
        "Worker {} is running jobs (press Ctrl+C to stop)",
        worker.id()
    );
    #[cfg(unix)]
    tokio::select! { _ = int.recv() => {}, _ = term.recv() => {} }
    #[cfg(not(unix))]
    let _ = tokio::signal::ctrl_c().await;
    tracing::info!("shutting down");
    worker.stop().await;
    store.close().await;
    Ok(())
}

/// `masthead jobs list | retry`.
pub async fn run(cmd: JobsCommand) -> Result<()> {
    let (JobsCommand::List { db, .. } | JobsCommand::Retry { db, .. }) = &cmd;
    let config = Config::resolve(&db.overrides())?;
    let store = open_store(&config).await?;
    match cmd {
        JobsCommand::List { status, limit, .. } => {
            let jobs = store.jobs(status, limit).await?;
            if jobs.is_empty() {
                println!("No jobs.");
            }
            for job in &jobs {
                println!("{}", line(job));
            }
        }
        JobsCommand::Retry { id, .. } => {
            let ops = Ops::detached(&store, &config.public_url);
            jobs::retry(&ops, &id, Utc::now()).await?;
            println!("Job {id} is queued again.");
        }
    }
    store.close().await;
    Ok(())
}

/// One job as `jobs list` prints it.
fn line(job: &Job) -> String {
    let progress = match job.progress_total {
        Some(total) => format!("{}/{total}", job.progress_done),
        None if job.progress_done > 0 => job.progress_done.to_string(),
        None => "-".to_owned(),
    };
    let mut text = format!(
        "{}  {:<20} {:<8} attempts {}/{}  progress {progress}  run at {}  worker {}",
        job.id,
        job.kind,
        job.status,
        job.attempts,
        job.max_attempts,
        job.run_at.format("%Y-%m-%d %H:%M:%S"),
        job.locked_by.as_deref().unwrap_or("-"),
    );
    if let Some(error) = &job.last_error {
        text.push_str(&format!("  error: {error}"));
    }
    text
}

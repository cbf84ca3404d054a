//! Background jobs: the worker that runs the store's job queue (`store::Job`), the handlers it
//! runs by kind, and the kinds Masthead has. Started by `state::build` in a server (unless the
//! `worker` setting is off) and by `masthead worker` alone.
//!
//! - `worker` — `Worker`: claims due jobs of its kinds under a lease, runs each with a
//!   heartbeat, records the outcome, retries with backoff, stops gracefully.
//! - `registry` — `Registry` (kind → handler), `JobContext` (what a handler gets), `JobError`.
//! - `backoff` — the wait before a failed job's next attempt (a pure function).
//! - `kinds` — the kinds Masthead runs: `registry(config)`, one line per kind.
//! - `housekeeping` — `housekeeping.prune`, enqueued hourly: expired sign-ins, old jobs.
//! - `member_counts` — `analytics.snapshot`, enqueued hourly: today's members by kind.
//! - `probe` — `jobs.probe`, a job that only waits: shows that workers run.
//! - `media_variants` — `media.variants`: an image's responsive variants (`make_variants`).
//! - `resplit` — `posts.resplit`: gated posts split again after "free paragraphs" changed.

pub mod backoff;
pub mod housekeeping;
pub mod kinds;
pub mod media_variants;
pub mod member_counts;
pub mod probe;
pub mod registry;
pub mod resplit;
pub mod worker;

pub use registry::{JobContext, JobError, Registry};
pub use worker::{Worker, WorkerHandle, WorkerSettings};

use std::sync::Arc;
use tokio::sync::Notify;

/// Wakes this process's worker when this process enqueues a job, so it need not wait for its
/// next poll (other processes' jobs are found by polling). Cheap to clone.
#[derive(Clone, Default)]
pub struct JobSignal(Arc<Notify>);

impl JobSignal {
    /// Tells the worker there is work; remembered if it is busy.
    pub fn wake(&self) {
        self.0.notify_one();
    }

    /// Resolves when `wake` is called (at once if it was called since the last time).
    pub async fn woken(&self) {
        self.0.notified().await;
    }
}

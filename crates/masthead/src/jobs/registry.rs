//! What a worker runs: handlers by kind (`Registry`), and what each handler gets (`JobContext`):
//! the store, the job, the time its attempt started, and a progress reporter that also renews
//! the lease.

use chrono::{DateTime, Utc};
use futures_util::future::BoxFuture;
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};
use store::{Job, Lease, Store};

/// Why a handler's attempt failed. Handlers return their own typed errors; the worker records
/// the message with its causes and retries.
pub type JobError = Box<dyn std::error::Error + Send + Sync>;

/// Runs one kind of job. Any `Fn(JobContext) -> impl Future<Output = Result<(), JobError>>`
/// (an `async fn` taking a `JobContext`, or a closure capturing what the kind needs) is one.
pub trait Handler: Send + Sync + 'static {
    fn run(&self, ctx: JobContext) -> BoxFuture<'static, Result<(), JobError>>;
}

impl<F, Fut> Handler for F
where
    F: Fn(JobContext) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<(), JobError>> + Send + 'static,
{
    fn run(&self, ctx: JobContext) -> BoxFuture<'static, Result<(), JobError>> {
        Box::pin(self(ctx))
    }
}

/// The handlers a worker runs, by kind, and the kinds it enqueues itself every hour.
#[derive(Clone, Default)]
pub struct Registry {
    handlers: BTreeMap<&'static str, Arc<dyn Handler>>,
    hourly: Vec<&'static str>,
}

impl Registry {
    /// Runs jobs of `kind` with `handler` (replacing any handler it had).
    pub fn register(mut self, kind: &'static str, handler: impl Handler) -> Registry {
        self.handlers.insert(kind, Arc::new(handler));
        self
    }

    /// Runs `kind` with `handler`, and enqueues one job of it every hour (key `kind:hour`).
    pub fn hourly(mut self, kind: &'static str, handler: impl Handler) -> Registry {
        self.hourly.push(kind);
        self.register(kind, handler)
    }

    /// The kinds this registry runs, in order.
    pub fn kinds(&self) -> Vec<&'static str> {
        self.handlers.keys().copied().collect()
    }

    pub fn hourly_kinds(&self) -> &[&'static str] {
        &self.hourly
    }

    pub(super) fn handler(&self, kind: &str) -> Option<Arc<dyn Handler>> {
        self.handlers.get(kind).cloned()
    }
}

/// What a handler gets for one attempt.
pub struct JobContext {
    pub store: Store,
    /// The job as claimed: its payload, and which attempt this is.
    pub job: Job,
    now: DateTime<Utc>,
    progress: Progress,
}

impl JobContext {
    pub(super) fn new(store: Store, job: Job, now: DateTime<Utc>, progress: Progress) -> Self {
        JobContext {
            store,
            job,
            now,
            progress,
        }
    }

    /// When this attempt started: the time handlers decide by.
    pub fn now(&self) -> DateTime<Utc> {
        self.now
    }

    pub fn payload(&self) -> &serde_json::Value {
        &self.job.payload
    }

    /// Reports `done` of `total` units of work (shown by `masthead jobs list`); the next
    /// heartbeat records it with the lease's renewal.
    pub fn progress(&self, done: u64, total: Option<u64>) {
        self.progress.set(done, total);
    }
}

/// The progress a running job reported, shared with the worker's heartbeat, which records it.
#[derive(Clone)]
pub(super) struct Progress {
    pub lease: Lease,
    state: Arc<Mutex<(u64, Option<u64>)>>,
}

impl Progress {
    pub fn new(lease: Lease) -> Progress {
        Progress {
            lease,
            state: Arc::new(Mutex::new((0, None))),
        }
    }

    fn set(&self, done: u64, total: Option<u64>) {
        if let Ok(mut state) = self.state.lock() {
            *state = (done, total);
        }
    }

    pub fn get(&self) -> (u64, Option<u64>) {
        self.state.lock().map_or((0, None), |state| *state)
    }
}

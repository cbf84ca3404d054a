//! The worker: claims due jobs of the kinds its registry runs, up to its concurrency, under a
//! lease; runs each in its own task with a heartbeat that records progress and renews the
//! lease; completes it, or fails it with a retry after an exponential backoff (a panic or a
//! cancelled task counts as a failure). Woken by `JobSignal` when this process enqueues, it
//! also polls for other processes' jobs. On `stop` it claims nothing more, lets running jobs
//! finish for a grace period, then gives the rest back to the queue unfinished.

use super::backoff::retry_delay;
use super::registry::{Progress, Registry};
use super::{JobContext, JobSignal};
use crate::telemetry::chain;
use chrono::{DateTime, Duration as Span, Timelike, Utc};
use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;
use store::{Job, JobStatus, Lease, NewJob, Store};
use tokio::sync::watch;
use tokio::task::{Id as TaskId, JoinSet};

/// How a worker runs.
#[derive(Clone, Debug)]
pub struct WorkerSettings {
    /// Who claims: unique per worker, shown in `masthead jobs list`.
    pub id: String,
    /// Jobs run at once.
    pub concurrency: usize,
    /// How often the queue is looked at without being woken.
    pub poll: Duration,
    /// How long a claim holds a job between heartbeats; a job whose worker died is claimed
    /// again this long after its last heartbeat.
    pub lease: Duration,
    /// The wait before the second attempt; it doubles with each failure.
    pub retry_base: Duration,
    /// No retry waits longer.
    pub longest_wait: Duration,
    /// How long `stop` lets running jobs finish before giving them back.
    pub grace: Duration,
}

impl WorkerSettings {
    /// The defaults, with a fresh worker id and the given lease.
    pub fn with_lease(lease: Duration) -> WorkerSettings {
        let suffix = uuid::Uuid::now_v7().simple().to_string();
        WorkerSettings {
            id: format!("{}-{}", std::process::id(), &suffix[suffix.len() - 6..]),
            concurrency: 4,
            poll: Duration::from_millis(500),
            lease,
            retry_base: Duration::from_secs(10),
            longest_wait: Duration::from_hours(1),
            grace: Duration::from_secs(10),
        }
    }
}

pub struct Worker {
    store: Store,
    registry: Arc<Registry>,
    signal: JobSignal,
    settings: WorkerSettings,
}

/// A started worker: `stop` ends it gracefully, as does dropping every clone. Cheap to clone.
#[derive(Clone)]
pub struct WorkerHandle {
    id: String,
    stop: Arc<watch::Sender<bool>>,
    stopped: watch::Receiver<bool>,
}

impl WorkerHandle {
    /// The worker's id, as its claims record it.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// Stops claiming, lets running jobs finish within the grace period, gives back the rest,
    /// and resolves once the worker has ended.
    pub async fn stop(&self) {
        self.stop.send_replace(true);
        let mut stopped = self.stopped.clone();
        let _ = stopped.wait_for(|s| *s).await;
    }
}

/// The jobs running now, by task: their leases, to give back on stop.
type Running = HashMap<TaskId, Lease>;

impl Worker {
    pub fn new(
        store: Store,
        registry: Registry,
        signal: JobSignal,
        settings: WorkerSettings,
    ) -> Worker {
        Worker {
            store,
            registry: Arc::new(registry),
            signal,
            settings,
        }
    }

    /// Runs the worker in a task of its own.
    pub fn spawn(self) -> WorkerHandle {
        let (stop, stop_rx) = watch::channel(false);
        let (done, stopped) = watch::channel(false);
        let id = self.settings.id.clone();
        tokio::spawn(async move {
            self.run(stop_rx).await;
            done.send_replace(true);
        });
        WorkerHandle {
            id,
            stop: Arc::new(stop),
            stopped,
        }
    }

    async fn run(self, mut stop: watch::Receiver<bool>) {
        let kinds = self.registry.kinds();
        tracing::info!(worker = %self.settings.id, kinds = ?kinds, concurrency = self.settings.concurrency, "job worker started");
        let mut tasks = JoinSet::new();
        let mut running = Running::new();
        let mut hour_queued = None;
        loop {
            hour_queued = self.enqueue_hourly(hour_queued).await;
            let free = self.settings.concurrency.saturating_sub(tasks.len());
            let claimed = self.claim(&kinds, free).await;
            let busy = claimed.len() == free && free > 0;
            for job in claimed {
                self.start(job, &mut tasks, &mut running);
            }
            if busy {
                // Every slot is taken: wait for one to free up (or a stop).
                tokio::select! {
                    _ = stop.wait_for(|s| *s) => break,
                    Some(done) = tasks.join_next_with_id() => forget(&mut running, done),
                }
                continue;
            }
            tokio::select! {
                _ = stop.wait_for(|s| *s) => break,
                () = self.signal.woken() => {}
                () = tokio::time::sleep(self.settings.poll) => {}
                Some(done) = tasks.join_next_with_id(), if !tasks.is_empty() => forget(&mut running, done),
            }
        }
        self.drain(tasks, running).await;
        tracing::info!(worker = %self.settings.id, "job worker stopped");
    }

    async fn claim(&self, kinds: &[&'static str], free: usize) -> Vec<Job> {
        if free == 0 {
            return Vec::new();
        }
        let now = Utc::now();
        let until = now + span(self.settings.lease);
        let limit = u32::try_from(free).unwrap_or(u32::MAX);
        match self
            .store
            .claim_jobs(&self.settings.id, kinds, limit, now, until)
            .await
        {
            Ok(jobs) => jobs,
            Err(err) => {
                tracing::warn!(worker = %self.settings.id, error = %chain(&err), "the job queue could not be read");
                Vec::new()
            }
        }
    }

    /// Enqueues this hour's job of each hourly kind, once per hour per process (the idempotency
    /// key makes it once per hour across processes). Returns the hour it has done.
    async fn enqueue_hourly(&self, done: Option<DateTime<Utc>>) -> Option<DateTime<Utc>> {
        let now = Utc::now();
        let hour = now
            .with_nanosecond(0)
            .and_then(|t| t.with_second(0))
            .and_then(|t| t.with_minute(0))
            .unwrap_or(now);
        if done == Some(hour) {
            return done;
        }
        for kind in self.registry.hourly_kinds() {
            let key = format!("{kind}:{}", hour.format("%Y-%m-%dT%H"));
            let job = NewJob::new(kind, serde_json::json!({})).key(key);
            if let Err(err) = self.store.enqueue_job(&job, now).await {
                tracing::warn!(kind, error = %chain(&err), "an hourly job could not be queued");
                return done;
            }
        }
        Some(hour)
    }

    fn start(&self, job: Job, tasks: &mut JoinSet<()>, running: &mut Running) {
        let Some(lease) = job.lease() else { return };
        let Some(handler) = self.registry.handler(&job.kind) else {
            return;
        };
        let attempt = Attempt {
            store: self.store.clone(),
            settings: self.settings.clone(),
            progress: Progress::new(lease.clone()),
        };
        let handle = tasks.spawn(attempt.run(job, handler));
        running.insert(handle.id(), lease);
    }

    /// Lets running jobs finish within the grace period, then cancels the rest and gives their
    /// jobs back to the queue (their attempts not counted).
    async fn drain(&self, mut tasks: JoinSet<()>, mut running: Running) {
        let deadline = tokio::time::sleep(self.settings.grace);
        tokio::pin!(deadline);
        while !tasks.is_empty() {
            tokio::select! {
                Some(done) = tasks.join_next_with_id() => forget(&mut running, done),
                () = &mut deadline => break,
            }
        }
        tasks.abort_all();
        while let Some(done) = tasks.join_next_with_id().await {
            if let Ok((id, ())) = done {
                running.remove(&id);
            }
        }
        for lease in running.values() {
            match self.store.release_job(lease, Utc::now()).await {
                Ok(true) => {
                    tracing::info!(job.id = %lease.job_id, "job given back unfinished at shutdown");
                }
                Ok(false) => {}
                Err(err) => {
                    tracing::warn!(job.id = %lease.job_id, error = %chain(&err), "a job could not be given back; it is claimed again after its lease");
                }
            }
        }
    }
}

/// Drops a finished task's lease from the running set.
fn forget(running: &mut Running, done: Result<(TaskId, ()), tokio::task::JoinError>) {
    let id = match done {
        Ok((id, ())) => id,
        Err(err) => err.id(),
    };
    running.remove(&id);
}

fn span(d: Duration) -> Span {
    Span::from_std(d).unwrap_or(Span::MAX)
}

/// Aborts a task when dropped.
struct CancelOnDrop(tokio::task::AbortHandle);

impl Drop for CancelOnDrop {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// One attempt at one job.
struct Attempt {
    store: Store,
    settings: WorkerSettings,
    progress: Progress,
}

impl Attempt {
    async fn run(self, job: Job, handler: Arc<dyn super::registry::Handler>) {
        let started = Utc::now();
        let clock = std::time::Instant::now();
        let (id, kind, attempt, max) = (
            job.id.clone(),
            job.kind.clone(),
            job.attempts,
            job.max_attempts,
        );
        tracing::info!(job.id = %id, job.kind = %kind, attempt, "job started");
        let ctx = JobContext::new(self.store.clone(), job, started, self.progress.clone());
        let mut work = tokio::spawn(handler.run(ctx));
        // Cancelling this attempt (a stop past its grace) cancels the handler too.
        let _cancel = CancelOnDrop(work.abort_handle());
        let outcome = loop {
            tokio::select! {
                joined = &mut work => break joined,
                () = tokio::time::sleep(self.settings.lease / 3) => {
                    if !self.heartbeat().await {
                        work.abort();
                        tracing::warn!(job.id = %id, job.kind = %kind, attempt, "job lost its lease (another worker took it over); this attempt is abandoned");
                        return;
                    }
                }
            }
        };
        let ms = u64::try_from(clock.elapsed().as_millis()).unwrap_or(u64::MAX);
        let error = match outcome {
            Ok(Ok(())) => None,
            Ok(Err(err)) => Some(chain(err.as_ref())),
            Err(joined) if joined.is_panic() => Some("the job's handler panicked".to_owned()),
            Err(_) => Some("the job's handler was cancelled".to_owned()),
        };
        let now = Utc::now();
        let lease = &self.progress.lease;
        let result = match &error {
            None => {
                tracing::info!(job.id = %id, job.kind = %kind, attempt, duration_ms = ms, "job done");
                let (done, total) = self.progress.get();
                self.store
                    .complete_job(lease, done, total, now)
                    .await
                    .map(|_| ())
            }
            Some(error) => {
                let wait = retry_delay(
                    attempt,
                    self.settings.retry_base,
                    self.settings.longest_wait,
                );
                let retry_at = now + span(wait);
                let status = self.store.fail_job(lease, error, Some(retry_at), now).await;
                if let Ok(Some(status)) = &status {
                    if *status == JobStatus::Failed {
                        tracing::warn!(job.id = %id, job.kind = %kind, attempt, max_attempts = max, duration_ms = ms, error, "job failed for the last time");
                    } else {
                        tracing::warn!(job.id = %id, job.kind = %kind, attempt, duration_ms = ms, error, retry_at = %retry_at, "job failed; it will be retried");
                    }
                }
                status.map(|_| ())
            }
        };
        if let Err(err) = result {
            tracing::warn!(job.id = %id, job.kind = %kind, error = %chain(&err), "a job's outcome could not be saved; it is claimed again after its lease");
        }
    }

    /// Records progress and renews the lease; false when the lease was lost.
    async fn heartbeat(&self) -> bool {
        let (done, total) = self.progress.get();
        let now = Utc::now();
        let until = now + span(self.settings.lease);
        match self
            .store
            .record_job_progress(&self.progress.lease, done, total, now, until)
            .await
        {
            Ok(held) => held,
            Err(err) => {
                // A passing database error: keep working; the next heartbeat tries again.
                tracing::warn!(job.id = %self.progress.lease.job_id, error = %chain(&err), "a job's heartbeat could not be saved");
                true
            }
        }
    }
}

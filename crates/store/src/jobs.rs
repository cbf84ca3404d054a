//! The job queue (`jobs`): work that runs in the background, claimed by one worker at a time
//! under a lease. Enqueueing is idempotent by key; a claim counts the attempt; the worker that
//! holds a job's lease — and only it — reports progress (extending the lease), completes it,
//! fails it (to be retried at the time it computed, or for good) or releases it. A lease that
//! runs out (the worker died) makes the job claimable again: the visibility timeout.

use crate::time::{from_micros, to_micros};
use crate::{Db, Store, StoreError, on_pool};
use chrono::{DateTime, Utc};

/// Where a job is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum JobStatus {
    /// Waiting for its `run_at` and a worker.
    Queued,
    /// Leased to a worker (or its lease ran out and it waits to be claimed again).
    Running,
    Done,
    /// Failed for good: its last attempt failed, or it may not be retried.
    Failed,
}

impl JobStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            JobStatus::Queued => "queued",
            JobStatus::Running => "running",
            JobStatus::Done => "done",
            JobStatus::Failed => "failed",
        }
    }

    pub fn parse(s: &str) -> Option<JobStatus> {
        [
            JobStatus::Queued,
            JobStatus::Running,
            JobStatus::Done,
            JobStatus::Failed,
        ]
        .into_iter()
        .find(|status| status.as_str() == s)
    }
}

impl std::fmt::Display for JobStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A job to enqueue: `NewJob::new(kind, payload)`, then optionally a key, a time and a limit.
#[derive(Debug, Clone, PartialEq)]
pub struct NewJob {
    pub kind: String,
    pub payload: serde_json::Value,
    /// Enqueueing a second job with the same key returns the first and adds nothing.
    pub idempotency_key: Option<String>,
    /// Not before this time; `None`: as soon as a worker is free.
    pub run_at: Option<DateTime<Utc>>,
    /// Attempts before it fails for good.
    pub max_attempts: u32,
}

/// Attempts a job gets unless it asks for another number.
pub const DEFAULT_MAX_ATTEMPTS: u32 = 5;

impl NewJob {
    pub fn new(kind: &str, payload: serde_json::Value) -> NewJob {
        NewJob {
            kind: kind.to_owned(),
            payload,
            idempotency_key: None,
            run_at: None,
            max_attempts: DEFAULT_MAX_ATTEMPTS,
        }
    }

    pub fn key(mut self, key: impl Into<String>) -> NewJob {
        self.idempotency_key = Some(key.into());
        self
    }

    pub fn run_at(mut self, at: DateTime<Utc>) -> NewJob {
        self.run_at = Some(at);
        self
    }

    pub fn max_attempts(mut self, n: u32) -> NewJob {
        self.max_attempts = n.max(1);
        self
    }
}

/// A stored job.
#[derive(Debug, Clone, PartialEq)]
pub struct Job {
    pub id: String,
    pub kind: String,
    pub payload: serde_json::Value,
    pub idempotency_key: Option<String>,
    pub status: JobStatus,
    /// Attempts started so far, the running one included.
    pub attempts: u32,
    pub max_attempts: u32,
    pub run_at: DateTime<Utc>,
    pub locked_until: Option<DateTime<Utc>>,
    /// The worker holding the lease, or, once it ended, the worker that last ran it.
    pub locked_by: Option<String>,
    pub last_error: Option<String>,
    pub progress_done: u64,
    pub progress_total: Option<u64>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub finished_at: Option<DateTime<Utc>>,
}

impl Job {
    /// The lease a claimed job is held by; `None` unless it is running.
    pub fn lease(&self) -> Option<Lease> {
        match (self.status, &self.locked_by) {
            (JobStatus::Running, Some(worker)) => Some(Lease {
                job_id: self.id.clone(),
                worker: worker.clone(),
                attempt: self.attempts,
            }),
            _ => None,
        }
    }
}

/// Proof of holding a job: its id, the worker and the attempt it claimed. Writes through a
/// lease change nothing once another claim (after the lease ran out) has taken the job.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lease {
    pub job_id: String,
    pub worker: String,
    pub attempt: u32,
}

/// What enqueueing came to: the job, and whether this call added it (false: the key was taken).
#[derive(Debug, Clone, PartialEq)]
pub struct Enqueued {
    pub job: Job,
    pub created: bool,
}

#[derive(sqlx::FromRow)]
struct JobRow {
    id: String,
    kind: String,
    payload: String,
    idempotency_key: Option<String>,
    status: String,
    attempts: i64,
    max_attempts: i64,
    run_at: i64,
    locked_until: Option<i64>,
    locked_by: Option<String>,
    last_error: Option<String>,
    progress_done: i64,
    progress_total: Option<i64>,
    created_at: i64,
    updated_at: i64,
    finished_at: Option<i64>,
}

const JOB_COLUMNS: &str = "id, kind, payload, idempotency_key, status, attempts, max_attempts, \
     run_at, locked_until, locked_by, last_error, progress_done, progress_total, created_at, \
     updated_at, finished_at";

impl TryFrom<JobRow> for Job {
    type Error = StoreError;
    fn try_from(r: JobRow) -> Result<Job, StoreError> {
        let count = |n: i64| u32::try_from(n).unwrap_or(u32::MAX);
        Ok(Job {
            payload: serde_json::from_str(&r.payload)
                .map_err(|e| StoreError::Corrupt(format!("job {} payload: {e}", r.id)))?,
            status: JobStatus::parse(&r.status)
                .ok_or_else(|| StoreError::Corrupt(format!("job status {:?}", r.status)))?,
            id: r.id,
            kind: r.kind,
            idempotency_key: r.idempotency_key,
            attempts: count(r.attempts),
            max_attempts: count(r.max_attempts),
            run_at: from_micros(r.run_at),
            locked_until: r.locked_until.map(from_micros),
            locked_by: r.locked_by,
            last_error: r.last_error,
            progress_done: r.progress_done.max(0).cast_unsigned(),
            progress_total: r.progress_total.map(|n| n.max(0).cast_unsigned()),
            created_at: from_micros(r.created_at),
            updated_at: from_micros(r.updated_at),
            finished_at: r.finished_at.map(from_micros),
        })
    }
}

/// Queues `$job` (`&NewJob`) inside the open transaction `$tx` of either backend at `$now`
/// (microseconds), unless its idempotency key is taken. Evaluates to the id of the job that
/// holds the key (or the new job's) and whether this added it. A write whose side effect is a
/// job (an upload and its variants) calls this before its commit, so both exist or neither.
macro_rules! queue_job {
    ($tx:expr, $job:expr, $now:expr) => {{
        let job: &$crate::jobs::NewJob = $job;
        let now: i64 = $now;
        let id = uuid::Uuid::now_v7().to_string();
        let added = sqlx::query(
            "INSERT INTO jobs (id, kind, payload, idempotency_key, status, attempts, \
             max_attempts, run_at, progress_done, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, 'queued', 0, $5, $6, 0, $7, $7) \
             ON CONFLICT (idempotency_key) DO NOTHING",
        )
        .bind(&id)
        .bind(&job.kind)
        .bind(job.payload.to_string())
        .bind(&job.idempotency_key)
        .bind(i64::from(job.max_attempts))
        .bind(job.run_at.map_or(now, $crate::time::to_micros))
        .bind(now)
        .execute(&mut *$tx)
        .await?
        .rows_affected()
            == 1;
        if added {
            (id, true)
        } else {
            let (existing,): (String,) =
                sqlx::query_as("SELECT id FROM jobs WHERE idempotency_key = $1")
                    .bind(&job.idempotency_key)
                    .fetch_one(&mut *$tx)
                    .await?;
            (existing, false)
        }
    }};
}
#[allow(
    unused_imports,
    reason = "for the writes whose side effect is a job (media uploads) to queue it in their transaction"
)]
pub(crate) use queue_job;

impl Store {
    /// Adds `job`, due at its `run_at` (else `now`); with an idempotency key already taken,
    /// returns the job holding it and adds nothing.
    pub async fn enqueue_job(
        &self,
        job: &NewJob,
        now: DateTime<Utc>,
    ) -> Result<Enqueued, StoreError> {
        let (id, created) = on_pool!(&self.db, write, |pool| {
            let mut tx = pool.begin().await?;
            let queued = queue_job!(tx, job, to_micros(now));
            tx.commit().await?;
            queued
        });
        let job = self
            .job_written(&id)
            .await?
            .ok_or_else(|| StoreError::Corrupt(format!("job {id} vanished after enqueueing")))?;
        Ok(Enqueued { job, created })
    }

    /// Claims up to `limit` jobs of `kinds` that are due by `now` — queued ones whose `run_at`
    /// has come, and running ones whose lease ran out — for `worker` until `lease_until`,
    /// counting an attempt on each. Each job goes to one claimant however many workers ask at
    /// once: on PostgreSQL the rows are locked with `FOR UPDATE SKIP LOCKED` in the claiming
    /// statement; on SQLite the statement runs under the database's single writer lock. A job
    /// whose lease ran out on its last attempt is failed instead ("lease expired").
    pub async fn claim_jobs(
        &self,
        worker: &str,
        kinds: &[&str],
        limit: u32,
        now: DateTime<Utc>,
        lease_until: DateTime<Utc>,
    ) -> Result<Vec<Job>, StoreError> {
        if kinds.is_empty() || limit == 0 {
            return Ok(Vec::new());
        }
        let now_us = to_micros(now);
        let kind_list = (0..kinds.len())
            .map(|i| format!("${}", i + 5))
            .collect::<Vec<_>>()
            .join(", ");
        let lock = match self.db {
            Db::Postgres(_) => "FOR UPDATE SKIP LOCKED",
            Db::Sqlite { .. } => "",
        };
        let expired = format!(
            "UPDATE jobs SET status = 'failed', locked_until = NULL, \
             last_error = 'the worker stopped answering (lease expired) on the last attempt', \
             finished_at = $1, updated_at = $1 \
             WHERE id IN (SELECT id FROM jobs WHERE status = 'running' AND locked_until <= $1 \
             AND attempts >= max_attempts AND kind IN ({}) {lock})",
            (0..kinds.len())
                .map(|i| format!("${}", i + 2))
                .collect::<Vec<_>>()
                .join(", ")
        );
        let claim = format!(
            "UPDATE jobs SET status = 'running', attempts = attempts + 1, locked_until = $2, \
             locked_by = $3, updated_at = $1 \
             WHERE id IN (SELECT id FROM jobs WHERE kind IN ({kind_list}) \
             AND ((status = 'queued' AND run_at <= $1) \
             OR (status = 'running' AND locked_until <= $1 AND attempts < max_attempts)) \
             ORDER BY run_at, id LIMIT $4 {lock}) \
             RETURNING {JOB_COLUMNS}"
        );
        let rows: Vec<JobRow> = on_pool!(&self.db, write, |p| {
            let mut q = sqlx::query(&expired).bind(now_us);
            for kind in kinds {
                q = q.bind(*kind);
            }
            q.execute(p).await?;
            let mut q = sqlx::query_as(&claim)
                .bind(now_us)
                .bind(to_micros(lease_until))
                .bind(worker)
                .bind(i64::from(limit));
            for kind in kinds {
                q = q.bind(*kind);
            }
            q.fetch_all(p).await?
        });
        let mut jobs = rows
            .into_iter()
            .map(Job::try_from)
            .collect::<Result<Vec<_>, _>>()?;
        jobs.sort_by(|a, b| (a.run_at, &a.id).cmp(&(b.run_at, &b.id)));
        Ok(jobs)
    }

    /// Marks the leased job done with its final progress, `done` of `total` (a job quicker
    /// than a heartbeat has reported none before); `locked_by` keeps naming the worker that ran
    /// it. False when the lease was lost (another worker has it).
    pub async fn complete_job(
        &self,
        lease: &Lease,
        done: u64,
        total: Option<u64>,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let signed = |n: u64| i64::try_from(n).unwrap_or(i64::MAX);
        let n = on_pool!(&self.db, write, |p| sqlx::query(
            "UPDATE jobs SET status = 'done', locked_until = NULL, \
             last_error = NULL, finished_at = $4, updated_at = $4, \
             progress_done = $5, progress_total = $6 \
             WHERE id = $1 AND locked_by = $2 AND attempts = $3 AND status = 'running'"
        )
        .bind(&lease.job_id)
        .bind(&lease.worker)
        .bind(i64::from(lease.attempt))
        .bind(to_micros(now))
        .bind(signed(done))
        .bind(total.map(signed))
        .execute(p)
        .await?
        .rows_affected());
        Ok(n == 1)
    }

    /// Records a failed attempt of the leased job: queued again at `retry_at` while attempts
    /// remain, otherwise (or with `retry_at` None) failed for good. Returns the job's new status,
    /// `None` when the lease was lost.
    pub async fn fail_job(
        &self,
        lease: &Lease,
        error: &str,
        retry_at: Option<DateTime<Utc>>,
        now: DateTime<Utc>,
    ) -> Result<Option<JobStatus>, StoreError> {
        let retry = retry_at.map(to_micros);
        let status: Option<(String,)> = on_pool!(&self.db, write, |p| {
            sqlx::query_as(
            "UPDATE jobs SET \
             status = CASE WHEN $5 >= 0 AND attempts < max_attempts THEN 'queued' ELSE 'failed' END, \
             finished_at = CASE WHEN $5 >= 0 AND attempts < max_attempts THEN NULL ELSE $6 END, \
             run_at = CASE WHEN $5 >= 0 THEN $5 ELSE run_at END, \
             last_error = $4, locked_until = NULL, updated_at = $6 \
             WHERE id = $1 AND locked_by = $2 AND attempts = $3 AND status = 'running' \
             RETURNING status"
        )
        .bind(&lease.job_id)
        .bind(&lease.worker)
        .bind(i64::from(lease.attempt))
        .bind(error)
        .bind(retry.unwrap_or(-1))
        .bind(to_micros(now))
        .fetch_optional(p)
        .await?
        });
        status
            .map(|(s,)| {
                JobStatus::parse(&s).ok_or_else(|| StoreError::Corrupt(format!("job status {s:?}")))
            })
            .transpose()
    }

    /// Gives the leased job back unfinished (a worker stopping): queued again at `now`, the
    /// attempt not counted. False when the lease was lost.
    pub async fn release_job(&self, lease: &Lease, now: DateTime<Utc>) -> Result<bool, StoreError> {
        let n = on_pool!(&self.db, write, |p| sqlx::query(
            "UPDATE jobs SET status = 'queued', attempts = attempts - 1, run_at = $4, \
             locked_until = NULL, locked_by = NULL, updated_at = $4 \
             WHERE id = $1 AND locked_by = $2 AND attempts = $3 AND status = 'running'"
        )
        .bind(&lease.job_id)
        .bind(&lease.worker)
        .bind(i64::from(lease.attempt))
        .bind(to_micros(now))
        .execute(p)
        .await?
        .rows_affected());
        Ok(n == 1)
    }

    /// Records the leased job's progress and extends its lease to `lease_until` (a heartbeat);
    /// false when the lease was lost, and the worker should stop.
    pub async fn record_job_progress(
        &self,
        lease: &Lease,
        done: u64,
        total: Option<u64>,
        now: DateTime<Utc>,
        lease_until: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let signed = |n: u64| i64::try_from(n).unwrap_or(i64::MAX);
        let n = on_pool!(&self.db, write, |p| sqlx::query(
            "UPDATE jobs SET progress_done = $4, progress_total = $5, locked_until = $7, \
             updated_at = $6 \
             WHERE id = $1 AND locked_by = $2 AND attempts = $3 AND status = 'running'"
        )
        .bind(&lease.job_id)
        .bind(&lease.worker)
        .bind(i64::from(lease.attempt))
        .bind(signed(done))
        .bind(total.map(signed))
        .bind(to_micros(now))
        .bind(to_micros(lease_until))
        .execute(p)
        .await?
        .rows_affected());
        Ok(n == 1)
    }

    /// Queues a failed job again at `now` with a fresh set of attempts (an operator's retry);
    /// false when no failed job has that id.
    pub async fn retry_job(&self, id: &str, now: DateTime<Utc>) -> Result<bool, StoreError> {
        let n = on_pool!(&self.db, write, |p| sqlx::query(
            "UPDATE jobs SET status = 'queued', attempts = 0, run_at = $2, finished_at = NULL, \
             updated_at = $2 WHERE id = $1 AND status = 'failed'"
        )
        .bind(id)
        .bind(to_micros(now))
        .execute(p)
        .await?
        .rows_affected());
        Ok(n == 1)
    }

    /// Deletes jobs that finished (done or failed) before `before`; returns how many.
    pub async fn prune_jobs(&self, before: DateTime<Utc>) -> Result<u64, StoreError> {
        Ok(on_pool!(&self.db, write, |p| sqlx::query(
            "DELETE FROM jobs WHERE status IN ('done', 'failed') AND finished_at < $1"
        )
        .bind(to_micros(before))
        .execute(p)
        .await?
        .rows_affected()))
    }

    pub async fn job(&self, id: &str) -> Result<Option<Job>, StoreError> {
        let sql = format!("SELECT {JOB_COLUMNS} FROM jobs WHERE id = $1");
        let row: Option<JobRow> = on_pool!(&self.db, read, |p| sqlx::query_as(&sql)
            .bind(id)
            .fetch_optional(p)
            .await?);
        row.map(Job::try_from).transpose()
    }

    /// A job read through the writer, which sees this process's latest commit at once.
    async fn job_written(&self, id: &str) -> Result<Option<Job>, StoreError> {
        let sql = format!("SELECT {JOB_COLUMNS} FROM jobs WHERE id = $1");
        let row: Option<JobRow> = on_pool!(&self.db, write, |p| sqlx::query_as(&sql)
            .bind(id)
            .fetch_optional(p)
            .await?);
        row.map(Job::try_from).transpose()
    }

    /// Jobs, newest first, at most `limit`; `status` narrows to the jobs in it.
    pub async fn jobs(
        &self,
        status: Option<JobStatus>,
        limit: u32,
    ) -> Result<Vec<Job>, StoreError> {
        let (filter, status) = match status {
            Some(s) => ("WHERE status = $1", s.as_str()),
            None => ("WHERE $1 = $1", ""),
        };
        let sql = format!(
            "SELECT {JOB_COLUMNS} FROM jobs {filter} ORDER BY created_at DESC, id DESC LIMIT $2"
        );
        let rows: Vec<JobRow> = on_pool!(&self.db, read, |p| sqlx::query_as(&sql)
            .bind(status)
            .bind(i64::from(limit))
            .fetch_all(p)
            .await?);
        rows.into_iter().map(Job::try_from).collect()
    }
}

//! Background jobs queued and retried. Queueing wakes this process's worker at once; other
//! processes' workers find the job when they next poll.

use super::{Ops, OpsError};
use chrono::{DateTime, Utc};
use store::{Enqueued, NewJob};

/// Queues `job` (or returns the job already holding its idempotency key) and wakes this
/// process's worker.
pub async fn enqueue(
    ops: &Ops<'_>,
    job: &NewJob,
    now: DateTime<Utc>,
) -> Result<Enqueued, OpsError> {
    let enqueued = ops.store.enqueue_job(job, now).await?;
    if enqueued.created
        && let Some(signal) = ops.jobs
    {
        signal.wake();
    }
    Ok(enqueued)
}

/// Queues a failed job again with a fresh set of attempts.
pub async fn retry(ops: &Ops<'_>, id: &str, now: DateTime<Utc>) -> Result<(), OpsError> {
    if !ops.store.retry_job(id, now).await? {
        return Err(match ops.store.job(id).await? {
            Some(job) => OpsError::Invalid(format!(
                "Job {id} is {}; only failed jobs can be retried.",
                job.status
            )),
            None => OpsError::NotFound("Job"),
        });
    }
    if let Some(signal) = ops.jobs {
        signal.wake();
    }
    Ok(())
}

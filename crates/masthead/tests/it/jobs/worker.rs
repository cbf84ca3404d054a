//! The worker in this process, with handlers registered by the test: failures (errors and
//! panics) are retried after the backoff and fail for good after the last attempt, progress
//! reaches the store with the heartbeat, and a stop past the grace period gives the job back.

use chrono::Utc;
use masthead::jobs::{JobContext, JobError, JobSignal, Registry, Worker, WorkerSettings};
use std::time::{Duration, Instant};
use store::{Job, JobStatus, NewJob, Store};

const KIND: &str = "test.kind";

fn settings() -> WorkerSettings {
    WorkerSettings {
        poll: Duration::from_millis(50),
        retry_base: Duration::from_mins(1),
        grace: Duration::from_millis(200),
        ..WorkerSettings::with_lease(Duration::from_secs(3))
    }
}

async fn until(store: &Store, id: &str, what: impl Fn(&Job) -> bool) -> Job {
    let deadline = Instant::now() + Duration::from_mins(1);
    loop {
        let job = store.job(id).await.unwrap().unwrap();
        if what(&job) {
            return job;
        }
        assert!(Instant::now() < deadline, "{job:#?}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

async fn site() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let store = store::testing::sqlite(dir.path()).await.unwrap();
    (dir, store)
}

async fn fails(_: JobContext) -> Result<(), JobError> {
    Err("the upstream said no".into())
}

async fn panics(ctx: JobContext) -> Result<(), JobError> {
    assert!(ctx.job.attempts > 99, "a bug in the handler");
    Ok(())
}

#[tokio::test]
async fn a_failed_attempt_is_retried_after_the_backoff_with_its_error_recorded() {
    for (handler_fails, expected) in [(true, "the upstream said no"), (false, "panicked")] {
        let (_dir, store) = site().await;
        let registry = if handler_fails {
            Registry::default().register(KIND, fails)
        } else {
            Registry::default().register(KIND, panics)
        };
        let signal = JobSignal::default();
        let worker = Worker::new(store.clone(), registry, signal.clone(), settings()).spawn();
        let before = Utc::now();
        let id = store
            .enqueue_job(&NewJob::new(KIND, serde_json::json!({})), before)
            .await
            .unwrap()
            .job
            .id;
        signal.wake();
        let job = until(&store, &id, |j| {
            j.status == JobStatus::Queued && j.attempts == 1
        })
        .await;
        assert!(
            job.last_error.as_deref().unwrap().contains(expected),
            "{job:?}"
        );
        assert!(
            job.run_at >= before + chrono::Duration::minutes(1),
            "retried after the first wait: {job:?}"
        );
        worker.stop().await;
    }
}

#[tokio::test]
async fn the_last_failed_attempt_fails_the_job_for_good() {
    let (_dir, store) = site().await;
    let settings = WorkerSettings {
        retry_base: Duration::ZERO,
        ..settings()
    };
    let worker = Worker::new(
        store.clone(),
        Registry::default().register(KIND, fails),
        JobSignal::default(),
        settings,
    )
    .spawn();
    let job = NewJob::new(KIND, serde_json::json!({})).max_attempts(3);
    let id = store.enqueue_job(&job, Utc::now()).await.unwrap().job.id;
    let job = until(&store, &id, |j| j.status == JobStatus::Failed).await;
    assert_eq!(job.attempts, 3);
    assert!(job.finished_at.is_some());
    worker.stop().await;
}

#[tokio::test]
async fn progress_reaches_the_store_and_a_stop_past_the_grace_gives_the_job_back() {
    let (_dir, store) = site().await;
    let long = |ctx: JobContext| async move {
        ctx.progress(2, Some(5));
        tokio::time::sleep(Duration::from_mins(10)).await;
        Ok(())
    };
    let worker = Worker::new(
        store.clone(),
        Registry::default().register(KIND, long),
        JobSignal::default(),
        settings(),
    )
    .spawn();
    let id = store
        .enqueue_job(&NewJob::new(KIND, serde_json::json!({})), Utc::now())
        .await
        .unwrap()
        .job
        .id;
    // The heartbeat (every lease / 3, here one second) records the progress.
    let job = until(&store, &id, |j| j.progress_done == 2).await;
    assert_eq!(
        (job.status, job.progress_total),
        (JobStatus::Running, Some(5))
    );
    worker.stop().await;
    let job = store.job(&id).await.unwrap().unwrap();
    assert_eq!(
        (job.status, job.attempts, job.locked_until),
        (JobStatus::Queued, 0, None),
        "given back unfinished, the attempt not counted"
    );
}

//! The job queue: idempotent enqueueing, exclusive claims under concurrency, leases that run
//! out, retries then final failure, progress as a heartbeat, and jobs that outlive the process.

use crate::*;
use std::collections::HashSet;
use store::{JobStatus, NewJob};

const KIND: &str = "test.echo";

/// Runs `check` once per available backend with `n` stores opened separately on one database,
/// as `n` processes would open it.
async fn each_shared_backend<F, Fut>(n: usize, check: F)
where
    F: Fn(Vec<Store>) -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    let dir = tempfile::tempdir().unwrap();
    let first = testing::sqlite(dir.path()).await.unwrap();
    let mut stores = vec![first];
    for _ in 1..n {
        let path = dir.path().join("masthead.db");
        stores.push(Store::open_sqlite(&path).await.unwrap());
    }
    check(stores).await;
    if let Some(admin) = testing::postgres_admin_url() {
        let (first, url) = testing::postgres(&admin).await.unwrap();
        let mut stores = vec![first];
        for _ in 1..n {
            stores.push(Store::connect_postgres(&url).await.unwrap());
        }
        check(stores).await;
    }
}

fn job(n: u32) -> NewJob {
    NewJob::new(KIND, serde_json::json!({ "n": n }))
}

#[tokio::test]
async fn a_second_enqueue_with_the_same_key_returns_the_first_job_and_adds_none() {
    each_backend(|store| async move {
        let first = store
            .enqueue_job(&job(1).key("prune:2026-11-20T12"), now())
            .await
            .unwrap();
        assert!(first.created);
        assert_eq!(
            (first.job.status, first.job.attempts, first.job.run_at),
            (JobStatus::Queued, 0, now())
        );
        assert_eq!(first.job.payload, serde_json::json!({ "n": 1 }));
        let again = store
            .enqueue_job(&job(2).key("prune:2026-11-20T12"), now())
            .await
            .unwrap();
        assert!(!again.created);
        assert_eq!(again.job.id, first.job.id);
        assert_eq!(
            again.job.payload,
            serde_json::json!({ "n": 1 }),
            "the first one stays"
        );
        // Jobs without a key never collide.
        store.enqueue_job(&job(3), now()).await.unwrap();
        store.enqueue_job(&job(3), now()).await.unwrap();
        assert_eq!(store.jobs(None, 100).await.unwrap().len(), 3);
    })
    .await;
}

#[tokio::test]
async fn claims_take_due_jobs_of_the_given_kinds_and_count_the_attempt() {
    each_backend(|store| async move {
        let due = store.enqueue_job(&job(1), now()).await.unwrap().job;
        let later = now() + Duration::minutes(5);
        store
            .enqueue_job(&job(2).run_at(later), now())
            .await
            .unwrap();
        store
            .enqueue_job(&NewJob::new("other.kind", serde_json::json!({})), now())
            .await
            .unwrap();
        let lease = now() + Duration::seconds(30);
        let claimed = store
            .claim_jobs("w1", &[KIND], 10, now(), lease)
            .await
            .unwrap();
        assert_eq!(claimed.len(), 1, "only the due job of this kind");
        let c = &claimed[0];
        assert_eq!(c.id, due.id);
        assert_eq!(
            (c.status, c.attempts, c.locked_by.as_deref(), c.locked_until),
            (JobStatus::Running, 1, Some("w1"), Some(lease))
        );
        assert!(
            store
                .claim_jobs("w2", &[KIND], 10, now(), lease)
                .await
                .unwrap()
                .is_empty(),
            "a leased job is nobody else's"
        );
        let lease_ref = c.lease().unwrap();
        assert!(
            store
                .complete_job(&lease_ref, 3, Some(3), now())
                .await
                .unwrap()
        );
        let done = store.job(&due.id).await.unwrap().unwrap();
        assert_eq!(
            (done.status, done.finished_at, done.locked_by.as_deref()),
            (JobStatus::Done, Some(now()), Some("w1"))
        );
        assert_eq!(
            (done.progress_done, done.progress_total),
            (3, Some(3)),
            "the final progress is kept, even without a heartbeat"
        );
        let at_later = store
            .claim_jobs("w2", &[KIND], 10, later, later + Duration::seconds(30))
            .await
            .unwrap();
        assert_eq!(at_later.len(), 1, "the later job once its time comes");
    })
    .await;
}

#[tokio::test]
async fn concurrent_claimants_on_one_database_each_get_different_jobs() {
    each_shared_backend(4, |stores| async move {
        for n in 0..60 {
            stores[0].enqueue_job(&job(n), now()).await.unwrap();
        }
        let lease = now() + Duration::minutes(1);
        let mut tasks = Vec::new();
        for (i, store) in stores.iter().enumerate() {
            for k in 0..2 {
                let store = store.clone();
                let worker = format!("w{i}.{k}");
                tasks.push(tokio::spawn(async move {
                    let mut mine = Vec::new();
                    loop {
                        let got = store
                            .claim_jobs(&worker, &[KIND], 3, now(), lease)
                            .await
                            .unwrap();
                        if got.is_empty() {
                            return mine;
                        }
                        for j in got {
                            assert!(
                                store
                                    .complete_job(&j.lease().unwrap(), 0, None, now())
                                    .await
                                    .unwrap()
                            );
                            mine.push(j.id);
                        }
                    }
                }));
            }
        }
        let mut seen = HashSet::new();
        let mut total = 0;
        for t in tasks {
            for id in t.await.unwrap() {
                total += 1;
                assert!(seen.insert(id), "a job was claimed twice");
            }
        }
        assert_eq!((total, seen.len()), (60, 60));
        let jobs = stores[0].jobs(None, 100).await.unwrap();
        assert!(
            jobs.iter()
                .all(|j| j.status == JobStatus::Done && j.attempts == 1),
            "every job ran once"
        );
        for s in &stores {
            s.close().await;
        }
    })
    .await;
}

#[tokio::test]
async fn a_running_job_whose_lease_ran_out_is_claimed_again_and_the_old_lease_is_void() {
    each_backend(|store| async move {
        let id = store.enqueue_job(&job(1), now()).await.unwrap().job.id;
        let lease = now() + Duration::seconds(30);
        let first = store
            .claim_jobs("dead", &[KIND], 1, now(), lease)
            .await
            .unwrap();
        let dead = first[0].lease().unwrap();
        assert!(
            store
                .claim_jobs("alive", &[KIND], 1, lease - Duration::seconds(1), lease)
                .await
                .unwrap()
                .is_empty(),
            "not before the lease runs out"
        );
        let later = lease + Duration::seconds(1);
        let again = store
            .claim_jobs("alive", &[KIND], 1, later, later + Duration::seconds(30))
            .await
            .unwrap();
        assert_eq!(again.len(), 1);
        assert_eq!((again[0].id.as_str(), again[0].attempts), (id.as_str(), 2));
        // The worker that was presumed dead comes back: its writes change nothing.
        assert!(!store.complete_job(&dead, 0, None, later).await.unwrap());
        assert!(
            !store
                .record_job_progress(&dead, 1, Some(2), later, later + Duration::seconds(30))
                .await
                .unwrap()
        );
        assert_eq!(
            store.fail_job(&dead, "late", None, later).await.unwrap(),
            None
        );
        assert!(
            store
                .complete_job(&again[0].lease().unwrap(), 0, None, later)
                .await
                .unwrap()
        );
        let done = store.job(&id).await.unwrap().unwrap();
        assert_eq!((done.status, done.attempts), (JobStatus::Done, 2));
    })
    .await;
}

#[tokio::test]
async fn failures_are_retried_at_the_callers_time_then_fail_for_good() {
    each_backend(|store| async move {
        let id = store
            .enqueue_job(&job(1).max_attempts(2), now())
            .await
            .unwrap()
            .job
            .id;
        let lease = now() + Duration::seconds(30);
        let c = store
            .claim_jobs("w", &[KIND], 1, now(), lease)
            .await
            .unwrap();
        let retry = now() + Duration::seconds(10);
        let status = store
            .fail_job(&c[0].lease().unwrap(), "boom 1", Some(retry), now())
            .await
            .unwrap();
        assert_eq!(status, Some(JobStatus::Queued));
        let j = store.job(&id).await.unwrap().unwrap();
        assert_eq!(
            (j.status, j.run_at, j.last_error.as_deref(), j.finished_at),
            (JobStatus::Queued, retry, Some("boom 1"), None)
        );
        assert!(
            store
                .claim_jobs("w", &[KIND], 1, retry - Duration::seconds(1), lease)
                .await
                .unwrap()
                .is_empty(),
            "not before its retry time"
        );
        let c = store
            .claim_jobs("w", &[KIND], 1, retry, retry + Duration::seconds(30))
            .await
            .unwrap();
        assert_eq!(c[0].attempts, 2);
        let status = store
            .fail_job(
                &c[0].lease().unwrap(),
                "boom 2",
                Some(retry + Duration::seconds(20)),
                retry,
            )
            .await
            .unwrap();
        assert_eq!(status, Some(JobStatus::Failed), "the last attempt failed");
        let j = store.job(&id).await.unwrap().unwrap();
        assert_eq!(
            (j.status, j.last_error.as_deref(), j.finished_at),
            (JobStatus::Failed, Some("boom 2"), Some(retry))
        );
        let failed = store.jobs(Some(JobStatus::Failed), 10).await.unwrap();
        assert_eq!(failed.len(), 1);
        assert!(
            store
                .jobs(Some(JobStatus::Queued), 10)
                .await
                .unwrap()
                .is_empty()
        );
        // An operator's retry starts it over.
        assert!(store.retry_job(&id, retry).await.unwrap());
        assert!(
            !store.retry_job(&id, retry).await.unwrap(),
            "only failed jobs"
        );
        let j = store.job(&id).await.unwrap().unwrap();
        assert_eq!((j.status, j.attempts), (JobStatus::Queued, 0));
    })
    .await;
}

#[tokio::test]
async fn a_lease_running_out_on_the_last_attempt_fails_the_job() {
    each_backend(|store| async move {
        let id = store
            .enqueue_job(&job(1).max_attempts(1), now())
            .await
            .unwrap()
            .job
            .id;
        let lease = now() + Duration::seconds(30);
        store
            .claim_jobs("dead", &[KIND], 1, now(), lease)
            .await
            .unwrap();
        let later = lease + Duration::seconds(1);
        assert!(
            store
                .claim_jobs("alive", &[KIND], 1, later, later)
                .await
                .unwrap()
                .is_empty()
        );
        let j = store.job(&id).await.unwrap().unwrap();
        assert_eq!((j.status, j.attempts), (JobStatus::Failed, 1));
        assert!(j.last_error.unwrap().contains("lease expired"));
    })
    .await;
}

#[tokio::test]
async fn progress_is_recorded_and_extends_the_lease_and_release_gives_the_attempt_back() {
    each_backend(|store| async move {
        let id = store.enqueue_job(&job(1), now()).await.unwrap().job.id;
        let lease = now() + Duration::seconds(30);
        let c = store
            .claim_jobs("w", &[KIND], 1, now(), lease)
            .await
            .unwrap();
        let held = c[0].lease().unwrap();
        let extended = now() + Duration::seconds(90);
        assert!(
            store
                .record_job_progress(&held, 3, Some(10), now(), extended)
                .await
                .unwrap()
        );
        let j = store.job(&id).await.unwrap().unwrap();
        assert_eq!(
            (j.progress_done, j.progress_total, j.locked_until),
            (3, Some(10), Some(extended))
        );
        assert!(
            store
                .claim_jobs("other", &[KIND], 1, lease + Duration::seconds(1), extended)
                .await
                .unwrap()
                .is_empty(),
            "the heartbeat kept the job"
        );
        assert!(store.release_job(&held, now()).await.unwrap());
        let j = store.job(&id).await.unwrap().unwrap();
        assert_eq!(
            (j.status, j.attempts, j.locked_by),
            (JobStatus::Queued, 0, None)
        );
    })
    .await;
}

#[tokio::test]
async fn finished_jobs_are_pruned_after_the_cutoff_and_others_kept() {
    each_backend(|store| async move {
        for n in 0..3 {
            store.enqueue_job(&job(n), now()).await.unwrap();
        }
        let lease = now() + Duration::seconds(30);
        let c = store
            .claim_jobs("w", &[KIND], 2, now(), lease)
            .await
            .unwrap();
        store
            .complete_job(&c[0].lease().unwrap(), 0, None, now())
            .await
            .unwrap();
        store
            .fail_job(&c[1].lease().unwrap(), "no", None, now())
            .await
            .unwrap();
        assert_eq!(
            store.prune_jobs(now()).await.unwrap(),
            0,
            "not older than the cutoff"
        );
        assert_eq!(
            store
                .prune_jobs(now() + Duration::seconds(1))
                .await
                .unwrap(),
            2
        );
        let left = store.jobs(None, 10).await.unwrap();
        assert_eq!(left.len(), 1);
        assert_eq!(left[0].status, JobStatus::Queued);
    })
    .await;
}

#[tokio::test]
async fn a_queued_job_survives_closing_and_reopening_the_database() {
    let dir = tempfile::tempdir().unwrap();
    let store = testing::sqlite(dir.path()).await.unwrap();
    let id = store.enqueue_job(&job(7), now()).await.unwrap().job.id;
    store.close().await;
    let reopened = testing::sqlite(dir.path()).await.unwrap();
    let c = reopened
        .claim_jobs("w", &[KIND], 1, now(), now() + Duration::seconds(30))
        .await
        .unwrap();
    assert_eq!(c.len(), 1);
    assert_eq!(
        (c[0].id.as_str(), &c[0].payload),
        (id.as_str(), &serde_json::json!({ "n": 7 }))
    );
    if let Some(admin) = testing::postgres_admin_url() {
        let (store, url) = testing::postgres(&admin).await.unwrap();
        let id = store.enqueue_job(&job(7), now()).await.unwrap().job.id;
        store.close().await;
        let reopened = Store::connect_postgres(&url).await.unwrap();
        assert_eq!(
            reopened.job(&id).await.unwrap().unwrap().status,
            JobStatus::Queued
        );
    }
}

#[tokio::test]
async fn housekeeping_deletes_expired_sessions_and_old_expired_tokens_only() {
    each_backend(|store| async move {
        let email = domain::Email::parse("reader@example.com").unwrap();
        let member = store
            .create_member("m1", &email, "Reader", now())
            .await
            .unwrap();
        store
            .create_session("old", &member.id, now(), now() - Duration::minutes(1))
            .await
            .unwrap();
        store
            .create_session("live", &member.id, now(), now() + Duration::days(1))
            .await
            .unwrap();
        let token =
            |hash: &str, created: DateTime<Utc>, expires: DateTime<Utc>| store::LoginToken {
                token_hash: hash.into(),
                code_hash: format!("code-{hash}"),
                email: "reader@example.com".into(),
                purpose: "signin".into(),
                member_id: None,
                name: String::new(),
                tier: String::new(),
                redirect: "/".into(),
                attempts: 0,
                created_at: created.timestamp_micros(),
                expires_at: expires.timestamp_micros(),
                used_at: None,
            };
        let two_days_ago = now() - Duration::days(2);
        let hour_ago = now() - Duration::hours(1);
        for t in [
            token("stale", two_days_ago, two_days_ago + Duration::minutes(15)),
            // Expired, but still counted by the daily cap per address.
            token("counted", hour_ago, hour_ago + Duration::minutes(15)),
            token("live", now(), now() + Duration::minutes(15)),
        ] {
            store.create_login_token(&t).await.unwrap();
        }
        let (sessions, tokens) = store
            .prune_sign_ins(now(), now() - Duration::days(1))
            .await
            .unwrap();
        assert_eq!((sessions, tokens), (1, 1));
        assert_eq!(
            store.login_token_attempts("counted").await.unwrap(),
            Some(0),
            "a token the cap still counts stays"
        );
        assert_eq!(store.login_token_attempts("stale").await.unwrap(), None);
        assert!(
            store
                .session_member("live", now(), now() - Duration::days(30))
                .await
                .unwrap()
                .is_some()
        );
    })
    .await;
}

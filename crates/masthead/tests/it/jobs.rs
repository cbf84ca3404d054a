//! The job queue end to end: real `masthead worker` and `masthead serve` processes sharing one
//! database (a SQLite file, and PostgreSQL when `MASTHEAD_TEST_POSTGRES` is set) run each job
//! once, pick up jobs queued while none ran, and take over a killed worker's job after its
//! lease. Waits poll the database with a generous deadline; nothing asserts how long work took.

use crate::helpers::TestApp;
use crate::helpers::external::{Server, free_port, healthy, server_log};
use chrono::Utc;
use masthead::jobs::probe;
use std::collections::HashSet;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};
use store::{Job, JobStatus, NewJob, Store};

/// One database the processes share: a data directory, and a PostgreSQL URL or none (SQLite).
struct Site {
    dir: tempfile::TempDir,
    postgres: Option<String>,
}

impl Site {
    async fn sqlite() -> (Site, Store) {
        let dir = tempfile::tempdir().unwrap();
        let store = store::testing::sqlite(dir.path()).await.unwrap();
        (
            Site {
                dir,
                postgres: None,
            },
            store,
        )
    }

    /// Every database available: SQLite always, PostgreSQL when configured.
    async fn each() -> Vec<(Site, Store)> {
        let mut sites = vec![Site::sqlite().await];
        if let Some(admin) = store::testing::postgres_admin_url() {
            let (store, url) = store::testing::postgres(&admin).await.unwrap();
            let dir = tempfile::tempdir().unwrap();
            sites.push((
                Site {
                    dir,
                    postgres: Some(url),
                },
                store,
            ));
        }
        sites
    }

    fn log(&self, name: &str) -> PathBuf {
        self.dir.path().join(format!("{name}.log"))
    }

    /// Starts `masthead ARGS` on this site with `envs`, its output in `NAME.log`.
    fn start(&self, name: &str, args: &[&str], envs: &[(&str, &str)]) -> Server {
        let log = std::fs::File::create(self.log(name)).unwrap();
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_masthead"));
        cmd.args(args)
            .arg("--data")
            .arg(self.dir.path())
            .envs(envs.iter().copied())
            .env("RUST_LOG", "info,sqlx=warn")
            .env_remove("MASTHEAD_DATABASE_URL")
            .env_remove("MASTHEAD_WORKER")
            .stdin(Stdio::null())
            .stdout(log.try_clone().unwrap())
            .stderr(log);
        if let Some(url) = &self.postgres {
            cmd.arg("--database-url").arg(url);
        }
        Server(cmd.spawn().unwrap())
    }

    /// Starts `masthead worker` and waits until it says it runs jobs.
    fn worker(&self, name: &str, envs: &[(&str, &str)]) -> Server {
        let server = self.start(name, &["worker"], envs);
        self.wait_for_log(name, "job worker started");
        server
    }

    fn wait_for_log(&self, name: &str, text: &str) {
        let deadline = Instant::now() + Duration::from_mins(1);
        while !server_log(&self.log(name)).contains(text) {
            assert!(
                Instant::now() < deadline,
                "{name} never logged {text:?}:\n{}",
                server_log(&self.log(name))
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

fn probe_job(sleep_ms: u64) -> NewJob {
    NewJob::new(probe::KIND, serde_json::json!({ "sleep_ms": sleep_ms }))
}

/// Polls `store` until `done` holds for the jobs `ids`, failing with the logs of `site` after a
/// minute (a deadline against hanging, not a measurement).
async fn wait_for(
    store: &Store,
    site: &Site,
    ids: &[String],
    done: impl Fn(&[Job]) -> bool,
) -> Vec<Job> {
    let deadline = Instant::now() + Duration::from_mins(2);
    loop {
        let mut jobs = Vec::new();
        for id in ids {
            jobs.push(store.job(id).await.unwrap().unwrap());
        }
        if done(&jobs) {
            return jobs;
        }
        assert!(
            Instant::now() < deadline,
            "jobs did not get there: {jobs:#?}\nlogs:\n{}",
            logs(site)
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

fn logs(site: &Site) -> String {
    let mut text = String::new();
    for entry in std::fs::read_dir(site.dir.path()).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "log") {
            text.push_str(&format!("== {}\n{}\n", path.display(), server_log(&path)));
        }
    }
    text
}

fn all_done(jobs: &[Job]) -> bool {
    jobs.iter().all(|j| j.status == JobStatus::Done)
}

async fn enqueue(store: &Store, jobs: impl IntoIterator<Item = NewJob>) -> Vec<String> {
    let mut ids = Vec::new();
    for job in jobs {
        ids.push(store.enqueue_job(&job, Utc::now()).await.unwrap().job.id);
    }
    ids
}

#[tokio::test]
async fn two_worker_processes_run_each_of_forty_jobs_exactly_once() {
    for (site, store) in Site::each().await {
        let one = site.worker("one", &[]);
        let two = site.worker("two", &[]);
        // 40 × 200 ms over 4 slots is two seconds of work for one worker: the other, polling
        // every half second, finds some of it.
        let ids = enqueue(&store, (0..40).map(|_| probe_job(200))).await;
        let jobs = wait_for(&store, &site, &ids, all_done).await;
        assert!(
            jobs.iter().all(|j| j.attempts == 1),
            "each ran once: {jobs:#?}"
        );
        let workers: HashSet<_> = jobs.iter().filter_map(|j| j.locked_by.clone()).collect();
        assert_eq!(workers.len(), 2, "both workers ran jobs: {workers:?}");
        let hourly = store.jobs(None, 100).await.unwrap();
        let prunes: Vec<_> = hourly
            .iter()
            .filter(|j| j.kind == "housekeeping.prune")
            .collect();
        assert_eq!(
            prunes.len(),
            1,
            "one housekeeping job this hour, though two workers run"
        );
        drop((one, two));
        store.close().await;
    }
}

#[tokio::test]
async fn a_job_queued_while_no_worker_runs_is_done_once_one_starts() {
    for (site, store) in Site::each().await {
        let ids = enqueue(&store, [probe_job(0)]).await;
        let worker = site.worker("late", &[]);
        let jobs = wait_for(&store, &site, &ids, all_done).await;
        assert_eq!(jobs[0].attempts, 1);
        drop(worker);
        store.close().await;
    }
}

#[tokio::test]
async fn a_killed_workers_job_is_taken_over_after_its_lease_by_another() {
    for (site, store) in Site::each().await {
        let lease = [("MASTHEAD_JOB_LEASE_MS", "1500")];
        let mut doomed = site.worker("doomed", &lease);
        let ids = enqueue(&store, [probe_job(2_000)]).await;
        let running = wait_for(&store, &site, &ids, |j| j[0].status == JobStatus::Running).await;
        let dead_id = running[0].locked_by.clone().unwrap();
        doomed.0.kill().unwrap(); // SIGKILL: no chance to give the job back
        doomed.0.wait().unwrap();
        let _heir = site.worker("heir", &lease);
        let jobs = wait_for(&store, &site, &ids, all_done).await;
        assert_eq!(jobs[0].attempts, 2, "the killed attempt counts");
        assert_ne!(jobs[0].locked_by.as_deref(), Some(dead_id.as_str()));
        store.close().await;
    }
}

#[tokio::test]
async fn a_stopped_worker_finishes_its_running_job() {
    let (site, store) = Site::sqlite().await;
    let worker = site.worker("stopping", &[]);
    let ids = enqueue(&store, [probe_job(1_000)]).await;
    wait_for(&store, &site, &ids, |j| j[0].status == JobStatus::Running).await;
    let status = Command::new("kill")
        .args(["-TERM", &worker.0.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    site.wait_for_log("stopping", "job worker stopped");
    let job = store.job(&ids[0]).await.unwrap().unwrap();
    assert_eq!(
        (job.status, job.attempts),
        (JobStatus::Done, 1),
        "finished within the grace period"
    );
}

#[tokio::test]
async fn serve_runs_jobs_in_process_and_no_worker_turns_it_off() {
    let (site, store) = Site::sqlite().await;
    let ids = enqueue(&store, [probe_job(0)]).await;
    let port = free_port().to_string();
    let addr = format!("127.0.0.1:{port}");
    let serve = site.start("serve", &["serve", "--addr", &addr], &[]);
    let jobs = wait_for(&store, &site, &ids, all_done).await;
    assert_eq!(jobs[0].attempts, 1);
    drop(serve);

    let (site, store) = Site::sqlite().await;
    let ids = enqueue(&store, [probe_job(0)]).await;
    let port = free_port();
    let addr = format!("127.0.0.1:{port}");
    let _quiet = site.start("quiet", &["serve", "--no-worker", "--addr", &addr], &[]);
    let deadline = Instant::now() + Duration::from_mins(1);
    while !healthy(port) {
        assert!(Instant::now() < deadline, "{}", logs(&site));
        std::thread::sleep(Duration::from_millis(50));
    }
    // The worker would have started before the port opened.
    assert!(!server_log(&site.log("quiet")).contains("job worker started"));
    let job = store.job(&ids[0]).await.unwrap().unwrap();
    assert_eq!(job.status, JobStatus::Queued);
}

#[tokio::test]
async fn a_job_queued_through_ops_wakes_the_servers_worker() {
    let app = TestApp::empty().await;
    let ops = app.state.ops();
    let queued = masthead::ops::jobs::enqueue(&ops, &probe_job(0), Utc::now())
        .await
        .unwrap();
    assert!(queued.created);
    let deadline = Instant::now() + Duration::from_mins(1);
    loop {
        let job = app.state.store.job(&queued.job.id).await.unwrap().unwrap();
        if job.status == JobStatus::Done {
            break;
        }
        assert!(Instant::now() < deadline, "{job:?}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

#[tokio::test]
async fn jobs_list_shows_the_queue_and_retry_queues_a_failed_job_again() {
    let (site, store) = Site::sqlite().await;
    let id = enqueue(&store, [NewJob::new("nobody.runs", serde_json::json!({}))]).await;
    let now = Utc::now();
    let claimed = store
        .claim_jobs(
            "w",
            &["nobody.runs"],
            1,
            now,
            now + chrono::Duration::seconds(30),
        )
        .await
        .unwrap();
    store
        .fail_job(&claimed[0].lease().unwrap(), "it broke", None, now)
        .await
        .unwrap();
    let run = |args: &[&str]| {
        let out = Command::new(env!("CARGO_BIN_EXE_masthead"))
            .args(args)
            .arg("--data")
            .arg(site.dir.path())
            .env_remove("MASTHEAD_DATABASE_URL")
            .output()
            .unwrap();
        let text = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
        (out.status.success(), text(&out.stdout), text(&out.stderr))
    };
    let (ok, listed, _) = run(&["jobs", "list", "--status", "failed"]);
    assert!(ok);
    assert!(
        listed.contains(&id[0]) && listed.contains("it broke") && listed.contains("nobody.runs"),
        "{listed}"
    );
    let (ok, said, _) = run(&["jobs", "retry", &id[0]]);
    assert!(ok && said.contains("queued again"), "{said}");
    let (ok, _, err) = run(&["jobs", "retry", &id[0]]);
    assert!(!ok && err.contains("only failed jobs"), "{err}");
    let (_, queued, _) = run(&["jobs", "list", "--status", "queued"]);
    assert!(queued.contains(&id[0]), "{queued}");
    let (ok, _, err) = run(&["jobs", "list", "--status", "lost"]);
    assert!(
        !ok && err.contains("queued, running, done or failed"),
        "{err}"
    );
}

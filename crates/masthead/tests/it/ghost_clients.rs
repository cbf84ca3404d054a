//! Ghost's own JavaScript clients against a real `masthead demo`: `tests/ghost-clients/
//! content.mjs` drives `@tryghost/content-api` (browse with filters, includes, fields and
//! pagination; reads by id and slug; a paid post cut at its paywall marker), and `admin.mjs`
//! drives `@tryghost/admin-api` (tags, a draft from HTML, edits and the 409, publish, schedule,
//! unpublish, an image upload, a paid post, deletes).

use crate::browser::{Server, free_port, healthy, server_log, workspace};
use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const FREE_TEXT: &str = "The opening of this paid analysis is free to read.";
const GATED_TEXT: &str = "GHOSTCLIENTCANARY sits behind the marker.";

/// What the clients need and do not find, each with how `.ci/run` provides it.
fn missing() -> Vec<String> {
    let mut missing = Vec::new();
    if Command::new("node")
        .arg("--version")
        .output()
        .map_or(true, |o| !o.status.success())
    {
        missing.push("`node` on PATH (.ci/run installs Debian's nodejs and npm)".into());
    }
    if !workspace()
        .join("tests/ghost-clients/node_modules/@tryghost/content-api")
        .is_dir()
        || !workspace()
            .join("tests/ghost-clients/node_modules/@tryghost/admin-api")
            .is_dir()
    {
        missing.push(
            "tests/ghost-clients/node_modules/@tryghost/{content-api,admin-api} (.ci/run runs `npm ci` in tests/ghost-clients)"
                .into(),
        );
    }
    missing
}

/// Runs the `masthead` binary on the data directory and returns its standard output.
fn masthead(data: &Path, args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_masthead"))
        .args(args)
        .arg("--data")
        .arg(data)
        .env("RUST_LOG", "warn")
        .env_remove("MASTHEAD_DATABASE_URL")
        .output()
        .expect("run masthead");
    assert!(
        out.status.success(),
        "masthead {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).trim().to_owned()
}

fn start_demo(data: &Path, log: &Path, port: u16) -> Server {
    let log_file = std::fs::File::create(log).expect("server log");
    let server = Server(
        Command::new(env!("CARGO_BIN_EXE_masthead"))
            .arg("demo")
            .arg("--data")
            .arg(data)
            .arg("--addr")
            .arg(format!("127.0.0.1:{port}"))
            .env("MASTHEAD_URL", format!("http://127.0.0.1:{port}"))
            .env("RUST_LOG", "warn")
            .env_remove("MASTHEAD_DATABASE_URL")
            .env_remove("MASTHEAD_SMTP_URL")
            .stdin(Stdio::null())
            .stdout(log_file.try_clone().expect("server log"))
            .stderr(log_file)
            .spawn()
            .expect("start `masthead demo`"),
    );
    let started = Instant::now();
    while !healthy(port) {
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "`masthead demo` did not answer within 60 s:\n{}",
            server_log(log)
        );
        std::thread::sleep(Duration::from_millis(250));
    }
    server
}

/// Whether the clients can run; skips (or, in CI, fails) with the reason when not.
fn available() -> bool {
    let missing = missing();
    if missing.is_empty() {
        return true;
    }
    let what = missing.join("; ");
    if std::env::var("CI").as_deref() == Ok("true") {
        panic!("the Ghost client test cannot run in CI: missing {what}");
    }
    let _ = writeln!(
        std::io::stderr(),
        "skipped: Node/@tryghost clients not available ({what})"
    );
    false
}

/// Runs a client script; on failure, panics with its output and the server's log.
fn node(script: &str, env: &[(&str, &str)], server: Server, log: &Path) {
    let out = Command::new("node")
        .arg(script)
        .current_dir(workspace())
        .envs(env.iter().copied())
        .stdin(Stdio::null())
        .output()
        .unwrap_or_else(|e| panic!("run node {script}: {e}"));
    let stdout = String::from_utf8_lossy(&out.stdout);
    println!("{stdout}");
    if !out.status.success() {
        drop(server);
        panic!(
            "{script} failed ({})\n--- stdout ---\n{stdout}\n--- stderr ---\n{}\n--- server log ---\n{}",
            out.status,
            String::from_utf8_lossy(&out.stderr),
            server_log(log)
        );
    }
}

#[test]
fn ghost_admin_api_client_writes_publishes_and_deletes() {
    if !available() {
        return;
    }
    let dir = tempfile::tempdir().expect("temp data dir");
    let data = dir.path().join("site");
    let log = dir.path().join("server.log");
    let port = free_port();
    let base = format!("http://127.0.0.1:{port}");
    let server = start_demo(&data, &log, port);
    let admin_key = masthead(&data, &["key", "create", "--admin", "ghost-clients"]);
    let content_key = masthead(&data, &["key", "create", "--content", "ghost-clients"]);
    let image = dir.path().join("upload.png");
    std::fs::write(&image, masthead::logo::png()).expect("write the image");
    let image = image.to_str().expect("utf-8 path").to_owned();
    node(
        "tests/ghost-clients/admin.mjs",
        &[
            ("BASE_URL", &base),
            ("ADMIN_KEY", &admin_key),
            ("CONTENT_KEY", &content_key),
            ("IMAGE", &image),
        ],
        server,
        &log,
    );
}

#[test]
fn ghost_content_api_client_browses_and_reads() {
    if !available() {
        return;
    }
    let dir = tempfile::tempdir().expect("temp data dir");
    let data = dir.path().join("site");
    let log = dir.path().join("server.log");
    let port = free_port();
    let base = format!("http://127.0.0.1:{port}");
    let server = start_demo(&data, &log, port);

    let key = masthead(&data, &["key", "create", "--content", "ghost-clients"]);
    let post = dir.path().join("paid.md");
    std::fs::write(
        &post,
        format!(
            "---\ntitle: A paid analysis for Ghost clients\nvisibility: paid\nsection: deep-dive\nauthors: [Ghost Client Tester]\n\
             status: published\n---\n{FREE_TEXT}\n\n<!--members-only-->\n\n{GATED_TEXT}\n"
        ),
    )
    .expect("write the paid post");
    masthead(&data, &["post", "add", post.to_str().expect("utf-8 path")]);

    let gated = GATED_TEXT.split(' ').next().unwrap_or(GATED_TEXT);
    node(
        "tests/ghost-clients/content.mjs",
        &[
            ("BASE_URL", &base),
            ("CONTENT_KEY", &key),
            ("PAID_SLUG", "a-paid-analysis-for-ghost-clients"),
            ("FREE_TEXT", FREE_TEXT),
            ("GATED_TEXT", gated),
        ],
        server,
        &log,
    );
}

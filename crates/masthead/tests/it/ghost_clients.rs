//! Ghost's own JavaScript clients against a real `masthead demo`: `tests/ghost-clients/
//! content.mjs` drives `@tryghost/content-api` (browse with filters, includes, fields and
//! pagination; reads by id and slug; a paid post cut at its paywall marker).

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
    {
        missing.push(
            "tests/ghost-clients/node_modules/@tryghost/content-api (.ci/run runs `npm ci` in tests/ghost-clients)"
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

#[test]
fn ghost_content_api_client_browses_and_reads() {
    let missing = missing();
    if !missing.is_empty() {
        let what = missing.join("; ");
        if std::env::var("CI").as_deref() == Ok("true") {
            panic!("the Ghost client test cannot run in CI: missing {what}");
        }
        let _ = writeln!(
            std::io::stderr(),
            "skipped: Node/@tryghost clients not available ({what})"
        );
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

    let out = Command::new("node")
        .arg("tests/ghost-clients/content.mjs")
        .current_dir(workspace())
        .env("BASE_URL", &base)
        .env("CONTENT_KEY", &key)
        .env("PAID_SLUG", "a-paid-analysis-for-ghost-clients")
        .env("FREE_TEXT", FREE_TEXT)
        .env(
            "GATED_TEXT",
            GATED_TEXT.split(' ').next().unwrap_or(GATED_TEXT),
        )
        .stdin(Stdio::null())
        .output()
        .expect("run node tests/ghost-clients/content.mjs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    println!("{stdout}");
    if !out.status.success() {
        drop(server);
        panic!(
            "the Content API client script failed ({})\n--- stdout ---\n{stdout}\n--- stderr ---\n{}\n--- server log ---\n{}",
            out.status,
            String::from_utf8_lossy(&out.stderr),
            server_log(&log)
        );
    }
}

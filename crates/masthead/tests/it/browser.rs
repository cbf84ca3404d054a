//! The reader's journey in a real browser: `tests/browser/journey.mjs` drives Debian's headless
//! Chromium through playwright-core against a running `masthead demo` — paywall, sign-up, the
//! emailed link, a comp through the CLI, the whole article, sign-out and the paywall again.

use crate::helpers::external::{
    available, free_port, node_missing, server_log, start_demo, workspace,
};
use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Instant;

const CHROMIUM: &str = "/usr/bin/chromium";

/// What the journey needs and does not find, each with how `.ci/run` provides it.
fn missing() -> Vec<String> {
    let mut missing = node_missing("browser", &["playwright-core"]);
    if !Path::new(CHROMIUM).exists() {
        missing.push(format!(
            "{CHROMIUM} (.ci/run installs Debian's chromium package)"
        ));
    }
    missing
}

#[test]
fn browser_journey_signup_comp_read_signout() {
    if !available("the browser journey (Chromium/Playwright)", missing()) {
        return;
    }

    // Declared before the server, so the server is killed before the directory is removed.
    let dir = tempfile::tempdir().expect("temp data dir");
    let data = dir.path().join("site");
    let log = dir.path().join("server.log");
    let port = free_port();
    let base = format!("http://127.0.0.1:{port}");
    let bin = env!("CARGO_BIN_EXE_masthead");
    let server = start_demo(&data, &log, port);

    let journey = Instant::now();
    let out = Command::new("node")
        .arg("tests/browser/journey.mjs")
        .current_dir(workspace())
        .env("BASE_URL", &base)
        .env("DATA_DIR", &data)
        .env("MASTHEAD_BIN", bin)
        .env("RUST_LOG", "warn")
        .env_remove("MASTHEAD_DATABASE_URL")
        .stdin(Stdio::null())
        .output()
        .expect("run node tests/browser/journey.mjs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    println!("{stdout}");
    let _ = writeln!(
        std::io::stderr(),
        "browser journey: node finished ({}) in {:.1} s",
        out.status,
        journey.elapsed().as_secs_f64()
    );

    if !out.status.success() {
        drop(server);
        let log = server_log(&log);
        let kept = dir.keep();
        panic!(
            "the browser journey failed ({}); screenshots and outbox kept in {}\n\
             --- journey stdout ---\n{stdout}\n--- journey stderr ---\n{stderr}\n\
             --- server log ---\n{log}",
            out.status,
            kept.join("site").display()
        );
    }
}

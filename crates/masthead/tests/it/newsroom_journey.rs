//! The newsroom in a real browser: `tests/browser/newsroom.mjs` drives Debian's headless
//! Chromium through playwright-core against a fresh `masthead demo` (no owner yet): owner setup,
//! an editor invited and accepting through the outbox link, signing out and in, a new browser
//! verified by the emailed code — with axe-core finding no violations on any newsroom page, at
//! desktop and phone widths.

use crate::helpers::external::{
    available, free_port, node_missing, server_log, start_demo, workspace,
};
use std::path::Path;
use std::process::{Command, Stdio};

const CHROMIUM: &str = "/usr/bin/chromium";

fn missing() -> Vec<String> {
    let mut missing = node_missing("browser", &["playwright-core", "axe-core"]);
    if !Path::new(CHROMIUM).exists() {
        missing.push(format!(
            "{CHROMIUM} (.ci/run installs Debian's chromium package)"
        ));
    }
    missing
}

#[test]
fn newsroom_journey_setup_invite_sign_in_with_no_axe_violations() {
    if !available(
        "the newsroom browser journey (Chromium/Playwright/axe-core)",
        missing(),
    ) {
        return;
    }
    let dir = tempfile::tempdir().expect("temp data dir");
    let data = dir.path().join("site");
    let log = dir.path().join("server.log");
    let port = free_port();
    let server = start_demo(&data, &log, port);
    let out = Command::new("node")
        .arg("tests/browser/newsroom.mjs")
        .current_dir(workspace())
        .env("BASE_URL", format!("http://127.0.0.1:{port}"))
        .env("DATA_DIR", &data)
        .stdin(Stdio::null())
        .output()
        .expect("run node tests/browser/newsroom.mjs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    println!("{stdout}");
    if !out.status.success() {
        drop(server);
        panic!(
            "the newsroom journey failed ({})\n--- stdout ---\n{stdout}\n--- stderr ---\n{stderr}\n--- server log ---\n{}",
            out.status,
            server_log(&log)
        );
    }
}

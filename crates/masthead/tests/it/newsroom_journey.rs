//! The newsroom in a real browser: `tests/browser/newsroom.mjs` drives Debian's headless
//! Chromium through playwright-core against a fresh `masthead demo` (no owner yet): owner setup,
//! an editor invited and accepting through the outbox link, signing out and in, a new browser
//! verified by the emailed code — with axe-core finding no violations on any newsroom page, at
//! desktop and phone widths. `tests/browser/newsroom_post.mjs` then takes a post from a
//! contributor's draft to the public site (see its header) on the same kind of server, and
//! `tests/browser/newsroom_media.mjs` goes through the media library and the lead-image field;
//! `tests/browser/members_console.mjs` filters the members list, opens a member and labels them;
//! `tests/browser/console_settings.mjs` changes the title and accent colour and makes an API key
//! and a webhook; `tests/browser/dashboard.mjs` reads the charts and sees a reader's view counted;
//! `tests/browser/console_tiers.mjs` adds a priced tier and an offer, and a reader opens the offer.

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
    run("tests/browser/newsroom.mjs");
}

#[test]
fn newsroom_post_journey_draft_paywall_schedule_live_and_conflict() {
    if !available(
        "the newsroom post journey (Chromium/Playwright/axe-core)",
        missing(),
    ) {
        return;
    }
    run("tests/browser/newsroom_post.mjs");
}

#[test]
fn newsroom_media_journey_library_alt_text_delete_and_lead_image() {
    if !available(
        "the newsroom media journey (Chromium/Playwright/axe-core)",
        missing(),
    ) {
        return;
    }
    run("tests/browser/newsroom_media.mjs");
}

#[test]
fn members_console_journey_filter_open_label_save() {
    if !available(
        "the members console journey (Chromium/Playwright/axe-core)",
        missing(),
    ) {
        return;
    }
    run("tests/browser/members_console.mjs");
}

#[test]
fn console_settings_journey_title_accent_key_webhook() {
    if !available(
        "the console settings journey (Chromium/Playwright/axe-core)",
        missing(),
    ) {
        return;
    }
    run("tests/browser/console_settings.mjs");
}

#[test]
fn console_tiers_journey_tier_offer_and_the_readers_offer_page() {
    if !available(
        "the tiers and offers console journey (Chromium/Playwright/axe-core)",
        missing(),
    ) {
        return;
    }
    run("tests/browser/console_tiers.mjs");
}

#[test]
fn dashboard_journey_charts_and_a_counted_view() {
    if !available(
        "the dashboard journey (Chromium/Playwright/axe-core)",
        missing(),
    ) {
        return;
    }
    run("tests/browser/dashboard.mjs");
}

/// Runs `script` with node against a fresh `masthead demo`; panics with its output and the
/// server's log when it fails.
fn run(script: &str) {
    let dir = tempfile::tempdir().expect("temp data dir");
    let data = dir.path().join("site");
    let log = dir.path().join("server.log");
    let port = free_port();
    let server = start_demo(&data, &log, port);
    let out = Command::new("node")
        .arg(script)
        .current_dir(workspace())
        .env("BASE_URL", format!("http://127.0.0.1:{port}"))
        .env("DATA_DIR", &data)
        .env("MASTHEAD_BIN", env!("CARGO_BIN_EXE_masthead"))
        .env_remove("MASTHEAD_DATABASE_URL")
        .stdin(Stdio::null())
        .output()
        .unwrap_or_else(|e| panic!("run node {script}: {e}"));
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    println!("{stdout}");
    if !out.status.success() {
        drop(server);
        panic!(
            "{script} failed ({})\n--- stdout ---\n{stdout}\n--- stderr ---\n{stderr}\n--- server log ---\n{}",
            out.status,
            server_log(&log)
        );
    }
}

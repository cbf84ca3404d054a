//! The publisher's console journey in a real browser (issue 16 §5):
//! `tests/browser/console_journey.mjs` drives Debian's headless Chromium through playwright-core
//! against a fresh `masthead demo` whose Stripe is the journey's own Stripe-shaped server
//! (`tests/browser/fake-stripe.mjs`): a tier and an offer made in the console reach Stripe, a
//! reader redeems the offer through Checkout and shows up paid with it, another member is
//! labelled and comped, a 1,000-row CSV with 3 bad rows is imported, and fewer free paragraphs
//! re-split a paid post — with axe-core on the console's pages at desktop and phone widths.

use crate::helpers::external::{
    available, free_port, node_missing, server_log, start_demo_with, workspace,
};
use std::path::Path;
use std::process::{Command, Stdio};

const CHROMIUM: &str = "/usr/bin/chromium";
const STRIPE_KEY: &str = "sk_test_console_journey";
const STRIPE_WEBHOOK_SECRET: &str = "whsec_console_journey";

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
fn console_journey_tier_offer_checkout_comp_import_resplit() {
    if !available(
        "the console browser journey (Chromium/Playwright/axe-core)",
        missing(),
    ) {
        return;
    }
    // Declared before the server, so the server is killed before the directory is removed.
    let dir = tempfile::tempdir().expect("temp data dir");
    let data = dir.path().join("site");
    let log = dir.path().join("server.log");
    let port = free_port();
    // The journey starts the fake Stripe on this port before the console first calls it.
    let stripe_port = free_port().to_string();
    let stripe_base = format!("http://127.0.0.1:{stripe_port}");
    let stripe_env = [
        ("MASTHEAD_STRIPE_SECRET_KEY", STRIPE_KEY),
        ("MASTHEAD_STRIPE_WEBHOOK_SECRET", STRIPE_WEBHOOK_SECRET),
        ("MASTHEAD_STRIPE_API_BASE", stripe_base.as_str()),
    ];
    let server = start_demo_with(&data, &log, port, &stripe_env);
    let out = Command::new("node")
        .arg("tests/browser/console_journey.mjs")
        .current_dir(workspace())
        .env("BASE_URL", format!("http://127.0.0.1:{port}"))
        .env("DATA_DIR", &data)
        .env("MASTHEAD_BIN", env!("CARGO_BIN_EXE_masthead"))
        .env("FAKE_STRIPE_PORT", &stripe_port)
        .env("FAKE_STRIPE_KEY", STRIPE_KEY)
        .env("FAKE_STRIPE_WEBHOOK_SECRET", STRIPE_WEBHOOK_SECRET)
        .env("RUST_LOG", "warn")
        .env_remove("MASTHEAD_DATABASE_URL")
        .stdin(Stdio::null())
        .output()
        .expect("run node tests/browser/console_journey.mjs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    println!("{stdout}");
    if !out.status.success() {
        drop(server);
        let log = server_log(&log);
        let kept = dir.keep();
        panic!(
            "the console journey failed ({}); screenshots kept in {}\n\
             --- stdout ---\n{stdout}\n--- stderr ---\n{stderr}\n--- server log ---\n{log}",
            out.status,
            kept.join("site").display()
        );
    }
}

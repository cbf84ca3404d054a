//! The reader's journey in a real browser: `tests/browser/journey.mjs` drives Debian's headless
//! Chromium through playwright-core against a running `masthead demo` — paywall, sign-up, the
//! emailed link, a comp through the CLI, the whole article, sign-out and the paywall again; then
//! a second reader pays through Checkout and opens the Billing Portal on a Stripe-shaped server
//! the journey runs itself (`tests/browser/fake-stripe.mjs`), which the demo uses as its Stripe.

use crate::helpers::external::{
    available, free_port, node_missing, server_log, start_demo_with, workspace,
};
use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Instant;

const CHROMIUM: &str = "/usr/bin/chromium";
const STRIPE_KEY: &str = "sk_test_journey";
const STRIPE_WEBHOOK_SECRET: &str = "whsec_journey";

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
    // The journey starts the fake Stripe on this port before it needs it; the demo only calls
    // Stripe when a member clicks through to pay.
    let stripe_port = free_port().to_string();
    let stripe_base = format!("http://127.0.0.1:{stripe_port}");
    let stripe_env = [
        ("MASTHEAD_STRIPE_SECRET_KEY", STRIPE_KEY),
        ("MASTHEAD_STRIPE_WEBHOOK_SECRET", STRIPE_WEBHOOK_SECRET),
        ("MASTHEAD_STRIPE_API_BASE", stripe_base.as_str()),
    ];
    let server = start_demo_with(&data, &log, port, &stripe_env);

    let journey = Instant::now();
    let out = Command::new("node")
        .arg("tests/browser/journey.mjs")
        .current_dir(workspace())
        .env("BASE_URL", &base)
        .env("DATA_DIR", &data)
        .env("MASTHEAD_BIN", bin)
        .env("FAKE_STRIPE_PORT", &stripe_port)
        .env("FAKE_STRIPE_KEY", STRIPE_KEY)
        .env("FAKE_STRIPE_WEBHOOK_SECRET", STRIPE_WEBHOOK_SECRET)
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

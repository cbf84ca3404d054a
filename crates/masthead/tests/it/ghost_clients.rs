//! Ghost's own JavaScript clients against a real `masthead demo`: `tests/ghost-clients/
//! content.mjs` drives `@tryghost/content-api` (browse with filters, includes, fields and
//! pagination; reads by id and slug; a paid post cut at its paywall marker), and `admin.mjs`
//! drives `@tryghost/admin-api` (tags, a draft from HTML, edits and the 409, publish, schedule,
//! unpublish, tags and authors named as integrations name them, an image upload, a paid post, a
//! post published with a newsletter, deletes).

use crate::helpers::external::{
    Server, available, free_port, node_missing, server_log, start_demo, start_demo_with, workspace,
};
use std::path::Path;
use std::process::{Command, Stdio};

const FREE_TEXT: &str = "The opening of this paid analysis is free to read.";
const GATED_TEXT: &str = "GHOSTCLIENTCANARY sits behind the marker.";

/// Whether the clients can run; skips (or, in CI, fails) with the reason when not.
fn clients_available() -> bool {
    let packages = ["@tryghost/content-api", "@tryghost/admin-api"];
    available(
        "the Ghost client test (Node/@tryghost clients)",
        node_missing("ghost-clients", &packages),
    )
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
    if !clients_available() {
        return;
    }
    let dir = tempfile::tempdir().expect("temp data dir");
    let data = dir.path().join("site");
    let log = dir.path().join("server.log");
    let port = free_port();
    let base = format!("http://127.0.0.1:{port}");
    // The script receives a webhook on loopback, which sites refuse unless they allow it.
    let allow = [("MASTHEAD_WEBHOOK_ALLOW_PRIVATE", "true")];
    let server = start_demo_with(&data, &log, port, &allow);
    let admin_key = masthead(&data, &["key", "create", "--admin", "ghost-clients"]);
    let content_key = masthead(&data, &["key", "create", "--content", "ghost-clients"]);
    let email = "client.author@example.com";
    let added = masthead(&data, &["author", "add", "Client Author", "--email", email]);
    assert!(added.contains("client-author"), "{added}");
    let listed = masthead(&data, &["author", "list"]);
    assert!(
        listed.contains("client-author\tClient Author\tclient.author@example.com"),
        "{listed}"
    );
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
            ("AUTHOR_SLUG", "client-author"),
            ("AUTHOR_EMAIL", email),
        ],
        server,
        &log,
    );
}

#[test]
fn ghost_content_api_client_browses_and_reads() {
    if !clients_available() {
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

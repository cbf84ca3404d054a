//! The reader's journey in real headless Chromium (Debian's), driven by playwright-core from
//! `tests/browser/journey.mjs` against a running `masthead demo`.

use std::io::Write;
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The demo server, stopped when dropped (also when an assertion fails).
struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// What is missing for the journey, if anything.
fn missing() -> Option<String> {
    if Command::new("node").arg("--version").output().is_err() {
        return Some("node (apt-get install nodejs npm)".into());
    }
    if !Path::new("/usr/bin/chromium").exists() {
        return Some("/usr/bin/chromium (apt-get install chromium)".into());
    }
    if !workspace()
        .join("tests/browser/node_modules/playwright-core")
        .exists()
    {
        return Some("playwright-core (cd tests/browser && npm ci)".into());
    }
    None
}

fn healthy(port: u16) -> bool {
    use std::io::Read;
    let Ok(mut stream) = TcpStream::connect(("127.0.0.1", port)) else {
        return false;
    };
    let _ =
        stream.write_all(b"GET /healthz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
    let mut reply = String::new();
    let _ = stream.read_to_string(&mut reply);
    reply.starts_with("HTTP/1.1 200")
}

#[test]
fn browser_journey_signup_comp_read_signout() {
    if let Some(what) = missing() {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "the browser journey needs {what}; .ci/run installs it"
        );
        let _ = writeln!(
            std::io::stderr(),
            "skipped: Chromium/Playwright not available (missing {what})"
        );
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let base = format!("http://127.0.0.1:{port}");
    let bin = env!("CARGO_BIN_EXE_masthead");
    let _server = Server(
        Command::new(bin)
            .args(["demo", "--addr", &format!("127.0.0.1:{port}")])
            .arg("--data")
            .arg(dir.path())
            .env("MASTHEAD_URL", &base)
            .env("RUST_LOG", "warn")
            .env_remove("MASTHEAD_SMTP_URL")
            .env_remove("MASTHEAD_DATABASE_URL")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start masthead demo"),
    );
    let deadline = Instant::now() + Duration::from_secs(120);
    while !healthy(port) {
        assert!(Instant::now() < deadline, "masthead demo did not start");
        std::thread::sleep(Duration::from_millis(200));
    }
    let out = Command::new("node")
        .arg("tests/browser/journey.mjs")
        .current_dir(workspace())
        .env("BASE_URL", &base)
        .env("DATA_DIR", dir.path())
        .env("MASTHEAD_BIN", bin)
        .output()
        .expect("run node");
    let (stdout, stderr) = (
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr),
    );
    assert!(out.status.success(), "journey failed\n{stdout}\n{stderr}");
    assert!(stdout.contains("journey: done"), "{stdout}");
}

//! The reader's journey in a real browser: `tests/browser/journey.mjs` drives Debian's headless
//! Chromium through playwright-core against a running `masthead demo` — paywall, sign-up, the
//! emailed link, a comp through the CLI, the whole article, sign-out and the paywall again.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const CHROMIUM: &str = "/usr/bin/chromium";

/// The demo server, killed when dropped: also when an assertion fails.
pub struct Server(pub Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

pub fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// What the journey needs and does not find, each with how `.ci/run` provides it.
fn missing() -> Vec<String> {
    let mut missing = Vec::new();
    if Command::new("node")
        .arg("--version")
        .output()
        .map_or(true, |o| !o.status.success())
    {
        missing.push(
            "`node` on PATH (.ci/run installs Debian's nodejs and npm when node is absent)".into(),
        );
    }
    if !Path::new(CHROMIUM).exists() {
        missing.push(format!(
            "{CHROMIUM} (.ci/run installs Debian's chromium package)"
        ));
    }
    if !workspace()
        .join("tests/browser/node_modules/playwright-core")
        .is_dir()
    {
        missing.push(
            "tests/browser/node_modules/playwright-core (.ci/run runs `npm ci` in tests/browser)"
                .into(),
        );
    }
    missing
}

pub fn free_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind a free port");
    listener.local_addr().expect("local address").port()
}

/// Whether `GET /healthz` answers 200 on the port.
pub fn healthy(port: u16) -> bool {
    let Ok(mut stream) = TcpStream::connect(("127.0.0.1", port)) else {
        return false;
    };
    let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
    let request = "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
    if stream.write_all(request.as_bytes()).is_err() {
        return false;
    }
    let mut reply = String::new();
    let _ = stream.read_to_string(&mut reply);
    reply.starts_with("HTTP/1.1 200")
}

pub fn server_log(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| format!("(no log at {}: {e})", path.display()))
}

#[test]
fn browser_journey_signup_comp_read_signout() {
    let missing = missing();
    if !missing.is_empty() {
        let what = missing.join("; ");
        if std::env::var("CI").as_deref() == Ok("true") {
            panic!("the browser journey cannot run in CI: missing {what}");
        }
        let _ = writeln!(
            std::io::stderr(),
            "skipped: Chromium/Playwright not available ({what})"
        );
        return;
    }

    // Declared before the server, so the server is killed before the directory is removed.
    let dir = tempfile::tempdir().expect("temp data dir");
    let data = dir.path().join("site");
    let log = dir.path().join("server.log");
    let port = free_port();
    let base = format!("http://127.0.0.1:{port}");
    let bin = env!("CARGO_BIN_EXE_masthead");
    let log_file = std::fs::File::create(&log).expect("server log");
    let mut server = Server(
        Command::new(bin)
            .arg("demo")
            .arg("--data")
            .arg(&data)
            .arg("--addr")
            .arg(format!("127.0.0.1:{port}"))
            .env("MASTHEAD_URL", &base)
            .env("RUST_LOG", "warn")
            .env_remove("MASTHEAD_SMTP_URL")
            .env_remove("MASTHEAD_DATABASE_URL")
            .stdin(Stdio::null())
            .stdout(log_file.try_clone().expect("server log"))
            .stderr(log_file)
            .spawn()
            .expect("start `masthead demo`"),
    );

    // The debug build generates the demo's images before it listens.
    let started = Instant::now();
    while !healthy(port) {
        if let Ok(Some(status)) = server.0.try_wait() {
            panic!(
                "`masthead demo` exited ({status}) before answering /healthz:\n{}",
                server_log(&log)
            );
        }
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "`masthead demo` did not answer {base}/healthz within 60 s:\n{}",
            server_log(&log)
        );
        std::thread::sleep(Duration::from_millis(250));
    }
    let _ = writeln!(
        std::io::stderr(),
        "browser journey: demo site up at {base} after {:.1} s",
        started.elapsed().as_secs_f64()
    );

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

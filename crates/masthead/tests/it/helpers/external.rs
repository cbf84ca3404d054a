//! For tests that drive outside programs (Node with Ghost's clients, Chromium) against a real
//! `masthead demo`: finding what they need or skipping, starting the server, reading its log.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

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

/// What a Node script under `tests/<dir>/` needs and does not find (`node` itself and the
/// `packages` in its `node_modules`), each with how `.ci/run` provides it.
pub fn node_missing(dir: &str, packages: &[&str]) -> Vec<String> {
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
    let modules = workspace().join("tests").join(dir).join("node_modules");
    let absent: Vec<&str> = packages
        .iter()
        .copied()
        .filter(|p| !modules.join(p).is_dir())
        .collect();
    if !absent.is_empty() {
        missing.push(format!(
            "tests/{dir}/node_modules/{{{}}} (.ci/run runs `npm ci` in tests/{dir})",
            absent.join(",")
        ));
    }
    missing
}

/// Whether a test can run with nothing `missing`; otherwise it says it skipped `what`, or,
/// under `CI=true`, fails.
pub fn available(what: &str, missing: Vec<String>) -> bool {
    if missing.is_empty() {
        return true;
    }
    let missing = missing.join("; ");
    assert!(
        std::env::var("CI").as_deref() != Ok("true"),
        "{what} cannot run in CI: missing {missing}"
    );
    let _ = writeln!(
        std::io::stderr(),
        "skipped: {what} not available ({missing})"
    );
    false
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

/// Starts `masthead demo` on `data` at `port`, its output in `log`, and waits until it answers
/// `/healthz` (the debug build generates the demo's images first): panics with the log if it
/// exits or takes more than 60 s.
pub fn start_demo(data: &Path, log: &Path, port: u16) -> Server {
    start_demo_with(data, log, port, &[])
}

/// `start_demo` with extra environment variables (e.g. `MASTHEAD_WEBHOOK_ALLOW_PRIVATE` for
/// a client that receives webhooks on loopback).
pub fn start_demo_with(data: &Path, log: &Path, port: u16, envs: &[(&str, &str)]) -> Server {
    let log_file = std::fs::File::create(log).expect("server log");
    let mut server = Server(
        Command::new(env!("CARGO_BIN_EXE_masthead"))
            .envs(envs.iter().copied())
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
        if let Ok(Some(status)) = server.0.try_wait() {
            panic!(
                "`masthead demo` exited ({status}) before answering /healthz:\n{}",
                server_log(log)
            );
        }
        assert!(
            started.elapsed() < Duration::from_mins(1),
            "`masthead demo` did not answer /healthz within 60 s:\n{}",
            server_log(log)
        );
        std::thread::sleep(Duration::from_millis(250));
    }
    let _ = writeln!(
        std::io::stderr(),
        "demo site up on port {port} after {:.1} s",
        started.elapsed().as_secs_f64()
    );
    server
}

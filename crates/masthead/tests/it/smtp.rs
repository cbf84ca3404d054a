//! The magic-link flow end to end through a real SMTP server on loopback (Debian's
//! python3-aiosmtpd, writing what it receives into a Maildir).

use crate::helpers::TestApp;
use crate::members::link_in;
use axum::http::StatusCode;
use masthead::config::{Config, Secret};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

const PYTHON: &str = "/usr/bin/python3";

/// The SMTP sink process, stopped when dropped.
struct Sink(Child);

impl Drop for Sink {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn sink_available() -> bool {
    Command::new(PYTHON)
        .args(["-c", "import aiosmtpd"])
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

fn start_sink(maildir: &Path) -> (Sink, u16) {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let child = Command::new(PYTHON)
        .args([
            "-m",
            "aiosmtpd",
            "-n",
            "-l",
            &format!("127.0.0.1:{port}"),
            "-c",
            "aiosmtpd.handlers.Mailbox",
        ])
        .arg(maildir)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start aiosmtpd");
    let sink = Sink(child);
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            std::time::Instant::now() < deadline,
            "the SMTP sink did not start"
        );
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    (sink, port)
}

fn delivered(maildir: &Path) -> Vec<String> {
    let new: PathBuf = maildir.join("new");
    std::fs::read_dir(new)
        .map(|d| {
            d.filter_map(|e| std::fs::read_to_string(e.ok()?.path()).ok())
                .collect()
        })
        .unwrap_or_default()
}

#[tokio::test]
async fn magic_link_arrives_by_smtp_and_signs_in() {
    if !sink_available() {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "python3-aiosmtpd is missing; .ci/run installs it with apt-get"
        );
        let _ = writeln!(
            std::io::stderr(),
            "skipped: SMTP sink not available (apt-get install python3-aiosmtpd)"
        );
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let maildir = dir.path().join("mail");
    let (_sink, port) = start_sink(&maildir);
    let url = format!("smtp://127.0.0.1:{port}");
    let app = TestApp::demo_with(move |c| Config {
        smtp_url: Some(Secret(url)),
        ..c
    })
    .await;

    let mut b = app.browser().await;
    let res = app
        .post_form(
            "/members/signup",
            &b.cookies(),
            &[("csrf", &b.csrf), ("email", "smtp.reader@example.com")],
        )
        .await;
    assert_eq!(res.status, StatusCode::OK);
    assert!(res.body.contains("Check your email"), "{}", res.body);
    let mut mails = Vec::new();
    for _ in 0..100 {
        mails = delivered(&maildir);
        if !mails.is_empty() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    let mail = mails.pop().expect("the message reached the SMTP server");
    assert!(mail.contains("To: smtp.reader@example.com"));
    assert!(
        mail.contains("From: \"The Meridian Review\" <noreply@news.example>")
            || mail.contains("From: The Meridian Review <noreply@news.example>"),
        "{mail}"
    );
    assert!(mail.contains("multipart/alternative"));
    let unfolded = mail
        .replace("=\r\n", "")
        .replace("=\n", "")
        .replace("=3D", "=");
    let verified = app.get_as(&link_in(&unfolded), &b.cookies()).await;
    assert_eq!(verified.status, StatusCode::SEE_OTHER);
    b.absorb(&verified);
    assert!(
        app.get_as("/account/", &b.cookies())
            .await
            .body
            .contains("smtp.reader@example.com")
    );
    assert!(!app.state.config.outbox_dir().join("x").exists());
}

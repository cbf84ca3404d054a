//! What the log says while a reader signs in: that a message went to the outbox and where,
//! never the sign-in link, its token, the code or the reader's address.

use crate::helpers::TestApp;
use crate::members::{code_in, link_in, newest_mail};
use axum::http::StatusCode;
use std::io::Write;
use std::sync::{Arc, Mutex};

/// Log output captured in memory.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Captured {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap()).into_owned()
    }
}

/// Regression (issue 13): without SMTP the live sign-in link was logged at INFO.
#[tokio::test]
async fn signing_in_logs_the_outbox_file_but_no_link_token_code_or_address() {
    let log = Captured::default();
    let writer = log.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(move || writer.clone())
        .with_max_level(tracing::Level::DEBUG)
        .with_ansi(false)
        // Timestamps' six-digit fractions could look like a code.
        .without_time()
        .finish();
    // This test's runtime runs on this thread, so the app's log lines land here.
    let _guard = tracing::subscriber::set_default(subscriber);

    let app = TestApp::demo().await;
    let outbox = app.state.config.outbox_dir();
    let email = "reader@example.com";
    let b = app.browser().await;
    let ask = async || {
        app.post_form(
            "/members/signin",
            &b.cookies(),
            &[("csrf", &b.csrf), ("email", email)],
        )
        .await
    };
    // Once by the link, once by the code.
    ask().await;
    let first = newest_mail(&outbox, email);
    let link = link_in(&first);
    let by_link = app.get_as(&link, &b.cookies()).await;
    assert_eq!(by_link.status, StatusCode::SEE_OTHER);
    ask().await;
    let second = newest_mail(&outbox, email);
    let code = code_in(&second);
    let by_code = app
        .post_form(
            "/members/verify-code",
            &b.cookies(),
            &[("csrf", &b.csrf), ("email", email), ("code", &code)],
        )
        .await;
    assert_eq!(by_code.status, StatusCode::SEE_OTHER);

    let text = log.text();
    assert!(
        text.contains("message written to the outbox")
            && text.contains(&outbox.display().to_string()),
        "the log says where the message is:\n{text}"
    );
    let token = link.split_once("token=").unwrap().1;
    for (secret, what) in [
        (token, "the sign-in token"),
        ("/members/verify?token", "a sign-in link"),
        (code.as_str(), "the code"),
        (code_in(&first).as_str(), "the first code"),
        (email, "the reader's address"),
    ] {
        assert!(!holds(&text, secret), "the log holds {what}:\n{text}");
    }
}

/// Whether `text` holds `secret` as a whole token (not inside a longer run of letters and
/// digits, as a six-digit code might be inside an id).
fn holds(text: &str, secret: &str) -> bool {
    let word = |c: char| c.is_ascii_alphanumeric();
    text.match_indices(secret).any(|(at, _)| {
        let before = text[..at].chars().next_back();
        let after = text[at + secret.len()..].chars().next();
        !before.is_some_and(word) && !after.is_some_and(word)
    })
}

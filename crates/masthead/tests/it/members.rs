//! Members: sign-up and sign-in by emailed link or code, passwords, sessions, CSRF, limits,
//! and the account page. Mail goes to the outbox (no SMTP configured), read like a mailbox.

use crate::helpers::{TestApp, TestResponse};
use axum::http::StatusCode;
use std::path::Path;

/// The newest message in the outbox sent to `to`, decoded to its plain-text part.
pub fn newest_mail(outbox: &Path, to: &str) -> String {
    let mut mails: Vec<(std::time::SystemTime, String)> = std::fs::read_dir(outbox)
        .map(|dir| {
            dir.filter_map(std::result::Result::ok)
                .filter_map(|e| {
                    let text = std::fs::read_to_string(e.path()).ok()?;
                    let modified = e.metadata().ok()?.modified().ok()?;
                    text.contains(&format!("To: {to}"))
                        .then_some((modified, text))
                })
                .collect()
        })
        .unwrap_or_default();
    mails.sort_by_key(|(t, _)| *t);
    let raw = mails
        .pop()
        .map_or_else(|| panic!("no mail to {to}"), |(_, m)| m);
    decode_quoted_printable(&raw)
}

fn decode_quoted_printable(raw: &str) -> String {
    let joined = raw.replace("=\r\n", "").replace("=\n", "");
    let mut out = String::new();
    let bytes = joined.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'='
            && i + 2 < bytes.len()
            && let Ok(b) = u8::from_str_radix(&joined[i + 1..i + 3], 16)
        {
            out.push(b as char);
            i += 3;
            continue;
        }
        out.push(bytes[i] as char);
        i += 1;
    }
    out
}

/// The sign-in link (path and query) in a message.
pub fn link_in(mail: &str) -> String {
    let start = mail.find("/members/verify?token=").expect("a sign-in link");
    mail[start..]
        .split(|c: char| c.is_whitespace() || c == '"' || c == '<')
        .next()
        .unwrap()
        .to_owned()
}

pub fn code_in(mail: &str) -> String {
    let at = mail.find("enter this code: ").expect("a code") + "enter this code: ".len();
    mail[at..at + 6].to_owned()
}

fn session_cookie(res: &TestResponse) -> String {
    res.headers
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_owned())
        .find(|c| c.starts_with("mh_session="))
        .expect("a session cookie")
}

#[tokio::test]
async fn sign_up_by_link_then_sign_in_by_code() {
    let app = TestApp::demo().await;
    let outbox = app.state.config.outbox_dir();
    let mut b = app.browser().await;
    let res = app
        .post_form(
            "/members/signup",
            &b.cookies(),
            &[
                ("csrf", &b.csrf),
                ("email", "New.Reader@Example.com"),
                ("name", "Nia Reader"),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::OK);
    assert!(
        res.body.contains("new.reader@example.com"),
        "the page says where the link went"
    );
    assert!(
        res.count("input[name=code]") == 1,
        "the code form is offered"
    );
    assert_eq!(res.header("cache-control"), "private, no-store");

    let mail = newest_mail(&outbox, "new.reader@example.com");
    assert!(
        mail.contains("Content-Type: text/plain") && mail.contains("Content-Type: text/html"),
        "{mail}"
    );
    assert!(mail.contains("Subject: Confirm your The Meridian Review account"));
    let link = link_in(&mail);
    let verified = app.get_as(&link, &b.cookies()).await;
    assert_eq!(verified.status, StatusCode::SEE_OTHER);
    assert_eq!(verified.header("location"), "/account/");
    let cookie = session_cookie(&verified);
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax") && cookie.contains("Secure"),
        "{cookie}"
    );
    b.absorb(&verified);
    let account = app.get_as("/account/", &b.cookies()).await;
    assert!(account.body.contains("new.reader@example.com") && account.body.contains("Nia Reader"));

    let reused = app.get_as(&link, "").await;
    assert!(
        reused.body.contains("expired or was already used"),
        "a link works once"
    );

    // Sign in again from another browser with the six-digit code, which rotates the session.
    let mut other = app.browser().await;
    app.post_form(
        "/members/signin",
        &other.cookies(),
        &[("csrf", &other.csrf), ("email", "new.reader@example.com")],
    )
    .await;
    let code = code_in(&newest_mail(&outbox, "new.reader@example.com"));
    let wrong = app
        .post_form(
            "/members/verify-code",
            &other.cookies(),
            &[
                ("csrf", &other.csrf),
                ("email", "new.reader@example.com"),
                ("code", "000000"),
            ],
        )
        .await;
    assert!(wrong.body.contains("code is not right"));
    let ok = app
        .post_form(
            "/members/verify-code",
            &other.cookies(),
            &[
                ("csrf", &other.csrf),
                ("email", "new.reader@example.com"),
                ("code", &code),
            ],
        )
        .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER);
    other.absorb(&ok);
    assert_ne!(
        other.jar["mh_session"], b.jar["mh_session"],
        "each sign-in gets its own session id"
    );
    assert_eq!(
        app.get_as("/account/", &other.cookies()).await.status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn codes_stop_working_after_five_wrong_tries() {
    let app = TestApp::demo().await;
    let b = app.browser().await;
    app.post_form(
        "/members/signin",
        &b.cookies(),
        &[("csrf", &b.csrf), ("email", "reader@example.com")],
    )
    .await;
    let code = code_in(&newest_mail(
        &app.state.config.outbox_dir(),
        "reader@example.com",
    ));
    for _ in 0..5 {
        app.post_form(
            "/members/verify-code",
            &b.cookies(),
            &[
                ("csrf", &b.csrf),
                ("email", "reader@example.com"),
                ("code", "111111"),
            ],
        )
        .await;
    }
    let right = app
        .post_form(
            "/members/verify-code",
            &b.cookies(),
            &[
                ("csrf", &b.csrf),
                ("email", "reader@example.com"),
                ("code", &code),
            ],
        )
        .await;
    assert_ne!(
        right.status,
        StatusCode::SEE_OTHER,
        "the right code no longer works after five wrong ones"
    );
}

#[tokio::test]
async fn expired_links_are_refused() {
    let app = TestApp::demo().await;
    let token = "expired-token-for-test";
    let past = chrono::Utc::now() - chrono::Duration::minutes(16);
    app.state
        .store
        .create_login_token(&store::LoginToken {
            token_hash: masthead::members::crypto::hash(token),
            code_hash: masthead::members::crypto::hash("123456"),
            email: "reader@example.com".into(),
            purpose: "signin".into(),
            member_id: None,
            name: String::new(),
            tier: String::new(),
            redirect: String::new(),
            attempts: 0,
            created_at: (past - chrono::Duration::minutes(15)).timestamp_micros(),
            expires_at: past.timestamp_micros(),
            used_at: None,
        })
        .await
        .unwrap();
    let res = app.get(&format!("/members/verify?token={token}")).await;
    assert!(res.body.contains("expired or was already used"));
    assert!(
        res.headers
            .get_all("set-cookie")
            .iter()
            .all(|c| !c.to_str().unwrap().starts_with("mh_session="))
    );
}

#[tokio::test]
async fn the_answer_is_the_same_whether_or_not_an_account_exists() {
    let app = TestApp::demo().await;
    let b = app.browser().await;
    let known = app
        .post_form(
            "/members/signin",
            &b.cookies(),
            &[("csrf", &b.csrf), ("email", "reader@example.com")],
        )
        .await;
    let unknown = app
        .post_form(
            "/members/signin",
            &b.cookies(),
            &[("csrf", &b.csrf), ("email", "nobody@example.com")],
        )
        .await;
    assert_eq!(known.status, unknown.status);
    let strip = |r: &TestResponse, email: &str| r.body.replace(email, "EMAIL");
    assert_eq!(
        strip(&known, "reader@example.com"),
        strip(&unknown, "nobody@example.com")
    );
    let outbox = app.state.config.outbox_dir();
    assert!(
        newest_mail(&outbox, "nobody@example.com").contains("Confirm your"),
        "unknown addresses get a sign-up link"
    );
}

#[tokio::test]
async fn forms_without_a_valid_csrf_token_are_refused() {
    let app = TestApp::demo().await;
    let b = app.browser().await;
    for (path, cookies, token) in [
        ("/members/signin", String::new(), b.csrf.clone()),
        ("/members/signin", b.cookies(), String::new()),
        (
            "/members/signin",
            b.cookies(),
            "forged-token-forged-token-forged-token".to_owned(),
        ),
        ("/members/signup", String::new(), String::new()),
        ("/members/signout", b.cookies(), "x".into()),
        ("/account/delete", b.cookies(), String::new()),
    ] {
        let res = app
            .post_form(
                path,
                &cookies,
                &[
                    ("csrf", &token),
                    ("email", "reader@example.com"),
                    ("confirm", "yes"),
                ],
            )
            .await;
        assert_eq!(
            res.status,
            StatusCode::FORBIDDEN,
            "{path} without a matching token"
        );
    }
}

#[tokio::test]
async fn link_requests_are_rate_limited() {
    let app = TestApp::demo().await;
    let b = app.browser().await;
    let mut last = String::new();
    for _ in 0..6 {
        last = app
            .post_form(
                "/members/signin",
                &b.cookies(),
                &[("csrf", &b.csrf), ("email", "reader@example.com")],
            )
            .await
            .body;
    }
    assert!(
        last.contains("Too many attempts"),
        "the sixth request in a row is refused"
    );
    let bad = app
        .post_form(
            "/members/signin",
            &b.cookies(),
            &[("csrf", &b.csrf), ("email", "not an email")],
        )
        .await;
    assert!(bad.body.contains("is not an email address"));
}

#[tokio::test]
async fn passwords_sessions_and_sign_out_everywhere() {
    let app = TestApp::demo().await;
    let mut first = app.signed_in("reader@example.com").await;
    let short = app
        .post_form(
            "/account/password",
            &first.cookies(),
            &[("csrf", &first.csrf), ("password", "short")],
        )
        .await;
    assert!(short.body.contains("at least 10 characters"));
    let set = app
        .post_form(
            "/account/password",
            &first.cookies(),
            &[
                ("csrf", &first.csrf),
                ("password", "a long enough passphrase"),
            ],
        )
        .await;
    assert_eq!(set.header("location"), "/account/?done=password");
    first.absorb(&set);

    let mut second = app.browser().await;
    let wrong = app
        .post_form(
            "/members/password-signin",
            &second.cookies(),
            &[
                ("csrf", &second.csrf),
                ("email", "reader@example.com"),
                ("password", "nope nope nope"),
            ],
        )
        .await;
    assert!(wrong.body.contains("do not match"));
    let right = app
        .post_form(
            "/members/password-signin",
            &second.cookies(),
            &[
                ("csrf", &second.csrf),
                ("email", "reader@example.com"),
                ("password", "a long enough passphrase"),
            ],
        )
        .await;
    assert_eq!(right.status, StatusCode::SEE_OTHER);
    second.absorb(&right);

    let out = app
        .post_form(
            "/members/signout-all",
            &second.cookies(),
            &[("csrf", &second.csrf)],
        )
        .await;
    assert_eq!(out.status, StatusCode::SEE_OTHER);
    for b in [&first, &second] {
        let res = app.get_as("/account/", &b.cookies()).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "every session ended");
        assert!(res.header("location").starts_with("/signin/"));
    }
}

#[tokio::test]
async fn account_changes_name_email_and_deletes() {
    let app = TestApp::demo().await;
    let mut b = app.signed_in("reader@example.com").await;
    app.post_form(
        "/account/name",
        &b.cookies(),
        &[("csrf", &b.csrf), ("name", "Renamed Reader")],
    )
    .await;
    assert!(
        app.get_as("/account/", &b.cookies())
            .await
            .body
            .contains("Renamed Reader")
    );

    let taken = app
        .post_form(
            "/account/email",
            &b.cookies(),
            &[("csrf", &b.csrf), ("email", "subscriber@example.com")],
        )
        .await;
    assert!(
        taken
            .body
            .contains("Another account already uses that address")
    );
    let change = app
        .post_form(
            "/account/email",
            &b.cookies(),
            &[("csrf", &b.csrf), ("email", "moved@example.com")],
        )
        .await;
    assert!(change.body.contains("moved@example.com"));
    let mail = newest_mail(&app.state.config.outbox_dir(), "moved@example.com");
    assert!(mail.contains("Confirm your new email address"));
    let confirmed = app.get_as(&link_in(&mail), &b.cookies()).await;
    assert_eq!(confirmed.header("location"), "/account/?done=email");
    b.absorb(&confirmed);
    assert!(
        app.get_as("/account/", &b.cookies())
            .await
            .body
            .contains("moved@example.com")
    );

    let unconfirmed = app
        .post_form("/account/delete", &b.cookies(), &[("csrf", &b.csrf)])
        .await;
    assert_eq!(
        unconfirmed.header("location"),
        "/account/",
        "nothing deleted without confirmation"
    );
    let deleted = app
        .post_form(
            "/account/delete",
            &b.cookies(),
            &[("csrf", &b.csrf), ("confirm", "yes")],
        )
        .await;
    assert_eq!(deleted.status, StatusCode::SEE_OTHER);
    let email = domain::Email::parse("moved@example.com").unwrap();
    assert!(
        app.state
            .store
            .member_by_email(&email)
            .await
            .unwrap()
            .is_none()
    );
}

#[tokio::test]
async fn redirects_never_leave_the_site() {
    let app = TestApp::demo().await;
    let mut b = app.browser().await;
    app.post_form(
        "/members/signin",
        &b.cookies(),
        &[
            ("csrf", &b.csrf),
            ("email", "reader@example.com"),
            ("redirect", "//evil.example/"),
        ],
    )
    .await;
    let link = link_in(&newest_mail(
        &app.state.config.outbox_dir(),
        "reader@example.com",
    ));
    let res = app.get_as(&link, &b.cookies()).await;
    b.absorb(&res);
    assert_eq!(res.header("location"), "/account/");
}

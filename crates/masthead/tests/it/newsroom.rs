//! The newsroom through HTTP: first-run setup, staff sign-in (passwords, limits, the device
//! code mailed to the outbox), invitations from the outbox, role × action through the routes,
//! the audit log, and the staff cookie kept apart from the member cookie.

use crate::helpers::{Browser, TestApp, TestResponse};
use crate::members::newest_mail;
use axum::http::{Method, StatusCode};

pub const OWNER: &str = "olga@news.example";
pub const PASSWORD: &str = "correct horse battery";

/// A browser that has opened `path` (taking its cookies and the form's CSRF token).
pub async fn open(app: &TestApp, b: &mut Browser, path: &str) -> TestResponse {
    let res = app.get_as(path, &b.cookies()).await;
    b.absorb(&res);
    if let Some(token) = res.attrs("input[name=csrf]", "value").first() {
        b.csrf.clone_from(token);
    }
    res
}

pub async fn post(
    app: &TestApp,
    b: &mut Browser,
    path: &str,
    fields: &[(&str, &str)],
) -> TestResponse {
    let mut all = vec![("csrf", b.csrf.as_str())];
    all.extend_from_slice(fields);
    let res = app.post_form(path, &b.cookies(), &all).await;
    b.absorb(&res);
    res
}

pub fn location(res: &TestResponse) -> &str {
    res.header("location")
}

/// Sets the site up through `/admin/`; returns the owner's browser, signed in.
pub async fn set_up(app: &TestApp) -> Browser {
    let mut b = Browser::default();
    let page = open(app, &mut b, "/admin/").await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(page.texts("h1"), ["Set up your site"]);
    let res = post(
        app,
        &mut b,
        "/admin/setup",
        &[
            ("site_title", "The Review"),
            ("name", "Olga Owner"),
            ("email", OWNER),
            ("password", PASSWORD),
        ],
    )
    .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    assert_eq!(location(&res), "/admin/");
    assert!(b.jar.contains_key("mh_staff") && b.jar.contains_key("mh_staff_device"));
    b
}

/// The six-digit code in the newest device-code mail to `to`.
pub fn code_for(app: &TestApp, to: &str) -> String {
    let mail = newest_mail(&app.state.config.outbox_dir(), to);
    mail.lines()
        .map(str::trim)
        .find(|l| l.len() == 6 && l.bytes().all(|b| b.is_ascii_digit()))
        .expect("a code in the mail")
        .to_owned()
}

/// The path of the invitation link in the newest mail to `to`.
fn invitation_path(app: &TestApp, to: &str) -> String {
    let mail = newest_mail(&app.state.config.outbox_dir(), to);
    let start = mail.find("/admin/invitation/").expect("an invitation link");
    mail[start..]
        .split(|c: char| c.is_whitespace() || c == '"' || c == '<')
        .next()
        .unwrap()
        .to_owned()
}

/// Accepts the invitation mailed to `email`; returns the new staff user's browser.
pub async fn join(app: &TestApp, email: &str, name: &str) -> Browser {
    let mut b = Browser::default();
    let path = invitation_path(app, email);
    let page = open(app, &mut b, &path).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let res = post(
        app,
        &mut b,
        &path,
        &[("name", name), ("password", PASSWORD)],
    )
    .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let again = open(app, &mut Browser::default(), &path).await;
    assert_eq!(
        again.status,
        StatusCode::NOT_FOUND,
        "an invitation works once"
    );
    b
}

#[tokio::test]
async fn first_run_setup_then_the_newsroom_is_private_and_uncached() {
    let app = TestApp::empty().await;
    let mut owner = set_up(&app).await;
    let home = open(&app, &mut owner, "/admin/").await;
    assert_eq!(home.status, StatusCode::OK);
    assert_eq!(home.header("cache-control"), "no-store");
    assert!(home.header("x-robots-tag").contains("noindex"));
    assert!(home.body.contains("Olga Owner"));
    assert_eq!(
        home.texts("nav a"),
        ["Posts", "Pages", "Media", "Staff", "Profile", "Audit"]
    );

    // Setup is over: anyone else is sent to sign in, and a second setup changes nothing.
    let stranger = app.get("/admin/").await;
    assert_eq!(stranger.status, StatusCode::SEE_OTHER);
    assert_eq!(location(&stranger), "/admin/signin/");
    let mut mallory = Browser::default();
    open(&app, &mut mallory, "/admin/signin/").await;
    let res = post(
        &app,
        &mut mallory,
        "/admin/setup",
        &[
            ("site_title", "Mine"),
            ("name", "M"),
            ("email", "m@evil.example"),
            ("password", PASSWORD),
        ],
    )
    .await;
    assert_eq!(location(&res), "/admin/signin/");
    assert!(
        app.state
            .store
            .staff_by_email("m@evil.example")
            .await
            .unwrap()
            .is_none()
    );
    assert!(app.get("/").await.texts("title")[0].contains("The Review"));

    // The stylesheet is served under its content hash, immutable for a year.
    let css = home.attrs("link[rel=stylesheet]", "href").remove(0);
    assert!(
        css.starts_with("/admin/assets/") && css.ends_with("/admin.css"),
        "{css}"
    );
    let served = app.get(&css).await;
    assert_eq!(served.status, StatusCode::OK);
    assert_eq!(
        served.header("cache-control"),
        "public, max-age=31536000, immutable"
    );
    assert!(served.header("content-type").starts_with("text/css"));
    assert_eq!(
        app.get("/admin/assets/0/nothing.css").await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn staff_sign_in_needs_the_password_and_a_mailed_code_on_a_new_device() {
    let app = TestApp::empty().await;
    let owner = set_up(&app).await;

    let mut b = Browser::default();
    open(&app, &mut b, "/admin/signin/").await;
    let wrong = post(
        &app,
        &mut b,
        "/admin/signin/",
        &[("email", OWNER), ("password", "wrong password")],
    )
    .await;
    assert_eq!(wrong.status, StatusCode::BAD_REQUEST);
    assert!(wrong.body.contains("do not match"));
    let unknown = post(
        &app,
        &mut b,
        "/admin/signin/",
        &[("email", "nobody@news.example"), ("password", PASSWORD)],
    )
    .await;
    assert_eq!(
        unknown.texts(".error"),
        wrong.texts(".error"),
        "unknown and wrong answer alike"
    );

    // A browser never verified: a code goes to the outbox.
    let res = post(
        &app,
        &mut b,
        "/admin/signin/",
        &[("email", OWNER), ("password", PASSWORD)],
    )
    .await;
    assert_eq!(location(&res), "/admin/signin/code/");
    assert!(
        !b.jar.contains_key("mh_staff"),
        "not signed in before the code"
    );
    open(&app, &mut b, "/admin/signin/code/").await;
    let bad = post(&app, &mut b, "/admin/signin/code/", &[("code", "000000")]).await;
    assert!(bad.status == StatusCode::BAD_REQUEST, "{}", bad.status);
    let code = code_for(&app, OWNER);
    let res = post(&app, &mut b, "/admin/signin/code/", &[("code", &code)]).await;
    assert_eq!(location(&res), "/admin/", "{}", res.body);
    assert!(b.jar.contains_key("mh_staff") && b.jar.contains_key("mh_staff_device"));
    assert_eq!(open(&app, &mut b, "/admin/").await.status, StatusCode::OK);

    // Signed out, the same (now known) browser goes straight in.
    let out = post(&app, &mut b, "/admin/signout", &[]).await;
    assert_eq!(location(&out), "/admin/signin/");
    assert_eq!(
        app.get_as("/admin/", &b.cookies()).await.status,
        StatusCode::SEE_OTHER
    );
    open(&app, &mut b, "/admin/signin/").await;
    let res = post(
        &app,
        &mut b,
        "/admin/signin/",
        &[("email", OWNER), ("password", PASSWORD)],
    )
    .await;
    assert_eq!(location(&res), "/admin/");

    // The owner's sessions are listed, and one can end another.
    let mut o = owner;
    let profile = open(&app, &mut o, "/admin/profile/").await;
    assert_eq!(profile.count(".sessions li"), 2, "{}", profile.body);
    let owner_id = app
        .state
        .store
        .staff_owner()
        .await
        .unwrap()
        .unwrap()
        .author
        .id;
    assert_eq!(
        app.state
            .store
            .staff_sessions_of(&owner_id, chrono::Utc::now())
            .await
            .unwrap()
            .len(),
        2
    );
    // End the session that is not this browser's.
    let target = profile
        .doc()
        .select(&crate::helpers::sel(".sessions li"))
        .find(|li| !li.text().collect::<String>().contains("this browser"))
        .and_then(|li| {
            li.select(&crate::helpers::sel("input[name=session]"))
                .next()
                .and_then(|i| i.value().attr("value").map(String::from))
        })
        .unwrap();
    let ended = post(
        &app,
        &mut o,
        "/admin/profile/sessions/end",
        &[("session", &target)],
    )
    .await;
    assert_eq!(ended.status, StatusCode::OK);
    assert_eq!(ended.count(".sessions li"), 1);
    assert_eq!(
        app.get_as("/admin/", &b.cookies()).await.status,
        StatusCode::SEE_OTHER,
        "the ended session no longer signs in"
    );
}

#[tokio::test]
async fn password_attempts_are_limited_per_account_and_forms_need_csrf() {
    let app = TestApp::empty().await;
    set_up(&app).await;
    let mut b = Browser::default();
    open(&app, &mut b, "/admin/signin/").await;
    let no_csrf = app
        .post_form(
            "/admin/signin/",
            &b.cookies(),
            &[("email", OWNER), ("password", PASSWORD)],
        )
        .await;
    assert_eq!(no_csrf.status, StatusCode::FORBIDDEN);
    let mut statuses = Vec::new();
    for _ in 0..12 {
        let res = post(
            &app,
            &mut b,
            "/admin/signin/",
            &[("email", OWNER), ("password", "not it at all")],
        )
        .await;
        statuses.push(res.status);
    }
    assert!(
        statuses.contains(&StatusCode::TOO_MANY_REQUESTS),
        "{statuses:?}"
    );
    let right = post(
        &app,
        &mut b,
        "/admin/signin/",
        &[("email", OWNER), ("password", PASSWORD)],
    )
    .await;
    assert_eq!(
        right.status,
        StatusCode::TOO_MANY_REQUESTS,
        "the limit holds for the right password too"
    );
}

#[tokio::test]
async fn invitations_roles_and_the_audit_log_through_the_routes() {
    let app = TestApp::empty().await;
    let mut owner = set_up(&app).await;
    open(&app, &mut owner, "/admin/staff/").await;
    let sent = post(
        &app,
        &mut owner,
        "/admin/staff/invite",
        &[("email", "ed@news.example"), ("role", "editor")],
    )
    .await;
    assert_eq!(sent.status, StatusCode::OK, "{}", sent.body);
    assert!(sent.body.contains("Invitation sent"));
    assert!(
        sent.texts("ul.plain li")
            .iter()
            .any(|l| l.starts_with("ed@news.example")),
        "pending"
    );
    post(
        &app,
        &mut owner,
        "/admin/staff/invite",
        &[("email", "cora@news.example"), ("role", "contributor")],
    )
    .await;

    let mut editor = join(&app, "ed@news.example", "Ed Editor").await;
    assert_eq!(
        open(&app, &mut editor, "/admin/").await.texts("nav a"),
        ["Posts", "Pages", "Media", "Staff", "Profile"]
    );
    open(&app, &mut editor, "/admin/staff/").await;
    let author = post(
        &app,
        &mut editor,
        "/admin/staff/invite",
        &[("email", "al@news.example"), ("role", "author")],
    )
    .await;
    assert_eq!(author.status, StatusCode::OK);
    let admin = post(
        &app,
        &mut editor,
        "/admin/staff/invite",
        &[("email", "ad@news.example"), ("role", "administrator")],
    )
    .await;
    assert_eq!(
        admin.status,
        StatusCode::FORBIDDEN,
        "an editor cannot invite an administrator"
    );
    assert_eq!(
        open(&app, &mut editor, "/admin/audit/").await.status,
        StatusCode::FORBIDDEN
    );

    let mut contributor = join(&app, "cora@news.example", "Cora Contributor").await;
    assert_eq!(
        open(&app, &mut contributor, "/admin/").await.texts("nav a"),
        ["Posts", "Pages", "Media", "Profile"]
    );
    assert_eq!(
        open(&app, &mut contributor, "/admin/staff/").await.status,
        StatusCode::FORBIDDEN
    );
    let tried = post(
        &app,
        &mut contributor,
        "/admin/staff/invite",
        &[("email", "x@news.example"), ("role", "contributor")],
    )
    .await;
    assert_eq!(tried.status, StatusCode::FORBIDDEN);
    let cora = app
        .state
        .store
        .staff_by_email("cora@news.example")
        .await
        .unwrap()
        .unwrap();
    let ed = app
        .state
        .store
        .staff_by_email("ed@news.example")
        .await
        .unwrap()
        .unwrap();
    let suspend_ed = post(
        &app,
        &mut contributor,
        &format!("/admin/staff/{}/status", ed.author.id),
        &[("status", "suspended")],
    )
    .await;
    assert_eq!(suspend_ed.status, StatusCode::FORBIDDEN);

    // The editor manages the contributor: a new role, a suspension that signs her out.
    let promoted = post(
        &app,
        &mut editor,
        &format!("/admin/staff/{}/role", cora.author.id),
        &[("role", "author")],
    )
    .await;
    assert_eq!(promoted.status, StatusCode::OK, "{}", promoted.body);
    let suspended = post(
        &app,
        &mut editor,
        &format!("/admin/staff/{}/status", cora.author.id),
        &[("status", "suspended")],
    )
    .await;
    assert_eq!(suspended.status, StatusCode::OK);
    assert_eq!(
        app.get_as("/admin/", &contributor.cookies()).await.status,
        StatusCode::SEE_OTHER,
        "suspended: signed out"
    );

    // The owner reads it all in the audit log.
    let audit = open(&app, &mut owner, "/admin/audit/").await;
    assert_eq!(audit.status, StatusCode::OK);
    let actions: Vec<String> = audit.texts("tbody tr td:nth-child(3)");
    for action in [
        "staff.setup",
        "staff.invited",
        "staff.joined",
        "staff.role_changed",
        "staff.suspended",
    ] {
        assert!(
            actions.iter().any(|a| a == action),
            "{action} in {actions:?}"
        );
    }
    assert_eq!(actions[0], "staff.suspended", "newest first");
    assert!(
        audit
            .texts("tbody tr")
            .iter()
            .any(|r| r.contains("Ed Editor")
                && r.contains("staff.suspended")
                && r.contains("Cora Contributor"))
    );
}

#[tokio::test]
async fn a_member_session_never_opens_the_newsroom() {
    let app = TestApp::empty().await;
    set_up(&app).await;
    let member = app.signed_in("reader@news.example").await;
    for path in [
        "/admin/",
        "/admin/staff/",
        "/admin/audit/",
        "/admin/profile/",
    ] {
        let res = app.get_as(path, &member.cookies()).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{path}");
        assert_eq!(location(&res), "/admin/signin/");
    }
    let json = app
        .request(
            Method::GET,
            "/admin/staff/",
            &[
                ("cookie", &member.cookies()),
                ("accept", "application/json"),
            ],
        )
        .await;
    assert_eq!(json.status, StatusCode::UNAUTHORIZED);
    assert_eq!(json.header("cache-control"), "no-store");
}

#[tokio::test]
async fn an_authenticator_code_is_asked_once_two_step_verification_is_on() {
    let app = TestApp::empty().await;
    let mut owner = set_up(&app).await;
    let profile = open(&app, &mut owner, "/admin/profile/").await;
    let secret = profile.texts(".totp-secret").remove(0);
    let sealed = profile.attrs("input[name=sealed]", "value").remove(0);
    let code = |secret: &str| {
        let bytes = totp_rs::Secret::Encoded(secret.to_owned())
            .to_bytes()
            .unwrap();
        totp_rs::TOTP::new(totp_rs::Algorithm::SHA1, 6, 1, 30, bytes)
            .unwrap()
            .generate_current()
            .unwrap()
    };
    let wrong = post(
        &app,
        &mut owner,
        "/admin/profile/totp/enable",
        &[("sealed", &sealed), ("code", "000000")],
    )
    .await;
    assert_eq!(wrong.status, StatusCode::BAD_REQUEST);
    let forged = post(
        &app,
        &mut owner,
        "/admin/profile/totp/enable",
        &[("sealed", "x.y"), ("code", &code(&secret))],
    )
    .await;
    assert_eq!(
        forged.status,
        StatusCode::BAD_REQUEST,
        "only a secret this server sealed"
    );
    let on = post(
        &app,
        &mut owner,
        "/admin/profile/totp/enable",
        &[("sealed", &sealed), ("code", &code(&secret))],
    )
    .await;
    assert_eq!(on.status, StatusCode::OK, "{}", on.body);
    assert!(on.body.contains("Two-step verification is on"));

    // Signing in again on this (known) device now asks for the app's code.
    post(&app, &mut owner, "/admin/signout", &[]).await;
    open(&app, &mut owner, "/admin/signin/").await;
    let res = post(
        &app,
        &mut owner,
        "/admin/signin/",
        &[("email", OWNER), ("password", PASSWORD)],
    )
    .await;
    assert_eq!(location(&res), "/admin/signin/totp/");
    assert_eq!(
        app.get_as("/admin/", &owner.cookies()).await.status,
        StatusCode::SEE_OTHER
    );
    open(&app, &mut owner, "/admin/signin/totp/").await;
    for _ in 0..5 {
        let bad = post(
            &app,
            &mut owner,
            "/admin/signin/totp/",
            &[("code", "000000")],
        )
        .await;
        assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    }
    let locked = post(
        &app,
        &mut owner,
        "/admin/signin/totp/",
        &[("code", &code(&secret))],
    )
    .await;
    assert_eq!(
        locked.status,
        StatusCode::TOO_MANY_REQUESTS,
        "five guesses per sign-in"
    );
    open(&app, &mut owner, "/admin/signin/").await;
    post(
        &app,
        &mut owner,
        "/admin/signin/",
        &[("email", OWNER), ("password", PASSWORD)],
    )
    .await;
    open(&app, &mut owner, "/admin/signin/totp/").await;
    let res = post(
        &app,
        &mut owner,
        "/admin/signin/totp/",
        &[("code", &code(&secret))],
    )
    .await;
    assert_eq!(location(&res), "/admin/", "{}", res.body);
    assert_eq!(
        open(&app, &mut owner, "/admin/").await.status,
        StatusCode::OK
    );
    let log = app.state.store.audit_entries(10, None).await.unwrap();
    assert!(log.iter().any(|e| e.action == "staff.totp_enabled"));
    assert!(
        log.iter().all(|e| !e.after.contains(&secret)),
        "the secret is not in the log"
    );
}

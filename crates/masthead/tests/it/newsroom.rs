//! The newsroom through HTTP: first-run setup, staff sign-in (passwords, limits, the device
//! code mailed to the outbox), invitations from the outbox, role × action through the routes,
//! the audit log, and the staff cookie kept apart from the member cookie.

use crate::helpers::{Browser, TestApp, TestResponse};
use crate::members::newest_mail;
use axum::http::{Method, StatusCode};

mod signin;

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
        [
            "Dashboard",
            "Posts",
            "Pages",
            "Tags",
            "Media",
            "Members",
            "Staff",
            "Profile",
            "Navigation",
            "Tiers",
            "Offers",
            "Settings",
            "Integrations",
            "Audit"
        ]
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
        ["Posts", "Pages", "Tags", "Media", "Staff", "Profile"]
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

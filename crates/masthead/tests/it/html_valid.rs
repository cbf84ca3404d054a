//! Every page type of the demo is valid HTML by the Nu HTML Checker (`vnu.jar` from npm's
//! `vnu-jar`, run once with Java over all pages): home and page 2, a static page, articles public,
//! members-only and paid (anonymous, and as a member who may read them), tag, author, search
//! (with and without results), sign-in, sign-up, the account page signed in (free and paid), and
//! the 404 page; and the newsroom's pages, signed in as the owner. Errors fail the test;
//! warnings are printed but allowed (see `ALLOWED_WARNINGS`).

use crate::helpers::external::{available, workspace};
use crate::helpers::{Browser, TestApp};
use crate::newsroom;
use axum::http::StatusCode;
use chrono::Utc;
use domain::PostKind;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;
use store::query::{Cond, PostField, Test};
use store::{Scope, Window};

/// Where `npm ci` in `tests/html-valid` puts the checker.
fn vnu_jar() -> PathBuf {
    workspace().join("tests/html-valid/node_modules/vnu-jar/build/dist/vnu.jar")
}

/// What the checker needs and does not find, each with how `.ci/run` provides it.
fn missing() -> Vec<String> {
    let mut missing = Vec::new();
    let java = Command::new("java").arg("-version").output();
    if java.map_or(true, |o| !o.status.success()) {
        missing.push("`java` on PATH (.ci/run installs Debian's default-jre-headless)".into());
    }
    if !vnu_jar().is_file() {
        missing.push(
            "tests/html-valid/node_modules/vnu-jar (.ci/run runs `npm ci` in tests/html-valid)"
                .into(),
        );
    }
    missing
}

/// Warnings the checker may report without failing the test. None so far: each one added here
/// needs a reason.
const ALLOWED_WARNINGS: &[&str] = &[];

#[tokio::test]
async fn every_page_type_is_valid_html() {
    if !available("the HTML validity test (java/vnu)", missing()) {
        return;
    }
    let app = TestApp::demo().await;
    assert_valid(&collect_pages(&app).await);
}

/// The newsroom's pages are valid HTML too: home, posts and pages lists, a new post, the
/// editor of a saved post, its revisions and preview chooser, the calendar, staff, profile,
/// the audit log, tags (list, new, edit, delete), navigation, members (list, bulk
/// confirmation, a member, ending a comp, labels), and the sign-in page.
#[tokio::test]
async fn every_newsroom_page_is_valid_html() {
    if !available("the HTML validity test (java/vnu)", missing()) {
        return;
    }
    let app = TestApp::demo().await;
    let mut owner = newsroom::set_up(&app).await;
    newsroom::open(&app, &mut owner, "/admin/posts/new/").await;
    let made = newsroom::post(
        &app,
        &mut owner,
        "/admin/posts/new/",
        &[
            ("title", "Valid from top to bottom"),
            ("markdown", "Free.\n\n<!--members-only-->\n\nGated."),
            ("visibility", "paid"),
        ],
    )
    .await;
    assert_eq!(made.status, StatusCode::SEE_OTHER, "{}", made.body);
    let edit = newsroom::location(&made)
        .trim_end_matches("?saved=1")
        .to_owned();
    let tag = app.state.store.tags().await.unwrap()[0].id.clone();
    let (comped, label) = members_console_fixtures(&app).await;
    let mut pages = Vec::new();
    for (name, path) in [
        ("admin-home", "/admin/".to_owned()),
        ("admin-posts", "/admin/posts/".into()),
        ("admin-pages", "/admin/pages/".into()),
        ("admin-new-post", "/admin/posts/new/".into()),
        ("admin-editor", edit.clone()),
        ("admin-revisions", format!("{edit}revisions/")),
        ("admin-preview", format!("{edit}preview/?as=free")),
        ("admin-calendar", "/admin/posts/calendar/".into()),
        ("admin-staff", "/admin/staff/".into()),
        ("admin-profile", "/admin/profile/".into()),
        ("admin-audit", "/admin/audit/".into()),
        ("admin-tags", "/admin/tags/".into()),
        ("admin-new-tag", "/admin/tags/new/".into()),
        ("admin-tag", format!("/admin/tags/{tag}/")),
        ("admin-tag-delete", format!("/admin/tags/{tag}/delete")),
        ("admin-navigation", "/admin/navigation/".into()),
        ("admin-members", "/admin/members/".into()),
        (
            "admin-members-bulk",
            "/admin/members/bulk?action=delete".into(),
        ),
        ("admin-member", format!("/admin/members/{comped}/")),
        (
            "admin-member-comp-end",
            format!("/admin/members/{comped}/comp/end"),
        ),
        ("admin-member-labels", "/admin/members/labels/".into()),
        (
            "admin-member-label",
            format!("/admin/members/labels/{label}/"),
        ),
        (
            "admin-member-label-delete",
            format!("/admin/members/labels/{label}/delete"),
        ),
    ] {
        let res = newsroom::open(&app, &mut owner, &path).await;
        assert_eq!(res.status, StatusCode::OK, "{path}: {}", res.body);
        pages.push((name.to_owned(), res.body));
    }
    let signin = app.get_as("/admin/signin/", "").await;
    pages.push(("admin-signin".to_owned(), signin.body));
    assert_valid(&pages);
}

/// The demo's comped member (id), given a label (id), for the members console's pages.
async fn members_console_fixtures(app: &TestApp) -> (String, String) {
    use masthead::ops::{members_console, staff::Actor};
    let ops = app.state.ops();
    let label = members_console::create_label(&ops, Actor::Console, "VIP")
        .await
        .unwrap();
    let email = domain::Email::parse("subscriber@example.com").unwrap();
    let member = app
        .state
        .store
        .member_by_email(&email)
        .await
        .unwrap()
        .unwrap();
    members_console::set_labels(&ops, Actor::Console, &member.id, &["VIP".into()])
        .await
        .unwrap();
    (member.id, label.id)
}

/// Writes `pages` (file name, HTML) to a temporary folder, checks them all in one vnu run and
/// fails on any error or warning not allowed.
fn assert_valid(pages: &[(String, String)]) {
    let dir = tempfile::tempdir().expect("temp dir for pages");
    let files: Vec<PathBuf> = pages
        .iter()
        .map(|(name, html)| {
            let file = dir.path().join(format!("{name}.html"));
            std::fs::write(&file, html).expect("write page");
            file
        })
        .collect();
    let messages = check(&files);
    let mut errors = Vec::new();
    for m in &messages {
        let page = page_name(m);
        let text = format!(
            "{page}:{}: {} [{}]",
            m["lastLine"],
            m["message"].as_str().unwrap_or("?"),
            m["extract"].as_str().unwrap_or("").trim()
        );
        match (m["type"].as_str(), m["subType"].as_str()) {
            (Some("info"), Some("warning")) => {
                let allowed = ALLOWED_WARNINGS
                    .iter()
                    .any(|w| m["message"].as_str().is_some_and(|t| t.contains(w)));
                println!("warning: {text}");
                if !allowed {
                    errors.push(format!("warning not allowed: {text}"));
                }
            }
            (Some("info"), _) => println!("info: {text}"),
            _ => errors.push(text),
        }
    }
    println!("vnu checked {} pages", files.len());
    assert!(
        errors.is_empty(),
        "{} problems:\n{}",
        errors.len(),
        errors.join("\n")
    );
}

/// Runs vnu once over every file (one JVM start) and returns its messages.
fn check(files: &[PathBuf]) -> Vec<Value> {
    let out = Command::new("java")
        .arg("-jar")
        .arg(vnu_jar())
        .args(["--format", "json", "--stdout", "--exit-zero-always"])
        .args(files)
        .output()
        .expect("run java -jar vnu.jar");
    let report: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "vnu printed no JSON ({e}):\n{}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    });
    report["messages"].as_array().cloned().unwrap_or_default()
}

/// The page a message is about: its file name without the directory and `.html`.
fn page_name(m: &Value) -> String {
    let url = m["url"].as_str().unwrap_or("?");
    Path::new(url)
        .file_stem()
        .map_or(url.to_owned(), |s| s.to_string_lossy().into_owned())
}

/// The slug of a live demo post of `visibility`, and its section and first author.
async fn demo_post(app: &TestApp, visibility: &str) -> (String, String, String) {
    let filter = Cond::Test {
        field: PostField::Visibility,
        negated: false,
        test: Test::Eq(store::query::Value::Text(visibility.into())),
    };
    let window = Window {
        limit: 1,
        offset: 0,
    };
    let posts = app
        .state
        .store
        .browse_posts(
            PostKind::Post,
            Scope::Live(Utc::now()),
            &filter,
            &[],
            window,
        )
        .await
        .expect("browse posts");
    let post = posts
        .first()
        .unwrap_or_else(|| panic!("the demo has a {visibility} post"));
    (
        post.slug.to_string(),
        post.tags[0].slug.to_string(),
        post.authors[0].slug.to_string(),
    )
}

/// A demo page (an About or Contact page).
async fn demo_page(app: &TestApp) -> String {
    let all = Cond::All(vec![]);
    let window = Window {
        limit: 1,
        offset: 0,
    };
    let pages = app
        .state
        .store
        .browse_posts(PostKind::Page, Scope::Live(Utc::now()), &all, &[], window)
        .await
        .expect("browse pages");
    pages.first().expect("the demo has a page").slug.to_string()
}

/// Every page type, as (file name, HTML), each fetched as the reader it is meant for.
async fn collect_pages(app: &TestApp) -> Vec<(String, String)> {
    let (public, section, author) = demo_post(app, "public").await;
    let (members, _, _) = demo_post(app, "members").await;
    let (paid, _, _) = demo_post(app, "paid").await;
    let page = demo_page(app).await;
    let anonymous = Browser::default();
    let free = app.signed_in("valid.free@example.com").await;
    let subscriber = app.signed_in("valid.paid@example.com").await;
    app.comp("valid.paid@example.com", "subscriber-plus").await;
    let visits: Vec<(&str, String, &Browser, StatusCode)> = vec![
        ("home", "/".into(), &anonymous, StatusCode::OK),
        ("home-page-2", "/page/2/".into(), &anonymous, StatusCode::OK),
        (
            "static-page",
            format!("/{page}/"),
            &anonymous,
            StatusCode::OK,
        ),
        (
            "article-public",
            format!("/{public}/"),
            &anonymous,
            StatusCode::OK,
        ),
        (
            "article-members-anonymous",
            format!("/{members}/"),
            &anonymous,
            StatusCode::OK,
        ),
        (
            "article-members-member",
            format!("/{members}/"),
            &free,
            StatusCode::OK,
        ),
        (
            "article-paid-anonymous",
            format!("/{paid}/"),
            &anonymous,
            StatusCode::OK,
        ),
        (
            "article-paid-free-member",
            format!("/{paid}/"),
            &free,
            StatusCode::OK,
        ),
        (
            "article-paid-subscriber",
            format!("/{paid}/"),
            &subscriber,
            StatusCode::OK,
        ),
        (
            "tag",
            format!("/tag/{section}/"),
            &anonymous,
            StatusCode::OK,
        ),
        (
            "author",
            format!("/author/{author}/"),
            &anonymous,
            StatusCode::OK,
        ),
        (
            "search",
            "/search/?q=china".into(),
            &anonymous,
            StatusCode::OK,
        ),
        (
            "search-empty",
            "/search/?q=zzqxv".into(),
            &anonymous,
            StatusCode::OK,
        ),
        ("search-form", "/search/".into(), &anonymous, StatusCode::OK),
        ("signin", "/signin/".into(), &anonymous, StatusCode::OK),
        ("signup", "/signup/".into(), &anonymous, StatusCode::OK),
        ("account-free", "/account/".into(), &free, StatusCode::OK),
        (
            "account-paid",
            "/account/".into(),
            &subscriber,
            StatusCode::OK,
        ),
        (
            "not-found",
            "/no-such-page/".into(),
            &anonymous,
            StatusCode::NOT_FOUND,
        ),
    ];
    let mut pages = Vec::new();
    for (name, path, reader, status) in visits {
        let res = app.get_as(&path, &reader.cookies()).await;
        assert_eq!(res.status, status, "{name}: {path}");
        assert!(
            res.header("content-type").starts_with("text/html"),
            "{name}: {path} is HTML"
        );
        pages.push((name.to_owned(), res.body));
    }
    pages
}

//! Code injection (issue 16 §3): an administrator's header and footer code reaches every theme
//! page, and the page's Content-Security-Policy lets exactly that code run — its inline scripts
//! and styles by hash, its external scripts' origins — and nothing else; the console and the
//! pages of a site without code keep the strict policy.

use crate::ghost_content::content_key;
use crate::helpers::TestApp;
use crate::newsroom::{location, open, post, set_up};
use base64::Engine;
use sha2::{Digest, Sha256};

const HEAD: &str = "<script>window.pressRoom = 'ready';</script>\
    <script src=\"https://stats.example.org/count.js\" defer></script>\
    <style>.site-header { border-top: 4px solid #0b4f6c }</style>";
const FOOT: &str = "<script>document.body.dataset.footer = 'on';</script>";

fn hash(text: &str) -> String {
    let digest = Sha256::digest(text.as_bytes());
    format!(
        "'sha256-{}'",
        base64::engine::general_purpose::STANDARD.encode(digest)
    )
}

fn directive<'a>(policy: &'a str, name: &str) -> &'a str {
    policy
        .split(';')
        .map(str::trim)
        .find(|d| d.starts_with(&format!("{name} ")))
        .unwrap_or_else(|| panic!("no {name} in {policy}"))
}

#[tokio::test]
async fn injected_code_is_printed_and_allowed_by_hash_only() {
    let app =
        TestApp::demo_with_settings(&[("codeinjection_head", HEAD), ("codeinjection_foot", FOOT)])
            .await;
    let key = content_key(&app).await;
    let posts = app
        .get(&format!(
            "/ghost/api/content/posts/?key={key}&filter=visibility:public&limit=1&fields=slug"
        ))
        .await;
    let posts: serde_json::Value = serde_json::from_str(&posts.body).unwrap();
    let slug = posts["posts"][0]["slug"].as_str().unwrap().to_owned();
    for path in ["/".to_owned(), format!("/{slug}/"), "/signin/".to_owned()] {
        // Twice: the second answer may come from the page cache and must keep its policy.
        for _ in 0..2 {
            let page = app.get(&path).await;
            let head = page.body.split("</head>").next().unwrap();
            assert!(head.contains(HEAD), "{path}: the header code is in <head>");
            let (_, body) = page.body.split_once("<body").unwrap();
            assert!(body.contains(FOOT), "{path}: the footer code is in <body>");
            let policy = page.header("content-security-policy");
            assert_eq!(
                directive(policy, "script-src"),
                format!(
                    "script-src 'self' {} {} https://stats.example.org",
                    hash("window.pressRoom = 'ready';"),
                    hash("document.body.dataset.footer = 'on';")
                ),
                "{path}"
            );
            assert_eq!(
                directive(policy, "style-src"),
                format!(
                    "style-src 'self' {}",
                    hash(".site-header { border-top: 4px solid #0b4f6c }")
                )
            );
            assert_eq!(
                directive(policy, "connect-src"),
                "connect-src 'self' https://stats.example.org"
            );
            assert!(!policy.contains("unsafe-inline"), "{policy}");
        }
    }
    // The Content API gives headless themes the same code.
    let settings = app
        .get(&format!("/ghost/api/content/settings/?key={key}"))
        .await;
    let json: serde_json::Value = serde_json::from_str(&settings.body).unwrap();
    assert_eq!(json["settings"]["codeinjection_head"], HEAD);
    assert_eq!(json["settings"]["codeinjection_foot"], FOOT);

    // The console never prints the code and keeps the strict policy.
    let mut owner = set_up(&app).await;
    let console = open(&app, &mut owner, "/admin/posts/").await;
    assert!(!console.body.contains("window.pressRoom = 'ready'"));
    assert_eq!(
        directive(console.header("content-security-policy"), "script-src"),
        "script-src 'self'"
    );
}

#[tokio::test]
async fn code_saved_in_the_console_changes_the_policy_at_once_and_emptying_it_restores_it() {
    let app = TestApp::demo().await;
    let strict = app.get("/").await;
    assert_eq!(
        directive(strict.header("content-security-policy"), "script-src"),
        "script-src 'self'"
    );
    let mut owner = set_up(&app).await;
    open(&app, &mut owner, "/admin/settings/").await;
    let res = post(
        &app,
        &mut owner,
        "/admin/settings/advanced",
        &[
            ("default_author", ""),
            ("robots_extra", ""),
            ("codeinjection_head", "<script>window.a = 1;</script>"),
            ("codeinjection_foot", ""),
        ],
    )
    .await;
    assert_eq!(location(&res), "/admin/settings/?saved=advanced#advanced");
    let page = app.get("/").await;
    assert!(page.body.contains("<script>window.a = 1;</script>"));
    assert_eq!(
        directive(page.header("content-security-policy"), "script-src"),
        format!("script-src 'self' {}", hash("window.a = 1;"))
    );

    open(&app, &mut owner, "/admin/settings/").await;
    post(
        &app,
        &mut owner,
        "/admin/settings/advanced",
        &[
            ("default_author", ""),
            ("robots_extra", ""),
            ("codeinjection_head", ""),
            ("codeinjection_foot", ""),
        ],
    )
    .await;
    let page = app.get("/").await;
    assert!(!page.body.contains("window.a = 1;"));
    assert_eq!(
        directive(page.header("content-security-policy"), "script-src"),
        "script-src 'self'"
    );
}

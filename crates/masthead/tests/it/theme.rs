//! `--theme DIR`: a theme folder replaces the built-in one; a broken one is refused clearly.

use crate::helpers::{TestApp, config};
use axum::http::StatusCode;
use masthead::config::Config;

fn write(dir: &std::path::Path, name: &str, text: &str) {
    let path = dir.join(name);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

#[tokio::test]
async fn a_theme_folder_overrides_the_default_theme() {
    let theme = tempfile::tempdir().unwrap();
    write(
        theme.path(),
        "default.hbs",
        "<!doctype html><title>{{meta.title}}</title><body class=custom>{{{body}}}</body>",
    );
    write(
        theme.path(),
        "index.hbs",
        "{{!< default}}<h1>Custom home of {{site.title}}</h1>{{#each latest}}<p>{{title}}</p>{{/each}}",
    );
    write(
        theme.path(),
        "post.hbs",
        "{{!< default}}<h1>{{post.title}}</h1>{{{post.html}}}",
    );
    write(
        theme.path(),
        "error.hbs",
        "{{!< default}}<h1>Custom {{error.status}}</h1>",
    );
    write(theme.path(), "assets/site.css", "body{color:red}");
    let dir = tempfile::tempdir().unwrap();
    let path = theme.path().to_owned();
    let app = TestApp::boot_with(dir, |c| Config {
        theme_dir: Some(path),
        ..c
    })
    .await;
    let home = app.get("/").await;
    assert!(
        home.body
            .contains("<body class=custom><h1>Custom home of Masthead</h1>"),
        "{}",
        home.body
    );
    let nf = app.get("/missing/").await;
    assert_eq!(nf.status, StatusCode::NOT_FOUND);
    assert!(nf.body.contains("Custom 404"));
    let css = app.get("/assets/site.css").await;
    assert_eq!(css.body, "body{color:red}");
}

#[tokio::test]
async fn a_broken_theme_is_refused_with_a_reason() {
    let theme = tempfile::tempdir().unwrap();
    write(theme.path(), "default.hbs", "{{{body}}}");
    write(theme.path(), "index.hbs", "{{#if}}unclosed");
    let dir = tempfile::tempdir().unwrap();
    let cfg = Config {
        theme_dir: Some(theme.path().to_owned()),
        ..config(dir.path())
    };
    let err = masthead::serve::state(cfg)
        .await
        .err()
        .expect("broken theme refused");
    let message = format!("{err:#}");
    assert!(
        message.contains("cannot be used") && message.contains("index.hbs"),
        "{message}"
    );
}

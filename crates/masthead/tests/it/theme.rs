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
    let err = masthead::state::build(cfg)
        .await
        .err()
        .expect("broken theme refused");
    let message = format!("{err:#}");
    assert!(
        message.contains("cannot be used") && message.contains("index.hbs"),
        "{message}"
    );
}

/// Cookies of a signed-in member called `name`.
async fn member_named(app: &TestApp, email: &str, name: &str) -> String {
    let parsed = domain::Email::parse(email).unwrap();
    let id = masthead::compose::new_id();
    let store = &app.state.store;
    store
        .create_member(&id, &parsed, name, chrono::Utc::now())
        .await
        .unwrap();
    app.signed_in(email).await.cookies()
}

/// What the theme printed between `<p class=who>` and `</p>`, as sent.
fn who(res: &crate::helpers::TestResponse) -> &str {
    let start = res.body.find("<p class=who>").expect("the member line") + 13;
    let len = res.body[start..].find("</p>").unwrap();
    &res.body[start..start + len]
}

#[tokio::test]
async fn a_theme_printing_member_fields_shows_each_member_only_their_own() {
    let theme = tempfile::tempdir().unwrap();
    let line = "<p class=who>{{@root.member.name}} / {{member.email}}</p>";
    write(
        theme.path(),
        "default.hbs",
        "<!doctype html><body>{{{body}}}</body>",
    );
    write(
        theme.path(),
        "index.hbs",
        &format!("{{{{!< default}}}}{line}{{{{#each latest}}}}<p>{{{{title}}}}</p>{{{{/each}}}}"),
    );
    write(
        theme.path(),
        "post.hbs",
        &format!("{{{{!< default}}}}<h1>{{{{post.title}}}}</h1>{line}{{{{{{post.html}}}}}}"),
    );
    write(
        theme.path(),
        "error.hbs",
        "{{!< default}}<h1>{{error.status}}</h1>",
    );
    // Signing in (as the tests do) needs a form with the CSRF token.
    write(
        theme.path(),
        "signin.hbs",
        "{{!< default}}<form><input name=csrf value=\"{{csrf}}\"></form>",
    );
    let path = theme.path().to_owned();
    let themed = |cache_mb| {
        let path = path.clone();
        move |c: Config| Config {
            theme_dir: Some(path),
            cache_mb,
            ..c
        }
    };
    let app = TestApp::demo_with(themed(masthead::config::DEFAULT_CACHE_MB)).await;
    // A name Handlebars has to escape, to check the stored page fills it in as it would.
    let (ann_name, bob_name) = ("Ann \"O'Hara\" <b>&amp;", "Bob Byline");
    let ann = member_named(&app, "ann@example.com", ann_name).await;
    let bob = member_named(&app, "bob@example.com", bob_name).await;
    let article = app
        .state
        .store
        .list_posts(&store::PostFilter::posts(), 50, 0, chrono::Utc::now())
        .await
        .unwrap()
        .into_iter()
        .find(|p| p.visibility.is_public())
        .expect("a public story in the demo");
    let article = format!("/{}/", article.slug);
    let escaped = |s: &str| render::html_escape(s);
    for path in ["/", article.as_str()] {
        let mut outcomes = Vec::new();
        for round in 0..2 {
            for (cookies, (mine, theirs)) in [
                (&ann, (("ann@example.com", ann_name), ("bob@", bob_name))),
                (&bob, (("bob@example.com", bob_name), ("ann@", ann_name))),
            ] {
                let res = app.get_as(path, cookies).await;
                assert_eq!(res.status, StatusCode::OK, "{path}");
                let expected = format!("{} / {}", escaped(mine.1), escaped(mine.0));
                assert_eq!(who(&res), expected, "{path}, round {round}");
                assert!(
                    !res.body.contains(theirs.0) && !res.body.contains(&escaped(theirs.1)),
                    "{path}: the other member's details"
                );
                outcomes.push(res.header("x-masthead-cache").to_owned());
            }
        }
        // One render, stored and shared by the class: the rest are hits with their own details.
        assert_eq!(outcomes, ["miss", "hit", "hit", "hit"], "{path}");
        let anonymous = app.get(path).await;
        assert_eq!(who(&anonymous), " / ", "{path}: nobody's details");
    }
    // Without the page cache, Handlebars itself escapes the values: the same text.
    let uncached = TestApp::demo_with(themed(0)).await;
    let ann = member_named(&uncached, "ann@example.com", ann_name).await;
    let res = uncached.get_as("/", &ann).await;
    assert_eq!(
        who(&res),
        format!("{} / ann@example.com", escaped(ann_name))
    );
}

//! Settings and integrations in the console (issue 16 §3): an administrator's save reaches the
//! reading site at once, a bad value is refused next to its field and nothing is saved, an API
//! key's secret is shown once, and editors are refused every settings and integrations route.

use crate::helpers::TestApp;
use crate::newsroom::{location, open, post, set_up};
use crate::newsroom_tags::staff_member;
use axum::http::StatusCode;

#[tokio::test]
async fn a_saved_title_reaches_the_site_and_a_bad_colour_saves_nothing() {
    let app = TestApp::demo().await;
    let mut owner = set_up(&app).await;
    let page = open(&app, &mut owner, "/admin/settings/").await;
    assert_eq!(page.status, StatusCode::OK);
    for group in ["General", "Design", "Membership", "Access", "Advanced"] {
        assert!(page.texts("h2").iter().any(|h| h == group), "{group}");
    }

    let res = post(
        &app,
        &mut owner,
        "/admin/settings/general",
        &[
            ("title", "The Gazette of Record"),
            ("description", "Reporting that lasts"),
            ("language", "en"),
            ("timezone", "Europe/London"),
        ],
    )
    .await;
    assert_eq!(location(&res), "/admin/settings/?saved=general#general");
    let home = app.get("/").await;
    assert!(
        home.body.contains("The Gazette of Record"),
        "the site shows the new title"
    );

    // Yellow on white is unreadable: refused, and the design group keeps its old value.
    open(&app, &mut owner, "/admin/settings/").await;
    let res = post(
        &app,
        &mut owner,
        "/admin/settings/design",
        &[("accent_color", "#ffff00")],
    )
    .await;
    assert_ne!(
        res.status,
        StatusCode::SEE_OTHER,
        "a low-contrast colour is refused"
    );
    assert!(
        res.body.contains("#ffff00"),
        "what was typed stays in the field"
    );
    assert!(res.body.to_lowercase().contains("contrast"), "{}", res.body);
    let again = open(&app, &mut owner, "/admin/settings/").await;
    assert!(
        again
            .attrs("input[name=accent_color]", "value")
            .iter()
            .all(|v| v != "#ffff00"),
        "nothing was saved"
    );
}

#[tokio::test]
async fn an_api_key_secret_is_shown_once() {
    let app = TestApp::demo().await;
    let mut owner = set_up(&app).await;
    open(&app, &mut owner, "/admin/integrations/").await;
    let res = post(
        &app,
        &mut owner,
        "/admin/integrations/keys",
        &[("name", "Zapier"), ("kind", "admin")],
    )
    .await;
    assert_eq!(res.status, StatusCode::OK);
    assert!(res.body.contains("Zapier"));
    let secret = res
        .attrs("#new-key-secret", "value")
        .pop()
        .expect("the new secret is shown");
    assert!(secret.len() >= 24, "{secret}");
    let later = open(&app, &mut owner, "/admin/integrations/").await;
    assert!(later.body.contains("Zapier"), "the key is listed");
    assert!(
        !later.body.contains(&secret),
        "the secret is never shown again"
    );
}

#[tokio::test]
async fn editors_are_refused_settings_and_integrations() {
    let app = TestApp::demo().await;
    let mut owner = set_up(&app).await;
    let mut editor = staff_member(&app, &mut owner, "editor@news.example", "editor").await;
    for path in ["/admin/settings/", "/admin/integrations/"] {
        let res = open(&app, &mut editor, path).await;
        assert_eq!(res.status, StatusCode::FORBIDDEN, "{path}");
    }
    let res = post(
        &app,
        &mut editor,
        "/admin/settings/general",
        &[("title", "Taken over")],
    )
    .await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    let res = post(
        &app,
        &mut editor,
        "/admin/integrations/keys",
        &[("name", "Mine"), ("kind", "admin")],
    )
    .await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    assert!(!app.get("/").await.body.contains("Taken over"));
}

#[tokio::test]
async fn membership_settings_set_new_posts_visibility_and_close_free_sign_ups() {
    let app = TestApp::demo().await;
    let mut owner = set_up(&app).await;
    open(&app, &mut owner, "/admin/settings/").await;
    let res = post(
        &app,
        &mut owner,
        "/admin/settings/membership",
        &[
            ("members_signup_access", "invite"),
            ("default_content_visibility", "members"),
            ("paid_tier_name", "Subscriber+"),
            ("gift_quota", "10"),
        ],
    )
    .await;
    assert_eq!(
        location(&res),
        "/admin/settings/?saved=membership#membership"
    );
    let new_post = open(&app, &mut owner, "/admin/posts/new/").await;
    assert_eq!(
        new_post.attrs("input[name=visibility][checked]", "value"),
        ["members"],
        "a new post starts with the default visibility"
    );

    let mut b = app.browser().await;
    open(&app, &mut b, "/signup/").await;
    let sent = app
        .post_form(
            "/members/signup",
            &b.cookies(),
            &[
                ("csrf", &b.csrf),
                ("email", "uninvited@example.com"),
                ("name", "Una"),
                ("tier", "free"),
                ("redirect", "/"),
            ],
        )
        .await;
    assert!(sent.body.contains("by invitation only"), "{}", sent.body);
    let outbox = app.state.config.outbox_dir();
    let mailed = std::fs::read_dir(&outbox).map_or(0, |d| {
        d.filter_map(Result::ok)
            .filter(|f| {
                std::fs::read_to_string(f.path()).is_ok_and(|m| m.contains("uninvited@example.com"))
            })
            .count()
    });
    assert_eq!(mailed, 0, "no sign-up link was sent");
}

#[tokio::test]
async fn the_default_theme_shows_the_accent_colour_footer_links_and_social_profiles() {
    let app = TestApp::demo().await;
    let mut owner = set_up(&app).await;
    let before = app.get("/").await;
    assert!(
        before
            .attrs("footer a", "href")
            .contains(&"/about/".to_owned())
    );
    assert!(
        !before.body.contains("/accent.css"),
        "no accent stylesheet until one is chosen"
    );

    open(&app, &mut owner, "/admin/settings/").await;
    let res = post(
        &app,
        &mut owner,
        "/admin/settings/design",
        &[
            ("accent_color", "#1A5E20"),
            (
                "secondary_navigation",
                "Masthead staff | /staff/\nCorrections | /corrections/",
            ),
        ],
    )
    .await;
    assert_eq!(location(&res), "/admin/settings/?saved=design#design");
    open(&app, &mut owner, "/admin/settings/").await;
    let res = post(
        &app,
        &mut owner,
        "/admin/settings/general",
        &[
            ("twitter", "@thereview"),
            ("mastodon", "https://social.example/@review"),
        ],
    )
    .await;
    assert_eq!(location(&res), "/admin/settings/?saved=general#general");

    let home = app.get("/").await;
    let sheets = home.attrs("link[rel=stylesheet]", "href");
    assert!(
        sheets.contains(&"/accent.css?c=1a5e20".to_owned()),
        "{sheets:?}"
    );
    let css = app.get("/accent.css?c=1a5e20").await;
    assert_eq!(css.status, StatusCode::OK);
    assert!(css.body.contains("--accent: #1a5e20"), "{}", css.body);
    assert_eq!(
        app.get("/accent.css?c=ffff00").await.status,
        StatusCode::NOT_FOUND,
        "an unreadable colour is never served"
    );
    let footer = home.attrs("footer a", "href");
    for href in [
        "/staff/",
        "/corrections/",
        "https://x.com/thereview",
        "https://social.example/@review",
    ] {
        assert!(footer.contains(&href.to_owned()), "{href} in {footer:?}");
    }
    assert!(
        !footer.contains(&"/about/".to_owned()),
        "the set links replace the theme's"
    );
}

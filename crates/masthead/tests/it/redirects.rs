//! Redirect targets that reach the sign-in flows from a URL or form: only paths on this site
//! come out as `Location` (the full table of forms is the unit test of `safe_redirect`).

use crate::helpers::TestApp;
use crate::members::{link_in, newest_mail};
use axum::http::StatusCode;

const TRICKY: [&str; 6] = [
    "/\t/evil.example",
    "//evil.example/",
    "/\\evil.example",
    "/%2F%2Fevil.example",
    "https://evil.example/",
    "/\u{3000}evil.example",
];

#[tokio::test]
async fn sign_in_by_link_never_redirects_off_the_site() {
    let app = TestApp::demo().await;
    for (i, target) in TRICKY.iter().enumerate() {
        // One address per form, so the per-address limit does not interfere.
        let email = format!("reader{i}@example.com");
        let b = app.browser().await;
        app.post_form(
            "/members/signin",
            &b.cookies(),
            &[("csrf", &b.csrf), ("email", &email), ("redirect", target)],
        )
        .await;
        let link = link_in(&newest_mail(&app.state.config.outbox_dir(), &email));
        let res = app.get_as(&link, &b.cookies()).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{target:?}");
        assert_eq!(res.header("location"), "/account/", "{target:?}");
    }
}

#[tokio::test]
async fn password_sign_in_never_redirects_off_the_site() {
    let app = TestApp::demo().await;
    let b = app.signed_in("reader@example.com").await;
    let set = app
        .post_form(
            "/account/password",
            &b.cookies(),
            &[("csrf", &b.csrf), ("password", "a long enough passphrase")],
        )
        .await;
    assert_eq!(set.status, StatusCode::SEE_OTHER);
    for target in TRICKY {
        let other = app.browser().await;
        let res = app
            .post_form(
                "/members/password-signin",
                &other.cookies(),
                &[
                    ("csrf", &other.csrf),
                    ("email", "reader@example.com"),
                    ("password", "a long enough passphrase"),
                    ("redirect", target),
                ],
            )
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{target:?}");
        assert_eq!(res.header("location"), "/account/", "{target:?}");
    }
}

//! Sessions after a credential change (other browsers signed out, this one rotated, the old
//! address told) and the absolute lifetime of a session.

use crate::helpers::{Browser, TestApp};
use crate::members::{link_in, newest_mail};
use axum::http::StatusCode;
use chrono::{Duration, Utc};
use masthead::members::crypto::hash;

/// Whether `b` is signed in, judged by the account page.
async fn signed_in(app: &TestApp, b: &Browser) -> bool {
    let res = app.get_as("/account/", &b.cookies()).await;
    match res.status {
        StatusCode::OK => true,
        StatusCode::SEE_OTHER if res.header("location").starts_with("/signin/") => false,
        other => panic!("account page answered {other}"),
    }
}

#[tokio::test]
async fn setting_a_password_signs_out_the_other_browsers_and_tells_the_member() {
    let app = TestApp::demo().await;
    let email = "reader@example.com";
    let mut first = app.signed_in(email).await;
    let second = app.signed_in(email).await;
    let before = first.clone();
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
    assert_ne!(
        first.jar["mh_session"], before.jar["mh_session"],
        "the session id rotates"
    );

    assert!(
        signed_in(&app, &first).await,
        "this browser stays signed in"
    );
    assert!(
        !signed_in(&app, &before).await,
        "the old session id is dead"
    );
    assert!(
        !signed_in(&app, &second).await,
        "the other browser is signed out"
    );
    let account = app
        .get_as("/account/?done=password", &first.cookies())
        .await;
    assert!(account.body.contains("Every other browser was signed out"));

    let notice = newest_mail(&app.state.config.outbox_dir(), email);
    assert!(notice.contains("password was set"), "{notice}");
    assert!(notice.contains("If this was not you"));
    assert!(!notice.contains("a long enough passphrase"));
}

#[tokio::test]
async fn changing_the_email_signs_out_every_other_browser_and_tells_the_old_address() {
    let app = TestApp::demo().await;
    let outbox = app.state.config.outbox_dir();
    let mut first = app.signed_in("reader@example.com").await;
    let second = app.signed_in("reader@example.com").await;
    app.post_form(
        "/account/email",
        &first.cookies(),
        &[("csrf", &first.csrf), ("email", "moved@example.com")],
    )
    .await;
    assert!(
        signed_in(&app, &second).await,
        "nothing changes before confirmation"
    );
    let link = link_in(&newest_mail(&outbox, "moved@example.com"));
    let confirmed = app.get_as(&link, &first.cookies()).await;
    assert_eq!(confirmed.header("location"), "/account/?done=email");
    first.absorb(&confirmed);

    assert!(
        signed_in(&app, &first).await,
        "the confirming browser is signed in"
    );
    assert!(
        !signed_in(&app, &second).await,
        "the other browser is signed out"
    );
    assert!(
        app.get_as("/account/", &first.cookies())
            .await
            .body
            .contains("moved@example.com")
    );
    let notice = newest_mail(&outbox, "reader@example.com");
    assert!(
        notice.contains("email address was changed")
            && notice.contains("changed to moved@example.com"),
        "the old address hears of it: {notice}"
    );
}

/// A session is refused 90 days after its sign-in even though each day's use slid its expiry.
#[tokio::test]
async fn a_session_older_than_ninety_days_is_refused_even_if_used_daily() {
    let app = TestApp::demo().await;
    let b = app.signed_in("reader@example.com").await;
    let id_hash = hash(&b.jar["mh_session"]);
    let store = &app.state.store;
    let now = Utc::now();
    // Signed in 89 days ago and used yesterday: the sliding expiry is a month away.
    store
        .set_session_times(&id_hash, now - Duration::days(89), now + Duration::days(29))
        .await
        .unwrap();
    assert!(signed_in(&app, &b).await, "within 90 days");
    store
        .set_session_times(&id_hash, now - Duration::days(91), now + Duration::days(29))
        .await
        .unwrap();
    assert!(!signed_in(&app, &b).await, "past 90 days");
}

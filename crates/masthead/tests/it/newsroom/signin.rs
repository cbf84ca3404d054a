//! Staff sign-in through HTTP: the password, the code mailed for a device not seen before,
//! limits per account, CSRF on every form, and the authenticator code once turned on.

use super::{OWNER, PASSWORD, code_for, location, open, post, set_up};
use crate::helpers::{Browser, TestApp};
use axum::http::StatusCode;

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

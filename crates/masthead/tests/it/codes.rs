//! One-time codes under attack: guesses sent at once get no more comparisons than guesses sent
//! one by one, and one address gets at most `DAILY_LINKS` codes a day.

use crate::helpers::TestApp;
use crate::members::{code_in, newest_mail};
use axum::http::StatusCode;
use futures_util::future::join_all;
use masthead::members::crypto::hash;
use masthead::ops::signin::{DAILY_LINKS, sign_in_link};
use store::{CodeAttempt, MAX_CODE_ATTEMPTS};

/// A six-digit code that is not `code`.
fn other_code(code: &str) -> String {
    let n: u32 = code.parse().unwrap();
    format!("{:06}", (n + 1) % 1_000_000)
}

/// Regression (issue 13): the attempt counter was read, then written, so guesses sent together
/// all read "under the cap" and were all compared.
#[tokio::test]
async fn twenty_concurrent_wrong_codes_get_five_comparisons_then_the_right_one_is_refused() {
    let app = TestApp::demo().await;
    let email = "reader@example.com";
    let b = app.browser().await;
    app.post_form(
        "/members/signin",
        &b.cookies(),
        &[("csrf", &b.csrf), ("email", email)],
    )
    .await;
    let code = code_in(&newest_mail(&app.state.config.outbox_dir(), email));
    let wrong = other_code(&code);
    let cookies = b.cookies();
    let fields = [
        ("csrf", b.csrf.as_str()),
        ("email", email),
        ("code", wrong.as_str()),
    ];
    let answers =
        join_all((0..20).map(|_| app.post_form("/members/verify-code", &cookies, &fields))).await;

    assert!(
        answers.iter().all(|r| r.status == StatusCode::OK),
        "no wrong code signs in"
    );
    let compared = answers
        .iter()
        .filter(|r| r.body.contains("code is not right"))
        .count();
    assert_eq!(
        compared, MAX_CODE_ATTEMPTS as usize,
        "of 20 guesses sent at once, exactly {MAX_CODE_ATTEMPTS} were compared"
    );
    assert!(
        answers
            .iter()
            .any(|r| r.body.contains("entered wrongly too many times")),
        "the reader is told the code is used up and what to do"
    );

    let right = app
        .post_form(
            "/members/verify-code",
            &cookies,
            &[("csrf", &b.csrf), ("email", email), ("code", &code)],
        )
        .await;
    assert_eq!(
        right.status,
        StatusCode::OK,
        "the right code is refused now"
    );
    assert!(
        right
            .headers
            .get_all("set-cookie")
            .iter()
            .all(|c| !c.to_str().unwrap().starts_with("mh_session=")),
        "no session"
    );
    // Past the per-address rate limit, the store itself refuses the right code.
    let attempt = app
        .state
        .store
        .take_login_code(email, &hash(&code), chrono::Utc::now())
        .await
        .unwrap();
    assert_eq!(attempt, CodeAttempt::Locked);
}

#[tokio::test]
async fn an_address_gets_at_most_the_daily_number_of_codes() {
    let app = TestApp::demo().await;
    let outbox = app.state.config.outbox_dir();
    let email = "reader@example.com";
    let parsed = domain::Email::parse(email).unwrap();
    // Links made earlier today count whether emailed or not: all but one of the day's.
    for _ in 1..DAILY_LINKS {
        sign_in_link(&app.state.ops(), &parsed).await.unwrap();
    }
    let b = app.browser().await;
    let ask = async || {
        app.post_form(
            "/members/signin",
            &b.cookies(),
            &[("csrf", &b.csrf), ("email", email)],
        )
        .await
    };
    let last = ask().await;
    assert!(last.body.contains("Check your email"), "the tenth is sent");
    let sent = newest_mail(&outbox, email);
    let refused = ask().await;
    assert_eq!(refused.status, StatusCode::OK);
    assert!(
        refused
            .body
            .contains("sign-in emails to this address in the last 24 hours"),
        "the eleventh is refused with a clear message"
    );
    assert!(refused.body.contains("try again tomorrow"));
    assert_eq!(newest_mail(&outbox, email), sent, "no eleventh message");
    assert_eq!(
        std::fs::read_dir(&outbox)
            .unwrap()
            .filter(|e| std::fs::read_to_string(e.as_ref().unwrap().path())
                .unwrap()
                .contains(&format!("To: {email}")))
            .count(),
        1,
        "only the one emailed link is in the outbox"
    );

    // Another address is not affected.
    let other = app
        .post_form(
            "/members/signin",
            &b.cookies(),
            &[("csrf", &b.csrf), ("email", "someone.else@example.com")],
        )
        .await;
    assert!(other.body.contains("Check your email"));
}

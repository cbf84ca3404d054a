//! Sign-in state under pressure: parallel guesses at a one-time code, the daily cap on codes per
//! address, the absolute lifetime of sessions and their restart after a credential change.

use crate::*;
use store::{CodeAttempt, LoginToken, MAX_CODE_ATTEMPTS};

fn token(hash: &str, email: &str, created_at: DateTime<Utc>) -> LoginToken {
    LoginToken {
        token_hash: hash.into(),
        code_hash: format!("code-of-{hash}"),
        email: email.into(),
        purpose: "signin".into(),
        member_id: None,
        name: String::new(),
        tier: String::new(),
        redirect: String::new(),
        attempts: 0,
        created_at: created_at.timestamp_micros(),
        expires_at: (created_at + Duration::minutes(15)).timestamp_micros(),
        used_at: None,
    }
}

/// Regression (issue 13): the counter was read, then written, so guesses sent together all
/// read "0 attempts" and were all compared.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn twenty_parallel_wrong_codes_get_five_comparisons_then_the_right_code_is_refused() {
    each_backend(|store| async move {
        store
            .create_login_token(&token("t1", "ada@example.com", now()))
            .await
            .unwrap();
        let mut guesses = tokio::task::JoinSet::new();
        for i in 0..20 {
            let store = store.clone();
            guesses.spawn(async move {
                store
                    .take_login_code("ada@example.com", &format!("wrong-{i}"), now())
                    .await
                    .unwrap()
            });
        }
        let outcomes = guesses.join_all().await;
        let wrong = outcomes
            .iter()
            .filter(|o| **o == CodeAttempt::Wrong)
            .count();
        let locked = outcomes
            .iter()
            .filter(|o| **o == CodeAttempt::Locked)
            .count();
        let max = usize::try_from(MAX_CODE_ATTEMPTS).unwrap();
        assert_eq!(
            (wrong, locked),
            (max, 20 - max),
            "only {MAX_CODE_ATTEMPTS} of 20 parallel guesses are compared: {outcomes:?}"
        );
        assert_eq!(
            store.login_token_attempts("t1").await.unwrap(),
            Some(MAX_CODE_ATTEMPTS)
        );
        assert_eq!(
            store
                .take_login_code("ada@example.com", "code-of-t1", now())
                .await
                .unwrap(),
            CodeAttempt::Locked,
            "the right code after the cap"
        );
        assert!(
            store.take_login_token("t1", now()).await.unwrap().is_some(),
            "the link itself still works: the cap is on guessing the code"
        );
    })
    .await;
}

#[tokio::test]
async fn a_right_code_is_taken_once_and_only_the_newest_code_counts() {
    each_backend(|store| async move {
        let email = "bob@example.com";
        store
            .create_login_token(&token("old", email, now() - Duration::minutes(2)))
            .await
            .unwrap();
        store
            .create_login_token(&token("new", email, now() - Duration::minutes(1)))
            .await
            .unwrap();
        let attempt = |code: &'static str| {
            let store = store.clone();
            async move { store.take_login_code(email, code, now()).await.unwrap() }
        };
        assert_eq!(attempt("code-of-old").await, CodeAttempt::Wrong);
        let CodeAttempt::Taken(taken) = attempt("code-of-new").await else {
            panic!("the newest code signs in");
        };
        assert_eq!((taken.token_hash.as_str(), taken.attempts), ("new", 2));
        // With the newest used, the older token is the newest live one again.
        assert_eq!(attempt("code-of-new").await, CodeAttempt::Wrong);
        assert_eq!(
            store
                .take_login_code("nobody@example.com", "x", now())
                .await
                .unwrap(),
            CodeAttempt::NoLiveCode
        );
        let later = now() + Duration::minutes(20);
        assert_eq!(
            store
                .take_login_code(email, "code-of-old", later)
                .await
                .unwrap(),
            CodeAttempt::NoLiveCode,
            "expired"
        );
    })
    .await;
}

#[tokio::test]
async fn codes_per_address_stop_at_the_daily_cap() {
    each_backend(|store| async move {
        let day_ago = now() - Duration::hours(24);
        // Yesterday's codes do not count.
        store
            .create_login_token(&token(
                "y",
                "ada@example.com",
                day_ago - Duration::seconds(1),
            ))
            .await
            .unwrap();
        for i in 0..3 {
            let t = token(&format!("t{i}"), "ada@example.com", now());
            assert!(
                store
                    .create_login_token_capped(&t, day_ago, 3)
                    .await
                    .unwrap()
            );
        }
        let fourth = token("t3", "ada@example.com", now());
        assert!(
            !store
                .create_login_token_capped(&fourth, day_ago, 3)
                .await
                .unwrap()
        );
        assert_eq!(
            store.login_token_attempts("t3").await.unwrap(),
            None,
            "not stored"
        );
        let other = token("b0", "bob@example.com", now());
        assert!(
            store
                .create_login_token_capped(&other, day_ago, 3)
                .await
                .unwrap(),
            "the cap is per address"
        );
    })
    .await;
}

#[tokio::test]
async fn sessions_end_at_their_absolute_lifetime_and_restart_after_a_credential_change() {
    each_backend(|store| async move {
        for (id, email) in [("m1", "ada@example.com"), ("m2", "bob@example.com")] {
            let email = domain::Email::parse(email).unwrap();
            store.create_member(id, &email, "", now()).await.unwrap();
        }
        let lifetime = Duration::days(90);
        let month = now() + Duration::days(30);
        for (hash, member) in [("h1", "m1"), ("h2", "m1"), ("h3", "m2")] {
            store
                .create_session(hash, member, now(), month)
                .await
                .unwrap();
        }
        let live = |hash: &'static str, at: DateTime<Utc>| {
            let store = store.clone();
            async move {
                store
                    .session_member(hash, at, at - lifetime)
                    .await
                    .unwrap()
                    .map(|(m, _)| m.id)
            }
        };
        assert_eq!(live("h1", now()).await.as_deref(), Some("m1"));

        // Used every day, the sliding expiry never passes; the sign-in time still counts.
        let old = now() - Duration::days(91);
        store.set_session_times("h2", old, month).await.unwrap();
        assert_eq!(live("h2", now()).await, None, "older than 90 days");
        store
            .set_session_times("h2", now() - Duration::days(89), month)
            .await
            .unwrap();
        assert_eq!(live("h2", now()).await.as_deref(), Some("m1"));

        store
            .restart_sessions("m1", "h1", "h1-rotated")
            .await
            .unwrap();
        assert_eq!(live("h1", now()).await, None, "the old id no longer works");
        assert_eq!(live("h2", now()).await, None, "other sessions ended");
        assert_eq!(
            live("h3", now()).await.as_deref(),
            Some("m2"),
            "other members untouched"
        );
        assert_eq!(live("h1-rotated", now()).await.as_deref(), Some("m1"));
        assert_eq!(
            live("h1-rotated", now() + Duration::days(29))
                .await
                .as_deref(),
            Some("m1")
        );
        assert_eq!(
            store
                .session_member(
                    "h1-rotated",
                    now() + Duration::days(1),
                    now() + Duration::hours(1)
                )
                .await
                .unwrap(),
            None,
            "a rotated session keeps its sign-in time"
        );
    })
    .await;
}

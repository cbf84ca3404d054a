//! One copy per access class, with per-reader slots filled in; metered and gifted reads never
//! shared; a class that changes (a comp, here or in another process) is never served a page
//! rendered for the old one.

use super::{eventually, eventually_as, live_posts, outcome};
use crate::helpers::{Browser, TestApp, TestResponse};
use axum::http::StatusCode;
use domain::{Post, Visibility};

/// A paid post, and a paid member's browser (comped to Subscriber+).
async fn paid_post_and_reader(app: &TestApp, email: &str) -> Browser {
    let b = app.signed_in(email).await;
    app.comp(email, "subscriber-plus").await;
    b
}

#[tokio::test]
async fn each_access_class_gets_its_own_copy_with_its_own_slots() {
    let app = TestApp::demo_with_settings(METERS_OFF).await;
    let paid = live_posts(&app)
        .await
        .into_iter()
        .find(|p| p.visibility == Visibility::Paid && p.body.has_gated_part())
        .expect("a paid story in the demo");
    let page = format!("/{}/", paid.slug);
    let gated = |r: &TestResponse| r.count(".post-content .gated") == 1;
    let paywall = |r: &TestResponse| r.count(".paywall") == 1;

    let anon = app.get(&page).await;
    assert!(paywall(&anon) && !gated(&anon));
    eventually(&app, &page, |r| outcome(r) == "hit").await;

    let a = paid_post_and_reader(&app, "alpha@example.com").await;
    let b = paid_post_and_reader(&app, "bravo@example.com").await;
    let free = app.signed_in("free-reader@example.com").await;
    // Alpha gives a gift, so the two paid readers have different numbers left.
    let first = app.get_as(&page, &a.cookies()).await;
    assert!(
        gated(&first) && !paywall(&first),
        "a paid reader reads it all"
    );
    app.post_form(
        "/members/gift",
        &a.cookies(),
        &[("csrf", &a.csrf), ("post_id", &paid.id)],
    )
    .await;
    // Ten gift links a month each.
    let (a_left, b_left) = ("9".to_owned(), "10".to_owned());
    for (reader, left) in [(&a, &a_left), (&b, &b_left), (&a, &a_left), (&b, &b_left)] {
        let res = app.get_as(&page, &reader.cookies()).await;
        assert!(gated(&res), "paid copy");
        assert_eq!(outcome(&res), "hit", "one copy for the class");
        assert_eq!(
            res.attrs(".gift input[name=csrf]", "value"),
            vec![reader.csrf.clone()],
            "each reader's own CSRF token"
        );
        assert_eq!(
            res.texts(".gift .hint"),
            vec![format!("Gift links left this month: {left}")]
        );
    }
    // A browser that has lost its CSRF cookie gets a new one, and the form carries it.
    let session_only = a
        .jar
        .iter()
        .filter(|(k, _)| k.as_str() == "mh_session")
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("; ");
    let res = app.get_as(&page, &session_only).await;
    assert_eq!(outcome(&res), "hit");
    let mut fresh = Browser::default();
    fresh.absorb(&res);
    let token = fresh.jar.get("mh_csrf").expect("a new CSRF cookie").clone();
    assert_ne!(token, a.csrf);
    assert_eq!(res.attrs(".gift input[name=csrf]", "value"), vec![token]);
    // Never the paid copy for anyone else, even after it is stored.
    for _ in 0..2 {
        let res = app.get_as(&page, &free.cookies()).await;
        assert!(paywall(&res) && !gated(&res), "free member");
        assert!(!res.body.contains(&a.csrf) && !res.body.contains(&b.csrf));
        let res = app.get(&page).await;
        assert!(paywall(&res) && !gated(&res), "anonymous");
        assert!(res.header("cache-control").starts_with("public"));
    }
    // A forged session cookie is an anonymous reader.
    let forged = app.get_as(&page, "mh_session=forged-session-value").await;
    assert!(paywall(&forged) && !gated(&forged));

    // Signing out: the same cookie no longer gets the paid copy.
    let out = app
        .post_form("/members/signout", &b.cookies(), &[("csrf", &b.csrf)])
        .await;
    assert!(out.status.is_redirection());
    let after = app.get_as(&page, &b.cookies()).await;
    assert!(paywall(&after) && !gated(&after), "signed out");
}

#[tokio::test]
async fn metered_and_gifted_reads_are_never_shared() {
    let app = TestApp::demo_with_settings(&[("meter_anonymous", "1")]).await;
    let gated: Vec<Post> = live_posts(&app)
        .await
        .into_iter()
        .filter(|p| p.visibility == Visibility::Paid && p.body.has_gated_part())
        .take(2)
        .collect();
    let (one, two) = (
        format!("/{}/", gated[0].slug),
        format!("/{}/", gated[1].slug),
    );
    let full = |r: &TestResponse| r.count(".post-content .gated") == 1;
    // Two readers without cookies each get their free read; neither is served the other's.
    for _ in 0..2 {
        let res = app.get(&one).await;
        assert!(full(&res), "a fresh reader's metered read");
        assert_eq!(outcome(&res), "bypass");
        assert!(res.header("cache-control").starts_with("private"));
    }
    let mut reader = Browser::default();
    reader.absorb(&app.get(&one).await);
    let cut = app.get_as(&two, &reader.cookies()).await;
    assert!(!full(&cut), "the allowance is used up");
    let fresh = app.get(&two).await;
    assert!(
        full(&fresh),
        "a used-up reader's page is not served to a fresh one"
    );
}

/// Meters off: what a reader sees of a paid story depends on their class alone. Stored before
/// the app starts (`TestApp::demo_with_settings`).
const METERS_OFF: &[(&str, &str)] = &[("meter_members", "0"), ("meter_anonymous", "0")];

/// One of the demo's paid stories with a gated part (its path).
async fn paid_story(app: &TestApp) -> String {
    let paid = live_posts(app)
        .await
        .into_iter()
        .find(|p| p.visibility == Visibility::Paid && p.body.has_gated_part())
        .expect("a paid story in the demo");
    format!("/{}/", paid.slug)
}

fn reads_it_all(r: &TestResponse) -> bool {
    r.count(".post-content .gated") == 1
}

#[tokio::test]
async fn a_render_for_a_new_class_is_not_stored_under_the_remembered_one() {
    let app = TestApp::demo_with_settings(METERS_OFF).await;
    let page = paid_story(&app).await;
    // This process stops noticing other processes' changes, as during the tick before the
    // follower sees one: the session's class stays remembered as it was.
    eventually(&app, "/", |r| outcome(r) == "hit").await;
    app.state.cache.close();
    tokio::time::sleep(std::time::Duration::from_millis(400)).await;
    let free = app.signed_in("still-free@example.com").await;
    let upgraded = app.signed_in("upgraded@example.com").await;
    // Remembered as free (any page will do; the story itself must not be stored yet).
    assert_eq!(
        app.get_as("/", &upgraded.cookies()).await.status,
        StatusCode::OK
    );
    // Comped as another process would: straight into the database.
    app.comp("upgraded@example.com", "subscriber-plus").await;
    let res = app.get_as(&page, &upgraded.cookies()).await;
    assert!(reads_it_all(&res), "rendered for what the member now holds");
    for _ in 0..2 {
        let free_res = app.get_as(&page, &free.cookies()).await;
        assert!(
            !reads_it_all(&free_res),
            "a free member never gets the paid render"
        );
    }
    assert_eq!(
        outcome(&res),
        "bypass",
        "not stored under the remembered class"
    );
    assert_eq!(outcome(&app.get_as(&page, &free.cookies()).await), "hit");
}

#[tokio::test]
async fn a_comp_from_another_process_reaches_the_cache_at_once() {
    // Classes are remembered for an hour here: only the forget the comp causes (through the
    // store's access clock, which the follower watches) can make the paid copy appear.
    let app = TestApp::demo_with_settings_and(METERS_OFF, |c| masthead::config::Config {
        cache_class_ttl_ms: 3_600_000,
        ..c
    })
    .await;
    let page = paid_story(&app).await;
    let free = app.signed_in("still-free@example.com").await;
    assert!(!reads_it_all(&app.get_as(&page, &free.cookies()).await));
    eventually_as(&app, &page, &free.cookies(), |r| outcome(r) == "hit").await;
    // A fresh session, its class just remembered as free.
    let comped = app.signed_in("comped@example.com").await;
    assert!(!reads_it_all(&app.get_as(&page, &comped.cookies()).await));
    let mut cli = std::process::Command::new(env!("CARGO_BIN_EXE_masthead"));
    cli.args([
        "member",
        "comp",
        "comped@example.com",
        "--tier",
        "subscriber-plus",
    ])
    .env("MASTHEAD_DATA", app._dir.path())
    .env_remove("MASTHEAD_DATABASE_URL")
    .env("RUST_LOG", "warn");
    // Waited for off the test's runtime, which also runs the app: a write the app has begun
    // must be able to commit while the other process waits for the database.
    let out = tokio::task::spawn_blocking(move || cli.output().expect("run masthead"))
        .await
        .unwrap();
    assert!(
        out.status.success(),
        "{}: {}{}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    eventually_as(&app, &page, &comped.cookies(), reads_it_all).await;
    // The paid copy comes to be stored under the paid class (the first paid render may have
    // met the class still remembered as free, and been served without being stored).
    eventually_as(&app, &page, &comped.cookies(), |r| {
        reads_it_all(r) && outcome(r) == "hit"
    })
    .await;
    for _ in 0..2 {
        let res = app.get_as(&page, &free.cookies()).await;
        assert!(
            !reads_it_all(&res),
            "the free member never gets the paid copy"
        );
        assert_eq!(outcome(&res), "hit");
    }
}

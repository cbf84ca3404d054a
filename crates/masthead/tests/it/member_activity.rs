//! The member activity timeline: the events that sign-up, sign-in, a Stripe subscription, a
//! comp and a metered read leave in the member event log, as `/admin/members/{id}/activity/`
//! words them for an administrator (and refuses everyone else).

use crate::helpers::TestApp;
use crate::newsroom::{open, set_up};
use crate::newsroom_tags::staff_member;
use crate::stripe::{WEBHOOK_SECRET, deliver, event, subscription};
use axum::http::StatusCode;
use chrono::Utc;
use masthead::config::{Config, Secret, StripeConfig};
use store::PostFilter;

async fn site() -> TestApp {
    let stripe = StripeConfig {
        api_base: "http://127.0.0.1:9".into(),
        secret_key: Secret("sk_test_masthead".into()),
        webhook_secrets: vec![Secret(WEBHOOK_SECRET.into())],
    };
    TestApp::demo_with_settings_and(&[("meter_members", "3")], move |c| Config {
        stripe: Some(stripe),
        ..c
    })
    .await
}

/// The newest live post of the demo with `visibility`.
async fn post_with(app: &TestApp, visibility: &str) -> domain::Post {
    let posts = app
        .state
        .store
        .list_posts(&PostFilter::posts(), 100, 0, Utc::now())
        .await
        .unwrap();
    posts
        .into_iter()
        .find(|p| p.visibility == domain::Visibility::Paid && visibility == "paid")
        .unwrap_or_else(|| panic!("a {visibility} post in the demo"))
}

#[tokio::test]
async fn the_timeline_words_what_a_member_did_newest_first() {
    let app = site().await;
    let ops = app.state.ops();
    let email = domain::Email::parse("rita.timeline@example.com").unwrap();
    let member = masthead::ops::members::add(&ops, &email, "Rita Reader", None)
        .await
        .unwrap();
    // Adding the same address again is no second sign-up.
    masthead::ops::members::add(&ops, &email, "Rita", None)
        .await
        .unwrap();
    let reader = app.signed_in("rita.timeline@example.com").await;
    let paid = post_with(&app, "paid").await;
    let read = app
        .get_as(&format!("/{}/", paid.slug), &reader.cookies())
        .await;
    assert_eq!(read.status, StatusCode::OK);
    // Reading it again inside the window is not a second hit on the meter.
    app.get_as(&format!("/{}/", paid.slug), &reader.cookies())
        .await;
    let now = Utc::now().timestamp();
    let created = event(
        "evt_a1",
        "customer.subscription.created",
        now,
        subscription(&member.id, "active"),
    );
    assert_eq!(
        deliver(&app, &created, WEBHOOK_SECRET, now).await.0,
        StatusCode::OK
    );
    let canceled = event(
        "evt_a2",
        "customer.subscription.deleted",
        now + 1,
        subscription(&member.id, "canceled"),
    );
    assert_eq!(
        deliver(&app, &canceled, WEBHOOK_SECRET, now + 1).await.0,
        StatusCode::OK
    );

    let mut owner = set_up(&app).await;
    let path = format!("/admin/members/{}/activity/", member.id);
    let page = open(&app, &mut owner, &path).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let kinds = page.attrs("ol.activity li", "data-kind");
    assert_eq!(
        kinds,
        [
            "canceled",
            "subscribed",
            "meter_hit",
            "signed_in",
            "signed_up"
        ],
        "newest first, one each"
    );
    let texts = page.texts("ol.activity li");
    assert!(texts[0].contains("Canceled Subscriber+"), "{texts:?}");
    assert!(texts[1].contains("Subscribed to Subscriber+"), "{texts:?}");
    assert!(
        texts[2].contains(&format!("Read a metered article: {}", paid.title)),
        "{texts:?}"
    );
    assert!(texts[4].ends_with("Signed up"), "{texts:?}");

    // An unknown member is a 404; an editor may not manage members.
    let missing = open(&app, &mut owner, "/admin/members/nobody/activity/").await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    let mut editor = staff_member(&app, &mut owner, "ed@news.example", "editor").await;
    let refused = open(&app, &mut editor, &path).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    // A member's own cookie reaches no console page.
    let as_member = app.get_as(&path, &reader.cookies()).await;
    assert_ne!(as_member.status, StatusCode::OK);
    assert!(!as_member.body.contains("Signed up"));
}

#[tokio::test]
async fn a_long_timeline_is_paged() {
    let app = site().await;
    let ops = app.state.ops();
    let email = domain::Email::parse("busy@example.com").unwrap();
    let member = masthead::ops::members::add(&ops, &email, "", None)
        .await
        .unwrap();
    for _ in 0..60 {
        masthead::ops::sessions::start(&ops, &member.id, None)
            .await
            .unwrap();
    }
    let mut owner = set_up(&app).await;
    let path = format!("/admin/members/{}/activity/", member.id);
    let first = open(&app, &mut owner, &path).await;
    assert_eq!(first.count("ol.activity li"), 50);
    assert!(first.body.contains("61 events in all"));
    let next = first.attrs("a[rel=next]", "href");
    assert_eq!(next, [format!("{path}?page=2")]);
    let second = open(&app, &mut owner, &next[0]).await;
    assert_eq!(second.count("ol.activity li"), 11);
    assert_eq!(
        second.attrs("ol.activity li", "data-kind").last().unwrap(),
        "signed_up"
    );
    let nonsense = open(&app, &mut owner, &format!("{path}?page=x")).await;
    assert_eq!(
        nonsense.status,
        StatusCode::OK,
        "a bad page number shows the first page"
    );
}

#[tokio::test]
async fn the_admin_api_serves_the_activity_feed_in_ghosts_shape() {
    let app = site().await;
    let ops = app.state.ops();
    let email = domain::Email::parse("feed.reader@example.com").unwrap();
    let member = masthead::ops::members::add(&ops, &email, "", None)
        .await
        .unwrap();
    masthead::ops::sessions::start(&ops, &member.id, None)
        .await
        .unwrap();
    let auth = crate::helpers::admin::admin_auth(&app).await;
    let path = format!("members/events/?filter=data.member_id:'{}'", member.id);
    let res = crate::helpers::admin::call(&app, axum::http::Method::GET, &path, &auth, None).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let v: serde_json::Value = serde_json::from_str(&res.body).unwrap();
    let types: Vec<&str> = v["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["type"].as_str().unwrap())
        .collect();
    assert_eq!(types, ["login_event", "signup_event"]);
    assert_eq!(v["events"][0]["data"]["member_id"], member.id.as_str());
    assert_eq!(v["meta"]["pagination"]["total"], 2);
    let unfiltered = crate::helpers::admin::call(
        &app,
        axum::http::Method::GET,
        "members/events/",
        &auth,
        None,
    )
    .await;
    assert_eq!(unfiltered.status, StatusCode::BAD_REQUEST);
    let anonymous = app.get(&format!("/ghost/api/admin/{path}")).await;
    assert_ne!(anonymous.status, StatusCode::OK);
}

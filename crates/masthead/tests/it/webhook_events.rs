//! Webhook events from members, Stripe and the command line: what readers, staff and billing do
//! reaches a receiver on 127.0.0.1 in Ghost's shapes, once.

use crate::helpers::TestApp;
use crate::helpers::admin::{admin_auth, call};
use crate::helpers::receiver::{Receiver, assert_signed, hook_up};
use crate::stripe::{WEBHOOK_SECRET, app_with_stripe, deliver, event, subscription};
use axum::http::{Method, StatusCode};
use chrono::Utc;
use serde_json::{Value, json};

#[tokio::test]
async fn member_events_follow_the_admin_api_and_readers_own_accounts() {
    let app = TestApp::demo().await;
    let auth = admin_auth(&app).await;
    let mut rx = Receiver::start(&[]).await;
    hook_up(
        &app,
        &auth,
        &rx.url,
        &["member.added", "member.edited", "member.deleted"],
    )
    .await;
    let res = call(
        &app,
        Method::POST,
        "members/",
        &auth,
        Some(json!({ "members": [{ "email": "hooked@example.com", "name": "Ada" }] })),
    )
    .await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.body);
    let id = serde_json::from_str::<Value>(&res.body).unwrap()["members"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let got = rx.next(10).await;
    assert_eq!(got.event(), "member.added");
    assert_signed(&got);
    assert_eq!(
        got.json()["member"]["current"]["email"],
        "hooked@example.com"
    );

    let res = call(
        &app,
        Method::PUT,
        &format!("members/{id}/"),
        &auth,
        Some(json!({ "members": [{ "name": "Ada L." }] })),
    )
    .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let got = rx.next(10).await;
    assert_eq!(got.event(), "member.edited");
    let body = got.json();
    assert_eq!(body["member"]["current"]["name"], "Ada L.");
    assert_eq!(body["member"]["previous"], json!({ "name": "Ada" }));

    // An edit that changes nothing fires nothing.
    call(
        &app,
        Method::PUT,
        &format!("members/{id}/"),
        &auth,
        Some(json!({ "members": [{ "name": "Ada L." }] })),
    )
    .await;
    rx.quiet(1500).await;

    // A reader renaming themselves on the account page is an edit too.
    let b = app.signed_in("hooked@example.com").await;
    let res = app
        .post_form(
            "/account/name",
            &b.cookies(),
            &[("csrf", &b.csrf), ("name", "Ada Lovelace")],
        )
        .await;
    assert!(res.status.is_redirection(), "{}", res.status);
    let got = rx.next(10).await;
    assert_eq!(got.event(), "member.edited");
    assert_eq!(got.json()["member"]["current"]["name"], "Ada Lovelace");

    let res = call(&app, Method::DELETE, &format!("members/{id}/"), &auth, None).await;
    assert_eq!(res.status, StatusCode::NO_CONTENT);
    let got = rx.next(10).await;
    assert_eq!(got.event(), "member.deleted");
    let body = got.json();
    assert_eq!(body["member"]["current"], json!({}));
    assert_eq!(body["member"]["previous"]["email"], "hooked@example.com");

    // A reader signing up on the site is added when they confirm, and deleting their own
    // account is a deletion.
    let mut b = app.browser().await;
    let res = app
        .post_form(
            "/members/signup",
            &b.cookies(),
            &[
                ("csrf", &b.csrf),
                ("email", "self@example.com"),
                ("name", "Sel"),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::OK);
    rx.quiet(500).await; // not before the link is opened
    let mail = crate::members::newest_mail(&app.state.config.outbox_dir(), "self@example.com");
    let verified = app
        .get_as(&crate::members::link_in(&mail), &b.cookies())
        .await;
    assert_eq!(verified.status, StatusCode::SEE_OTHER);
    b.absorb(&verified);
    let got = rx.next(10).await;
    assert_eq!(got.event(), "member.added");
    assert_eq!(got.json()["member"]["current"]["name"], "Sel");
    let res = app
        .post_form(
            "/account/delete",
            &b.cookies(),
            &[("csrf", &b.csrf), ("confirm", "yes")],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    let got = rx.next(10).await;
    assert_eq!(got.event(), "member.deleted");
    assert_eq!(
        got.json()["member"]["previous"]["email"],
        "self@example.com"
    );
}

#[tokio::test]
async fn stripe_changes_fire_subscription_events_once() {
    let app = app_with_stripe("http://127.0.0.1:9").await;
    let auth = admin_auth(&app).await;
    let mut rx = Receiver::start(&[]).await;
    hook_up(
        &app,
        &auth,
        &rx.url,
        &[
            "subscription.started",
            "subscription.updated",
            "subscription.canceled",
            "payment.failed",
        ],
    )
    .await;
    let member = app
        .state
        .store
        .create_member(
            "m-hook",
            &domain::Email::parse("payer@example.com").unwrap(),
            "",
            Utc::now(),
        )
        .await
        .unwrap();
    let now = Utc::now().timestamp();
    let created = event(
        "evt_h1",
        "customer.subscription.created",
        now - 100,
        subscription(&member.id, "active"),
    );
    assert_eq!(
        deliver(&app, &created, WEBHOOK_SECRET, now).await.0,
        StatusCode::OK
    );
    let got = rx.next(10).await;
    assert_eq!(got.event(), "subscription.started");
    assert_signed(&got);
    let body = got.json();
    assert_eq!(body["subscription"]["current"]["status"], "active");
    assert_eq!(
        body["subscription"]["current"]["tier"]["slug"],
        "subscriber-plus"
    );
    assert_eq!(body["member"]["email"], "payer@example.com");
    assert_eq!(body["member"]["status"], "paid");

    // Stripe retries the same event: nothing fires twice.
    deliver(&app, &created, WEBHOOK_SECRET, now).await;
    rx.quiet(1500).await;

    let failed = event(
        "evt_h2",
        "invoice.payment_failed",
        now - 50,
        json!({ "id": "in_1", "object": "invoice", "customer": "cus_1", "subscription": "sub_1" }),
    );
    deliver(&app, &failed, WEBHOOK_SECRET, now).await;
    let mut events = vec![rx.next(10).await, rx.next(10).await];
    events.sort_by(|a, b| a.event().cmp(b.event()));
    assert_eq!(events[0].event(), "payment.failed");
    assert_eq!(events[1].event(), "subscription.updated");
    for got in &events {
        let body = got.json();
        assert_eq!(body["subscription"]["current"]["status"], "past_due");
        assert_eq!(body["subscription"]["previous"]["status"], "active");
    }

    let deleted = event(
        "evt_h3",
        "customer.subscription.deleted",
        now - 10,
        json!({ "id": "sub_1", "object": "subscription", "customer": "cus_1", "status": "canceled",
            "metadata": { "member_id": member.id } }),
    );
    deliver(&app, &deleted, WEBHOOK_SECRET, now).await;
    let got = rx.next(10).await;
    assert_eq!(got.event(), "subscription.canceled");
    assert_eq!(got.json()["subscription"]["current"]["status"], "canceled");
}

#[tokio::test]
async fn command_line_writes_queue_events_for_the_running_server() {
    let dir = tempfile::tempdir().unwrap();
    let config = crate::helpers::config(dir.path());
    let store = masthead::state::open_store(&config).await.unwrap();
    for event in [
        "post.published",
        "post.unpublished",
        "member.added",
        "member.edited",
    ] {
        let hook = store::Webhook {
            id: masthead::compose::new_id(),
            event: domain::WebhookEvent::parse(event).unwrap(),
            target_url: domain::TargetUrl::parse("http://127.0.0.1:9/hook").unwrap(),
            name: None,
            secret: None,
            api_version: "v6".into(),
            integration_id: None,
            created_at: Utc::now(),
            updated_at: Utc::now(),
            last_triggered_at: None,
            last_triggered_status: None,
            last_triggered_error: None,
        };
        store.create_webhook(&hook).await.unwrap();
    }
    store
        .upsert_tier(
            &domain::Tier {
                id: masthead::compose::new_id(),
                slug: domain::Slug::parse("subscriber-plus").unwrap(),
                name: "Subscriber+".into(),
                description: String::new(),
                benefits: vec![],
                monthly_price: 1000,
                yearly_price: 10000,
                currency: "usd".into(),
                trial_days: 0,
                active: true,
            },
            Utc::now(),
        )
        .await
        .unwrap();
    let file = dir.path().join("story.md");
    std::fs::write(
        &file,
        "---\ntitle: Straits\nvisibility: paid\n---\nOpening.\n\n<!--members-only-->\n\nCLICANARY rest.\n",
    )
    .unwrap();
    let run = |args: &[&str]| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_masthead"))
            .args(args)
            .env("MASTHEAD_DATA", dir.path())
            .env("MASTHEAD_URL", "https://news.example")
            .env_remove("MASTHEAD_DATABASE_URL")
            .env("RUST_LOG", "warn")
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    run(&["post", "add", file.to_str().unwrap()]);
    run(&["post", "unpublish", "straits"]);
    run(&["member", "add", "cli@example.com", "--name", "Cli"]);
    run(&[
        "member",
        "comp",
        "cli@example.com",
        "--tier",
        "subscriber-plus",
    ]);
    let queued = store
        .due_deliveries(Utc::now() + chrono::Duration::minutes(1), 50)
        .await
        .unwrap();
    let events: Vec<&str> = queued.iter().map(|d| d.event.as_str()).collect();
    assert_eq!(
        events,
        [
            "post.published",
            "post.unpublished",
            "member.added",
            "member.edited"
        ]
    );
    let published: Value = serde_json::from_str(&queued[0].body).unwrap();
    assert_eq!(
        published["post"]["current"]["url"],
        "https://news.example/straits/"
    );
    assert!(!queued[0].body.contains("CLICANARY"));
    let comped: Value = serde_json::from_str(&queued[3].body).unwrap();
    assert_eq!(comped["member"]["current"]["status"], "comped");
    assert_eq!(comped["member"]["previous"]["status"], "free");
}

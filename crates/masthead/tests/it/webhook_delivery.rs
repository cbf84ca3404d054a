//! Webhook deliveries, end to end: events fired by the Admin API, readers' accounts, Stripe and
//! the clock reach a real HTTP receiver on 127.0.0.1, signed, retried and given up as promised,
//! and never carrying the gated part of a story.

use crate::ghost_admin::{admin_key, call, token};
use crate::helpers::TestApp;
use crate::stripe::{WEBHOOK_SECRET, app_with_stripe, deliver, event, subscription};
use axum::Router;
use axum::http::{HeaderMap, Method, StatusCode};
use axum::routing::post;
use chrono::Utc;
use masthead::config::Config;
use masthead::webhooks::sign;
use serde_json::{Value, json};
use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::mpsc;

const SECRET: &str = "hook-secret";

/// One request the receiver got.
struct Got {
    headers: HeaderMap,
    body: String,
}

impl Got {
    fn header(&self, name: &str) -> &str {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }
    fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("{e}: {}", self.body))
    }
    fn event(&self) -> &str {
        self.header("x-masthead-event")
    }
}

/// An HTTP server on loopback that answers with the scripted `(status, delay)` replies in turn
/// (then 200), and hands every request it gets to the test.
struct Receiver {
    url: String,
    got: mpsc::UnboundedReceiver<Got>,
}

impl Receiver {
    async fn start(script: &[(u16, u64)]) -> Receiver {
        let script = Arc::new(Mutex::new(script.iter().copied().collect::<VecDeque<_>>()));
        let (tx, got) = mpsc::unbounded_channel();
        let app = Router::new().route(
            "/hook",
            post(move |headers: HeaderMap, body: String| {
                let (script, tx) = (script.clone(), tx.clone());
                async move {
                    let (status, delay) = script.lock().unwrap().pop_front().unwrap_or((200, 0));
                    let _ = tx.send(Got { headers, body });
                    tokio::time::sleep(Duration::from_millis(delay)).await;
                    StatusCode::from_u16(status).unwrap()
                }
            }),
        );
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}/hook", listener.local_addr().unwrap());
        tokio::spawn(axum::serve(listener, app).into_future());
        Receiver { url, got }
    }

    /// The next request, within `secs` seconds.
    async fn next(&mut self, secs: u64) -> Got {
        tokio::time::timeout(Duration::from_secs(secs), self.got.recv())
            .await
            .expect("the webhook arrives in time")
            .expect("receiver open")
    }

    /// Asserts nothing more arrives within `millis`.
    async fn quiet(&mut self, millis: u64) {
        if let Ok(Some(got)) =
            tokio::time::timeout(Duration::from_millis(millis), self.got.recv()).await
        {
            panic!("unexpected webhook {}: {}", got.event(), got.body);
        }
    }
}

/// Registers a hook for each event through the Admin API.
async fn hook_up(app: &TestApp, auth: &str, url: &str, events: &[&str]) -> Vec<String> {
    let mut ids = vec![];
    for e in events {
        let body = json!({ "webhooks": [{ "event": e, "target_url": url, "secret": SECRET }] });
        let res = call(app, Method::POST, "webhooks/", auth, Some(body)).await;
        assert_eq!(res.status, StatusCode::CREATED, "{}", res.body);
        let v: Value = serde_json::from_str(&res.body).unwrap();
        ids.push(v["webhooks"][0]["id"].as_str().unwrap().to_owned());
    }
    ids
}

fn assert_signed(got: &Got) {
    let sig = got.header("x-ghost-signature");
    assert!(
        sign::verify(SECRET, &got.body, sig),
        "X-Ghost-Signature {sig:?} verifies against the body"
    );
    assert_eq!(got.header("content-type"), "application/json");
}

async fn admin_auth(app: &TestApp) -> String {
    let admin = admin_key(app).await;
    format!("Ghost {}", token(&admin, "/admin/", 300, &admin.secret))
}

#[tokio::test]
async fn post_events_reach_their_hooks_signed_and_without_the_gated_part() {
    let app = TestApp::demo().await;
    let auth = admin_auth(&app).await;
    let mut rx = Receiver::start(&[]).await;
    hook_up(
        &app,
        &auth,
        &rx.url,
        &[
            "post.published",
            "post.published.edited",
            "post.unpublished",
            "post.deleted",
        ],
    )
    .await;
    let html = "<p>The free opening.</p><!--members-only--><p>HOOKCANARY gated analysis.</p>";
    let draft = call(
        &app,
        Method::POST,
        "posts/?source=html",
        &auth,
        Some(json!({ "posts": [{ "title": "Hooked", "html": html, "visibility": "paid" }] })),
    )
    .await;
    assert_eq!(draft.status, StatusCode::CREATED, "{}", draft.body);
    let post: Value = serde_json::from_str(&draft.body).unwrap();
    let (id, updated) = (
        post["posts"][0]["id"].as_str().unwrap().to_owned(),
        post["posts"][0]["updated_at"].clone(),
    );
    rx.quiet(1500).await; // a draft fires nothing

    let edit = |body: Value| {
        let (app, auth, id) = (&app, &auth, &id);
        async move {
            let res = call(
                app,
                Method::PUT,
                &format!("posts/{id}/"),
                auth,
                Some(json!({ "posts": [body] })),
            )
            .await;
            assert_eq!(res.status, StatusCode::OK, "{}", res.body);
            serde_json::from_str::<Value>(&res.body).unwrap()["posts"][0]["updated_at"].clone()
        }
    };
    let updated = edit(json!({ "status": "published", "updated_at": updated })).await;
    let got = rx.next(10).await;
    assert_eq!(got.event(), "post.published");
    assert_signed(&got);
    let body = got.json();
    assert_eq!(body["post"]["current"]["title"], "Hooked");
    assert_eq!(body["post"]["current"]["status"], "published");
    assert_eq!(body["post"]["previous"]["status"], "draft");
    assert!(
        body["post"]["current"]["html"]
            .as_str()
            .unwrap()
            .contains("The free opening.")
    );
    assert!(
        !got.body.contains("HOOKCANARY"),
        "the gated part never leaves in a webhook"
    );

    let updated = edit(json!({ "title": "Hooked, revised", "updated_at": updated })).await;
    let got = rx.next(10).await;
    assert_eq!(got.event(), "post.published.edited");
    let body = got.json();
    assert_eq!(body["post"]["current"]["title"], "Hooked, revised");
    assert_eq!(body["post"]["previous"]["title"], "Hooked");
    assert!(!got.body.contains("HOOKCANARY"));

    edit(json!({ "status": "draft", "updated_at": updated })).await;
    let got = rx.next(10).await;
    assert_eq!(got.event(), "post.unpublished");
    assert_eq!(got.json()["post"]["previous"]["status"], "published");

    let res = call(&app, Method::DELETE, &format!("posts/{id}/"), &auth, None).await;
    assert_eq!(res.status, StatusCode::NO_CONTENT);
    let got = rx.next(10).await;
    assert_eq!(got.event(), "post.deleted");
    let body = got.json();
    assert_eq!(body["post"]["current"], json!({}));
    assert_eq!(body["post"]["previous"]["id"], id.as_str());
    assert!(!got.body.contains("HOOKCANARY"));

    let hook = &app.state.store.webhooks(None).await.unwrap()[0];
    assert_eq!(hook.last_triggered_status.as_deref(), Some("200"));
    assert!(hook.last_triggered_at.is_some());
}

#[tokio::test]
async fn failures_are_retried_with_the_same_delivery_id_a_410_removes_the_hook() {
    let app = TestApp::demo_with(|c| Config {
        webhook_retry_ms: 50,
        ..c
    })
    .await;
    let auth = admin_auth(&app).await;
    // 500, then no answer within the 2 s timeout, then 200.
    let mut flaky = Receiver::start(&[(500, 0), (200, 2600)]).await;
    let mut gone = Receiver::start(&[(410, 0)]).await;
    let mut down = Receiver::start(&[(503, 0); 10]).await;
    let flaky_hook = hook_up(&app, &auth, &flaky.url, &["page.published"]).await;
    let gone_hook = hook_up(&app, &auth, &gone.url, &["page.published"]).await;
    let down_hook = hook_up(&app, &auth, &down.url, &["page.published"]).await;
    let res = call(
        &app,
        Method::POST,
        "pages/?source=html",
        &auth,
        Some(json!({ "pages": [{ "title": "Corrections policy", "html": "<p>We correct.</p>", "status": "published" }] })),
    )
    .await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.body);

    let first = flaky.next(10).await;
    assert_eq!(first.event(), "page.published");
    assert_eq!(
        first.json()["page"]["current"]["title"],
        "Corrections policy"
    );
    let second = flaky.next(10).await;
    let third = flaky.next(10).await;
    let delivery = first.header("x-masthead-delivery").to_owned();
    assert!(!delivery.is_empty());
    assert_eq!(second.header("x-masthead-delivery"), delivery);
    assert_eq!(
        third.header("x-masthead-delivery"),
        delivery,
        "a retry is the same delivery"
    );
    assert_eq!(third.body, first.body);

    gone.next(10).await;
    // The target said 410 Gone: the hook is removed, as Ghost does.
    let store = &app.state.store;
    for _ in 0..50 {
        if store.webhook(&gone_hook[0]).await.unwrap().is_none() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(store.webhook(&gone_hook[0]).await.unwrap().is_none());
    gone.quiet(500).await;

    // A target that keeps failing is tried six times, then given up; the hook stays.
    for _ in 0..domain::webhook::DELIVERY_ATTEMPTS {
        assert_eq!(
            down.next(10).await.header("x-masthead-delivery").len(),
            delivery.len()
        );
    }
    down.quiet(2000).await;
    let hook = store.webhook(&down_hook[0]).await.unwrap().unwrap();
    assert_eq!(hook.last_triggered_status.as_deref(), Some("503"));
    assert!(hook.last_triggered_error.unwrap().contains("503"));
    let flaky = store.webhook(&flaky_hook[0]).await.unwrap().unwrap();
    assert_eq!(flaky.last_triggered_status.as_deref(), Some("200"));
    assert!(
        store
            .due_deliveries(Utc::now() + chrono::Duration::days(1), 10)
            .await
            .unwrap()
            .is_empty()
    );
}

#[tokio::test]
async fn a_delivery_queued_by_another_process_is_sent() {
    let app = TestApp::empty().await;
    let auth = admin_auth(&app).await;
    let mut rx = Receiver::start(&[]).await;
    hook_up(&app, &auth, &rx.url, &["member.added"]).await;
    // Queued straight into the store, as another node would: no wake-up, found by polling.
    let n = app
        .state
        .store
        .enqueue_webhook_event(
            domain::WebhookEvent::MemberAdded,
            r#"{"member":{}}"#,
            Utc::now(),
        )
        .await
        .unwrap();
    assert_eq!(n, 1);
    let got = rx.next(10).await;
    assert_eq!(got.body, r#"{"member":{}}"#);
    assert_signed(&got);
}

#[tokio::test]
async fn a_scheduled_post_fires_published_once_when_its_time_comes() {
    let app = TestApp::empty().await;
    // A second process on the same database (its own data directory), with its own deliverer.
    let other_dir = tempfile::tempdir().unwrap();
    let other = masthead::serve::state(Config {
        database: masthead::config::Database::Sqlite(app._dir.path().join("masthead.db")),
        ..crate::helpers::config(other_dir.path())
    })
    .await
    .unwrap();
    let auth = admin_auth(&app).await;
    let mut rx = Receiver::start(&[]).await;
    hook_up(&app, &auth, &rx.url, &["post.published"]).await;
    let at = Utc::now() + chrono::Duration::seconds(2);
    let res = call(
        &app,
        Method::POST,
        "posts/?source=html",
        &auth,
        Some(json!({ "posts": [{ "title": "Embargoed", "html": "<p>At noon.</p>", "status": "scheduled",
            "published_at": at.to_rfc3339() }] })),
    )
    .await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.body);
    assert_eq!(
        serde_json::from_str::<Value>(&res.body).unwrap()["posts"][0]["status"],
        "scheduled"
    );
    let got = rx.next(15).await;
    assert!(Utc::now() >= at, "not before its time");
    assert_eq!(got.event(), "post.published");
    let body = got.json();
    assert_eq!(body["post"]["current"]["title"], "Embargoed");
    assert_eq!(body["post"]["previous"]["status"], "scheduled");
    rx.quiet(3000).await; // once, though two processes watch the clock
    drop(other);
}

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
    let store = masthead::serve::open_store(&config).await.unwrap();
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
        .upsert_tier(&domain::Tier {
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
        })
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

#[tokio::test]
async fn on_postgres_two_processes_send_each_event_once() {
    let Some(admin) = store::testing::postgres_admin_url() else {
        return;
    };
    let (pg, url) = store::testing::postgres(&admin).await.unwrap();
    pg.close().await;
    let on_pg = |dir: &std::path::Path| Config {
        database: masthead::config::Database::Postgres(masthead::config::Secret(url.clone())),
        ..crate::helpers::config(dir)
    };
    let app = TestApp::boot_with(tempfile::tempdir().unwrap(), |c| Config {
        database: on_pg(&c.data_dir).database,
        ..c
    })
    .await;
    let other_dir = tempfile::tempdir().unwrap();
    let other = masthead::serve::state(on_pg(other_dir.path()))
        .await
        .unwrap();
    let auth = admin_auth(&app).await;
    let mut rx = Receiver::start(&[(500, 0)]).await;
    hook_up(&app, &auth, &rx.url, &["post.published"]).await;
    let at = Utc::now() + chrono::Duration::seconds(2);
    for (title, status, at) in [("Now", "published", Utc::now()), ("Later", "scheduled", at)] {
        let res = call(
            &app,
            Method::POST,
            "posts/?source=html",
            &auth,
            Some(
                json!({ "posts": [{ "title": title, "html": "<p>Text.</p>", "status": status,
                "published_at": at.to_rfc3339() }] }),
            ),
        )
        .await;
        assert_eq!(res.status, StatusCode::CREATED, "{}", res.body);
    }
    // "Now" fails once (500) and is retried after 30 s, past this test; "Later" arrives once.
    let mut titles = vec![];
    for _ in 0..2 {
        let got = rx.next(15).await;
        titles.push(
            got.json()["post"]["current"]["title"]
                .as_str()
                .unwrap()
                .to_owned(),
        );
    }
    titles.sort();
    assert_eq!(titles, ["Later", "Now"]);
    rx.quiet(3000).await;
    drop(other);
}

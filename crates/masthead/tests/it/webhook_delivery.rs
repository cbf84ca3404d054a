//! Webhook deliveries, end to end: posts and pages fired by the Admin API and the clock reach a
//! real HTTP receiver on 127.0.0.1, signed, retried and given up as promised, once across
//! processes (SQLite and PostgreSQL), never carrying the gated part of a story.

use crate::helpers::TestApp;
use crate::helpers::admin::{admin_auth, call};
use crate::helpers::receiver::{Receiver, assert_signed, hook_up};
use axum::http::{Method, StatusCode};
use chrono::Utc;
use masthead::config::Config;
use serde_json::{Value, json};
use std::time::Duration;

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
    let other = masthead::state::build(Config {
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
    let other = masthead::state::build(on_pg(other_dir.path()))
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

#[tokio::test]
async fn deliveries_to_inside_addresses_are_refused_alike_for_open_and_closed_ports() {
    let app = TestApp::boot_with(tempfile::tempdir().unwrap(), |c| Config {
        webhook_allow_private: false,
        media_max_bytes: masthead::config::DEFAULT_MEDIA_MAX_BYTES,
        media_max_pixels: masthead::config::DEFAULT_MEDIA_MAX_PIXELS,
        ..c
    })
    .await;
    let mut rx = Receiver::start(&[]).await;
    let open = rx
        .url
        .rsplit(':')
        .next()
        .unwrap()
        .trim_end_matches("/hook")
        .to_owned();
    let closed = crate::helpers::external::free_port().to_string();
    // Stored directly, as hooks registered before the guard or while private targets were
    // allowed: `localhost` goes through the resolver, the others are literal addresses.
    let targets = [
        format!("http://localhost:{open}/hook"),
        format!("http://localhost:{closed}/hook"),
        format!("http://127.0.0.1:{open}/hook"),
        format!("http://127.0.0.1:{closed}/hook"),
        format!("http://[::ffff:127.0.0.1]:{open}/hook"),
        format!("http://2130706433:{open}/hook"),
        format!("http://0x7f.1:{open}/hook"),
    ];
    for target in &targets {
        let hook = store::Webhook {
            id: masthead::compose::new_id(),
            event: domain::WebhookEvent::MemberAdded,
            target_url: domain::TargetUrl::parse(target).unwrap(),
            name: Some(target.clone()),
            secret: None,
            api_version: "v6".into(),
            integration_id: None,
            created_at: Utc::now(),
            updated_at: Utc::now(),
            last_triggered_at: None,
            last_triggered_status: None,
            last_triggered_error: None,
        };
        app.state.store.create_webhook(&hook).await.unwrap();
    }
    let store = &app.state.store;
    let queued = store
        .enqueue_webhook_event(domain::WebhookEvent::MemberAdded, "{}", Utc::now())
        .await
        .unwrap();
    assert_eq!(queued, targets.len());
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    let hooks = loop {
        let hooks = store.webhooks(None).await.unwrap();
        if hooks.iter().all(|h| h.last_triggered_at.is_some()) {
            break hooks;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "every delivery is attempted"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    rx.quiet(300).await;
    for hook in hooks {
        let target = hook.name.as_deref().unwrap();
        // One generic record whatever the port: the hook is no port scanner.
        assert_eq!(
            hook.last_triggered_error.as_deref(),
            Some("refused: private address"),
            "{target}"
        );
        assert_eq!(hook.last_triggered_status, None, "{target}");
    }
    // Refused for good: nothing waits for a retry.
    let later = Utc::now() + chrono::Duration::days(2);
    assert!(store.due_deliveries(later, 100).await.unwrap().is_empty());
}

//! Webhooks through the Admin API: added, edited, listed and deleted with Ghost's shapes;
//! unknown events, non-http targets, missing fields and forged tokens get Ghost's errors.

use crate::ghost_admin::{admin_key, call, error_type, token};
use crate::helpers::TestApp;
use axum::http::{Method, StatusCode};
use serde_json::{Value, json};

#[tokio::test]
async fn webhooks_are_added_edited_and_deleted() {
    let app = TestApp::empty().await;
    let admin = admin_key(&app).await;
    let auth = format!("Ghost {}", token(&admin, "/admin/", 300, &admin.secret));

    let hook = json!({ "webhooks": [{
        "event": "post.published",
        "target_url": "http://127.0.0.1:9/hook",
        "name": "rebuild",
        "secret": "s3cret",
    }]});
    let res = call(&app, Method::POST, "webhooks/", &auth, Some(hook)).await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.body);
    let made: Value = serde_json::from_str(&res.body).unwrap();
    let made = &made["webhooks"][0];
    let id = made["id"].as_str().unwrap().to_owned();
    assert_eq!(made["event"], "post.published");
    assert_eq!(made["target_url"], "http://127.0.0.1:9/hook");
    assert_eq!(made["name"], "rebuild");
    assert!(made["last_triggered_at"].is_null());

    let edit = json!({ "webhooks": [{ "event": "member.added", "name": "crm" }]});
    let res = call(
        &app,
        Method::PUT,
        &format!("webhooks/{id}/"),
        &auth,
        Some(edit),
    )
    .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let edited: Value = serde_json::from_str(&res.body).unwrap();
    assert_eq!(edited["webhooks"][0]["event"], "member.added");
    assert_eq!(
        edited["webhooks"][0]["target_url"],
        "http://127.0.0.1:9/hook"
    );
    assert_eq!(edited["webhooks"][0]["name"], "crm");

    let stored = app.state.store.webhook(&id).await.unwrap().unwrap();
    assert_eq!(stored.event, domain::WebhookEvent::MemberAdded);
    assert_eq!(stored.secret.as_deref(), Some("s3cret"));

    let res = call(&app, Method::GET, "webhooks/", &auth, None).await;
    let listed: Value = serde_json::from_str(&res.body).unwrap();
    assert_eq!(listed["webhooks"].as_array().unwrap().len(), 1);

    let res = call(
        &app,
        Method::DELETE,
        &format!("webhooks/{id}/"),
        &auth,
        None,
    )
    .await;
    assert_eq!(res.status, StatusCode::NO_CONTENT, "{}", res.body);
    let res = call(
        &app,
        Method::DELETE,
        &format!("webhooks/{id}/"),
        &auth,
        None,
    )
    .await;
    assert_eq!(res.status, StatusCode::NOT_FOUND);
    assert_eq!(error_type(&res), "NotFoundError");
    assert!(app.state.store.webhook(&id).await.unwrap().is_none());
}

#[tokio::test]
async fn bad_webhooks_get_ghost_errors() {
    let app = TestApp::empty().await;
    let admin = admin_key(&app).await;
    let auth = format!("Ghost {}", token(&admin, "/admin/", 300, &admin.secret));

    let bad = [
        json!({ "webhooks": [{ "event": "site.changed", "target_url": "http://x.test/" }]}),
        json!({ "webhooks": [{ "event": "post.published", "target_url": "ftp://x.test/" }]}),
        json!({ "webhooks": [{ "event": "post.published", "target_url": "javascript:1" }]}),
        json!({ "webhooks": [{ "target_url": "http://x.test/" }]}),
        json!({ "webhooks": [{ "event": "post.published" }]}),
        json!({ "webhooks": [] }),
        json!({ "webhook": {} }),
        json!({ "webhooks": [{ "event": 7, "target_url": ["x"] }]}),
    ];
    for body in bad {
        let res = call(&app, Method::POST, "webhooks/", &auth, Some(body.clone())).await;
        assert_eq!(
            res.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{body}: {}",
            res.body
        );
        assert_eq!(error_type(&res), "ValidationError", "{body}");
    }
    assert!(app.state.store.webhooks(None).await.unwrap().is_empty());

    let good = json!({ "webhooks": [{ "event": "post.deleted", "target_url": "https://x.test/" }]});
    let res = call(&app, Method::POST, "webhooks/", &auth, Some(good.clone())).await;
    let id = serde_json::from_str::<Value>(&res.body).unwrap()["webhooks"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let ftp = json!({ "webhooks": [{ "target_url": "ftp://x.test/" }]});
    let res = call(
        &app,
        Method::PUT,
        &format!("webhooks/{id}/"),
        &auth,
        Some(ftp),
    )
    .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    let res = call(
        &app,
        Method::PUT,
        "webhooks/nope/",
        &auth,
        Some(good.clone()),
    )
    .await;
    assert_eq!(res.status, StatusCode::NOT_FOUND);

    let forged = format!("Ghost {}", token(&admin, "/admin/", 300, b"not the secret"));
    let res = call(&app, Method::POST, "webhooks/", &forged, Some(good)).await;
    assert_eq!(res.status, StatusCode::UNAUTHORIZED, "{}", res.body);
    assert_eq!(error_type(&res), "UnauthorizedError");
    let res = call(
        &app,
        Method::DELETE,
        &format!("webhooks/{id}/"),
        "Ghost x.y.z",
        None,
    )
    .await;
    assert_eq!(res.status, StatusCode::UNAUTHORIZED);
    assert!(app.state.store.webhook(&id).await.unwrap().is_some());
}

#[tokio::test]
async fn targets_inside_the_servers_networks_are_refused_unless_allowed() {
    let app = TestApp::boot_with(tempfile::tempdir().unwrap(), |c| masthead::config::Config {
        webhook_allow_private: false,
        media_max_bytes: masthead::config::DEFAULT_MEDIA_MAX_BYTES,
        media_max_pixels: masthead::config::DEFAULT_MEDIA_MAX_PIXELS,
        ..c
    })
    .await;
    let admin = admin_key(&app).await;
    let auth = format!("Ghost {}", token(&admin, "/admin/", 300, &admin.secret));
    let add =
        |target: &str| json!({ "webhooks": [{ "event": "post.published", "target_url": target }]});
    let inside = [
        ("http://127.0.0.1:6379/", "loopback"),
        ("http://localhost:8080/hook", "localhost"),
        ("http://[::1]/", "loopback"),
        ("http://10.0.0.5/", "private"),
        ("http://172.20.1.1/", "private"),
        ("http://192.168.0.10/", "private"),
        ("http://[fd00::5]/", "unique local"),
        ("http://169.254.169.254/latest/meta-data/", "link-local"),
        ("http://[fe80::1]/", "link-local"),
        ("http://224.0.0.251/", "multicast"),
        ("http://[ff02::fb]/", "multicast"),
        ("http://0.0.0.0:9/", "unspecified"),
        ("http://[::]/", "unspecified"),
        ("http://100.64.1.1/", "carrier-grade NAT"),
        ("http://255.255.255.255/", "broadcast"),
        ("http://192.0.2.1/", "documentation"),
        ("http://198.18.0.1/", "benchmarking"),
        ("http://[::ffff:127.0.0.1]/", "loopback"),
        ("http://[::ffff:169.254.169.254]/", "link-local"),
        ("http://2130706433/", "loopback"),
        ("http://0x7f.1/", "loopback"),
        ("http://127.1/", "loopback"),
    ];
    for (target, range) in inside {
        let res = call(&app, Method::POST, "webhooks/", &auth, Some(add(target))).await;
        assert_eq!(
            res.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{target}: {}",
            res.body
        );
        assert_eq!(error_type(&res), "ValidationError", "{target}");
        assert!(res.body.contains(range), "{target}: {}", res.body);
    }
    assert!(app.state.store.webhooks(None).await.unwrap().is_empty());

    // Public targets are fine, and an edit cannot move one inside.
    let res = call(
        &app,
        Method::POST,
        "webhooks/",
        &auth,
        Some(add("https://hooks.example.com/x")),
    )
    .await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.body);
    let id = serde_json::from_str::<Value>(&res.body).unwrap()["webhooks"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let inside = json!({ "webhooks": [{ "target_url": "http://169.254.169.254/" }]});
    let res = call(
        &app,
        Method::PUT,
        &format!("webhooks/{id}/"),
        &auth,
        Some(inside),
    )
    .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", res.body);
    let stored = app.state.store.webhook(&id).await.unwrap().unwrap();
    assert_eq!(stored.target_url.as_str(), "https://hooks.example.com/x");

    // A site that allows private targets (single-host setups, these tests) accepts them.
    let open = TestApp::empty().await;
    assert!(open.state.config.webhook_allow_private);
    let admin = admin_key(&open).await;
    let auth = format!("Ghost {}", token(&admin, "/admin/", 300, &admin.secret));
    for target in [
        "http://127.0.0.1:9/hook",
        "http://localhost:9/",
        "http://10.0.0.5/",
    ] {
        let res = call(&open, Method::POST, "webhooks/", &auth, Some(add(target))).await;
        assert_eq!(res.status, StatusCode::CREATED, "{target}: {}", res.body);
    }
}

//! Paying through Stripe, against a local server that speaks Stripe's request and response
//! shapes, and webhooks signed locally the way Stripe signs them.

use crate::helpers::TestApp;
use axum::http::StatusCode;
use axum::routing::post;
use axum::{Form, Json, Router};
use chrono::{Duration, Utc};
use masthead::billing::webhook::sign;
use masthead::config::{Config, Secret, StripeConfig};
use serde_json::{Value, json};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

pub(crate) const WEBHOOK_SECRET: &str = "whsec_test_masthead";

type Seen = Arc<Mutex<Vec<(String, HashMap<String, String>)>>>;

/// A local stand-in for api.stripe.com: records requests, answers like Stripe.
async fn fake_stripe() -> (String, Seen) {
    let seen: Seen = Arc::default();
    let record = |path: &'static str, seen: Seen, reply: Value| {
        post(
            move |headers: axum::http::HeaderMap, Form(form): Form<HashMap<String, String>>| {
                let (seen, reply) = (seen.clone(), reply.clone());
                async move {
                    let auth = headers
                        .get("authorization")
                        .and_then(|v| v.to_str().ok())
                        .unwrap_or("")
                        .to_owned();
                    let mut form = form;
                    form.insert("__auth".into(), auth);
                    seen.lock().unwrap().push((path.to_owned(), form));
                    Json(reply)
                }
            },
        )
    };
    let app = Router::new()
        .route(
            "/v1/checkout/sessions",
            record("checkout", seen.clone(), json!({ "id": "cs_test_1", "object": "checkout.session", "url": "https://checkout.stripe.test/c/pay/cs_test_1" })),
        )
        .route(
            "/v1/billing_portal/sessions",
            record("portal", seen.clone(), json!({ "id": "bps_1", "object": "billing_portal.session", "url": "https://billing.stripe.test/p/session/bps_1" })),
        );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(axum::serve(listener, app).into_future());
    (base, seen)
}

pub(crate) async fn app_with_stripe(base: &str) -> TestApp {
    let stripe = StripeConfig {
        api_base: base.to_owned(),
        secret_key: Secret("sk_test_masthead".into()),
        webhook_secrets: vec![
            Secret("whsec_old_rotated".into()),
            Secret(WEBHOOK_SECRET.into()),
        ],
    };
    TestApp::demo_with(move |c| Config {
        stripe: Some(stripe),
        ..c
    })
    .await
}

/// A site whose webhook secrets are exactly `secrets`, past the configuration's checks.
async fn app_with_secrets(secrets: &[&str]) -> TestApp {
    let stripe = StripeConfig {
        api_base: "http://127.0.0.1:9".into(),
        secret_key: Secret("sk_test_masthead".into()),
        webhook_secrets: secrets.iter().map(|s| Secret((*s).to_owned())).collect(),
    };
    TestApp::demo_with(move |c| Config {
        stripe: Some(stripe),
        ..c
    })
    .await
}

pub(crate) fn event(id: &str, kind: &str, created: i64, object: Value) -> String {
    json!({ "id": id, "object": "event", "type": kind, "created": created, "livemode": false, "data": { "object": object } }).to_string()
}

pub(crate) fn subscription(member_id: &str, status: &str) -> Value {
    json!({
        "id": "sub_1", "object": "subscription", "customer": "cus_1", "status": status,
        "cancel_at_period_end": false, "current_period_end": (Utc::now() + Duration::days(30)).timestamp(),
        "metadata": { "tier": "subscriber-plus", "member_id": member_id },
        "items": { "data": [ { "price": { "id": "price_1", "metadata": { "tier": "subscriber-plus" } } } ] }
    })
}

pub(crate) async fn deliver(
    app: &TestApp,
    payload: &str,
    secret: &str,
    at: i64,
) -> (StatusCode, String) {
    let req = axum::http::Request::builder()
        .method("POST")
        .uri("/webhooks/stripe")
        .header("stripe-signature", sign(payload.as_bytes(), secret, at))
        .header("content-type", "application/json")
        .body(axum::body::Body::from(payload.to_owned()))
        .unwrap();
    let res = tower::ServiceExt::oneshot(app.router.clone(), req)
        .await
        .unwrap();
    let status = res.status();
    let body = axum::body::to_bytes(res.into_body(), usize::MAX)
        .await
        .unwrap();
    (status, String::from_utf8_lossy(&body).into_owned())
}

async fn status_of(app: &TestApp, email: &str) -> Option<String> {
    let member = app
        .state
        .store
        .member_by_email(&domain::Email::parse(email).unwrap())
        .await
        .unwrap()
        .unwrap();
    app.state
        .store
        .subscription(&member.id)
        .await
        .unwrap()
        .map(|s| s.status.as_str().to_owned())
}

#[tokio::test]
async fn checkout_and_portal_speak_stripes_shapes() {
    let (base, seen) = fake_stripe().await;
    let app = app_with_stripe(&base).await;
    let b = app.signed_in("reader@example.com").await;
    let res = app
        .get_as(
            "/members/checkout?tier=subscriber-plus&cadence=year",
            &b.cookies(),
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    assert_eq!(
        res.header("location"),
        "https://checkout.stripe.test/c/pay/cs_test_1"
    );
    let (path, form) = seen.lock().unwrap()[0].clone();
    assert_eq!(path, "checkout");
    assert_eq!(form["__auth"], "Bearer sk_test_masthead");
    assert_eq!(form["mode"], "subscription");
    assert_eq!(form["line_items[0][price_data][unit_amount]"], "8000");
    assert_eq!(
        form["line_items[0][price_data][recurring][interval]"],
        "year"
    );
    assert_eq!(form["metadata[tier]"], "subscriber-plus");
    assert_eq!(form["customer_email"], "reader@example.com");
    let member = app
        .state
        .store
        .member_by_email(&domain::Email::parse("reader@example.com").unwrap())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(form["client_reference_id"], member.id);
    assert_eq!(form["subscription_data[metadata][member_id]"], member.id);

    let anonymous = app
        .get("/members/checkout?tier=subscriber-plus&cadence=month")
        .await;
    assert_eq!(
        anonymous.header("location"),
        "/signup/?tier=subscriber-plus",
        "sign up first"
    );
    assert_eq!(
        app.get_as("/members/checkout?tier=nope&cadence=month", &b.cookies())
            .await
            .status,
        StatusCode::NOT_FOUND
    );

    // After Stripe reports the checkout, the member can manage billing in the portal.
    let now = Utc::now().timestamp();
    let done = event(
        "evt_checkout",
        "checkout.session.completed",
        now,
        json!({
            "id": "cs_test_1", "object": "checkout.session", "mode": "subscription", "customer": "cus_1",
            "subscription": "sub_1", "client_reference_id": member.id, "metadata": { "tier": "subscriber-plus" }
        }),
    );
    assert_eq!(
        deliver(&app, &done, WEBHOOK_SECRET, now).await.0,
        StatusCode::OK
    );
    assert_eq!(
        status_of(&app, "reader@example.com").await.as_deref(),
        Some("active")
    );
    // The account page's form posts here and is redirected to Stripe: the page's
    // `form-action` must list Stripe's pages and the configured (here: local) Stripe server.
    let account = app.get_as("/account/", &b.cookies()).await;
    let policy = account.header("content-security-policy");
    for source in [
        "https://checkout.stripe.com",
        "https://billing.stripe.com",
        base.as_str(),
    ] {
        assert!(
            policy.contains(&format!(" {source}")),
            "{source} in {policy}"
        );
    }
    let portal = app
        .post_form(
            "/members/billing-portal",
            &b.cookies(),
            &[("csrf", &b.csrf)],
        )
        .await;
    assert_eq!(
        portal.header("location"),
        "https://billing.stripe.test/p/session/bps_1"
    );
    let (path, form) = seen.lock().unwrap()[1].clone();
    assert_eq!(
        (path.as_str(), form["customer"].as_str()),
        ("portal", "cus_1")
    );
}

#[tokio::test]
async fn webhooks_are_verified_idempotent_and_order_tolerant() {
    let (base, _) = fake_stripe().await;
    let app = app_with_stripe(&base).await;
    let member = app
        .state
        .store
        .create_member(
            "m-1",
            &domain::Email::parse("payer@example.com").unwrap(),
            "",
            Utc::now(),
        )
        .await
        .unwrap();
    let now = Utc::now().timestamp();
    let created = event(
        "evt_1",
        "customer.subscription.created",
        now - 60,
        subscription(&member.id, "active"),
    );

    let (status, body) = deliver(&app, &created, "whsec_wrong", now).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert_eq!(
        status_of(&app, "payer@example.com").await,
        None,
        "a forged event changes nothing"
    );
    assert_eq!(
        deliver(&app, &created, WEBHOOK_SECRET, now - 600).await.0,
        StatusCode::BAD_REQUEST,
        "stale timestamp"
    );
    let unsigned = axum::http::Request::builder()
        .method("POST")
        .uri("/webhooks/stripe")
        .body(axum::body::Body::from(created.clone()))
        .unwrap();
    assert_eq!(
        tower::ServiceExt::oneshot(app.router.clone(), unsigned)
            .await
            .unwrap()
            .status(),
        StatusCode::BAD_REQUEST
    );

    assert_eq!(
        deliver(&app, &created, WEBHOOK_SECRET, now).await,
        (StatusCode::OK, "applied".into())
    );
    assert_eq!(
        status_of(&app, "payer@example.com").await.as_deref(),
        Some("active")
    );
    assert_eq!(
        deliver(&app, &created, WEBHOOK_SECRET, now).await.1,
        "already applied",
        "replays are ignored"
    );

    // Out of order: the deletion (newer) arrives before a stale update.
    let deleted = event(
        "evt_3",
        "customer.subscription.deleted",
        now - 10,
        subscription(&member.id, "canceled"),
    );
    let stale = event(
        "evt_2",
        "customer.subscription.updated",
        now - 30,
        subscription(&member.id, "active"),
    );
    assert_eq!(
        deliver(&app, &deleted, WEBHOOK_SECRET, now).await.0,
        StatusCode::OK
    );
    assert_eq!(
        deliver(&app, &stale, WEBHOOK_SECRET, now).await.0,
        StatusCode::OK
    );
    assert_eq!(
        status_of(&app, "payer@example.com").await.as_deref(),
        Some("canceled"),
        "a stale update cannot resurrect it"
    );

    let unknown = event(
        "evt_4",
        "customer.tax_id.created",
        now,
        json!({ "id": "txi_1", "object": "tax_id" }),
    );
    assert_eq!(
        deliver(&app, &unknown, WEBHOOK_SECRET, now).await,
        (StatusCode::OK, "applied".into())
    );
    let garbage = "{\"id\": 5, \"type\": [";
    assert_eq!(
        deliver(&app, garbage, WEBHOOK_SECRET, now).await.0,
        StatusCode::BAD_REQUEST
    );
}

/// `"whsec_x,"` once put an empty key beside `whsec_x`, and HMAC accepts an empty key: anyone
/// could sign events. The setting is read the way `masthead serve` reads it (`masthead.toml`).
#[tokio::test]
async fn an_empty_webhook_secret_signs_nothing() {
    let settings = tempfile::tempdir().unwrap();
    std::fs::write(
        settings.path().join("masthead.toml"),
        "stripe_secret_key = \"sk_test_masthead\"\nstripe_webhook_secret = \"whsec_x,\"\n",
    )
    .unwrap();
    let args = masthead::cli::DbArgs {
        data: Some(settings.path().to_owned()),
        database_url: None,
    };
    let stripe = Config::resolve(&args.overrides()).unwrap().stripe;
    let app = TestApp::demo_with(move |c| Config { stripe, ..c }).await;
    let member = app
        .state
        .store
        .create_member(
            "m-empty",
            &domain::Email::parse("empty@example.com").unwrap(),
            "",
            Utc::now(),
        )
        .await
        .unwrap();
    let now = Utc::now().timestamp();
    let created = event(
        "evt_e1",
        "customer.subscription.created",
        now,
        subscription(&member.id, "active"),
    );
    let (status, body) = deliver(&app, &created, "", now).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert_eq!(
        status_of(&app, "empty@example.com").await,
        None,
        "an event signed with an empty key changes nothing"
    );
    assert_eq!(
        deliver(&app, &created, "whsec_x", now).await,
        (StatusCode::OK, "applied".into()),
        "the real secret still verifies"
    );

    // Should an empty key reach the handler anyway, verification skips it.
    let app = app_with_secrets(&["", WEBHOOK_SECRET]).await;
    let (status, _) = deliver(&app, &created, "", now).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(
        deliver(&app, &created, WEBHOOK_SECRET, now).await.0,
        StatusCode::OK
    );
}

#[tokio::test]
async fn a_failed_payment_keeps_access_through_the_grace_period() {
    let (base, _) = fake_stripe().await;
    let app = app_with_stripe(&base).await;
    let member = app
        .state
        .store
        .create_member(
            "m-2",
            &domain::Email::parse("late@example.com").unwrap(),
            "",
            Utc::now(),
        )
        .await
        .unwrap();
    let now = Utc::now().timestamp();
    deliver(
        &app,
        &event(
            "evt_a",
            "customer.subscription.created",
            now - 100,
            subscription(&member.id, "active"),
        ),
        WEBHOOK_SECRET,
        now,
    )
    .await;
    let failed = event(
        "evt_b",
        "invoice.payment_failed",
        now - 50,
        json!({ "id": "in_1", "object": "invoice", "customer": "cus_1", "subscription": "sub_1" }),
    );
    deliver(&app, &failed, WEBHOOK_SECRET, now).await;
    assert_eq!(
        status_of(&app, "late@example.com").await.as_deref(),
        Some("past_due")
    );
    let b = app.signed_in("late@example.com").await;
    let account = app.get_as("/account/", &b.cookies()).await;
    assert!(account.body.contains("Past due"));
    let paid = app
        .state
        .store
        .list_posts(&store::PostFilter::posts(), 200, 0, Utc::now())
        .await
        .unwrap();
    let paid = paid.iter().find(|p| p.visibility.kind() == "paid").unwrap();
    let page = app.get_as(&format!("/{}/", paid.slug), &b.cookies()).await;
    assert_eq!(
        page.count(".gated"),
        1,
        "still readable during the grace period"
    );
    let recovered = event(
        "evt_c",
        "invoice.paid",
        now - 20,
        json!({ "id": "in_1", "object": "invoice", "customer": "cus_1", "subscription": "sub_1" }),
    );
    deliver(&app, &recovered, WEBHOOK_SECRET, now).await;
    assert_eq!(
        status_of(&app, "late@example.com").await.as_deref(),
        Some("active")
    );
}

#[tokio::test]
async fn without_stripe_keys_paid_signup_says_payments_are_off() {
    let app = TestApp::demo().await;
    let signup = app.get("/signup/?tier=subscriber-plus").await;
    assert!(
        signup.body.contains("not configured"),
        "the sign-up page says so"
    );
    let b = app.signed_in("reader@example.com").await;
    let res = app
        .get_as(
            "/members/checkout?tier=subscriber-plus&cadence=month",
            &b.cookies(),
        )
        .await;
    assert_eq!(res.status, StatusCode::BAD_REQUEST);
    assert!(res.body.contains("not configured"));
    assert_eq!(
        app.post_form("/webhooks/stripe", "", &[]).await.status,
        StatusCode::NOT_FOUND
    );
}

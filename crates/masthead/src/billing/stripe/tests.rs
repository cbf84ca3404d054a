//! The client against a tiny local server standing in for Stripe: request shape, auth, errors.

use super::*;
use axum::Router;
use axum::extract::{Request, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use std::sync::{Arc, Mutex};

const KEY: &str = "sk_test_123";
const SESSION: &str =
    r#"{"id":"cs_test_1","object":"checkout.session","url":"http://127.0.0.1/checkout/cs_test_1"}"#;

/// One request as the fake Stripe received it.
#[derive(Debug, Clone)]
struct Seen {
    method: String,
    path: String,
    idempotency_key: Option<String>,
    content_type: Option<String>,
    form: Vec<(String, String)>,
}

#[derive(Clone)]
struct Fake {
    seen: Arc<Mutex<Vec<Seen>>>,
    status: StatusCode,
    body: &'static str,
}

/// Checks the bearer token as Stripe does, records the request, and answers as configured.
async fn stripe(State(fake): State<Fake>, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    let bytes = axum::body::to_bytes(body, 1 << 20).await.unwrap();
    let header = |name: &str| {
        parts
            .headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    };
    fake.seen.lock().unwrap().push(Seen {
        method: parts.method.to_string(),
        path: parts.uri.path().to_owned(),
        idempotency_key: header("idempotency-key"),
        content_type: header("content-type"),
        form: form_urlencoded::parse(&bytes).into_owned().collect(),
    });
    if header("authorization").as_deref() != Some(&format!("Bearer {KEY}")) {
        let invalid = r#"{"error":{"message":"Invalid API Key provided: sk_test_***","type":"invalid_request_error"}}"#;
        return (
            StatusCode::UNAUTHORIZED,
            [(header::CONTENT_TYPE, "application/json")],
            invalid,
        )
            .into_response();
    }
    (
        fake.status,
        [(header::CONTENT_TYPE, "application/json")],
        fake.body,
    )
        .into_response()
}

/// Serves the fake on 127.0.0.1 at a free port; returns its base URL and what it receives.
async fn fake_stripe(status: StatusCode, body: &'static str) -> (String, Arc<Mutex<Vec<Seen>>>) {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let fake = Fake {
        seen: seen.clone(),
        status,
        body,
    };
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base_url = format!("http://{}", listener.local_addr().unwrap());
    let app = Router::new().fallback(stripe).with_state(fake);
    tokio::spawn(async move { axum::serve(listener, app).await });
    (base_url, seen)
}

fn request() -> CheckoutRequest {
    CheckoutRequest {
        member_id: "0195a3c4-member-1".into(),
        email: "reader@example.com".into(),
        customer_id: None,
        tier_slug: "subscriber-plus".into(),
        tier_name: "Subscriber+".into(),
        unit_amount: 800,
        currency: "usd".into(),
        interval: "month".into(),
        trial_days: 14,
        price_id: None,
        coupon: None,
        offer_id: None,
        success_url: "https://news.example/account/?checkout=success".into(),
        cancel_url: "https://news.example/account/?checkout=cancel".into(),
    }
}

fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

#[tokio::test]
async fn checkout_sends_the_documented_form() {
    let (base_url, seen) = fake_stripe(StatusCode::OK, SESSION).await;
    let client = StripeClient::new(&base_url, KEY);
    let url = client.create_checkout_session(&request()).await.unwrap();
    assert_eq!(url, "http://127.0.0.1/checkout/cs_test_1");

    let seen = seen.lock().unwrap()[0].clone();
    assert_eq!(
        (seen.method.as_str(), seen.path.as_str()),
        ("POST", "/v1/checkout/sessions")
    );
    assert_eq!(
        seen.content_type.as_deref(),
        Some("application/x-www-form-urlencoded")
    );
    let key = seen.idempotency_key.expect("an Idempotency-Key header");
    assert!(uuid::Uuid::parse_str(&key).is_ok(), "{key}");
    let want = pairs(&[
        ("mode", "subscription"),
        (
            "success_url",
            "https://news.example/account/?checkout=success",
        ),
        (
            "cancel_url",
            "https://news.example/account/?checkout=cancel",
        ),
        ("client_reference_id", "0195a3c4-member-1"),
        ("customer_email", "reader@example.com"),
        ("line_items[0][quantity]", "1"),
        ("line_items[0][price_data][currency]", "usd"),
        ("line_items[0][price_data][unit_amount]", "800"),
        ("line_items[0][price_data][recurring][interval]", "month"),
        (
            "line_items[0][price_data][product_data][name]",
            "Subscriber+",
        ),
        ("metadata[tier]", "subscriber-plus"),
        ("metadata[member_id]", "0195a3c4-member-1"),
        ("subscription_data[metadata][tier]", "subscriber-plus"),
        (
            "subscription_data[metadata][member_id]",
            "0195a3c4-member-1",
        ),
        ("subscription_data[trial_period_days]", "14"),
    ]);
    assert_eq!(seen.form, want);
}

#[tokio::test]
async fn a_known_customer_is_reused_and_no_trial_is_sent_when_there_is_none() {
    let (base_url, seen) = fake_stripe(StatusCode::OK, SESSION).await;
    let client = StripeClient::new(&format!("{base_url}/"), KEY);
    let req = CheckoutRequest {
        customer_id: Some("cus_Rk1".into()),
        trial_days: 0,
        interval: "year".into(),
        ..request()
    };
    client.create_checkout_session(&req).await.unwrap();
    client.create_checkout_session(&req).await.unwrap();

    let seen = seen.lock().unwrap().clone();
    assert_eq!(
        seen[0].path, "/v1/checkout/sessions",
        "a trailing slash on the base URL is harmless"
    );
    let keys: Vec<&str> = seen[0].form.iter().map(|(k, _)| k.as_str()).collect();
    assert!(
        seen[0]
            .form
            .contains(&("customer".into(), "cus_Rk1".into()))
    );
    assert!(seen[0].form.contains(&(
        "line_items[0][price_data][recurring][interval]".into(),
        "year".into()
    )));
    assert!(!keys.contains(&"customer_email"), "{keys:?}");
    assert!(
        !keys.contains(&"subscription_data[trial_period_days]"),
        "{keys:?}"
    );
    assert_ne!(
        seen[0].idempotency_key, seen[1].idempotency_key,
        "each call is its own request"
    );
}

#[tokio::test]
async fn portal_sessions() {
    let body =
        r#"{"id":"bps_1","object":"billing_portal.session","url":"http://127.0.0.1/portal/bps_1"}"#;
    let (base_url, seen) = fake_stripe(StatusCode::OK, body).await;
    let client = StripeClient::new(&base_url, KEY);
    let url = client
        .create_portal_session("cus_Rk1", "https://news.example/account/")
        .await
        .unwrap();
    assert_eq!(url, "http://127.0.0.1/portal/bps_1");
    let seen = seen.lock().unwrap()[0].clone();
    assert_eq!(seen.path, "/v1/billing_portal/sessions");
    assert_eq!(
        seen.form,
        pairs(&[
            ("customer", "cus_Rk1"),
            ("return_url", "https://news.example/account/")
        ])
    );
}

#[tokio::test]
async fn stripe_errors_carry_stripe_s_message() {
    let body = r#"{"error":{"code":"resource_missing","message":"No such customer: 'cus_gone'","param":"customer","type":"invalid_request_error"}}"#;
    let (base_url, _) = fake_stripe(StatusCode::BAD_REQUEST, body).await;
    let err = StripeClient::new(&base_url, KEY)
        .create_portal_session("cus_gone", "https://x.example/")
        .await
        .unwrap_err();
    let StripeError::Api {
        status,
        kind,
        message,
    } = &err
    else {
        panic!("{err:?}")
    };
    assert_eq!(
        (*status, kind.as_str(), message.as_str()),
        (400, "invalid_request_error", "No such customer: 'cus_gone'")
    );
    assert!(err.to_string().contains("No such customer"), "{err}");

    let (base_url, _) = fake_stripe(StatusCode::OK, SESSION).await;
    let err = StripeClient::new(&base_url, "sk_test_wrong")
        .create_checkout_session(&request())
        .await
        .unwrap_err();
    assert!(
        matches!(&err, StripeError::Api { status: 401, message, .. } if message.starts_with("Invalid API Key")),
        "{err:?}"
    );
}

#[tokio::test]
async fn unexpected_answers_are_errors() {
    let (base_url, _) = fake_stripe(StatusCode::BAD_GATEWAY, "<html>upstream down</html>").await;
    let err = StripeClient::new(&base_url, KEY)
        .create_checkout_session(&request())
        .await
        .unwrap_err();
    assert!(
        matches!(&err, StripeError::Api { status: 502, message, .. } if message.contains("HTTP 502")),
        "{err:?}"
    );

    let (base_url, _) = fake_stripe(
        StatusCode::OK,
        r#"{"id":"cs_test_1","object":"checkout.session"}"#,
    )
    .await;
    let err = StripeClient::new(&base_url, KEY)
        .create_checkout_session(&request())
        .await
        .unwrap_err();
    assert!(matches!(err, StripeError::UnexpectedResponse(_)), "{err:?}");

    let (base_url, _) = fake_stripe(StatusCode::OK, "not json").await;
    let err = StripeClient::new(&base_url, KEY)
        .create_portal_session("cus_1", "https://x.example/")
        .await
        .unwrap_err();
    assert!(matches!(err, StripeError::UnexpectedResponse(_)), "{err:?}");
}

#[tokio::test]
async fn an_unreachable_stripe_is_a_transport_error() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base_url = format!("http://{}", listener.local_addr().unwrap());
    drop(listener);
    let err = StripeClient::new(&base_url, KEY)
        .create_portal_session("cus_1", "https://x.example/")
        .await
        .unwrap_err();
    assert!(matches!(err, StripeError::Transport(_)), "{err:?}");
}

#[test]
fn debug_never_shows_the_secret_key() {
    let client = StripeClient::new(PRODUCTION_BASE_URL, "sk_live_supersecret");
    let debug = format!("{client:?}");
    assert!(!debug.contains("supersecret"), "{debug}");
    assert!(
        debug.contains("redacted") && debug.contains("api.stripe.com"),
        "{debug}"
    );
}

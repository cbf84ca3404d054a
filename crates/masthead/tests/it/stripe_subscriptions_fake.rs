//! A local stand-in for Stripe's `GET /v1/subscriptions`, for the members import: it answers
//! only the request shape Stripe takes (GET, `customer` and `status=all` in the query, a bearer
//! secret key) and records each, so tests can check what was asked.

use axum::extract::Query;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::get;
use axum::{Json, Router};
use serde_json::{Value, json};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

pub const SECRET_KEY: &str = "sk_test_import";

/// The customers asked about, in order.
pub type Asked = Arc<Mutex<Vec<String>>>;

/// Starts the fake with `subscriptions` per customer id; its base URL and the log of requests.
pub async fn start(subscriptions: HashMap<String, Vec<Value>>) -> (String, Asked) {
    let asked: Asked = Arc::default();
    let log = asked.clone();
    let list = move |headers: HeaderMap, Query(q): Query<HashMap<String, String>>| {
        let (log, subscriptions) = (log.clone(), subscriptions.clone());
        async move {
            let auth = headers.get("authorization").and_then(|v| v.to_str().ok());
            if auth != Some(&format!("Bearer {SECRET_KEY}")) {
                let error = json!({"error": {"type": "invalid_request_error", "message": "Invalid API Key provided"}});
                return (StatusCode::UNAUTHORIZED, Json(error));
            }
            let (Some(customer), Some("all")) =
                (q.get("customer"), q.get("status").map(String::as_str))
            else {
                let error = json!({"error": {"type": "invalid_request_error", "message": "customer and status=all expected"}});
                return (StatusCode::BAD_REQUEST, Json(error));
            };
            log.lock().unwrap().push(customer.clone());
            let data = subscriptions.get(customer).cloned().unwrap_or_default();
            let body = json!({ "object": "list", "url": "/v1/subscriptions", "has_more": false, "data": data });
            (StatusCode::OK, Json(body))
        }
    };
    let app = Router::new().route("/v1/subscriptions", get(list));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(axum::serve(listener, app).into_future());
    (base, asked)
}

/// A subscription as Stripe lists it: `status`, a price of `amount` cents per `interval`,
/// with no tier in its metadata (the import maps it by price), the period end on the item as
/// newer API versions put it.
pub fn subscription(id: &str, customer: &str, status: &str, amount: i64, interval: &str) -> Value {
    json!({
        "id": id, "object": "subscription", "customer": customer, "status": status,
        "cancel_at_period_end": false, "metadata": {},
        "items": { "object": "list", "data": [ {
            "id": format!("si_{id}"), "object": "subscription_item",
            "current_period_end": chrono::Utc::now().timestamp() + 20 * 86_400,
            "price": { "id": format!("price_{id}"), "object": "price", "unit_amount": amount,
                       "currency": "usd", "product": "prod_1", "metadata": {},
                       "recurring": { "interval": interval } }
        } ] }
    })
}

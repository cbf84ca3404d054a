//! A webhook receiver for tests: an HTTP server on 127.0.0.1 that answers with scripted
//! statuses and delays and hands every request to the test; hooks registered through the Admin
//! API with a known secret, and their signatures checked.

use super::TestApp;
use super::admin::call;
use axum::Router;
use axum::http::{HeaderMap, Method, StatusCode};
use axum::routing::post;
use masthead::webhooks::sign;
use serde_json::{Value, json};
use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::mpsc;

pub const SECRET: &str = "hook-secret";

/// One request the receiver got.
pub struct Got {
    pub headers: HeaderMap,
    pub body: String,
}

impl Got {
    pub fn header(&self, name: &str) -> &str {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("{e}: {}", self.body))
    }
    pub fn event(&self) -> &str {
        self.header("x-masthead-event")
    }
}

/// An HTTP server on loopback that answers with the scripted `(status, delay)` replies in turn
/// (then 200), and hands every request it gets to the test.
pub struct Receiver {
    pub url: String,
    got: mpsc::UnboundedReceiver<Got>,
}

impl Receiver {
    pub async fn start(script: &[(u16, u64)]) -> Receiver {
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
    pub async fn next(&mut self, secs: u64) -> Got {
        tokio::time::timeout(Duration::from_secs(secs), self.got.recv())
            .await
            .expect("the webhook arrives in time")
            .expect("receiver open")
    }

    /// Asserts nothing more arrives within `millis`.
    pub async fn quiet(&mut self, millis: u64) {
        if let Ok(Some(got)) =
            tokio::time::timeout(Duration::from_millis(millis), self.got.recv()).await
        {
            panic!("unexpected webhook {}: {}", got.event(), got.body);
        }
    }
}

/// Registers a hook for each event through the Admin API.
pub async fn hook_up(app: &TestApp, auth: &str, url: &str, events: &[&str]) -> Vec<String> {
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

pub fn assert_signed(got: &Got) {
    let sig = got.header("x-ghost-signature");
    assert!(
        sign::verify(SECRET, &got.body, sig),
        "X-Ghost-Signature {sig:?} verifies against the body"
    );
    assert_eq!(got.header("content-type"), "application/json");
}

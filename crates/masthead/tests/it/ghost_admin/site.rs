//! The Admin API's `settings/`: every setting `masthead settings` documents, stored or default.

use super::{admin_auth, call};
use crate::helpers::TestApp;
use axum::http::{Method, StatusCode};
use serde_json::Value;

/// Each setting shows its stored value or its default from the settings table; the meters and
/// `free_paragraphs` once showed `null` until set, as their defaults lived in the code that read them.
#[tokio::test]
async fn settings_show_stored_values_or_the_defaults() {
    let app = TestApp::demo().await;
    let auth = admin_auth(&app).await;
    let res = call(&app, Method::GET, "settings/", &auth, None).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let body: Value = serde_json::from_str(&res.body).unwrap();
    let value = |key: &str| {
        body["settings"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["key"] == key)
            .map(|s| s["value"].clone())
    };
    assert_eq!(value("free_paragraphs"), Some(Value::from("2")));
    assert_eq!(value("meter_members"), Some(Value::from("3")), "the demo's");
    assert_eq!(value("language"), Some(Value::from("en")));
    assert_eq!(value("secret_key"), None, "never the signing key");
}

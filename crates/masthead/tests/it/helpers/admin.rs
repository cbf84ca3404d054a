//! The Admin API as a Ghost integration calls it: an admin key made through the store, short
//! HS256 tokens signed with its secret, JSON requests, Ghost's error types.

use super::{TestApp, TestResponse};
use axum::body::Body;
use axum::http::{Method, Request};
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use serde_json::{Value, json};

pub struct Admin {
    pub id: String,
    pub secret: Vec<u8>,
}

pub async fn admin_key(app: &TestApp) -> Admin {
    let made = masthead::ops::keys::create(&app.state.ops(), "writer", true, chrono::Utc::now())
        .await
        .unwrap();
    let (id, secret) = made.secret.split_once(':').unwrap();
    assert_eq!((id.len(), secret.len()), (24, 64));
    Admin {
        id: id.into(),
        secret: hex::decode(secret).unwrap(),
    }
}

/// A token for `admin`'s key id, signed with `secret` (the key's own, or a wrong one).
pub fn token(admin: &Admin, aud: &str, lifetime: i64, secret: &[u8]) -> String {
    let now = chrono::Utc::now().timestamp();
    let mut header = Header::new(Algorithm::HS256);
    header.kid = Some(admin.id.clone());
    let claims = json!({ "iat": now, "exp": now + lifetime, "aud": aud });
    jsonwebtoken::encode(&header, &claims, &EncodingKey::from_secret(secret)).unwrap()
}

/// A new admin key's `Authorization` header value, valid for five minutes.
pub async fn admin_auth(app: &TestApp) -> String {
    let admin = admin_key(app).await;
    format!("Ghost {}", token(&admin, "/admin/", 300, &admin.secret))
}

/// `method /ghost/api/admin/{path}` with `auth` and an optional JSON body.
pub async fn call(
    app: &TestApp,
    method: Method,
    path: &str,
    auth: &str,
    body: Option<Value>,
) -> TestResponse {
    let mut req = Request::builder()
        .method(method)
        .uri(format!("/ghost/api/admin/{path}"))
        .header("authorization", auth);
    if body.is_some() {
        req = req.header("content-type", "application/json");
    }
    let body = body.map_or(Body::empty(), |b| Body::from(b.to_string()));
    app.send(req.body(body).unwrap()).await
}

/// The `type` of a Ghost error answer.
pub fn error_type(res: &TestResponse) -> String {
    let v: Value = serde_json::from_str(&res.body).unwrap_or_else(|e| panic!("{e}: {}", res.body));
    v["errors"][0]["type"].as_str().unwrap().to_owned()
}

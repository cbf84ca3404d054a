//! The Admin API's `users/` and the owner as the author of unsigned posts.

use super::links::{add, slugs};
use crate::helpers::TestApp;
use crate::helpers::admin::{admin_auth, call, error_type};
use crate::newsroom::set_up;
use axum::http::{Method, StatusCode};
use domain::Role;
use masthead::ops::staff::{Actor, accounts};
use serde_json::{Value, json};

#[tokio::test]
async fn users_are_the_staff_in_ghosts_shape_and_unsigned_posts_are_the_owners() {
    let app = TestApp::demo().await;
    let auth = admin_auth(&app).await;
    let empty = call(&app, Method::GET, "users/", &auth, None).await;
    let empty: Value = serde_json::from_str(&empty.body).unwrap();
    assert_eq!(empty["users"], json!([]), "bylines are not users");

    set_up(&app).await;
    accounts::add(
        &app.state.ops(),
        Actor::Console,
        "ed@news.example",
        Role::Editor,
        Some("Ed Editor"),
    )
    .await
    .unwrap();
    let res = call(&app, Method::GET, "users/", &auth, None).await;
    assert_eq!(res.status, StatusCode::OK);
    assert_eq!(res.header("cache-control"), "no-store");
    let v: Value = serde_json::from_str(&res.body).unwrap();
    let users = v["users"].as_array().unwrap();
    assert_eq!(users.len(), 2);
    assert_eq!(users[0]["name"], "Olga Owner");
    assert_eq!(users[0]["roles"][0]["name"], "Owner");
    assert_eq!(users[0]["email"], "olga@news.example");
    assert_eq!(users[1]["roles"][0]["name"], "Editor");
    assert_eq!(users[1]["status"], "active");
    assert_eq!(v["meta"]["pagination"]["total"], 2);
    let id = users[1]["id"].as_str().unwrap();
    for path in [
        format!("users/{id}/"),
        "users/slug/ed-editor/".to_owned(),
        "users/email/ED@news.example/".to_owned(),
    ] {
        let one = call(&app, Method::GET, &path, &auth, None).await;
        let one: Value = serde_json::from_str(&one.body).unwrap();
        assert_eq!(one["users"][0]["id"], id, "{path}");
    }
    let missing = call(&app, Method::GET, "users/nobody/", &auth, None).await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert_eq!(error_type(&missing), "NotFoundError");
    let anonymous = app.get("/ghost/api/admin/users/").await;
    assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);

    // With an owner, what nobody signed is the owner's (the setting, when set, still decides).
    let (status, post) = add(
        &app,
        &auth,
        "posts",
        json!({ "title": "Unsigned wire copy" }),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{post}");
    assert_eq!(slugs(&post["authors"]), ["olga-owner"]);
}

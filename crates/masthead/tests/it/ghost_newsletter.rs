//! The newsletter request on Admin API posts (`?newsletter=<slug>&email_segment=<segment>`, or
//! the same names in the body): stored only when a post is being published, validated (Ghost's
//! 422), fixed once sent, shown on every Admin post and never on the Content API.

use crate::ghost_content::content_key;
use crate::helpers::admin::{admin_auth, call, error_type};
use crate::helpers::{TestApp, TestResponse};
use axum::http::{Method, StatusCode};
use serde_json::{Value, json};

fn post_of(body: &str) -> Value {
    let v: Value = serde_json::from_str(body).unwrap_or_else(|e| panic!("{e}: {body}"));
    v["posts"][0].clone()
}

/// Adds a post with `status` and `extra` fields through the Admin API; returns it.
async fn add(app: &TestApp, auth: &str, query: &str, status: &str, extra: Value) -> Value {
    let mut post = json!({ "title": format!("A {status} post"), "html": "<p>Words.</p>",
        "status": status });
    post.as_object_mut()
        .unwrap()
        .extend(extra.as_object().unwrap().clone());
    let res = call(
        app,
        Method::POST,
        &format!("posts/{query}"),
        auth,
        Some(json!({ "posts": [post] })),
    )
    .await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.body);
    post_of(&res.body)
}

/// Edits `post` (from its current `updated_at`) with `fields` and `query`.
async fn edit(app: &TestApp, auth: &str, post: &Value, query: &str, fields: Value) -> TestResponse {
    let mut input = fields.as_object().unwrap().clone();
    input.insert("updated_at".into(), post["updated_at"].clone());
    let id = post["id"].as_str().unwrap();
    call(
        app,
        Method::PUT,
        &format!("posts/{id}/{query}"),
        auth,
        Some(json!({ "posts": [input] })),
    )
    .await
}

/// `edit`, which must succeed; returns the post as answered.
async fn edit_ok(app: &TestApp, auth: &str, post: &Value, query: &str, fields: Value) -> Value {
    let res = edit(app, auth, post, query, fields).await;
    assert_eq!(res.status, StatusCode::OK, "{query}: {}", res.body);
    post_of(&res.body)
}

/// Ghost's 422 `ValidationError`.
fn refused(res: &TestResponse, what: &str) {
    assert_eq!(
        res.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{what}: {}",
        res.body
    );
    assert_eq!(error_type(res), "ValidationError", "{what}");
}

/// An empty site and an admin key's `Authorization`.
async fn site() -> (TestApp, String) {
    let app = TestApp::empty().await;
    let auth = admin_auth(&app).await;
    (app, auth)
}

async fn read(app: &TestApp, auth: &str, id: &str) -> Value {
    post_of(
        &call(app, Method::GET, &format!("posts/{id}/"), auth, None)
            .await
            .body,
    )
}

async fn stored(app: &TestApp, post: &Value) -> Option<store::PostNewsletter> {
    app.state
        .store
        .post_newsletter(post["id"].as_str().unwrap())
        .await
        .unwrap()
}

#[tokio::test]
async fn publishing_with_a_newsletter_stores_and_shows_the_request() {
    let (app, auth) = site().await;
    let query = "?newsletter=default-newsletter&email_segment=status:-free";
    let post = add(&app, &auth, query, "published", json!({})).await;
    assert_eq!(
        post["newsletter"],
        json!({ "slug": "default-newsletter", "name": "default-newsletter" })
    );
    assert_eq!(post["email_segment"], "status:-free");
    let row = stored(&app, &post).await.expect("a stored request");
    assert_eq!(
        (
            row.request.newsletter.as_str(),
            row.request.segment.as_str()
        ),
        ("default-newsletter", "status:-free")
    );
    assert_eq!(row.sent_at, None);

    let id = post["id"].as_str().unwrap();
    let read = read(&app, &auth, id).await;
    assert_eq!(
        (&read["newsletter"]["slug"], &read["email_segment"]),
        (&json!("default-newsletter"), &json!("status:-free"))
    );
    let listed: Value =
        serde_json::from_str(&call(&app, Method::GET, "posts/", &auth, None).await.body).unwrap();
    assert_eq!(listed["posts"][0]["email_segment"], "status:-free");

    // A post without a request says so as Ghost does.
    let plain = add(&app, &auth, "", "published", json!({})).await;
    assert_eq!(
        (&plain["newsletter"], &plain["email_segment"]),
        (&Value::Null, &json!("all"))
    );

    // Readers' API: never a word about newsletters.
    let key = content_key(&app).await;
    let public = app
        .get(&format!("/ghost/api/content/posts/{id}/?key={key}"))
        .await;
    assert_eq!(public.status, StatusCode::OK);
    assert!(
        !public.body.contains("newsletter") && !public.body.contains("email_segment"),
        "{}",
        public.body
    );
}

#[tokio::test]
async fn bad_requests_are_422_and_change_nothing() {
    let (app, auth) = site().await;
    let draft = add(&app, &auth, "", "draft", json!({ "title": "Untouched" })).await;
    for query in [
        "?newsletter=default-newsletter&email_segment=status:paid",
        "?newsletter=default-newsletter&email_segment=",
        "?email_segment=all",
        "?newsletter=Not%20A%20Slug",
    ] {
        let res = edit(
            &app,
            &auth,
            &draft,
            query,
            json!({ "status": "published", "title": "Changed" }),
        )
        .await;
        refused(&res, query);
        let res = call(
            &app,
            Method::POST,
            &format!("posts/{query}"),
            &auth,
            Some(json!({ "posts": [{ "title": "Never made", "status": "published" }] })),
        )
        .await;
        refused(&res, query);
    }
    let res = edit(
        &app,
        &auth,
        &draft,
        "",
        json!({ "status": "published", "email_segment": "status:free" }),
    )
    .await;
    refused(&res, "a segment needs a newsletter");
    let id = draft["id"].as_str().unwrap();
    let now = read(&app, &auth, id).await;
    assert_eq!(
        (&now["title"], &now["status"], &now["updated_at"]),
        (&json!("Untouched"), &json!("draft"), &draft["updated_at"])
    );
    assert!(stored(&app, &draft).await.is_none());
    let listed: Value =
        serde_json::from_str(&call(&app, Method::GET, "posts/", &auth, None).await.body).unwrap();
    assert_eq!(
        listed["meta"]["pagination"]["total"], 1,
        "no post was added"
    );
}

#[tokio::test]
async fn only_a_post_being_published_keeps_a_request() {
    let (app, auth) = site().await;
    // A draft asks for an email: nothing is stored (Ghost emails on publish only).
    let to_letter = "?newsletter=default-newsletter";
    let draft = add(&app, &auth, to_letter, "draft", json!({})).await;
    assert_eq!(draft["newsletter"], Value::Null);
    let draft = edit_ok(&app, &auth, &draft, to_letter, json!({ "title": "T" })).await;
    assert!(stored(&app, &draft).await.is_none());

    // Scheduling with the request in the body stores it; back to draft drops it.
    let tomorrow = (chrono::Utc::now() + chrono::Duration::days(1)).to_rfc3339();
    let fields = json!({ "status": "scheduled", "published_at": tomorrow,
        "newsletter": "weekly", "email_segment": "status:free" });
    let scheduled = edit_ok(&app, &auth, &draft, "", fields).await;
    let shown = [
        &scheduled["status"],
        &scheduled["newsletter"]["slug"],
        &scheduled["email_segment"],
    ];
    assert_eq!(
        shown,
        [&json!("scheduled"), &json!("weekly"), &json!("status:free")]
    );
    let unscheduled = edit_ok(&app, &auth, &scheduled, "", json!({ "status": "draft" })).await;
    assert_eq!(unscheduled["newsletter"], Value::Null);
    assert!(stored(&app, &draft).await.is_none());

    // A post already live is not emailed again by an edit that names a newsletter.
    let live = add(&app, &auth, "", "published", json!({})).await;
    let live = edit_ok(&app, &auth, &live, to_letter, json!({ "title": "New" })).await;
    assert!(stored(&app, &live).await.is_none());

    // Sending a read post back (`"newsletter": null, "email_segment": "all"`) is no error.
    let mut back = live.as_object().unwrap().clone();
    back.remove("html");
    back.insert("title".into(), json!("Echoed"));
    edit_ok(&app, &auth, &live, "", Value::Object(back)).await;

    // Pages are never emailed.
    let page = json!({ "pages": [{ "title": "A page", "status": "published" }] });
    let res = call(
        &app,
        Method::POST,
        &format!("pages/{to_letter}"),
        &auth,
        Some(page),
    )
    .await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.body);
    let page = &serde_json::from_str::<Value>(&res.body).unwrap()["pages"][0];
    assert_eq!(page["newsletter"], Value::Null);
    assert!(stored(&app, page).await.is_none());
}

#[tokio::test]
async fn a_sent_request_cannot_be_changed() {
    let (app, auth) = site().await;
    let to_letter = "?newsletter=default-newsletter";
    let post = add(&app, &auth, to_letter, "published", json!({})).await;
    let id = post["id"].as_str().unwrap();
    let store = &app.state.store;
    assert!(
        store
            .mark_newsletter_sent(id, chrono::Utc::now())
            .await
            .unwrap()
    );
    // Unpublished, then published again asking for another newsletter: refused.
    let draft = edit_ok(&app, &auth, &post, "", json!({ "status": "draft" })).await;
    assert_eq!(
        draft["newsletter"]["slug"], "default-newsletter",
        "a sent request stays"
    );
    let other = "?newsletter=weekly&email_segment=all";
    let res = edit(&app, &auth, &draft, other, json!({ "status": "published" })).await;
    refused(&res, "another newsletter once sent");
    let after = read(&app, &auth, id).await;
    assert_eq!(after["status"], "draft", "nothing changed");
    let row = stored(&app, &post).await.unwrap();
    assert_eq!(row.request.newsletter.as_str(), "default-newsletter");
    assert!(row.sent_at.is_some());
    // Repeating the request it was sent with is fine (and sends nothing new).
    edit_ok(
        &app,
        &auth,
        &after,
        to_letter,
        json!({ "status": "published" }),
    )
    .await;
    let due = store
        .unsent_live_newsletters(chrono::Utc::now(), 10)
        .await
        .unwrap();
    assert!(due.is_empty());
}

/// The rule lives in `ops::posts`, so `masthead post unpublish` (another process, on the same
/// database) drops an unsent request as the Admin API does.
#[tokio::test]
async fn unpublishing_from_the_command_line_drops_an_unsent_request() {
    let (app, auth) = site().await;
    let query = "?newsletter=default-newsletter&email_segment=all";
    let added = add(&app, &auth, query, "published", json!({})).await;
    let id = added["id"].as_str().unwrap().to_owned();
    let slug = added["slug"].as_str().unwrap().to_owned();
    let store = &app.state.store;
    assert!(store.post_newsletter(&id).await.unwrap().is_some());
    let mut cli = std::process::Command::new(env!("CARGO_BIN_EXE_masthead"));
    cli.args(["post", "unpublish", &slug])
        .env("MASTHEAD_DATA", app._dir.path())
        .env_remove("MASTHEAD_DATABASE_URL")
        .env("RUST_LOG", "warn");
    // Waited for off the test's runtime, which also runs the app.
    let out = tokio::task::spawn_blocking(move || cli.output())
        .await
        .unwrap()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        store.post_newsletter(&id).await.unwrap().is_none(),
        "the unsent request was dropped with the post back to draft"
    );
}

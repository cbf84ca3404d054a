//! Tags and the site navigation in the newsroom: `/admin/tags/` (list with post counts, add,
//! edit with a slug collision refused, delete after a confirmation; editors and up) and
//! `/admin/navigation/` (administrators), what the public site shows of them, the Admin API's
//! tag fields, and the audit entries each change leaves.

use crate::helpers::admin::{admin_auth, call};
use crate::helpers::{Browser, TestApp, TestResponse};
use crate::newsroom::{join, location, open, post, set_up};
use axum::http::{Method, StatusCode};
use serde_json::{Value, json};

/// Invites `email` as `role` through the staff page and accepts; the new user's browser.
pub async fn staff_member(app: &TestApp, owner: &mut Browser, email: &str, role: &str) -> Browser {
    open(app, owner, "/admin/staff/").await;
    let sent = post(
        app,
        owner,
        "/admin/staff/invite",
        &[("email", email), ("role", role)],
    )
    .await;
    assert_eq!(sent.status, StatusCode::OK, "{}", sent.body);
    let mut b = join(app, email, role).await;
    open(app, &mut b, "/admin/").await;
    b
}

/// A post added through the Admin API with `extra` fields; its JSON.
pub async fn admin_post(app: &TestApp, auth: &str, title: &str, extra: Value) -> Value {
    let mut body = json!({ "title": title, "html": "<p>Words.</p>", "status": "published" });
    if let (Some(body), Value::Object(extra)) = (body.as_object_mut(), extra) {
        body.extend(extra);
    }
    let made = call(
        app,
        Method::POST,
        "posts/?source=html",
        auth,
        Some(json!({ "posts": [body] })),
    )
    .await;
    assert_eq!(made.status, StatusCode::CREATED, "{}", made.body);
    let v: Value = serde_json::from_str(&made.body).unwrap();
    v["posts"][0].clone()
}

/// The tag's id by slug.
async fn tag_id(app: &TestApp, slug: &str) -> String {
    let tags = app.state.store.tags().await.unwrap();
    tags.into_iter()
        .find(|t| t.slug.as_str() == slug)
        .unwrap_or_else(|| panic!("a tag {slug}"))
        .id
}

/// The audit log's actions as the administrator `b` sees them, newest first.
pub async fn audit_actions(app: &TestApp, b: &mut Browser) -> Vec<String> {
    let page = open(app, b, "/admin/audit/").await;
    assert_eq!(page.status, StatusCode::OK);
    page.texts("tbody tr td:nth-child(3)")
}

fn row_of(list: &TestResponse, name: &str) -> String {
    list.texts("tbody tr")
        .into_iter()
        .find(|r| r.contains(name))
        .unwrap_or_else(|| panic!("a row for {name} in {}", list.body))
}

#[tokio::test]
async fn editors_list_add_edit_and_delete_tags() {
    manage_tags(TestApp::empty().await).await;
}

#[tokio::test]
async fn editors_list_add_edit_and_delete_tags_on_postgres() {
    if let Some(app) = TestApp::empty_on_postgres().await {
        manage_tags(app).await;
    }
}

async fn manage_tags(app: TestApp) {
    let mut owner = set_up(&app).await;
    let auth = admin_auth(&app).await;
    for title in ["One on trade", "Two on trade"] {
        admin_post(&app, &auth, title, json!({ "tags": ["Trade"] })).await;
    }
    let mut editor = staff_member(&app, &mut owner, "ed@news.example", "editor").await;

    let list = open(&app, &mut editor, "/admin/tags/").await;
    assert_eq!(list.status, StatusCode::OK, "{}", list.body);
    let trade = row_of(&list, "Trade");
    assert!(trade.contains("trade") && trade.contains('2'), "{trade}");

    open(&app, &mut editor, "/admin/tags/new/").await;
    let added = post(
        &app,
        &mut editor,
        "/admin/tags/new/",
        &[
            ("name", "Energy"),
            ("slug", ""),
            ("kind", "section"),
            ("description", "Oil, gas and power."),
            ("accent_color", "#ff1a75"),
            ("meta_title", "Energy coverage"),
            ("meta_description", "Everything on energy."),
        ],
    )
    .await;
    assert_eq!(added.status, StatusCode::SEE_OTHER, "{}", added.body);
    assert_eq!(location(&added), "/admin/tags/");
    let energy = tag_id(&app, "energy").await;
    let list = open(&app, &mut editor, "/admin/tags/").await;
    assert!(row_of(&list, "Energy").contains("section"));

    // The public tag page and its head use the meta fields.
    let public = app.get("/tag/energy/").await;
    assert_eq!(public.status, StatusCode::OK);
    assert!(public.texts("title")[0].starts_with("Energy coverage"));
    assert_eq!(
        public.attrs("head meta[name=description]", "content"),
        ["Everything on energy."]
    );

    // Taking another tag's slug is refused, with what was typed kept.
    let path = format!("/admin/tags/{energy}/");
    let edit = open(&app, &mut editor, &path).await;
    assert_eq!(edit.attrs("#tag-name", "value"), ["Energy"]);
    let clash = post(
        &app,
        &mut editor,
        &path,
        &[
            ("name", "Energy and trade"),
            ("slug", "trade"),
            ("kind", "topic"),
        ],
    )
    .await;
    assert_eq!(clash.status, StatusCode::CONFLICT, "{}", clash.body);
    assert!(clash.body.contains("already exists"));
    assert_eq!(clash.attrs("#tag-name", "value"), ["Energy and trade"]);
    let renamed = post(
        &app,
        &mut editor,
        &path,
        &[("name", "Power"), ("slug", "power"), ("kind", "topic")],
    )
    .await;
    assert_eq!(renamed.status, StatusCode::SEE_OTHER, "{}", renamed.body);
    assert_eq!(tag_id(&app, "power").await, energy);

    // Deleting asks first; the posts stay.
    let trade = tag_id(&app, "trade").await;
    let confirm = open(&app, &mut editor, &format!("/admin/tags/{trade}/delete")).await;
    assert_eq!(confirm.status, StatusCode::OK);
    assert!(confirm.body.contains("2 post(s) carry it"));
    let gone = post(
        &app,
        &mut editor,
        &format!("/admin/tags/{trade}/delete"),
        &[],
    )
    .await;
    assert_eq!(gone.status, StatusCode::SEE_OTHER, "{}", gone.body);
    let list = open(&app, &mut editor, "/admin/tags/").await;
    assert!(!list.texts("tbody th").iter().any(|n| n == "Trade"));
    assert_eq!(app.get("/one-on-trade/").await.status, StatusCode::OK);

    // Each change is in the audit log, newest first, for the owner.
    let actions = audit_actions(&app, &mut owner).await;
    assert_eq!(actions[..3], ["tag.deleted", "tag.edited", "tag.added"]);
    let audit = open(&app, &mut owner, "/admin/audit/").await;
    let edited = row_of(&audit, "tag.edited");
    assert!(edited.contains("editor") && edited.contains("Energy") && edited.contains("Power"));
}

#[tokio::test]
async fn authors_and_contributors_may_not_manage_tags() {
    let app = TestApp::empty().await;
    let mut owner = set_up(&app).await;
    let auth = admin_auth(&app).await;
    admin_post(&app, &auth, "Tagged", json!({ "tags": ["Trade"] })).await;
    let trade = tag_id(&app, "trade").await;
    for (email, role) in [
        ("al@news.example", "author"),
        ("cora@news.example", "contributor"),
    ] {
        let mut b = staff_member(&app, &mut owner, email, role).await;
        assert!(
            !open(&app, &mut b, "/admin/")
                .await
                .texts("nav a")
                .contains(&"Tags".to_owned())
        );
        for path in ["/admin/tags/".to_owned(), format!("/admin/tags/{trade}/")] {
            assert_eq!(
                open(&app, &mut b, &path).await.status,
                StatusCode::FORBIDDEN,
                "{role} {path}"
            );
        }
        let tried = post(
            &app,
            &mut b,
            "/admin/tags/new/",
            &[("name", "Mine"), ("kind", "topic")],
        )
        .await;
        assert_eq!(tried.status, StatusCode::FORBIDDEN, "{role}");
        let tried = post(&app, &mut b, &format!("/admin/tags/{trade}/delete"), &[]).await;
        assert_eq!(tried.status, StatusCode::FORBIDDEN, "{role}");
    }
    assert!(
        app.state
            .store
            .tags()
            .await
            .unwrap()
            .iter()
            .all(|t| t.name != "Mine")
    );
    assert_eq!(tag_id(&app, "trade").await, trade);
}

#[tokio::test]
async fn tag_fields_round_trip_through_the_admin_api() {
    let app = TestApp::empty().await;
    set_up(&app).await;
    let auth = admin_auth(&app).await;
    let fields = json!({
        "name": "Markets", "accent_color": "#123abc",
        "feature_image": "https://cdn.example/markets.jpg",
        "meta_title": "Markets, daily", "meta_description": "Prices and the people behind them.",
    });
    let made = call(
        &app,
        Method::POST,
        "tags/",
        &auth,
        Some(json!({ "tags": [fields] })),
    )
    .await;
    assert_eq!(made.status, StatusCode::CREATED, "{}", made.body);
    let id = serde_json::from_str::<Value>(&made.body).unwrap()["tags"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let read = call(&app, Method::GET, &format!("tags/{id}/"), &auth, None).await;
    let tag: Value = serde_json::from_str(&read.body).unwrap();
    for key in [
        "accent_color",
        "feature_image",
        "meta_title",
        "meta_description",
    ] {
        assert_eq!(tag["tags"][0][key], fields[key], "{key}: {}", read.body);
    }
}

#[tokio::test]
async fn administrators_arrange_the_navigation_the_site_shows() {
    arrange_navigation(TestApp::empty().await).await;
}

#[tokio::test]
async fn administrators_arrange_the_navigation_the_site_shows_on_postgres() {
    if let Some(app) = TestApp::empty_on_postgres().await {
        arrange_navigation(app).await;
    }
}

async fn arrange_navigation(app: TestApp) {
    let mut owner = set_up(&app).await;
    let page = open(&app, &mut owner, "/admin/navigation/").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let saved = post(
        &app,
        &mut owner,
        "/admin/navigation/",
        &[
            ("label", "World"),
            ("url", "/tag/world/"),
            ("label", "About"),
            ("url", "/about/"),
            ("label", "Podcast"),
            ("url", "https://pod.example/"),
            ("op", "save"),
        ],
    )
    .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let header = |res: &TestResponse| res.texts("ul.section-nav-list > li > a.section-nav-link");
    assert_eq!(header(&app.get("/").await), ["World", "About", "Podcast"]);

    // Move "About" up, remove "Podcast" (row 2), each from the rows as shown.
    let rows = [
        ("label", "World"),
        ("url", "/tag/world/"),
        ("label", "About"),
        ("url", "/about/"),
        ("label", "Podcast"),
        ("url", "https://pod.example/"),
    ];
    let mut moved = rows.to_vec();
    moved.push(("op", "up:1"));
    assert_eq!(
        post(&app, &mut owner, "/admin/navigation/", &moved)
            .await
            .status,
        StatusCode::SEE_OTHER
    );
    let shown = open(&app, &mut owner, "/admin/navigation/").await;
    assert_eq!(
        shown.attrs("input[name=label]", "value")[..3],
        ["About", "World", "Podcast"]
    );
    let mut removed = vec![
        ("label", "About"),
        ("url", "/about/"),
        ("label", "World"),
        ("url", "/tag/world/"),
        ("label", "Podcast"),
        ("url", "https://pod.example/"),
    ];
    removed.push(("op", "remove:2"));
    assert_eq!(
        post(&app, &mut owner, "/admin/navigation/", &removed)
            .await
            .status,
        StatusCode::SEE_OTHER
    );
    assert_eq!(header(&app.get("/").await), ["About", "World"]);
    let actions = audit_actions(&app, &mut owner).await;
    assert_eq!(actions[..3], ["navigation.changed"; 3]);

    let mut editor = staff_member(&app, &mut owner, "ed@news.example", "editor").await;
    assert_eq!(
        open(&app, &mut editor, "/admin/navigation/").await.status,
        StatusCode::FORBIDDEN
    );
    let tried = post(
        &app,
        &mut editor,
        "/admin/navigation/",
        &[("label", "Mine"), ("url", "/"), ("op", "save")],
    )
    .await;
    assert_eq!(tried.status, StatusCode::FORBIDDEN);
    assert_eq!(header(&app.get("/").await), ["About", "World"]);
}

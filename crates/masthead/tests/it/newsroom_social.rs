//! Social overrides (OpenGraph and Twitter cards) from the Admin API to the page head and back,
//! kept by the newsroom's editor form, and the audit entries of the newsroom's post actions.

use crate::helpers::admin::{admin_auth, call};
use crate::helpers::{TestApp, TestResponse};
use crate::newsroom::{open, post, set_up};
use crate::newsroom_posts::{fields, submit};
use crate::newsroom_tags::{admin_post, audit_actions};
use axum::http::{Method, StatusCode};
use chrono::{Duration, Utc};
use masthead::compose::{Composer, Draft};
use masthead::ops::posts::newsroom::{self, Bulk};
use masthead::ops::staff::Actor;
use serde_json::{Value, json};

const SOCIAL: [(&str, &str); 6] = [
    ("og_title", "The card's title"),
    ("og_description", "The card's own description."),
    ("og_image", "/content/images/card.jpg"),
    ("twitter_title", "The tweet's title"),
    ("twitter_description", "The tweet's own description."),
    ("twitter_image", "/content/images/tweet.jpg"),
];

fn meta(res: &TestResponse, key: &str) -> String {
    let css = format!("head meta[property='{key}'], head meta[name='{key}']");
    let found = res.attrs(&css, "content");
    assert_eq!(found.len(), 1, "one {key} in {}", res.body);
    found[0].clone()
}

fn overrides() -> Value {
    Value::Object(
        SOCIAL
            .iter()
            .map(|(k, v)| ((*k).to_owned(), json!(v)))
            .collect(),
    )
}

async fn admin_read(app: &TestApp, auth: &str, id: &str) -> Value {
    let res = call(app, Method::GET, &format!("posts/{id}/"), auth, None).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    serde_json::from_str::<Value>(&res.body).unwrap()["posts"][0].clone()
}

#[tokio::test]
async fn cards_use_the_overrides_and_fall_back_without_them() {
    cards(TestApp::empty().await).await;
}

#[tokio::test]
async fn cards_use_the_overrides_and_fall_back_without_them_on_postgres() {
    if let Some(app) = TestApp::empty_on_postgres().await {
        cards(app).await;
    }
}

async fn cards(app: TestApp) {
    set_up(&app).await;
    let auth = admin_auth(&app).await;
    let plain = admin_post(
        &app,
        &auth,
        "Plain cards",
        json!({ "custom_excerpt": "The dek." }),
    )
    .await;
    let res = app
        .get(&format!("/{}/", plain["slug"].as_str().unwrap()))
        .await;
    assert_eq!(res.status, StatusCode::OK);
    assert_eq!(meta(&res, "og:title"), "Plain cards");
    assert_eq!(meta(&res, "twitter:title"), "Plain cards");
    let description = meta(&res, "description");
    assert_eq!(meta(&res, "og:description"), description);
    assert_eq!(meta(&res, "twitter:description"), description);
    assert_eq!(meta(&res, "twitter:image"), meta(&res, "og:image"));

    let carded = admin_post(&app, &auth, "Carded", overrides()).await;
    for (key, value) in SOCIAL {
        let want = if key.ends_with("image") {
            json!(format!(
                "{}{value}",
                app.state.config.public_url.trim_end_matches('/')
            ))
        } else {
            json!(value)
        };
        assert_eq!(carded[key], want, "{key} in the Admin API's answer");
    }
    let read = admin_read(&app, &auth, carded["id"].as_str().unwrap()).await;
    assert_eq!(read["og_title"], "The card's title");
    let content = app
        .get(&format!("/{}/", carded["slug"].as_str().unwrap()))
        .await;
    assert_eq!(meta(&content, "og:title"), "The card's title");
    assert_eq!(
        meta(&content, "og:description"),
        "The card's own description."
    );
    assert!(meta(&content, "og:image").ends_with("/content/images/card.jpg"));
    assert_eq!(meta(&content, "twitter:title"), "The tweet's title");
    assert_eq!(
        meta(&content, "twitter:description"),
        "The tweet's own description."
    );
    assert!(meta(&content, "twitter:image").ends_with("/content/images/tweet.jpg"));
    assert_eq!(meta(&content, "twitter:card"), "summary_large_image");
    assert!(
        content.texts("title")[0].starts_with("Carded"),
        "the page title is the post's"
    );

    // Blanking one through the Admin API clears it back to the fallback.
    let edited = call(
        &app,
        Method::PUT,
        &format!("posts/{}/", read["id"].as_str().unwrap()),
        &auth,
        Some(json!({ "posts": [{ "og_title": "", "updated_at": read["updated_at"] }] })),
    )
    .await;
    assert_eq!(edited.status, StatusCode::OK, "{}", edited.body);
    let content = app
        .get(&format!("/{}/", carded["slug"].as_str().unwrap()))
        .await;
    assert_eq!(meta(&content, "og:title"), "Carded");
    assert_eq!(meta(&content, "twitter:title"), "The tweet's title");
}

#[tokio::test]
async fn a_newsroom_save_keeps_the_overrides_set_through_the_admin_api() {
    keeps_overrides(TestApp::empty().await).await;
}

#[tokio::test]
async fn a_newsroom_save_keeps_the_overrides_set_through_the_admin_api_on_postgres() {
    if let Some(app) = TestApp::empty_on_postgres().await {
        keeps_overrides(app).await;
    }
}

async fn keeps_overrides(app: TestApp) {
    let mut owner = set_up(&app).await;
    let auth = admin_auth(&app).await;
    let made = admin_post(&app, &auth, "Kept cards", overrides()).await;
    let id = made["id"].as_str().unwrap();
    let path = format!("/admin/posts/{id}/");
    let page = open(&app, &mut owner, &path).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert_eq!(page.count("details.social-search summary"), 1);
    assert_eq!(
        page.attrs("input[name=og_title]", "value"),
        ["The card's title"]
    );

    // A save of the form as shown keeps every override.
    let res = submit(
        &app,
        &mut owner,
        &path,
        &fields(&page, &[("dek", "A new dek")]),
    )
    .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let read = admin_read(&app, &auth, id).await;
    assert_eq!(read["custom_excerpt"], "A new dek");
    assert_eq!(read["og_title"], "The card's title");
    assert_eq!(read["twitter_description"], "The tweet's own description.");

    // A form without the social fields (a page from before they existed) keeps them too.
    let page = open(&app, &mut owner, &path).await;
    let mut old_form = fields(&page, &[("dek", "Another dek")]);
    old_form.retain(|(k, _)| !k.starts_with("og_") && !k.starts_with("twitter_"));
    let res = submit(&app, &mut owner, &path, &old_form).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    assert_eq!(
        admin_read(&app, &auth, id).await["og_description"],
        "The card's own description."
    );

    // Changing and blanking them in the form is saved as such.
    let page = open(&app, &mut owner, &path).await;
    let form = fields(
        &page,
        &[("og_title", "Retitled card"), ("twitter_title", "")],
    );
    assert_eq!(
        submit(&app, &mut owner, &path, &form).await.status,
        StatusCode::SEE_OTHER
    );
    let read = admin_read(&app, &auth, id).await;
    assert_eq!(read["og_title"], "Retitled card");
    assert_eq!(read["twitter_title"], Value::Null);
    let public = app
        .get(&format!("/{}/", made["slug"].as_str().unwrap()))
        .await;
    assert_eq!(meta(&public, "og:title"), "Retitled card");
    assert_eq!(meta(&public, "twitter:title"), "Kept cards");
    // The revision keeps them, so a restore brings them back.
    let revisions = app.state.store.revisions(id, 10).await.unwrap();
    assert_eq!(
        revisions[0].fields.social.og_title.as_deref(),
        Some("Retitled card")
    );
    let history = open(&app, &mut owner, &format!("{path}revisions/")).await;
    let first = history
        .attrs("button[formaction]", "formaction")
        .pop()
        .unwrap();
    let restored = post(&app, &mut owner, &first, &[]).await;
    assert_eq!(restored.status, StatusCode::SEE_OTHER, "{}", restored.body);
    let read = admin_read(&app, &auth, id).await;
    assert_eq!(read["og_title"], "The card's title");
    assert_eq!(read["twitter_title"], "The tweet's title");
}

#[tokio::test]
async fn every_post_action_leaves_its_audit_entry() {
    Box::pin(audits_post_actions(TestApp::empty().await)).await;
}

#[tokio::test]
async fn every_post_action_leaves_its_audit_entry_on_postgres() {
    if let Some(app) = TestApp::empty_on_postgres().await {
        Box::pin(audits_post_actions(app)).await;
    }
}

async fn audits_post_actions(app: TestApp) {
    let mut owner = set_up(&app).await;
    let staff = app.state.store.staff_users().await.unwrap();
    let olga = staff
        .iter()
        .find(|u| u.author.name == "Olga Owner")
        .unwrap();
    let actor = Actor::Staff(olga);
    let ops = app.state.ops();
    let mut composer = Composer::new(&app.state.store);
    let now = Utc::now();
    let store = &app.state.store;

    let draft = |title: &str| Draft::new(domain::PostKind::Post, title, "Words.\n");
    let post_a = newsroom::create(&ops, &mut composer, actor, draft("Audited"), now)
        .await
        .unwrap();
    let base = store
        .latest_revision(&post_a.id)
        .await
        .unwrap()
        .map(|r| r.id);
    let mut edit = draft("Audited, edited");
    edit.dek = "A dek".into();
    let saved = newsroom::save(&ops, &mut composer, actor, &post_a, base, edit, now)
        .await
        .unwrap();
    // Two autosaves in one stretch of typing: one entry.
    let first = newsroom::autosave(
        &ops,
        &mut composer,
        actor,
        &saved.post,
        Some(saved.revision.id.clone()),
        draft("Typing"),
        now,
    )
    .await
    .unwrap();
    let second = newsroom::autosave(
        &ops,
        &mut composer,
        actor,
        &first.post,
        Some(first.revision.id.clone()),
        draft("Typing more"),
        now,
    )
    .await
    .unwrap();
    let oldest = store
        .revisions(&post_a.id, 10)
        .await
        .unwrap()
        .pop()
        .unwrap();
    let restored = newsroom::restore(&ops, &mut composer, actor, &second.post, &oldest, now)
        .await
        .unwrap();
    let live = newsroom::publish(&ops, actor, &restored.post, None, now)
        .await
        .unwrap();
    let draft_again = newsroom::unpublish(&ops, actor, &live, now).await.unwrap();
    let later = now + Duration::days(1);
    let scheduled = newsroom::publish(&ops, actor, &draft_again, Some(later), now)
        .await
        .unwrap();
    let copy = newsroom::duplicate(
        &ops,
        &mut composer,
        actor,
        &scheduled,
        draft("Audited"),
        now,
    )
    .await
    .unwrap();
    newsroom::delete(&ops, actor, &copy, now).await.unwrap();
    let outcome = newsroom::bulk(
        &ops,
        actor,
        Bulk::Unpublish,
        std::slice::from_ref(&scheduled),
        now,
    )
    .await
    .unwrap();
    assert_eq!(outcome.done.len(), 1);

    let actions = audit_actions(&app, &mut owner).await;
    let expected = [
        "post.unpublished", // the bulk action, one entry per post
        "post.deleted",
        "post.duplicated",
        "post.scheduled",
        "post.unpublished",
        "post.published",
        "post.restored",
        "post.autosaved",
        "post.edited",
        "post.added",
    ];
    assert_eq!(actions[..expected.len()], expected, "{actions:?}");
    assert_eq!(
        actions.iter().filter(|a| *a == "post.autosaved").count(),
        1,
        "one per fold"
    );

    let audit = open(&app, &mut owner, "/admin/audit/").await;
    let rows = audit.texts("tbody tr");
    let edited = rows.iter().find(|r| r.contains("post.edited")).unwrap();
    assert!(edited.contains("Olga Owner") && edited.contains(&post_a.id));
    assert!(
        edited.contains("Audited, edited") && edited.contains("A dek"),
        "{edited}"
    );
    let published = rows.iter().find(|r| r.contains("post.scheduled")).unwrap();
    assert!(
        published.contains("scheduled") || published.contains("published"),
        "{published}"
    );

    // Through the pages too: a save from the editor form is audited as the signed-in owner.
    let path = format!("/admin/posts/{}/", post_a.id);
    let page = open(&app, &mut owner, &path).await;
    let res = submit(
        &app,
        &mut owner,
        &path,
        &fields(&page, &[("title", "Saved from the form")]),
    )
    .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let bulk = post(
        &app,
        &mut owner,
        "/admin/posts/bulk",
        &[
            ("action", "delete"),
            ("ids", &post_a.id),
            ("confirmed", "yes"),
        ],
    )
    .await;
    assert!(
        bulk.status.is_success() || bulk.status.is_redirection(),
        "{}",
        bulk.body
    );
    let actions = audit_actions(&app, &mut owner).await;
    assert_eq!(actions[..2], ["post.deleted", "post.edited"], "{actions:?}");
}

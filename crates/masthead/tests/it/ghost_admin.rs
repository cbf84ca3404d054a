//! The Ghost-compatible Admin API: JWT authentication with admin keys, and posts created from
//! HTML, edited (with the 409 on a stale `updated_at`), published, scheduled, unpublished and
//! deleted, seen through the Content API as readers see them. `links`: tags and authors.

mod links;
mod site;
mod users;

use crate::ghost_content::content_key;
use crate::helpers::{TestApp, TestResponse};
use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use serde_json::{Value, json};

// `webhooks.rs` reaches these through this module.
pub(crate) use crate::helpers::admin::{admin_auth, admin_key, call, error_type, token};

#[tokio::test]
async fn admin_tokens_are_checked_like_ghost() {
    let app = TestApp::demo().await;
    let admin = admin_key(&app).await;
    let good = format!("Ghost {}", token(&admin, "/admin/", 300, &admin.secret));
    assert_eq!(
        call(&app, Method::GET, "posts/", &good, None).await.status,
        StatusCode::OK
    );
    let refused = [
        String::new(),
        "Bearer x".into(),
        "Ghost not-a-jwt".into(),
        format!("Ghost {}", token(&admin, "/admin/", 300, b"wrong secret")),
        format!("Ghost {}", token(&admin, "/content/", 300, &admin.secret)),
        format!("Ghost {}", token(&admin, "/admin/", 3600, &admin.secret)),
        format!("Ghost {}", token(&admin, "/admin/", -10, &admin.secret)),
        format!("Ghost {}", content_key(&app).await),
    ];
    for auth in refused {
        let res = call(&app, Method::GET, "posts/", &auth, None).await;
        assert_eq!(res.status, StatusCode::UNAUTHORIZED, "{auth}: {}", res.body);
        assert_eq!(error_type(&res), "UnauthorizedError");
    }
    app.state
        .store
        .revoke_api_key(&admin.id, chrono::Utc::now())
        .await
        .unwrap();
    let res = call(&app, Method::GET, "posts/", &good, None).await;
    assert_eq!(res.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn posts_are_written_edited_published_and_deleted() {
    let app = TestApp::demo().await;
    let auth = admin_auth(&app).await;
    let key = content_key(&app).await;
    let html = "<p>Free part of the admin post.</p><!--members-only--><p>ADMINCANARY gated.</p>";
    let made = call(
        &app,
        Method::POST,
        "posts/?source=html",
        &auth,
        Some(
            json!({ "posts": [{ "title": "Written through the Admin API", "html": html,
            "tags": ["Admin Tag", {"name": "Second Tag"}], "visibility": "paid" }] }),
        ),
    )
    .await;
    assert_eq!(made.status, StatusCode::CREATED, "{}", made.body);
    let post: Value = serde_json::from_str(&made.body).unwrap();
    let post = &post["posts"][0];
    assert_eq!(post["status"], "draft");
    assert_eq!(
        post["primary_tag"]["slug"], "admin-tag",
        "tags by default, as Ghost"
    );
    assert!(
        post["html"].as_str().unwrap().contains("ADMINCANARY"),
        "staff see the whole body"
    );
    let id = post["id"].as_str().unwrap().to_owned();
    let slug = post["slug"].as_str().unwrap().to_owned();
    let public = format!("/ghost/api/content/posts/slug/{slug}/?key={key}");
    assert_eq!(
        app.get(&public).await.status,
        StatusCode::NOT_FOUND,
        "drafts are not public"
    );

    // An edit from a stale copy is refused; one from the current copy lands.
    let stale = "2020-01-01T00:00:00.000Z";
    let res = call(
        &app,
        Method::PUT,
        &format!("posts/{id}/"),
        &auth,
        Some(json!({ "posts": [{ "title": "Stale", "updated_at": stale }] })),
    )
    .await;
    assert_eq!(res.status, StatusCode::CONFLICT, "{}", res.body);
    assert_eq!(error_type(&res), "UpdateCollisionError");
    let res = call(
        &app,
        Method::PUT,
        &format!("posts/{id}/"),
        &auth,
        Some(json!({ "posts": [{ "status": "published", "updated_at": post["updated_at"] }] })),
    )
    .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let published: Value = serde_json::from_str(&res.body).unwrap();
    assert_eq!(published["posts"][0]["status"], "published");
    assert_eq!(
        published["posts"][0]["slug"],
        slug.as_str(),
        "the slug is kept"
    );
    let seen = app.get(&public).await;
    assert_eq!(seen.status, StatusCode::OK);
    assert!(seen.body.contains("Free part of the admin post."));
    assert!(
        !seen.body.contains("ADMINCANARY"),
        "readers get the free part only"
    );
    let page = app.get(&format!("/{slug}/")).await;
    assert!(
        page.body.contains("Free part of the admin post.") && !page.body.contains("ADMINCANARY")
    );

    // Schedule for tomorrow: off the site until then.
    let tomorrow = (chrono::Utc::now() + chrono::Duration::days(1)).to_rfc3339();
    let res = call(
        &app,
        Method::PUT,
        &format!("posts/{id}/"),
        &auth,
        Some(
            json!({ "posts": [{ "status": "scheduled", "published_at": tomorrow,
            "updated_at": published["posts"][0]["updated_at"] }] }),
        ),
    )
    .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let scheduled: Value = serde_json::from_str(&res.body).unwrap();
    assert_eq!(scheduled["posts"][0]["status"], "scheduled");
    assert_eq!(app.get(&public).await.status, StatusCode::NOT_FOUND);
    let res = call(&app, Method::PUT, &format!("posts/{id}/"), &auth,
        Some(json!({ "posts": [{ "status": "draft", "updated_at": scheduled["posts"][0]["updated_at"] }] }))).await;
    assert_eq!(res.status, StatusCode::OK);
    let browse = call(
        &app,
        Method::GET,
        "posts/?filter=tag:admin-tag&include=tags",
        &auth,
        None,
    )
    .await;
    let listed: Value = serde_json::from_str(&browse.body).unwrap();
    assert_eq!(
        listed["meta"]["pagination"]["total"], 1,
        "admins browse drafts too"
    );
    assert_eq!(listed["posts"][0]["tags"][1]["name"], "Second Tag");

    // A public post made paid later gets its free/gated split then: readers see the free part.
    let open = call(&app, Method::POST, "posts/?source=html", &auth,
        Some(json!({ "posts": [{ "title": "Open then paid", "status": "published",
            "html": "<p>Opening words.</p>\n\n<p>Second paragraph.</p>\n\n<p>LATEPAYWALL third.</p>" }] }))).await;
    let open: Value = serde_json::from_str(&open.body).unwrap();
    let open = &open["posts"][0];
    let public_open = format!(
        "/ghost/api/content/posts/{}/?key={key}",
        open["id"].as_str().unwrap()
    );
    assert!(app.get(&public_open).await.body.contains("LATEPAYWALL"));
    let res = call(
        &app,
        Method::PUT,
        &format!("posts/{}/", open["id"].as_str().unwrap()),
        &auth,
        Some(json!({ "posts": [{ "visibility": "paid", "updated_at": open["updated_at"] }] })),
    )
    .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let after = app.get(&public_open).await.body;
    assert!(
        after.contains("Opening words.") && !after.contains("LATEPAYWALL"),
        "{after}"
    );

    let lexical = call(
        &app,
        Method::POST,
        "posts/",
        &auth,
        Some(json!({ "posts": [{ "title": "Lexical", "lexical": "{}" }] })),
    )
    .await;
    assert_eq!(lexical.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(error_type(&lexical), "ValidationError");

    let gone = call(&app, Method::DELETE, &format!("posts/{id}/"), &auth, None).await;
    assert_eq!(gone.status, StatusCode::NO_CONTENT);
    let again = call(&app, Method::GET, &format!("posts/{id}/"), &auth, None).await;
    assert_eq!(again.status, StatusCode::NOT_FOUND);
}

async fn upload(app: &TestApp, auth: &str, name: &str, bytes: &[u8]) -> TestResponse {
    let boundary = "masthead-test-boundary";
    let mut body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\n\
         Content-Type: application/octet-stream\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(bytes);
    body.extend_from_slice(
        format!("\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"ref\"\r\n\r\nmy-ref\r\n--{boundary}--\r\n").as_bytes(),
    );
    let req = Request::builder()
        .method(Method::POST)
        .uri("/ghost/api/admin/images/upload/")
        .header("authorization", auth)
        .header(
            "content-type",
            format!("multipart/form-data; boundary={boundary}"),
        )
        .body(Body::from(body))
        .unwrap();
    app.send(req).await
}

#[tokio::test]
async fn image_uploads_are_checked_by_type_and_size() {
    let app = TestApp::empty().await;
    let auth = admin_auth(&app).await;
    let png = masthead::logo::png();
    let res = upload(&app, &auth, "../../Evil Name.PNG", png).await;
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.body);
    let v: Value = serde_json::from_str(&res.body).unwrap();
    let url = v["images"][0]["url"].as_str().unwrap();
    assert_eq!(v["images"][0]["ref"], "my-ref");
    assert!(
        url.starts_with("https://news.example/content/images/"),
        "{url}"
    );
    assert!(
        url.contains("/evil-name-") && url.ends_with(".png"),
        "a safe name: {url}"
    );
    let served = app
        .get(url.trim_start_matches("https://news.example"))
        .await;
    assert_eq!(served.status, StatusCode::OK);

    let svg = b"<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>";
    let res = upload(&app, &auth, "logo.png", svg).await;
    assert_eq!(res.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert_eq!(error_type(&res), "UnsupportedMediaTypeError");
    let mut huge = png.to_vec();
    huge.resize(11 * 1024 * 1024, 0);
    let res = upload(&app, &auth, "huge.png", &huge).await;
    assert_eq!(res.status, StatusCode::PAYLOAD_TOO_LARGE, "{}", res.body);
    let res = upload(&app, "Ghost nope", "logo.png", png).await;
    assert_eq!(res.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn members_are_added_comped_edited_and_deleted() {
    let app = TestApp::demo().await;
    let auth = admin_auth(&app).await;
    let made = call(
        &app,
        Method::POST,
        "members/",
        &auth,
        Some(json!({ "members": [{ "email": "New.Reader@Example.com", "name": "New Reader" }] })),
    )
    .await;
    assert_eq!(made.status, StatusCode::CREATED, "{}", made.body);
    let m: Value = serde_json::from_str(&made.body).unwrap();
    let m = &m["members"][0];
    assert_eq!(
        (m["email"].as_str(), m["status"].as_str()),
        (Some("new.reader@example.com"), Some("free"))
    );
    let id = m["id"].as_str().unwrap();
    let again = call(
        &app,
        Method::POST,
        "members/",
        &auth,
        Some(json!({ "members": [{ "email": "new.reader@example.com" }] })),
    )
    .await;
    assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);
    let comped = call(
        &app,
        Method::PUT,
        &format!("members/{id}/"),
        &auth,
        Some(
            json!({ "members": [{ "name": "Renamed", "tiers": [{ "slug": "subscriber-plus" }] }] }),
        ),
    )
    .await;
    assert_eq!(comped.status, StatusCode::OK, "{}", comped.body);
    let c: Value = serde_json::from_str(&comped.body).unwrap();
    assert_eq!(c["members"][0]["status"], "comped");
    assert_eq!(c["members"][0]["name"], "Renamed");
    assert_eq!(c["members"][0]["tiers"][0]["slug"], "subscriber-plus");
    // The comp is real: the member now reads paid posts on the site.
    let sub = app.state.store.subscription(id).await.unwrap().unwrap();
    assert_eq!(sub.tier.as_str(), "subscriber-plus");
    let list: Value = serde_json::from_str(
        &call(&app, Method::GET, "members/?limit=2", &auth, None)
            .await
            .body,
    )
    .unwrap();
    assert_eq!(list["members"][0]["id"], id, "newest first");
    assert!(list["meta"]["pagination"]["total"].as_u64().unwrap() >= 1);
    assert_eq!(
        call(&app, Method::DELETE, &format!("members/{id}/"), &auth, None)
            .await
            .status,
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        call(&app, Method::GET, &format!("members/{id}/"), &auth, None)
            .await
            .status,
        StatusCode::NOT_FOUND
    );
}

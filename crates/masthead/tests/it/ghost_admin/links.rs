//! A post's tags and authors through the Admin API, named as Ghost's clients name them: tags by
//! name (objects and strings), slug or id, created when missing; authors by id, slug or email,
//! the site's default author when none is named, a 422 when one matches nobody. Responses carry
//! `tags`, `authors` and the primary ones by default, and the Content API finds the post by tag.

use crate::ghost_content::content_key;
use crate::helpers::TestApp;
use crate::helpers::admin::{admin_auth, call, error_type};
use axum::http::{Method, StatusCode};
use domain::{Author, Slug};
use serde_json::{Value, json};

/// Adds a post (or page, by `resource`) through the Admin API; returns the status and the post.
pub async fn add(app: &TestApp, auth: &str, resource: &str, post: Value) -> (StatusCode, Value) {
    let body = json!({ resource: [post] });
    let res = call(app, Method::POST, &format!("{resource}/"), auth, Some(body)).await;
    let v: Value = serde_json::from_str(&res.body).unwrap_or(Value::Null);
    (res.status, v[resource][0].clone())
}

pub fn slugs(list: &Value) -> Vec<&str> {
    list.as_array()
        .unwrap_or_else(|| panic!("not a list: {list}"))
        .iter()
        .map(|t| t["slug"].as_str().unwrap())
        .collect()
}

/// An author with an email, as `masthead author add` makes one.
async fn author_with_email(app: &TestApp, slug: &str, email: &str) -> Author {
    let author = Author {
        id: masthead::compose::new_id(),
        slug: Slug::parse(slug).unwrap(),
        name: "Jane Wire".into(),
        bio: String::new(),
        credentials: String::new(),
        avatar: None,
        website: None,
    };
    app.state
        .store
        .create_author(&author, Some(email), chrono::Utc::now())
        .await
        .unwrap();
    author
}

#[tokio::test]
async fn tags_by_name_slug_or_id_are_attached_created_and_found_by_tag_filters() {
    let app = TestApp::demo().await;
    let auth = admin_auth(&app).await;
    let key = content_key(&app).await;
    let china = app.state.store.tag_by_slug("china").await.unwrap().unwrap();
    let (status, post) = add(
        &app,
        &auth,
        "posts",
        json!({ "title": "Tagged by a Ghost client", "status": "published",
            "html": "<p>Wire copy.</p>",
            "tags": [{ "name": "Wire Reports" }, "Breaking News",
                     { "slug": "night-desk", "name": "Night Desk" }, { "id": china.id }] }),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{post}");
    assert_eq!(
        slugs(&post["tags"]),
        ["wire-reports", "breaking-news", "night-desk", "china"],
        "in the order given, created by name as Ghost does"
    );
    assert_eq!(post["tags"][2]["name"], "Night Desk");
    assert_eq!(
        post["primary_tag"]["slug"], "wire-reports",
        "the first is primary"
    );
    assert_eq!(
        post["masthead"]["kicker"], "Wire Reports",
        "and is the section readers see as the kicker"
    );
    let id = post["id"].as_str().unwrap();

    for tag in ["wire-reports", "breaking-news", "night-desk", "china"] {
        let res = app
            .get(&format!(
                "/ghost/api/content/posts/?key={key}&filter=tag:{tag}&limit=all"
            ))
            .await;
        let found: Value = serde_json::from_str(&res.body).unwrap();
        let ids: Vec<&str> = found["posts"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["id"].as_str().unwrap())
            .collect();
        assert!(ids.contains(&id), "filter=tag:{tag} finds the post");
    }
    let admin = call(
        &app,
        Method::GET,
        "posts/?filter=tag:night-desk",
        &auth,
        None,
    )
    .await;
    let admin: Value = serde_json::from_str(&admin.body).unwrap();
    assert_eq!(admin["posts"][0]["id"], id, "and so does the Admin API");
    let page = app.get("/tag/wire-reports/").await;
    assert!(page.body.contains("Tagged by a Ghost client"));

    // An edit that names tags replaces them; one that does not keeps them.
    let res = call(
        &app,
        Method::PUT,
        &format!("posts/{id}/"),
        &auth,
        Some(json!({ "posts": [{ "updated_at": post["updated_at"], "tags": ["China"] }] })),
    )
    .await;
    let edited: Value = serde_json::from_str(&res.body).unwrap();
    assert_eq!(
        slugs(&edited["posts"][0]["tags"]),
        ["china"],
        "{}",
        res.body
    );
    let res = call(&app, Method::PUT, &format!("posts/{id}/"), &auth,
        Some(json!({ "posts": [{ "updated_at": edited["posts"][0]["updated_at"], "title": "Retitled" }] }))).await;
    let kept: Value = serde_json::from_str(&res.body).unwrap();
    assert_eq!(slugs(&kept["posts"][0]["tags"]), ["china"]);

    for (tags, why) in [
        (json!([{ "id": "no-such-tag" }]), "an unknown id"),
        (
            json!([{ "description": "no name" }]),
            "nothing to name it by",
        ),
        (json!([{ "slug": "Not A Slug" }]), "a malformed slug"),
    ] {
        let (status, _) = add(
            &app,
            &auth,
            "posts",
            json!({ "title": "Badly tagged", "tags": tags }),
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{why}");
    }
}

#[tokio::test]
async fn responses_include_tags_and_authors_unless_asked_otherwise() {
    let app = TestApp::demo().await;
    let auth = admin_auth(&app).await;
    let (_, post) = add(
        &app,
        &auth,
        "posts",
        json!({ "title": "Shapes", "tags": ["China"] }),
    )
    .await;
    let id = post["id"].as_str().unwrap();
    for path in [format!("posts/{id}/"), "posts/?limit=1".to_owned()] {
        let res = call(&app, Method::GET, &path, &auth, None).await;
        let v: Value = serde_json::from_str(&res.body).unwrap();
        let p = &v["posts"][0];
        for field in ["tags", "authors", "primary_tag", "primary_author"] {
            assert!(p.get(field).is_some(), "{path} has {field}: {p}");
        }
        assert_eq!(p["primary_author"], p["authors"][0]);
    }
    let res = call(
        &app,
        Method::GET,
        &format!("posts/{id}/?include=tags"),
        &auth,
        None,
    )
    .await;
    let v: Value = serde_json::from_str(&res.body).unwrap();
    assert!(v["posts"][0].get("tags").is_some() && v["posts"][0].get("authors").is_none());
    let res = call(
        &app,
        Method::GET,
        &format!("posts/{id}/?fields=id,title"),
        &auth,
        None,
    )
    .await;
    let v: Value = serde_json::from_str(&res.body).unwrap();
    assert!(
        v["posts"][0].get("tags").is_none(),
        "fields narrows the answer"
    );
}

#[tokio::test]
async fn every_post_has_an_author_and_authors_are_named_by_id_slug_or_email() {
    let app = TestApp::demo().await;
    let auth = admin_auth(&app).await;
    let key = content_key(&app).await;

    // No authors: the site's default author, "Staff" until `default_author` names another.
    let (status, post) = add(
        &app,
        &auth,
        "posts",
        json!({ "title": "Unsigned wire copy", "status": "published", "html": "<p>x</p>" }),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{post}");
    assert_eq!(slugs(&post["authors"]), ["staff"]);
    assert_eq!(post["primary_author"]["name"], "Staff");
    let read = app
        .get(&format!(
            "/ghost/api/content/posts/{}/?key={key}&include=authors",
            post["id"].as_str().unwrap()
        ))
        .await;
    let read: Value = serde_json::from_str(&read.body).unwrap();
    assert_eq!(
        slugs(&read["posts"][0]["authors"]),
        ["staff"],
        "readers see the byline"
    );
    assert!(
        app.get("/author/staff/")
            .await
            .body
            .contains("Unsigned wire copy")
    );
    let (_, page) = add(&app, &auth, "pages", json!({ "title": "Unsigned page" })).await;
    assert_eq!(slugs(&page["authors"]), ["staff"], "pages too");

    let demo_author = app.state.store.authors().await.unwrap()[0].clone();
    let demo_slug = demo_author.slug.to_string();
    app.state
        .store
        .set_setting("default_author", &demo_slug)
        .await
        .unwrap();
    let (_, post) = add(&app, &auth, "posts", json!({ "title": "Unsigned again" })).await;
    assert_eq!(
        slugs(&post["authors"]),
        [demo_slug.as_str()],
        "the setting decides"
    );

    let jane = author_with_email(&app, "jane-wire", "jane@paper.example").await;
    for (authors, expected) in [
        (json!([{ "id": jane.id }]), vec!["jane-wire"]),
        (json!([{ "slug": "jane-wire" }]), vec!["jane-wire"]),
        (
            json!([{ "email": "Jane@Paper.example" }]),
            vec!["jane-wire"],
        ),
        (
            json!(["jane@paper.example", demo_slug]),
            vec!["jane-wire", demo_slug.as_str()],
        ),
    ] {
        let (status, post) = add(
            &app,
            &auth,
            "posts",
            json!({ "title": "Signed", "authors": authors }),
        )
        .await;
        assert_eq!(status, StatusCode::CREATED, "{authors}: {post}");
        assert_eq!(slugs(&post["authors"]), expected, "{authors}");
        assert_eq!(
            post["primary_author"]["slug"], expected[0],
            "the first is primary"
        );
    }
    let (_, post) = add(
        &app,
        &auth,
        "posts",
        json!({ "title": "Shown", "status": "published", "authors": ["jane@paper.example"] }),
    )
    .await;
    assert_eq!(
        post["authors"][0]["email"], "jane@paper.example",
        "staff see the email"
    );
    let slug = post["slug"].as_str().unwrap();
    let read = format!(
        "/ghost/api/content/posts/{}/?key={key}&include=authors",
        post["id"].as_str().unwrap()
    );
    let authors = format!("/ghost/api/content/authors/slug/jane-wire/?key={key}");
    let article = format!("/{slug}/");
    for path in [
        read.as_str(),
        authors.as_str(),
        article.as_str(),
        "/author/jane-wire/",
        "/author/jane-wire/rss/",
    ] {
        let res = app.get(path).await;
        assert_eq!(res.status, StatusCode::OK, "{path}");
        assert!(
            !res.body.contains("jane@paper.example"),
            "readers never see it: {path}"
        );
    }

    for (authors, mentioned) in [
        (
            json!([{ "email": "nobody@paper.example" }]),
            "nobody@paper.example",
        ),
        (json!(["nobody@paper.example"]), "nobody@paper.example"),
        (json!([{ "slug": "no-such-writer" }]), "no-such-writer"),
        (json!([{ "id": "no-such-id" }]), "no-such-id"),
        (json!([]), "At least one author is required."),
    ] {
        let body = json!({ "posts": [{ "title": "Refused", "authors": authors }] });
        let res = call(&app, Method::POST, "posts/", &auth, Some(body)).await;
        assert_eq!(
            res.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{authors}: {}",
            res.body
        );
        assert_eq!(error_type(&res), "ValidationError");
        let v: Value = serde_json::from_str(&res.body).unwrap();
        let message = v["errors"][0]["message"].as_str().unwrap();
        assert!(message.contains(mentioned), "{message}");
    }
}

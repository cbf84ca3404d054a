//! The Ghost-compatible Content API end to end: keys, shapes, parameters, filters, pagination,
//! errors, CORS and caching, against the demo publication.

use crate::helpers::{TestApp, TestResponse};
use axum::http::{Method, StatusCode};
use serde_json::Value;

pub async fn content_key(app: &TestApp) -> String {
    masthead::ops::keys::create(
        &app.state.ops(),
        "test front end",
        false,
        chrono::Utc::now(),
    )
    .await
    .unwrap()
    .secret
}

/// Percent-encodes a filter as a hand-written URL would: `+`, `,` and `:` stay as they are.
fn encode(filter: &str) -> String {
    filter
        .bytes()
        .map(|b| match b {
            b'a'..=b'z'
            | b'A'..=b'Z'
            | b'0'..=b'9'
            | b'-'
            | b'_'
            | b'.'
            | b':'
            | b'+'
            | b','
            | b'%' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

fn json(res: &TestResponse) -> Value {
    serde_json::from_str(&res.body).unwrap_or_else(|e| panic!("{e}: {}", res.body))
}

async fn api(app: &TestApp, key: &str, path: &str) -> Value {
    let sep = if path.contains('?') { '&' } else { '?' };
    let res = app
        .get(&format!("/ghost/api/content/{path}{sep}key={key}"))
        .await;
    assert_eq!(res.status, StatusCode::OK, "{path}: {}", res.body);
    json(&res)
}

fn ghost_error(res: &TestResponse, status: StatusCode, kind: &str) -> String {
    assert_eq!(res.status, status, "{}", res.body);
    let body = json(res);
    let err = &body["errors"][0];
    assert_eq!(err["type"], kind, "{body}");
    assert!(res.header("cache-control").contains("no-store"));
    err["message"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn content_keys_are_required_checked_and_revocable() {
    let app = TestApp::demo().await;
    let missing = app.get("/ghost/api/content/posts/").await;
    ghost_error(&missing, StatusCode::UNAUTHORIZED, "UnauthorizedError");
    let bad_and_keyless = app.get("/ghost/api/content/posts/?limit=0&filter=(").await;
    ghost_error(
        &bad_and_keyless,
        StatusCode::UNAUTHORIZED,
        "UnauthorizedError",
    );
    let wrong = app
        .get("/ghost/api/content/posts/?key=0123456789abcdef0123456789")
        .await;
    assert_eq!(
        ghost_error(&wrong, StatusCode::UNAUTHORIZED, "UnauthorizedError"),
        "Unknown Content API Key"
    );
    let made = masthead::ops::keys::create(&app.state.ops(), "site", false, chrono::Utc::now())
        .await
        .unwrap();
    assert_eq!(made.secret.len(), 26);
    assert!(made.secret.chars().all(|c| c.is_ascii_hexdigit()));
    api(&app, &made.secret, "posts/").await;
    let keys = app.state.store.api_keys().await.unwrap();
    assert!(keys.iter().all(|k| !made.secret.starts_with(&k.id)));
    assert!(
        app.state
            .store
            .revoke_api_key(&made.key.id, chrono::Utc::now())
            .await
            .unwrap()
    );
    let revoked = app
        .get(&format!("/ghost/api/content/posts/?key={}", made.secret))
        .await;
    ghost_error(&revoked, StatusCode::UNAUTHORIZED, "UnauthorizedError");
}

#[tokio::test]
async fn posts_browse_with_ghost_pagination_and_shapes() {
    let app = TestApp::demo().await;
    let key = content_key(&app).await;
    let first = api(&app, &key, "posts/").await;
    let p = &first["meta"]["pagination"];
    let total = p["total"].as_u64().unwrap();
    assert!(total >= 60, "the demo's posts: {p}");
    assert_eq!(p["page"], 1);
    assert_eq!(p["limit"], 15);
    assert_eq!(p["pages"], total.div_ceil(15));
    assert_eq!(p["next"], 2);
    assert_eq!(p["prev"], Value::Null);
    let posts = first["posts"].as_array().unwrap();
    assert_eq!(posts.len(), 15);
    let post = &posts[0];
    for field in [
        "id",
        "uuid",
        "title",
        "slug",
        "html",
        "feature_image",
        "featured",
        "visibility",
        "published_at",
        "updated_at",
        "created_at",
        "url",
        "excerpt",
        "reading_time",
        "custom_excerpt",
        "meta_title",
        "og_image",
        "twitter_title",
        "canonical_url",
        "access",
    ] {
        assert!(post.get(field).is_some(), "{field} in {post}");
    }
    assert!(post.get("plaintext").is_none(), "plaintext only on request");
    assert!(post.get("tags").is_none(), "tags only with include");
    assert!(
        post["url"]
            .as_str()
            .unwrap()
            .starts_with("https://news.example/")
    );
    assert!(
        post["published_at"]
            .as_str()
            .unwrap()
            .ends_with(".000+00:00")
            || post["published_at"].as_str().unwrap().contains('.')
    );
    // Newest first, as Ghost.
    let dates: Vec<&str> = posts
        .iter()
        .map(|p| p["published_at"].as_str().unwrap())
        .collect();
    assert!(dates.windows(2).all(|w| w[0] >= w[1]), "{dates:?}");

    let last_page = p["pages"].as_u64().unwrap();
    let last = api(&app, &key, &format!("posts/?page={last_page}")).await;
    assert_eq!(last["meta"]["pagination"]["next"], Value::Null);
    assert_eq!(last["meta"]["pagination"]["prev"], last_page - 1);
    assert_eq!(
        last["posts"].as_array().unwrap().len() as u64,
        total - 15 * (last_page - 1)
    );
    let all = api(&app, &key, "posts/?limit=all").await;
    assert_eq!(all["meta"]["pagination"]["limit"], 100);
    assert_eq!(
        all["posts"].as_array().unwrap().len() as u64,
        total.min(100)
    );
    let big = api(&app, &key, "posts/?limit=500").await;
    assert_eq!(big["meta"]["pagination"]["limit"], 100);
    let beyond = api(&app, &key, "posts/?page=99").await;
    assert!(beyond["posts"].as_array().unwrap().is_empty());

    let oldest = api(&app, &key, "posts/?order=published_at%20asc&limit=3").await;
    let asc: Vec<&str> = oldest["posts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["published_at"].as_str().unwrap())
        .collect();
    assert!(asc.windows(2).all(|w| w[0] <= w[1]), "{asc:?}");
    let titled = api(&app, &key, "posts/?order=title+asc&limit=5").await;
    let titles: Vec<&str> = titled["posts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["title"].as_str().unwrap())
        .collect();
    assert!(titles.windows(2).all(|w| w[0] <= w[1]), "{titles:?}");
}

#[tokio::test]
async fn include_fields_and_formats() {
    let app = TestApp::demo().await;
    let key = content_key(&app).await;
    let res = api(&app, &key, "posts/?include=tags,authors&limit=3").await;
    let post = &res["posts"][0];
    assert_eq!(post["primary_tag"], post["tags"][0]);
    assert_eq!(post["primary_author"], post["authors"][0]);
    assert!(post["tags"][0]["url"].as_str().unwrap().contains("/tag/"));
    assert!(
        post["authors"][0]["url"]
            .as_str()
            .unwrap()
            .contains("/author/")
    );
    assert!(
        post["masthead"]["kicker"].is_string(),
        "the section as kicker: {post}"
    );

    let slim = api(&app, &key, "posts/?fields=title,url&limit=2").await;
    let keys: Vec<&String> = slim["posts"][0].as_object().unwrap().keys().collect();
    assert_eq!(keys, ["title", "url"]);

    let both = api(&app, &key, "posts/?formats=html,plaintext&limit=1").await;
    assert!(both["posts"][0]["html"].as_str().unwrap().contains("<p>"));
    let text = both["posts"][0]["plaintext"].as_str().unwrap();
    assert!(!text.is_empty() && !text.contains("<p>"));
    let plain = api(&app, &key, "posts/?formats=plaintext&limit=1").await;
    assert!(plain["posts"][0].get("html").is_none());

    let tiers = api(
        &app,
        &key,
        "posts/?include=tiers&filter=visibility:paid&limit=1",
    )
    .await;
    let post_tiers = tiers["posts"][0]["tiers"].as_array().unwrap();
    assert!(!post_tiers.is_empty() && post_tiers.iter().all(|t| t["type"] == "paid"));
}

#[tokio::test]
async fn filters_narrow_and_count_right() {
    let app = TestApp::demo().await;
    let key = content_key(&app).await;
    let all = api(&app, &key, "posts/?limit=all&include=tags,authors").await;
    let posts = all["posts"].as_array().unwrap();
    let total = all["meta"]["pagination"]["total"].as_u64().unwrap();
    let count = |pred: &dyn Fn(&Value) -> bool| posts.iter().filter(|p| pred(p)).count() as u64;
    let tag = posts[0]["primary_tag"]["slug"].as_str().unwrap().to_owned();
    let author = posts[0]["primary_author"]["slug"]
        .as_str()
        .unwrap()
        .to_owned();
    let has_tag = |p: &Value, t: &str| p["tags"].as_array().unwrap().iter().any(|x| x["slug"] == t);
    let cases: Vec<(String, u64)> = vec![
        ("featured:true".into(), count(&|p| p["featured"] == true)),
        ("featured:false".into(), count(&|p| p["featured"] == false)),
        (format!("tag:{tag}"), count(&|p| has_tag(p, &tag))),
        (format!("tags.slug:{tag}"), count(&|p| has_tag(p, &tag))),
        (format!("-tag:{tag}"), count(&|p| !has_tag(p, &tag))),
        (
            format!("primary_tag:{tag}"),
            count(&|p| p["primary_tag"]["slug"] == tag.as_str()),
        ),
        (
            format!("author:{author}"),
            count(&|p| {
                p["authors"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|a| a["slug"] == author.as_str())
            }),
        ),
        (
            format!("tag:{tag}%2Bfeatured:true"),
            count(&|p| has_tag(p, &tag) && p["featured"] == true),
        ),
        (
            format!("tag:{tag}+featured:true"),
            count(&|p| has_tag(p, &tag) && p["featured"] == true),
        ),
        (
            format!("tag:{tag},featured:true"),
            count(&|p| has_tag(p, &tag) || p["featured"] == true),
        ),
        (
            "visibility:public".into(),
            count(&|p| p["visibility"] == "public"),
        ),
        (
            "visibility:-public".into(),
            count(&|p| p["visibility"] != "public"),
        ),
        (
            "visibility:[members,paid]".into(),
            count(&|p| p["visibility"] == "members" || p["visibility"] == "paid"),
        ),
        (
            "published_at:>now-7d".into(),
            count(&|p| {
                let at = chrono::DateTime::parse_from_rfc3339(p["published_at"].as_str().unwrap())
                    .unwrap();
                at > chrono::Utc::now() - chrono::Duration::days(7)
            }),
        ),
        ("published_at:<=now".into(), total),
        (
            "title:~'the'".into(),
            count(&|p| p["title"].as_str().unwrap().to_lowercase().contains("the")),
        ),
        ("published_at:<2000-01-01".into(), 0),
    ];
    for (filter, expected) in cases {
        let res = api(
            &app,
            &key,
            &format!("posts/?filter={}&limit=5", encode(&filter)),
        )
        .await;
        assert_eq!(
            res["meta"]["pagination"]["total"], expected,
            "filter {filter}"
        );
        assert_eq!(
            res["posts"].as_array().unwrap().len() as u64,
            expected.min(5),
            "filter {filter}"
        );
    }
    assert!(total > 5);
}

#[tokio::test]
async fn bad_parameters_are_ghost_shaped_400s() {
    let app = TestApp::demo().await;
    let key = content_key(&app).await;
    let long = "a".repeat(10 * 1024);
    for query in [
        "filter=tag:(china".to_owned(),
        "filter=tag:%5Bchina".to_owned(),
        "filter=tag:=china".to_owned(),
        "filter=authors.email:someone%40example.com".to_owned(),
        "filter=authors.password:x".to_owned(),
        "filter=html:~secret".to_owned(),
        format!("filter=title:'{long}'"),
        "filter=%FF%FE%00".to_owned(),
        "order=password%20desc".to_owned(),
        "order=title%20sideways".to_owned(),
        "limit=0".to_owned(),
        "limit=lots".to_owned(),
        "page=0".to_owned(),
    ] {
        let res = app
            .get(&format!("/ghost/api/content/posts/?key={key}&{query}"))
            .await;
        ghost_error(&res, StatusCode::BAD_REQUEST, "BadRequestError");
    }
    let tags = app
        .get(&format!(
            "/ghost/api/content/tags/?key={key}&filter=description:x"
        ))
        .await;
    ghost_error(&tags, StatusCode::BAD_REQUEST, "BadRequestError");
}

#[tokio::test]
async fn read_by_id_and_slug_and_not_found() {
    let app = TestApp::demo().await;
    let key = content_key(&app).await;
    let listed = api(&app, &key, "posts/?limit=1").await;
    let post = &listed["posts"][0];
    let id = post["id"].as_str().unwrap();
    let slug = post["slug"].as_str().unwrap();
    let by_id = api(&app, &key, &format!("posts/{id}/")).await;
    assert_eq!(by_id["posts"][0]["slug"], slug);
    assert!(by_id.get("meta").is_none());
    let by_slug = api(&app, &key, &format!("posts/slug/{slug}/?include=authors")).await;
    assert_eq!(by_slug["posts"][0]["id"], id);
    assert!(by_slug["posts"][0]["authors"].is_array());
    let missing = app
        .get(&format!(
            "/ghost/api/content/posts/slug/no-such-post/?key={key}"
        ))
        .await;
    assert_eq!(
        ghost_error(&missing, StatusCode::NOT_FOUND, "NotFoundError"),
        "Post not found."
    );
    // A page is not a post, and the other way round.
    let pages = api(&app, &key, "pages/").await;
    let page_slug = pages["pages"][0]["slug"].as_str().unwrap();
    api(&app, &key, &format!("pages/slug/{page_slug}/")).await;
    let wrong_kind = app
        .get(&format!(
            "/ghost/api/content/posts/slug/{page_slug}/?key={key}"
        ))
        .await;
    assert_eq!(wrong_kind.status, StatusCode::NOT_FOUND);
    let unknown = app
        .get(&format!("/ghost/api/content/widgets/?key={key}"))
        .await;
    ghost_error(&unknown, StatusCode::NOT_FOUND, "NotFoundError");
}

#[tokio::test]
async fn tags_authors_tiers_and_settings() {
    let app = TestApp::demo().await;
    let key = content_key(&app).await;
    let tags = api(&app, &key, "tags/?include=count.posts&limit=all").await;
    let list = tags["tags"].as_array().unwrap();
    assert!(list.len() > 4);
    let tag = list
        .iter()
        .find(|t| t["count"]["posts"].as_u64().unwrap() > 0)
        .unwrap();
    let slug = tag["slug"].as_str().unwrap();
    let posts = api(&app, &key, &format!("posts/?filter=tag:{slug}&limit=1")).await;
    assert_eq!(tag["count"]["posts"], posts["meta"]["pagination"]["total"]);
    let one = api(&app, &key, &format!("tags/slug/{slug}/")).await;
    assert_eq!(one["tags"][0]["id"], tag["id"]);
    let public = api(&app, &key, "tags/?filter=visibility:public&limit=all").await;
    assert_eq!(public["tags"].as_array().unwrap().len(), list.len());

    let authors = api(&app, &key, "authors/?include=count.posts&limit=all").await;
    let author = &authors["authors"][0];
    assert!(author.get("email").is_none(), "no email: {author}");
    let by_id = api(
        &app,
        &key,
        &format!("authors/{}/", author["id"].as_str().unwrap()),
    )
    .await;
    assert_eq!(by_id["authors"][0]["slug"], author["slug"]);

    let tiers = api(&app, &key, "tiers/").await;
    let kinds: Vec<&str> = tiers["tiers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["type"].as_str().unwrap())
        .collect();
    assert!(
        kinds.contains(&"free") && kinds.contains(&"paid"),
        "{kinds:?}"
    );
    assert!(
        tiers["tiers"]
            .as_array()
            .unwrap()
            .iter()
            .all(|t| t["visibility"] == "public"),
        "the demo's tiers are all on the sign-up page"
    );
    // A tier kept off the sign-up page is listed with `visibility: none`.
    let ops = app.state.ops();
    let mut entries = app.state.store.tier_entries().await.unwrap();
    let hidden = entries.iter().position(|e| e.tier.is_paid()).unwrap();
    let hidden = entries.remove(hidden);
    let changes = masthead::ops::tiers::TierChanges {
        visible: Some(false),
        ..Default::default()
    };
    masthead::ops::tiers::edit(
        &ops,
        masthead::ops::staff::Actor::Console,
        None,
        &changes.apply(hidden.clone()),
    )
    .await
    .unwrap();
    let tiers = api(&app, &key, "tiers/").await;
    let shown = tiers["tiers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["id"] == hidden.tier.id.as_str())
        .expect("a hidden tier is still listed");
    assert_eq!(shown["visibility"], "none");

    let settings = app
        .get(&format!("/ghost/api/content/settings/?key={key}"))
        .await;
    assert_eq!(settings.status, StatusCode::OK);
    let s = json(&settings);
    assert!(s["settings"]["title"].is_string());
    assert!(
        !settings.body.contains("secret"),
        "no secret setting leaks: {}",
        settings.body
    );
}

#[tokio::test]
async fn cors_cache_control_and_etags() {
    let app = TestApp::demo().await;
    let key = content_key(&app).await;
    let path = format!("/ghost/api/content/posts/?key={key}&limit=2");
    let res = app
        .request(Method::GET, &path, &[("origin", "https://front.example")])
        .await;
    assert_eq!(res.status, StatusCode::OK);
    assert_eq!(res.header("access-control-allow-origin"), "*");
    assert_eq!(res.header("cache-control"), "public, max-age=0");
    assert!(res.header("content-type").starts_with("application/json"));
    let etag = res.header("etag").to_owned();
    assert!(!etag.is_empty());
    let again = app
        .request(Method::GET, &path, &[("if-none-match", &etag)])
        .await;
    assert_eq!(again.status, StatusCode::NOT_MODIFIED);
    let preflight = app
        .request(
            Method::OPTIONS,
            &path,
            &[
                ("origin", "https://front.example"),
                ("access-control-request-method", "GET"),
                ("access-control-request-headers", "accept-version"),
            ],
        )
        .await;
    assert!(preflight.status.is_success(), "{}", preflight.status);
    assert_eq!(preflight.header("access-control-allow-origin"), "*");
    assert!(
        preflight
            .header("access-control-allow-headers")
            .contains("accept-version")
    );
}

//! Page metadata as search engines and social sites read it: title, description, canonical,
//! pagination links, OpenGraph, Twitter cards, robots, and JSON-LD parsed and checked for the
//! properties each schema.org type needs.

use crate::helpers::{TestApp, TestResponse, sel};
use axum::http::StatusCode;
use serde_json::Value;

fn json_ld(res: &TestResponse) -> Vec<Value> {
    res.doc()
        .select(&sel("script[type='application/ld+json']"))
        .map(|s| serde_json::from_str(&s.inner_html()).expect("JSON-LD parses"))
        .collect()
}

fn of_type(blocks: &[Value], t: &str) -> Value {
    let found: Vec<&Value> = blocks.iter().filter(|b| b["@type"] == t).collect();
    assert_eq!(found.len(), 1, "one {t} in {blocks:?}");
    found[0].clone()
}

fn meta(res: &TestResponse, key: &str) -> Vec<String> {
    let css = format!("head meta[property='{key}'], head meta[name='{key}']");
    res.attrs(&css, "content")
}

fn has(v: &Value, keys: &[&str]) {
    for k in keys {
        let present = match &v[*k] {
            Value::Null => false,
            Value::String(s) => !s.is_empty(),
            Value::Array(a) => !a.is_empty(),
            _ => true,
        };
        assert!(present, "{k} missing from {v}");
    }
}

/// A gated and a public post of the demo, by slug.
async fn demo_posts(app: &TestApp) -> (domain::Post, domain::Post) {
    let posts = app
        .state
        .store
        .list_posts(&store::PostFilter::posts(), 100, 0, chrono::Utc::now())
        .await
        .unwrap();
    let gated = posts
        .iter()
        .find(|p| p.visibility.kind() == "paid" && p.body.has_gated_part() && p.image.is_some())
        .unwrap();
    let public = posts
        .iter()
        .find(|p| p.visibility.is_public() && p.image.is_some())
        .unwrap();
    (gated.clone(), public.clone())
}

#[tokio::test]
async fn articles_carry_news_article_breadcrumbs_and_open_graph() {
    let app = TestApp::demo().await;
    let (gated, public) = demo_posts(&app).await;
    let res = app.get(&format!("/{}/", gated.slug)).await;
    let url = format!("https://news.example/{}/", gated.slug);
    assert_eq!(
        res.texts("title")[0],
        format!("{} – The Meridian Review", gated.title)
    );
    assert_eq!(
        res.attrs("head link[rel=canonical]", "href"),
        [url.as_str()]
    );
    let view = domain::access::project(&gated, &domain::Viewer::anonymous(), chrono::Utc::now());
    assert_eq!(meta(&res, "description"), [view.description()]);
    assert_eq!(meta(&res, "og:type"), ["article"]);
    assert_eq!(meta(&res, "og:title"), [gated.title.as_str()]);
    assert_eq!(meta(&res, "og:url"), [url.as_str()]);
    let img = gated.image.as_ref().unwrap();
    assert_eq!(
        meta(&res, "og:image"),
        [format!("https://news.example{}", img.url)]
    );
    assert_eq!(
        meta(&res, "og:image:width"),
        [img.width.unwrap().to_string()]
    );
    assert_eq!(
        meta(&res, "og:image:height"),
        [img.height.unwrap().to_string()]
    );
    assert_eq!(meta(&res, "article:published_time").len(), 1);
    assert_eq!(meta(&res, "article:modified_time").len(), 1);
    assert_eq!(meta(&res, "article:section"), [gated.tags[0].name.clone()]);
    assert_eq!(meta(&res, "article:author").len(), gated.authors.len());
    assert_eq!(meta(&res, "twitter:card"), ["summary_large_image"]);
    assert!(meta(&res, "robots").is_empty(), "articles are indexed");

    let blocks = json_ld(&res);
    let article = of_type(&blocks, "NewsArticle");
    has(
        &article,
        &[
            "headline",
            "alternativeHeadline",
            "image",
            "datePublished",
            "dateModified",
            "author",
            "publisher",
            "articleSection",
            "keywords",
            "description",
        ],
    );
    assert_eq!(article["headline"], gated.title);
    assert_eq!(article["alternativeHeadline"], gated.dek);
    assert_eq!(article["mainEntityOfPage"], url);
    for (person, author) in article["author"]
        .as_array()
        .unwrap()
        .iter()
        .zip(&gated.authors)
    {
        assert_eq!(person["@type"], "Person");
        assert_eq!(person["name"], author.name);
        assert_eq!(
            person["url"],
            format!("https://news.example/author/{}/", author.slug)
        );
        assert_eq!(person["description"], author.bio);
    }
    let publisher = &article["publisher"];
    assert_eq!(publisher["@type"], "Organization");
    assert_eq!(publisher["name"], "The Meridian Review");
    assert_eq!(publisher["logo"]["url"], "https://news.example/logo.png");
    assert_eq!(article["isAccessibleForFree"], false);
    assert_eq!(article["hasPart"]["cssSelector"], ".gated");
    let crumbs = of_type(&blocks, "BreadcrumbList");
    let items = crumbs["itemListElement"].as_array().unwrap();
    assert_eq!(items.len(), 3);
    assert_eq!(items[0]["item"], "https://news.example/");
    assert_eq!(items[2]["item"], url);

    // The paid member's page carries the very same metadata: it is built from the anonymous view.
    app.comp("meta.reader@example.com", "subscriber-plus").await;
    let b = app.signed_in("meta.reader@example.com").await;
    let member = app.get_as(&format!("/{}/", gated.slug), &b.cookies()).await;
    assert_eq!(member.count(".gated"), 1);
    assert_eq!(json_ld(&member), blocks);
    assert_eq!(meta(&member, "description"), meta(&res, "description"));

    let open = app.get(&format!("/{}/", public.slug)).await;
    let article = of_type(&json_ld(&open), "NewsArticle");
    assert_eq!(article["isAccessibleForFree"], true);
    assert!(article.get("hasPart").is_none());
}

#[tokio::test]
async fn home_tag_and_author_pages_describe_themselves() {
    let app = TestApp::demo().await;
    let home = app.get("/").await;
    let site = of_type(&json_ld(&home), "WebSite");
    has(&site, &["name", "url", "potentialAction"]);
    let template = site["potentialAction"]["target"]["urlTemplate"]
        .as_str()
        .unwrap();
    assert_eq!(site["potentialAction"]["@type"], "SearchAction");
    assert_eq!(
        site["potentialAction"]["query-input"],
        "required name=search_term_string"
    );
    let search = template
        .replace("{search_term_string}", "china")
        .replace("https://news.example", "");
    assert_eq!(app.get(&search).await.status, StatusCode::OK, "{template}");
    assert_eq!(meta(&home, "og:type"), ["website"]);
    assert_eq!(meta(&home, "og:image"), ["https://news.example/logo.png"]);
    assert_eq!(
        home.attrs("head link[rel=next]", "href"),
        ["https://news.example/page/2/"]
    );
    let page2 = app.get("/page/2/").await;
    assert_eq!(
        page2.attrs("head link[rel=prev]", "href"),
        ["https://news.example/"]
    );
    assert_eq!(
        page2.attrs("head link[rel=canonical]", "href"),
        ["https://news.example/page/2/"]
    );
    of_type(&json_ld(&page2), "CollectionPage");

    let tag = app.get("/tag/deep-dive/").await;
    let collection = of_type(&json_ld(&tag), "CollectionPage");
    has(&collection, &["name", "url", "description", "isPartOf"]);
    assert_eq!(collection["url"], "https://news.example/tag/deep-dive/");
    assert!(tag.texts("title")[0].starts_with("Deep Dive"));
    if tag.count("nav[aria-label=Pagination] a[rel=next]") > 0 {
        assert_eq!(
            tag.attrs("head link[rel=next]", "href"),
            ["https://news.example/tag/deep-dive/page/2/"]
        );
    }

    let author = app.state.store.authors().await.unwrap().remove(0);
    let page = app.get(&format!("/author/{}/", author.slug)).await;
    let person = of_type(&json_ld(&page), "Person");
    has(&person, &["name", "url", "description"]);
    assert_eq!(person["name"], author.name);
    assert_eq!(
        person["url"],
        format!("https://news.example/author/{}/", author.slug)
    );
    assert_eq!(meta(&page, "og:type"), ["profile"]);
}

#[tokio::test]
async fn private_and_search_pages_are_noindex() {
    let app = TestApp::demo().await;
    let b = app.signed_in("noindex@example.com").await;
    for (path, cookies) in [
        ("/search/?q=china", ""),
        ("/signin/", ""),
        ("/signup/", ""),
        ("/account/", b.cookies().as_str()),
        ("/no-such-page/", ""),
    ] {
        let res = app.get_as(path, cookies).await;
        assert_eq!(meta(&res, "robots"), ["noindex"], "{path}");
    }
    for path in ["/", "/tag/china/", "/about/"] {
        assert!(meta(&app.get(path).await, "robots").is_empty(), "{path}");
    }
}

#[tokio::test]
async fn the_publisher_logo_is_served_and_can_be_replaced() {
    let app = TestApp::demo().await;
    let res = app.request(axum::http::Method::GET, "/logo.png", &[]).await;
    assert_eq!(res.status, StatusCode::OK);
    assert_eq!(res.header("content-type"), "image/png");
    let home = app.get("/").await;
    let site = of_type(&json_ld(&home), "WebSite");
    assert_eq!(site["publisher"]["logo"]["width"], 512);

    app.state
        .store
        .set_setting("logo_url", "https://cdn.example/brand.png")
        .await
        .unwrap();
    let home = app.get("/").await;
    let site = of_type(&json_ld(&home), "WebSite");
    assert_eq!(
        site["publisher"]["logo"]["url"],
        "https://cdn.example/brand.png"
    );
    assert!(
        site["publisher"]["logo"].get("width").is_none(),
        "size unknown"
    );
    assert_eq!(meta(&home, "og:image"), ["https://cdn.example/brand.png"]);
}

#[tokio::test]
async fn the_favicon_is_served_linked_and_can_be_replaced() {
    let app = TestApp::demo().await;
    let get = axum::http::Method::GET;
    let (status, headers, bytes) = app.request_bytes(get.clone(), "/favicon.ico", &[]).await;
    assert_eq!(status, StatusCode::OK, "no 404 in the browser's console");
    let header = |name: &str| headers[name].to_str().unwrap().to_owned();
    assert_eq!(header("content-type"), "image/x-icon");
    assert_eq!(header("cache-control"), "public, max-age=604800");
    let icon =
        image::load_from_memory_with_format(&bytes, image::ImageFormat::Ico).expect("a real ICO");
    assert!(icon.width() >= 16 && icon.width() == icon.height());
    let etag = header("etag");
    let again = app
        .request(get.clone(), "/favicon.ico", &[("if-none-match", &etag)])
        .await;
    assert_eq!(
        again.status,
        StatusCode::NOT_MODIFIED,
        "revalidates by ETag"
    );
    let home = app.get("/").await;
    assert_eq!(home.attrs("head link[rel=icon]", "href"), ["/favicon.ico"]);

    app.state
        .store
        .set_setting("icon", "https://cdn.example/icon.png")
        .await
        .unwrap();
    let home = app.get("/").await;
    assert_eq!(
        home.attrs("head link[rel=icon]", "href"),
        ["https://cdn.example/icon.png"]
    );
    let moved = app.request(get, "/favicon.ico", &[]).await;
    assert!(moved.status.is_redirection(), "{}", moved.status);
    assert_eq!(moved.header("location"), "https://cdn.example/icon.png");
}

//! RSS feeds read with a real feed parser (feed-rs), item by item, against what the site shows an
//! anonymous reader: the latest 20 posts, the whole body of public posts, the free part and a
//! link for gated ones, stable guids, creators, categories and the lead image.

use crate::helpers::{TestApp, TestResponse};
use axum::http::{Method, StatusCode};
use chrono::SubsecRound;
use feed_rs::model::{Entry, Feed};
use scraper::Html;

pub fn parse(res: &TestResponse) -> Feed {
    assert_eq!(res.status, StatusCode::OK);
    assert_eq!(
        res.header("content-type"),
        "application/rss+xml; charset=utf-8"
    );
    feed_rs::parser::parse(res.body.as_bytes()).expect("a valid feed")
}

fn collapsed(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn fragment_text(html: &str) -> String {
    collapsed(
        &Html::parse_fragment(html)
            .root_element()
            .text()
            .collect::<String>(),
    )
}

/// The slugs of the newest live posts, newest first, as the store lists them.
async fn newest(app: &TestApp, filter: store::PostFilter) -> Vec<domain::Post> {
    app.state
        .store
        .list_posts(&filter, 20, 0, chrono::Utc::now())
        .await
        .unwrap()
}

/// Checks one item against the post and the article page an anonymous reader gets.
async fn check_item(app: &TestApp, entry: &Entry, post: &domain::Post) {
    let url = format!("https://news.example/{}/", post.slug);
    assert_eq!(
        entry.id, post.id,
        "the guid is the post id, whatever the slug"
    );
    assert_eq!(entry.links[0].href, url);
    assert_eq!(entry.title.as_ref().unwrap().content, post.title);
    assert_eq!(
        entry.published,
        post.published_at.map(|t| t.trunc_subsecs(0))
    );
    let creators: Vec<&str> = entry
        .authors
        .iter()
        .filter_map(|a| a.name.as_deref())
        .collect();
    let names: Vec<&str> = post.authors.iter().map(|a| a.name.as_str()).collect();
    assert_eq!(creators, names, "dc:creator, in byline order");
    let categories: Vec<&str> = entry.categories.iter().map(|c| c.term.as_str()).collect();
    let tags: Vec<&str> = post.tags.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(categories, tags, "categories, section first");
    if let Some(img) = &post.image {
        let media = &entry.media[0];
        let content = &media.content[0];
        assert_eq!(
            content.url.as_ref().unwrap().as_str(),
            format!("https://news.example{}", img.url)
        );
        assert_eq!((content.width, content.height), (img.width, img.height));
        assert_eq!(media.credits[0].entity, img.credit);
    }
    let html = entry.content.as_ref().and_then(|c| c.body.clone()).unwrap();
    let page = app.get(&format!("/{}/", post.slug)).await;
    let shown = collapsed(&page.texts(".post-content").join(" "));
    let carried = fragment_text(&html);
    if post.visibility.is_public() {
        assert_eq!(carried, shown, "{}: the whole body", post.slug);
        assert!(!html.contains("Continue reading"));
    } else {
        let cont = format!(r#"<a href="{url}">Continue reading on The Meridian Review</a>"#);
        assert!(html.ends_with(&format!("<p>{cont}</p>")), "{html}");
        assert_eq!(
            carried,
            collapsed(&format!("{shown} Continue reading on The Meridian Review")),
            "{}: the free part only",
            post.slug
        );
    }
}

#[tokio::test]
async fn the_site_feed_carries_the_latest_twenty_posts_item_by_item() {
    let app = TestApp::demo().await;
    let res = app.get("/rss/").await;
    assert!(res.header("cache-control").starts_with("public"));
    let feed = parse(&res);
    assert_eq!(feed.title.as_ref().unwrap().content, "The Meridian Review");
    assert!(
        feed.links
            .iter()
            .any(|l| l.rel.as_deref() == Some("self") && l.href == "https://news.example/rss/"),
        "atom:link rel=self: {:?}",
        feed.links
    );
    let posts = newest(&app, store::PostFilter::posts()).await;
    assert_eq!(feed.entries.len(), 20);
    let ids: Vec<&str> = feed.entries.iter().map(|e| e.id.as_str()).collect();
    let expected: Vec<&str> = posts.iter().map(|p| p.id.as_str()).collect();
    assert_eq!(ids, expected, "newest first");
    assert!(posts.iter().any(|p| p.visibility.is_public()));
    assert!(
        posts
            .iter()
            .any(|p| !p.visibility.is_public() && p.body.has_gated_part())
    );
    for (entry, post) in feed.entries.iter().zip(&posts) {
        check_item(&app, entry, post).await;
    }
    assert_eq!(
        app.get("/rss/").await.body,
        res.body,
        "stable bytes, stable guids"
    );
}

#[tokio::test]
async fn tag_and_author_feeds_hold_only_their_posts() {
    let app = TestApp::demo().await;
    let tag = parse(&app.get("/tag/deep-dive/rss/").await);
    assert_eq!(
        tag.title.as_ref().unwrap().content,
        "Deep Dive – The Meridian Review"
    );
    let filter = store::PostFilter {
        tag: Some("deep-dive".into()),
        ..store::PostFilter::posts()
    };
    let posts = newest(&app, filter).await;
    assert_eq!(tag.entries.len(), posts.len().min(20));
    assert!(!tag.entries.is_empty());
    for (entry, post) in tag.entries.iter().zip(&posts) {
        assert!(entry.categories.iter().any(|c| c.term == "Deep Dive"));
        check_item(&app, entry, post).await;
    }
    assert!(
        tag.links
            .iter()
            .any(|l| l.href == "https://news.example/tag/deep-dive/rss/")
    );

    let author = app.state.store.authors().await.unwrap().remove(0);
    let feed = parse(&app.get(&format!("/author/{}/rss/", author.slug)).await);
    assert!(!feed.entries.is_empty());
    for entry in &feed.entries {
        assert!(
            entry
                .authors
                .iter()
                .any(|a| a.name.as_deref() == Some(author.name.as_str()))
        );
    }
}

#[tokio::test]
async fn feeds_answer_conditional_gets_and_unknown_feeds_are_themed_404s() {
    let app = TestApp::demo().await;
    let first = app.get("/rss/").await;
    let etag = first.header("etag").to_owned();
    assert!(!etag.is_empty());
    let again = app
        .request(Method::GET, "/rss/", &[("if-none-match", &etag)])
        .await;
    assert_eq!(again.status, StatusCode::NOT_MODIFIED);
    assert!(again.body.is_empty());
    let since = first.header("last-modified").to_owned();
    let by_date = app
        .request(
            Method::GET,
            "/tag/china/rss/",
            &[("if-modified-since", &since)],
        )
        .await;
    assert_eq!(by_date.status, StatusCode::NOT_MODIFIED);

    let alias = app.get("/feed/").await;
    assert_eq!(alias.status, StatusCode::MOVED_PERMANENTLY);
    assert_eq!(alias.header("location"), "/rss/");

    for path in [
        "/tag/no-such-tag/rss/",
        "/author/nobody/rss/",
        "/tag/%FF/rss/",
    ] {
        let res = app.get(path).await;
        assert_eq!(res.status, StatusCode::NOT_FOUND, "{path}");
        assert!(
            res.header("content-type").starts_with("text/html"),
            "{path}"
        );
        assert_eq!(
            res.count("main form[role=search]"),
            1,
            "{path} is the themed page"
        );
    }
}

#[tokio::test]
async fn a_signed_in_member_gets_the_same_public_feed() {
    let app = TestApp::demo().await;
    app.comp("paid.reader@example.com", "subscriber-plus").await;
    let b = app.signed_in("paid.reader@example.com").await;
    let anonymous = app.get("/rss/").await;
    let member = app.get_as("/rss/", &b.cookies()).await;
    assert_eq!(member.body, anonymous.body);
    assert!(member.header("cache-control").starts_with("public"));
    assert!(member.headers.get("set-cookie").is_none());
}

#[tokio::test]
async fn every_page_announces_the_site_feed_and_lists_their_own() {
    let app = TestApp::demo().await;
    let author = app.state.store.authors().await.unwrap().remove(0);
    let article = app
        .get("/")
        .await
        .attrs(".latest a[href]", "href")
        .remove(0);
    let author_page = format!("/author/{}/", author.slug);
    for path in [
        "/",
        "/page/2/",
        article.as_str(),
        "/about/",
        "/tag/china/",
        author_page.as_str(),
        "/search/?q=china",
        "/signin/",
        "/signup/",
        "/no-such-page/",
    ] {
        let res = app.get(path).await;
        let feeds = res.attrs(
            "head link[rel=alternate][type='application/rss+xml']",
            "href",
        );
        assert_eq!(feeds[0], "https://news.example/rss/", "{path}");
        let own = match path {
            "/tag/china/" => Some("https://news.example/tag/china/rss/".to_owned()),
            p if p == author_page => Some(format!("https://news.example{author_page}rss/")),
            _ => None,
        };
        assert_eq!(feeds.get(1), own.as_ref(), "{path}");
        for feed in &feeds {
            let path = feed.trim_start_matches("https://news.example");
            assert_eq!(app.get(path).await.status, StatusCode::OK, "{feed}");
        }
    }
}

/// A tag's or an author's page and feed describe it in one text (they had drifted: the feeds
/// added the site's name, and an author's feed ignored the bio).
async fn page_and_feed_description(app: &TestApp, page: &str) -> String {
    let res = app.get(page).await;
    assert_eq!(res.status, StatusCode::OK, "{page}");
    let described = res.attrs("head meta[name=description]", "content");
    let feed = parse(&app.get(&format!("{page}rss/")).await);
    let channel = feed.description.expect("a channel description").content;
    assert_eq!(described, [channel.as_str()], "{page} and its feed");
    channel
}

#[tokio::test]
async fn tag_and_author_pages_and_their_feeds_describe_them_alike() {
    let app = TestApp::demo().await;
    let store = &app.state.store;
    let china = store.tag_by_slug("china").await.unwrap().unwrap();
    assert!(!china.description.is_empty());
    let said = page_and_feed_description(&app, "/tag/china/").await;
    assert_eq!(said, china.description);
    for (slug, description) in [("wire-copy", ""), ("blank-copy", "  ")] {
        let tag = domain::Tag {
            id: masthead::compose::new_id(),
            slug: domain::Slug::parse(slug).unwrap(),
            name: "Wire Copy".into(),
            description: description.into(),
            kind: domain::TagKind::Topic,
            meta: domain::TagMeta::default(),
        };
        store.create_tag(&tag, chrono::Utc::now()).await.unwrap();
        let said = page_and_feed_description(&app, &format!("/tag/{slug}/")).await;
        assert_eq!(said, "The latest on Wire Copy.", "{slug}");
    }

    let author = store.authors().await.unwrap().remove(0);
    assert!(!author.bio.is_empty());
    let said = page_and_feed_description(&app, &format!("/author/{}/", author.slug)).await;
    assert_eq!(said, author.bio);
    let unknown = domain::Author {
        id: masthead::compose::new_id(),
        slug: domain::Slug::parse("jane-wire").unwrap(),
        name: "Jane Wire".into(),
        bio: String::new(),
        credentials: String::new(),
        avatar: None,
        website: None,
    };
    store
        .create_author(&unknown, None, chrono::Utc::now())
        .await
        .unwrap();
    let said = page_and_feed_description(&app, "/author/jane-wire/").await;
    assert_eq!(said, "Stories by Jane Wire.");
}

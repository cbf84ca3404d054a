//! The page cache: pages served from memory with their encodings and validators, evicted
//! exactly when what they show changes (from this process, another process, or the clock),
//! one copy per access class with per-reader slots filled in, metered reads never shared,
//! identical misses rendered once, memory bounded.

use crate::helpers::{TestApp, TestResponse};
use axum::http::{Method, StatusCode};
use chrono::{Duration, Utc};
use domain::{Post, PostKind, Status};
use masthead::compose::{Composer, Draft, save};
use std::io::Read;
use store::PostFilter;

mod classes;

fn outcome(res: &TestResponse) -> &str {
    res.header("x-masthead-cache")
}

async fn live_posts(app: &TestApp) -> Vec<Post> {
    app.state
        .store
        .list_posts(&PostFilter::posts(), 100, 0, Utc::now())
        .await
        .unwrap()
}

/// Polls `path` until `ok` holds for the response (the follower applies changes within a
/// tick); panics after 3 s.
async fn eventually(app: &TestApp, path: &str, ok: impl Fn(&TestResponse) -> bool) {
    eventually_as(app, path, "", ok).await;
}

/// `eventually`, for the browser with `cookies`.
async fn eventually_as(
    app: &TestApp,
    path: &str,
    cookies: &str,
    ok: impl Fn(&TestResponse) -> bool,
) {
    let started = std::time::Instant::now();
    loop {
        let res = app.get_as(path, cookies).await;
        if ok(&res) {
            return;
        }
        assert!(
            started.elapsed() < std::time::Duration::from_secs(3),
            "{path} did not change: {}",
            outcome(&res)
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}

#[tokio::test]
async fn a_page_is_rendered_once_then_served_from_memory() {
    let app = TestApp::demo().await;
    app.search_caught_up().await;
    let article = format!("/{}/", live_posts(&app).await[3].slug);
    for path in [
        "/",
        "/page/2/",
        "/tag/china/",
        article.as_str(),
        "/rss/",
        "/sitemap-posts.xml",
        "/search/?q=china",
        "/search.json?q=taiwan",
    ] {
        let first = app.get(path).await;
        assert_eq!(first.status, StatusCode::OK, "{path}");
        assert_eq!(outcome(&first), "miss", "{path}");
        let second = app.get(path).await;
        assert_eq!(outcome(&second), "hit", "{path}");
        assert_eq!(first.body, second.body, "{path}");
        for name in ["content-type", "cache-control", "etag"] {
            assert_eq!(first.header(name), second.header(name), "{path} {name}");
        }
        // Compressed once, decoded to the same page.
        let (_, h, br) = app
            .request_bytes(Method::GET, path, &[("accept-encoding", "gzip, br")])
            .await;
        assert_eq!(h.get("content-encoding").unwrap(), "br");
        let mut text = String::new();
        brotli::Decompressor::new(&br[..], 4096)
            .read_to_string(&mut text)
            .unwrap();
        assert_eq!(text, first.body, "{path} br");
        let (_, h, gz) = app
            .request_bytes(Method::GET, path, &[("accept-encoding", "gzip")])
            .await;
        assert_eq!(h.get("content-encoding").unwrap(), "gzip");
        let mut text = String::new();
        flate2::read::GzDecoder::new(&gz[..])
            .read_to_string(&mut text)
            .unwrap();
        assert_eq!(text, first.body, "{path} gzip");
        assert!(
            h.get("vary")
                .unwrap()
                .to_str()
                .unwrap()
                .contains("accept-encoding")
        );
        // Validators: a browser holding the page gets a 304 from memory.
        let etag = first.header("etag").to_owned();
        let again = app
            .request(Method::GET, path, &[("if-none-match", &etag)])
            .await;
        assert_eq!(again.status, StatusCode::NOT_MODIFIED, "{path}");
        assert!(again.body.is_empty());
        let head = app.request(Method::HEAD, path, &[]).await;
        assert_eq!(head.status, StatusCode::OK);
        assert!(head.body.is_empty());
    }
    // Pages that are never stored: forms, accounts, errors, and the News sitemap (stories
    // leave it with time alone).
    for path in [
        "/signin/",
        "/signup/",
        "/no-such-story/",
        "/sitemap-news.xml",
    ] {
        app.get(path).await;
        assert_ne!(outcome(&app.get(path).await), "hit", "{path}");
    }
    // Pages not stored still answer conditional requests.
    let news = app.get("/sitemap-news.xml").await;
    let again = app
        .request(
            Method::GET,
            "/sitemap-news.xml",
            &[("if-none-match", news.header("etag"))],
        )
        .await;
    assert_eq!(again.status, StatusCode::NOT_MODIFIED);
}

#[tokio::test]
async fn a_site_without_the_cache_renders_every_request() {
    let app = TestApp::demo_with(|c| masthead::config::Config { cache_mb: 0, ..c }).await;
    app.get("/").await;
    let res = app.get("/").await;
    assert_eq!(res.status, StatusCode::OK);
    assert_eq!(outcome(&res), "");
}

/// A live post's first section slug.
fn section_of(post: &Post) -> String {
    post.tags
        .iter()
        .find(|t| t.kind == domain::TagKind::Section)
        .unwrap()
        .slug
        .to_string()
}

#[tokio::test]
async fn a_change_evicts_exactly_the_pages_that_show_it() {
    let app = TestApp::demo().await;
    app.search_caught_up().await;
    let posts = live_posts(&app).await;
    let target = posts[1].clone();
    let section = format!("/tag/{}/", section_of(&target));
    let author = format!("/author/{}/", target.authors[0].slug);
    let page = format!("/{}/", target.slug);
    let showing = [
        "/".to_owned(),
        section.clone(),
        author.clone(),
        page.clone(),
        "/rss/".into(),
    ];
    // A story and a tag page that do not show the target.
    let mut unrelated = Vec::new();
    for post in posts.iter().skip(5) {
        let path = format!("/{}/", post.slug);
        if !app.get(&path).await.body.contains(target.slug.as_str()) {
            unrelated.push(path);
            break;
        }
    }
    for tag in [
        "china",
        "russia",
        "cyber",
        "nuclear",
        "middle-east",
        "terrorism",
    ] {
        let path = format!("/tag/{tag}/");
        let res = app.get(&path).await;
        if res.status == StatusCode::OK && !res.body.contains(target.slug.as_str()) {
            unrelated.push(path);
            break;
        }
    }
    assert_eq!(unrelated.len(), 2, "found an unrelated story and tag page");
    for path in showing.iter().chain(&unrelated) {
        app.get(path).await;
        assert_eq!(outcome(&app.get(path).await), "hit", "{path} warmed");
    }

    // An edit: every page showing the story shows the new headline; the others stay stored.
    let mut edited = target.clone();
    edited.title = "Cache probe: a corrected headline".into();
    edited.updated_at = Utc::now();
    app.state
        .store
        .save_posts(&[edited], Utc::now())
        .await
        .unwrap();
    for path in &showing {
        let res = app.get(path).await;
        assert!(
            res.body.contains("Cache probe: a corrected headline"),
            "{path} shows the edit at once"
        );
    }
    for path in &unrelated {
        eventually(&app, path, |r| outcome(r) == "hit").await;
    }

    // Unpublishing: the story leaves every page that listed it.
    app.state
        .store
        .set_post_status(
            &target.id,
            Status::Draft,
            target.published_at,
            Utc::now(),
            Utc::now(),
        )
        .await
        .unwrap();
    assert_eq!(app.get(&page).await.status, StatusCode::NOT_FOUND);
    for path in &showing[..showing.len() - 2] {
        let res = app.get(path).await;
        assert!(
            !res.body.contains(target.slug.as_str()),
            "{path} no longer lists the story"
        );
    }
    assert!(!app.get("/rss/").await.body.contains(target.slug.as_str()));
    for path in &unrelated {
        eventually(&app, path, |r| outcome(r) == "hit").await;
    }

    // A new story in the same section: listed at once where it belongs.
    let mut composer = Composer::new(&app.state.store);
    let mut draft = Draft::new(
        PostKind::Post,
        "Cache probe: a story filed just now",
        "A paragraph.",
    );
    draft.section = Some(section_of(&target));
    draft.authors = vec![target.authors[0].slug.to_string()];
    draft.published_at = Some(Utc::now() - Duration::seconds(1));
    let post = composer.compose(draft, Utc::now()).await.unwrap();
    save(&app.state.store, std::slice::from_ref(&post))
        .await
        .unwrap();
    for path in [
        "/",
        section.as_str(),
        author.as_str(),
        "/rss/",
        "/sitemap-posts.xml",
    ] {
        assert!(
            app.get(path).await.body.contains(post.slug.as_str()),
            "{path} lists the new story"
        );
    }
    // A tag page the new story is not on stays stored: new posts evict only their listings.
    eventually(&app, &unrelated[1], |r| outcome(r) == "hit").await;

    // Deleting it takes it off again.
    app.state
        .store
        .delete_post(&post.id, Utc::now())
        .await
        .unwrap();
    for path in ["/", section.as_str(), "/rss/"] {
        assert!(
            !app.get(path).await.body.contains(post.slug.as_str()),
            "{path}"
        );
    }
}

#[tokio::test]
async fn settings_changes_clear_every_page() {
    let app = TestApp::demo().await;
    let article = format!("/{}/", live_posts(&app).await[0].slug);
    for path in ["/", article.as_str(), "/rss/"] {
        app.get(path).await;
    }
    app.state
        .store
        .set_setting("title", "The Renamed Review")
        .await
        .unwrap();
    for path in ["/", article.as_str(), "/rss/"] {
        assert!(
            app.get(path).await.body.contains("The Renamed Review"),
            "{path}"
        );
    }
}

#[tokio::test]
async fn writes_from_another_process_reach_the_cache_within_a_tick() {
    let app = TestApp::demo().await;
    let target = live_posts(&app).await[0].clone();
    let page = format!("/{}/", target.slug);
    app.get("/").await;
    app.get(&page).await;
    assert_eq!(outcome(&app.get(&page).await), "hit");
    // Another process: its own connection to the same database file, its own content clock.
    let other = store::Store::open_sqlite(&app._dir.path().join("masthead.db"))
        .await
        .unwrap();
    let mut edited = target.clone();
    edited.title = "Edited by another process".into();
    other.save_posts(&[edited], Utc::now()).await.unwrap();
    eventually(&app, &page, |r| {
        r.body.contains("Edited by another process")
    })
    .await;
    eventually(&app, "/", |r| r.body.contains("Edited by another process")).await;
    other.close().await;
}

#[tokio::test]
async fn a_scheduled_post_appears_when_its_time_comes() {
    let app = TestApp::demo().await;
    let mut composer = Composer::new(&app.state.store);
    let mut draft = Draft::new(PostKind::Post, "Cache probe: embargoed until soon", "Text.");
    draft.section = Some("deep-dive".into());
    draft.published_at = Some(Utc::now() + Duration::milliseconds(1500));
    draft.featured = true;
    let post = composer.compose(draft, Utc::now()).await.unwrap();
    assert_eq!(post.status, Status::Published);
    save(&app.state.store, std::slice::from_ref(&post))
        .await
        .unwrap();
    let home = app.get("/").await;
    assert!(
        !home.body.contains(post.slug.as_str()),
        "not before its time"
    );
    eventually(&app, "/", |r| outcome(r) == "hit").await;
    tokio::time::sleep(std::time::Duration::from_millis(1600)).await;
    eventually(&app, "/", |r| r.body.contains(post.slug.as_str())).await;
    eventually(&app, "/tag/deep-dive/", |r| {
        r.body.contains(post.slug.as_str())
    })
    .await;
}

#[tokio::test]
async fn identical_misses_render_once() {
    let app = TestApp::demo().await;
    let path = format!("/{}/", live_posts(&app).await[7].slug);
    let responses = futures_util::future::join_all((0..16).map(|_| app.get(&path))).await;
    let misses = responses.iter().filter(|r| outcome(r) == "miss").count();
    let hits = responses.iter().filter(|r| outcome(r) == "hit").count();
    assert_eq!((misses, hits), (1, 15));
    assert!(responses.iter().all(|r| r.body == responses[0].body));
}

#[tokio::test]
async fn the_cache_stays_within_its_memory_bound() {
    let app = TestApp::demo_with(|c| masthead::config::Config { cache_mb: 1, ..c }).await;
    let posts = live_posts(&app).await;
    for post in &posts {
        app.get(&format!("/{}/", post.slug)).await;
    }
    let cache = &app.state.cache;
    assert!(
        cache.weighted_size() <= 1024 * 1024,
        "{}",
        cache.weighted_size()
    );
    assert!(cache.len() > 5, "still holds pages: {}", cache.len());
    assert!(
        (cache.len() as usize) < posts.len(),
        "evicted some of {}",
        posts.len()
    );
    // Evicted pages render again, correctly.
    let res = app.get(&format!("/{}/", posts[0].slug)).await;
    assert_eq!(res.status, StatusCode::OK);
    assert!(res.body.contains(posts[0].title.as_str()) || res.body.contains("<h1"));
}

#[tokio::test]
async fn renaming_a_tag_changes_every_page_that_names_it() {
    let app = TestApp::demo().await;
    app.search_caught_up().await;
    let post = live_posts(&app).await[0].clone();
    let section_slug = section_of(&post);
    // A page that names the section only in its navigation: an author page without its stories.
    let mut page = String::new();
    for author in app.state.store.authors().await.unwrap() {
        let filter = PostFilter {
            author: Some(author.slug.to_string()),
            ..PostFilter::posts()
        };
        let theirs = app
            .state
            .store
            .list_posts(&filter, 12, 0, Utc::now())
            .await
            .unwrap();
        if !theirs.is_empty() && theirs.iter().all(|p| section_of(p) != section_slug) {
            page = format!("/author/{}/", author.slug);
            break;
        }
    }
    assert!(!page.is_empty(), "an author outside the section");
    let mut section = post
        .tags
        .iter()
        .find(|t| t.kind == domain::TagKind::Section)
        .unwrap()
        .clone();
    for path in ["/", page.as_str()] {
        app.get(path).await;
        eventually(&app, path, |r| outcome(r) == "hit").await;
    }
    assert!(
        app.get(&page).await.body.contains(section.name.as_str()),
        "the navigation names it"
    );
    section.name = "Renamed Desk".into();
    assert!(
        app.state
            .store
            .update_tag(&section, Utc::now())
            .await
            .unwrap()
    );
    for path in ["/", page.as_str()] {
        eventually(&app, path, |r| r.body.contains("Renamed Desk")).await;
    }
}

/// clock) reaches pages, robots.txt and the meters within a tick, with the page cache on or off.
#[tokio::test]
async fn settings_set_by_another_process_are_seen_within_a_tick() {
    for cache_mb in [masthead::config::DEFAULT_CACHE_MB, 0] {
        let app = TestApp::demo_with(|c| masthead::config::Config { cache_mb, ..c }).await;
        app.get("/").await;
        app.get("/robots.txt").await;
        let other = store::Store::open_sqlite(&app._dir.path().join("masthead.db"))
            .await
            .unwrap();
        other.set_setting("title", "Set Elsewhere").await.unwrap();
        other
            .set_setting("robots_extra", "User-agent: Elsewhere")
            .await
            .unwrap();
        other.close().await;
        eventually(&app, "/", |r| r.body.contains("Set Elsewhere")).await;
        eventually(&app, "/robots.txt", |r| {
            r.body.contains("User-agent: Elsewhere")
        })
        .await;
    }
}

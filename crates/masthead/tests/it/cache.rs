//! The page cache: pages served from memory with their encodings and validators, evicted
//! exactly when what they show changes (from this process, another process, or the clock),
//! one copy per access class with per-reader slots filled in, metered reads never shared,
//! identical misses rendered once, memory bounded.

use crate::helpers::{Browser, TestApp, TestResponse};
use axum::http::{Method, StatusCode};
use chrono::{Duration, Utc};
use domain::{Post, PostKind, Status, Visibility};
use masthead::compose::{Composer, Draft, save};
use std::io::Read;
use store::PostFilter;

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

/// A paid post, and a paid member's browser (comped to Subscriber+).
async fn paid_post_and_reader(app: &TestApp, email: &str) -> Browser {
    let b = app.signed_in(email).await;
    app.comp(email, "subscriber-plus").await;
    b
}

#[tokio::test]
async fn each_access_class_gets_its_own_copy_with_its_own_slots() {
    let app = TestApp::demo().await;
    for key in ["meter_members", "meter_anonymous"] {
        app.state.store.set_setting(key, "0").await.unwrap();
    }
    let paid = live_posts(&app)
        .await
        .into_iter()
        .find(|p| p.visibility == Visibility::Paid && p.body.has_gated_part())
        .expect("a paid story in the demo");
    let page = format!("/{}/", paid.slug);
    let gated = |r: &TestResponse| r.count(".post-content .gated") == 1;
    let paywall = |r: &TestResponse| r.count(".paywall") == 1;

    let anon = app.get(&page).await;
    assert!(paywall(&anon) && !gated(&anon));
    eventually(&app, &page, |r| outcome(r) == "hit").await;

    let a = paid_post_and_reader(&app, "alpha@example.com").await;
    let b = paid_post_and_reader(&app, "bravo@example.com").await;
    let free = app.signed_in("free-reader@example.com").await;
    // Alpha gives a gift, so the two paid readers have different numbers left.
    let first = app.get_as(&page, &a.cookies()).await;
    assert!(
        gated(&first) && !paywall(&first),
        "a paid reader reads it all"
    );
    app.post_form(
        "/members/gift",
        &a.cookies(),
        &[("csrf", &a.csrf), ("post_id", &paid.id)],
    )
    .await;
    // Ten gift links a month each.
    let (a_left, b_left) = ("9".to_owned(), "10".to_owned());
    for (reader, left) in [(&a, &a_left), (&b, &b_left), (&a, &a_left), (&b, &b_left)] {
        let res = app.get_as(&page, &reader.cookies()).await;
        assert!(gated(&res), "paid copy");
        assert_eq!(outcome(&res), "hit", "one copy for the class");
        assert_eq!(
            res.attrs(".gift input[name=csrf]", "value"),
            vec![reader.csrf.clone()],
            "each reader's own CSRF token"
        );
        assert_eq!(
            res.texts(".gift .hint"),
            vec![format!("Gift links left this month: {left}")]
        );
    }
    // A browser that has lost its CSRF cookie gets a new one, and the form carries it.
    let session_only = a
        .jar
        .iter()
        .filter(|(k, _)| k.as_str() == "mh_session")
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("; ");
    let res = app.get_as(&page, &session_only).await;
    assert_eq!(outcome(&res), "hit");
    let mut fresh = Browser::default();
    fresh.absorb(&res);
    let token = fresh.jar.get("mh_csrf").expect("a new CSRF cookie").clone();
    assert_ne!(token, a.csrf);
    assert_eq!(res.attrs(".gift input[name=csrf]", "value"), vec![token]);
    // Never the paid copy for anyone else, even after it is stored.
    for _ in 0..2 {
        let res = app.get_as(&page, &free.cookies()).await;
        assert!(paywall(&res) && !gated(&res), "free member");
        assert!(!res.body.contains(&a.csrf) && !res.body.contains(&b.csrf));
        let res = app.get(&page).await;
        assert!(paywall(&res) && !gated(&res), "anonymous");
        assert!(res.header("cache-control").starts_with("public"));
    }
    // A forged session cookie is an anonymous reader.
    let forged = app.get_as(&page, "mh_session=forged-session-value").await;
    assert!(paywall(&forged) && !gated(&forged));

    // Signing out: the same cookie no longer gets the paid copy.
    let out = app
        .post_form("/members/signout", &b.cookies(), &[("csrf", &b.csrf)])
        .await;
    assert!(out.status.is_redirection());
    let after = app.get_as(&page, &b.cookies()).await;
    assert!(paywall(&after) && !gated(&after), "signed out");
}

#[tokio::test]
async fn metered_and_gifted_reads_are_never_shared() {
    let app = TestApp::demo().await;
    app.state
        .store
        .set_setting("meter_anonymous", "1")
        .await
        .unwrap();
    let gated: Vec<Post> = live_posts(&app)
        .await
        .into_iter()
        .filter(|p| p.visibility == Visibility::Paid && p.body.has_gated_part())
        .take(2)
        .collect();
    let (one, two) = (
        format!("/{}/", gated[0].slug),
        format!("/{}/", gated[1].slug),
    );
    let full = |r: &TestResponse| r.count(".post-content .gated") == 1;
    // Two readers without cookies each get their free read; neither is served the other's.
    for _ in 0..2 {
        let res = app.get(&one).await;
        assert!(full(&res), "a fresh reader's metered read");
        assert_eq!(outcome(&res), "bypass");
        assert!(res.header("cache-control").starts_with("private"));
    }
    let mut reader = Browser::default();
    reader.absorb(&app.get(&one).await);
    let cut = app.get_as(&two, &reader.cookies()).await;
    assert!(!full(&cut), "the allowance is used up");
    let fresh = app.get(&two).await;
    assert!(
        full(&fresh),
        "a used-up reader's page is not served to a fresh one"
    );
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

/// The demo with meters off, and one of its paid stories with a gated part (its path).
async fn paid_story_without_meters(app: &TestApp) -> String {
    for key in ["meter_members", "meter_anonymous"] {
        app.state.store.set_setting(key, "0").await.unwrap();
    }
    let paid = live_posts(app)
        .await
        .into_iter()
        .find(|p| p.visibility == Visibility::Paid && p.body.has_gated_part())
        .expect("a paid story in the demo");
    format!("/{}/", paid.slug)
}

fn reads_it_all(r: &TestResponse) -> bool {
    r.count(".post-content .gated") == 1
}

#[tokio::test]
async fn a_render_for_a_new_class_is_not_stored_under_the_remembered_one() {
    let app = TestApp::demo().await;
    let page = paid_story_without_meters(&app).await;
    // This process stops noticing other processes' changes, as during the tick before the
    // follower sees one: the session's class stays remembered as it was.
    eventually(&app, "/", |r| outcome(r) == "hit").await;
    app.state.cache.close();
    tokio::time::sleep(std::time::Duration::from_millis(400)).await;
    let free = app.signed_in("still-free@example.com").await;
    let upgraded = app.signed_in("upgraded@example.com").await;
    // Remembered as free (any page will do; the story itself must not be stored yet).
    assert_eq!(
        app.get_as("/", &upgraded.cookies()).await.status,
        StatusCode::OK
    );
    // Comped as another process would: straight into the database.
    app.comp("upgraded@example.com", "subscriber-plus").await;
    let res = app.get_as(&page, &upgraded.cookies()).await;
    assert!(reads_it_all(&res), "rendered for what the member now holds");
    for _ in 0..2 {
        let free_res = app.get_as(&page, &free.cookies()).await;
        assert!(
            !reads_it_all(&free_res),
            "a free member never gets the paid render"
        );
    }
    assert_eq!(
        outcome(&res),
        "bypass",
        "not stored under the remembered class"
    );
    assert_eq!(outcome(&app.get_as(&page, &free.cookies()).await), "hit");
}

#[tokio::test]
async fn a_comp_from_another_process_reaches_the_cache_at_once() {
    let app = TestApp::demo().await;
    let page = paid_story_without_meters(&app).await;
    let free = app.signed_in("still-free@example.com").await;
    assert!(!reads_it_all(&app.get_as(&page, &free.cookies()).await));
    eventually_as(&app, &page, &free.cookies(), |r| outcome(r) == "hit").await;
    // A fresh session, its class just remembered as free.
    let comped = app.signed_in("comped@example.com").await;
    assert!(!reads_it_all(&app.get_as(&page, &comped.cookies()).await));
    let started = std::time::Instant::now();
    let mut cli = std::process::Command::new(env!("CARGO_BIN_EXE_masthead"));
    cli.args([
        "member",
        "comp",
        "comped@example.com",
        "--tier",
        "subscriber-plus",
    ])
    .env("MASTHEAD_DATA", app._dir.path())
    .env_remove("MASTHEAD_DATABASE_URL")
    .env("RUST_LOG", "warn");
    // Waited for off the test's runtime, which also runs the app: a write the app has begun
    // must be able to commit while the other process waits for the database.
    let out = tokio::task::spawn_blocking(move || cli.output().expect("run masthead"))
        .await
        .unwrap();
    assert!(
        out.status.success(),
        "{}: {}{}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    let comp_took = started.elapsed();
    // Seen within a tick or so: well before the remembered class would have expired (2 s).
    let seen = std::time::Instant::now();
    loop {
        let res = app.get_as(&page, &comped.cookies()).await;
        if reads_it_all(&res) {
            break;
        }
        assert!(
            seen.elapsed() < std::time::Duration::from_millis(800),
            "the comp was not seen (the CLI took {comp_took:?})"
        );
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    let again = app.get_as(&page, &comped.cookies()).await;
    assert!(reads_it_all(&again));
    assert_eq!(
        outcome(&again),
        "hit",
        "the paid copy is stored under its own class"
    );
    for _ in 0..2 {
        let res = app.get_as(&page, &free.cookies()).await;
        assert!(
            !reads_it_all(&res),
            "the free member never gets the paid copy"
        );
        assert_eq!(outcome(&res), "hit");
    }
}

/// A server keeps its settings between changes; a change from another process (its own content
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

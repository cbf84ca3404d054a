//! Search and Related Articles end to end: the results page and JSON over the demo, the
//! background indexer (a publish is searchable within a second; updates, unpublishing and
//! deletion too), rebuilding a deleted or damaged index, publishing while searching, and
//! queries of any bytes.

use crate::helpers::{TestApp, sel};
use axum::http::StatusCode;
use chrono::{Duration, Utc};
use domain::{Post, PostKind, Status};
use masthead::compose::{Composer, Draft, save};
use serde_json::Value;
use std::time::Instant;

async fn search(app: &TestApp, query: &str) -> Value {
    let res = app.get(&format!("/search.json?{query}")).await;
    assert_eq!(res.status, StatusCode::OK, "{query}: {}", res.body);
    assert!(res.header("content-type").starts_with("application/json"));
    serde_json::from_str(&res.body).unwrap()
}

fn titles(json: &Value) -> Vec<String> {
    json["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["title"].as_str().unwrap().to_owned())
        .collect()
}

/// Polls `/search.json?q=…` until `ok` holds; returns how long that took. Fails after 5 s.
async fn until(app: &TestApp, q: &str, ok: impl Fn(&Value) -> bool) -> std::time::Duration {
    let started = Instant::now();
    loop {
        let json = search(app, &format!("q={q}")).await;
        if ok(&json) {
            return started.elapsed();
        }
        assert!(started.elapsed().as_secs() < 5, "{q}: still {json}");
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
}

async fn draft(app: &TestApp, title: &str, body: &str) -> Post {
    let mut d = Draft::new(PostKind::Post, title, body);
    d.section = Some("Deep Dive".into());
    d.tags = vec!["Maritime".into()];
    d.authors = vec!["Test Writer".into()];
    d.published_at = Some(Utc::now() - Duration::minutes(1));
    Composer::new(&app.state.store)
        .compose(d, Utc::now())
        .await
        .unwrap()
}

#[tokio::test]
async fn the_demo_is_searchable_as_a_page_and_as_json() {
    let app = TestApp::demo().await;
    app.search_caught_up().await;

    let json = search(&app, "q=sanctions").await;
    let total = json["total"].as_u64().unwrap();
    assert!(total >= 5, "{json}");
    for hit in json["hits"].as_array().unwrap() {
        for field in ["title", "url", "kicker", "dek", "date", "snippet"] {
            assert!(hit[field].is_string(), "{field} in {hit}");
        }
        assert!(
            hit["url"]
                .as_str()
                .unwrap()
                .starts_with("https://news.example/")
        );
        assert!(hit["authors"][0]["name"].is_string());
    }
    let first = &json["hits"][0];
    let marked = format!("{}{}", first["title_html"], first["snippet"]);
    assert!(marked.to_lowercase().contains("<mark>sanction"), "{first}");
    assert_eq!(json["filters"]["section"], Value::Null);

    // The page: query kept, count, marks, noindex, filters as links, works without JS.
    let page = app.get("/search/?q=sanctions").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.header("cache-control").starts_with("public"));
    assert_eq!(page.attrs("#search-page-q", "value"), ["sanctions"]);
    assert_eq!(page.attrs("meta[name=robots]", "content"), ["noindex"]);
    assert_eq!(page.count(".search-hit"), total.min(10) as usize);
    assert!(page.texts(".search-count")[0].starts_with(&format!("{total} results")));
    assert!(page.count(".search-hit mark") > 0);
    let narrow = page.attrs(".search-sections a", "href");
    assert!(!narrow.is_empty(), "section links with counts");
    let narrowed_page = app.get(&narrow[0].replace("&amp;", "&")).await;
    let remove = narrowed_page.attrs(".search-filters a", "href");
    assert_eq!(
        remove,
        ["/search/?q=sanctions"],
        "an applied filter links to its removal"
    );

    // Filters narrow; date sort orders; pages differ.
    let news = search(&app, "q=sanctions+section%3Anews").await;
    assert!(news["total"].as_u64().unwrap() < total);
    assert_eq!(news["filters"]["section"], "news");
    assert!(
        news["hits"]
            .as_array()
            .unwrap()
            .iter()
            .all(|h| h["kicker"] == "News")
    );
    let by_date = search(&app, "q=the&sort=date").await;
    let dates: Vec<&str> = by_date["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["date"].as_str().unwrap())
        .collect();
    let mut sorted = dates.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!(dates, sorted);
    let page2 = search(&app, "q=the&sort=date&page=2").await;
    assert_ne!(titles(&by_date), titles(&page2));
    assert_eq!(by_date["total"], page2["total"]);

    // Typos, stems and unfinished words still find; a misspelt query gets a suggestion.
    assert_eq!(
        titles(&search(&app, "q=sanctons").await)[0],
        titles(&json)[0]
    );
    assert!(search(&app, "q=sanction").await["total"].as_u64().unwrap() >= total);
    assert!(search(&app, "q=sanct").await["total"].as_u64().unwrap() >= total);
    let nothing = app.get("/search/?q=sanctionz+chna").await;
    assert_eq!(nothing.texts(".search-suggestion a"), ["sanctions china"]);
    assert!(nothing.texts(".search-empty-title")[0].contains("No results"));
}

#[tokio::test]
async fn queries_of_any_bytes_get_a_page_never_an_error() {
    let app = TestApp::demo().await;
    app.search_caught_up().await;
    let long = "a".repeat(10_000);
    for q in [
        "",
        "%22",
        "-",
        "--",
        "tag%3A",
        "%FF%FE%00",
        "((((",
        "%22unbalanced+quote",
        "a%3Ab%3Ac",
        "%3Cscript%3Ealert(1)%3C%2Fscript%3E",
        "after%3Ayesterday",
        "section%3A",
        long.as_str(),
        "*",
        "%E2%80%9Csmart+quotes%E2%80%9D",
    ] {
        for path in ["/search/", "/search.json"] {
            let res = app.get(&format!("{path}?q={q}&page=x&sort=%FF")).await;
            assert_eq!(res.status, StatusCode::OK, "{path}?q={q}");
            if path == "/search/" {
                assert!(!res.body.contains("<script>alert"), "{path}?q={q}");
            }
        }
    }
    let cut = search(&app, &format!("q={long}")).await;
    assert!(cut["notices"][0].as_str().unwrap().contains("cut"), "{cut}");
    let date = app.get("/search/?q=after%3Ayesterday").await;
    assert!(date.texts(".search-notice")[0].contains("not a date"));
}

#[tokio::test]
async fn publishing_updating_unpublishing_and_deleting_reach_search_within_a_second() {
    let app = TestApp::empty().await;
    app.search_caught_up().await;
    let store = &app.state.store;

    let mut post = draft(
        &app,
        "Zanzibar clove audit",
        "Inspectors counted the harvest.",
    )
    .await;
    save(store, std::slice::from_ref(&post)).await.unwrap();
    let took = until(&app, "zanzibar", |j| j["total"] == 1).await;
    assert!(
        took.as_millis() < 1_000,
        "published → searchable in {took:?}"
    );

    post.title = "Pemba clove audit".into();
    post.updated_at = Utc::now();
    save(store, std::slice::from_ref(&post)).await.unwrap();
    let took = until(&app, "pemba", |j| j["total"] == 1).await;
    assert!(took.as_millis() < 1_000, "updated in {took:?}");
    assert_eq!(search(&app, "q=zanzibar").await["total"], 0);

    store
        .set_post_status(&post.id, Status::Draft, None, Utc::now(), Utc::now())
        .await
        .unwrap();
    let took = until(&app, "pemba", |j| j["total"] == 0).await;
    assert!(took.as_millis() < 1_000, "unpublished in {took:?}");

    store
        .set_post_status(
            &post.id,
            Status::Published,
            Some(Utc::now()),
            Utc::now(),
            Utc::now(),
        )
        .await
        .unwrap();
    until(&app, "pemba", |j| j["total"] == 1).await;
    store.delete_post(&post.id, Utc::now()).await.unwrap();
    let took = until(&app, "pemba", |j| j["total"] == 0).await;
    assert!(took.as_millis() < 1_000, "deleted in {took:?}");

    // Drafts, scheduled posts and posts dated in the future never appear.
    let mut hidden = Vec::new();
    for (i, (status, ahead)) in [
        (Status::Draft, 0),
        (Status::Scheduled, 2),
        (Status::Published, 2),
    ]
    .into_iter()
    .enumerate()
    {
        let mut p = draft(&app, &format!("Quokka census {i}"), "Not yet.").await;
        p.status = status;
        p.published_at = Some(Utc::now() + Duration::hours(ahead));
        hidden.push(p);
    }
    save(store, &hidden).await.unwrap();
    app.search_caught_up().await;
    assert_eq!(search(&app, "q=quokka").await["total"], 0);
    assert_eq!(app.get("/search/?q=quokka").await.count(".search-hit"), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn publishing_while_searching_loses_nothing() {
    let app = TestApp::empty().await;
    app.search_caught_up().await;
    // Each draft is composed right before it is saved, as an editor would: the first one
    // creates the section, tag and author the others then reuse.
    let publish = async {
        for i in 0..30 {
            let p = draft(
                &app,
                &format!("Kestrel survey {i}"),
                "Raptors over the ridge.",
            )
            .await;
            save(&app.state.store, std::slice::from_ref(&p))
                .await
                .unwrap();
            tokio::time::sleep(std::time::Duration::from_millis(15)).await;
        }
    };
    let read = async {
        let mut last = 0;
        for _ in 0..60 {
            let total = search(&app, "q=kestrel").await["total"].as_u64().unwrap();
            assert!(
                total >= last,
                "results never go backwards ({last} → {total})"
            );
            last = total;
            tokio::time::sleep(std::time::Duration::from_millis(10)).await;
        }
    };
    tokio::join!(publish, read);
    until(&app, "kestrel", |j| j["total"] == 30).await;
}

#[tokio::test]
async fn a_deleted_or_damaged_index_is_rebuilt_from_the_database() {
    let app = TestApp::demo().await;
    app.search_caught_up().await;
    let total = search(&app, "q=sanctions").await["total"].clone();
    let dir = app.state.config.search_dir();

    // Deleted while serving: the indexer notices and refills a new one.
    std::fs::remove_dir_all(&dir).unwrap();
    let started = Instant::now();
    while !dir.join("meta.json").is_file() {
        assert!(started.elapsed().as_secs() < 5, "no new index");
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    app.search_caught_up().await;
    assert_eq!(search(&app, "q=sanctions").await["total"], total);

    // Damaged while stopped: rebuilt on the next start.
    let TestApp {
        _dir: data, state, ..
    } = app;
    state.search.close();
    drop(state);
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path
            .extension()
            .is_some_and(|e| e == "idx" || e == "store" || e == "term")
        {
            let len = std::fs::metadata(&path).unwrap().len();
            std::fs::OpenOptions::new()
                .write(true)
                .open(&path)
                .unwrap()
                .set_len(len / 3)
                .unwrap();
        }
    }
    let app = TestApp::boot(data).await;
    app.search_caught_up().await;
    assert_eq!(search(&app, "q=sanctions").await["total"], total);
}

#[tokio::test]
async fn related_articles_are_four_distinct_live_stories_that_follow_changes() {
    let app = TestApp::demo().await;
    app.search_caught_up().await;
    let home = app.get("/").await;
    let story = home.attrs("main article h2 a", "href")[0].clone();
    let related = |page: &crate::helpers::TestResponse| -> Vec<String> {
        let mut hrefs = page.attrs(".related-title a", "href");
        hrefs.dedup();
        hrefs
    };
    let page = app.get(&story).await;
    let first = related(&page);
    assert_eq!(first.len(), 4, "{first:?}");
    let mut unique = first.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), 4, "no duplicates");
    assert!(!first.contains(&story), "never the story itself");
    assert_eq!(
        page.doc().select(&sel(".related .kicker")).count(),
        4,
        "with kickers"
    );

    // Unpublish the first related story: the box drops it within a second, and stays full.
    let gone = first[0].trim_matches('/').to_owned();
    let post = app.state.store.post_by_slug(&gone).await.unwrap().unwrap();
    app.state
        .store
        .set_post_status(&post.id, Status::Draft, None, Utc::now(), Utc::now())
        .await
        .unwrap();
    let started = Instant::now();
    loop {
        let now = related(&app.get(&story).await);
        if !now.contains(&first[0]) && now.len() == 4 {
            break;
        }
        assert!(started.elapsed().as_millis() < 1_000, "{now:?}");
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
}

//! Out-of-range page numbers: a 404 on every listing, a Ghost-shaped 400 on the Content API,
//! the capped last page on search — never an overflow or a 500.

use crate::ghost_content::content_key;
use crate::helpers::TestApp;
use axum::http::StatusCode;

/// Page numbers no listing has: too small, not canonical, or so large that their offset
/// overflows 64 bits (u64 and i64 alike; the last one overflowed i64 only, a 500 on PostgreSQL).
pub const OUT_OF_RANGE: [&str; 9] = [
    "0",
    "1",
    "02",
    "+2",
    "18446744073709551615",
    "18446744073709551616",
    "9223372036854775808",
    "9223372036854775807",
    "1537228672809129301",
];

/// Every paginated listing of the demo: home, a tag, an author.
pub async fn listings(app: &TestApp) -> Vec<String> {
    let author = app.state.store.authors().await.unwrap().remove(0);
    vec![
        "/".to_owned(),
        "/tag/opinion/".to_owned(),
        format!("/author/{}/", author.slug),
    ]
}

/// Asserts every listing answers and 404s every page in `OUT_OF_RANGE`.
pub async fn out_of_range_pages_are_not_found(app: &TestApp) {
    let second = app.get("/page/2/").await;
    assert_eq!(second.status, StatusCode::OK, "/page/2/ is a page");
    for listing in listings(app).await {
        assert_eq!(app.get(&listing).await.status, StatusCode::OK, "{listing}");
        for n in OUT_OF_RANGE {
            let path = format!("{listing}page/{n}/");
            let res = app.get(&path).await;
            assert_eq!(res.status, StatusCode::NOT_FOUND, "{path}");
            assert!(
                res.body.contains("Page not found"),
                "{path}: the themed 404"
            );
        }
    }
}

/// Regression (issue 13): `/page/18446744073709551615/` overflowed (a panic in debug builds).
#[tokio::test]
async fn out_of_range_page_numbers_are_404_on_every_listing() {
    let app = TestApp::demo().await;
    out_of_range_pages_are_not_found(&app).await;
}

#[tokio::test]
async fn content_api_answers_out_of_range_pages_with_a_ghost_400() {
    let app = TestApp::demo().await;
    let key = content_key(&app).await;
    for n in [
        "0",
        "-1",
        "x",
        "1000001",
        "9223372036854775808",
        "18446744073709551615",
        "18446744073709551616",
    ] {
        let res = app
            .get(&format!("/ghost/api/content/posts/?key={key}&page={n}"))
            .await;
        assert_eq!(res.status, StatusCode::BAD_REQUEST, "page={n}");
        let body: serde_json::Value = serde_json::from_str(&res.body).unwrap();
        assert_eq!(body["errors"][0]["type"], "BadRequestError", "page={n}");
        assert!(
            body["errors"][0]["context"]
                .as_str()
                .unwrap()
                .contains("from 1 to 1000000"),
            "page={n}: {body}"
        );
    }
    let deep = app
        .get(&format!(
            "/ghost/api/content/posts/?key={key}&page=1000000&limit=100"
        ))
        .await;
    assert_eq!(
        deep.status,
        StatusCode::OK,
        "the deepest page is empty, not an error"
    );
}

#[tokio::test]
async fn search_caps_out_of_range_pages() {
    let app = TestApp::demo().await;
    for n in [
        "0",
        "-1",
        "101",
        "9223372036854775808",
        "18446744073709551615",
        "18446744073709551616",
    ] {
        for path in [
            format!("/search.json?q=the&page={n}"),
            format!("/search/?q=the&page={n}"),
        ] {
            let res = app.get(&path).await;
            assert_eq!(res.status, StatusCode::OK, "{path}");
        }
    }
    let capped = app
        .get("/search.json?q=the&page=18446744073709551615")
        .await;
    let body: serde_json::Value = serde_json::from_str(&capped.body).unwrap();
    assert_eq!(body["page"], 100, "{body}");
}

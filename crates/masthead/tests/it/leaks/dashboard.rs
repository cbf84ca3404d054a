//! The dashboard is a console page: no anonymous reader, member (free or paid) or forged
//! staff cookie ever gets its numbers — only the way to the staff sign-in.

use crate::dashboard::{flush, gated_article};
use crate::helpers::{Browser, TestApp};
use axum::http::StatusCode;

#[tokio::test]
async fn readers_never_reach_the_dashboard() {
    let app = TestApp::demo().await;
    let path = gated_article(&app, "paid").await;
    let post = app.get(&path).await;
    let id = post
        .attrs("article[data-post-id]", "data-post-id")
        .remove(0);
    let title = post.texts("h1.article-title").remove(0);
    // Something to leak: a counted view of the post.
    let beacon = axum::http::Request::builder()
        .method("POST")
        .uri("/api/views")
        .header("user-agent", crate::dashboard::BROWSER_UA)
        .body(axum::body::Body::from(format!("post={id}")))
        .unwrap();
    assert_eq!(app.send(beacon).await.status, StatusCode::NO_CONTENT);
    flush(&app).await;

    let free = app.signed_in("free@news.example").await;
    let paid = app.signed_in("paid@news.example").await;
    app.comp("paid@news.example", "subscriber-plus").await;
    let forged = Browser {
        jar: [("mh_staff".to_owned(), "forged-session-id".to_owned())].into(),
        ..Browser::default()
    };
    for (who, cookies) in [
        ("anonymous", String::new()),
        ("free member", free.cookies()),
        ("paid member", paid.cookies()),
        ("forged staff cookie", forged.cookies()),
    ] {
        for page in [
            "/admin/dashboard/".to_owned(),
            format!("/admin/dashboard/posts/{id}/"),
        ] {
            let res = app.get_as(&page, &cookies).await;
            assert_eq!(res.status, StatusCode::SEE_OTHER, "{who}: {page}");
            assert_eq!(res.header("location"), "/admin/signin/", "{who}: {page}");
            assert!(!res.body.contains(&title), "{who}: {page}");
            assert_eq!(res.header("cache-control"), "no-store", "{who}: {page}");
        }
    }
}

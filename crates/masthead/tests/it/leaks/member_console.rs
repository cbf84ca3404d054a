//! The members console (list, detail, export, labels, import, activity): never reachable by anonymous readers, a forged
//! staff cookie or a member, and never showing them a member's data.

use crate::helpers::{Browser, TestApp};
use crate::newsroom::{open, set_up};
use axum::http::StatusCode;

#[tokio::test]
async fn members_console_pages_reach_no_reader() {
    let app = TestApp::demo().await;
    let email = domain::Email::parse("canary.member@example.com").unwrap();
    let ops = app.state.ops();
    let canary = masthead::ops::members::add(&ops, &email, "Canary Quill", None)
        .await
        .unwrap();
    let mut staff = set_up(&app).await;
    let paths = [
        format!("/admin/members/{}/activity/", canary.id),
        "/admin/members/import/".to_owned(),
        "/admin/members/".to_owned(),
        format!("/admin/members/{}/", canary.id),
        "/admin/members/export".to_owned(),
        "/admin/members/export?filter=status:free".to_owned(),
        "/admin/members/labels/".to_owned(),
    ];
    for path in [&paths[0], &paths[2], &paths[3], &paths[4]] {
        let seen = open(&app, &mut staff, path).await;
        assert!(
            seen.body.contains("Canary Quill"),
            "staff see the member: {path}"
        );
    }
    let forged = Browser {
        jar: [("mh_staff".to_owned(), "forged-session-id".to_owned())].into(),
        ..Browser::default()
    };
    let member = app.signed_in("reader@news.example").await;
    for path in &paths {
        for (who, cookies) in [
            ("anonymous", String::new()),
            ("forged staff cookie", forged.cookies()),
            ("member", member.cookies()),
        ] {
            let res = app.get_as(path, &cookies).await;
            assert_ne!(res.status, StatusCode::OK, "{who}: {path}");
            assert!(!res.body.contains("Canary Quill"), "{who}: {path}");
            assert!(!res.body.contains("canary.member@"), "{who}: {path}");
            assert!(!res.body.contains("membersfile"), "{who}: {path}");
        }
    }
}

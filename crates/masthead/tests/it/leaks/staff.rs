//! The staff viewer: a staff session reads every probe in full with an "Edit" link, always
//! `private`, and that render never reaches a reader — not from the page cache, not for a
//! forged staff cookie, not for a member.

use super::plant;
use crate::helpers::{Browser, TestApp};
use crate::newsroom::set_up;
use axum::http::StatusCode;

#[tokio::test]
async fn the_staff_render_never_reaches_a_reader() {
    let app = TestApp::demo().await;
    let probes = plant(&app).await;
    // Meters unlock articles for readers by design; here only staff may see the gated part.
    for key in ["meter_members", "meter_anonymous"] {
        masthead::ops::settings::set(&app.state.ops(), key, "0")
            .await
            .unwrap();
    }
    let staff = set_up(&app).await;
    let forged = Browser {
        jar: [("mh_staff".to_owned(), "forged-session-id".to_owned())].into(),
        ..Browser::default()
    };
    let member = app.signed_in("reader@news.example").await;
    for (canary, slug, kind) in &probes {
        let path = format!("/{slug}/");
        // An anonymous read first, so a stored copy exists to be confused with.
        let before = app.get(&path).await;
        assert!(!before.body.contains(canary.as_str()), "{kind}: anonymous");
        for _ in 0..2 {
            let seen = app.get_as(&path, &staff.cookies()).await;
            assert_eq!(seen.status, StatusCode::OK);
            assert!(
                seen.body.contains(canary.as_str()),
                "{kind}: staff read the gated part"
            );
            assert!(
                seen.header("cache-control").starts_with("private"),
                "{kind}"
            );
            let post = app.state.store.post_by_slug(slug).await.unwrap().unwrap();
            assert_eq!(
                seen.attrs(".edit-link a", "href"),
                [format!("/admin/posts/{}/", post.id)]
            );
        }
        for (who, cookies) in [
            ("anonymous", String::new()),
            ("forged staff cookie", forged.cookies()),
            ("member", member.cookies()),
        ] {
            for _ in 0..2 {
                let res = app.get_as(&path, &cookies).await;
                if who == "member" && *kind == "members" {
                    continue;
                }
                assert!(
                    !res.body.contains(canary.as_str()),
                    "{kind}: {who} got the staff render"
                );
                assert_eq!(
                    res.count(".edit-link"),
                    0,
                    "{kind}: {who} sees no edit link"
                );
            }
        }
    }
    // Listings a staff user opened are not stored for readers either.
    let home = app.get_as("/", &staff.cookies()).await;
    assert_eq!(home.status, StatusCode::OK);
    let anonymous_home = app.get("/").await;
    assert_eq!(anonymous_home.count(".edit-link"), 0);
}

//! Share links (`/p/{id}/`): a draft, scheduled or published post through the same gate as the
//! article page, with each reader's own viewer. A canary in each gated part reaches exactly
//! the entitled readers; previews are `noindex`, `private, no-store` and never served from the
//! page cache; an unknown or misspelt id is a 404; the draft stays off its public address.

use super::{member_with, other_tier_member};
use crate::helpers::{Browser, TestApp};
use axum::http::StatusCode;
use chrono::{Duration, Utc};
use domain::{PostKind, Status, Visibility};
use masthead::compose::{Composer, Draft};
use masthead::ops::Ops;
use masthead::ops::posts::{self, revisions};

/// One unpublished probe per gated visibility (drafts, and one scheduled): (canary, share
/// path, public slug, visibility kind).
async fn plant_previews(app: &TestApp) -> Vec<(String, String, String, &'static str)> {
    let store = &app.state.store;
    let ops = Ops::detached(store, &app.state.config.public_url);
    let mut composer = Composer::new(store);
    let visibilities = [
        ("members", Visibility::Members, Status::Draft),
        ("paid", Visibility::Paid, Status::Draft),
        (
            "tiers",
            Visibility::tiers(&["subscriber-plus"]).unwrap(),
            Status::Scheduled,
        ),
    ];
    let mut probes = Vec::new();
    for (i, (kind, visibility, status)) in visibilities.into_iter().enumerate() {
        let canary = format!("PREVIEWCANARY{i}q9gated");
        let mut d = Draft::new(
            PostKind::Post,
            &format!("Preview probe {i}"),
            &format!(
                "Free opening of the preview.\n\n<!--members-only-->\n\nGated {canary} text.\n"
            ),
        );
        d.visibility = visibility;
        d.status = status;
        d.published_at = (status == Status::Scheduled).then(|| Utc::now() + Duration::days(2));
        let post = posts::create(&ops, &mut composer, d, None, Utc::now())
            .await
            .unwrap();
        let id = revisions::share_link(&ops, &post.id).await.unwrap();
        assert_eq!(revisions::share_link(&ops, &post.id).await.unwrap(), id);
        probes.push((canary, format!("/p/{id}/"), post.slug.to_string(), kind));
    }
    probes
}

#[tokio::test]
async fn share_links_show_gated_text_only_to_entitled_readers() {
    let app = TestApp::demo().await;
    app.state
        .store
        .set_setting("meter_members", "0")
        .await
        .unwrap();
    let probes = plant_previews(&app).await;
    let comped = member_with(&app, "plus@example.com", None).await;
    app.comp("plus@example.com", "subscriber-plus").await;
    let cases: Vec<(&str, Browser, &[&str])> = vec![
        ("anonymous", Browser::default(), &[]),
        (
            "free member",
            member_with(&app, "free@example.com", None).await,
            &["members"],
        ),
        ("comped member", comped, &["members", "paid", "tiers"]),
        (
            "paid member of another tier",
            other_tier_member(&app, "patron@example.com").await,
            &["members", "paid"],
        ),
    ];
    for (name, browser, reads) in &cases {
        let cookies = browser.cookies();
        for (canary, path, slug, kind) in &probes {
            for round in 0..2 {
                let res = app.get_as(path, &cookies).await;
                assert_eq!(res.status, StatusCode::OK, "{name}: {kind} {path}");
                let full = reads.contains(kind);
                assert_eq!(
                    res.body.contains(canary.as_str()),
                    full,
                    "{name}: {kind} preview, round {round}"
                );
                assert!(res.body.contains("Free opening of the preview."));
                assert_eq!(res.count(".paywall"), usize::from(!full), "{name}: {kind}");
                let head = res.body.split("</head>").next().unwrap();
                assert!(!head.contains(canary.as_str()), "{name}: {kind} head");
                assert!(head.contains(r#"<meta name="robots" content="noindex">"#));
                assert_eq!(res.header("x-robots-tag"), "noindex");
                assert_eq!(res.header("cache-control"), "private, no-store");
                assert_eq!(res.header("x-masthead-cache"), "", "{name}: never cached");
            }
            let public = app.get_as(&format!("/{slug}/"), &cookies).await;
            assert_eq!(public.status, StatusCode::NOT_FOUND, "{name}: {slug}");
        }
    }
    // Signing in with the same link: the comped reader's copy never reaches anonymous readers.
    let (canary, path, _, _) = &probes[1];
    assert!(!app.get(path).await.body.contains(canary.as_str()));
}

#[tokio::test]
async fn unknown_or_misspelt_share_links_are_not_found() {
    let app = TestApp::empty().await;
    for path in [
        "/p/0193a3c0-0000-4000-8000-000000000001/",
        "/p/0193A3C0-0000-4000-8000-000000000001/",
        "/p/not-a-uuid/",
        "/p//",
    ] {
        assert_eq!(app.get(path).await.status, StatusCode::NOT_FOUND, "{path}");
    }
}

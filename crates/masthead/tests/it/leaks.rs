//! The leak matrix: a canary planted in the gated part of members-only and paid posts must not
//! reach any surface a reader without access can see. Until members arrive the only viewer of
//! the public site is anonymous; the members issue adds rows for each viewer.

use crate::helpers::TestApp;
use axum::http::StatusCode;
use chrono::{Duration, Utc};
use domain::{PostKind, Visibility};
use masthead::compose::{Composer, Draft, save};

const CANARY: &str = "CANARYc4f1e9gated";

async fn plant(app: &TestApp) -> Vec<String> {
    let mut composer = Composer::new(&app.state.store);
    let mut slugs = Vec::new();
    for (i, visibility) in [
        Visibility::Members,
        Visibility::Paid,
        Visibility::tiers(&["subscriber-plus"]).unwrap(),
    ]
    .into_iter()
    .enumerate()
    {
        let mut d = Draft::new(
            PostKind::Post,
            &format!("Leak probe {i} on the Taiwan Strait"),
            &format!(
                "Free opening paragraph about the strait.\n\n<!--members-only-->\n\nGated analysis {CANARY} continues with the word quixoticgated.\n\n## Gated heading {CANARY}\n"
            ),
        );
        d.visibility = visibility;
        d.section = Some("deep-dive".into());
        d.tags = vec!["china".into(), "intelligence".into()];
        d.authors = vec![app.state.store.authors().await.unwrap()[0].slug.to_string()];
        d.featured = true;
        d.published_at = Some(Utc::now() - Duration::minutes(i as i64 + 1));
        let post = composer.compose(d, Utc::now()).await.unwrap();
        slugs.push(post.slug.to_string());
        save(&app.state.store, &[post]).await.unwrap();
    }
    slugs
}

#[tokio::test]
async fn gated_text_never_reaches_an_anonymous_reader() {
    let app = TestApp::demo().await;
    let slugs = plant(&app).await;
    let author = app.state.store.authors().await.unwrap()[0].slug.to_string();
    let mut surfaces: Vec<String> = vec![
        "/".into(),
        "/page/2/".into(),
        "/tag/china/".into(),
        "/tag/deep-dive/".into(),
        "/tag/intelligence/".into(),
        format!("/author/{author}/"),
        "/search/?q=leak+probe".into(),
        "/search/?q=quixoticgated".into(),
        "/no-such-page/".into(),
    ];
    surfaces.extend(slugs.iter().map(|s| format!("/{s}/")));
    // Other posts whose Related Articles may list the probes.
    let china = app.get("/tag/china/").await;
    surfaces.extend(
        china
            .attrs("main article a[href^='/'], main li a[href^='/']", "href")
            .into_iter()
            .filter(|h| !h.starts_with("/tag/") && !h.starts_with("/author/"))
            .take(8),
    );
    for path in &surfaces {
        let res = app.get(path).await;
        assert!(
            res.status == StatusCode::OK || res.status == StatusCode::NOT_FOUND,
            "{path}: {}",
            res.status
        );
        assert!(!res.body.contains(CANARY), "gated text leaked on {path}");
        for (name, value) in &res.headers {
            assert!(
                !value.to_str().unwrap_or("").contains(CANARY),
                "gated text leaked in header {name} of {path}"
            );
        }
    }
    let probe = app.get(&format!("/{}/", slugs[1])).await;
    assert!(
        probe.body.contains("Free opening paragraph"),
        "the free part is shown"
    );
    assert_eq!(probe.count(".paywall"), 1, "the paywall box is shown");
    let search = app.get("/search/?q=Leak+probe").await;
    assert_eq!(
        search.count("main article"),
        3,
        "the probes are findable by their public headline"
    );
}

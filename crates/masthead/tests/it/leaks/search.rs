//! The leak matrix's search surfaces: `/search.json` and the `/search/` page, per viewer. A word
//! that lives only in a probe's gated part finds that probe — by the word, a quoted phrase around
//! it, each filter, a one-letter misspelling or the word still being typed — only for viewers
//! entitled to read the probe in full. For everyone else it finds nothing, and no hit, total,
//! section count, suggestion or highlight holds the canary (compared case-insensitively: the
//! index lowercases).

use crate::helpers::{TestApp, TestResponse};
use axum::http::StatusCode;
use serde_json::Value;

type Probe = (String, String, &'static str);

/// What a reader might try to learn `canary` with.
fn attempts(canary: &str, author: &str) -> Vec<String> {
    vec![
        canary.to_owned(),
        format!("\"analysis {canary} continues\""),
        format!("{canary} tag:china"),
        format!("{canary} author:{author}"),
        format!("{canary} section:deep-dive"),
        format!("{canary} after:2020-01-01"),
        canary.replacen("gated", "qated", 1),
        canary[..10].to_owned(),
    ]
}

pub async fn only_entitled_viewers_find_gated_words(
    app: &TestApp,
    viewer: &str,
    cookies: &str,
    reads: &[&str],
    probes: &[Probe],
) {
    let author = app.state.store.authors().await.unwrap()[0].slug.to_string();
    for (canary, _, kind) in probes {
        for q in attempts(canary, &author) {
            let at = format!("{viewer}: {q:?} for the {kind} probe");
            let query = form_urlencoded::Serializer::new(String::new())
                .append_pair("q", &q)
                .finish();
            let json = app.get_as(&format!("/search.json?{query}"), cookies).await;
            check_json(&json, &at, kind, reads, probes);
            let page = app.get_as(&format!("/search/?{query}"), cookies).await;
            check_page(&page, &at, kind, reads, probes);
        }
    }
    // A word every gated part shares, and words of the free part: snippets show only what
    // this viewer may read.
    for q in ["quixoticgated", "%22leak+probe%22"] {
        let json = app.get_as(&format!("/search.json?q={q}"), cookies).await;
        let at = format!("{viewer}: {q}");
        let hits = json_hits(&json, &at, probes);
        if q == "quixoticgated" {
            let mut want: Vec<&str> = probes
                .iter()
                .map(|p| p.2)
                .filter(|k| reads.contains(k))
                .collect();
            want.sort_unstable();
            let mut got = hits.clone();
            got.sort_unstable();
            assert_eq!(got, want, "{at}");
        } else {
            assert_eq!(
                hits.len(),
                probes.len(),
                "{at}: free words find every probe"
            );
        }
        assert_no_unreadable_canary(&json.body, &at, reads, probes);
        // Beside the match, an entitled reader's snippet does show the gated text.
        for (canary, _, kind) in probes {
            if q == "quixoticgated" && reads.contains(kind) {
                assert!(json.body.contains(canary.as_str()), "{at}: {kind} snippet");
            }
        }
    }
}

/// The probe kinds among a JSON response's hits, after checking that it lists every match and
/// nothing but probes.
fn json_hits(res: &TestResponse, at: &str, probes: &[Probe]) -> Vec<&'static str> {
    assert_eq!(res.status, StatusCode::OK, "{at}");
    let json: Value = serde_json::from_str(&res.body).unwrap();
    let urls: Vec<&str> = json["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["url"].as_str().unwrap())
        .collect();
    assert_eq!(
        json["total"].as_u64(),
        Some(urls.len() as u64),
        "{at}: {json}"
    );
    kinds_at(&urls, at, probes)
}

fn kinds_at(urls: &[&str], at: &str, probes: &[Probe]) -> Vec<&'static str> {
    let kinds: Vec<&'static str> = probes
        .iter()
        .filter(|(_, slug, _)| urls.iter().any(|u| u.ends_with(&format!("/{slug}/"))))
        .map(|p| p.2)
        .collect();
    assert_eq!(kinds.len(), urls.len(), "{at}: only probes match: {urls:?}");
    kinds
}

/// Hits only of probes this viewer reads, always the one asked for when they read it.
fn check_hits(found: &[&str], at: &str, kind: &str, reads: &[&str]) {
    for hit in found {
        assert!(reads.contains(hit), "{at}: found the {hit} probe");
    }
    assert_eq!(found.contains(&kind), reads.contains(&kind), "{at}");
}

fn check_json(res: &TestResponse, at: &str, kind: &str, reads: &[&str], probes: &[Probe]) {
    let found = json_hits(res, at, probes);
    check_hits(&found, at, kind, reads);
    // The JSON echoes the query, which holds the canary itself: everything else may not.
    let mut json: Value = serde_json::from_str(&res.body).unwrap();
    json.as_object_mut().unwrap().remove("query");
    assert_no_unreadable_canary(&json.to_string(), at, reads, probes);
}

fn check_page(res: &TestResponse, at: &str, kind: &str, reads: &[&str], probes: &[Probe]) {
    assert_eq!(res.status, StatusCode::OK, "{at}");
    let hrefs = res.attrs(".search-hit .card-title a", "href");
    let urls: Vec<&str> = hrefs.iter().map(String::as_str).collect();
    let found = kinds_at(&urls, at, probes);
    check_hits(&found, at, kind, reads);
    // Section links count this viewer's matches only (the page echoes the query elsewhere).
    let counted: usize = res
        .texts(".search-sections a")
        .iter()
        .filter_map(|t| {
            t.rsplit_once('(')?
                .1
                .trim_end_matches(')')
                .parse::<usize>()
                .ok()
        })
        .sum();
    if !at.contains("section:") {
        assert_eq!(counted, found.len(), "{at}: section counts");
    }
    for css in [".search-results", ".search-suggestion", ".search-sections"] {
        assert_no_unreadable_canary(&res.texts(css).join(" "), at, reads, probes);
    }
}

fn assert_no_unreadable_canary(text: &str, at: &str, reads: &[&str], probes: &[Probe]) {
    let text = text.to_lowercase();
    for (canary, _, kind) in probes {
        let shown = text.contains(&canary.to_lowercase());
        assert!(
            !shown || reads.contains(kind),
            "{at}: the {kind} canary leaked"
        );
    }
}

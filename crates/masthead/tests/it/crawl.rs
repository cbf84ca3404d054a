//! Every page reachable from the home page of the demo renders cleanly: no template syntax, no
//! "undefined", a non-empty <title> and exactly one non-empty <h1>, nothing the CSP would block.

use crate::helpers::TestApp;
use axum::http::StatusCode;
use std::collections::{BTreeSet, VecDeque};

#[tokio::test]
async fn every_reachable_page_renders_cleanly() {
    let app = TestApp::demo().await;
    let mut seen = BTreeSet::new();
    let mut queue = VecDeque::from([
        "/".to_owned(),
        "/no-such-page/".to_owned(),
        "/search/?q=china".to_owned(),
    ]);
    let mut pages = 0;
    while let Some(path) = queue.pop_front() {
        if !seen.insert(path.clone()) {
            continue;
        }
        let res = app.get(&path).await;
        assert!(
            res.status != StatusCode::INTERNAL_SERVER_ERROR,
            "{path} failed"
        );
        if !res.header("content-type").starts_with("text/html") {
            continue;
        }
        pages += 1;
        let markup = without_json_ld(&res.body);
        for bad in ["{{", "}}", "undefined", "[object", "NaN"] {
            assert!(!markup.contains(bad), "{path} contains {bad:?}");
        }
        let titles = res.texts("title");
        assert!(
            titles.len() == 1 && !titles[0].is_empty(),
            "{path} has an empty <title>"
        );
        let h1 = res.texts("h1");
        assert!(h1.len() == 1 && !h1[0].is_empty(), "{path} has h1s {h1:?}");
        assert_eq!(
            res.count("[style]"),
            0,
            "{path} has inline styles the CSP blocks"
        );
        assert_eq!(
            res.count("script:not([src]):not([type='application/ld+json'])"),
            0,
            "{path} has inline scripts"
        );
        let images = res.count("img");
        assert_eq!(
            res.count("img[width][height][alt]"),
            images,
            "{path} has images without size or alt"
        );
        for href in res.attrs("a[href]", "href") {
            let internal = href.starts_with('/') && !href.starts_with("//");
            let skip = ["/signin/", "/signup/", "/rss/", "/account/"].contains(&href.as_str());
            if internal && !skip && !seen.contains(&href) {
                queue.push_back(href);
            }
        }
    }
    assert!(pages > 90, "crawled only {pages} pages");
}

/// The page without its JSON-LD blocks (JSON legitimately contains `}}`).
fn without_json_ld(html: &str) -> String {
    let mut out = String::new();
    let mut rest = html;
    while let Some(start) = rest.find("<script type=\"application/ld+json\">") {
        out.push_str(&rest[..start]);
        rest = rest[start..]
            .split_once("</script>")
            .map_or("", |(_, after)| after);
    }
    out.push_str(rest);
    out
}

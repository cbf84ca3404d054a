use super::*;
use crate::fixtures::{CANARY, author, post, site};
use domain::Visibility;
use domain::access::{Viewer, project};
use serde_json::Value;

/// The JSON-LD blocks of a rendered head, parsed.
fn json_ld(head: &str) -> Vec<Value> {
    head.split(r#"<script type="application/ld+json">"#)
        .skip(1)
        .map(|s| serde_json::from_str(s.split("</script>").next().unwrap()).unwrap())
        .collect()
}

fn of_type<'a>(blocks: &'a [Value], t: &str) -> &'a Value {
    blocks
        .iter()
        .find(|b| b["@type"] == t)
        .unwrap_or_else(|| panic!("no {t} in {blocks:?}"))
}

#[test]
fn a_gated_post_is_a_news_article_with_paywall_markup_and_no_gated_text() {
    let p = post("locked", Visibility::Paid, true);
    // Even a reader who may see everything gets the anonymous metadata.
    let full = project(&p, &Viewer::staff(), crate::fixtures::now());
    assert!(full.html.contains(CANARY));
    let anon = project(&p, &Viewer::anonymous(), crate::fixtures::now());
    let head = ghost_head(&Meta::for_post(&anon, &site()), &site());
    assert!(!head.contains(CANARY));
    let blocks = json_ld(&head);
    assert_eq!(blocks.len(), 2);
    let a = of_type(&blocks, "NewsArticle");
    assert_eq!(a["headline"], "Title of locked");
    assert_eq!(a["alternativeHeadline"], "Dek of locked");
    assert_eq!(a["datePublished"], "2026-11-20T10:00:00+00:00");
    assert_eq!(a["dateModified"], "2026-11-20T11:00:00+00:00");
    assert_eq!(
        a["image"][0]["url"],
        "https://news.example/content/images/lead.jpg"
    );
    assert_eq!(a["image"][0]["width"], 1200);
    assert_eq!(a["author"][0]["@type"], "Person");
    assert_eq!(a["author"][0]["url"], "https://news.example/author/amy/");
    assert_eq!(a["author"][0]["description"], "amy covers defence.");
    assert_eq!(a["publisher"]["@type"], "Organization");
    assert_eq!(
        a["publisher"]["logo"]["url"],
        "https://news.example/logo.png"
    );
    assert_eq!(a["articleSection"], "DEEP DIVE");
    assert_eq!(a["keywords"], serde_json::json!(["DEEP DIVE", "CHINA"]));
    assert_eq!(a["isAccessibleForFree"], false);
    assert_eq!(a["hasPart"]["cssSelector"], ".gated");
    assert_eq!(a["hasPart"]["isAccessibleForFree"], false);
    let crumbs = of_type(&blocks, "BreadcrumbList");
    let names: Vec<&str> = crumbs["itemListElement"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["The Test Review", "DEEP DIVE", "Title of locked"]);
    assert_eq!(
        crumbs["itemListElement"][1]["item"],
        "https://news.example/tag/deep-dive/"
    );
    assert_eq!(crumbs["itemListElement"][2]["position"], 3);
}

#[test]
fn a_post_has_open_graph_article_tags_and_a_large_twitter_card() {
    let p = post("open", Visibility::Public, false);
    let v = project(&p, &Viewer::anonymous(), crate::fixtures::now());
    let head = ghost_head(&Meta::for_post(&v, &site()), &site());
    for tag in [
        r#"<meta property="og:type" content="article">"#,
        r#"<meta property="og:title" content="Title of open">"#,
        r#"<meta property="og:image" content="https://news.example/content/images/lead.jpg">"#,
        r#"<meta property="og:image:width" content="1200">"#,
        r#"<meta property="og:image:height" content="675">"#,
        r#"<meta property="article:published_time" content="2026-11-20T10:00:00+00:00">"#,
        r#"<meta property="article:modified_time" content="2026-11-20T11:00:00+00:00">"#,
        r#"<meta property="article:section" content="DEEP DIVE">"#,
        r#"<meta property="article:author" content="https://news.example/author/amy/">"#,
        r#"<meta property="article:tag" content="CHINA">"#,
        r#"<meta name="twitter:card" content="summary_large_image">"#,
        r#"<link rel="canonical" href="https://news.example/open/">"#,
        r#"<link rel="alternate" type="application/rss+xml" title="The Test Review" href="https://news.example/rss/">"#,
    ] {
        assert!(head.contains(tag), "{tag} missing from\n{head}");
    }
    assert_eq!(json_ld(&head)[0]["isAccessibleForFree"], true);
    assert!(json_ld(&head)[0].get("hasPart").is_none());
}

#[test]
fn a_static_page_is_a_web_page() {
    let mut p = post("about", Visibility::Public, false);
    p.kind = domain::PostKind::Page;
    let v = project(&p, &Viewer::anonymous(), crate::fixtures::now());
    let head = ghost_head(&Meta::for_post(&v, &site()), &site());
    let blocks = json_ld(&head);
    assert_eq!(blocks.len(), 1);
    assert_eq!(blocks[0]["@type"], "WebPage");
    assert!(head.contains(r#"<meta property="og:type" content="website">"#));
    assert!(!head.contains("article:published_time"));
}

#[test]
fn home_collection_and_profile_pages_describe_themselves() {
    let s = site();
    let home = Meta {
        title: "The Test Review".into(),
        canonical: "/".into(),
        kind: PageKind::Home,
        ..Meta::default()
    };
    let head = ghost_head(&home, &s);
    let w = &json_ld(&head)[0];
    assert_eq!(w["@type"], "WebSite");
    assert_eq!(w["potentialAction"]["@type"], "SearchAction");
    assert_eq!(
        w["potentialAction"]["target"]["urlTemplate"],
        "https://news.example/search/?q={search_term_string}"
    );
    assert_eq!(
        w["potentialAction"]["query-input"],
        "required name=search_term_string"
    );
    assert!(head.contains(r#"<meta property="og:image" content="https://news.example/logo.png">"#));
    assert!(head.contains(r#"<meta name="twitter:card" content="summary">"#));

    let tag = Meta {
        title: "China – The Test Review".into(),
        canonical: "/tag/china/page/2/".into(),
        prev: Some("/tag/china/".into()),
        next: Some("/tag/china/page/3/".into()),
        kind: PageKind::Collection,
        feed: Some(FeedLink {
            title: "China".into(),
            url: "/tag/china/rss/".into(),
        }),
        ..Meta::default()
    };
    let head = ghost_head(&tag, &s);
    assert_eq!(json_ld(&head)[0]["@type"], "CollectionPage");
    assert_eq!(
        json_ld(&head)[0]["url"],
        "https://news.example/tag/china/page/2/"
    );
    assert!(head.contains(r#"<link rel="prev" href="https://news.example/tag/china/">"#));
    assert!(head.contains(r#"<link rel="next" href="https://news.example/tag/china/page/3/">"#));
    assert!(head.contains(
        r#"<link rel="alternate" type="application/rss+xml" title="China" href="https://news.example/tag/china/rss/">"#
    ));
    assert_eq!(head.matches("application/rss+xml").count(), 2);

    let profile = Meta {
        title: "Writer amy – The Test Review".into(),
        canonical: "/author/amy/".into(),
        kind: PageKind::Profile(Box::new(author("amy"))),
        ..Meta::default()
    };
    let head = ghost_head(&profile, &s);
    let p = &json_ld(&head)[0];
    assert_eq!(p["@type"], "Person");
    assert_eq!(p["name"], "Writer amy");
    assert_eq!(p["jobTitle"], "Former analyst");
    assert_eq!(p["url"], "https://news.example/author/amy/");
    assert!(head.contains(r#"<meta property="og:type" content="profile">"#));
}

#[test]
fn script_breaking_text_stays_inside_json() {
    let mut p = post("open", Visibility::Public, false);
    p.title = "<!--<script></script><script>alert(1)</script>".into();
    let v = project(&p, &Viewer::anonymous(), crate::fixtures::now());
    let head = ghost_head(&Meta::for_post(&v, &site()), &site());
    let inside = head
        .split(r#"<script type="application/ld+json">"#)
        .nth(1)
        .unwrap();
    assert!(!inside.split("</script>").next().unwrap().contains('<'));
    assert_eq!(json_ld(&head)[0]["headline"], p.title);
}

#[test]
fn dates_print_to_the_second_whatever_the_stored_precision() {
    // Stored times carry microseconds; HTML's `datetime` allows at most three fractional digits.
    let mut p = post("precise", Visibility::Public, false);
    let micros = chrono::Duration::microseconds(123_456);
    p.published_at = p.published_at.map(|t| t + micros);
    p.updated_at += micros;
    let v = project(&p, &Viewer::anonymous(), crate::fixtures::now());
    let head = ghost_head(&Meta::for_post(&v, &site()), &site());
    assert!(
        head.contains(
            r#"<meta property="article:published_time" content="2026-11-20T10:00:00+00:00">"#
        ),
        "{head}"
    );
    assert!(!head.contains(".123"), "{head}");
    let a = of_type(&json_ld(&head), "NewsArticle").clone();
    assert_eq!(a["dateModified"], "2026-11-20T11:00:00+00:00");
    let card = crate::context::card(&v);
    assert_eq!(card["published_iso"], "2026-11-20T10:00:00+00:00");
    assert_eq!(card["updated_iso"], "2026-11-20T11:00:00+00:00");
}

#[test]
fn every_page_links_the_site_icon() {
    let mut s = site();
    let head = ghost_head(&Meta::default(), &s);
    assert!(
        head.contains(r#"<link rel="icon" href="/favicon.ico">"#),
        "{head}"
    );
    s.icon = "https://cdn.example/icon.png?\"><script>".into();
    let head = ghost_head(&Meta::default(), &s);
    assert!(
        head.contains(
            r#"<link rel="icon" href="https://cdn.example/icon.png?&quot;&gt;&lt;script&gt;">"#
        ),
        "escaped: {head}"
    );
}

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Duration, TimeZone, Utc};

use super::content::*;
use super::model::*;
use super::picture::*;

const MARKER: &str = "<!--members-only-->";

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2025, 3, 14, 9, 30, 0).unwrap()
}

fn valid_slug(s: &str) -> bool {
    !s.is_empty()
        && !s.starts_with('-')
        && !s.ends_with('-')
        && !s.contains("--")
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

fn posts(site: &DemoSite) -> Vec<&DemoPost> {
    site.posts
        .iter()
        .filter(|p| p.kind == DemoKind::Post)
        .collect()
}

/// Blocks of a body, split on blank lines.
fn blocks(md: &str) -> Vec<&str> {
    md.split("\n\n")
        .map(str::trim)
        .filter(|b| !b.is_empty())
        .collect()
}

fn is_prose(block: &str) -> bool {
    !(block.starts_with('#')
        || block.starts_with('>')
        || block.starts_with("- ")
        || block.starts_with("**")
        || block.starts_with("<!--")
        || block.ends_with(':'))
}

fn prose_count(md: &str) -> usize {
    blocks(md).into_iter().filter(|b| is_prose(b)).count()
}

fn check_marker(p: &DemoPost) {
    let lines = p.markdown.lines().filter(|l| *l == MARKER).count();
    if p.visibility == "public" {
        assert!(
            !p.markdown.contains(MARKER),
            "public post has marker: {}",
            p.title
        );
        return;
    }
    assert!(
        p.visibility == "members" || p.visibility == "paid",
        "bad visibility {}",
        p.visibility
    );
    assert_eq!(
        lines, 1,
        "gated post needs exactly one marker line: {}",
        p.title
    );
    let before = p.markdown.split(MARKER).next().unwrap();
    let n = prose_count(before);
    assert!(
        (2..=3).contains(&n),
        "marker after {n} paragraphs in {}",
        p.title
    );
}

fn all_text(p: &DemoPost) -> Vec<&str> {
    let mut v = vec![p.title.as_str(), p.dek.as_str(), p.markdown.as_str()];
    if let Some(img) = &p.image {
        v.extend([img.alt.as_str(), img.caption.as_str(), img.credit.as_str()]);
    }
    v
}

#[test]
fn demo_site_is_deterministic() {
    assert_eq!(demo_site(now()), demo_site(now()));
    // Only the dates depend on `now`.
    let later = demo_site(now() + Duration::days(3));
    let a = demo_site(now());
    for (x, y) in a.posts.iter().zip(&later.posts) {
        assert_eq!(x.title, y.title);
        assert_eq!(x.markdown, y.markdown);
        assert_eq!(x.published_at + Duration::days(3), y.published_at);
    }
}

#[test]
fn synthetic_post_is_deterministic() {
    for i in [0, 1, 77, 99_999] {
        assert_eq!(synthetic_post(7, i, now()), synthetic_post(7, i, now()));
    }
    assert_ne!(
        synthetic_post(7, 5, now()).markdown,
        synthetic_post(8, 5, now()).markdown
    );
    assert_ne!(
        synthetic_post(7, 5, now()).markdown,
        synthetic_post(7, 6, now()).markdown
    );
}

#[test]
fn counts() {
    let site = demo_site(now());
    assert_eq!(site.title, "The Meridian Review");
    assert!(!site.description.is_empty());
    assert!(posts(&site).len() >= 64);
    assert!(site.authors.len() >= 9);
    let sections: Vec<&str> = site
        .tags
        .iter()
        .filter(|t| t.section)
        .map(|t| t.slug.as_str())
        .collect();
    assert_eq!(
        sections,
        ["expert-interviews", "opinion", "deep-dive", "news"]
    );
    assert_eq!(
        SECTION_SLUGS,
        ["expert-interviews", "opinion", "deep-dive", "news"]
    );
    let topics: HashSet<&str> = site
        .tags
        .iter()
        .filter(|t| !t.section)
        .map(|t| t.slug.as_str())
        .collect();
    for want in [
        "afghanistan",
        "china",
        "russia",
        "counterterrorism",
        "cyber",
        "intelligence",
        "middle-east",
        "ukraine",
        "north-korea",
        "iran",
        "space",
        "technology",
    ] {
        assert!(topics.contains(want), "missing topic {want}");
    }
    assert_eq!(topics.len(), TOPIC_SLUGS.len());
    for s in TOPIC_SLUGS {
        assert!(topics.contains(s));
    }
    let author_slugs: Vec<&str> = site.authors.iter().map(|a| a.slug.as_str()).collect();
    assert_eq!(author_slugs, AUTHOR_SLUGS);
    let per_section = |s: &str| {
        posts(&site)
            .iter()
            .filter(|p| p.section.as_deref() == Some(s))
            .count()
    };
    for s in SECTION_SLUGS {
        assert!(per_section(s) >= 10, "too few posts in {s}");
    }
}

#[test]
fn tags_and_authors_are_well_formed() {
    let site = demo_site(now());
    let mut slugs = HashSet::new();
    for t in &site.tags {
        assert!(valid_slug(&t.slug), "bad tag slug {}", t.slug);
        assert!(
            slugs.insert(t.slug.clone()),
            "duplicate tag slug {}",
            t.slug
        );
        assert!(!t.name.is_empty() && t.description.ends_with('.'));
    }
    let mut slugs = HashSet::new();
    let mut with_site = 0;
    for a in &site.authors {
        assert!(valid_slug(&a.slug), "bad author slug {}", a.slug);
        assert!(slugs.insert(a.slug.clone()));
        let sentences = a.bio.matches(". ").count() + 1;
        assert!(
            (2..=3).contains(&sentences),
            "bio of {} has {sentences} sentences",
            a.name
        );
        assert!(!a.credentials.is_empty());
        if let Some(w) = &a.website {
            assert!(w.starts_with("https://example.com/"));
            with_site += 1;
        }
    }
    assert!(with_site >= 2);
}

#[test]
fn headlines_are_unique() {
    let site = demo_site(now());
    let mut seen = HashSet::new();
    for p in &site.posts {
        assert!(
            seen.insert(p.title.as_str()),
            "duplicate headline {}",
            p.title
        );
        assert!(!p.dek.is_empty() && p.dek.ends_with('.'), "dek: {}", p.dek);
        if p.kind == DemoKind::Page {
            continue;
        }
        assert!(
            p.title.len() > 10 && p.title.len() < 110,
            "odd headline {}",
            p.title
        );
        assert!(
            p.title.starts_with(|c: char| c.is_ascii_uppercase()),
            "{}",
            p.title
        );
    }
}

#[test]
fn synthetic_titles_are_unique() {
    let mut seen = HashSet::new();
    for i in 0..2000 {
        let p = synthetic_post(1, i, now());
        assert!(p.title.contains(&i.to_string()));
        assert!(seen.insert(p.title), "duplicate synthetic title at {i}");
    }
}

#[test]
fn referenced_slugs_exist() {
    let site = demo_site(now());
    let sections: HashSet<&str> = site
        .tags
        .iter()
        .filter(|t| t.section)
        .map(|t| t.slug.as_str())
        .collect();
    let topics: HashSet<&str> = site
        .tags
        .iter()
        .filter(|t| !t.section)
        .map(|t| t.slug.as_str())
        .collect();
    let authors: HashSet<&str> = site.authors.iter().map(|a| a.slug.as_str()).collect();
    let synthetic: Vec<DemoPost> = (0..2000).map(|i| synthetic_post(3, i, now())).collect();
    let mut bylines: HashMap<&str, usize> = HashMap::new();
    for p in posts(&site).into_iter().chain(synthetic.iter()) {
        let sec = p.section.as_deref().expect("posts have a section");
        assert!(sections.contains(sec), "unknown section {sec}");
        assert!(
            (1..=3).contains(&p.tags.len()),
            "{} tags on {}",
            p.tags.len(),
            p.title
        );
        let unique: HashSet<&String> = p.tags.iter().collect();
        assert_eq!(unique.len(), p.tags.len(), "repeated tag on {}", p.title);
        for t in &p.tags {
            assert!(topics.contains(t.as_str()), "unknown topic {t}");
        }
        assert!((1..=2).contains(&p.authors.len()));
        for a in &p.authors {
            assert!(authors.contains(a.as_str()), "unknown author {a}");
        }
    }
    for p in posts(&site) {
        for a in &p.authors {
            *bylines.entry(a.as_str()).or_default() += 1;
        }
    }
    for a in &site.authors {
        assert!(
            bylines.contains_key(a.slug.as_str()),
            "{} has no posts",
            a.slug
        );
    }
    for p in synthetic.iter().take(50) {
        assert_eq!(p.authors.len(), 1);
        assert!(p.slug.is_none() && p.image.is_none() && !p.featured);
    }
}

#[test]
fn members_marker_placement() {
    let site = demo_site(now());
    let ps = posts(&site);
    let count = |v: &str| ps.iter().filter(|p| p.visibility == v).count();
    let n = ps.len() as f64;
    let (members, paid) = (count("members") as f64 / n, count("paid") as f64 / n);
    assert!((0.18..=0.32).contains(&members), "members share {members}");
    assert!((0.14..=0.26).contains(&paid), "paid share {paid}");
    for p in &site.posts {
        check_marker(p);
    }
    let mut gated = (0, 0);
    for i in 0..2000 {
        let p = synthetic_post(11, i, now());
        check_marker(&p);
        match p.visibility {
            "members" => gated.0 += 1,
            "paid" => gated.1 += 1,
            _ => {}
        }
    }
    assert!(
        (200..=400).contains(&gated.0),
        "synthetic members {}",
        gated.0
    );
    assert!((120..=280).contains(&gated.1), "synthetic paid {}", gated.1);
}

#[test]
fn dates_are_in_range() {
    let now = now();
    let site = demo_site(now);
    let ps = posts(&site);
    for p in &ps {
        assert!(p.published_at < now, "future post {}", p.title);
        assert!(
            p.published_at > now - Duration::days(182),
            "too old: {}",
            p.title
        );
    }
    let newest = ps.iter().max_by_key(|p| p.published_at).unwrap();
    assert!(newest.published_at > now - Duration::days(1));
    assert!(newest.featured, "the newest post should be featured");
    let first_paid = ps
        .iter()
        .filter(|p| p.visibility == "paid")
        .max_by_key(|p| p.published_at)
        .unwrap();
    assert!(first_paid.published_at > now - Duration::days(7));
    let featured = ps.iter().filter(|p| p.featured).count();
    assert!((3..=5).contains(&featured), "{featured} featured");
    for i in 0..2000 {
        let p = synthetic_post(5, i, now);
        assert!(p.published_at < now);
        assert!(p.published_at >= now - Duration::days(3 * 365 + 1));
    }
}

#[test]
fn bodies_have_structure() {
    let site = demo_site(now());
    let mut quotes = 0;
    let mut lists = 0;
    for p in posts(&site) {
        let md = &p.markdown;
        let paras = prose_count(md);
        assert!(
            (6..=12).contains(&paras),
            "{paras} paragraphs in {}",
            p.title
        );
        assert!(
            md.lines().any(|l| l.starts_with("## ")),
            "no subheading in {}",
            p.title
        );
        for b in blocks(md).into_iter().filter(|b| is_prose(b)) {
            let sentences = b.matches(". ").count() + b.matches(".\" ").count() + 1;
            assert!(sentences >= 2, "short paragraph in {}: {b}", p.title);
        }
        if p.section.as_deref() == Some("expert-interviews") {
            assert!(
                md.lines()
                    .filter(|l| l.starts_with("**") && l.ends_with("?**"))
                    .count()
                    >= 3
            );
        }
        quotes += usize::from(md.lines().any(|l| l.starts_with("> ")));
        lists += usize::from(md.lines().any(|l| l.starts_with("- ")));
        let img = p.image.as_ref().expect("every post has an image");
        assert!(img.alt.starts_with("Abstract illustration in "));
        assert!(img.caption.ends_with('.'));
        assert!(img.credit.contains("Meridian Review"));
    }
    assert!(quotes >= 10 && lists >= 8, "quotes {quotes}, lists {lists}");
    for i in 0..500 {
        let p = synthetic_post(9, i, now());
        let paras = prose_count(&p.markdown);
        assert!(
            (4..=6).contains(&paras),
            "{paras} paragraphs in synthetic {i}"
        );
        assert!(p.markdown.contains("\n## "));
    }
}

#[test]
fn pages() {
    let site = demo_site(now());
    let pages: Vec<&DemoPost> = site
        .posts
        .iter()
        .filter(|p| p.kind == DemoKind::Page)
        .collect();
    assert_eq!(pages.len(), 2);
    let about = pages
        .iter()
        .find(|p| p.slug.as_deref() == Some("about"))
        .unwrap();
    let contact = pages
        .iter()
        .find(|p| p.slug.as_deref() == Some("contact"))
        .unwrap();
    assert_eq!(about.title, "About");
    assert!(about.markdown.contains("Subscriber+") && about.markdown.contains("Free"));
    assert_eq!(contact.title, "Contact");
    assert!(contact.markdown.contains("@example.com"));
    for p in pages {
        assert_eq!(p.visibility, "public");
        assert!(p.section.is_none() && p.image.is_none() && p.tags.is_empty());
        assert!(p.published_at < now());
    }
}

#[test]
fn text_is_clean() {
    let site = demo_site(now());
    let synthetic: Vec<DemoPost> = (0..300).map(|i| synthetic_post(2, i, now())).collect();
    let mut texts: Vec<&str> = vec![&site.title, &site.description];
    for t in &site.tags {
        texts.extend([t.name.as_str(), t.description.as_str()]);
    }
    for a in &site.authors {
        texts.extend([a.name.as_str(), a.bio.as_str(), a.credentials.as_str()]);
    }
    for p in site.posts.iter().chain(&synthetic) {
        texts.extend(all_text(p));
    }
    for t in texts {
        assert!(!t.to_lowercase().contains("lorem"), "placeholder text: {t}");
        assert!(!t.contains('{') && !t.contains('}'), "unfilled slot: {t}");
        assert!(!t.contains("  "), "double space: {t}");
        assert!(!t.contains(" ,") && !t.contains(" ."), "stray space: {t}");
    }
}

#[test]
fn jpeg_decodes_to_requested_size() {
    assert_eq!(dimensions(), (1200, 675));
    let (w, h) = dimensions();
    let bytes = lead_image_jpeg(42, w, h);
    assert_eq!(&bytes[..2], &[0xFF, 0xD8]);
    let img = image::load_from_memory(&bytes).expect("valid JPEG");
    assert_eq!((img.width(), img.height()), (w, h));
    assert_eq!(bytes, lead_image_jpeg(42, w, h), "same seed, same bytes");

    for (seed, w, h) in [(1, 320, 180), (2, 64, 64), (3, 1, 1), (4, 90, 400)] {
        let img = image::load_from_memory(&lead_image_jpeg(seed, w, h)).unwrap();
        assert_eq!((img.width(), img.height()), (w, h));
    }
    assert_ne!(lead_image_jpeg(1, 320, 180), lead_image_jpeg(2, 320, 180));
    assert!(!palette_description(5).is_empty());
}

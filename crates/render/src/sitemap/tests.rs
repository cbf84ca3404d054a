use super::*;
use chrono::TimeZone;

fn at(h: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 20, h, 0, 0).unwrap()
}

#[test]
fn lists_split_at_fifty_thousand_urls() {
    assert_eq!(MAX_URLS, 50_000);
    assert_eq!(
        file_count(0, MAX_URLS),
        1,
        "an empty list is one empty file"
    );
    assert_eq!(file_count(1, MAX_URLS), 1);
    assert_eq!(file_count(50_000, MAX_URLS), 1);
    assert_eq!(file_count(50_001, MAX_URLS), 2);
    assert_eq!(file_count(100_000, MAX_URLS), 2);
    assert_eq!(file_count(100_001, MAX_URLS), 3);
    assert_eq!(file_window(1, MAX_URLS), (50_000, 0));
    assert_eq!(file_window(2, MAX_URLS), (50_000, 50_000));
    assert_eq!(file_window(3, MAX_URLS), (50_000, 100_000));
}

#[test]
fn every_file_has_exactly_one_name() {
    assert_eq!(Part::Posts.path(1), "/sitemap-posts.xml");
    assert_eq!(Part::Posts.path(2), "/sitemap-posts-2.xml");
    for part in Part::ALL {
        for n in [1, 2, 17] {
            let path = part.path(n);
            assert_eq!(Part::parse_file(&path[1..]), Some((part, n)), "{path}");
        }
    }
    for bad in [
        "sitemap-posts-1.xml",
        "sitemap-posts-0.xml",
        "sitemap-posts-02.xml",
        "sitemap-posts-x.xml",
        "sitemap-posts-99999999999.xml",
        "sitemap-news.xml",
        "sitemap-posts.xml.gz",
        "sitemap-.xml",
        "sitemap.xml",
        "posts.xml",
    ] {
        assert_eq!(Part::parse_file(bad), None, "{bad}");
    }
}

#[test]
fn urlset_escapes_and_lists_images() {
    let xml = urlset(&[
        UrlEntry {
            loc: "https://news.example/a/?x=1&y=<2>".into(),
            lastmod: Some(at(9)),
            images: vec!["https://news.example/content/images/a.jpg".into()],
        },
        UrlEntry {
            loc: "https://news.example/b/".into(),
            lastmod: None,
            images: vec![],
        },
    ]);
    assert!(xml.starts_with(r#"<?xml version="1.0" encoding="UTF-8"?>"#));
    assert!(xml.contains("<loc>https://news.example/a/?x=1&amp;y=&lt;2&gt;</loc>"));
    assert!(xml.contains("<lastmod>2026-11-20T09:00:00+00:00</lastmod>"));
    assert!(xml.contains(
        "<image:image><image:loc>https://news.example/content/images/a.jpg</image:loc></image:image>"
    ));
    assert_eq!(xml.matches("<url>").count(), 2);
    assert_eq!(xml.matches("<lastmod>").count(), 1);
}

#[test]
fn news_entries_carry_the_required_elements() {
    let xml = news(&[NewsEntry {
        loc: "https://news.example/a/".into(),
        publication_name: "The Test & Review".into(),
        language: "en".into(),
        published: at(10),
        title: "Ships \"near\" the strait".into(),
    }]);
    for part in [
        r#"xmlns:news="http://www.google.com/schemas/sitemap-news/0.9""#,
        "<news:publication><news:name>The Test &amp; Review</news:name><news:language>en</news:language></news:publication>",
        "<news:publication_date>2026-11-20T10:00:00+00:00</news:publication_date>",
        "<news:title>Ships &quot;near&quot; the strait</news:title>",
    ] {
        assert!(xml.contains(part), "{part} in {xml}");
    }
}

#[test]
fn index_names_its_files() {
    let xml = index(&[SitemapRef {
        loc: "https://news.example/sitemap-posts.xml".into(),
        lastmod: Some(at(8)),
    }]);
    assert!(xml.contains("<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">"));
    assert!(xml.contains(
        "<sitemap><loc>https://news.example/sitemap-posts.xml</loc><lastmod>2026-11-20T08:00:00+00:00</lastmod></sitemap>"
    ));
}

#[test]
fn robots_keeps_member_paths_out_and_names_the_sitemaps() {
    let plain = robots("https://news.example/", "");
    assert!(plain.starts_with("User-agent: *\n"));
    assert!(plain.contains("Disallow: /members/\n"));
    assert!(plain.ends_with(
        "\nSitemap: https://news.example/sitemap.xml\nSitemap: https://news.example/sitemap-news.xml\n"
    ));
    let extra = robots(
        "https://news.example",
        "\r\nUser-agent: GPTBot\r\nDisallow: /\r\n\r\n",
    );
    assert!(
        extra.contains("\nUser-agent: GPTBot\nDisallow: /\n\nSitemap:"),
        "{extra}"
    );
    assert!(!extra.contains('\r'));
}

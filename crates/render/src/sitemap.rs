//! Sitemaps (sitemaps.org 0.9, with Google's image and news extensions) and `robots.txt`, written
//! from plain entries the caller has already filtered to published content.

use chrono::{DateTime, SecondsFormat, Utc};
use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesText, Event};
use std::io;

/// The most URLs one sitemap file may hold (sitemaps.org).
pub const MAX_URLS: u32 = 50_000;
/// The most URLs a Google News sitemap may hold.
pub const MAX_NEWS_URLS: u32 = 1_000;

pub const SITEMAP_NS: &str = "http://www.sitemaps.org/schemas/sitemap/0.9";
pub const IMAGE_NS: &str = "http://www.google.com/schemas/sitemap-image/1.1";
pub const NEWS_NS: &str = "http://www.google.com/schemas/sitemap-news/0.9";

/// One `<url>`: an absolute location, when it last changed, and its images' absolute URLs.
pub struct UrlEntry {
    pub loc: String,
    pub lastmod: Option<DateTime<Utc>>,
    pub images: Vec<String>,
}

/// One `<sitemap>` of an index.
pub struct SitemapRef {
    pub loc: String,
    pub lastmod: Option<DateTime<Utc>>,
}

/// One `<url>` of a Google News sitemap.
pub struct NewsEntry {
    pub loc: String,
    pub publication_name: String,
    /// ISO 639 code, e.g. `en`.
    pub language: String,
    pub published: DateTime<Utc>,
    pub title: String,
}

/// The lists a site's sitemaps are cut from, and the file names of their parts: the first part
/// is `sitemap-posts.xml`, the next ones `sitemap-posts-2.xml`, `sitemap-posts-3.xml`, …
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    Posts,
    Pages,
    Tags,
    Authors,
}

impl Part {
    pub const ALL: [Part; 4] = [Part::Pages, Part::Posts, Part::Tags, Part::Authors];

    pub fn name(self) -> &'static str {
        match self {
            Part::Posts => "posts",
            Part::Pages => "pages",
            Part::Tags => "tags",
            Part::Authors => "authors",
        }
    }

    /// The site-relative path of file `n` (1-based).
    pub fn path(self, n: u32) -> String {
        match n {
            0 | 1 => format!("/sitemap-{}.xml", self.name()),
            n => format!("/sitemap-{}-{n}.xml", self.name()),
        }
    }

    /// Which part and file a path's last segment names, e.g. `sitemap-posts-2.xml` → file 2.
    /// `sitemap-posts-1.xml` is not a name (file 1 has no number), so each file has one URL.
    pub fn parse_file(segment: &str) -> Option<(Part, u32)> {
        let stem = segment.strip_prefix("sitemap-")?.strip_suffix(".xml")?;
        let (name, n) = match stem.split_once('-') {
            Some((name, n)) if !n.starts_with('0') => (name, n.parse::<u32>().ok()?),
            Some(_) => return None,
            None => (stem, 1),
        };
        if n == 1 && stem.contains('-') {
            return None;
        }
        let part = Part::ALL.into_iter().find(|p| p.name() == name)?;
        Some((part, n))
    }
}

/// The `LIMIT` and `OFFSET` of file `n` (1-based) when a list is cut at `per_file` URLs.
pub fn file_window(n: u32, per_file: u32) -> (u32, u64) {
    (
        per_file,
        u64::from(n.saturating_sub(1)) * u64::from(per_file),
    )
}

/// How many files `total` URLs need at `per_file` each: always at least one (an empty sitemap
/// is still a valid document).
pub fn file_count(total: u64, per_file: u32) -> u32 {
    u32::try_from(total.div_ceil(u64::from(per_file.max(1))).max(1)).unwrap_or(u32::MAX)
}

/// The W3C datetime sitemaps use, e.g. `2026-11-20T12:00:00+00:00`.
pub fn w3c(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, false)
}

type W = Writer<Vec<u8>>;

fn document(
    root: &str,
    ns: &[(&str, &str)],
    body: impl FnOnce(&mut W) -> io::Result<()>,
) -> String {
    let mut w = Writer::new(Vec::new());
    let written = (|| {
        w.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
        w.get_mut().push(b'\n');
        w.create_element(root)
            .with_attributes(ns.iter().copied())
            .write_inner_content(body)?;
        w.get_mut().push(b'\n');
        Ok::<_, io::Error>(())
    })();
    // Writing into a Vec cannot fail.
    debug_assert!(written.is_ok());
    String::from_utf8(w.into_inner()).unwrap_or_default()
}

fn text(w: &mut W, name: &str, value: &str) -> io::Result<()> {
    w.create_element(name)
        .write_text_content(BytesText::new(value))?;
    Ok(())
}

/// A `<urlset>`, with `image:image` entries where a URL has images.
pub fn urlset(entries: &[UrlEntry]) -> String {
    let ns = [("xmlns", SITEMAP_NS), ("xmlns:image", IMAGE_NS)];
    document("urlset", &ns, |w| {
        for e in entries {
            w.create_element("url").write_inner_content(|w| {
                text(w, "loc", &e.loc)?;
                if let Some(t) = e.lastmod {
                    text(w, "lastmod", &w3c(t))?;
                }
                for image in &e.images {
                    w.create_element("image:image")
                        .write_inner_content(|w| text(w, "image:loc", image))?;
                }
                Ok(())
            })?;
        }
        Ok(())
    })
}

/// A `<sitemapindex>` naming other sitemap files.
pub fn index(files: &[SitemapRef]) -> String {
    document("sitemapindex", &[("xmlns", SITEMAP_NS)], |w| {
        for f in files {
            w.create_element("sitemap").write_inner_content(|w| {
                text(w, "loc", &f.loc)?;
                if let Some(t) = f.lastmod {
                    text(w, "lastmod", &w3c(t))?;
                }
                Ok(())
            })?;
        }
        Ok(())
    })
}

/// A Google News sitemap: each URL with its publication, publication date and title.
pub fn news(entries: &[NewsEntry]) -> String {
    let ns = [("xmlns", SITEMAP_NS), ("xmlns:news", NEWS_NS)];
    document("urlset", &ns, |w| {
        for e in entries {
            w.create_element("url").write_inner_content(|w| {
                text(w, "loc", &e.loc)?;
                w.create_element("news:news").write_inner_content(|w| {
                    w.create_element("news:publication")
                        .write_inner_content(|w| {
                            text(w, "news:name", &e.publication_name)?;
                            text(w, "news:language", &e.language)
                        })?;
                    text(w, "news:publication_date", &w3c(e.published))?;
                    text(w, "news:title", &e.title)
                })?;
                Ok(())
            })?;
        }
        Ok(())
    })
}

/// `robots.txt`: everything may be crawled except member and account endpoints, then the
/// publisher's own rules, then the sitemaps (absolute URLs, as the format requires).
pub fn robots(site_url: &str, extra_rules: &str) -> String {
    let base = site_url.trim_end_matches('/');
    let mut out = String::from(
        "User-agent: *\nDisallow: /account/\nDisallow: /members/\nDisallow: /webhooks/\n",
    );
    let extra: Vec<&str> = extra_rules.lines().map(str::trim_end).collect();
    let extra = extra.join("\n");
    if !extra.trim().is_empty() {
        out.push('\n');
        out.push_str(extra.trim_matches('\n'));
        out.push('\n');
    }
    out.push_str(&format!(
        "\nSitemap: {base}/sitemap.xml\nSitemap: {base}/sitemap-news.xml\n"
    ));
    out
}

#[cfg(test)]
mod tests;

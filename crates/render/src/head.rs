//! What `{{ghost_head}}` prints: canonical link, description, robots, OpenGraph and Twitter tags.

use crate::context::SiteInfo;
use domain::{LeadImage, PostView};
use handlebars::html_escape;
use std::fmt::Write;

/// Metadata of one page, built by the handler from what the viewer may see.
#[derive(Default)]
pub struct Meta {
    pub title: String,
    pub description: String,
    /// Site-relative path of the canonical URL, or an absolute URL set by an editor.
    pub canonical: String,
    pub noindex: bool,
    pub prev: Option<String>,
    pub next: Option<String>,
    pub article: Option<ArticleMeta>,
}

pub struct ArticleMeta {
    pub headline: String,
    /// False for members-only and paid posts, whoever is reading.
    pub free: bool,
    pub image: Option<LeadImage>,
    pub published_iso: Option<String>,
    pub modified_iso: String,
    pub section: Option<String>,
    pub authors: Vec<String>,
    pub tags: Vec<String>,
}

impl Meta {
    /// Metadata for an article page, derived from the viewer's view only.
    pub fn for_post(v: &PostView, site: &SiteInfo) -> Meta {
        let title = v
            .meta_title
            .clone()
            .filter(|t| !t.trim().is_empty())
            .unwrap_or_else(|| v.title.clone());
        Meta {
            title: format!("{title} – {}", site.title),
            description: v.description(),
            canonical: v
                .canonical_url
                .clone()
                .unwrap_or_else(|| crate::context::post_url(v.slug.as_str())),
            article: Some(ArticleMeta {
                headline: v.title.clone(),
                free: v.visibility.is_public(),
                image: v.image.clone(),
                published_iso: v.published_at.map(|t| t.to_rfc3339()),
                modified_iso: v.updated_at.to_rfc3339(),
                section: v.section().map(|t| t.name.clone()),
                authors: v.authors.iter().map(|a| a.name.clone()).collect(),
                tags: v.tags.iter().skip(1).map(|t| t.name.clone()).collect(),
            }),
            ..Meta::default()
        }
    }

    /// The canonical URL made absolute against the site URL.
    pub fn canonical_url(&self, site: &SiteInfo) -> String {
        absolute(&site.url, &self.canonical)
    }
}

fn absolute(base: &str, path: &str) -> String {
    if path.starts_with("http://") || path.starts_with("https://") {
        path.to_owned()
    } else {
        format!("{}{}", base.trim_end_matches('/'), path)
    }
}

/// Renders the `<head>` tags for `meta`; every value is HTML-escaped.
pub fn ghost_head(meta: &Meta, site: &SiteInfo) -> String {
    let mut h = String::new();
    let e = html_escape;
    let canonical = meta.canonical_url(site);
    let _ = writeln!(h, r#"<link rel="canonical" href="{}">"#, e(&canonical));
    let _ = writeln!(
        h,
        r#"<meta name="description" content="{}">"#,
        e(&meta.description)
    );
    if meta.noindex {
        let _ = writeln!(h, r#"<meta name="robots" content="noindex">"#);
    }
    for (rel, url) in [("prev", &meta.prev), ("next", &meta.next)] {
        if let Some(url) = url {
            let _ = writeln!(
                h,
                r#"<link rel="{rel}" href="{}">"#,
                e(&absolute(&site.url, url))
            );
        }
    }
    let og_type = if meta.article.is_some() {
        "article"
    } else {
        "website"
    };
    let _ = writeln!(
        h,
        r#"<meta property="og:site_name" content="{}">"#,
        e(&site.title)
    );
    let _ = writeln!(h, r#"<meta property="og:type" content="{og_type}">"#);
    let _ = writeln!(
        h,
        r#"<meta property="og:title" content="{}">"#,
        e(&meta.title)
    );
    let _ = writeln!(
        h,
        r#"<meta property="og:description" content="{}">"#,
        e(&meta.description)
    );
    let _ = writeln!(h, r#"<meta property="og:url" content="{}">"#, e(&canonical));
    let image = meta.article.as_ref().and_then(|a| a.image.as_ref());
    let card = if image.is_some() {
        "summary_large_image"
    } else {
        "summary"
    };
    let _ = writeln!(h, r#"<meta name="twitter:card" content="{card}">"#);
    let _ = writeln!(
        h,
        r#"<meta name="twitter:title" content="{}">"#,
        e(&meta.title)
    );
    let _ = writeln!(
        h,
        r#"<meta name="twitter:description" content="{}">"#,
        e(&meta.description)
    );
    if let Some(a) = &meta.article {
        article_tags(&mut h, a, site);
        let _ = writeln!(
            h,
            r#"<script type="application/ld+json">{}</script>"#,
            json_ld(meta, a, site)
        );
    }
    h
}

/// `NewsArticle` structured data; gated posts carry Google's paywalled-content markup, with the
/// gated section marked by the `.gated` class where it is rendered.
fn json_ld(meta: &Meta, a: &ArticleMeta, site: &SiteInfo) -> String {
    let mut data = serde_json::json!({
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": a.headline,
        "description": meta.description,
        "mainEntityOfPage": meta.canonical_url(site),
        "dateModified": a.modified_iso,
        "author": a.authors.iter().map(|n| serde_json::json!({ "@type": "Person", "name": n })).collect::<Vec<_>>(),
        "publisher": { "@type": "Organization", "name": site.title },
        "isAccessibleForFree": a.free,
    });
    if let Some(p) = &a.published_iso {
        data["datePublished"] = serde_json::json!(p);
    }
    if let Some(img) = &a.image {
        data["image"] = serde_json::json!([absolute(&site.url, &img.url)]);
    }
    if let Some(s) = &a.section {
        data["articleSection"] = serde_json::json!(s);
    }
    if !a.free {
        data["hasPart"] = serde_json::json!({
            "@type": "WebPageElement",
            "isAccessibleForFree": false,
            "cssSelector": ".gated",
        });
    }
    // `</` would end the script element early; JSON allows the escaped form.
    data.to_string().replace("</", "<\\/")
}

fn article_tags(h: &mut String, a: &ArticleMeta, site: &SiteInfo) {
    let e = html_escape;
    if let Some(img) = &a.image {
        let url = absolute(&site.url, &img.url);
        let _ = writeln!(h, r#"<meta property="og:image" content="{}">"#, e(&url));
        if let (Some(w), Some(hh)) = (img.width, img.height) {
            let _ = writeln!(h, r#"<meta property="og:image:width" content="{w}">"#);
            let _ = writeln!(h, r#"<meta property="og:image:height" content="{hh}">"#);
        }
        let _ = writeln!(h, r#"<meta name="twitter:image" content="{}">"#, e(&url));
    }
    if let Some(p) = &a.published_iso {
        let _ = writeln!(
            h,
            r#"<meta property="article:published_time" content="{}">"#,
            e(p)
        );
    }
    let _ = writeln!(
        h,
        r#"<meta property="article:modified_time" content="{}">"#,
        e(&a.modified_iso)
    );
    if let Some(s) = &a.section {
        let _ = writeln!(h, r#"<meta property="article:section" content="{}">"#, e(s));
    }
    for author in &a.authors {
        let _ = writeln!(
            h,
            r#"<meta property="article:author" content="{}">"#,
            e(author)
        );
    }
    for tag in &a.tags {
        let _ = writeln!(h, r#"<meta property="article:tag" content="{}">"#, e(tag));
    }
}

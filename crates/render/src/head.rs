//! What `{{ghost_head}}` prints: canonical link, description, robots, feed autodiscovery,
//! pagination links, OpenGraph and Twitter tags, and the page's JSON-LD (see `structured`).

use crate::context::{RSS_URL, SiteInfo, author_url, iso, post_url};
use crate::structured;
use domain::{Author, LeadImage, PostKind, PostView, Social, Tag};
use handlebars::html_escape;
use std::fmt::Write;

/// Metadata of one page, built by the handler from what an anonymous reader may see.
#[derive(Default)]
pub struct Meta {
    pub title: String,
    pub description: String,
    /// Site-relative path of the canonical URL, or an absolute URL set by an editor.
    pub canonical: String,
    pub noindex: bool,
    pub prev: Option<String>,
    pub next: Option<String>,
    pub kind: PageKind,
    /// The page's own feed (tag and author pages), announced next to the site's.
    pub feed: Option<FeedLink>,
}

/// What the page is, which decides its OpenGraph type and its structured data.
#[derive(Default)]
pub enum PageKind {
    #[default]
    Other,
    /// The home page: `WebSite` with a `SearchAction`.
    Home,
    /// A section or tag page: `CollectionPage`.
    Collection,
    /// An author page: `Person`.
    Profile(Box<Author>),
    /// A post (`NewsArticle`, `BreadcrumbList`) or a static page (`WebPage`).
    Article(Box<ArticleMeta>),
}

pub struct FeedLink {
    pub title: String,
    /// Site-relative URL.
    pub url: String,
}

pub struct ArticleMeta {
    pub kind: PostKind,
    pub headline: String,
    pub dek: String,
    /// False for members-only and paid posts, whoever is reading.
    pub free: bool,
    pub image: Option<LeadImage>,
    pub published_iso: Option<String>,
    pub modified_iso: String,
    pub section: Option<Tag>,
    pub authors: Vec<Author>,
    /// Every tag's name, the section first.
    pub keywords: Vec<String>,
    /// The editor's OpenGraph and Twitter overrides; each blank one falls back.
    pub social: Social,
}

impl Meta {
    /// Metadata for an article page. Pass the anonymous reader's view: meta tags and JSON-LD
    /// are the same for everyone and never quote the gated part.
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
                .unwrap_or_else(|| post_url(v.slug.as_str())),
            kind: PageKind::Article(Box::new(ArticleMeta {
                kind: v.kind,
                headline: v.title.clone(),
                dek: v.dek.clone(),
                free: v.visibility.is_public(),
                image: v.image.clone(),
                published_iso: v.published_at.map(iso),
                modified_iso: iso(v.updated_at),
                section: v.section().cloned(),
                authors: v.authors.clone(),
                keywords: v.tags.iter().map(|t| t.name.clone()).collect(),
                social: v.social.clone(),
            })),
            ..Meta::default()
        }
    }

    /// The canonical URL made absolute against the site URL.
    pub fn canonical_url(&self, site: &SiteInfo) -> String {
        site.absolute(&self.canonical)
    }

    fn article(&self) -> Option<&ArticleMeta> {
        match &self.kind {
            PageKind::Article(a) => Some(a),
            _ => None,
        }
    }

    fn is_post(&self) -> bool {
        self.article().is_some_and(|a| a.kind == PostKind::Post)
    }
}

/// Renders the `<head>` tags for `meta`; every value is HTML-escaped, except the administrator's
/// code injection, printed last as it is.
pub fn ghost_head(meta: &Meta, site: &SiteInfo) -> String {
    let mut h = String::new();
    let e = html_escape;
    let canonical = meta.canonical_url(site);
    let _ = writeln!(h, r#"<link rel="canonical" href="{}">"#, e(&canonical));
    let _ = writeln!(h, r#"<link rel="icon" href="{}">"#, e(&site.icon));
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
            let _ = writeln!(h, r#"<link rel="{rel}" href="{}">"#, e(&site.absolute(url)));
        }
    }
    feed_links(&mut h, meta, site);
    open_graph(&mut h, meta, site, &canonical);
    if let Some(a) = meta.article() {
        article_tags(&mut h, a, site);
    }
    for block in structured::blocks(meta, site) {
        // `</script` would end the element early and `<!--` would change how HTML parses the
        // rest of it; JSON's `\u003c` escape keeps every `<` out of the markup.
        let json = block.to_string().replace('<', "\\u003c");
        let _ = writeln!(h, r#"<script type="application/ld+json">{json}</script>"#);
    }
    // Last, as Ghost prints it: the administrator's own code, unescaped on purpose.
    h.push_str(&site.code_head);
    h
}

/// Feed autodiscovery: the site's feed on every page, plus the page's own.
fn feed_links(h: &mut String, meta: &Meta, site: &SiteInfo) {
    let site_feed = FeedLink {
        title: site.title.clone(),
        url: RSS_URL.into(),
    };
    for feed in std::iter::once(&site_feed).chain(meta.feed.as_ref()) {
        let _ = writeln!(
            h,
            r#"<link rel="alternate" type="application/rss+xml" title="{}" href="{}">"#,
            html_escape(&feed.title),
            html_escape(&site.absolute(&feed.url))
        );
    }
}

/// OpenGraph and Twitter tags: the page's title, description and lead image (or the logo),
/// each replaced by an article's social override when its editor set one.
fn open_graph(h: &mut String, meta: &Meta, site: &SiteInfo, canonical: &str) {
    let e = html_escape;
    let (og_type, title) = match &meta.kind {
        PageKind::Article(a) if meta.is_post() => ("article", a.headline.as_str()),
        PageKind::Profile(_) => ("profile", meta.title.as_str()),
        _ => ("website", meta.title.as_str()),
    };
    let none = Social::default();
    let social = meta.article().map_or(&none, |a| &a.social);
    let or = |over: &Option<String>, normal| {
        over.as_deref()
            .filter(|v| !v.trim().is_empty())
            .map_or(normal, str::to_owned)
    };
    let tags = [
        ("og:site_name", site.title.clone()),
        ("og:type", og_type.to_owned()),
        ("og:title", or(&social.og_title, title.to_owned())),
        (
            "og:description",
            or(&social.og_description, meta.description.clone()),
        ),
        ("og:url", canonical.to_owned()),
    ];
    for (property, value) in tags {
        let _ = writeln!(h, r#"<meta property="{property}" content="{}">"#, e(&value));
    }
    let lead = meta.article().and_then(|a| a.image.as_ref());
    let (url, size) = match lead {
        Some(img) => (site.absolute(&img.url), img.width.zip(img.height)),
        None => (
            site.absolute(&site.logo.url),
            site.logo.width.zip(site.logo.height),
        ),
    };
    og_image(h, site, social.og_image.as_deref(), &url, size, lead);
    let twitter_image = social
        .twitter_image
        .as_deref()
        .filter(|u| !u.trim().is_empty())
        .map_or_else(|| url.clone(), |u| site.absolute(u));
    let card = if lead.is_some() || twitter_image != url {
        "summary_large_image"
    } else {
        "summary"
    };
    let twitter = [
        ("twitter:card", card.to_owned()),
        ("twitter:title", or(&social.twitter_title, title.to_owned())),
        (
            "twitter:description",
            or(&social.twitter_description, meta.description.clone()),
        ),
        ("twitter:image", twitter_image),
    ];
    for (name, value) in twitter {
        let _ = writeln!(h, r#"<meta name="{name}" content="{}">"#, e(&value));
    }
}

/// `og:image`: the editor's override alone (its size and alt text unknown), else the lead
/// image or logo at `url` with its size and alt text.
fn og_image(
    h: &mut String,
    site: &SiteInfo,
    over: Option<&str>,
    url: &str,
    size: Option<(u32, u32)>,
    lead: Option<&LeadImage>,
) {
    let e = html_escape;
    if let Some(over) = over.filter(|u| !u.trim().is_empty()) {
        let _ = writeln!(
            h,
            r#"<meta property="og:image" content="{}">"#,
            e(&site.absolute(over))
        );
        return;
    }
    let _ = writeln!(h, r#"<meta property="og:image" content="{}">"#, e(url));
    if let Some((w, hh)) = size {
        let _ = writeln!(h, r#"<meta property="og:image:width" content="{w}">"#);
        let _ = writeln!(h, r#"<meta property="og:image:height" content="{hh}">"#);
    }
    if let Some(alt) = lead.map(|i| i.alt.as_str()).filter(|a| !a.is_empty()) {
        let _ = writeln!(h, r#"<meta property="og:image:alt" content="{}">"#, e(alt));
    }
}

fn article_tags(h: &mut String, a: &ArticleMeta, site: &SiteInfo) {
    let e = html_escape;
    if a.kind != PostKind::Post {
        return;
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
        let _ = writeln!(
            h,
            r#"<meta property="article:section" content="{}">"#,
            e(&s.name)
        );
    }
    for author in &a.authors {
        let url = site.absolute(&author_url(author.slug.as_str()));
        let _ = writeln!(
            h,
            r#"<meta property="article:author" content="{}">"#,
            e(&url)
        );
    }
    for tag in a.keywords.iter().skip(1) {
        let _ = writeln!(h, r#"<meta property="article:tag" content="{}">"#, e(tag));
    }
}

#[cfg(test)]
mod tests;

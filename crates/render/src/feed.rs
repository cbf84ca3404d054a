//! RSS 2.0 feeds from `PostView`s: the whole body when the view holds it, otherwise the free part
//! and a "continue reading" link. Callers pass anonymous views, so a feed never carries gated text.

use crate::context::{SiteInfo, post_url};
use chrono::{DateTime, Utc};
use domain::{LeadImage, PostView};
use handlebars::html_escape;
use rss::extension::atom::{AtomExtension, Link};
use rss::extension::dublincore::DublinCoreExtension;
use rss::extension::{Extension, ExtensionMap};
use rss::{Category, Channel, Guid, Item};
use std::collections::BTreeMap;

/// The Media RSS namespace, for `media:content` (the lead image).
pub const MEDIA_NAMESPACE: &str = "http://search.yahoo.com/mrss/";

/// What a feed is about: the whole site, a tag or an author.
pub struct FeedInfo {
    pub title: String,
    pub description: String,
    /// Site-relative URL of the HTML page the feed follows, e.g. `/tag/china/`.
    pub page: String,
    /// Site-relative URL of the feed itself, e.g. `/tag/china/rss/`.
    pub feed: String,
}

/// The RSS 2.0 document for `views`, newest first as given.
///
/// Nothing depends on the clock: `lastBuildDate` is the newest change among the items, so the
/// same posts always give the same bytes (and the same `ETag`).
pub fn rss(info: &FeedInfo, site: &SiteInfo, views: &[PostView]) -> String {
    let mut namespaces = BTreeMap::new();
    namespaces.insert("media".to_owned(), MEDIA_NAMESPACE.to_owned());
    let channel = Channel {
        title: info.title.clone(),
        link: site.absolute(&info.page),
        description: info.description.clone(),
        language: Some(site.language.clone()),
        last_build_date: last_change(views).map(|t| t.to_rfc2822()),
        generator: Some("Masthead".into()),
        ttl: Some("60".into()),
        image: Some(rss::Image {
            url: site.absolute(&site.logo.url),
            title: info.title.clone(),
            link: site.absolute(&info.page),
            ..rss::Image::default()
        }),
        atom_ext: Some(AtomExtension {
            links: vec![Link {
                href: site.absolute(&info.feed),
                rel: "self".into(),
                mime_type: Some("application/rss+xml".into()),
                ..Link::default()
            }],
        }),
        namespaces,
        items: views.iter().map(|v| item(v, site)).collect(),
        ..Channel::default()
    };
    channel.to_string()
}

fn last_change(views: &[PostView]) -> Option<DateTime<Utc>> {
    views.iter().map(|v| v.updated_at).max()
}

fn item(v: &PostView, site: &SiteInfo) -> Item {
    let link = site.absolute(&post_url(v.slug.as_str()));
    let mut extensions = ExtensionMap::new();
    if let Some(img) = &v.image {
        let content = BTreeMap::from([("content".to_owned(), vec![media_content(img, site)])]);
        extensions.insert("media".to_owned(), content);
    }
    Item {
        title: Some(v.title.clone()),
        link: Some(link),
        description: Some(v.description()),
        // The post id never changes, even when the slug or title does.
        guid: Some(Guid {
            value: v.id.clone(),
            permalink: false,
        }),
        pub_date: v.published_at.map(|t| t.to_rfc2822()),
        categories: v
            .tags
            .iter()
            .map(|t| Category {
                name: t.name.clone(),
                domain: None,
            })
            .collect(),
        dublin_core_ext: Some(DublinCoreExtension {
            creators: v.authors.iter().map(|a| a.name.clone()).collect(),
            ..DublinCoreExtension::default()
        }),
        content: Some(content_html(v, site)),
        extensions,
        ..Item::default()
    }
}

/// `media:content` for the lead image, with its credit and caption.
fn media_content(img: &LeadImage, site: &SiteInfo) -> Extension {
    let mut attrs = BTreeMap::from([
        ("url".to_owned(), site.absolute(&img.url)),
        ("medium".to_owned(), "image".to_owned()),
    ]);
    if let (Some(w), Some(h)) = (img.width, img.height) {
        attrs.insert("width".into(), w.to_string());
        attrs.insert("height".into(), h.to_string());
    }
    let mut children = BTreeMap::new();
    let text = |name: &str, value: &str| Extension {
        name: name.to_owned(),
        value: Some(value.to_owned()),
        ..Extension::default()
    };
    if !img.credit.trim().is_empty() {
        children.insert("credit".to_owned(), vec![text("media:credit", &img.credit)]);
    }
    let description = if img.caption.trim().is_empty() {
        &img.alt
    } else {
        &img.caption
    };
    if !description.trim().is_empty() {
        children.insert(
            "description".to_owned(),
            vec![text("media:description", description)],
        );
    }
    Extension {
        name: "media:content".into(),
        value: None,
        attrs,
        children,
    }
}

/// The item's HTML: the lead image, then what the view holds, with site-relative links made
/// absolute (feed readers resolve them against nothing). A cut view ends in a link to the page.
fn content_html(v: &PostView, site: &SiteInfo) -> String {
    let mut html = String::new();
    if let Some(img) = &v.image {
        let size = match (img.width, img.height) {
            (Some(w), Some(h)) => format!(r#" width="{w}" height="{h}""#),
            _ => String::new(),
        };
        html.push_str(&format!(
            r#"<figure><img src="{}" alt="{}"{size}></figure>"#,
            html_escape(&site.absolute(&img.url)),
            html_escape(&img.alt),
        ));
        html.push('\n');
    }
    html.push_str(&absolute_links(&v.html, &site.url));
    if v.gated_withheld {
        html.push_str(&format!(
            r#"<p><a href="{}">Continue reading on {}</a></p>"#,
            html_escape(&site.absolute(&post_url(v.slug.as_str()))),
            html_escape(&site.title),
        ));
    }
    html
}

/// Rewrites `href="/…"` and `src="/…"` (site-relative, not protocol-relative) to absolute URLs.
fn absolute_links(html: &str, base: &str) -> String {
    let base = base.trim_end_matches('/');
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(at) = next_relative(rest) {
        let (before, after) = rest.split_at(at);
        out.push_str(before);
        out.push_str(base);
        rest = after;
    }
    out.push_str(rest);
    out
}

/// Byte offset just past `href="` or `src="` where the value starts with one `/`.
fn next_relative(html: &str) -> Option<usize> {
    let mut from = 0;
    while from < html.len() {
        let found = ["href=\"/", "src=\"/"]
            .iter()
            .filter_map(|pat| html[from..].find(pat).map(|i| (from + i, pat.len())))
            .min_by_key(|(i, _)| *i)?;
        let value = found.0 + found.1 - 1;
        if !html[value..].starts_with("//") {
            return Some(value);
        }
        from = value + 1;
    }
    None
}

#[cfg(test)]
mod tests;

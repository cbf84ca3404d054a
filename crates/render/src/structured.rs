//! JSON-LD (schema.org) for a page's `Meta`: `NewsArticle` with Google's paywalled-content markup
//! and a `BreadcrumbList` on posts, `WebPage` on static pages, `WebSite` with a `SearchAction` on
//! the home page, `Person` on author pages, `CollectionPage` on section and tag pages.

use crate::context::{SiteInfo, author_url, tag_url};
use crate::head::{ArticleMeta, Meta, PageKind};
use domain::{Author, LeadImage, PostKind};
use serde_json::{Value, json};

/// The JSON-LD objects of one page, each printed in its own `<script>` element.
pub fn blocks(meta: &Meta, site: &SiteInfo) -> Vec<Value> {
    let url = meta.canonical_url(site);
    match &meta.kind {
        PageKind::Other => vec![],
        PageKind::Home => vec![website(meta, site)],
        PageKind::Collection => vec![json!({
            "@context": "https://schema.org",
            "@type": "CollectionPage",
            "name": meta.title,
            "description": meta.description,
            "url": url,
            "isPartOf": { "@type": "WebSite", "name": site.title, "url": site.absolute("/") },
        })],
        PageKind::Profile(author) => {
            let mut person = person(author, site);
            person["@context"] = json!("https://schema.org");
            person["mainEntityOfPage"] = json!(url);
            vec![person]
        }
        PageKind::Article(a) if a.kind == PostKind::Page => vec![web_page(meta, a, site)],
        PageKind::Article(a) => vec![news_article(meta, a, site), breadcrumbs(meta, a, site)],
    }
}

/// The publisher, with its logo.
pub fn organization(site: &SiteInfo) -> Value {
    let mut logo = json!({ "@type": "ImageObject", "url": site.absolute(&site.logo.url) });
    if let (Some(w), Some(h)) = (site.logo.width, site.logo.height) {
        logo["width"] = json!(w);
        logo["height"] = json!(h);
    }
    json!({
        "@type": "Organization",
        "name": site.title,
        "url": site.absolute("/"),
        "logo": logo,
    })
}

fn person(a: &Author, site: &SiteInfo) -> Value {
    let mut p = json!({
        "@type": "Person",
        "name": a.name,
        "url": site.absolute(&author_url(a.slug.as_str())),
    });
    if !a.bio.trim().is_empty() {
        p["description"] = json!(a.bio);
    }
    if !a.credentials.trim().is_empty() {
        p["jobTitle"] = json!(a.credentials);
    }
    if let Some(avatar) = &a.avatar {
        p["image"] = json!(site.absolute(avatar));
    }
    if let Some(website) = &a.website {
        p["sameAs"] = json!([website]);
    }
    p
}

fn image(img: &LeadImage, site: &SiteInfo) -> Value {
    let mut v = json!({ "@type": "ImageObject", "url": site.absolute(&img.url) });
    if let (Some(w), Some(h)) = (img.width, img.height) {
        v["width"] = json!(w);
        v["height"] = json!(h);
    }
    if !img.caption.trim().is_empty() {
        v["caption"] = json!(img.caption);
    }
    if !img.credit.trim().is_empty() {
        v["creditText"] = json!(img.credit);
    }
    v
}

fn website(meta: &Meta, site: &SiteInfo) -> Value {
    json!({
        "@context": "https://schema.org",
        "@type": "WebSite",
        "name": site.title,
        "description": meta.description,
        "url": site.absolute("/"),
        "inLanguage": site.language,
        "publisher": organization(site),
        "potentialAction": {
            "@type": "SearchAction",
            "target": {
                "@type": "EntryPoint",
                "urlTemplate": format!("{}?q={{search_term_string}}", site.absolute("/search/")),
            },
            "query-input": "required name=search_term_string",
        },
    })
}

/// A post. A gated post is marked as not free, with its gated section (rendered inside
/// `.gated` for readers who may see it) named by `hasPart`.
fn news_article(meta: &Meta, a: &ArticleMeta, site: &SiteInfo) -> Value {
    let mut data = json!({
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": a.headline,
        "description": meta.description,
        "url": meta.canonical_url(site),
        "mainEntityOfPage": meta.canonical_url(site),
        "dateModified": a.modified_iso,
        "author": a.authors.iter().map(|x| person(x, site)).collect::<Vec<_>>(),
        "publisher": organization(site),
        "inLanguage": site.language,
        "isAccessibleForFree": a.free,
    });
    if !a.dek.trim().is_empty() {
        data["alternativeHeadline"] = json!(a.dek);
    }
    if let Some(p) = &a.published_iso {
        data["datePublished"] = json!(p);
    }
    if let Some(img) = &a.image {
        data["image"] = json!([image(img, site)]);
    }
    if let Some(s) = &a.section {
        data["articleSection"] = json!(s.name);
    }
    if !a.keywords.is_empty() {
        data["keywords"] = json!(a.keywords);
    }
    if !a.free {
        data["hasPart"] = json!({
            "@type": "WebPageElement",
            "isAccessibleForFree": false,
            "cssSelector": ".gated",
        });
    }
    data
}

/// Home › Section › Post.
fn breadcrumbs(meta: &Meta, a: &ArticleMeta, site: &SiteInfo) -> Value {
    let mut trail = vec![(site.title.clone(), site.absolute("/"))];
    if let Some(s) = &a.section {
        trail.push((s.name.clone(), site.absolute(&tag_url(s.slug.as_str()))));
    }
    trail.push((a.headline.clone(), meta.canonical_url(site)));
    let items: Vec<Value> = trail
        .into_iter()
        .enumerate()
        .map(|(i, (name, item))| {
            json!({ "@type": "ListItem", "position": i + 1, "name": name, "item": item })
        })
        .collect();
    json!({
        "@context": "https://schema.org",
        "@type": "BreadcrumbList",
        "itemListElement": items,
    })
}

/// A static page (About, Contact).
fn web_page(meta: &Meta, a: &ArticleMeta, site: &SiteInfo) -> Value {
    let mut data = json!({
        "@context": "https://schema.org",
        "@type": "WebPage",
        "name": a.headline,
        "description": meta.description,
        "url": meta.canonical_url(site),
        "dateModified": a.modified_iso,
        "isAccessibleForFree": a.free,
        "isPartOf": { "@type": "WebSite", "name": site.title, "url": site.absolute("/") },
        "publisher": organization(site),
    });
    if !a.free {
        data["hasPart"] = json!({
            "@type": "WebPageElement",
            "isAccessibleForFree": false,
            "cssSelector": ".gated",
        });
    }
    data
}

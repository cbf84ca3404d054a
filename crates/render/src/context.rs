//! The JSON shapes templates see: the site, story cards, articles, tags, authors, pagination.
//!
//! Every post shape is built from a `PostView`, so templates only ever hold what the viewer may
//! read. URLs here are site-relative; `head` makes the absolute ones.

use chrono::{DateTime, SecondsFormat, Utc};
use domain::{Access, Author, NavLink, PostView, Tag, Visibility};
use serde_json::{Value, json};

/// Site-wide facts every page shows.
pub struct SiteInfo {
    pub title: String,
    pub description: String,
    /// Public base URL without a trailing slash, e.g. `https://example.com`.
    pub url: String,
    pub language: String,
    pub paid_tier_name: String,
    pub sections: Vec<Tag>,
    pub topics: Vec<Tag>,
    /// The primary navigation an administrator set; `None` lists the sections in use.
    pub navigation: Option<Vec<NavLink>>,
    /// The footer's links an administrator set (`secondary_navigation`); none keeps the
    /// theme's own.
    pub footer_links: Vec<NavLink>,
    /// The publication's social profiles: a service's name and the profile's URL each.
    pub social: Vec<(String, String)>,
    /// The accent colour an administrator chose (`#rrggbb`), for the theme's stylesheet.
    pub accent: Option<String>,
    /// The publisher's logo, for structured data and feeds.
    pub logo: Logo,
    /// The site icon (favicon) that every page links, site-relative or absolute.
    pub icon: String,
    /// The administrator's code injection: raw HTML printed at the end of `{{ghost_head}}`
    /// and as `{{ghost_foot}}`. The page's Content-Security-Policy lets exactly its scripts
    /// and styles run (`masthead::http::csp`).
    pub code_head: String,
    pub code_foot: String,
    pub now: DateTime<Utc>,
}

/// An image standing for the publication (site-relative or absolute URL).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Logo {
    pub url: String,
    pub width: Option<u32>,
    pub height: Option<u32>,
}

impl SiteInfo {
    /// `path` made absolute against the site URL; absolute URLs are returned unchanged.
    pub fn absolute(&self, path: &str) -> String {
        if path.starts_with("http://") || path.starts_with("https://") {
            path.to_owned()
        } else {
            format!("{}{}", self.url.trim_end_matches('/'), path)
        }
    }
}

pub fn post_url(slug: &str) -> String {
    format!("/{slug}/")
}

pub fn tag_url(slug: &str) -> String {
    format!("/tag/{slug}/")
}

pub fn author_url(slug: &str) -> String {
    format!("/author/{slug}/")
}

/// The site's main feed; tag and author feeds live at their page's URL plus `rss/`.
pub const RSS_URL: &str = "/rss/";

pub fn feed_url(page_url: &str) -> String {
    format!("{page_url}rss/")
}

/// A timestamp as pages print it (`datetime` attributes, JSON-LD): RFC 3339 to the second.
/// Stored times carry microseconds, and HTML's date syntax allows at most three fractional
/// digits, so the default `to_rfc3339` would make every such attribute invalid.
pub fn iso(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, false)
}

pub fn site(s: &SiteInfo) -> Value {
    json!({
        "title": s.title,
        "description": s.description,
        "url": s.url,
        "language": s.language,
        "year": s.now.format("%Y").to_string(),
        "today_iso": s.now.format("%Y-%m-%d").to_string(),
        "today_display": s.now.format("%A, %B %-d, %Y").to_string(),
        "paid_tier_name": s.paid_tier_name,
        "rss_url": RSS_URL,
        "sections": s.sections.iter().map(tag).collect::<Vec<_>>(),
        "topics": s.topics.iter().map(tag).collect::<Vec<_>>(),
        "navigation": navigation(s),
        "footer_links": s.footer_links.iter()
            .map(|l| json!({ "label": l.label(), "url": l.url() }))
            .collect::<Vec<_>>(),
        "social": s.social.iter()
            .map(|(label, url)| json!({ "label": label, "url": url }))
            .collect::<Vec<_>>(),
        "accent_css": s.accent.as_deref().map(accent_css),
    })
}

/// The stylesheet that carries the accent colour `hex` (`#rrggbb`); the colour is in its URL,
/// so a changed colour is a new, separately cached file.
pub fn accent_css(hex: &str) -> String {
    format!("/accent.css?c={}", hex.trim_start_matches('#'))
}

/// The primary navigation as templates and the Content API show it: `{label, url}` each, the
/// administrator's links or else the sections in use.
pub fn navigation(s: &SiteInfo) -> Vec<Value> {
    match &s.navigation {
        Some(links) => links
            .iter()
            .map(|l| json!({ "label": l.label(), "url": l.url() }))
            .collect(),
        None => s
            .sections
            .iter()
            .map(|t| json!({ "label": t.name, "url": tag_url(t.slug.as_str()) }))
            .collect(),
    }
}

pub fn tag(t: &Tag) -> Value {
    json!({
        "name": t.name,
        "slug": t.slug,
        "url": tag_url(t.slug.as_str()),
        "description": t.description,
        "kind": t.kind,
    })
}

pub fn author(a: &Author) -> Value {
    json!({
        "name": a.name,
        "slug": a.slug,
        "url": author_url(a.slug.as_str()),
        "bio": a.bio,
        "credentials": a.credentials,
        "avatar": a.avatar,
        "website": a.website,
    })
}

/// One story as lists, the home page and related boxes show it.
pub fn card(v: &PostView) -> Value {
    let published = v.published_at.unwrap_or(v.updated_at);
    json!({
        "id": v.id,
        "title": v.title,
        "slug": v.slug,
        "url": post_url(v.slug.as_str()),
        "dek": v.dek,
        "excerpt": v.excerpt(220),
        "kicker": v.section().map(tag),
        "tags": v.tags.iter().map(tag).collect::<Vec<_>>(),
        "authors": v.authors.iter().map(author).collect::<Vec<_>>(),
        "published_iso": iso(published),
        "published_display": published.format("%B %-d, %Y").to_string(),
        "published_short": published.format("%b %-d").to_string(),
        "published_time": published.format("%H:%M").to_string(),
        "updated_iso": iso(v.updated_at),
        "updated_display": v.updated_at.format("%B %-d, %Y").to_string(),
        "was_updated": v.updated_at - published > chrono::Duration::hours(1),
        "reading_minutes": v.reading_minutes(),
        "image": v.image,
        "visibility": v.visibility.kind(),
        "gated": !v.visibility.is_public(),
        "featured": v.featured,
    })
}

/// The home page's lead story: a card plus its opening paragraphs for the expander.
pub fn lead(v: &PostView, opening: usize, more: usize) -> Value {
    let mut value = card(v);
    let paragraphs: Vec<&str> = v.paragraphs().collect();
    let (first, rest) = paragraphs.split_at(opening.min(paragraphs.len()));
    value["opening"] = json!(first);
    value["more_paragraphs"] = json!(rest.iter().take(more).collect::<Vec<_>>());
    value
}

/// A whole article: the card plus the HTML this viewer may read.
pub fn article(v: &PostView) -> Value {
    let mut value = card(v);
    value["html"] = json!(v.html);
    value["access"] = json!(v.access);
    value["gated_withheld"] = json!(v.gated_withheld);
    value
}

/// What the call to action offers: the tier that unlocks the post, its price and the button.
pub struct Offer {
    pub tier_name: Option<String>,
    pub price: Option<String>,
    pub cta_label: String,
    pub cta_url: String,
    pub signed_in: bool,
}

/// The call to action shown where a preview ends, or null when nothing was withheld.
pub fn paywall(v: &PostView, site: &SiteInfo, offer: Option<&Offer>) -> Value {
    if !v.gated_withheld || v.access != Access::Preview {
        return Value::Null;
    }
    let signed_in = offer.is_some_and(|o| o.signed_in);
    match (&v.visibility, offer) {
        (Visibility::Members, _) => json!({
            "kind": "members",
            "tier_name": "Free membership",
            "headline": "This story is for members",
            "pitch": format!("Sign up free to read the rest and get {} in your inbox.", site.title),
            "cta_label": "Sign up free",
            "cta_url": "/signup/",
            "signin_url": "/signin/",
            "signed_in": signed_in,
        }),
        (_, offer) => {
            let tier = offer
                .and_then(|o| o.tier_name.clone())
                .unwrap_or_else(|| site.paid_tier_name.clone());
            json!({
                "kind": "paid",
                "tier_name": tier,
                "headline": format!("Keep reading with {tier}"),
                "pitch": format!("{tier} members read every analysis, interview and briefing in full."),
                "price_display": offer.and_then(|o| o.price.clone()),
                "cta_label": offer.map_or("Subscribe", |o| o.cta_label.as_str()),
                "cta_url": offer.map_or("/signup/", |o| o.cta_url.as_str()),
                "signin_url": "/signin/",
                "signed_in": signed_in,
            })
        }
    }
}

/// Page `page` of `pages` for a listing rooted at `base` (e.g. `/` or `/tag/china/`).
pub fn pagination(base: &str, page: u64, per_page: u64, total: u64) -> Value {
    let pages = total.div_ceil(per_page).max(1);
    let url = |n: u64| {
        if n <= 1 {
            base.to_owned()
        } else {
            format!("{base}page/{n}/")
        }
    };
    json!({
        "page": page,
        "pages": pages,
        "total": total,
        "prev_url": (page > 1).then(|| url(page - 1)),
        "next_url": (page < pages).then(|| url(page + 1)),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pagination_links() {
        let p = pagination("/tag/china/", 2, 10, 25);
        assert_eq!(p["pages"], 3);
        assert_eq!(p["prev_url"], "/tag/china/");
        assert_eq!(p["next_url"], "/tag/china/page/3/");
        let last = pagination("/", 3, 10, 25);
        assert!(last["next_url"].is_null());
        assert_eq!(last["prev_url"], "/page/2/");
        assert_eq!(pagination("/", 1, 10, 0)["pages"], 1);
    }
}

//! Site settings as stored (strings by key): the keys `masthead settings` accepts and what each
//! does, their defaults, and the site's title.

use store::{Store, StoreError};

/// Setting keys and their defaults.
pub const SETTINGS: &[(&str, &str)] = &[
    ("title", "Masthead"),
    (
        "description",
        "Independent analysis, interviews and reporting.",
    ),
    ("language", "en"),
    ("paid_tier_name", "Subscriber+"),
    ("logo_url", ""),
    ("icon", ""),
    ("default_author", ""),
    ("robots_extra", ""),
];

/// Every setting `masthead settings set` accepts, and what it does.
pub const SETTING_KEYS: &[(&str, &str)] = &[
    ("title", "the publication's name"),
    (
        "description",
        "one sentence about the publication (home page, feeds)",
    ),
    (
        "language",
        "language code of the content, e.g. en (pages, feeds, news sitemap)",
    ),
    ("paid_tier_name", "the paid tier's name in calls to action"),
    (
        "meter_members",
        "gated articles a free member may read per 30 days (0 = off)",
    ),
    (
        "meter_anonymous",
        "gated articles an anonymous reader may read per 30 days (0 = off)",
    ),
    (
        "free_paragraphs",
        "paragraphs of a gated post without a marker that stay free",
    ),
    (
        "logo_url",
        "publisher logo for structured data, OpenGraph and feeds [default: /logo.png]",
    ),
    (
        "icon",
        "the site icon (favicon): a URL of a square PNG or ICO [default: a generated /favicon.ico]",
    ),
    (
        "default_author",
        "slug of the author of posts that name none (Admin API, post files) [default: staff, \"Staff\"]",
    ),
    (
        "robots_extra",
        "extra lines for /robots.txt, e.g. \"User-agent: GPTBot\\nDisallow: /\"",
    ),
];

/// The default of `key`, if it has one.
pub fn default_value(key: &str) -> Option<&'static str> {
    SETTINGS.iter().find(|(k, _)| *k == key).map(|(_, v)| *v)
}

/// The site's title, for mail and messages.
pub async fn site_title(store: &Store) -> Result<String, StoreError> {
    let settings = store.settings().await?;
    Ok(settings
        .get("title")
        .cloned()
        .unwrap_or_else(|| "Masthead".into()))
}

//! Site settings: one table (`site_settings!` below) gives each setting its key, its default,
//! what it does (shown by `masthead settings`) and how its stored text is read; from it come the
//! typed `SiteSettings` and the `SETTINGS` descriptors. `LiveSettings` keeps a server's copy,
//! read once per change.
//!
//! Settings are stored as text by key. A stored value that does not read (a hand-edited
//! database, a value written before it was checked) counts as the default, with a warning
//! logged once per value; reading never fails because of one.

pub mod colour;
mod live;
mod parse;

pub use live::LiveSettings;

use std::collections::BTreeMap;
use std::sync::{Mutex, PoisonError};
use store::{Store, StoreError};

/// One setting as `masthead settings` and the Admin API show it.
pub struct Setting {
    pub key: &'static str,
    /// The text that stands for the setting while none is stored.
    pub default: &'static str,
    /// What the setting does, for `masthead settings list`.
    pub about: &'static str,
    /// Checks a value before it is stored; the error says what would work.
    check: fn(&str) -> Result<(), String>,
}

impl Setting {
    /// Whether `value` may be stored, and if not, why (a sentence naming the setting).
    pub fn check(&self, value: &str) -> Result<(), String> {
        (self.check)(value).map_err(|why| format!("{}: {why}", self.key))
    }
}

/// Declares the settings: `key: Type = "default", parser, "what it does";` per setting, in the
/// order `masthead settings list` shows them. The parser turns the stored text into the type.
macro_rules! site_settings {
    ($($key:ident: $ty:ty = $default:literal, $parse:path, $about:literal;)*) => {
        /// The site's settings, each read and checked: what pages, feeds, mail and the paywall
        /// show and apply.
        #[derive(Clone, Debug, PartialEq)]
        pub struct SiteSettings {
            $(#[doc = $about] pub $key: $ty,)*
        }

        /// Every setting `masthead settings set` accepts, in the order it lists them.
        pub const SETTINGS: &[Setting] = &[$(Setting {
            key: stringify!($key),
            default: $default,
            about: $about,
            check: |value| $parse(value).map(|_: $ty| ()),
        },)*];

        impl SiteSettings {
            /// The settings `stored` gives, each missing or unreadable one at its default.
            pub fn from_stored(stored: &BTreeMap<String, String>) -> SiteSettings {
                SiteSettings {
                    $($key: read(stored, stringify!($key), $default, $parse),)*
                }
            }
        }
    };
}

site_settings! {
    title: String = "Masthead", parse::text,
        "the publication's name";
    description: String = "Independent analysis, interviews and reporting.", parse::text,
        "one sentence about the publication (home page, feeds)";
    language: String = "en", parse::text,
        "language code of the content, e.g. en (pages, feeds, news sitemap)";
    paid_tier_name: String = "Subscriber+", parse::text,
        "the paid tier's name in calls to action";
    meter_members: u32 = "0", parse::count,
        "gated articles a free member may read per 30 days (0 = off)";
    meter_anonymous: u32 = "0", parse::count,
        "gated articles an anonymous reader may read per 30 days (0 = off)";
    free_paragraphs: usize = "2", parse::count,
        "paragraphs of a gated post without a marker that stay free";
    past_due_grace_days: Option<u32> = "", parse::grace_days,
        "days a member whose payment failed keeps paid access while it is retried, 0 to 60 [default: the server's configured number, 7 unless set]";
    logo_url: String = "", parse::text,
        "publisher logo for structured data, OpenGraph and feeds [default: /logo.png]";
    icon: Option<String> = "", parse::optional,
        "the site icon (favicon): a URL of a square PNG or ICO [default: a generated /favicon.ico]";
    default_author: Option<String> = "", parse::optional,
        "slug of the author of posts that name none (Admin API, post files) [default: staff, \"Staff\"]";
    navigation: Option<Vec<domain::NavLink>> = "", parse::navigation,
        "the primary navigation, a JSON list of {\"label\":…,\"url\":…} (/admin/navigation/) [default: the sections in use]";
    robots_extra: String = "", parse::text,
        "extra lines for /robots.txt, e.g. \"User-agent: GPTBot\\nDisallow: /\"";
    timezone: String = "UTC", parse::timezone,
        "the publication's time zone, an IANA name such as Europe/London";
    cover_image: Option<String> = "", parse::address,
        "the site's cover image (home page and sharing), a path or URL";
    accent_color: Option<String> = "", colour::accent,
        "the theme's accent colour, #rrggbb with at least 4.5:1 contrast with white [default: the theme's]";
    secondary_navigation: Option<Vec<domain::NavLink>> = "", parse::navigation,
        "the footer's links, a JSON list of {\"label\":…,\"url\":…}";
    facebook: Option<String> = "", parse::social,
        "the Facebook page, a URL or a page name";
    twitter: Option<String> = "", parse::social,
        "the X (Twitter) account, a URL or @handle";
    linkedin: Option<String> = "", parse::social,
        "the page on Linkedin, a URL";
    bluesky: Option<String> = "", parse::social,
        "the Bluesky profile, a URL";
    mastodon: Option<String> = "", parse::social,
        "the Mastodon profile, a URL";
    default_content_visibility: String = "public", parse::visibility,
        "who may read a new post until someone chooses: public, members or paid";
    members_signup_access: String = "all", parse::signup_access,
        "who may sign up for free: all, or invite (paid checkout still makes members)";
    gift_quota: u32 = "10", parse::count,
        "gift links a member may make per 30 days";
    codeinjection_head: String = "", parse::text,
        "HTML printed unescaped at the end of every page's <head> (administrators only); the page's Content-Security-Policy lets its inline scripts and styles and its external scripts' hosts run, nothing else";
    codeinjection_foot: String = "", parse::text,
        "HTML printed unescaped at the end of every page's <body> (administrators only), under the same Content-Security-Policy as the header code";
}

impl SiteSettings {
    /// Reads the settings from the store (a server reads them through `LiveSettings`).
    pub async fn load(store: &Store) -> Result<SiteSettings, StoreError> {
        Ok(SiteSettings::from_stored(&store.settings().await?))
    }
}

impl SiteSettings {
    /// How long a past-due subscription keeps its access: the setting, or `configured` days
    /// (the server's `past_due_grace_days`) while it is unset.
    pub fn grace(&self, configured: i64) -> chrono::Duration {
        let days = self.past_due_grace_days.map_or(configured, i64::from);
        chrono::Duration::days(days.max(0))
    }
}

impl Default for SiteSettings {
    fn default() -> SiteSettings {
        SiteSettings::from_stored(&BTreeMap::new())
    }
}

/// The setting called `key`, or why there is none (naming those there are).
pub fn find(key: &str) -> Result<&'static Setting, String> {
    SETTINGS.iter().find(|s| s.key == key).ok_or_else(|| {
        let known: Vec<&str> = SETTINGS.iter().map(|s| s.key).collect();
        format!(
            "there is no setting {key:?}; settings are: {}",
            known.join(", ")
        )
    })
}

/// Each setting with the text that stands for it: the stored value, or the default.
pub fn shown(stored: &BTreeMap<String, String>) -> impl Iterator<Item = (&'static Setting, &str)> {
    SETTINGS.iter().map(|s| {
        let value = stored.get(s.key).map_or(s.default, String::as_str);
        (s, value)
    })
}

/// The setting `key` from `stored`: its value read by `parse`, or its default when none is
/// stored or the stored one does not read (warned about once).
fn read<T: Default>(
    stored: &BTreeMap<String, String>,
    key: &'static str,
    default: &'static str,
    parse: fn(&str) -> Result<T, String>,
) -> T {
    if let Some(value) = stored.get(key) {
        match parse(value) {
            Ok(parsed) => return parsed,
            Err(why) => warn_once(key, value, &why),
        }
    }
    // Every default reads (a test checks), so `T::default()` is never what a site gets.
    parse(default).unwrap_or_default()
}

/// The unreadable stored values already warned about, so a value is reported once per process
/// and not with every reload.
static WARNED: Mutex<Vec<(&str, String)>> = Mutex::new(Vec::new());

fn warn_once(key: &'static str, value: &str, why: &str) {
    let mut warned = WARNED.lock().unwrap_or_else(PoisonError::into_inner);
    if warned.iter().any(|(k, v)| *k == key && v == value) {
        return;
    }
    warned.push((key, value.to_owned()));
    tracing::warn!(
        setting = key,
        error = why,
        "a stored setting does not read; using its default (`masthead settings set` fixes it)"
    );
}

#[cfg(test)]
mod tests;

//! `Slug`: the URL-safe identifier of posts, pages, tags and authors.

use crate::InvalidInput;
use serde::Serialize;
use std::fmt;

/// Longest slug we accept; long enough for any headline, short enough for an index key.
pub const MAX_LEN: usize = 120;

/// Path segments owned by the application itself, so no post or page may take them.
const RESERVED: &[&str] = &[
    "account",
    "admin",
    "assets",
    "author",
    "content",
    "feed",
    "ghost",
    "healthz",
    "members",
    "metrics",
    "page",
    "public",
    "robots.txt",
    "rss",
    "search",
    "signin",
    "signup",
    "sitemap.xml",
    "tag",
    "webhooks",
];

/// A lowercase ASCII slug: letters, digits and single hyphens, never starting or ending with one.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct Slug(String);

impl Slug {
    /// Accepts a slug exactly as given, or explains what is wrong with it.
    pub fn parse(raw: &str) -> Result<Slug, InvalidInput> {
        let valid_chars = raw
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
        if raw.is_empty() || raw.len() > MAX_LEN || !valid_chars {
            return Err(InvalidInput(format!(
                "slug {raw:?} must be 1-{MAX_LEN} characters of a-z, 0-9 and '-'"
            )));
        }
        if raw.starts_with('-') || raw.ends_with('-') || raw.contains("--") {
            return Err(InvalidInput(format!(
                "slug {raw:?} must not start, end or repeat '-'"
            )));
        }
        Ok(Slug(raw.to_owned()))
    }

    /// Makes a slug from any text: transliterated to ASCII, lowercased, punctuation turned to hyphens.
    pub fn from_text(text: &str) -> Slug {
        let ascii = deunicode::deunicode(text).to_ascii_lowercase();
        let mut out = String::with_capacity(ascii.len());
        for c in ascii.chars() {
            if c.is_ascii_alphanumeric() {
                out.push(c);
            } else if !out.is_empty() && !out.ends_with('-') && c != '\'' {
                out.push('-');
            }
        }
        truncate_at_word(&mut out);
        if out.is_empty() {
            out.push_str("untitled");
        }
        Slug(out)
    }

    /// Whether a post or page may use this slug as its whole URL path.
    pub fn is_reserved(&self) -> bool {
        RESERVED.contains(&self.0.as_str()) || self.0.parse::<u64>().is_ok()
    }

    /// The same slug with `-N` appended, for resolving collisions.
    pub fn with_suffix(&self, n: u32) -> Slug {
        let mut base = self.0.clone();
        base.truncate(MAX_LEN - 8);
        Slug(format!("{}-{n}", base.trim_end_matches('-')))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

fn truncate_at_word(slug: &mut String) {
    const TARGET: usize = 80;
    if slug.len() > TARGET {
        let cut = slug[..TARGET].rfind('-').unwrap_or(TARGET);
        slug.truncate(cut);
    }
    while slug.ends_with('-') {
        slug.pop();
    }
}

impl fmt::Display for Slug {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl AsRef<str> for Slug {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_from_titles() {
        let cases = [
            ("Hello, World!", "hello-world"),
            ("  Leading and trailing  ", "leading-and-trailing"),
            (
                "Kyiv's air defence: what's next?",
                "kyivs-air-defence-whats-next",
            ),
            ("Ålesund über Straße", "alesund-uber-strasse"),
            ("Москва и Пекин", "moskva-i-pekin"),
            ("北京", "bei-jing"),
            ("---", "untitled"),
            ("", "untitled"),
            ("C-130  --  landing", "c-130-landing"),
        ];
        for (title, want) in cases {
            assert_eq!(Slug::from_text(title).as_str(), want, "title {title:?}");
        }
    }

    #[test]
    fn long_titles_cut_at_a_word() {
        let title = "word ".repeat(60);
        let slug = Slug::from_text(&title);
        assert!(slug.as_str().len() <= 80);
        assert!(slug.as_str().ends_with("word"));
        assert!(Slug::parse(slug.as_str()).is_ok());
    }

    #[test]
    fn parse_rejects_bad_slugs() {
        for bad in [
            "",
            "Upper",
            "a b",
            "-a",
            "a-",
            "a--b",
            "é",
            "a/b",
            &"x".repeat(121),
        ] {
            assert!(Slug::parse(bad).is_err(), "{bad:?} should be rejected");
        }
        assert!(Slug::parse("deep-dive-2").is_ok());
    }

    #[test]
    fn reserved_and_suffixed() {
        assert!(Slug::parse("tag").unwrap().is_reserved());
        assert!(Slug::parse("2024").unwrap().is_reserved());
        assert!(!Slug::parse("about").unwrap().is_reserved());
        assert_eq!(
            Slug::parse("about").unwrap().with_suffix(2).as_str(),
            "about-2"
        );
    }
}

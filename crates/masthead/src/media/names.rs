//! Where images live and what they are called. Originals are stored at `YYYY/MM/name-<hash>.ext`
//! under `content/images/`, variants at `size/w<width>/…` (original format) and
//! `size/w<width>/format/webp/…` (WebP) followed by the original's path, as Ghost names them.
//! The hash is of the stored bytes, so a name always means the same bytes and may be cached
//! for a year.

use chrono::{DateTime, Datelike, Utc};
use sha2::{Digest, Sha256};

/// The URL path everything under the media store is served at.
pub const URL_PREFIX: &str = "/content/images/";

/// Where new bytes uploaded as `file_name` are stored, in the month of `now`.
pub fn stored_path(file_name: &str, extension: &str, bytes: &[u8], now: DateTime<Utc>) -> String {
    let hash = hex::encode(&Sha256::digest(bytes)[..5]);
    format!(
        "{}/{:02}/{}-{hash}.{extension}",
        now.year(),
        now.month(),
        stem(file_name)
    )
}

/// A safe file stem from the uploaded name: lowercase letters, digits and dashes.
fn stem(file_name: &str) -> String {
    let base = file_name.rsplit(['/', '\\']).next().unwrap_or_default();
    let base = base.rsplit_once('.').map_or(base, |(b, _)| b);
    let slug = domain::Slug::from_text(base);
    let s: String = slug.as_str().chars().take(60).collect();
    match s.trim_end_matches('-') {
        "" | "untitled" => "image".into(),
        s => s.into(),
    }
}

/// The path of the variant of `path` at `width`, in WebP or the original's format.
pub fn variant_path(path: &str, width: u32, webp: bool) -> String {
    let format = if webp { "format/webp/" } else { "" };
    format!("size/w{width}/{format}{path}")
}

/// What a request under `content/images/` asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Wanted<'a> {
    /// The original's path.
    pub original: &'a str,
    /// A variant's width, or `None` for the original.
    pub width: Option<u32>,
    pub webp: bool,
}

/// Reads a request path (`size/w640/format/webp/2026/12/x-ab12.jpg`, or an original's).
pub fn wanted(path: &str) -> Wanted<'_> {
    let mut rest = path;
    let mut width = None;
    if let Some(after) = rest.strip_prefix("size/w")
        && let Some((digits, tail)) = after.split_once('/')
        && let Ok(w) = digits.parse::<u32>()
    {
        width = Some(w);
        rest = tail;
    }
    let mut webp = false;
    if width.is_some()
        && let Some(tail) = rest.strip_prefix("format/webp/")
    {
        webp = true;
        rest = tail;
    }
    Wanted {
        original: rest,
        width,
        webp,
    }
}

/// The stored original's path a URL of this site names (an original's or a variant's URL,
/// absolute or root-relative), or `None` for anything else.
pub fn original_of(url: &str) -> Option<&str> {
    let (_, after) = url.split_once(URL_PREFIX)?;
    let after = after.split(['?', '#']).next().unwrap_or_default();
    Some(wanted(after).original).filter(|p| !p.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn names_carry_the_month_a_safe_stem_and_a_content_hash() {
        let now = Utc.with_ymd_and_hms(2026, 3, 5, 0, 0, 0).unwrap();
        let a = stored_path("../Évian Summit (final).JPG", "jpg", b"one", now);
        let b = stored_path("../Évian Summit (final).JPG", "jpg", b"two", now);
        assert!(a.starts_with("2026/03/evian-summit-final-"), "{a}");
        assert_eq!(a.rsplit_once('.').map(|(_, ext)| ext), Some("jpg"));
        assert_ne!(a, b, "other bytes, another name");
        assert!(stored_path("....png", "png", b"x", now).starts_with("2026/03/image-"));
    }

    #[test]
    fn request_paths_name_the_original_and_the_variant() {
        let w = wanted("size/w640/format/webp/2026/12/x-ab.jpg");
        assert_eq!(
            (w.original, w.width, w.webp),
            ("2026/12/x-ab.jpg", Some(640), true)
        );
        let w = wanted("size/w960/2026/12/x-ab.jpg");
        assert_eq!(
            (w.original, w.width, w.webp),
            ("2026/12/x-ab.jpg", Some(960), false)
        );
        assert_eq!(wanted("2026/12/x-ab.jpg").width, None);
        assert_eq!(
            variant_path("2026/12/x.png", 320, true),
            "size/w320/format/webp/2026/12/x.png"
        );
        assert_eq!(
            original_of("https://site.example/content/images/size/w320/2026/12/x.png?v=1"),
            Some("2026/12/x.png")
        );
        assert_eq!(original_of("https://elsewhere.example/x.png"), None);
    }
}

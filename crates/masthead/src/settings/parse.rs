//! How stored setting text is read: each parser takes the text and returns the typed value or a
//! sentence saying what would work.

use std::str::FromStr;

/// Any text, as stored (an empty title stays empty).
#[expect(
    clippy::unnecessary_wraps,
    reason = "every parser has the same signature"
)]
pub fn text(value: &str) -> Result<String, String> {
    Ok(value.to_owned())
}

/// Text where blank means "not set" (the built-in choice applies).
#[expect(
    clippy::unnecessary_wraps,
    reason = "every parser has the same signature"
)]
pub fn optional(value: &str) -> Result<Option<String>, String> {
    let value = value.trim();
    Ok((!value.is_empty()).then(|| value.to_owned()))
}

/// A whole number, 0 or more.
pub fn count<T: FromStr>(value: &str) -> Result<T, String> {
    value
        .parse()
        .map_err(|_| format!("{value:?} is not a whole number such as 3 (0 or more)"))
}

/// The primary navigation: a JSON list of `{"label": …, "url": …}` as Ghost stores it; blank
/// means "not set" (the sections in use stand in).
pub fn navigation(value: &str) -> Result<Option<Vec<domain::NavLink>>, String> {
    #[derive(serde::Deserialize)]
    struct Raw {
        label: String,
        url: String,
    }
    if value.trim().is_empty() {
        return Ok(None);
    }
    let raw: Vec<Raw> = serde_json::from_str(value)
        .map_err(|e| format!("not a JSON list of {{\"label\": …, \"url\": …}} ({e})"))?;
    raw.iter()
        .map(|r| domain::NavLink::parse(&r.label, &r.url).map_err(|e| e.0))
        .collect::<Result<Vec<_>, _>>()
        .map(Some)
}

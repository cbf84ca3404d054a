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

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

/// The most days a past-due member may keep paid access.
pub const MAX_GRACE_DAYS: u32 = 60;

/// Days of access after a failed payment, 0 to 60; blank means "not set" (the server's
/// configured number applies).
pub fn grace_days(value: &str) -> Result<Option<u32>, String> {
    let value = value.trim();
    if value.is_empty() {
        return Ok(None);
    }
    match value.parse::<u32>() {
        Ok(days) if days <= MAX_GRACE_DAYS => Ok(Some(days)),
        _ => Err(format!(
            "{value:?} is not a number of days from 0 to {MAX_GRACE_DAYS}"
        )),
    }
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

/// An IANA time zone name such as `Europe/London`, `America/Argentina/Buenos_Aires` or `UTC`.
/// Checked by shape and area (the binary carries no zone database): an area Time Zone Database
/// names, then one or two place names of letters, digits, `_`, `-` and `+`.
pub fn timezone(value: &str) -> Result<String, String> {
    const AREAS: [&str; 11] = [
        "Africa",
        "America",
        "Antarctica",
        "Arctic",
        "Asia",
        "Atlantic",
        "Australia",
        "Europe",
        "Indian",
        "Pacific",
        "Etc",
    ];
    let value = value.trim();
    if value == "UTC" {
        return Ok(value.to_owned());
    }
    let mut parts = value.split('/');
    let area = parts.next().unwrap_or_default();
    let places: Vec<&str> = parts.collect();
    let place_ok = |p: &&str| {
        !p.is_empty()
            && p.chars().next().is_some_and(|c| c.is_ascii_alphanumeric())
            && p.chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '+'))
    };
    if AREAS.contains(&area) && (1..=2).contains(&places.len()) && places.iter().all(place_ok) {
        Ok(value.to_owned())
    } else {
        Err(format!(
            "{value:?} is not a time zone name such as Europe/London, America/New_York or UTC"
        ))
    }
}

/// Who may see a new post before someone chooses: `public`, `members` or `paid`.
pub fn visibility(value: &str) -> Result<String, String> {
    match value.trim() {
        v @ ("public" | "members" | "paid") => Ok(v.to_owned()),
        other => Err(format!("{other:?} is not one of public, members or paid")),
    }
}

/// Who may sign up: `all` (free sign-ups open) or `invite` (only members added by staff or
/// created by a paid checkout).
pub fn signup_access(value: &str) -> Result<String, String> {
    match value.trim() {
        v @ ("all" | "invite") => Ok(v.to_owned()),
        other => Err(format!(
            "{other:?} is not all (anyone may sign up) or invite (invite only)"
        )),
    }
}

/// An image or page address: blank, a site path such as `/content/images/a.png`, or an
/// `http`/`https` URL.
pub fn address(value: &str) -> Result<Option<String>, String> {
    let value = value.trim();
    if value.is_empty() {
        return Ok(None);
    }
    let relative = value.starts_with('/') && !value.starts_with("//");
    let absolute = reqwest::Url::parse(value).is_ok_and(|u| matches!(u.scheme(), "http" | "https"));
    if relative || absolute {
        Ok(Some(value.to_owned()))
    } else {
        Err(format!(
            "{value:?} is not a path such as /content/images/logo.png or a URL such as https://example.com/logo.png"
        ))
    }
}

/// A social account: blank, an `https` URL of the profile, or (as Ghost stores Facebook and X)
/// a handle such as `@masthead`, which `social_url` turns into the profile's URL.
pub fn social(value: &str) -> Result<Option<String>, String> {
    let value = value.trim();
    if value.is_empty() {
        return Ok(None);
    }
    if reqwest::Url::parse(value).is_ok_and(|u| u.scheme() == "https") {
        return Ok(Some(value.to_owned()));
    }
    let handle = value.trim_start_matches('@');
    if !handle.is_empty()
        && handle
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-'))
    {
        return Ok(Some(value.to_owned()));
    }
    Err(format!(
        "{value:?} is not a profile URL such as https://x.com/masthead or a handle such as @masthead"
    ))
}

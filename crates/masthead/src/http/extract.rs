//! Extractors that answer malformed input the way readers expect: a bad path is a 404.

use super::AppError;
use axum::extract::{FromRequestParts, Path};
use axum::http::request::Parts;
use serde::de::DeserializeOwned;

/// Like `Path`, but a segment that does not decode (invalid UTF-8, wrong shape) is "not found"
/// rather than "bad request".
pub struct Segments<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned + Send> FromRequestParts<S> for Segments<T> {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, AppError> {
        match Path::<T>::from_request_parts(parts, state).await {
            Ok(Path(value)) => Ok(Segments(value)),
            Err(_) => Err(AppError::NotFound),
        }
    }
}

/// The value of query parameter `name`, decoded leniently (invalid UTF-8 becomes U+FFFD).
pub fn query_param(query: Option<&str>, name: &str) -> String {
    let query = query.unwrap_or_default();
    form_urlencoded::parse(query.as_bytes())
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.into_owned())
        .unwrap_or_default()
}

/// The page number of a listing's `/page/N/` URL. Page 1 has no such URL; N is digits only,
/// without a leading zero or a sign (so `/page/02/` and `/page/+2/` are not copies of page 2),
/// and small enough that the offset of its first row fits a database's 64-bit integer.
/// Anything else is "not found", never an overflow.
pub fn page_number(raw: &str, per_page: u32) -> Result<u64, AppError> {
    let canonical = raw.bytes().all(|b| b.is_ascii_digit()) && !raw.starts_with('0');
    let n = raw
        .parse::<u64>()
        .ok()
        .filter(|&n| canonical && n >= 2)
        .ok_or(AppError::NotFound)?;
    let offset = (n - 1).checked_mul(u64::from(per_page));
    match offset.map(i64::try_from) {
        Some(Ok(_)) => Ok(n),
        _ => Err(AppError::NotFound),
    }
}

#[cfg(test)]
mod tests {
    use super::page_number;

    /// Regression (issue 13): `/page/18446744073709551615/` overflowed computing its offset.
    #[test]
    fn page_numbers_out_of_range_are_not_found() {
        let last = i64::MAX as u64 / 12 + 1;
        for ok in ["2", "10", &last.to_string()] {
            assert!(page_number(ok, 12).is_ok(), "{ok}");
        }
        let past = (last + 1).to_string();
        let huge = [
            "18446744073709551615",
            "18446744073709551616",
            "9223372036854775808",
            "9223372036854775807",
            &past,
        ];
        for bad in ["", "0", "1", "02", "+2", "-2", " 2", "2.0", "two", "٢"]
            .into_iter()
            .chain(huge)
        {
            assert!(page_number(bad, 12).is_err(), "{bad:?}");
        }
    }
}

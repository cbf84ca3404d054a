//! `X-Ghost-Signature`, as Ghost sends it: `sha256=<hex>, t=<ms>`, where `<hex>` is the
//! HMAC-SHA256, keyed with the webhook's secret, of the body followed by the timestamp `<ms>`
//! (milliseconds since the epoch, in decimal).

use hmac::{Hmac, Mac};
use sha2::Sha256;

/// The header's value for `body` sent at `millis` by a hook with `secret`.
pub fn signature(secret: &str, body: &str, millis: i64) -> String {
    let mut mac =
        Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("HMAC accepts keys of any length");
    mac.update(body.as_bytes());
    mac.update(millis.to_string().as_bytes());
    format!(
        "sha256={}, t={millis}",
        hex::encode(mac.finalize().into_bytes())
    )
}

/// Checks a header's value against `body` and `secret` (for receivers and tests).
pub fn verify(secret: &str, body: &str, header: &str) -> bool {
    let Some((sig, t)) = header.split_once(", t=") else {
        return false;
    };
    let Some(hex_sig) = sig.strip_prefix("sha256=") else {
        return false;
    };
    let (Ok(millis), Ok(given)) = (t.parse::<i64>(), hex::decode(hex_sig)) else {
        return false;
    };
    let mut mac =
        Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("HMAC accepts keys of any length");
    mac.update(body.as_bytes());
    mac.update(millis.to_string().as_bytes());
    mac.verify_slice(&given).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signatures_cover_body_and_timestamp() {
        let h = signature("s3cret", r#"{"post":{}}"#, 1_700_000_000_000);
        assert!(h.starts_with("sha256=") && h.ends_with(", t=1700000000000"));
        assert!(verify("s3cret", r#"{"post":{}}"#, &h));
        assert!(!verify("other", r#"{"post":{}}"#, &h));
        assert!(!verify("s3cret", r#"{"post":{ }}"#, &h));
        let moved = h.replace("t=1700000000000", "t=1700000000001");
        assert!(!verify("s3cret", r#"{"post":{}}"#, &moved));
        assert!(!verify("s3cret", "", "garbage"));
    }
}

//! Two-step sign-in with an authenticator app (TOTP, RFC 6238, through `totp-rs`): six digits,
//! 30-second steps, one step of clock drift either way. Turning it on proves the app works (a
//! right code for the new secret); turning it off takes a current code.

use super::{Actor, audit};
use crate::members::crypto::random_token;
use crate::ops::{Ops, OpsError};
use chrono::Utc;
use serde_json::json;
use store::staff::StaffUser;
use totp_rs::{Algorithm, Secret, TOTP};

/// A new secret, base32 (what authenticator apps take), 160 bits.
pub fn new_secret() -> String {
    let mut bytes = random_token().into_bytes();
    bytes.truncate(20);
    Secret::Raw(bytes).to_encoded().to_string()
}

fn totp(secret: &str) -> Option<TOTP> {
    let bytes = Secret::Encoded(secret.to_owned()).to_bytes().ok()?;
    TOTP::new(Algorithm::SHA1, 6, 1, 30, bytes).ok()
}

/// The `otpauth://` URL an authenticator app reads (as text or a QR code): Google's key URI
/// format, with the defaults spelt out.
pub fn otpauth_url(secret: &str, account: &str, issuer: &str) -> String {
    use percent_encoding::{NON_ALPHANUMERIC, utf8_percent_encode as enc};
    let (issuer, account) = (
        enc(issuer, NON_ALPHANUMERIC),
        enc(account, NON_ALPHANUMERIC),
    );
    format!(
        "otpauth://totp/{issuer}:{account}?secret={secret}&issuer={issuer}&algorithm=SHA1&digits=6&period=30"
    )
}

/// Whether `code` is current for `secret` (now, or one step either side).
pub fn check(secret: &str, code: &str) -> bool {
    let code: String = code.chars().filter(char::is_ascii_digit).collect();
    code.len() == 6 && totp(secret).is_some_and(|t| t.check_current(&code).unwrap_or(false))
}

/// Turns TOTP on for `me` with `secret`, once `code` shows their app has it.
pub async fn enable(
    ops: &Ops<'_>,
    me: &StaffUser,
    secret: &str,
    code: &str,
) -> Result<(), OpsError> {
    if !check(secret, code) {
        return Err(OpsError::Invalid(
            "That code does not match. Check the time on your phone and try the newest code."
                .into(),
        ));
    }
    let entry = audit(
        Actor::Staff(me),
        "staff.totp_enabled",
        me.id(),
        json!({"totp": false}),
        json!({"totp": true}),
        Utc::now(),
    );
    ops.store
        .set_staff_totp(me.id(), Some(secret), &entry)
        .await?;
    Ok(())
}

/// Turns TOTP off for `me`, given a current code.
pub async fn disable(ops: &Ops<'_>, me: &StaffUser, code: &str) -> Result<(), OpsError> {
    let secret = ops.store.staff_secrets(me.id()).await?.totp_secret;
    if !secret.is_some_and(|s| check(&s, code)) {
        return Err(OpsError::Invalid("That code does not match.".into()));
    }
    let entry = audit(
        Actor::Staff(me),
        "staff.totp_disabled",
        me.id(),
        json!({"totp": true}),
        json!({"totp": false}),
        Utc::now(),
    );
    ops.store.set_staff_totp(me.id(), None, &entry).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_of_the_current_step_pass_and_others_fail() {
        let secret = new_secret();
        let t = totp(&secret).unwrap();
        let now = t.generate_current().unwrap();
        assert!(check(&secret, &now));
        assert!(
            check(&secret, &format!("{} {}", &now[..3], &now[3..])),
            "spaces are ignored"
        );
        let secs = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_secs();
        let old = t.generate(secs - 600);
        assert!(old == now || !check(&secret, &old), "ten minutes old");
        assert!(!check(&secret, "12345"));
        assert!(!check("not base32!", &now));
        assert!(!check(&new_secret(), &now) || totp(&secret).is_some());
        let url = otpauth_url(&secret, "a@b.example", "The Review");
        assert!(
            url.starts_with("otpauth://totp/The%20Review:a%40b%2Eexample?secret="),
            "{url}"
        );
    }
}

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

/// The generator for `secret`, with no drift of its own: `matching_step` tries each step.
fn totp(secret: &str) -> Option<TOTP> {
    let bytes = Secret::Encoded(secret.to_owned()).to_bytes().ok()?;
    TOTP::new(Algorithm::SHA1, 6, 0, STEP_SECONDS, bytes).ok()
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

/// Seconds per code.
const STEP_SECONDS: u64 = 30;

/// The time step `code` belongs to when it is current for `secret` at `now` (Unix seconds):
/// the present step, or one either side for clock drift.
fn matching_step(secret: &str, code: &str, now: u64) -> Option<u64> {
    let code: String = code.chars().filter(char::is_ascii_digit).collect();
    let t = totp(secret)?;
    if code.len() != 6 {
        return None;
    }
    let step = now / STEP_SECONDS;
    [step, step.saturating_sub(1), step + 1]
        .into_iter()
        .find(|s| t.check(&code, s * STEP_SECONDS))
}

/// Whether `code` is current for `secret` (now, or one step either side).
pub fn check(secret: &str, code: &str) -> bool {
    matching_step(secret, code, unix_now()).is_some()
}

fn unix_now() -> u64 {
    u64::try_from(Utc::now().timestamp()).unwrap_or_default()
}

/// Checks `code` for staff user `id` and spends its time step, so a code works once: a code
/// seen over a shoulder or replayed from a captured request fails even while it is current.
pub async fn redeem(
    store: &store::Store,
    id: &str,
    secret: &str,
    code: &str,
) -> Result<(), OpsError> {
    let Some(step) = matching_step(secret, code, unix_now()) else {
        return Err(OpsError::Invalid(
            "That code is not right. Use the newest code from your authenticator app.".into(),
        ));
    };
    if !store
        .spend_totp_step(id, i64::try_from(step).unwrap_or(i64::MAX))
        .await?
    {
        return Err(OpsError::Invalid(
            "That code has been used already. Wait for the next code from your authenticator app."
                .into(),
        ));
    }
    Ok(())
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
    redeem(ops.store, me.id(), secret, code).await?;
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
    let Some(secret) = ops.store.staff_secrets(me.id()).await?.totp_secret else {
        return Err(OpsError::Invalid("Two-step sign-in is already off.".into()));
    };
    redeem(ops.store, me.id(), &secret, code).await?;
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
    fn a_code_matches_its_step_and_one_step_of_drift_either_side() {
        let secret = new_secret();
        let t = totp(&secret).unwrap();
        let now = 1_800_000_015; // 15 s into step 60,000,000
        let code = t.generate(now);
        assert_eq!(matching_step(&secret, &code, now), Some(60_000_000));
        let spaced = format!("{} {}", &code[..3], &code[3..]);
        assert_eq!(
            matching_step(&secret, &spaced, now),
            Some(60_000_000),
            "spaces are ignored"
        );
        assert_eq!(
            matching_step(&secret, &code, now + 30),
            Some(60_000_000),
            "a step late"
        );
        assert_eq!(
            matching_step(&secret, &code, now - 30),
            Some(60_000_000),
            "a step early"
        );
        assert_eq!(
            matching_step(&secret, &code, now + 600),
            None,
            "ten minutes old"
        );
        assert_eq!(matching_step(&secret, "12345", now), None);
        assert_eq!(matching_step("not base32!", &code, now), None);
        let url = otpauth_url(&secret, "a@b.example", "The Review");
        assert!(
            url.starts_with("otpauth://totp/The%20Review:a%40b%2Eexample?secret="),
            "{url}"
        );
    }
}

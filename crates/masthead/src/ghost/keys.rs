//! API key secrets: content keys are 26 hex characters (what `@tryghost/content-api` checks),
//! admin keys `id:secret` with a 24-hex id and a 64-hex secret (what `@tryghost/admin-api`
//! checks). Only hashes of content keys are stored (`ops::keys` stores them).

use chrono::{DateTime, Utc};
use rand::RngCore;
use store::{ApiKey, KeyKind};

fn random_hex(bytes: usize) -> String {
    let mut buf = vec![0u8; bytes];
    rand::rng().fill_bytes(&mut buf);
    hex::encode(buf)
}

/// A key id: 24 hex characters, like Ghost's object ids.
pub fn new_id() -> String {
    random_hex(12)
}

/// A content key: 26 hex characters.
pub fn new_content_key() -> String {
    random_hex(13)
}

/// An admin key's secret: 64 hex characters (32 bytes once decoded).
pub fn new_admin_secret() -> String {
    random_hex(32)
}

/// The first characters of a secret, shown by `masthead key list` to tell keys apart.
pub fn hint(secret: &str) -> String {
    secret.chars().take(6).collect()
}

/// A key just made: what to hand the integration, shown once.
pub struct Created {
    pub key: ApiKey,
    /// The content key, or the admin key as `id:secret`.
    pub secret: String,
}

/// A key needs a name, to tell it apart in `masthead key list`.
#[derive(Debug, thiserror::Error)]
#[error("a key needs a name, e.g. the integration that uses it")]
pub struct Unnamed;

/// A key made but not yet stored: the record and the raw secret (to hash, and for an admin
/// key to keep for verifying its tokens).
pub struct NewKey {
    pub key: ApiKey,
    pub raw_secret: String,
}

impl NewKey {
    /// What to hand the integration: the content key, or the admin key as `id:secret`.
    pub fn created(self) -> Created {
        let secret = match self.key.kind {
            KeyKind::Admin => format!("{}:{}", self.key.id, self.raw_secret),
            KeyKind::Content => self.raw_secret,
        };
        Created {
            key: self.key,
            secret,
        }
    }
}

/// Makes a content key (`admin` false) or an admin key named `name`, created at `now`.
pub fn new_key(name: &str, admin: bool, now: DateTime<Utc>) -> Result<NewKey, Unnamed> {
    let name = name.trim();
    if name.is_empty() {
        return Err(Unnamed);
    }
    let (kind, raw_secret) = if admin {
        (KeyKind::Admin, new_admin_secret())
    } else {
        (KeyKind::Content, new_content_key())
    };
    let key = ApiKey {
        id: new_id(),
        kind,
        name: name.to_owned(),
        hint: hint(&raw_secret),
        created_at: now,
        revoked_at: None,
    };
    Ok(NewKey { key, raw_secret })
}

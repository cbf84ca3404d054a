//! API key secrets: content keys are 26 hex characters (what `@tryghost/content-api` checks),
//! admin keys `id:secret` with a 24-hex id and a 64-hex secret (what `@tryghost/admin-api`
//! checks). Only hashes of content keys are stored.

use crate::members::crypto;
use chrono::{DateTime, Utc};
use rand::RngCore;
use store::{ApiKey, KeyKind, NewKey, Store};

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

/// Creates and stores a content key (`admin` false) or an admin key named `name`.
pub async fn create(
    store: &Store,
    name: &str,
    admin: bool,
    now: DateTime<Utc>,
) -> anyhow::Result<Created> {
    let name = name.trim();
    anyhow::ensure!(
        !name.is_empty(),
        "a key needs a name, e.g. the integration that uses it"
    );
    let (kind, secret) = if admin {
        (KeyKind::Admin, new_admin_secret())
    } else {
        (KeyKind::Content, new_content_key())
    };
    let key = ApiKey {
        id: new_id(),
        kind,
        name: name.to_owned(),
        hint: hint(&secret),
        created_at: now,
        revoked_at: None,
    };
    store
        .create_api_key(&NewKey {
            key: &key,
            secret_hash: &crypto::hash(&secret),
            admin_secret: admin.then_some(secret.as_str()),
        })
        .await?;
    let secret = if admin {
        format!("{}:{secret}", key.id)
    } else {
        secret
    };
    Ok(Created { key, secret })
}

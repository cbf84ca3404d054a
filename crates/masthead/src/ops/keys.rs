//! API keys for the Ghost-compatible APIs: made (the secret shown once) and revoked.

use super::{Ops, OpsError};
use crate::ghost::keys::{self, Created};
use crate::members::crypto;
use chrono::{DateTime, Utc};
use store::NewKey;

/// Makes and stores a content key (`admin` false) or an admin key named `name`.
pub async fn create(
    ops: &Ops<'_>,
    name: &str,
    admin: bool,
    now: DateTime<Utc>,
) -> Result<Created, OpsError> {
    let made = keys::new_key(name, admin, now).map_err(|e| OpsError::Invalid(e.to_string()))?;
    ops.store
        .create_api_key(&NewKey {
            key: &made.key,
            secret_hash: &crypto::hash(&made.raw_secret),
            admin_secret: admin.then_some(made.raw_secret.as_str()),
        })
        .await?;
    Ok(made.created())
}

/// Revokes the active key `id`; requests with it are refused from then on. `NotFound` when no
/// active key has that id.
pub async fn revoke(ops: &Ops<'_>, id: &str, now: DateTime<Utc>) -> Result<(), OpsError> {
    if ops.store.revoke_api_key(id, now).await? {
        Ok(())
    } else {
        Err(OpsError::NotFound("Key"))
    }
}

//! API keys for the Ghost-compatible APIs: made (the secret shown once) and revoked; by the
//! CLI (`create`, `revoke`) or by administrators in the console (`create_for`, `revoke_for`,
//! audited).

use super::staff::{Actor, audit};
use super::{Ops, OpsError};
use crate::ghost::keys::{self, Created};
use crate::members::crypto;
use chrono::{DateTime, Utc};
use domain::Action;
use serde_json::json;
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

/// `create` for a staff user (administrators and the owner), audited as `key.created` (the
/// secret is never in the entry).
pub async fn create_for(
    ops: &Ops<'_>,
    actor: Actor<'_>,
    name: &str,
    admin: bool,
    now: DateTime<Utc>,
) -> Result<Created, OpsError> {
    actor.require(Action::Settings, false)?;
    let made = create(ops, name, admin, now).await?;
    let entry = audit(
        actor,
        "key.created",
        &made.key.id,
        json!(null),
        json!({ "name": made.key.name, "kind": made.key.kind.as_str() }),
        now,
    );
    ops.store.insert_audit_entry(&entry).await?;
    Ok(made)
}

/// `revoke` for a staff user (administrators and the owner), audited as `key.revoked`.
pub async fn revoke_for(
    ops: &Ops<'_>,
    actor: Actor<'_>,
    id: &str,
    now: DateTime<Utc>,
) -> Result<(), OpsError> {
    actor.require(Action::Settings, false)?;
    revoke(ops, id, now).await?;
    let entry = audit(actor, "key.revoked", id, json!(null), json!(null), now);
    Ok(ops.store.insert_audit_entry(&entry).await?)
}

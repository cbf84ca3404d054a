//! Webhooks as integrations register, change and remove them through the Admin API. The
//! handler parses and checks the event and target; here they are stored.

use super::{Ops, OpsError};
use store::Webhook;

/// Registers `hook`.
pub async fn add(ops: &Ops<'_>, hook: &Webhook) -> Result<(), OpsError> {
    ops.store.create_webhook(hook).await?;
    Ok(())
}

/// Saves `hook` over the stored one with its id; `NotFound` when there is none.
pub async fn edit(ops: &Ops<'_>, hook: &Webhook) -> Result<(), OpsError> {
    if ops.store.update_webhook(hook).await? {
        Ok(())
    } else {
        Err(OpsError::NotFound("Webhook"))
    }
}

/// Removes the webhook `id` and its queued deliveries; `NotFound` when there is none.
pub async fn delete(ops: &Ops<'_>, id: &str) -> Result<(), OpsError> {
    if ops.store.delete_webhook(id).await? {
        Ok(())
    } else {
        Err(OpsError::NotFound("Webhook"))
    }
}

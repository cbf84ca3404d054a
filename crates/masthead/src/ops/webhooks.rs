//! Webhooks as integrations (Admin API) and administrators (the console) register, change and
//! remove them, and the console's test send. The caller parses and checks the event and
//! target; here they are stored (the console's writes checked against the actor's role).

use super::staff::Actor;
use super::{Ops, OpsError};
use chrono::{DateTime, SecondsFormat, Utc};
use domain::Action;
use serde_json::json;
use store::Webhook;

/// The event name a test send is delivered as (`X-Masthead-Event`); no real event has it.
pub const TEST_EVENT: &str = "site.test";

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

/// `add` for a staff user (administrators and the owner).
pub async fn add_for(ops: &Ops<'_>, actor: Actor<'_>, hook: &Webhook) -> Result<(), OpsError> {
    actor.require(Action::Settings, false)?;
    add(ops, hook).await
}

/// `edit` for a staff user (administrators and the owner).
pub async fn edit_for(ops: &Ops<'_>, actor: Actor<'_>, hook: &Webhook) -> Result<(), OpsError> {
    actor.require(Action::Settings, false)?;
    edit(ops, hook).await
}

/// `delete` for a staff user (administrators and the owner).
pub async fn delete_for(ops: &Ops<'_>, actor: Actor<'_>, id: &str) -> Result<(), OpsError> {
    actor.require(Action::Settings, false)?;
    delete(ops, id).await
}

/// Queues a `site.test` ping (`{"site_test": {site, webhook_id, sent_at}}`) for the webhook
/// `id` alone, delivered by the deliverer like any event (signed, with its private-address
/// guard and retries), and wakes this process's deliverer.
pub async fn send_test(
    ops: &Ops<'_>,
    actor: Actor<'_>,
    id: &str,
    now: DateTime<Utc>,
) -> Result<(), OpsError> {
    actor.require(Action::Settings, false)?;
    let body = json!({ "site_test": {
        "site": ops.public_url,
        "webhook_id": id,
        "sent_at": now.to_rfc3339_opts(SecondsFormat::Millis, true),
    }});
    if !ops
        .store
        .enqueue_delivery(id, TEST_EVENT, &body.to_string(), now)
        .await?
    {
        return Err(OpsError::NotFound("Webhook"));
    }
    if let Some(hooks) = ops.hooks {
        hooks.wake();
    }
    Ok(())
}

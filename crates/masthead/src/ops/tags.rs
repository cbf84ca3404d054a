//! Tags as staff add, edit and delete them through the Admin API. A slug another tag has is a
//! conflict the caller explains; nothing else follows from a tag write yet (no webhook events).

use super::{Ops, OpsError};
use chrono::Utc;
use domain::Tag;
use store::StoreError;

/// What a clash on a tag's unique slug says.
const TAKEN: &str = "Validation error, cannot save tag. Tag already exists.";

/// Stores a new tag.
pub async fn add(ops: &Ops<'_>, tag: &Tag) -> Result<(), OpsError> {
    taken(ops.store.create_tag(tag, Utc::now()).await)
}

/// Saves `tag` over the stored one with its id.
pub async fn edit(ops: &Ops<'_>, tag: &Tag) -> Result<(), OpsError> {
    taken(ops.store.update_tag(tag, Utc::now()).await.map(|_| ()))
}

/// Deletes the tag `id`; `NotFound` when there is none.
pub async fn delete(ops: &Ops<'_>, id: &str) -> Result<(), OpsError> {
    if ops.store.delete_tag(id, Utc::now()).await? {
        Ok(())
    } else {
        Err(OpsError::NotFound("Tag"))
    }
}

/// A store result, with a clash on the slug as the caller's conflict.
fn taken(result: Result<(), StoreError>) -> Result<(), OpsError> {
    match result {
        Err(StoreError::Conflict(_)) => Err(OpsError::Conflict(TAKEN.into())),
        other => Ok(other?),
    }
}

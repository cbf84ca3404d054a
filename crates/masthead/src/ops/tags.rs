//! Tags as staff add, edit and delete them, in the newsroom (`/admin/tags/`, editors and up)
//! and through the Admin API. A slug another tag has is a conflict the caller explains; every
//! change appends an audit entry (`tag.added`, `tag.edited`, `tag.deleted`) right after the
//! write, with the tag's fields before and after.

use super::staff::{Actor, audit};
use super::{Ops, OpsError};
use chrono::Utc;
use domain::{Action, Tag};
use serde_json::{Value, json};
use store::StoreError;

/// What a clash on a tag's unique slug says.
const TAKEN: &str = "Validation error, cannot save tag. Tag already exists.";

/// Stores a new tag.
pub async fn add(ops: &Ops<'_>, actor: Actor<'_>, tag: &Tag) -> Result<(), OpsError> {
    actor.require(Action::ManageTags, false)?;
    check(tag)?;
    taken(ops.store.create_tag(tag, Utc::now()).await)?;
    record(ops, actor, "tag.added", &tag.id, json!({}), summary(tag)).await
}

/// Saves `tag` over the stored one with its id.
pub async fn edit(ops: &Ops<'_>, actor: Actor<'_>, tag: &Tag) -> Result<(), OpsError> {
    actor.require(Action::ManageTags, false)?;
    check(tag)?;
    let before = ops.store.tag_by_id(&tag.id).await?;
    let found = taken(ops.store.update_tag(tag, Utc::now()).await)?;
    let Some(before) = before.filter(|_| found) else {
        return Err(OpsError::NotFound("Tag"));
    };
    record(
        ops,
        actor,
        "tag.edited",
        &tag.id,
        summary(&before),
        summary(tag),
    )
    .await
}

/// Deletes the tag `id`; `NotFound` when there is none.
pub async fn delete(ops: &Ops<'_>, actor: Actor<'_>, id: &str) -> Result<(), OpsError> {
    actor.require(Action::ManageTags, false)?;
    let before = ops.store.tag_by_id(id).await?;
    match before {
        Some(before) if ops.store.delete_tag(id, Utc::now()).await? => {
            record(ops, actor, "tag.deleted", id, summary(&before), json!({})).await
        }
        _ => Err(OpsError::NotFound("Tag")),
    }
}

/// What every saved tag needs: a name, and a colour (when set) that CSS reads as `#rrggbb`
/// or `#rgb`, since themes print it into a style.
fn check(tag: &Tag) -> Result<(), OpsError> {
    if tag.name.trim().is_empty() {
        return Err(OpsError::Invalid("A tag needs a name.".into()));
    }
    if let Some(colour) = &tag.meta.accent_color {
        let hex = colour.strip_prefix('#').unwrap_or("");
        if !matches!(hex.len(), 3 | 6) || !hex.chars().all(|c| c.is_ascii_hexdigit()) {
            return Err(OpsError::Invalid(format!(
                "The colour {colour:?} is not a hex colour such as #ff1a75."
            )));
        }
    }
    Ok(())
}

/// A tag's fields as its audit entries show them.
fn summary(tag: &Tag) -> Value {
    json!({
        "name": tag.name, "slug": tag.slug.as_str(), "kind": tag.kind.as_str(),
        "description": tag.description, "accent_color": tag.meta.accent_color,
        "feature_image": tag.meta.feature_image, "meta_title": tag.meta.meta_title,
        "meta_description": tag.meta.meta_description,
    })
}

/// Appends the audit entry of a tag write that has happened.
async fn record(
    ops: &Ops<'_>,
    actor: Actor<'_>,
    action: &str,
    id: &str,
    before: Value,
    after: Value,
) -> Result<(), OpsError> {
    let entry = audit(actor, action, id, before, after, Utc::now());
    Ok(ops.store.insert_audit_entry(&entry).await?)
}

/// A store result, with a clash on the slug as the caller's conflict.
fn taken<T>(result: Result<T, StoreError>) -> Result<T, OpsError> {
    match result {
        Err(StoreError::Conflict(_)) => Err(OpsError::Conflict(TAKEN.into())),
        other => Ok(other?),
    }
}

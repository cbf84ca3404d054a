//! The audit entries of the newsroom's post actions: `post.added`, `post.edited`,
//! `post.autosaved`, `post.restored`, `post.published`, `post.scheduled`, `post.unpublished`,
//! `post.deleted` and `post.duplicated`, each on the post's id with a before/after summary.
//! The post writes' store functions own their transactions, so an entry is appended right
//! after the write it records (as for tags and navigation).

use super::PostError;
use crate::ops::Ops;
use crate::ops::staff::{Actor, audit};
use chrono::{DateTime, Utc};
use domain::{Post, RevisionFields};
use serde_json::{Map, Value, json};

/// What an audit entry shows of a post as a whole (an addition, a deletion, a status change).
pub(super) fn summary(post: &Post) -> Value {
    json!({
        "title": post.title,
        "slug": post.slug.as_str(),
        "status": post.status.as_str(),
        "visibility": post.visibility.kind(),
        "published_at": post.published_at.map(|t| t.to_rfc3339()),
    })
}

/// The edited fields that differ from `before` to `after`, as two objects of field → value
/// (the body is not compared here: the revisions keep it).
pub(super) fn changes(before: &Post, after: &Post) -> (Value, Value) {
    let (mut old, mut new) = (Map::new(), Map::new());
    for change in RevisionFields::of(after).changes_from(&RevisionFields::of(before)) {
        old.insert(change.field.to_owned(), Value::String(change.before));
        new.insert(change.field.to_owned(), Value::String(change.after));
    }
    (Value::Object(old), Value::Object(new))
}

/// Appends the entry `action` on `post_id` by `actor`, for a write that has happened.
pub(super) async fn record(
    ops: &Ops<'_>,
    actor: Actor<'_>,
    action: &str,
    post_id: &str,
    (before, after): (Value, Value),
    now: DateTime<Utc>,
) -> Result<(), PostError> {
    let entry = audit(actor, action, post_id, before, after, now);
    Ok(ops.store.insert_audit_entry(&entry).await?)
}

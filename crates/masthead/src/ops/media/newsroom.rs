//! The media library as the newsroom uses it: each use case checked against the staff user's
//! role first. Every role may upload (`Action::UploadMedia`); changing or deleting an item is
//! for the staff member who uploaded it and for editors and above, who may edit anyone's posts.
//! Each change then appends its audit entry (`media.uploaded`, `media.replaced`,
//! `media.alt_changed`, `media.deleted`; the subject is the item's id).

use super::{Library, MediaError, Upload};
use crate::ops::staff::{Actor, audit};
use chrono::{DateTime, Utc};
use domain::Action;
use serde_json::{Value, json};
use store::Media;

impl Library<'_> {
    /// `upload`, with the actor as the uploader.
    pub async fn upload_as(
        &self,
        actor: Actor<'_>,
        upload: Upload<'_>,
        now: DateTime<Utc>,
    ) -> Result<Media, MediaError> {
        require(actor, Action::UploadMedia, true)?;
        let upload = Upload {
            uploaded_by: staff_id(actor),
            ..upload
        };
        let media = self.upload(upload, now).await?;
        self.record(
            actor,
            "media.uploaded",
            &media.id,
            json!({}),
            summary(&media),
            now,
        )
        .await?;
        Ok(media)
    }

    /// `replace`, if the actor may change item `id`.
    pub async fn replace_as(
        &self,
        actor: Actor<'_>,
        id: &str,
        upload: Upload<'_>,
        now: DateTime<Utc>,
    ) -> Result<Media, MediaError> {
        let old = self.require_change(actor, id).await?;
        let upload = Upload {
            uploaded_by: staff_id(actor),
            ..upload
        };
        let media = self.replace(id, upload, now).await?;
        let after =
            json!({"replaced_by": media.id, "file_name": media.file_name, "path": media.path});
        self.record(actor, "media.replaced", id, summary(&old), after, now)
            .await?;
        Ok(media)
    }

    /// `set_alt`, if the actor may change item `id`.
    pub async fn set_alt_as(
        &self,
        actor: Actor<'_>,
        id: &str,
        alt: &str,
    ) -> Result<(), MediaError> {
        let old = self.require_change(actor, id).await?;
        self.set_alt(id, alt).await?;
        let (before, after) = (json!({"alt": old.alt}), json!({"alt": alt.trim()}));
        self.record(actor, "media.alt_changed", id, before, after, Utc::now())
            .await
    }

    /// `delete`, if the actor may change item `id`.
    pub async fn delete_as(&self, actor: Actor<'_>, id: &str) -> Result<(), MediaError> {
        let old = self.require_change(actor, id).await?;
        self.delete(id).await?;
        self.record(
            actor,
            "media.deleted",
            id,
            summary(&old),
            json!({}),
            Utc::now(),
        )
        .await
    }

    /// Whether the actor may change item `id`: their own upload, or any for editors and above.
    pub fn may_change(&self, actor: Actor<'_>, media: &Media) -> bool {
        let own = staff_id(actor).is_some() && media.uploaded_by.as_deref() == staff_id(actor);
        actor.may(Action::UploadMedia, true) && (own || actor.may(Action::EditPublished, false))
    }

    /// Item `id`, if the actor may change it.
    async fn require_change(&self, actor: Actor<'_>, id: &str) -> Result<Media, MediaError> {
        let media = self
            .ops
            .store
            .media_by_id(id)
            .await?
            .ok_or(MediaError::NotFound)?;
        if self.may_change(actor, &media) {
            Ok(media)
        } else {
            Err(MediaError::Forbidden(
                "Only the person who uploaded an image, or an editor, may change or delete it."
                    .into(),
            ))
        }
    }
}

impl Library<'_> {
    /// Appends the audit entry of a media change that has happened.
    async fn record(
        &self,
        actor: Actor<'_>,
        action: &str,
        id: &str,
        before: Value,
        after: Value,
        now: DateTime<Utc>,
    ) -> Result<(), MediaError> {
        let entry = audit(actor, action, id, before, after, now);
        Ok(self.ops.store.insert_audit_entry(&entry).await?)
    }
}

/// An item's fields as its audit entries show them.
fn summary(media: &Media) -> Value {
    json!({"file_name": media.file_name, "path": media.path, "alt": media.alt})
}

fn staff_id(actor: Actor<'_>) -> Option<&str> {
    match actor {
        Actor::Staff(user) => Some(user.id()),
        Actor::Console => None,
    }
}

fn require(actor: Actor<'_>, action: Action, is_own: bool) -> Result<(), MediaError> {
    actor.require(action, is_own).map_err(|e| match e {
        crate::ops::OpsError::Forbidden(message) => MediaError::Forbidden(message),
        other => MediaError::Queue(other),
    })
}

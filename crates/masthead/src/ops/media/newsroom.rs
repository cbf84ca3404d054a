//! The media library as the newsroom uses it: each use case checked against the staff user's
//! role first. Every role may upload (`Action::UploadMedia`); changing or deleting an item is
//! for the staff member who uploaded it and for editors and above, who may edit anyone's posts.

use super::{Library, MediaError, Upload};
use crate::ops::staff::Actor;
use chrono::{DateTime, Utc};
use domain::Action;
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
        self.upload(upload, now).await
    }

    /// `replace`, if the actor may change item `id`.
    pub async fn replace_as(
        &self,
        actor: Actor<'_>,
        id: &str,
        upload: Upload<'_>,
        now: DateTime<Utc>,
    ) -> Result<Media, MediaError> {
        self.require_change(actor, id).await?;
        let upload = Upload {
            uploaded_by: staff_id(actor),
            ..upload
        };
        self.replace(id, upload, now).await
    }

    /// `set_alt`, if the actor may change item `id`.
    pub async fn set_alt_as(
        &self,
        actor: Actor<'_>,
        id: &str,
        alt: &str,
    ) -> Result<(), MediaError> {
        self.require_change(actor, id).await?;
        self.set_alt(id, alt).await
    }

    /// `delete`, if the actor may change item `id`.
    pub async fn delete_as(&self, actor: Actor<'_>, id: &str) -> Result<(), MediaError> {
        self.require_change(actor, id).await?;
        self.delete(id).await
    }

    /// Whether the actor may change item `id`: their own upload, or any for editors and above.
    pub fn may_change(&self, actor: Actor<'_>, media: &Media) -> bool {
        let own = staff_id(actor).is_some() && media.uploaded_by.as_deref() == staff_id(actor);
        actor.may(Action::UploadMedia, true) && (own || actor.may(Action::EditPublished, false))
    }

    async fn require_change(&self, actor: Actor<'_>, id: &str) -> Result<(), MediaError> {
        let media = self
            .ops
            .store
            .media_by_id(id)
            .await?
            .ok_or(MediaError::NotFound)?;
        if self.may_change(actor, &media) {
            Ok(())
        } else {
            Err(MediaError::Forbidden(
                "Only the person who uploaded an image, or an editor, may change or delete it."
                    .into(),
            ))
        }
    }
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

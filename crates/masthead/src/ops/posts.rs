//! Posts and pages as editors change them, from the Admin API or the CLI: save (create, or edit
//! what was read with Ghost's `updated_at` check), publish (now, or scheduled for later),
//! unpublish (back to draft) and delete. Each write queues its webhook events in its own
//! transaction (a transactional outbox; bodies from `emit::post_outgoing`) and wakes the
//! deliverer; each applies the newsletter rule (`newsletter`). The search index and page caches
//! follow the store's change clock, so they need nothing here.

mod audit;
mod newsletter;
pub mod newsroom;
pub mod revisions;

use super::Ops;
use crate::compose::{ComposeError, Composer, Draft};
use crate::webhooks::emit;
use chrono::{DateTime, Utc};
use domain::{Editor, NewsletterRequest, Post, Status};
use store::{PostNewsletter, RevisionSave, RevisionSaved, StatusChange, StoreError};

/// Why a post write did not happen. The first four are the editor's to correct; `Store` is a
/// failure to log and answer opaquely.
#[derive(Debug, thiserror::Error)]
pub enum PostError {
    /// The draft or request is wrong; the message says how (from composing, mostly).
    #[error("{0}")]
    Invalid(String),
    /// The post is not stored (any more).
    #[error("Post not found.")]
    NotFound,
    /// The staff user's role does not allow this (`domain::staff::may`); the message says what.
    #[error("{0}")]
    Forbidden(String),
    /// The post changed since the editor read it (Ghost's update collision).
    #[error("The post changed since it was read; read it again and repeat the edit.")]
    Collision,
    /// The request tries to change a newsletter request that was already sent.
    #[error("This post was already emailed.")]
    AlreadySent,
    /// The editor's copy was based on a revision older than the post's newest: someone else
    /// saved in between (`by`, `at`). Nothing was written; the editor reloads or saves a copy.
    #[error("{} saved a newer version of this post at {at}.", by.as_deref().unwrap_or("Someone"))]
    Stale {
        revision: String,
        by: Option<String>,
        at: DateTime<Utc>,
    },
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<ComposeError> for PostError {
    fn from(err: ComposeError) -> PostError {
        match err {
            ComposeError::Invalid(message) => PostError::Invalid(message),
            ComposeError::Store(err) => PostError::Store(err),
        }
    }
}

/// Composes `draft` into a new post, saves it with its events, and stores `asked` if the post
/// is being published. Its first revision names nobody (a tool saved it).
pub async fn create(
    ops: &Ops<'_>,
    composer: &mut Composer<'_>,
    draft: Draft,
    asked: Option<NewsletterRequest>,
    now: DateTime<Utc>,
) -> Result<Post, PostError> {
    let by = Editor::nobody();
    create_by(ops, composer, draft, asked, &by, now).await
}

/// `create`, with `by` as the editor of its first revision.
pub async fn create_by(
    ops: &Ops<'_>,
    composer: &mut Composer<'_>,
    draft: Draft,
    asked: Option<NewsletterRequest>,
    by: &Editor,
    now: DateTime<Utc>,
) -> Result<Post, PostError> {
    let mut post = composer.compose(draft, now).await?;
    super::media::lead_dimensions(ops, &mut post).await?;
    let save_as = RevisionSave {
        by,
        base: None,
        fold_within: None,
    };
    save(ops, None, &post, save_as, now).await?;
    newsletter::apply(ops, None, &post, None, asked, now).await?;
    Ok(post)
}

/// An edit that passed its checks: the post was not changed since the editor read it, and the
/// newsletter request does not change one already sent. Made by `begin_edit`, before the
/// editor's changes are composed, so a stale edit is refused whatever else it carries.
pub struct Edit<'p> {
    existing: &'p Post,
    stored: Option<PostNewsletter>,
    asked: Option<NewsletterRequest>,
    /// Who edits, and the revision their copy was based on (checked in the save's
    /// transaction; `None` when the edit was checked by `updated_at` instead).
    by: Editor,
    base: Option<String>,
    /// An autosave folds into its editor's newest revision made within this long.
    fold_within: Option<chrono::Duration>,
}

/// How long an editor's autosaves keep folding into one revision.
pub const AUTOSAVE_FOLD_MINUTES: i64 = 10;

impl Edit<'_> {
    /// This edit is an autosave: it replaces its editor's revision of the last
    /// `AUTOSAVE_FOLD_MINUTES` rather than adding one (a manual save always adds one).
    pub fn autosave(self) -> Self {
        Edit {
            fold_within: Some(chrono::Duration::minutes(AUTOSAVE_FOLD_MINUTES)),
            ..self
        }
    }
}

/// Checks an edit of `existing` that started from its `updated_at` `seen` (compared at the
/// millisecond precision responses show), asking for `asked`.
pub async fn begin_edit<'p>(
    ops: &Ops<'_>,
    existing: &'p Post,
    seen: DateTime<Utc>,
    asked: Option<NewsletterRequest>,
) -> Result<Edit<'p>, PostError> {
    if seen.timestamp_millis() != existing.updated_at.timestamp_millis() {
        return Err(PostError::Collision);
    }
    let stored = newsletter::check(ops, &existing.id, asked.as_ref()).await?;
    Ok(Edit {
        existing,
        stored,
        asked,
        by: Editor::nobody(),
        base: None,
        fold_within: None,
    })
}

/// Checks an edit of `existing` by `by` in the newsroom, whose copy was based on revision
/// `base` (`None`: the post had no revision when it was opened). Whether a newer revision
/// exists is decided when the edit is saved, in the same transaction, so two editors cannot
/// both win; the newsletter request is left as stored.
pub async fn begin_revision_edit<'p>(
    ops: &Ops<'_>,
    existing: &'p Post,
    base: Option<String>,
    by: Editor,
) -> Result<Edit<'p>, PostError> {
    let stored = newsletter::check(ops, &existing.id, None).await?;
    Ok(Edit {
        existing,
        stored,
        asked: None,
        by,
        base,
        fold_within: None,
    })
}

/// Composes `draft` (the stored post with the editor's changes) over the post `edit` began
/// from, keeping its id, creation time and, unless the draft names another, its slug; saves it
/// with its events and applies the newsletter rule.
pub async fn edit(
    ops: &Ops<'_>,
    edit: Edit<'_>,
    composer: &mut Composer<'_>,
    draft: Draft,
    now: DateTime<Utc>,
) -> Result<Post, PostError> {
    Ok(save_edit(ops, edit, composer, draft, now).await?.post)
}

/// `edit`, returning the revision the save kept as well.
pub async fn save_edit(
    ops: &Ops<'_>,
    edit: Edit<'_>,
    composer: &mut Composer<'_>,
    mut draft: Draft,
    now: DateTime<Utc>,
) -> Result<EditSaved, PostError> {
    let existing = edit.existing;
    let keep_slug = draft
        .slug
        .as_deref()
        .is_none_or(|s| s == existing.slug.as_str());
    if keep_slug {
        draft.slug = None;
    }
    let mut post = composer.compose(draft, now).await?;
    post.id.clone_from(&existing.id);
    post.created_at = existing.created_at;
    if keep_slug {
        post.slug = existing.slug.clone();
    }
    super::media::lead_dimensions(ops, &mut post).await?;
    let save_as = RevisionSave {
        by: &edit.by,
        base: edit.base.as_deref(),
        fold_within: edit.fold_within,
    };
    let revision = save(ops, Some(existing), &post, save_as, now).await?;
    newsletter::apply(ops, Some(existing), &post, edit.stored, edit.asked, now).await?;
    Ok(EditSaved { post, revision })
}

/// A saved edit: the post as stored and the revision the save kept.
#[derive(Debug, Clone)]
pub struct EditSaved {
    pub post: Post,
    pub revision: domain::Revision,
}

/// Publishes `post` at `at` (a future time schedules it), by default at its own publication
/// time if that has passed, else now; stores `asked` as its newsletter request.
pub async fn publish(
    ops: &Ops<'_>,
    post: &Post,
    at: Option<DateTime<Utc>>,
    asked: Option<NewsletterRequest>,
    now: DateTime<Utc>,
) -> Result<Post, PostError> {
    let at = at.unwrap_or_else(|| post.published_at.filter(|t| *t <= now).unwrap_or(now));
    set_status(ops, post, Status::Published, Some(at), asked, now).await
}

/// Takes `post` off the site: it becomes a draft (keeping its publication time), and an unsent
/// newsletter request is dropped.
pub async fn unpublish(ops: &Ops<'_>, post: &Post, now: DateTime<Utc>) -> Result<Post, PostError> {
    set_status(ops, post, Status::Draft, post.published_at, None, now).await
}

/// Deletes `post` for good, with its events.
pub async fn delete(ops: &Ops<'_>, post: &Post, now: DateTime<Utc>) -> Result<(), PostError> {
    let events = emit::post_outgoing(ops.public_url, Some(post), None, now);
    let queued = ops
        .store
        .delete_post_with_events(&post.id, &events, now)
        .await?
        .ok_or(PostError::NotFound)?;
    wake(ops, queued);
    Ok(())
}

/// Sets `before`'s status and publication time, with its events and the newsletter rule.
async fn set_status(
    ops: &Ops<'_>,
    before: &Post,
    status: Status,
    published_at: Option<DateTime<Utc>>,
    asked: Option<NewsletterRequest>,
    now: DateTime<Utc>,
) -> Result<Post, PostError> {
    let stored = newsletter::check(ops, &before.id, asked.as_ref()).await?;
    let change = StatusChange {
        status,
        published_at,
        updated_at: now,
    };
    let after = Post {
        status,
        published_at,
        updated_at: now,
        ..before.clone()
    };
    let events = emit::post_outgoing(ops.public_url, Some(before), Some(&after), now);
    let queued = ops
        .store
        .set_post_status_with_events(&before.id, &change, &events, now)
        .await?
        .ok_or(PostError::NotFound)?;
    wake(ops, queued);
    newsletter::apply(ops, Some(before), &after, stored, asked, now).await?;
    Ok(after)
}

/// Saves `post` (`before`: the stored post it replaces) with the events the change fires and
/// a revision; a newer revision than the save's base refuses it (`PostError::Stale`).
async fn save(
    ops: &Ops<'_>,
    before: Option<&Post>,
    post: &Post,
    save_as: RevisionSave<'_>,
    now: DateTime<Utc>,
) -> Result<domain::Revision, PostError> {
    let events = emit::post_outgoing(ops.public_url, before, Some(post), now);
    match ops
        .store
        .save_post_revision(post, &events, save_as, now)
        .await?
    {
        RevisionSaved::Saved { revision, queued } => {
            wake(ops, queued);
            Ok(revision)
        }
        RevisionSaved::Conflict(newer) => Err(PostError::Stale {
            revision: newer.id,
            by: newer.by.name,
            at: newer.created_at,
        }),
    }
}

/// Wakes this process's deliverer when a write queued deliveries (a detached caller's wait for
/// a server's deliverer, which looks every second).
fn wake(ops: &Ops<'_>, queued: usize) {
    if queued > 0 {
        tracing::debug!(deliveries = queued, "webhook events queued");
        if let Some(hooks) = ops.hooks {
            hooks.wake();
        }
    }
}

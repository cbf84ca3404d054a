//! Posts and pages as editors change them, from the Admin API or the CLI: save (create, or edit
//! what was read with Ghost's `updated_at` check), publish (now, or scheduled for later),
//! unpublish (back to draft) and delete. Each write queues its webhook events in its own
//! transaction (a transactional outbox; bodies from `emit::post_outgoing`) and wakes the
//! deliverer; each applies the newsletter rule (`newsletter`). The search index and page caches
//! follow the store's change clock, so they need nothing here.

mod newsletter;

use super::Ops;
use crate::compose::{ComposeError, Composer, Draft};
use crate::webhooks::emit;
use chrono::{DateTime, Utc};
use domain::{NewsletterRequest, Post, Status};
use store::{PostNewsletter, StatusChange, StoreError};

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
    /// The post changed since the editor read it (Ghost's update collision).
    #[error("The post changed since it was read; read it again and repeat the edit.")]
    Collision,
    /// The request tries to change a newsletter request that was already sent.
    #[error("This post was already emailed.")]
    AlreadySent,
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
/// is being published.
pub async fn create(
    ops: &Ops<'_>,
    composer: &mut Composer<'_>,
    draft: Draft,
    asked: Option<NewsletterRequest>,
    now: DateTime<Utc>,
) -> Result<Post, PostError> {
    let mut post = composer.compose(draft, now).await?;
    super::media::lead_dimensions(ops, &mut post).await?;
    save(ops, None, &post, now).await?;
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
    })
}

/// Composes `draft` (the stored post with the editor's changes) over the post `edit` began
/// from, keeping its id, creation time and, unless the draft names another, its slug; saves it
/// with its events and applies the newsletter rule.
pub async fn edit(
    ops: &Ops<'_>,
    edit: Edit<'_>,
    composer: &mut Composer<'_>,
    mut draft: Draft,
    now: DateTime<Utc>,
) -> Result<Post, PostError> {
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
    save(ops, Some(existing), &post, now).await?;
    newsletter::apply(ops, Some(existing), &post, edit.stored, edit.asked, now).await?;
    Ok(post)
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

/// Saves `post` (`before`: the stored post it replaces) with the events the change fires.
async fn save(
    ops: &Ops<'_>,
    before: Option<&Post>,
    post: &Post,
    now: DateTime<Utc>,
) -> Result<(), PostError> {
    let events = emit::post_outgoing(ops.public_url, before, Some(post), now);
    let queued = ops
        .store
        .save_posts_with_events(std::slice::from_ref(post), &events, now)
        .await?;
    wake(ops, queued);
    Ok(())
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

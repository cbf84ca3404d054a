//! The newsletter rule of post writes, whoever makes them. As Ghost emails a post only when it
//! is published, a request is stored only when the post is being published (now or scheduled)
//! and has not been sent; a request already sent never changes; an unsent request is dropped
//! when the post goes back to draft, so publishing it later emails only if asked again.

use super::PostError;
use crate::ops::Ops;
use chrono::{DateTime, Utc};
use domain::{NewsletterRequest, Post, Status};
use store::PostNewsletter;

/// Checks, before anything is written, that `asked` does not change a request that was sent
/// already (repeating it is fine). Returns the stored request.
pub(super) async fn check(
    ops: &Ops<'_>,
    post_id: &str,
    asked: Option<&NewsletterRequest>,
) -> Result<Option<PostNewsletter>, PostError> {
    let stored = ops.store.post_newsletter(post_id).await?;
    if let (Some(sent), Some(asked)) = (stored.as_ref().filter(|n| n.sent_at.is_some()), asked)
        && sent.request != *asked
    {
        return Err(PostError::AlreadySent);
    }
    Ok(stored)
}

/// After the post is written (`before`: as it was stored, `stored`: its request then): stores
/// `asked` when the post is being published (it was not live before, and is published or
/// scheduled now); drops an unsent request when the post is back to draft.
pub(super) async fn apply(
    ops: &Ops<'_>,
    before: Option<&Post>,
    after: &Post,
    stored: Option<PostNewsletter>,
    asked: Option<NewsletterRequest>,
    now: DateTime<Utc>,
) -> Result<(), PostError> {
    let sent = stored.as_ref().is_some_and(|n| n.sent_at.is_some());
    if after.status == Status::Draft && stored.is_some() && !sent {
        ops.store.clear_post_newsletter(&after.id).await?;
        return Ok(());
    }
    let publishing = after.status == Status::Published && !before.is_some_and(|b| b.is_live(now));
    // `check` refused a change to a sent request; the store refuses one that raced it.
    if let Some(asked) = asked.filter(|_| publishing && !sent)
        && !ops
            .store
            .set_post_newsletter(&after.id, &asked, now)
            .await?
    {
        return Err(PostError::AlreadySent);
    }
    Ok(())
}

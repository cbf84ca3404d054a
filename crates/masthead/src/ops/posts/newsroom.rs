//! Post writes as a staff user makes them in the newsroom, each checked by
//! `domain::staff::may` (through `Actor`) before anything is written: contributors write
//! their own drafts and cannot publish, authors publish their own posts, editors handle every
//! post. The checks live here, beside the writes, so a page can only offer what ops allows.

use super::{EditSaved, PostError, begin_revision_edit, create_by, save_edit};
use crate::compose::{Composer, Draft};
use crate::ops::Ops;
use crate::ops::staff::Actor;
use chrono::{DateTime, Utc};
use domain::{Action, Editor, Post, Revision, Status};

/// The revisions' name for `actor`.
pub fn editor_of(actor: Actor<'_>) -> Editor {
    match actor {
        Actor::Staff(s) => Editor::named(s.id(), &s.author.name),
        Actor::Console => Editor::nobody(),
    }
}

/// Whether `post` is `actor`'s own (they are one of its authors).
pub fn is_own(actor: Actor<'_>, post: &Post) -> bool {
    match actor {
        Actor::Staff(s) => post.authors.iter().any(|a| a.id == s.id()),
        Actor::Console => true,
    }
}

/// Whether `actor` may do `action` to `post`.
pub fn may(actor: Actor<'_>, action: Action, post: &Post) -> bool {
    actor.may(action, is_own(actor, post))
}

/// What changing `post` needs: a live or scheduled post is more than a draft.
fn edit_action(post: &Post) -> Action {
    if post.status == Status::Draft {
        Action::EditDraft
    } else {
        Action::EditPublished
    }
}

fn check(actor: Actor<'_>, action: Action, post: &Post, what: &str) -> Result<(), PostError> {
    if may(actor, action, post) {
        Ok(())
    } else {
        Err(refusal(actor, what))
    }
}

fn refusal(actor: Actor<'_>, what: &str) -> PostError {
    let role = match actor {
        Actor::Staff(s) => s.role.label(),
        Actor::Console => "The command line",
    };
    PostError::Forbidden(format!("{role}s may not {what}."))
}

/// Starts a new draft by `actor`: always a draft (publishing is its own action), bylined to
/// them when it names nobody; naming only others needs the right to edit others' posts.
pub async fn create(
    ops: &Ops<'_>,
    composer: &mut Composer<'_>,
    actor: Actor<'_>,
    mut draft: Draft,
    now: DateTime<Utc>,
) -> Result<Post, PostError> {
    draft.status = Status::Draft;
    if let Actor::Staff(s) = actor {
        if draft.authors.is_empty() {
            draft.authors.push(s.author.slug.to_string());
        }
        let own = draft.authors.iter().any(|a| a == s.author.slug.as_str());
        if !actor.may(Action::EditDraft, own) {
            return Err(refusal(actor, "write drafts for others"));
        }
    }
    create_by(ops, composer, draft, None, &editor_of(actor), now).await
}

/// Saves `actor`'s edit of `existing`, based on revision `base`, keeping its status.
pub async fn save(
    ops: &Ops<'_>,
    composer: &mut Composer<'_>,
    actor: Actor<'_>,
    existing: &Post,
    base: Option<String>,
    mut draft: Draft,
    now: DateTime<Utc>,
) -> Result<EditSaved, PostError> {
    check(actor, edit_action(existing), existing, "change this post")?;
    draft.status = existing.status;
    let edit = begin_revision_edit(ops, existing, base, editor_of(actor)).await?;
    save_edit(ops, edit, composer, draft, now).await
}

/// `save` as the editor's autosave: it folds into the actor's own recent revision.
pub async fn autosave(
    ops: &Ops<'_>,
    composer: &mut Composer<'_>,
    actor: Actor<'_>,
    existing: &Post,
    base: Option<String>,
    mut draft: Draft,
    now: DateTime<Utc>,
) -> Result<EditSaved, PostError> {
    check(actor, edit_action(existing), existing, "change this post")?;
    draft.status = existing.status;
    let edit = begin_revision_edit(ops, existing, base, editor_of(actor)).await?;
    save_edit(ops, edit.autosave(), composer, draft, now).await
}

/// Restores `revision` of `existing` as a new revision by `actor`.
pub async fn restore(
    ops: &Ops<'_>,
    composer: &mut Composer<'_>,
    actor: Actor<'_>,
    existing: &Post,
    revision: &Revision,
    now: DateTime<Utc>,
) -> Result<EditSaved, PostError> {
    check(actor, edit_action(existing), existing, "change this post")?;
    super::revisions::restore(ops, composer, existing, revision, editor_of(actor), now).await
}

/// Publishes `post` now, or schedules it for `at`.
pub async fn publish(
    ops: &Ops<'_>,
    actor: Actor<'_>,
    post: &Post,
    at: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> Result<Post, PostError> {
    check(actor, Action::Publish, post, "publish")?;
    let at = at.or(Some(now));
    super::publish(ops, post, at, None, now).await
}

/// Takes `post` back to draft.
pub async fn unpublish(
    ops: &Ops<'_>,
    actor: Actor<'_>,
    post: &Post,
    now: DateTime<Utc>,
) -> Result<Post, PostError> {
    check(actor, Action::Publish, post, "unpublish")?;
    super::unpublish(ops, post, now).await
}

/// Deletes `post`: a draft needs the right to change it, a live or scheduled one more.
pub async fn delete(
    ops: &Ops<'_>,
    actor: Actor<'_>,
    post: &Post,
    now: DateTime<Utc>,
) -> Result<(), PostError> {
    let action = if post.status == Status::Draft {
        Action::EditDraft
    } else {
        Action::DeletePublished
    };
    check(actor, action, post, "delete this post")?;
    super::delete(ops, post, now).await
}

/// A new draft with `post`'s content ("Copy of …", a fresh slug), by `actor`. Copying a post
/// one may read is allowed to anyone who may write drafts; the copy is bylined to them.
pub async fn duplicate(
    ops: &Ops<'_>,
    composer: &mut Composer<'_>,
    actor: Actor<'_>,
    post: &Post,
    mut draft: Draft,
    now: DateTime<Utc>,
) -> Result<Post, PostError> {
    draft.title = format!("Copy of {}", post.title);
    draft.slug = None;
    draft.published_at = None;
    if let Actor::Staff(s) = actor
        && !actor.may(Action::EditDraft, false)
    {
        draft.authors = vec![s.author.slug.to_string()];
    }
    create(ops, composer, actor, draft, now).await
}

/// What happened to each post of a bulk action.
#[derive(Debug, Default)]
pub struct BulkOutcome {
    pub done: Vec<String>,
    /// Titles with the reason each was left alone.
    pub refused: Vec<(String, String)>,
}

/// Which bulk action.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bulk {
    Unpublish,
    Delete,
}

/// Unpublishes or deletes `posts`, each checked on its own; one refusal does not stop the
/// rest, and the outcome says which were left alone and why.
pub async fn bulk(
    ops: &Ops<'_>,
    actor: Actor<'_>,
    action: Bulk,
    posts: &[Post],
    now: DateTime<Utc>,
) -> Result<BulkOutcome, PostError> {
    let mut outcome = BulkOutcome::default();
    for post in posts {
        let result = match action {
            Bulk::Unpublish if post.status == Status::Draft => Ok(()),
            Bulk::Unpublish => unpublish(ops, actor, post, now).await.map(|_| ()),
            Bulk::Delete => delete(ops, actor, post, now).await,
        };
        match result {
            Ok(()) => outcome.done.push(post.title.clone()),
            Err(PostError::Store(err)) => return Err(PostError::Store(err)),
            Err(err) => outcome.refused.push((post.title.clone(), err.to_string())),
        }
    }
    Ok(outcome)
}

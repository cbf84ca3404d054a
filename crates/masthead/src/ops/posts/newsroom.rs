//! Post writes as a staff user makes them in the newsroom, each checked by
//! `domain::staff::may` (through `Actor`) before anything is written: contributors write
//! their own drafts and cannot publish, authors publish their own posts, editors handle every
//! post. The checks live here, beside the writes, so a page can only offer what ops allows.
//!
//! Every action that changes a post appends an audit entry (`audit`) naming the actor, with a
//! before/after summary. Autosaves are audited once per fold: the first autosave that starts
//! a revision leaves a `post.autosaved` entry, the autosaves folded into that revision (every
//! few seconds while typing, for up to `AUTOSAVE_FOLD_MINUTES`) leave none. An autosave of a
//! live post changes what readers see, so it cannot go unrecorded; one entry per keystroke
//! burst would drown the log, and the revision keeps the words anyway. Bulk actions leave one
//! entry per post they changed (`post.unpublished`, `post.deleted`).

use super::audit::{changes, record, summary};
use super::{EditSaved, PostError, begin_revision_edit, create_by, save_edit};
use crate::compose::{Composer, Draft};
use crate::ops::Ops;
use crate::ops::staff::Actor;
use chrono::{DateTime, Utc};
use domain::{Action, Editor, Post, Revision, Status};
use serde_json::json;

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
    draft: Draft,
    now: DateTime<Utc>,
) -> Result<Post, PostError> {
    let post = start(ops, composer, actor, draft, now).await?;
    let entry = (json!({}), summary(&post));
    record(ops, actor, "post.added", &post.id, entry, now).await?;
    Ok(post)
}

/// `create` without its audit entry (a duplicate records its own).
async fn start(
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
    let saved = save_edit(ops, edit, composer, draft, now).await?;
    let entry = changes(existing, &saved.post);
    record(ops, actor, "post.edited", &existing.id, entry, now).await?;
    Ok(saved)
}

/// `save` as the editor's autosave: it folds into the actor's own recent revision, and only
/// an autosave that starts a revision is audited (see the module's doc).
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
    let latest = ops.store.latest_revision(&existing.id).await?;
    let saved = save_edit(ops, edit.autosave(), composer, draft, now).await?;
    // A folded autosave keeps the number of the revision it replaced.
    if latest.is_none_or(|l| l.number != saved.revision.number) {
        let entry = changes(existing, &saved.post);
        record(ops, actor, "post.autosaved", &existing.id, entry, now).await?;
    }
    Ok(saved)
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
    let by = editor_of(actor);
    let saved = super::revisions::restore(ops, composer, existing, revision, by, now).await?;
    let (before, mut after) = changes(existing, &saved.post);
    after["revision"] = json!(revision.number);
    record(
        ops,
        actor,
        "post.restored",
        &existing.id,
        (before, after),
        now,
    )
    .await?;
    Ok(saved)
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
    let after = super::publish(ops, post, at, None, now).await?;
    let action = if after.is_live(now) {
        "post.published"
    } else {
        "post.scheduled"
    };
    let entry = (summary(post), summary(&after));
    record(ops, actor, action, &post.id, entry, now).await?;
    Ok(after)
}

/// Takes `post` back to draft.
pub async fn unpublish(
    ops: &Ops<'_>,
    actor: Actor<'_>,
    post: &Post,
    now: DateTime<Utc>,
) -> Result<Post, PostError> {
    check(actor, Action::Publish, post, "unpublish")?;
    let after = super::unpublish(ops, post, now).await?;
    let entry = (summary(post), summary(&after));
    record(ops, actor, "post.unpublished", &post.id, entry, now).await?;
    Ok(after)
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
    super::delete(ops, post, now).await?;
    let entry = (summary(post), json!({}));
    record(ops, actor, "post.deleted", &post.id, entry, now).await
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
    let copy = start(ops, composer, actor, draft, now).await?;
    let entry = (
        json!({"from": post.id, "title": post.title}),
        summary(&copy),
    );
    record(ops, actor, "post.duplicated", &copy.id, entry, now).await?;
    Ok(copy)
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

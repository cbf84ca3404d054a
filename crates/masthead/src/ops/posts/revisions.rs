//! The newsroom's side of posts: revisions compared (a line diff of the Markdown source and
//! the changed fields) and restored (as a new revision, never by rewriting history), editors'
//! presence on a post ("Nadia is editing"), and share links for private previews.

use super::{Edit, EditSaved, PostError, begin_revision_edit, save_edit};
use crate::compose::{Composer, Draft};
use crate::ops::Ops;
use chrono::{DateTime, Duration, Utc};
use domain::{Editor, FieldChange, LeadImage, Post, PostKind, Revision, Status, Visibility};
use similar::{ChangeTag, TextDiff};

/// How long an editor counts as having a post open after their last heartbeat (the editor
/// page sends one every 10 s).
pub const PRESENCE_WINDOW_SECS: i64 = 30;

/// One line of a source diff.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DiffLine {
    Same(String),
    Added(String),
    Removed(String),
}

/// What changed from one revision to another: the edited fields, then the source line by line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RevisionDiff {
    pub fields: Vec<FieldChange>,
    pub lines: Vec<DiffLine>,
}

impl RevisionDiff {
    /// Whether the two revisions are the same.
    pub fn is_empty(&self) -> bool {
        self.fields.is_empty() && self.lines.iter().all(|l| matches!(l, DiffLine::Same(_)))
    }
}

/// The changes from `before` to `after` (any two revisions, of one post or not).
pub fn diff(before: &Revision, after: &Revision) -> RevisionDiff {
    let lines = TextDiff::from_lines(&before.markdown, &after.markdown)
        .iter_all_changes()
        .map(|change| {
            let text = change.value().trim_end_matches('\n').to_owned();
            match change.tag() {
                ChangeTag::Equal => DiffLine::Same(text),
                ChangeTag::Insert => DiffLine::Added(text),
                ChangeTag::Delete => DiffLine::Removed(text),
            }
        })
        .collect();
    RevisionDiff {
        fields: after.fields.changes_from(&before.fields),
        lines,
    }
}

/// A revision of `post`, or `NotFound` if there is none with that id for this post.
pub async fn revision_of(
    ops: &Ops<'_>,
    post: &Post,
    revision_id: &str,
) -> Result<Revision, PostError> {
    ops.store
        .revision(revision_id)
        .await?
        .filter(|r| r.post_id == post.id)
        .ok_or(PostError::NotFound)
}

/// Restores `revision` of `existing`: its source and edited fields are saved as a new
/// revision by `by` (history is kept). The post's status and publication time stay as they
/// are now: restoring words does not publish or unpublish.
pub async fn restore(
    ops: &Ops<'_>,
    composer: &mut Composer<'_>,
    existing: &Post,
    revision: &Revision,
    by: Editor,
    now: DateTime<Utc>,
) -> Result<EditSaved, PostError> {
    let edit: Edit<'_> = begin_revision_edit(ops, existing, None, by).await?;
    let mut draft = draft_of(revision)?;
    draft.status = existing.status;
    draft.published_at = existing.published_at;
    save_edit(ops, edit, composer, draft, now).await
}

/// The draft a revision describes, to compose again.
fn draft_of(revision: &Revision) -> Result<Draft, PostError> {
    let f = &revision.fields;
    let invalid = |e: domain::InvalidInput| PostError::Invalid(e.0);
    let visibility = match f.visibility.as_str() {
        "tiers" => Visibility::tiers(&f.tiers).map_err(invalid)?,
        other => Visibility::parse(other).map_err(invalid)?,
    };
    let image = f.image_url.as_ref().map(|url| LeadImage {
        url: url.clone(),
        width: None,
        height: None,
        alt: f.image_alt.clone(),
        caption: f.image_caption.clone(),
        credit: f.image_credit.clone(),
    });
    Ok(Draft {
        kind: PostKind::parse(&f.kind).map_err(invalid)?,
        title: f.title.clone(),
        slug: Some(f.slug.clone()),
        dek: f.dek.clone(),
        section: f.section.clone(),
        tags: f.tags.clone(),
        authors: f.authors.clone(),
        markdown: revision.markdown.clone(),
        image,
        visibility,
        status: Status::parse(&f.status).map_err(invalid)?,
        published_at: f.published_at,
        featured: f.featured,
        meta_title: f.meta_title.clone(),
        meta_description: f.meta_description.clone(),
        canonical_url: f.canonical_url.clone(),
        social: f.social.clone(),
    })
}

/// Records that `editor` has `post_id` open now and returns the other editors who had it open
/// in the last `PRESENCE_WINDOW_SECS`, by name. The editor must have an id and a name.
pub async fn present(
    ops: &Ops<'_>,
    post_id: &str,
    editor: &Editor,
    now: DateTime<Utc>,
) -> Result<Vec<String>, PostError> {
    let (Some(id), Some(name)) = (editor.id.as_deref(), editor.name.as_deref()) else {
        return Err(PostError::Invalid(
            "Presence needs a signed-in editor.".into(),
        ));
    };
    let since = now - Duration::seconds(PRESENCE_WINDOW_SECS);
    if !ops.store.heartbeat(post_id, id, name, now, since).await? {
        return Err(PostError::NotFound);
    }
    let others = ops.store.present_editors(post_id, id, since).await?;
    Ok(others.into_iter().map(|p| p.name).collect())
}

/// The post's private share link id (`/p/{id}/`), made on first use. Whoever opens the link
/// sees the post through the access gate as themselves.
pub async fn share_link(ops: &Ops<'_>, post_id: &str) -> Result<String, PostError> {
    let fresh = uuid::Uuid::new_v4().to_string();
    ops.store
        .ensure_preview_id(post_id, &fresh)
        .await?
        .ok_or(PostError::NotFound)
}

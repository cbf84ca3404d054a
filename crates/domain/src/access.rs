//! The access gate: the only way from a `Post` to anything a reader sees.
//!
//! `decide` says how much of a post a viewer may read; `project` builds the `PostView` that every
//! output surface (pages, feeds, APIs, snippets, emails, meta tags) consumes. A `PostView` can only
//! be built here, and a non-`Full` view never carries any of the gated part.

use crate::{Author, LeadImage, Post, PostKind, Slug, Status, Tag, Visibility};
use chrono::{DateTime, Utc};
use serde::Serialize;

/// Who is asking. Members and staff arrive with the members issue; until then every reader of
/// the public site is `Anonymous`, which is the safe default.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Viewer {
    Anonymous,
    Member(MemberAccess),
    Staff,
}

/// What a signed-in member is entitled to.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct MemberAccess {
    /// True while the member holds any paid (or comped) tier in good standing.
    pub paid: bool,
    /// Slugs of the tiers the member holds.
    pub tiers: Vec<Slug>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Access {
    /// The whole body.
    Full,
    /// The free part and a call to action.
    Preview,
    /// Nothing at all (the post is not live for this viewer).
    Denied,
}

/// How much of a post with this visibility and status `viewer` may read at `now`.
pub fn decide(post: &Post, viewer: &Viewer, now: DateTime<Utc>) -> Access {
    if *viewer == Viewer::Staff {
        return Access::Full;
    }
    if !post.is_live(now) {
        return Access::Denied;
    }
    if entitled(&post.visibility, viewer) {
        Access::Full
    } else {
        Access::Preview
    }
}

fn entitled(visibility: &Visibility, viewer: &Viewer) -> bool {
    match (visibility, viewer) {
        (Visibility::Public, _) | (_, Viewer::Staff) => true,
        (_, Viewer::Anonymous) => false,
        (Visibility::Members, Viewer::Member(_)) => true,
        (Visibility::Paid, Viewer::Member(m)) => m.paid,
        (Visibility::Tiers(tiers), Viewer::Member(m)) => {
            m.paid && m.tiers.iter().any(|t| tiers.contains(t))
        }
    }
}

/// The part of a post one viewer may see. Built only by `project`.
#[derive(Debug, Clone, Serialize)]
pub struct PostView {
    pub id: String,
    pub kind: PostKind,
    pub slug: Slug,
    pub title: String,
    pub dek: String,
    pub tags: Vec<Tag>,
    pub authors: Vec<Author>,
    pub image: Option<LeadImage>,
    pub status: Status,
    pub published_at: Option<DateTime<Utc>>,
    pub updated_at: DateTime<Utc>,
    pub visibility: Visibility,
    pub featured: bool,
    pub meta_title: Option<String>,
    pub meta_description: Option<String>,
    pub canonical_url: Option<String>,
    pub access: Access,
    /// True when the post has a gated part that this view leaves out.
    pub gated_withheld: bool,
    /// Sanitized HTML of everything this viewer may read.
    pub html: String,
    /// Plain text of everything this viewer may read, paragraphs separated by blank lines.
    pub text: String,
    #[serde(skip)]
    _sealed: (),
}

/// Builds what `viewer` may see of `post` at `now`.
pub fn project(post: &Post, viewer: &Viewer, now: DateTime<Utc>) -> PostView {
    let access = decide(post, viewer, now);
    let free = post.body.free();
    let (html, text) = match (access, post.body.gated()) {
        (Access::Full, Some(gated)) => (
            join(&free.html, &gated.html, "\n"),
            join(&free.text, &gated.text, "\n\n"),
        ),
        (Access::Full | Access::Preview, _) => (free.html.clone(), free.text.clone()),
        (Access::Denied, _) => (String::new(), String::new()),
    };
    PostView {
        id: post.id.clone(),
        kind: post.kind,
        slug: post.slug.clone(),
        title: post.title.clone(),
        dek: post.dek.clone(),
        tags: post.tags.clone(),
        authors: post.authors.clone(),
        image: post.image.clone(),
        status: post.status,
        published_at: post.published_at,
        updated_at: post.updated_at,
        visibility: post.visibility.clone(),
        featured: post.featured,
        meta_title: post.meta_title.clone(),
        meta_description: post.meta_description.clone(),
        canonical_url: post.canonical_url.clone(),
        access,
        gated_withheld: access != Access::Full && post.body.has_gated_part(),
        html,
        text,
        _sealed: (),
    }
}

fn join(a: &str, b: &str, sep: &str) -> String {
    if a.trim().is_empty() {
        return b.to_owned();
    }
    format!("{a}{sep}{b}")
}

impl PostView {
    pub fn section(&self) -> Option<&Tag> {
        self.tags.first()
    }

    /// Up to `max_chars` of the visible text, cut at a word boundary, with an ellipsis when cut.
    pub fn excerpt(&self, max_chars: usize) -> String {
        let flat = self.text.split_whitespace().collect::<Vec<_>>().join(" ");
        if flat.chars().count() <= max_chars {
            return flat;
        }
        let cut: String = flat.chars().take(max_chars).collect();
        let at = cut.rfind(' ').unwrap_or(cut.len());
        format!("{}…", cut[..at].trim_end_matches([',', ';', ':', '.']))
    }

    /// The visible text's paragraphs, in order.
    pub fn paragraphs(&self) -> impl Iterator<Item = &str> {
        self.text
            .split("\n\n")
            .map(str::trim)
            .filter(|p| !p.is_empty())
    }

    /// Minutes to read the visible text at 230 words a minute, at least one.
    pub fn reading_minutes(&self) -> u32 {
        let words = self.text.split_whitespace().count() as u32;
        words.div_ceil(230).max(1)
    }

    /// The description for meta tags: the editor's, else the dek, else an excerpt of visible text.
    pub fn description(&self) -> String {
        match (&self.meta_description, self.dek.trim()) {
            (Some(d), _) if !d.trim().is_empty() => d.clone(),
            (_, dek) if !dek.is_empty() => dek.to_owned(),
            _ => self.excerpt(160),
        }
    }
}

#[cfg(test)]
mod tests;

//! The access gate: the only way from a `Post` to anything a reader sees.
//!
//! `decide` says how much of a post a viewer may read; `project` builds the `PostView` that every
//! output surface (pages, feeds, APIs, snippets, emails, meta tags) consumes. A `PostView` can only
//! be built here, and a non-`Full` view never carries any of the gated part. `audience` holds the
//! same rule for search: who may match a post's gated text.

use crate::billing::{self, Subscription};
use crate::member::FREE_TIER;
use crate::{Author, LeadImage, Post, PostKind, Slug, Status, Tag, Visibility};
use chrono::{DateTime, Duration, Utc};
use serde::Serialize;

mod audience;
pub use audience::{Audience, Entitlement, GatedText, audiences, gated_text_for_search};

/// Who is asking, and what else may unlock a post for them (a meter, a gift link).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Viewer {
    pub who: Who,
    pub meter: Meter,
    /// The id of the post a valid gift link in this request unlocks.
    pub gift_for: Option<String>,
    /// The id of a post this viewer previews (a share link, the newsroom's preview): it counts
    /// as live for them whatever its status; how much they read is decided as for a live post.
    pub preview_of: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Who {
    Anonymous,
    Member(MemberAccess),
    Staff,
}

/// What a signed-in member is entitled to, as computed from their subscription.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct MemberAccess {
    /// True while the member holds a paid (or comped) tier in good standing.
    pub paid: bool,
    /// Slugs of the tiers the member is entitled to now.
    pub tiers: Vec<Slug>,
}

impl MemberAccess {
    /// What a member holding `subscription` (or none: a free member) may read at `now`. Active,
    /// trialing, comped (until its end) and past-due (within `grace`) subscriptions entitle.
    pub fn from_subscription(
        subscription: Option<&Subscription>,
        now: DateTime<Utc>,
        grace: Duration,
    ) -> MemberAccess {
        match subscription {
            Some(s) if s.tier.as_str() != FREE_TIER && billing::entitles(s, now, grace) => {
                MemberAccess {
                    paid: true,
                    tiers: vec![s.tier.clone()],
                }
            }
            _ => MemberAccess::default(),
        }
    }
}

/// The metered allowance for this viewer and this post.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Meter {
    /// No meter for this viewer.
    Off,
    /// This many gated articles may still be opened in the current 30 days.
    Remaining(u32),
    /// This article was already counted in the current 30 days; reading it again is free.
    Counted,
}

impl Viewer {
    pub fn anonymous() -> Viewer {
        Viewer {
            who: Who::Anonymous,
            meter: Meter::Off,
            gift_for: None,
            preview_of: None,
        }
    }

    pub fn member(access: MemberAccess) -> Viewer {
        Viewer {
            who: Who::Member(access),
            meter: Meter::Off,
            gift_for: None,
            preview_of: None,
        }
    }

    pub fn staff() -> Viewer {
        Viewer {
            who: Who::Staff,
            meter: Meter::Off,
            gift_for: None,
            preview_of: None,
        }
    }

    pub fn with_meter(self, meter: Meter) -> Viewer {
        Viewer { meter, ..self }
    }

    /// This viewer looking at a preview of `post_id` (draft, scheduled or published).
    pub fn with_preview(self, post_id: &str) -> Viewer {
        Viewer {
            preview_of: Some(post_id.to_owned()),
            ..self
        }
    }

    pub fn with_gift(self, post_id: &str) -> Viewer {
        Viewer {
            gift_for: Some(post_id.to_owned()),
            ..self
        }
    }

    /// The coarse class a cached page may vary on: never the reader's identity.
    pub fn access_class(&self) -> &'static str {
        match &self.who {
            Who::Anonymous => "anonymous",
            Who::Member(m) if m.paid => "paid",
            Who::Member(_) => "free",
            Who::Staff => "staff",
        }
    }
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

/// Why a viewer who is not entitled to a post may still read it in full.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Unlock {
    Gift,
    Meter,
}

/// How much of a post `viewer` may read at `now`, and what unlocked it when not entitled.
pub fn decide(post: &Post, viewer: &Viewer, now: DateTime<Utc>) -> (Access, Option<Unlock>) {
    if viewer.who == Who::Staff {
        return (Access::Full, None);
    }
    if !post.is_live(now) && viewer.preview_of.as_deref() != Some(post.id.as_str()) {
        return (Access::Denied, None);
    }
    if entitled(&post.visibility, &viewer.who) {
        return (Access::Full, None);
    }
    if viewer.gift_for.as_deref() == Some(post.id.as_str()) {
        return (Access::Full, Some(Unlock::Gift));
    }
    match viewer.meter {
        Meter::Counted | Meter::Remaining(1..) => (Access::Full, Some(Unlock::Meter)),
        Meter::Off | Meter::Remaining(0) => (Access::Preview, None),
    }
}

fn entitled(visibility: &Visibility, who: &Who) -> bool {
    match (visibility, who) {
        (Visibility::Public, _) | (_, Who::Staff) | (Visibility::Members, Who::Member(_)) => true,
        (_, Who::Anonymous) => false,
        (Visibility::Paid, Who::Member(m)) => m.paid,
        (Visibility::Tiers(tiers), Who::Member(m)) => {
            m.paid && m.tiers.iter().any(|t| tiers.contains(t))
        }
    }
}

/// The part of a post one viewer may see. Built only by `project`: `non_exhaustive` stops
/// other crates from writing one by hand.
#[derive(Debug, Clone, Serialize)]
#[non_exhaustive]
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
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub visibility: Visibility,
    pub featured: bool,
    pub meta_title: Option<String>,
    pub meta_description: Option<String>,
    pub canonical_url: Option<String>,
    pub social: crate::post::Social,
    pub access: Access,
    /// Set when a gift link or the meter, not an entitlement, gave full access.
    pub unlocked_by: Option<Unlock>,
    /// True when the post has a gated part that this view leaves out.
    pub gated_withheld: bool,
    /// Sanitized HTML of everything this viewer may read.
    pub html: String,
    /// Plain text of everything this viewer may read, paragraphs separated by blank lines.
    pub text: String,
}

/// Builds what `viewer` may see of `post` at `now`.
pub fn project(post: &Post, viewer: &Viewer, now: DateTime<Utc>) -> PostView {
    let (access, unlocked_by) = decide(post, viewer, now);
    let free = post.body.free();
    let (html, text) = match (access, post.body.gated()) {
        // The gated section is marked so search engines can tell it from the free part.
        (Access::Full, Some(gated)) => (
            format!(
                "{}\n<div class=\"gated\">\n{}</div>\n",
                free.html, gated.html
            ),
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
        created_at: post.created_at,
        updated_at: post.updated_at,
        visibility: post.visibility.clone(),
        featured: post.featured,
        meta_title: post.meta_title.clone(),
        meta_description: post.meta_description.clone(),
        canonical_url: post.canonical_url.clone(),
        social: post.social.clone(),
        access,
        unlocked_by,
        gated_withheld: access != Access::Full && post.body.has_gated_part(),
        html,
        text,
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
        let words = u32::try_from(self.text.split_whitespace().count()).unwrap_or(u32::MAX);
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

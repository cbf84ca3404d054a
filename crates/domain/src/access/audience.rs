//! Search entitlement: which readers a post's gated text is for (its audiences), which of those
//! audiences a viewer belongs to, and the one way gated text reaches the search index.
//!
//! Search must never be an oracle for gated text: a query may match a post's gated part only for
//! viewers entitled to read that post in full. The index keeps the gated part apart and labels it
//! with `audiences`; a query carries the viewer's `Entitlement`. Both are derived here, beside
//! `decide`, so that searching and reading follow one rule (the tests check they agree).

use super::{MemberAccess, Viewer, Who};
use crate::{Post, Visibility};
use std::fmt;

/// One group of readers, as a keyword the search index can hold: `public`, `members`, `paid`
/// or `tier:<slug>`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Audience(String);

impl Audience {
    fn public() -> Audience {
        Audience("public".into())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The audiences entitled to read a post of `visibility` in full: a reader in any one of them is.
pub fn audiences(visibility: &Visibility) -> Vec<Audience> {
    match visibility {
        Visibility::Public => vec![Audience::public()],
        Visibility::Members => vec![Audience("members".into())],
        Visibility::Paid => vec![Audience("paid".into())],
        Visibility::Tiers(tiers) => tiers.iter().map(tier).collect(),
    }
}

fn tier(slug: &crate::Slug) -> Audience {
    Audience(format!("tier:{}", slug.as_str()))
}

/// Whose gated text a viewer may search.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Entitlement {
    /// Every post's (staff).
    Everything,
    /// The gated text of posts with one of these audiences (always including `public`).
    Audiences(Vec<Audience>),
}

impl Entitlement {
    /// What `viewer` may search: the gated text of posts they are entitled to read in full.
    /// A meter allowance or a gift link opens one post for reading, never the archive for
    /// searching, so neither counts here.
    pub fn of(viewer: &Viewer) -> Entitlement {
        match &viewer.who {
            Who::Staff => Entitlement::Everything,
            Who::Anonymous => Entitlement::Audiences(vec![Audience::public()]),
            Who::Member(m) => Entitlement::Audiences(member(m)),
        }
    }

    /// Whether a post with these `audiences` may be searched in full.
    pub fn admits(&self, audiences: &[Audience]) -> bool {
        match self {
            Entitlement::Everything => true,
            Entitlement::Audiences(mine) => audiences.iter().any(|a| mine.contains(a)),
        }
    }
}

/// A member reads public and members posts; paid posts and their tiers' posts only while paid
/// (as in `decide`: tiers without a paid standing unlock nothing).
fn member(m: &MemberAccess) -> Vec<Audience> {
    let mut out = vec![Audience::public(), Audience("members".into())];
    if m.paid {
        out.push(Audience("paid".into()));
        out.extend(m.tiers.iter().map(tier));
    }
    out
}

/// A post's gated text on its way into the search index, with the audiences entitled to it.
/// `Debug` shows its length only, so the text cannot reach a log by accident.
#[derive(Clone, PartialEq, Eq)]
pub struct GatedText {
    pub text: String,
    pub audiences: Vec<Audience>,
}

impl fmt::Debug for GatedText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("GatedText")
            .field("chars", &self.text.chars().count())
            .field("audiences", &self.audiences)
            .finish()
    }
}

/// The search index only: the plain text of `post`'s gated part (if it has one) and who may
/// search it. The index puts it in indexed, never stored, fields and matches it only for viewers
/// whose `Entitlement` admits these audiences; no output surface may call this.
pub fn gated_text_for_search(post: &Post) -> Option<GatedText> {
    let gated = post.body.gated()?;
    Some(GatedText {
        text: gated.text.clone(),
        audiences: audiences(&post.visibility),
    })
}

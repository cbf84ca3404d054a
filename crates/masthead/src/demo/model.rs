//! Plain data describing generated demo content, before it is saved.
use chrono::{DateTime, Utc};

/// A tag: either a section (`section: true`, one per post) or a topic.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoTag {
    pub name: String,
    pub slug: String,
    pub description: String,
    pub section: bool,
}

/// A fictional contributor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoAuthor {
    pub name: String,
    pub slug: String,
    pub bio: String,
    pub credentials: String,
    pub website: Option<String>,
}

/// Describes a lead image; the picture itself comes from
/// `demo::picture::lead_image_jpeg(seed, ..)`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoImage {
    pub seed: u64,
    pub alt: String,
    pub caption: String,
    pub credit: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DemoKind {
    Post,
    Page,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoPost {
    pub kind: DemoKind,
    pub title: String,
    /// `None` = derive from title.
    pub slug: Option<String>,
    pub dek: String,
    /// A section tag slug (`None` for pages).
    pub section: Option<String>,
    /// Topic tag slugs, in order (not including the section).
    pub tags: Vec<String>,
    /// Author slugs, in order.
    pub authors: Vec<String>,
    /// Body; gated posts contain a line exactly `<!--members-only-->`.
    pub markdown: String,
    /// `"public"` | `"members"` | `"paid"`.
    pub visibility: &'static str,
    pub featured: bool,
    pub published_at: DateTime<Utc>,
    pub image: Option<DemoImage>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoSite {
    pub title: String,
    pub description: String,
    pub tags: Vec<DemoTag>,
    pub authors: Vec<DemoAuthor>,
    pub posts: Vec<DemoPost>,
}

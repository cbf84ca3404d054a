//! Revisions: what one save of a post left behind (its Markdown source and edited fields, who
//! saved it and when), so editors can list, compare and restore, and so a save based on an
//! older revision is refused rather than silently overwriting a colleague's.

use crate::{Post, Social, TagKind};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// Who saved a revision. Staff accounts are not part of the domain yet, so the id is any
/// staff or author id text; a save by a tool (the Admin API, a post file) names nobody.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Editor {
    pub id: Option<String>,
    pub name: Option<String>,
}

impl Editor {
    /// A save nobody in particular made (a tool, the CLI).
    pub fn nobody() -> Editor {
        Editor::default()
    }

    pub fn named(id: &str, name: &str) -> Editor {
        Editor {
            id: Some(id.to_owned()),
            name: Some(name.to_owned()),
        }
    }
}

/// The fields an editor edits beside the body, as one save left them. Tags and authors are
/// kept by slug, visibility by its storage name and tier slugs: enough to compare and to
/// compose the post again.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RevisionFields {
    pub kind: String,
    pub title: String,
    pub slug: String,
    pub dek: String,
    pub section: Option<String>,
    pub tags: Vec<String>,
    pub authors: Vec<String>,
    pub image_url: Option<String>,
    pub image_alt: String,
    pub image_caption: String,
    pub image_credit: String,
    pub visibility: String,
    pub tiers: Vec<String>,
    pub status: String,
    pub published_at: Option<DateTime<Utc>>,
    pub featured: bool,
    pub meta_title: Option<String>,
    pub meta_description: Option<String>,
    pub canonical_url: Option<String>,
    /// Absent from revisions saved before social overrides existed.
    #[serde(default)]
    pub social: Social,
}

/// One field whose value differs between two revisions, both values shown as text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldChange {
    pub field: &'static str,
    pub before: String,
    pub after: String,
}

impl RevisionFields {
    /// The edited fields of `post` as stored.
    pub fn of(post: &Post) -> RevisionFields {
        let (section, topics) = match post.tags.split_first() {
            Some((first, rest)) if first.kind == TagKind::Section => {
                (Some(first.slug.to_string()), rest)
            }
            _ => (None, post.tags.as_slice()),
        };
        let image = post.image.as_ref();
        RevisionFields {
            kind: post.kind.as_str().to_owned(),
            title: post.title.clone(),
            slug: post.slug.to_string(),
            dek: post.dek.clone(),
            section,
            tags: topics.iter().map(|t| t.slug.to_string()).collect(),
            authors: post.authors.iter().map(|a| a.slug.to_string()).collect(),
            image_url: image.map(|i| i.url.clone()),
            image_alt: image.map(|i| i.alt.clone()).unwrap_or_default(),
            image_caption: image.map(|i| i.caption.clone()).unwrap_or_default(),
            image_credit: image.map(|i| i.credit.clone()).unwrap_or_default(),
            visibility: post.visibility.kind().to_owned(),
            tiers: post
                .visibility
                .tier_slugs()
                .iter()
                .map(ToString::to_string)
                .collect(),
            status: post.status.as_str().to_owned(),
            published_at: post.published_at,
            featured: post.featured,
            meta_title: post.meta_title.clone(),
            meta_description: post.meta_description.clone(),
            canonical_url: post.canonical_url.clone(),
            social: post.social.clone(),
        }
    }

    /// The fields that differ from `before` to `self`, in the editor's order.
    pub fn changes_from(&self, before: &RevisionFields) -> Vec<FieldChange> {
        let pairs = [
            ("title", text(&before.title), text(&self.title)),
            ("slug", text(&before.slug), text(&self.slug)),
            ("dek", text(&before.dek), text(&self.dek)),
            (
                "section",
                opt(before.section.as_deref()),
                opt(self.section.as_deref()),
            ),
            ("tags", before.tags.join(", "), self.tags.join(", ")),
            (
                "authors",
                before.authors.join(", "),
                self.authors.join(", "),
            ),
            (
                "image",
                opt(before.image_url.as_deref()),
                opt(self.image_url.as_deref()),
            ),
            ("image alt", text(&before.image_alt), text(&self.image_alt)),
            (
                "caption",
                text(&before.image_caption),
                text(&self.image_caption),
            ),
            (
                "credit",
                text(&before.image_credit),
                text(&self.image_credit),
            ),
            (
                "visibility",
                before.visibility_text(),
                self.visibility_text(),
            ),
            ("status", text(&before.status), text(&self.status)),
            (
                "publish date",
                date(before.published_at),
                date(self.published_at),
            ),
            (
                "featured",
                before.featured.to_string(),
                self.featured.to_string(),
            ),
            (
                "meta title",
                opt(before.meta_title.as_deref()),
                opt(self.meta_title.as_deref()),
            ),
            (
                "meta description",
                opt(before.meta_description.as_deref()),
                opt(self.meta_description.as_deref()),
            ),
            (
                "canonical URL",
                opt(before.canonical_url.as_deref()),
                opt(self.canonical_url.as_deref()),
            ),
            ("social cards", social(&before.social), social(&self.social)),
        ];
        pairs
            .into_iter()
            .filter(|(_, b, a)| b != a)
            .map(|(field, before, after)| FieldChange {
                field,
                before,
                after,
            })
            .collect()
    }

    fn visibility_text(&self) -> String {
        if self.tiers.is_empty() {
            self.visibility.clone()
        } else {
            format!("{}: {}", self.visibility, self.tiers.join(", "))
        }
    }
}

fn text(s: &str) -> String {
    s.to_owned()
}

fn opt(s: Option<&str>) -> String {
    s.unwrap_or_default().to_owned()
}

/// The social overrides that are set, one `name: value` per line.
fn social(s: &Social) -> String {
    [
        ("og title", &s.og_title),
        ("og description", &s.og_description),
        ("og image", &s.og_image),
        ("twitter title", &s.twitter_title),
        ("twitter description", &s.twitter_description),
        ("twitter image", &s.twitter_image),
    ]
    .into_iter()
    .filter_map(|(name, v)| v.as_ref().map(|v| format!("{name}: {v}")))
    .collect::<Vec<_>>()
    .join("\n")
}

fn date(d: Option<DateTime<Utc>>) -> String {
    d.map(|d| d.to_rfc3339()).unwrap_or_default()
}

/// One stored revision of a post.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Revision {
    pub id: String,
    pub post_id: String,
    /// 1 for a post's first revision, then one more for each save.
    pub number: i64,
    /// The whole Markdown source, free and gated parts with the marker between them: a
    /// revision is the newsroom's copy, never an output surface for readers.
    pub markdown: String,
    pub fields: RevisionFields,
    pub by: Editor,
    pub created_at: DateTime<Utc>,
}

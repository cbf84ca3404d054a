//! Tags (sections and topics) and authors: the ways posts are grouped and credited.

use crate::{InvalidInput, Slug};
use serde::Serialize;

/// A section is the primary grouping shown as a post's kicker; a topic is any other tag.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum TagKind {
    Section,
    Topic,
}

impl TagKind {
    pub fn as_str(self) -> &'static str {
        match self {
            TagKind::Section => "section",
            TagKind::Topic => "topic",
        }
    }

    pub fn parse(raw: &str) -> Result<TagKind, InvalidInput> {
        match raw {
            "section" => Ok(TagKind::Section),
            "topic" => Ok(TagKind::Topic),
            other => Err(InvalidInput(format!(
                "tag kind {other:?} must be section or topic"
            ))),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Tag {
    pub id: String,
    pub slug: Slug,
    pub name: String,
    pub description: String,
    pub kind: TagKind,
    /// What the newsroom sets beyond the name: colour, image, and the tag page's head.
    pub meta: TagMeta,
}

/// A tag's optional presentation: each `None` when an editor left it blank.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct TagMeta {
    /// A CSS colour such as `#ff1a75`, shown as Ghost's `accent_color`.
    pub accent_color: Option<String>,
    pub feature_image: Option<String>,
    /// The tag page's `<title>` instead of the name.
    pub meta_title: Option<String>,
    /// The tag page's meta description instead of the description.
    pub meta_description: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Author {
    pub id: String,
    pub slug: Slug,
    pub name: String,
    pub bio: String,
    /// One line under the byline, e.g. "Former Chief of Station".
    pub credentials: String,
    pub avatar: Option<String>,
    pub website: Option<String>,
}

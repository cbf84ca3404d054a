//! Posts and pages: the metadata every surface may show, plus a `Body` it may not touch directly.

use crate::{Author, Body, InvalidInput, Slug, Tag, Visibility};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum PostKind {
    Post,
    Page,
}

impl PostKind {
    pub fn as_str(self) -> &'static str {
        match self {
            PostKind::Post => "post",
            PostKind::Page => "page",
        }
    }

    pub fn parse(raw: &str) -> Result<PostKind, InvalidInput> {
        match raw {
            "post" => Ok(PostKind::Post),
            "page" => Ok(PostKind::Page),
            other => Err(InvalidInput(format!("kind {other:?} must be post or page"))),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Draft,
    Scheduled,
    Published,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Draft => "draft",
            Status::Scheduled => "scheduled",
            Status::Published => "published",
        }
    }

    pub fn parse(raw: &str) -> Result<Status, InvalidInput> {
        match raw.trim() {
            "draft" => Ok(Status::Draft),
            "scheduled" => Ok(Status::Scheduled),
            "published" => Ok(Status::Published),
            other => Err(InvalidInput(format!(
                "status {other:?} must be draft, scheduled or published"
            ))),
        }
    }
}

/// The lead photo; caption and credit are separate so themes can style them apart.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LeadImage {
    pub url: String,
    pub width: Option<u32>,
    pub height: Option<u32>,
    pub alt: String,
    pub caption: String,
    pub credit: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Post {
    pub id: String,
    pub kind: PostKind,
    pub slug: Slug,
    pub title: String,
    pub dek: String,
    /// Ordered; the first tag is the primary tag, shown as the kicker (the section).
    pub tags: Vec<Tag>,
    /// Ordered; the first author is the primary byline.
    pub authors: Vec<Author>,
    pub body: Body,
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
    /// What OpenGraph and Twitter cards say instead of the title, description and lead image.
    pub social: Social,
}

/// A post's social-card overrides, each `None` when the editor left it blank (the card then
/// uses the post's meta title or title, its description, and its lead image).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Social {
    pub og_title: Option<String>,
    pub og_description: Option<String>,
    pub og_image: Option<String>,
    pub twitter_title: Option<String>,
    pub twitter_description: Option<String>,
    pub twitter_image: Option<String>,
}

/// The public facts of a live post that site indexes (sitemaps) list: its address, title,
/// dates and lead image. It has no body at all, so there is nothing in it to gate; the store
/// builds it only for published posts whose time has come.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PostStub {
    pub kind: PostKind,
    pub slug: Slug,
    pub title: String,
    pub image: Option<LeadImage>,
    pub published_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub canonical_url: Option<String>,
}

impl Post {
    /// The primary tag, shown as the kicker.
    pub fn section(&self) -> Option<&Tag> {
        self.tags.first()
    }

    /// Whether readers can reach this post at `now`.
    pub fn is_live(&self, now: DateTime<Utc>) -> bool {
        self.status == Status::Published && self.published_at.is_none_or(|at| at <= now)
    }

    /// Checks the rules every saved post must satisfy.
    pub fn validate(&self) -> Result<(), InvalidInput> {
        if self.title.trim().is_empty() {
            return Err(InvalidInput("title must not be empty".into()));
        }
        if self.slug.is_reserved() {
            return Err(InvalidInput(format!(
                "slug {:?} is reserved for the site itself",
                self.slug.as_str()
            )));
        }
        if self.status != Status::Draft && self.published_at.is_none() {
            return Err(InvalidInput(format!(
                "a {} post needs published_at",
                self.status.as_str()
            )));
        }
        Ok(())
    }
}

//! Row types as the database returns them, and their conversion into `domain` types.

use crate::StoreError;
use crate::time::from_micros;
use domain::{
    Author, Body, BodyPart, LeadImage, Post, PostKind, Slug, Social, Status, Tag, TagKind, TagMeta,
    Visibility,
};

/// The columns of `posts`, in the order `POST_COLUMNS` selects them.
pub const POST_COLUMNS: &str = "p.id, p.kind, p.slug, p.title, p.dek, p.markdown, p.free_html, \
    p.free_text, p.gated_html, p.gated_text, p.image_url, p.image_width, p.image_height, \
    p.image_alt, p.image_caption, p.image_credit, p.status, p.visibility, p.visibility_tiers, \
    p.featured, p.meta_title, p.meta_description, p.canonical_url, p.published_at, p.created_at, \
    p.updated_at, p.og_title, p.og_description, p.og_image, p.twitter_title, \
    p.twitter_description, p.twitter_image";

#[derive(sqlx::FromRow)]
pub struct PostRow {
    pub id: String,
    pub kind: String,
    pub slug: String,
    pub title: String,
    pub dek: String,
    pub markdown: String,
    pub free_html: String,
    pub free_text: String,
    pub gated_html: Option<String>,
    pub gated_text: Option<String>,
    pub image_url: Option<String>,
    pub image_width: Option<i64>,
    pub image_height: Option<i64>,
    pub image_alt: String,
    pub image_caption: String,
    pub image_credit: String,
    pub status: String,
    pub visibility: String,
    pub visibility_tiers: String,
    pub featured: bool,
    pub meta_title: Option<String>,
    pub meta_description: Option<String>,
    pub canonical_url: Option<String>,
    pub published_at: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
    pub og_title: Option<String>,
    pub og_description: Option<String>,
    pub og_image: Option<String>,
    pub twitter_title: Option<String>,
    pub twitter_description: Option<String>,
    pub twitter_image: Option<String>,
}

pub const TAG_COLUMNS: &str = "t.id, t.slug, t.name, t.description, t.kind, t.accent_color, \
    t.feature_image, t.meta_title, t.meta_description";

#[derive(sqlx::FromRow)]
pub struct TagRow {
    pub id: String,
    pub slug: String,
    pub name: String,
    pub description: String,
    pub kind: String,
    pub accent_color: Option<String>,
    pub feature_image: Option<String>,
    pub meta_title: Option<String>,
    pub meta_description: Option<String>,
}

pub const AUTHOR_COLUMNS: &str = "a.id, a.slug, a.name, a.bio, a.credentials, a.avatar, a.website";

#[derive(sqlx::FromRow)]
pub struct AuthorRow {
    pub id: String,
    pub slug: String,
    pub name: String,
    pub bio: String,
    pub credentials: String,
    pub avatar: Option<String>,
    pub website: Option<String>,
}

/// A tag or author row tagged with the post it belongs to, for hydrating lists.
#[derive(sqlx::FromRow)]
pub struct Linked<T> {
    pub post_id: String,
    #[sqlx(flatten)]
    pub row: T,
}

impl TryFrom<TagRow> for Tag {
    type Error = StoreError;
    fn try_from(r: TagRow) -> Result<Tag, StoreError> {
        Ok(Tag {
            id: r.id,
            slug: Slug::parse(&r.slug)?,
            name: r.name,
            description: r.description,
            kind: TagKind::parse(&r.kind)?,
            meta: TagMeta {
                accent_color: r.accent_color,
                feature_image: r.feature_image,
                meta_title: r.meta_title,
                meta_description: r.meta_description,
            },
        })
    }
}

impl TryFrom<AuthorRow> for Author {
    type Error = StoreError;
    fn try_from(r: AuthorRow) -> Result<Author, StoreError> {
        Ok(Author {
            id: r.id,
            slug: Slug::parse(&r.slug)?,
            name: r.name,
            bio: r.bio,
            credentials: r.credentials,
            avatar: r.avatar,
            website: r.website,
        })
    }
}

impl PostRow {
    pub fn into_post(self, tags: Vec<Tag>, authors: Vec<Author>) -> Result<Post, StoreError> {
        let tiers: Vec<String> = serde_json::from_str(&self.visibility_tiers).map_err(|e| {
            StoreError::Corrupt(format!("visibility_tiers of post {}: {e}", self.id))
        })?;
        let tiers = tiers
            .iter()
            .map(|t| Slug::parse(t))
            .collect::<Result<Vec<_>, _>>()?;
        let gated = match (self.gated_html, self.gated_text) {
            (Some(html), Some(text)) => Some(BodyPart { html, text }),
            _ => None,
        };
        let image = self.image_url.map(|url| LeadImage {
            url,
            width: self.image_width.and_then(|w| u32::try_from(w).ok()),
            height: self.image_height.and_then(|h| u32::try_from(h).ok()),
            alt: self.image_alt,
            caption: self.image_caption,
            credit: self.image_credit,
        });
        Ok(Post {
            id: self.id,
            kind: PostKind::parse(&self.kind)?,
            slug: Slug::parse(&self.slug)?,
            title: self.title,
            dek: self.dek,
            tags,
            authors,
            body: Body::new(
                self.markdown,
                BodyPart {
                    html: self.free_html,
                    text: self.free_text,
                },
                gated,
            ),
            image,
            status: Status::parse(&self.status)?,
            published_at: self.published_at.map(from_micros),
            created_at: from_micros(self.created_at),
            updated_at: from_micros(self.updated_at),
            visibility: Visibility::from_parts(&self.visibility, tiers)?,
            featured: self.featured,
            meta_title: self.meta_title,
            meta_description: self.meta_description,
            canonical_url: self.canonical_url,
            social: Social {
                og_title: self.og_title,
                og_description: self.og_description,
                og_image: self.og_image,
                twitter_title: self.twitter_title,
                twitter_description: self.twitter_description,
                twitter_image: self.twitter_image,
            },
        })
    }
}

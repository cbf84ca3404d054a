//! Turning an editor's draft (from a file, the demo, the seeder or the Admin API) into a `Post`
//! ready to save: slugs made unique, sections/tags/authors resolved or created (a post naming no
//! author gets the site's default author), Markdown rendered and split.

use crate::settings::SiteSettings;
use chrono::{DateTime, Utc};
use domain::{
    Author, InvalidInput, LeadImage, Post, PostKind, Slug, Status, Tag, TagKind, Visibility,
};
use std::collections::{HashMap, HashSet};
use store::{Store, StoreError};

/// Why a draft could not become a post.
#[derive(Debug, thiserror::Error)]
pub enum ComposeError {
    /// The author's mistake (an empty tag name, a slug in use, a scheduled post without a
    /// future date); the message says what to correct.
    #[error("{0}")]
    Invalid(String),
    /// The store could not be read: not the author's to fix.
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<InvalidInput> for ComposeError {
    fn from(err: InvalidInput) -> ComposeError {
        ComposeError::Invalid(err.0)
    }
}

type Result<T, E = ComposeError> = std::result::Result<T, E>;

/// What an editor supplies for one post or page.
#[derive(Debug, Clone)]
pub struct Draft {
    pub kind: PostKind,
    pub title: String,
    pub slug: Option<String>,
    pub dek: String,
    /// Section by slug or name; becomes the primary tag.
    pub section: Option<String>,
    /// Topic tags by slug or name, in order.
    pub tags: Vec<String>,
    /// Authors by slug or name, in order.
    pub authors: Vec<String>,
    pub markdown: String,
    pub image: Option<LeadImage>,
    pub visibility: Visibility,
    pub status: Status,
    pub published_at: Option<DateTime<Utc>>,
    pub featured: bool,
    pub meta_title: Option<String>,
    pub meta_description: Option<String>,
    pub canonical_url: Option<String>,
    pub social: domain::Social,
}

impl Draft {
    pub fn new(kind: PostKind, title: &str, markdown: &str) -> Draft {
        Draft {
            kind,
            title: title.to_owned(),
            slug: None,
            dek: String::new(),
            section: None,
            tags: vec![],
            authors: vec![],
            markdown: markdown.to_owned(),
            image: None,
            visibility: Visibility::Public,
            status: Status::Published,
            published_at: None,
            featured: false,
            meta_title: None,
            meta_description: None,
            canonical_url: None,
            social: domain::Social::default(),
        }
    }
}

/// The author of posts that name none, when no `default_author` setting names another: "Staff",
/// created with the first such post (a migration gave it to older posts without an author).
pub const STAFF_SLUG: &str = "staff";

/// Resolves names to stored tags and authors (creating new ones in memory) and keeps slugs unique
/// across a batch. Reuse one composer for a whole batch so lookups are cached.
pub struct Composer<'s> {
    store: &'s Store,
    /// The site settings (`free_paragraphs`, `default_author`), read once per batch.
    settings: Option<SiteSettings>,
    tags: HashMap<String, Tag>,
    authors: HashMap<String, Author>,
    /// The default author, found once per batch.
    default_author: Option<Author>,
    slugs: HashSet<String>,
}

impl<'s> Composer<'s> {
    pub fn new(store: &'s Store) -> Composer<'s> {
        Composer {
            store,
            settings: None,
            tags: HashMap::new(),
            authors: HashMap::new(),
            default_author: None,
            slugs: HashSet::new(),
        }
    }

    /// Makes a post from `draft`; `now` fills `published_at` for posts published without a date.
    pub async fn compose(&mut self, draft: Draft, now: DateTime<Utc>) -> Result<Post> {
        let slug = self.unique_slug(&draft).await?;
        let mut tags = Vec::new();
        if let Some(section) = &draft.section {
            tags.push(self.tag(section, TagKind::Section).await?);
        }
        for name in &draft.tags {
            let tag = self.tag(name, TagKind::Topic).await?;
            if !tags.iter().any(|t: &Tag| t.id == tag.id) {
                tags.push(tag);
            }
        }
        let mut authors = Vec::new();
        for name in &draft.authors {
            let author = self.author(name).await?;
            if !authors.iter().any(|a: &Author| a.id == author.id) {
                authors.push(author);
            }
        }
        // Every post has a byline, as in Ghost (where it is the site's owner).
        if authors.is_empty() {
            authors.push(self.default_author().await?);
        }
        let published_at = match (draft.status, draft.published_at) {
            (Status::Published, None) => Some(now),
            (_, at) => at,
        };
        if draft.status == Status::Scheduled && published_at.is_none_or(|at| at <= now) {
            return Err(ComposeError::Invalid(
                "a scheduled post needs a published_at in the future".into(),
            ));
        }
        let free_blocks = if draft.visibility.is_public() {
            None
        } else {
            Some(self.free_paragraphs().await?)
        };
        let post = Post {
            id: new_id(),
            kind: draft.kind,
            slug,
            title: draft.title.trim().to_owned(),
            dek: draft.dek.trim().to_owned(),
            tags,
            authors,
            body: render::markdown::compose_body(&draft.markdown, free_blocks),
            image: draft.image,
            status: draft.status,
            published_at,
            created_at: now,
            updated_at: now,
            visibility: draft.visibility,
            featured: draft.featured,
            meta_title: draft.meta_title,
            meta_description: draft.meta_description,
            canonical_url: draft.canonical_url,
            social: draft.social,
        };
        post.validate()?;
        self.slugs.insert(post.slug.as_str().to_owned());
        Ok(post)
    }

    /// How many top-level blocks of a gated post without a marker stay free (default 2).
    async fn free_paragraphs(&mut self) -> Result<usize> {
        Ok(self.settings().await?.free_paragraphs)
    }

    /// The site settings, read with the first post of the batch that needs them.
    async fn settings(&mut self) -> Result<&SiteSettings> {
        if self.settings.is_none() {
            self.settings = Some(SiteSettings::load(self.store).await?);
        }
        Ok(self.settings.get_or_insert_default())
    }

    /// The author of a post that names none: the one the `default_author` setting names (by
    /// slug), else the site's owner, else "Staff" (`STAFF_SLUG`), created with the post when it
    /// does not exist yet.
    async fn default_author(&mut self) -> Result<Author> {
        if let Some(author) = &self.default_author {
            return Ok(author.clone());
        }
        let chosen = self.settings().await?.default_author.clone();
        let mut author = None;
        if let Some(slug) = chosen.as_deref() {
            author = self.store.author_by_slug(slug).await?;
            if author.is_none() {
                tracing::warn!(
                    default_author = slug,
                    "the default_author setting names no author; using the owner or Staff"
                );
            }
        }
        // As in Ghost, the owner writes what nobody signed, once the site has one.
        if author.is_none() {
            author = self.store.staff_owner().await?.map(|owner| owner.author);
        }
        let author = match author {
            Some(author) => author,
            None => self.author(STAFF_SLUG).await?,
        };
        self.default_author = Some(author.clone());
        Ok(author)
    }

    async fn unique_slug(&mut self, draft: &Draft) -> Result<Slug> {
        if let Some(given) = &draft.slug {
            let slug = Slug::parse(given.trim())?;
            if self.taken(&slug).await? {
                return Err(ComposeError::Invalid(format!(
                    "slug {slug:?} is already used by another post or page; choose another `slug:`"
                )));
            }
            return Ok(slug);
        }
        let base = Slug::from_text(&draft.title);
        let mut slug = base.clone();
        let mut n = 2;
        while slug.is_reserved() || self.taken(&slug).await? {
            slug = base.with_suffix(n);
            n += 1;
        }
        Ok(slug)
    }

    async fn taken(&self, slug: &Slug) -> Result<bool> {
        Ok(self.slugs.contains(slug.as_str()) || self.store.slug_taken(slug.as_str()).await?)
    }

    async fn tag(&mut self, name_or_slug: &str, kind: TagKind) -> Result<Tag> {
        let (slug, name) = slug_and_name(name_or_slug)?;
        if let Some(tag) = self.tags.get(slug.as_str()) {
            return Ok(tag.clone());
        }
        let tag = match self.store.find_tag(slug.as_str(), &name).await? {
            Some(tag) => tag,
            None => Tag {
                id: new_id(),
                slug: slug.clone(),
                name,
                description: String::new(),
                kind,
                meta: domain::TagMeta::default(),
            },
        };
        self.tags.insert(slug.as_str().to_owned(), tag.clone());
        Ok(tag)
    }

    async fn author(&mut self, name_or_slug: &str) -> Result<Author> {
        let (slug, name) = slug_and_name(name_or_slug)?;
        if let Some(author) = self.authors.get(slug.as_str()) {
            return Ok(author.clone());
        }
        let author = match self.store.find_author(slug.as_str(), &name).await? {
            Some(author) => author,
            None => Author {
                id: new_id(),
                slug: slug.clone(),
                name,
                bio: String::new(),
                credentials: String::new(),
                avatar: None,
                website: None,
            },
        };
        self.authors
            .insert(slug.as_str().to_owned(), author.clone());
        Ok(author)
    }

    /// Registers a fully described tag (e.g. from the demo) so later drafts link to it.
    pub fn known_tag(&mut self, tag: Tag) {
        self.tags.insert(tag.slug.as_str().to_owned(), tag);
    }

    /// Registers a fully described author so later drafts link to it.
    pub fn known_author(&mut self, author: Author) {
        self.authors.insert(author.slug.as_str().to_owned(), author);
    }
}

/// Accepts either a slug (`middle-east`) or a display name (`Middle East`).
fn slug_and_name(input: &str) -> Result<(Slug, String), InvalidInput> {
    let input = input.trim();
    if input.is_empty() {
        return Err(InvalidInput(
            "tag and author names must not be empty".into(),
        ));
    }
    Ok(match Slug::parse(input) {
        Ok(slug) => (slug, humanize(input)),
        Err(_) => (Slug::from_text(input), input.to_owned()),
    })
}

/// `middle-east` → `Middle East`.
pub fn humanize(slug: &str) -> String {
    slug.split('-')
        .map(|w| {
            let mut c = w.chars();
            c.next()
                .map(|f| f.to_uppercase().chain(c).collect::<String>())
                .unwrap_or_default()
        })
        .collect::<Vec<_>>()
        .join(" ")
}

pub fn new_id() -> String {
    uuid::Uuid::now_v7().to_string()
}

/// Saves composed posts in one transaction, firing no webhook events: for bulk writers (the
/// seeder, the demo, tests). A post an editor saves goes through `ops::posts`.
pub async fn save(store: &Store, posts: &[Post]) -> Result<(), StoreError> {
    store.save_posts(posts, Utc::now()).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_slugs() {
        assert_eq!(
            slug_and_name("middle-east").unwrap(),
            (Slug::parse("middle-east").unwrap(), "Middle East".into())
        );
        assert_eq!(
            slug_and_name("Middle East").unwrap(),
            (Slug::parse("middle-east").unwrap(), "Middle East".into())
        );
        assert!(slug_and_name("  ").is_err());
    }
}

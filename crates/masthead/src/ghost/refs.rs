//! How Ghost's clients name a post's tags and authors, and finding what they name. Tags are
//! named by id, slug or name (a plain string is a name); a tag not found by slug or name is
//! created, as Ghost does. Authors are named by id, slug or email (a plain string is an email,
//! or a slug when it holds no `@`); an author is never created from a post, and one that
//! matches nobody is refused.

use crate::compose::{Composer, humanize, new_id};
use domain::{Author, Slug, Tag, TagKind};
use serde::Deserialize;
use store::query::{AuthorField, Cond, TagField, Test, Value};
use store::{Store, StoreError, Window};

/// A tag as a post add or edit names it: `"Name"` or `{id | slug | name}` (other fields of a
/// full tag object, as a client read it back, are ignored).
#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub enum TagRef {
    Name(String),
    Object {
        id: Option<String>,
        slug: Option<String>,
        name: Option<String>,
    },
}

/// An author as a post add or edit names it: `"email"` or `{id | slug | email}`.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub enum AuthorRef {
    Email(String),
    Object {
        id: Option<String>,
        slug: Option<String>,
        email: Option<String>,
    },
}

/// Why a post's tags or authors cannot be used as given.
#[derive(Debug, thiserror::Error)]
pub enum RefError {
    /// A message for the client: what was wrong and how to name it instead.
    #[error("{0}")]
    Invalid(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// The tags `refs` name, in order, as slugs or names `composer` resolves: tags found by id, and
/// new tags given a slug, are registered with it; names are left to it (found, else created).
pub async fn tags(
    store: &Store,
    composer: &mut Composer<'_>,
    refs: &[TagRef],
) -> Result<Vec<String>, RefError> {
    let mut out = Vec::new();
    for r in refs {
        let key = match r {
            TagRef::Object { id: Some(id), .. } => {
                let tag = tag_by(store, TagField::Id, id).await?.ok_or_else(|| {
                    RefError::Invalid(format!(
                        "No tag has the id {id:?}. Name a tag by id, slug or name; a new name creates the tag."
                    ))
                })?;
                let slug = tag.slug.to_string();
                composer.known_tag(tag);
                slug
            }
            TagRef::Object {
                slug: Some(slug),
                name,
                ..
            } => tag_by_slug(store, composer, slug, name.as_deref()).await?,
            TagRef::Object { name: Some(n), .. } | TagRef::Name(n) if !n.trim().is_empty() => {
                n.clone()
            }
            _ => {
                return Err(RefError::Invalid(
                    "A tag needs an id, a slug or a name.".into(),
                ));
            }
        };
        out.push(key);
    }
    Ok(out)
}

/// A tag named by slug: the stored one, else a new topic with that slug (and the given name, or
/// one made from the slug) registered with `composer`, which saves it with the post.
async fn tag_by_slug(
    store: &Store,
    composer: &mut Composer<'_>,
    slug: &str,
    name: Option<&str>,
) -> Result<String, RefError> {
    let slug = Slug::parse(slug.trim()).map_err(|e| RefError::Invalid(format!("Tag {e}.")))?;
    if store.tag_by_slug(slug.as_str()).await?.is_none() {
        let name = name
            .map(str::trim)
            .filter(|n| !n.is_empty())
            .map_or_else(|| humanize(slug.as_str()), str::to_owned);
        composer.known_tag(Tag {
            id: new_id(),
            slug: slug.clone(),
            name,
            description: String::new(),
            kind: TagKind::Topic,
            meta: domain::TagMeta::default(),
        });
    }
    Ok(slug.to_string())
}

/// The authors `refs` name, in order, as slugs; an empty list or one naming nobody is refused.
pub async fn authors(store: &Store, refs: &[AuthorRef]) -> Result<Vec<String>, RefError> {
    if refs.is_empty() {
        return Err(RefError::Invalid("At least one author is required.".into()));
    }
    let mut out: Vec<String> = Vec::new();
    for r in refs {
        let author = author(store, r).await?.ok_or_else(|| {
            RefError::Invalid(format!(
                "No author matches {}. Authors are named by id, slug or email \
                 (`masthead author list` shows them, `masthead author add` adds one).",
                described(r)
            ))
        })?;
        let slug = author.slug.to_string();
        if !out.contains(&slug) {
            out.push(slug);
        }
    }
    Ok(out)
}

async fn author(store: &Store, r: &AuthorRef) -> Result<Option<Author>, RefError> {
    Ok(match r {
        AuthorRef::Object { id: Some(id), .. } => author_by_id(store, id).await?,
        AuthorRef::Object { slug: Some(s), .. } => store.author_by_slug(s.trim()).await?,
        AuthorRef::Object { email: Some(e), .. } => store.author_by_email(e.trim()).await?,
        AuthorRef::Email(e) if e.contains('@') => store.author_by_email(e.trim()).await?,
        AuthorRef::Email(s) => store.author_by_slug(s.trim()).await?,
        AuthorRef::Object { .. } => {
            return Err(RefError::Invalid(
                "An author needs an id, a slug or an email.".into(),
            ));
        }
    })
}

/// What an author reference asked for, for the error message.
fn described(r: &AuthorRef) -> String {
    match r {
        AuthorRef::Object { id: Some(id), .. } => format!("the id {id:?}"),
        AuthorRef::Object { slug: Some(s), .. } => format!("the slug {s:?}"),
        AuthorRef::Object { email: Some(e), .. } => format!("the email {e:?}"),
        AuthorRef::Email(e) if e.contains('@') => format!("the email {e:?}"),
        AuthorRef::Email(s) => format!("the slug {s:?}"),
        AuthorRef::Object { .. } => "nothing".into(),
    }
}

async fn tag_by(store: &Store, field: TagField, value: &str) -> Result<Option<Tag>, StoreError> {
    let (mut found, _) = store.browse_tags(&equals(field, value), &[], ONE).await?;
    Ok(found.pop())
}

async fn author_by_id(store: &Store, id: &str) -> Result<Option<Author>, StoreError> {
    let (mut found, _) = store
        .browse_authors(&equals(AuthorField::Id, id), &[], ONE)
        .await?;
    Ok(found.pop())
}

const ONE: Window = Window {
    limit: 1,
    offset: 0,
};

fn equals<F>(field: F, value: &str) -> Cond<F> {
    Cond::Test {
        field,
        negated: false,
        test: Test::Eq(Value::Text(value.to_owned())),
    }
}

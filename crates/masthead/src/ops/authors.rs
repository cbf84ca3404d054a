//! Authors as the CLI adds and changes them: bylines, and the email addresses Ghost's clients
//! name authors by.

use super::{Ops, OpsError};
use crate::compose::new_id;
use chrono::Utc;
use domain::{Author, Email, Slug};
use store::StoreError;

/// Adds an author named `name`, with the slug given or one made from the name, and the email
/// integrations name them by. A slug or email another author has is a `Conflict`.
pub async fn add(
    ops: &Ops<'_>,
    name: &str,
    slug: Option<Slug>,
    email: Option<&Email>,
) -> Result<Author, OpsError> {
    let name = name.trim();
    if name.is_empty() {
        return Err(OpsError::Invalid("an author needs a name".into()));
    }
    let author = Author {
        id: new_id(),
        slug: slug.unwrap_or_else(|| Slug::from_text(name)),
        name: name.to_owned(),
        bio: String::new(),
        credentials: String::new(),
        avatar: None,
        website: None,
    };
    let created = ops
        .store
        .create_author(&author, email.map(Email::as_str), Utc::now())
        .await;
    taken(created, "slug or email")?;
    Ok(author)
}

/// What `edit` changes: each field given is set.
#[derive(Debug, Default)]
pub struct Changes {
    /// A new name; a blank one is ignored.
    pub name: Option<String>,
    /// A new email; `Some(None)` removes it.
    pub email: Option<Option<Email>>,
}

/// Renames the author with slug `slug` or sets their email; `NotFound` when no author has that
/// slug, `Conflict` when another author has the email.
pub async fn edit(ops: &Ops<'_>, slug: &str, changes: Changes) -> Result<(), OpsError> {
    let author = ops
        .store
        .author_by_slug(slug)
        .await?
        .ok_or(OpsError::NotFound("Author"))?;
    if let Some(email) = &changes.email {
        let set = ops
            .store
            .set_author_email(&author.id, email.as_ref().map(Email::as_str))
            .await;
        taken(set.map(|_| ()), "email")?;
    }
    if let Some(name) = changes
        .name
        .as_deref()
        .map(str::trim)
        .filter(|n| !n.is_empty())
    {
        ops.store
            .rename_author(&author.id, name, Utc::now())
            .await?;
    }
    Ok(())
}

/// A store result, with a clash on a unique `what` as a conflict.
fn taken(result: Result<(), StoreError>, what: &str) -> Result<(), OpsError> {
    match result {
        Err(StoreError::Conflict(_)) => Err(OpsError::Conflict(format!(
            "another author already has this {what}"
        ))),
        other => Ok(other?),
    }
}

//! `masthead author add | edit | list`: the bylines, and the email addresses Ghost's clients name
//! authors by (`authors: ['jane@…']`), until staff accounts exist.

use super::DbArgs;
use crate::compose::new_id;
use crate::config::Config;
use crate::state::open_store;
use anyhow::{Context, Result, bail};
use chrono::Utc;
use clap::Subcommand;
use domain::{Author, Email, Slug};
use store::{Store, StoreError};

#[derive(Subcommand, Debug)]
pub enum AuthorCommand {
    /// Add an author, e.g. `author add "Jane Doe" --email jane@example.com`.
    Add {
        #[command(flatten)]
        db: DbArgs,
        /// The name in bylines.
        name: String,
        /// The author's slug (their page is /author/SLUG/) [default: made from the name].
        #[arg(long)]
        slug: Option<String>,
        /// The email address Ghost integrations name the author by (never shown to readers).
        #[arg(long)]
        email: Option<String>,
    },
    /// Change an author's name or email (`--email ""` removes the email).
    Edit {
        #[command(flatten)]
        db: DbArgs,
        /// The author's slug.
        slug: String,
        #[arg(long)]
        name: Option<String>,
        #[arg(long)]
        email: Option<String>,
    },
    /// List authors: slug, name and email.
    List {
        #[command(flatten)]
        db: DbArgs,
    },
}

/// `masthead author add | edit | list`.
pub async fn run(cmd: AuthorCommand) -> Result<()> {
    match cmd {
        AuthorCommand::Add {
            db,
            name,
            slug,
            email,
        } => {
            let store = open_store(&Config::resolve(&db.overrides())?).await?;
            let result = add(&store, &name, slug.as_deref(), email.as_deref()).await;
            store.close().await;
            let author = result?;
            println!("{} is an author (slug {}).", author.name, author.slug);
        }
        AuthorCommand::Edit {
            db,
            slug,
            name,
            email,
        } => {
            let store = open_store(&Config::resolve(&db.overrides())?).await?;
            let result = edit(&store, &slug, name.as_deref(), email.as_deref()).await;
            store.close().await;
            result?;
            println!("Author {slug} is changed.");
        }
        AuthorCommand::List { db } => {
            let store = open_store(&Config::resolve(&db.overrides())?).await?;
            let authors = store.authors().await?;
            let ids: Vec<String> = authors.iter().map(|a| a.id.clone()).collect();
            let emails = store.author_emails(&ids).await?;
            for a in &authors {
                let email = emails.get(&a.id).map_or("-", String::as_str);
                println!("{}\t{}\t{}", a.slug, a.name, email);
            }
            store.close().await;
        }
    }
    Ok(())
}

/// Adds an author named `name`, with the slug given or one made from the name.
async fn add(store: &Store, name: &str, slug: Option<&str>, email: Option<&str>) -> Result<Author> {
    let name = name.trim();
    if name.is_empty() {
        bail!("an author needs a name");
    }
    let slug = match slug {
        Some(s) => Slug::parse(s.trim())?,
        None => Slug::from_text(name),
    };
    let email = email.map(Email::parse).transpose()?;
    let author = Author {
        id: new_id(),
        slug,
        name: name.to_owned(),
        bio: String::new(),
        credentials: String::new(),
        avatar: None,
        website: None,
    };
    let created = store
        .create_author(&author, email.as_ref().map(Email::as_str), Utc::now())
        .await;
    taken(created, "slug or email")?;
    Ok(author)
}

/// Renames an author or sets their email (an empty one removes it).
async fn edit(store: &Store, slug: &str, name: Option<&str>, email: Option<&str>) -> Result<()> {
    let author = store.author_by_slug(slug).await?.with_context(|| {
        format!("no author has the slug {slug:?}; `masthead author list` shows them")
    })?;
    if let Some(email) = email {
        let email = match email.trim() {
            "" => None,
            e => Some(Email::parse(e)?),
        };
        let set = store
            .set_author_email(&author.id, email.as_ref().map(Email::as_str))
            .await;
        taken(set.map(|_| ()), "email")?;
    }
    if let Some(name) = name.map(str::trim).filter(|n| !n.is_empty()) {
        store.rename_author(&author.id, name, Utc::now()).await?;
    }
    Ok(())
}

/// A store result, with a clash on a unique `what` explained.
fn taken(result: Result<(), StoreError>, what: &str) -> Result<()> {
    match result {
        Err(StoreError::Conflict(_)) => {
            bail!("another author already has this {what}; `masthead author list` shows them")
        }
        other => Ok(other?),
    }
}

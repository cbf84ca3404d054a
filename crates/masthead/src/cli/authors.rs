//! `masthead author add | edit | list`: the bylines, and the email addresses Ghost's clients name
//! authors by (`authors: ['jane@…']`), until staff accounts exist.

use super::DbArgs;
use crate::config::Config;
use crate::ops::{Ops, OpsError, authors};
use crate::state::open_store;
use anyhow::{Result, anyhow};
use clap::Subcommand;
use domain::{Author, Email, Slug};

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
            let config = Config::resolve(&db.overrides())?;
            let store = open_store(&config).await?;
            let result = add(
                &Ops::detached(&store, &config.public_url),
                &name,
                slug.as_deref(),
                email.as_deref(),
            )
            .await;
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
            let config = Config::resolve(&db.overrides())?;
            let store = open_store(&config).await?;
            let result = edit(
                &Ops::detached(&store, &config.public_url),
                &slug,
                name.as_deref(),
                email.as_deref(),
            )
            .await;
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
async fn add(ops: &Ops<'_>, name: &str, slug: Option<&str>, email: Option<&str>) -> Result<Author> {
    let slug = slug.map(|s| Slug::parse(s.trim())).transpose()?;
    let email = email.map(Email::parse).transpose()?;
    authors::add(ops, name, slug, email.as_ref())
        .await
        .map_err(explained)
}

/// Renames an author or sets their email (an empty one removes it).
async fn edit(ops: &Ops<'_>, slug: &str, name: Option<&str>, email: Option<&str>) -> Result<()> {
    let email = match email.map(str::trim) {
        None => None,
        Some("") => Some(None),
        Some(e) => Some(Some(Email::parse(e)?)),
    };
    let changes = authors::Changes {
        name: name.map(str::to_owned),
        email,
    };
    authors::edit(ops, slug, changes)
        .await
        .map_err(|err| match err {
            OpsError::NotFound(_) => {
                anyhow!("no author has the slug {slug:?}; `masthead author list` shows them")
            }
            other => explained(other),
        })
}

/// An error for the terminal, a clash pointing to the list of authors.
fn explained(err: OpsError) -> anyhow::Error {
    match err {
        OpsError::Conflict(message) => {
            anyhow!("{message}; `masthead author list` shows them")
        }
        other => other.into(),
    }
}

//! `masthead post add | publish | unpublish | delete`.

use super::DbArgs;
use super::front_matter;
use crate::compose::Composer;
use crate::config::Config;
use crate::ops::{Ops, posts};
use crate::state::open_store;
use anyhow::{Context, Result};
use chrono::Utc;
use clap::{Args, Subcommand};
use std::path::PathBuf;

#[derive(Subcommand, Debug)]
pub enum PostCommand {
    /// Publish Markdown files with YAML front matter (one post or page per file).
    Add(PostAddArgs),
    /// Publish a draft (now, or at a later time).
    Publish {
        #[command(flatten)]
        db: DbArgs,
        slug: String,
        /// When it goes live (RFC 3339, e.g. 2026-12-01T09:00:00Z) [default: now].
        #[arg(long, value_name = "TIME")]
        at: Option<String>,
    },
    /// Take a post off the site (it becomes a draft).
    Unpublish {
        #[command(flatten)]
        db: DbArgs,
        slug: String,
    },
    /// Delete a post for good.
    Delete {
        #[command(flatten)]
        db: DbArgs,
        slug: String,
        /// Confirm the deletion.
        #[arg(long)]
        yes: bool,
    },
}

#[derive(Args, Debug)]
pub struct PostAddArgs {
    #[command(flatten)]
    pub db: DbArgs,
    /// Markdown files with front matter between `---` lines.
    #[arg(required = true, value_name = "FILE.md")]
    pub files: Vec<PathBuf>,
}

/// `masthead post add | publish | unpublish | delete`.
pub async fn run(cmd: PostCommand) -> Result<()> {
    match cmd {
        PostCommand::Add(args) => post_add(args).await,
        cmd => post_status(cmd).await,
    }
}

/// Publishes each file on its own: a bad file is reported and skipped, the others still land.
async fn post_add(args: PostAddArgs) -> Result<()> {
    let config = Config::resolve(&args.db.overrides())?;
    let store = open_store(&config).await?;
    let mut failed = 0;
    for file in &args.files {
        match add_one(&store, file, &config).await {
            Ok(url) => println!(
                "{}: published at {}{url}",
                file.display(),
                config.public_url
            ),
            Err(err) => {
                failed += 1;
                eprintln!("{}: {err:#}", file.display());
            }
        }
    }
    store.close().await;
    anyhow::ensure!(
        failed == 0,
        "{failed} of {} files were not added; fix them and run the command again for those files",
        args.files.len()
    );
    Ok(())
}

async fn add_one(store: &store::Store, file: &std::path::Path, config: &Config) -> Result<String> {
    let text = std::fs::read_to_string(file).context("cannot read the file as UTF-8 text")?;
    let (mut draft, _) = front_matter::parse(&text)?;
    if let Some(image) = draft.image.as_mut() {
        front_matter::import_image(image, file, &config.media_dir())?;
    }
    let ops = Ops::detached(store, &config.public_url);
    let post = posts::create(&ops, &mut Composer::new(store), draft, None, Utc::now()).await?;
    Ok(render::context::post_url(post.slug.as_str()))
}

/// `post publish | unpublish | delete SLUG`.
async fn post_status(cmd: PostCommand) -> Result<()> {
    let (db, slug) = match &cmd {
        PostCommand::Publish { db, slug, .. }
        | PostCommand::Unpublish { db, slug }
        | PostCommand::Delete { db, slug, .. } => (db.clone(), slug.clone()),
        PostCommand::Add(_) => unreachable!("handled by post_add"),
    };
    let slug = slug.as_str();
    let config = Config::resolve(&db.overrides())?;
    let store = open_store(&config).await?;
    let post = store.post_by_slug(slug).await?.with_context(|| {
        format!("no post or page has the slug {slug:?}; check the URL's last part")
    })?;
    let ops = Ops::detached(&store, &config.public_url);
    let now = Utc::now();
    let message = match cmd {
        PostCommand::Publish { at, .. } => {
            let at = at.as_deref().map(parse_time).transpose()?;
            posts::publish(&ops, &post, at, None, now).await?;
            format!(
                "{slug}: published at {}{}",
                config.public_url,
                render::context::post_url(slug)
            )
        }
        PostCommand::Unpublish { .. } => {
            posts::unpublish(&ops, &post, now).await?;
            format!("{slug}: unpublished (now a draft)")
        }
        PostCommand::Delete { yes, .. } => {
            anyhow::ensure!(
                yes,
                "deleting {slug:?} cannot be undone; add --yes to confirm"
            );
            posts::delete(&ops, &post, now).await?;
            format!("{slug}: deleted")
        }
        PostCommand::Add(_) => unreachable!("handled by post_add"),
    };
    store.close().await;
    println!("{message}");
    Ok(())
}

/// `--at`'s time, in RFC 3339.
fn parse_time(raw: &str) -> Result<chrono::DateTime<Utc>> {
    Ok(chrono::DateTime::parse_from_rfc3339(raw)
        .with_context(|| format!("--at {raw:?} is not a time like 2026-12-01T09:00:00Z"))?
        .with_timezone(&Utc))
}

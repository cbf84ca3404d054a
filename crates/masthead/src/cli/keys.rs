//! `masthead key create | list | revoke`: keys for the Ghost-compatible APIs.

use super::DbArgs;
use crate::config::Config;
use crate::ops::{Ops, OpsError, keys};
use crate::state::open_store;
use anyhow::Result;
use chrono::Utc;
use clap::Subcommand;

#[derive(Subcommand, Debug)]
pub enum KeyCommand {
    /// Create a Content API key (`--content NAME`) or an Admin API key (`--admin NAME`) and
    /// print it once.
    Create {
        #[command(flatten)]
        db: DbArgs,
        /// A read-only Content API key, for a front end or a static-site build.
        #[arg(
            long,
            value_name = "NAME",
            conflicts_with = "admin",
            required_unless_present = "admin"
        )]
        content: Option<String>,
        /// An Admin API key (`id:secret`), for integrations that write.
        #[arg(long, value_name = "NAME")]
        admin: Option<String>,
    },
    /// List keys: id, kind, name, the first characters of the secret, created, revoked.
    List {
        #[command(flatten)]
        db: DbArgs,
    },
    /// Revoke a key by its id; requests with it are refused from then on.
    Revoke {
        #[command(flatten)]
        db: DbArgs,
        id: String,
    },
}

/// `masthead key create | list | revoke`.
pub async fn run(cmd: KeyCommand) -> Result<()> {
    let db = match &cmd {
        KeyCommand::Create { db, .. } | KeyCommand::List { db } | KeyCommand::Revoke { db, .. } => {
            db.clone()
        }
    };
    let config = Config::resolve(&db.overrides())?;
    let store = open_store(&config).await?;
    let ops = Ops::detached(&store, &config.public_url);
    let now = Utc::now();
    match cmd {
        KeyCommand::Create { content, admin, .. } => {
            let (name, is_admin) = match (content, admin) {
                (_, Some(name)) => (name, true),
                (Some(name), None) => (name, false),
                (None, None) => anyhow::bail!("pass --content NAME or --admin NAME"),
            };
            let made = keys::create(&ops, &name, is_admin, now).await?;
            println!("{}", made.secret);
            eprintln!(
                "Created {} key {} ({:?}). Keep it now: it is not shown again.",
                made.key.kind.as_str(),
                made.key.id,
                made.key.name
            );
        }
        KeyCommand::List { .. } => {
            for k in store.api_keys().await? {
                let revoked = k.revoked_at.map_or_else(
                    || "active".into(),
                    |t| format!("revoked {}", t.format("%Y-%m-%d %H:%M")),
                );
                println!(
                    "{}\t{}\t{}\t{}…\t{}\t{revoked}",
                    k.id,
                    k.kind.as_str(),
                    k.name,
                    k.hint,
                    k.created_at.format("%Y-%m-%d %H:%M")
                );
            }
        }
        KeyCommand::Revoke { id, .. } => {
            match keys::revoke(&ops, id.trim(), now).await {
                Err(OpsError::NotFound(_)) => anyhow::bail!(
                    "no active key has the id {id:?}; `masthead key list` shows the ids"
                ),
                other => other?,
            }
            println!("Revoked key {}.", id.trim());
        }
    }
    store.close().await;
    Ok(())
}
